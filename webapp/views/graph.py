"""Graph views: an entity's neighbourhood (fragment, JSON, full page) and the explorer.

Routes:
    ``/graf`` (``.json``): the whole-graph explorer with filters ``typ`` (repeatable:
    ``projekt``, ``organisation``, ``person``, ``tema``), ``tema`` (theme slug), ``ar``
    (year), ``kommun`` (municipality slug); with ``iri`` (and ``hopp``) it shows that
    entity's neighbourhood as a full page instead.
    ``/graf/granne`` (``.json``): the neighbourhood of ``iri``, ``hopp`` 1 or 2, as an
    embeddable HTML fragment or JSON nodes and edges.
    ``/graf/vendor/<file>``: vis-network's JS and CSS from the installed pyvis package.

Templates may call ``neighbourhood_graph(iri, hops=1)`` (a Jinja global) and include
``graph/_neighbourhood.html``; see that file.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

import pyvis
from flask import Blueprint, Response, abort, request, send_from_directory

from kg.analytics.cache import get_projection
from kg.errors import KgError, NotFoundError
from kg.export.network import GraphFilter, explorer, explorer_choices, neighbourhood
from webapp.i18n import current_lang
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
    return url if url.startswith(("/", "http://", "https://")) else "#"


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


def neighbourhood_graph(iri: str, hops: int = 1) -> dict[str, Any] | None:
    """The neighbourhood data of an entity for templates; None when it has none.

    Never raises for a missing entity or a store problem: an entity page must still show.
    """
    try:
        data = neighbourhood(get_store(), iri, hops, lang=current_lang(), link=safe_link,
                             settings=get_settings())
    except NotFoundError:
        return None
    except KgError:
        log.warning("no neighbourhood graph for %s", iri, exc_info=True)
        return None
    data["src"] = "/graf/granne.json"
    data["full_url"] = "/graf?" + _query({"iri": iri, "hopp": hops})
    return data


def _query(params: dict[str, Any]) -> str:
    from urllib.parse import urlencode

    return urlencode(params)


def _neighbourhood_page() -> dict[str, Any]:
    iri, hops = _iri_param(), _hops()
    try:
        data = neighbourhood(get_store(), iri, hops, lang=current_lang(), link=safe_link,
                             settings=get_settings())
    except NotFoundError as exc:
        raise NotFoundError.of("error.not_in_graph", iri=iri) from exc
    data["src"] = "/graf/granne.json"
    data["full_url"] = "/graf?" + _query({"iri": iri, "hopp": hops})
    data["entity_url"] = safe_link(iri)
    return data


@bp.app_template_global("neighbourhood_graph")
def _neighbourhood_global(iri: str, hops: int = 1) -> dict[str, Any] | None:
    return neighbourhood_graph(iri, hops)


@bp.get("/graf/granne")
@bp.get("/graf/granne.<ext>")
def neighbourhood_view(ext: str | None = None) -> Response:
    """The neighbourhood of ``iri`` (``hopp`` 1 or 2): an HTML fragment, or JSON."""
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
    return data


@bp.get("/graf")
@bp.get("/graf.<ext>")
def explorer_view(ext: str | None = None) -> Response:
    """The whole-graph explorer, or with ``iri`` the neighbourhood of one entity."""
    if "iri" in request.args:
        return respond(_neighbourhood_page(), "graph/neighbourhood.html", offers=PAGE_OFFERS,
                       data_url=get_urls().current(), extension=ext)
    return respond(_explorer_page(), "graph/explorer.html", offers=PAGE_OFFERS,
                   data_url=get_urls().current(), extension=ext)


@bp.get("/graf/vendor/<name>")
def vendor(name: str) -> Response:
    """vis-network's files, served from the pyvis package (no CDN)."""
    if name not in VENDOR_FILES:
        abort(404)
    return send_from_directory(VENDOR_DIR, name, max_age=7 * 24 * 3600)
