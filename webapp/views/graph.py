"""Graph views: an entity's neighbourhood (fragment, JSON, full page) and the explorer.

Routes:
    ``/graf`` (``.json``): the whole-graph explorer with filters ``typ`` (repeatable:
    ``projekt``, ``organisation``, ``person``, ``tema``), ``tema`` (theme slug), ``ar``
    (year), ``kommun`` (municipality slug); with ``iri`` (and ``hopp``) it shows that
    entity's neighbourhood as a full page instead.
    ``/graf/granne`` (``.json``): the neighbourhood of ``iri``, ``hopp`` 1 or 2, as an
    embeddable HTML fragment or JSON nodes and edges.
    ``/graf/granne.graphml``, ``/graf.graphml``: the same graphs as GraphML (with positions).
    ``/graf/nedladdning``: the same graphs as one self-contained HTML file written by pyvis
    (``iri`` and ``hopp``, or the explorer's filters), made when first asked for.
    ``/graf/vendor/<file>``: vis-network's JS and CSS from the installed pyvis package.

Templates may call ``neighbourhood_graph(iri)`` (a Jinja global; the hop count comes from
the page's ``hopp``) and include ``graph/_neighbourhood.html``; see that file.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pyvis
from flask import Blueprint, Response, abort, request

from kg.analytics.cache import get_projection
from kg.errors import KgError, NotFoundError
from kg.export.graphml import graphml_bytes
from kg.export.network import GraphFilter, explorer, explorer_choices, neighbourhood
from kg.export.standalone import standalone_html
from webapp.i18n import current_lang, t
from webapp.negotiation import PAGE_OFFERS
from webapp.params import BadParameterError, text_param, year_param
from webapp.render import respond
from webapp.state import get_settings, get_store
from webapp.urls import get_urls

__all__ = ["TYPE_PARAMS", "bp", "graph_filter", "neighbourhood_graph", "safe_link"]

log = logging.getLogger(__name__)

bp = Blueprint("graph", __name__)

VENDOR_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"
VENDOR_FILES = ("vis-network.min.js", "vis-network.css")
#: URL values of ``typ`` → node types of the projection.
TYPE_PARAMS: dict[str, str] = {"projekt": "project", "organisation": "organisation",
                               "person": "person", "tema": "concept"}


def safe_link(iri: str) -> str:
    """The page of an IRI, or ``#`` when it is no web link (``javascript:`` and the like)."""
    url = get_urls().entity(iri)
    return url if url.startswith(("/", "http://", "https://")) and not url.startswith("//") else "#"


def _hops() -> int:
    raw = request.args.get("hopp", "1").strip() or "1"
    if raw not in ("1", "2"):
        raise BadParameterError.of("error.param.hops")
    return int(raw)


def _iri_param(name: str = "iri") -> str:
    iri = text_param(name, max_len=2000)
    if not iri:
        raise BadParameterError.of("error.param.missing", name=name)
    return iri


def graph_filter() -> GraphFilter:
    """The explorer filter from the request (``typ``, ``tema``, ``ar``, ``kommun``).

    Raises:
        BadParameterError: an unknown type, theme or municipality, or a bad year.
    """
    base = get_settings().base_iri
    G = get_projection(get_store())
    types = []
    for raw in request.args.getlist("typ"):
        if raw not in TYPE_PARAMS:
            raise BadParameterError.of("error.param.type", value=raw,
                                       allowed=", ".join(TYPE_PARAMS))
        types.append(TYPE_PARAMS[raw])
    theme = text_param("tema")
    theme_iri = base + "def/tema/" + theme if theme else None
    if theme_iri and G.nodes.get(theme_iri, {}).get("type") != "concept":
        raise BadParameterError.of("error.param.theme", value=theme)
    muni = text_param("kommun")
    muni_iri = base + "id/organisation/" + muni if muni else None
    if muni_iri and not G.nodes.get(muni_iri, {}).get("municipality"):
        raise BadParameterError.of("error.param.municipality", value=muni)
    return GraphFilter(types=tuple(types) or GraphFilter().types, theme=theme_iri,
                       year=year_param("ar"), municipality=muni_iri)


def _page_hops() -> int:
    """The hop count an entity page asked for (``hopp``); 1 for anything else."""
    raw = request.args.get("hopp", "1").strip()
    return 2 if raw == "2" else 1


def _file_name(iri: str) -> str:
    return "graf-" + "".join(c if c.isalnum() else "-" for c in iri.rstrip("/").rsplit("/", 1)[-1])


def _decorate(data: dict[str, Any], iri: str, hops: int, *, page_url: str | None) -> dict[str, Any]:
    """Add the links the widget needs: hop switch, full view, downloads, file name."""
    lang = current_lang()
    extra = {"lang": lang} if lang != "sv" else {}
    data["src"] = "/graf/granne.json"
    data["full_url"] = "/graf?" + urlencode({"iri": iri, "hopp": hops, **extra})
    if page_url:  # an entity page: the hop count is a parameter of the page itself
        data["hops_links"] = [(1, page_url + "#graf"), (2, page_url + "?hopp=2#graf")]
    else:
        data["hops_links"] = [(h, "/graf?" + urlencode({"iri": iri, "hopp": h, **extra}))
                              for h in (1, 2)]
    query = urlencode({"iri": iri, "hopp": hops, **extra})
    data["exports"] = {"graphml": f"/graf/granne.graphml?{query}",
                       "html": f"/graf/nedladdning?{query}"}
    data["file"] = _file_name(iri)
    data["url_state"] = True
    return data


def neighbourhood_graph(iri: str, hops: int | None = None) -> dict[str, Any] | None:
    """The neighbourhood data of an entity for templates; None when it has none.

    Never raises for a missing entity or a store problem: an entity page must still show.
    """
    hops = hops or _page_hops()
    try:
        data = neighbourhood(get_store(), iri, hops, lang=current_lang(), link=safe_link,
                             settings=get_settings())
    except NotFoundError:
        return None
    except KgError:
        log.warning("no neighbourhood graph for %s", iri, exc_info=True)
        return None
    return _decorate(data, iri, hops, page_url=safe_link(iri))


def _neighbourhood_page() -> dict[str, Any]:
    iri, hops = _iri_param(), _hops()
    try:
        data = neighbourhood(get_store(), iri, hops, lang=current_lang(), link=safe_link,
                             settings=get_settings())
    except NotFoundError as exc:
        raise NotFoundError.of("error.not_in_graph", iri=iri) from exc
    data = _decorate(data, iri, hops, page_url=None)
    data["entity_url"] = safe_link(iri)
    return data


@bp.app_template_global("neighbourhood_graph")
def _neighbourhood_global(iri: str, hops: int | None = None) -> dict[str, Any] | None:
    return neighbourhood_graph(iri, hops)


@bp.get("/graf/granne")
@bp.get("/graf/granne.<ext>")
def neighbourhood_view(ext: str | None = None) -> Response:
    """The neighbourhood of ``iri`` (``hopp`` 1 or 2): an HTML fragment, JSON or GraphML."""
    if ext == "graphml":
        data = _neighbourhood_page()
        return _graphml(data, data["file"])
    return respond(_neighbourhood_page(), "graph/fragment.html", offers=PAGE_OFFERS,
                   data_url=get_urls().current(), extension=ext)


def _explorer_page() -> dict[str, Any]:
    filt = graph_filter()
    lang = current_lang()
    store, settings = get_store(), get_settings()
    data = explorer(store, filt, lang=lang, link=safe_link, settings=settings)
    choices = explorer_choices(store, lang)
    base = settings.base_iri
    data["choices"] = {
        "types": [{"value": v, "key": k} for v, k in TYPE_PARAMS.items()],
        "themes": [{"value": r["iri"].removeprefix(base + "def/tema/"), "label": r["label"]}
                   for r in choices.themes],
        "years": choices.years,
        "municipalities": [{"value": r["iri"].removeprefix(base + "id/organisation/"),
                            "label": r["label"]} for r in choices.municipalities],
    }
    data["selected"] = {
        "typ": [v for v, k in TYPE_PARAMS.items() if k in filt.types],
        "tema": text_param("tema"), "ar": filt.year, "kommun": text_param("kommun"),
    }
    query = urlencode([(k, v) for k in ("typ", "tema", "ar", "kommun", "lang")
                       for v in request.args.getlist(k)])
    tail = f"?{query}" if query else ""
    data["exports"] = {"graphml": f"/graf.graphml{tail}", "html": f"/graf/nedladdning{tail}"}
    return data


@bp.get("/graf")
@bp.get("/graf.<ext>")
def explorer_view(ext: str | None = None) -> Response:
    """The whole-graph explorer, or with ``iri`` the neighbourhood of one entity."""
    if "iri" in request.args:
        if ext == "graphml":
            data = _neighbourhood_page()
            return _graphml(data, data["file"])
        return respond(_neighbourhood_page(), "graph/neighbourhood.html", offers=PAGE_OFFERS,
                       data_url=get_urls().current(), extension=ext)
    if ext == "graphml":
        return _graphml(_explorer_page(), "samverkansgrafen")
    return respond(_explorer_page(), "graph/explorer.html", offers=PAGE_OFFERS,
                   data_url=get_urls().current(), extension=ext)


def _graphml(data: dict[str, Any], name: str) -> Response:
    response = Response(graphml_bytes(data), mimetype="application/graphml+xml")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.graphml"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@bp.get("/graf/nedladdning")
def standalone() -> Response:
    """The graph as one self-contained HTML file (pyvis, vis-network inlined, no CDN)."""
    if "iri" in request.args:
        data = _neighbourhood_page()
        title, name = t("graph.neighbourhood_of", label=data["label"]), data["file"]
    else:
        data = _explorer_page()
        title, name = t("graph.explorer"), "samverkansgrafen"
    body = standalone_html(get_store(), data, title=title, lang=current_lang(),
                           note=t("graph.standalone_note"), vendor=VENDOR_DIR)
    response = Response(body, mimetype="text/html")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}.html"'
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response


@lru_cache(maxsize=len(VENDOR_FILES))
def _vendor_file(name: str) -> tuple[bytes, dict[str, bytes]]:
    """A vendored file and its compressed forms (made once per process)."""
    import gzip

    import brotli

    raw = (VENDOR_DIR / name).read_bytes()
    return raw, {"br": brotli.compress(raw, quality=11), "gzip": gzip.compress(raw, 9)}


@bp.get("/graf/vendor/<name>")
def vendor(name: str) -> Response:
    """vis-network's files, served from the pyvis package (no CDN), compressed once."""
    if name not in VENDOR_FILES:
        abort(404)
    raw, packed = _vendor_file(name)
    accepted = request.accept_encodings
    encoding = next((e for e in ("br", "gzip") if accepted[e]), None)
    mimetype = "text/javascript" if name.endswith(".js") else "text/css"
    response = Response(packed[encoding] if encoding else raw, mimetype=mimetype)
    if encoding:
        response.headers["Content-Encoding"] = encoding
    response.vary.add("Accept-Encoding")
    response.headers["Cache-Control"] = f"public, max-age={7 * 24 * 3600}"
    response.set_etag(f"{pyvis.__version__}-{name}-{encoding or 'identity'}")
    response.make_conditional(request)
    return response
