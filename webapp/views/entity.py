"""Entity pages: ``/id/...`` and ``/def/...`` serve the entity whose IRI is base + path.

HTML for people, the page dict as JSON, and the RDF description in Turtle, JSON-LD,
N-Triples or RDF/XML, chosen by suffix (``.ttl``) or ``Accept``; the reply varies on Accept.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response

from kg.io.formats import RdfFormatInfo
from kg.io.results import serialize_result
from kg.query.entity import describe, describe_graph
from webapp.charts import columns
from webapp.i18n import current_lang
from webapp.negotiation import ENTITY_OFFERS, HTML, negotiate, split_suffix
from webapp.params import page_param
from webapp.render import respond
from webapp.state import get_store
from webapp.urls import get_urls
from webapp.views.profile import add_profile

__all__ = ["bp", "entity_response"]

bp = Blueprint("entity", __name__)


def entity_response(root: str, path: str) -> Response:
    """The reply for the entity at ``<base><root>/<path>`` (``path`` may carry a suffix)."""
    stem, ext = split_suffix(path)
    urls = get_urls()
    iri = urls.iri_for_path(f"{root}/{stem}")
    page = page_param()
    store = get_store()

    def page_data() -> dict[str, Any]:
        data = describe(store, iri, current_lang(), page)
        graph_url = urls.graph(iri)
        data["graph_url"] = graph_url if urls.exists(graph_url) else None
        html = negotiate(ENTITY_OFFERS, ext) is HTML
        return add_profile(data, store, current_lang(), html=html)

    def rdf(fmt: RdfFormatInfo) -> bytes:
        return serialize_result(describe_graph(store, iri), fmt)

    return respond(page_data, "entity/page.html", offers=ENTITY_OFFERS,
                   data_url=urls.entity(iri), extension=ext, rdf=rdf)


@bp.app_template_global("profile_timeline")
def profile_timeline(timeline: dict[str, Any]) -> dict[str, Any]:
    """The geometry of a profile's timeline chart (projects per year)."""
    rows = [{"label": str(r["year"]), "value": r["count"]} for r in timeline["years"]]
    return columns(rows, fmt=lambda v: str(int(v)), width=min(640, 60 * max(len(rows), 1)),
                   height=160)


@bp.get("/id/<path:path>")
def resource(path: str) -> Response:
    """A project, organisation, person, relation node, place, news item or source."""
    return entity_response("id", path)


@bp.get("/def/<path:path>")
def definition(path: str) -> Response:
    """A concept, concept scheme or ontology term."""
    return entity_response("def", path)
