"""Every path the app links to, built in one place (like Datasette's ``url_builder``).

Entity IRIs under the base are served by the app at the same path, so an IRI maps to a page
by dropping the base; ``http``, ``https`` and ``mailto`` IRIs elsewhere are linked as they
are, and any other IRI (``javascript:``, ``data:``, ``urn:``) leads to a search for it, never
to itself: :meth:`Urls.link` is the one check. Views and templates (as ``urls``) use the
same builder.

>>> u = Urls("https://data.kfvn.se/")
>>> u.entity("https://data.kfvn.se/id/projekt/esamverkan")
'/id/projekt/esamverkan'
>>> u.data("https://data.kfvn.se/id/projekt/esamverkan", "ttl")
'/id/projekt/esamverkan.ttl'
>>> u.entity("https://schema.org/Project")
'https://schema.org/Project'
>>> u.entity("javascript:alert(1)")
'/sok?q=javascript%3Aalert%281%29'
>>> u.link(" JavaScript:alert(1)"), u.link("mailto:info@kfvn.se"), u.link("//evil.example/")
('#', 'mailto:info@kfvn.se', '#')
>>> u.iri_for_path("id/person/anna")
'https://data.kfvn.se/id/person/anna'
>>> u.search("sollefteå", typ="organisation")
'/sok?q=sollefte%C3%A5&typ=organisation'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import quote, urlencode

from flask import Flask, g, has_request_context, request, url_for
from markupsafe import Markup, escape

__all__ = ["ECHO_CHARS", "ECHO_PARAMS", "ECHO_VALUES", "ENTITY_ROOTS", "NAV", "Urls", "anchor", "get_urls",
           "register"]

#: Top-level path segments under the base that the app serves as entity pages.
ENTITY_ROOTS: tuple[str, ...] = ("id/", "def/")

#: Most query parameters (and values of each) that links to the current page repeat.
ECHO_PARAMS, ECHO_VALUES, ECHO_CHARS = 20, 10, 4096

#: The main menu: (UI string key, path). Pages of other areas keep these paths stable.
NAV: tuple[tuple[str, str], ...] = (
    ("nav.search", "/sok"),
    ("nav.projects", "/projekt"),
    ("nav.funding", "/finansiering"),
    ("nav.organisations", "/organisationer"),
    ("nav.people", "/personer"),
    ("nav.graph", "/graf"),
    ("nav.analytics", "/analys"),
    ("nav.queries", "/fragor"),
    ("nav.sparql", "/sparql"),
    ("nav.downloads", "/nedladdning"),
    ("nav.ontology", "/ontologi"),
)


#: Most entity paths :meth:`Urls.entity` keeps (then it starts again).
_PATHS_KEPT = 200_000


def _query(params: dict[str, Any]) -> str:
    clean = {k: v for k, v in params.items() if v not in (None, "", [])}
    return ("?" + urlencode(clean, doseq=True)) if clean else ""


class Urls:
    """Paths of the app's pages and data documents, relative to the site root."""

    def __init__(self, base_iri: str) -> None:
        self.base_iri = base_iri
        #: entity paths made so far (a hub's page links thousands of entities)
        self._paths: dict[str, str] = {}

    # -- entities ----------------------------------------------------------------------
    def is_local(self, iri: str) -> bool:
        """True when the app serves this IRI itself."""
        rest = iri[len(self.base_iri):] if iri.startswith(self.base_iri) else None
        return rest is not None and rest.startswith(ENTITY_ROOTS)

    def entity(self, iri: str, **params: Any) -> str:
        """The page of an entity: a local path for our IRIs, the IRI itself for other web
        IRIs, and a search for the IRI when it is no web link (``javascript:`` and the like)."""
        if not params:
            found = self._paths.get(iri)
            if found is None:
                if len(self._paths) >= _PATHS_KEPT:
                    self._paths.clear()
                found = self._paths[iri] = self._entity(iri)
            return found
        return self._entity(iri, **params)

    def _entity(self, iri: str, **params: Any) -> str:
        if not self.is_local(iri):
            return iri if is_web_link(iri) else self.search(iri)
        path, _, fragment = iri[len(self.base_iri):].partition("#")
        out = "/" + quote(path, safe="/-_.~")
        if fragment and path == "def/kfv":
            return self.term(iri)
        return out + _query(params) + (("#" + quote(fragment, safe="-_.~")) if fragment else "")

    @staticmethod
    def link(url: str) -> str:
        """``url`` when it is safe to link (a local path, ``http``, ``https``, ``mailto``),
        else ``#``: for URLs that come from the data or from editors."""
        return url if (url.startswith("/") and not url.startswith("//")) or is_web_link(url) else "#"

    def data(self, iri: str, ext: str) -> str:
        """The data document of a local entity in a format, by extension (``ttl``, ``json``)."""
        path = iri[len(self.base_iri):].partition("#")[0] if self.is_local(iri) else ""
        return "/" + quote(path, safe="/-_.~") + "." + ext

    def iri_for_path(self, path: str) -> str:
        """The IRI a local path stands for."""
        return self.base_iri + path.lstrip("/")

    def graph(self, iri: str) -> str:
        """The neighbourhood graph of an entity (served by the graph area)."""
        return "/graf" + _query({"iri": iri})

    # -- pages -------------------------------------------------------------------------
    def home(self) -> str:
        return "/"

    def search(self, q: str = "", **filters: Any) -> str:
        """The search page, with a query and filters (``typ``, ``tema``, ``ar``, ``sida``)."""
        return "/sok" + _query({"q": q, **filters})

    def api_search(self, q: str = "", **filters: Any) -> str:
        """The type-ahead endpoint (JSON)."""
        return "/api/sok" + _query({"q": q, **filters})

    def downloads(self) -> str:
        return "/nedladdning"

    def dump(self, ext: str) -> str:
        """A full dump of the graph in the format with this extension."""
        return f"/dump/samverkansgrafen.{ext}"

    def void(self) -> str:
        return "/.well-known/void"

    def dataset(self, ext: str | None = None) -> str:
        return "/dataset" + (f".{ext}" if ext else "")

    def ontology(self, term: str | None = None) -> str:
        """The ontology page, at a term's anchor when given."""
        return "/ontologi" + (("#" + anchor(term)) if term else "")

    def term(self, iri: str) -> str:
        """Where an ontology term (ours or a reused one) is documented: its anchor on the
        ontology page."""
        return "/ontologi#" + anchor(iri)

    def static(self, filename: str) -> str:
        return url_for("static", filename=filename)

    def nav(self) -> tuple[tuple[str, str], ...]:
        return NAV

    def exists(self, path: str) -> bool:
        """True when the app has a route for ``path`` (areas may be absent)."""
        from flask import current_app
        from werkzeug.exceptions import HTTPException

        try:
            current_app.url_map.bind("localhost").match(path.partition("?")[0])
        except HTTPException:
            return False
        return True

    # -- the current request ------------------------------------------------------------
    def current(self, **changes: Any) -> str:
        """The current page with some query parameters changed (``None`` removes one).

        Links repeat what the client sent, so at most :data:`ECHO_PARAMS` parameters with
        :data:`ECHO_VALUES` values of at most :data:`ECHO_CHARS` characters each are kept
        (the URL itself is capped by the ``max_url_bytes`` setting); an error page repeats
        none (``g.kg_no_echo``)."""
        if not has_request_context():
            return "/"
        params: dict[str, Any] = {} if g.get("kg_no_echo") else {
            k: [v for v in request.args.getlist(k)[:ECHO_VALUES] if len(v) <= ECHO_CHARS]
            for k in list(request.args)[:ECHO_PARAMS]}
        for key, value in changes.items():
            params[key] = value
        return request.path + _query(params)

    def with_lang(self, lang: str) -> str:
        """The current page in another UI language."""
        return self.current(lang=lang)

    def page(self, number: int) -> str:
        """The current page at another page number (``sida``)."""
        return self.current(sida=None if number <= 1 else number)


#: The schemes of IRIs that become links; every other IRI is shown as text.
LINK_SCHEMES = ("http://", "https://", "mailto:")


def is_web_link(iri: str) -> bool:
    """Whether an IRI may be a link as it is (``http``, ``https`` or ``mailto``)."""
    return iri.startswith(LINK_SCHEMES)


def anchor(term: str) -> str:
    """A fragment id for a term IRI or CURIE, safe in HTML ids and URLs.

    >>> anchor("https://data.kfvn.se/def/kfv#Participation")
    'kfv-Participation'
    >>> anchor("https://schema.org/startDate")
    'schema-startDate'
    """
    from kg.namespaces import PREFIXES

    best, name = "", ""
    for prefix, ns in PREFIXES.items():
        if term.startswith(ns) and len(ns) > len(best):
            best = ns
            name = f"{prefix}-{term[len(ns):]}"
    if not best:
        name = term.rsplit("/", 1)[-1]
    return "".join(c if c.isalnum() or c in "-_" else "-" for c in name)


def get_urls() -> Urls:
    """The URL builder of the current app."""
    from flask import current_app

    urls: Urls = current_app.extensions["kg_urls"]
    return urls


def register(app: Flask, base_iri: str) -> None:
    """Give the app (and its templates, as ``urls``) one URL builder."""
    urls = Urls(base_iri)
    app.extensions["kg_urls"] = urls
    app.jinja_env.globals["urls"] = urls
    app.jinja_env.globals["anchor"] = anchor
    app.jinja_env.globals["entity_refs"] = lambda items, limit=4: entity_refs(urls, items, limit)


def entity_refs(urls: Urls, items: Sequence[Mapping[str, Any]], limit: int = 4) -> Markup:
    """Entity references (``{iri, label, lang}``) as links, those past ``limit`` folded
    away: the ``refs`` macro of entity pages, made in Python (an organisation's profile
    table has a few thousand of them, which took a third of a hub page's rendering)."""
    from webapp.i18n import t

    def link(r: Mapping[str, Any]) -> str:
        lang = f' lang="{escape(r["lang"])}"' if r.get("lang") else ""
        return f'<a href="{escape(urls.entity(r["iri"]))}"{lang}>{escape(r["label"])}</a>'

    out = ", ".join(link(r) for r in items[:limit])
    if len(items) > limit:
        more = escape(t("entity.and_more", n=len(items) - limit))
        out += (f' <details class="more-inline"><summary>{more}</summary>'
                + ", ".join(link(r) for r in items[limit:]) + "</details>")
    return Markup(out)
