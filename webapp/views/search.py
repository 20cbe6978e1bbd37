"""Search and the type-ahead API. (The lists of projects, organisations and people are tables:
:mod:`webapp.views.tables`.)"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, jsonify

from kg.query.fresh import find_fresh
from kg.query.search import KINDS, TEXT_TIER, Hit, LabelIndex, SearchResult, index_for
from webapp.i18n import current_lang, t
from webapp.negotiation import PAGE_OFFERS
from webapp.params import choice_param, page_param, text_param, year_param
from webapp.render import respond
from webapp.state import get_settings, get_store
from webapp.urls import get_urls

__all__ = ["bp", "search_page"]

bp = Blueprint("search", __name__)

PER_GROUP = 8
PER_PAGE = 50
SUGGEST = 10


def _theme_ns() -> str:
    return get_settings().base_iri + "def/tema/"


def _hit(hit: Hit, lang: str) -> dict[str, Any]:
    label = hit.label(lang)
    return {
        "iri": hit.iri,
        "url": get_urls().entity(hit.iri),
        "label": label,
        "label_lang": "" if hit.entry.label_lang(lang) in ("", lang) else hit.entry.label_lang(lang),
        "kind": hit.kind,
        "kind_label": t(f"kind.{hit.kind}"),
        "matched": hit.matched if hit.matched and hit.matched != label else "",
        "in_text": hit.tier >= TEXT_TIER,
        "snippet": [] if "".join(p["text"] for p in hit.snippet) == label else list(hit.snippet),
        "snippet_lang": hit.snippet_lang,
    }


def _themes(index: LabelIndex, lang: str) -> list[dict[str, str]]:
    ns = _theme_ns()
    out = []
    for iri in index.themes:
        if iri.startswith(ns):
            entry = index.get(iri)
            out.append({"slug": iri[len(ns):], "label": entry.label(lang) if entry else iri})
    return sorted(out, key=lambda d: d["label"].casefold())


def _groups(result: SearchResult, kind: str, page: int, lang: str,
            filters: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The result groups to show, and the number of pages (one group when a kind is
    chosen, paginated; else every kind with its best few and a link to the rest)."""
    urls = get_urls()
    if kind:
        hits = result.page((page - 1) * PER_PAGE, page * PER_PAGE)
        pages = max(1, -(-len(result) // PER_PAGE))
        return [{"kind": kind, "label": t(f"kinds.{kind}"), "count": len(result),
                 "hits": [_hit(h, lang) for h in hits], "more_url": None}], pages
    groups = []
    for k, hits in result.grouped(PER_GROUP):
        count = result.by_kind[k]
        more = urls.search(filters["q"], typ=k, tema=filters["tema"], ar=filters["ar"]) \
            if count > len(hits) else None
        groups.append({"kind": k, "label": t(f"kinds.{k}"), "count": count,
                       "hits": [_hit(h, lang) for h in hits], "more_url": more})
    return groups, 1


def search_page(fixed_kind: str = "") -> dict[str, Any]:
    """The search page's data from the request's parameters (q, typ, tema, ar, sida).

    Raises:
        BadParameterError: a parameter has a value we cannot use.
    """
    index = index_for(get_store())
    lang = current_lang()
    q = text_param("q")
    kind = fixed_kind or choice_param("typ", KINDS)
    themes = _themes(index, lang)
    theme = choice_param("tema", {th["slug"] for th in themes})
    year = year_param("ar")
    page = page_param()
    kinds, in_theme = [kind] if kind else None, _theme_ns() + theme if theme else None
    result = find_fresh(get_store(), index,
                        index.find(q, kinds=kinds, theme=in_theme, year=year, lang=lang), q,
                        kinds=kinds, theme=in_theme, year=year, lang=lang)
    filters = {"q": q, "tema": theme or None, "ar": year}
    groups, pages = _groups(result, kind, page, lang, filters)
    return {
        "query": q,
        "filters": {"typ": kind, "tema": theme, "ar": year},
        "fixed_kind": fixed_kind,
        "total": len(result),
        "truncated": result.truncated,
        "by_kind": [{"kind": k, "label": t(f"kinds.{k}"), "count": result.by_kind[k]}
                    for k in KINDS if result.by_kind[k]],
        "groups": groups,
        "page": page,
        "pages": pages,
        "themes": themes,
        "years": [y for y in index.years if 1990 <= y <= 2100],
    }


@bp.get("/sok")
@bp.get("/sok.<ext>")
def search(ext: str | None = None) -> Response:
    """Search results grouped by type, with filters (HTML, or JSON via ``/sok.json``)."""
    return respond(search_page(), "search/results.html", offers=PAGE_OFFERS,
                   data_url=get_urls().current(), extension=ext)


@bp.get("/api/sok")
def suggest() -> Response:
    """Type-ahead: the best hits for ``q`` as JSON ``{query, hits: [...]}``."""
    index = index_for(get_store())
    lang = current_lang()
    q = text_param("q")
    kind = choice_param("typ", KINDS)
    kinds = [kind] if kind else None
    hits = find_fresh(get_store(), index, index.find(q, kinds=kinds), q,
                      kinds=kinds).page(0, SUGGEST) if q else []
    response = jsonify({"query": q, "hits": [_hit(h, lang) for h in hits]})
    response.headers["Cache-Control"] = "public, max-age=60"
    response.headers["X-Content-Type-Options"] = "nosniff"
    return response
