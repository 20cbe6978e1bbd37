"""The analytics page and the path finder, each with a JSON twin.

Routes:
    ``/analys`` (``.json``): most connected organisations, brokers, communities, the
    municipality collaboration matrix, funding per funder and per year (computed once per
    data version by :func:`kg.analytics.cache.get_analytics`).
    ``/analys/vag`` (``.json``): shortest chains between ``fran`` and ``till`` (IRIs, or
    exact names); without both it shows the empty form (HTML) or answers 400 (JSON).
"""

from __future__ import annotations

import logging
from typing import Any

from flask import Blueprint, Response, request

from kg.analytics.cache import get_analytics, get_projection
from kg.analytics.paths import find_paths
from kg.cache import per_version
from kg.errors import NotFoundError
from kg.export.network import KIND_LABELS
from webapp.charts import columns, hbars
from webapp.formatting import amount
from webapp.i18n import current_lang, t
from webapp.negotiation import PAGE_OFFERS, wants_json
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


def _linked(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{**r, "url": safe_link(r["iri"])} for r in rows]


def _name(row: dict[str, Any], lang: str) -> str:
    return str(row["label_en"] if lang == "en" else row["label_sv"])


def analytics_page() -> dict[str, Any]:
    """The analytics of the served store, with page links added (JSON-ready)."""
    data = get_analytics(get_store(), get_settings())
    lang = current_lang()
    funding = data["funding"]
    matrix = data["matrix"]
    return {
        **data,
        "lang": lang,
        "most_connected": _linked(data["most_connected"]),
        "brokers": {**data["brokers"], "rows": _linked(data["brokers"]["rows"])},
        "communities": [
            {**c, "members": _linked(c["members"]), "projects": _linked(c["projects"])}
            for c in data["communities"]
        ],
        "matrix": {**matrix, "municipalities": _linked(matrix["municipalities"])},
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
    """Network measures over the whole graph (HTML, or JSON via ``/analys.json``). The
    numbers change only with the data, so each reply (per language and representation) is
    rendered once per data version (kg.cache)."""
    def render() -> tuple[bytes, int, list[tuple[str, str]]]:
        response = respond(analytics_page, "analytics/index.html", offers=PAGE_OFFERS,
                           data_url=get_urls().current(), extension=ext)
        return response.get_data(), response.status_code, list(response.headers.items())

    params = [current_lang(), ext or "", request.headers.get("Accept", ""), request.full_path]
    body, status, headers = per_version(get_store(), "analytics-reply", render, params=params)
    return Response(body, status=status, headers=headers)


def _relation_text(rel: dict[str, Any], lang: str) -> str:
    roles = [r["label_en"] if lang == "en" else r["label_sv"] for r in rel["roles"]]
    return ", ".join(roles) if roles else KIND_LABELS[rel["kind"]][lang]


def _decorate(result: dict[str, Any], lang: str) -> dict[str, Any]:
    """Add page links, labels in ``lang`` and readable relation texts to a path result."""
    def node(n: dict[str, Any]) -> dict[str, Any]:
        return {**n, "url": safe_link(n["iri"]), "label": _name(n, lang)}

    paths = []
    for p in result["paths"]:
        links = [[{**rel, "text": _relation_text(rel, lang)} for rel in step]
                 for step in p["links"]]
        paths.append({"nodes": [node(n) for n in p["nodes"]], "links": links})
    return {**result, "from": node(result["from"]), "to": node(result["to"]), "paths": paths}


def path_page() -> dict[str, Any]:
    """The path finder's data from ``fran`` and ``till``.

    Raises:
        BadParameterError: one of them missing (or both, for JSON), unknown, or the same.
    """
    lang = current_lang()
    source, target = text_param("fran", 2000), text_param("till", 2000)
    page: dict[str, Any] = {"query": {"fran": source, "till": target}, "result": None}
    if not source and not target and not (wants_json() or request.path.endswith(".json")):
        return page
    if not source or not target:
        raise BadParameterError(t("path.missing"))
    G = get_projection(get_store())
    try:
        result = find_paths(G, source, target)
    except NotFoundError as exc:
        raise BadParameterError(str(exc)) from exc
    if result["from"]["iri"] == result["to"]["iri"]:
        raise BadParameterError(t("path.same"))
    page["result"] = _decorate(result, lang)
    return page


@bp.get("/analys/vag")
@bp.get("/analys/vag.<ext>")
def path(ext: str | None = None) -> Response:
    """How two entities are connected: the shortest chains of projects and roles."""
    return respond(path_page(), "analytics/path.html", offers=PAGE_OFFERS,
                   data_url=get_urls().current(), extension=ext)
