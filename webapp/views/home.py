"""The home page: the search box, what the graph holds, and where to start."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from kg.cache import per_version
from kg.namespaces import PREFIXES
from kg.query.catalog import choice_options
from kg.query.stats import Stats, graph_stats
from webapp.i18n import current_lang
from webapp.negotiation import PAGE_OFFERS
from webapp.render import respond
from webapp.state import get_store
from webapp.urls import get_urls

__all__ = ["bp", "home_page"]

bp = Blueprint("home", __name__)

#: Class CURIE → the list page it links to.
_CLASS_PAGES = {
    "schema:Project": "/projekt",
    "kfv:Programme": "/sok?typ=program",
    "kfv:Plan": "/sok?typ=plan",
    "kfv:Decision": "/sok?typ=beslut",
    "schema:Report": "/sok?typ=rapport",
    "org:Organization": "/organisationer",
    "foaf:Person": "/personer",
    "skos:Concept": "/sok?typ=begrepp",
    "schema:Place": "/sok?typ=plats",
    "schema:NewsArticle": "/nyheter",
    "schema:Event": "/evenemang",
    "schema:MonetaryGrant": "/finansiering",
}


def _full(curie: str) -> str:
    prefix, local = curie.split(":", 1)
    return PREFIXES[prefix] + local


def home_page() -> dict[str, Any]:
    """The home page's data: counts per class, most connected entities, size."""
    store = get_store()
    # a new version's statistics are computed in the background (warm-up); the previous
    # version's answer meanwhile
    stats: Stats = per_version(store, "stats", lambda: graph_stats(store, top=10), stale=True)
    urls, en = get_urls(), current_lang() == "en"
    lang = current_lang()
    municipalities: list[tuple[str, str]] = per_version(
        store, f"choices:municipalities:{lang}",
        lambda: choice_options(store, "municipalities", lang))
    return {
        "jobs": {
            "municipalities": [{"value": iri.rsplit("/", 1)[-1], "label": label}
                               for iri, label in municipalities],
            "funding": "/finansiering",
            "eu": "/finansiering?eu=ja",
            "pack": "/underlag",
        },
        "triples": stats.triples,
        "graphs": len(stats.graphs),
        "classes": [
            {"class": _full(c), "curie": c, "label": en_label if en else sv_label, "count": n,
             "url": _CLASS_PAGES.get(c)}
            for c, sv_label, en_label, n in stats.by_class
        ],
        "most_connected": [
            {"iri": iri, "label": label, "links": n, "url": urls.entity(iri)}
            for iri, label, n in stats.most_connected
        ],
    }


@bp.get("/")
@bp.get("/index.<ext>")
def home(ext: str | None = None) -> Response:
    """Home page (HTML, or JSON via ``/index.json`` or ``Accept``)."""
    return respond(home_page(), "home/index.html", offers=PAGE_OFFERS, data_url="/index",
                   extension=ext)
