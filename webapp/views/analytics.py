"""The analytics page and the path finder, each with a JSON twin.

Routes:
    ``/analys`` (``.json``): most connected organisations, brokers, communities, the
    municipality collaboration matrix, funding per funder and per year (computed once per
    data version by :func:`kg.analytics.cache.get_analytics`).
    ``/analys/vag`` (``.json``): how ``fran`` and ``till`` (IRIs, names or aliases) are
    connected: a sentence (shared projects, else the nearest connection), the paths drawn as
    a small graph and step by step; ``alla=1`` also counts ownership, membership and posts.
    Without both it shows the empty form (HTML) or answers 400 (JSON); a name that fits
    nothing or several is a 400 that keeps the form (HTML) and offers the candidates.
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, current_app, request

from kg.analytics.cache import REQUEST_WAIT, get_analytics, get_projection
from kg.analytics.explain import answer, parts_text, step_texts
from kg.analytics.paths import AmbiguousNameError, find_paths, resolve_name
from kg.errors import NotFoundError
from kg.export.network import path_graph
from kg.query.search import index_for
from webapp.charts import columns, hbars
from webapp.formatting import amount
from webapp.i18n import current_lang, t
from webapp.negotiation import HTML, PAGE_OFFERS, negotiate, wants_json
from webapp.params import BadParameterError, text_param
from webapp.render import respond
from webapp.state import get_settings, get_store
from webapp.urls import get_urls
from webapp.views.graph import safe_link

__all__ = ["analytics_page", "bp", "path_page"]

log = logging.getLogger(__name__)

bp = Blueprint("analytics", __name__)

#: Funders shown in the chart (the table lists all).
CHART_FUNDERS = 12
#: Municipalities in the page's matrix (those with most shared projects; the JSON has all):
#: 135 × 135 cells made a 1.2 MB page at 100 k triples, more than anyone reads.
MATRIX_SHOWN = 30
#: Members named per community on the page (most connected first; the JSON has all).
MEMBERS_SHOWN = 60


def _linked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "url": safe_link(r["iri"])} for r in rows]


def _name(row: dict[str, Any], lang: str) -> str:
    return str(row["label_en"] if lang == "en" else row["label_sv"])


def _shown_matrix(matrix: dict[str, Any], most: int = MATRIX_SHOWN) -> dict[str, Any]:
    """The part of the municipality matrix the page draws: the ``most`` municipalities with
    most projects shared with others, in the matrix's own order, and ``of`` (how many
    there are).

    >>> m = {"municipalities": [{"iri": c} for c in "abc"], "max": 5,
    ...      "matrix": [[9, 0, 1], [0, 2, 0], [1, 0, 7]]}
    >>> cut = _shown_matrix(m, 2)
    >>> [x["iri"] for x in cut["municipalities"]], cut["matrix"], cut["of"]
    (['a', 'c'], [[9, 1], [1, 7]], 3)
    """
    rows = matrix["matrix"]
    names = matrix["municipalities"]
    if len(names) <= most:
        return {**matrix, "of": len(names)}
    shared = [sum(v for j, v in enumerate(row) if j != i) for i, row in enumerate(rows)]
    keep = sorted(sorted(range(len(names)), key=lambda i: -shared[i])[:most])
    sub = [[rows[i][j] for j in keep] for i in keep]
    off = [sub[a][b] for a in range(len(keep)) for b in range(len(keep)) if a != b]
    return {"municipalities": [names[i] for i in keep], "matrix": sub,
            "max": max(off, default=0), "of": len(names)}


def analytics_page() -> dict[str, Any]:
    """The analytics of the served store, with page links added (JSON-ready). ``matrix``
    and the communities' ``members`` are whole; ``matrix_shown`` and ``members_shown`` are
    what the HTML page draws (a large graph's would make a page of megabytes)."""
    data = get_analytics(get_store(), get_settings(), wait=REQUEST_WAIT)
    lang = current_lang()
    # the links of a data version's analytics are made once per app and language (thousands
    # of community members at 1 M triples were most of the page's rendering time)
    kept: dict[str, tuple[dict[str, Any], dict[str, Any]]] = current_app.extensions.setdefault(
        "kg_analytics_pages", {})
    entry = kept.get(lang)
    if entry is None or entry[0] is not data:
        entry = kept[lang] = (data, _page(data, lang))
    return entry[1]


def _page(data: dict[str, Any], lang: str) -> dict[str, Any]:
    funding = data["funding"]
    matrix = {**data["matrix"], "municipalities": _linked(data["matrix"]["municipalities"])}
    return {
        **data,
        "lang": lang,
        "most_connected": _linked(data["most_connected"]),
        "brokers": {**data["brokers"], "rows": _linked(data["brokers"]["rows"])},
        "communities": [
            {**c, "members": _linked(c["members"]), "projects": _linked(c["projects"]),
             "members_shown": MEMBERS_SHOWN}
            for c in data["communities"]
        ],
        "matrix": matrix,
        "matrix_shown": _shown_matrix(matrix),
        "funding": {**funding, "by_funder": _linked(funding["by_funder"])},
    }


def _charts(page: dict[str, Any], lang: str) -> dict[str, Any]:
    funding = page["funding"]

    def money(v: float) -> str:
        return amount(v, lang=lang)

    funders = [{"label": _name(r, lang), "value": r["total"], "url": r["url"]}
               for r in funding["by_funder"][:CHART_FUNDERS]]
    years = [{"label": str(r["year"]), "value": r["total"]} for r in funding["by_year"]]
    return {"funders": hbars(funders, fmt=money), "years": columns(years, fmt=money)}


@bp.app_template_global("kg_analytics_charts")
def _charts_global(page: dict[str, Any]) -> dict[str, Any]:
    return _charts(page, current_lang())


@bp.get("/analys")
@bp.get("/analys.<ext>")
def analytics(ext: str | None = None) -> Response:
    """Network measures over the whole graph (HTML, or JSON via ``/analys.json``); rendered
    once per data version by :mod:`webapp.pagecache`."""
    return respond(analytics_page, "analytics/index.html", offers=PAGE_OFFERS,
                   data_url=get_urls().current(), extension=ext)


def _node(n: dict[str, Any], lang: str) -> dict[str, Any]:
    return {**n, "url": safe_link(n["iri"]), "label": _name(n, lang)}


def _decorate_paths(found: dict[str, Any], lang: str) -> dict[str, Any]:
    paths = []
    for p in found.get("paths") or []:
        nodes = [_node(n, lang) for n in p["nodes"]]
        steps = [step_texts(rels, lang) for rels in p["links"]]
        paths.append({"nodes": nodes, "links": p["links"], "steps": steps})
    return {**found, "paths": paths}


def _decorate(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """Page links, labels in ``lang``, step texts in the reading direction, the answer as a
    sentence (parts to link and plain text) and the paths as a small graph."""
    out = _decorate_paths(result, lang)
    out["from"], out["to"] = _node(result["from"], lang), _node(result["to"], lang)
    out["shared"] = [_node(n, lang) for n in result.get("shared", [])]
    if result.get("fallback"):
        out["fallback"] = _decorate_paths(result["fallback"], lang)
    parts = answer(out, lang)
    out["answer_parts"] = [{"node": _node(p["node"], lang)} if "node" in p else p for p in parts]
    out["answer"] = parts_text(out["answer_parts"], lang)
    shown = out["paths"] or (out.get("fallback") or {}).get("paths") or []
    if shown:
        G = get_projection(get_store(), stale=True, wait=REQUEST_WAIT)
        out["graph"] = path_graph(G, [[n["iri"] for n in p["nodes"]] for p in shown], lang,
                                  link=safe_link)
        out["graph"]["file"] = "vag"
    return out


def _resolve(G: Any, text: str, field: str) -> str:
    try:
        return resolve_name(G, index_for(get_store()), text)
    except AmbiguousNameError as exc:
        lang = current_lang()
        err = BadParameterError(exc.text(lang))
        err.field, err.choices = field, [_node(c, lang) for c in exc.choices]  # type: ignore[attr-defined]
        raise err from exc
    except NotFoundError as exc:
        err = BadParameterError(exc.text(current_lang()))
        err.field, err.choices = field, []  # type: ignore[attr-defined]
        raise err from exc


def path_page() -> dict[str, Any]:
    """The path finder's data from ``fran``, ``till`` and ``alla``.

    Raises:
        BadParameterError: one of them missing (or both, for JSON), unknown, ambiguous or
            the same; ``field`` and ``choices`` tell which and what might be meant.
    """
    lang = current_lang()
    source, target = text_param("fran", 2000), text_param("till", 2000)
    include_all = request.args.get("alla", "") in ("1", "on", "ja", "true")
    page: dict[str, Any] = {"query": {"fran": source, "till": target, "alla": include_all},
                            "result": None, "error": None}
    if not source and not target and not (wants_json() or request.path.endswith(".json")):
        return page
    if not source or not target:
        err = BadParameterError(t("path.missing"))
        err.field, err.choices = ("till" if source else "fran"), []  # type: ignore[attr-defined]
        raise err
    G = get_projection(get_store(), stale=True, wait=REQUEST_WAIT)
    a, b = _resolve(G, source, "fran"), _resolve(G, target, "till")
    if a == b:
        err = BadParameterError(t("path.same"))
        err.field, err.choices = "till", []  # type: ignore[attr-defined]
        raise err
    page["result"] = _decorate(find_paths(G, a, b, include_all=include_all), lang)
    return page


def _kept(name: str) -> str:
    """What the visitor typed, to show again in the form (cut to a sane length)."""
    raw = request.args.get(name, "")[:200]
    return " ".join("".join(c for c in raw if c.isprintable()).split())


@bp.get("/analys/vag")
@bp.get("/analys/vag.<ext>")
def path(ext: str | None = None) -> Response:
    """How two entities are connected: an answer in a sentence, the paths as a graph and
    step by step. A bad name keeps the form and says why, in the page's language."""
    try:
        page = path_page()
    except BadParameterError as exc:
        if negotiate(PAGE_OFFERS, ext) is not HTML:
            raise
        field = getattr(exc, "field", "")
        choices = [{**c, "pick": get_urls().current(**{field: c["iri"]})}
                   for c in getattr(exc, "choices", [])]
        page = {"query": {"fran": _kept("fran"), "till": _kept("till"),
                          "alla": request.args.get("alla", "") in ("1", "on", "ja", "true")},
                "result": None,
                "error": {"message": exc.text(current_lang()), "field": field, "choices": choices}}
        return respond(page, "analytics/path.html", offers=PAGE_OFFERS,
                       data_url=get_urls().current(), extension=ext, status=400)
    return respond(page, "analytics/path.html", offers=PAGE_OFFERS,
                   data_url=get_urls().current(), extension=ext)
