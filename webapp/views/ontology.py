"""The ontology page: every class, property and concept scheme, with an anchor per term.

``/ontologi`` documents ``ontology/kfv.ttl`` and ``ontology/vocabularies.ttl``; the
ontology's own IRI, ``/def/kfv``, dereferences to the same page (or to the ontology in
Turtle, JSON-LD, N-Triples or RDF/XML).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from flask import Blueprint, Response

from kg.io.formats import RdfFormatInfo
from kg.io.results import serialize_result
from kg.query.ontology import graphs_union, ontology_doc, ontology_graph_iri
from webapp.i18n import current_lang
from webapp.negotiation import ENTITY_OFFERS
from webapp.render import respond
from webapp.state import get_settings, get_store

__all__ = ["bp"]

bp = Blueprint("ontology", __name__)


def _rdf_of(graph_iris: Sequence[str]) -> Callable[[RdfFormatInfo], bytes]:
    """The RDF body maker for the union of some named graphs."""

    def rdf(fmt: RdfFormatInfo) -> bytes:
        return serialize_result(graphs_union(get_store(), graph_iris), fmt)

    return rdf


def _page(graph_stems: Sequence[str], data_url: str, ext: str | None) -> Response:
    settings = get_settings()
    graphs = [ontology_graph_iri(settings.base_iri)] + [
        f"{settings.base_iri}graph/{stem}" for stem in graph_stems
    ]
    return respond(lambda: ontology_doc(get_store(), settings.base_iri, current_lang()),
                   "ontology/index.html", offers=ENTITY_OFFERS, data_url=data_url,
                   extension=ext, rdf=_rdf_of(graphs))


@bp.get("/ontologi")
@bp.get("/ontologi.<ext>")
def ontology(ext: str | None = None) -> Response:
    """The ontology and the controlled vocabularies, documented."""
    return _page(["vocabularies"], "/ontologi", ext)


@bp.get("/def/kfv")
@bp.get("/def/kfv.<ext>")
def ontology_iri(ext: str | None = None) -> Response:
    """The ontology's IRI: the same page, or the ontology alone as RDF."""
    return _page([], "/def/kfv", ext)
