"""One entity as one plain dict: every fact out and in, its qualified relations, sources.

:func:`describe` reads one page of an entity (:mod:`kg.query.entity.fetch`: its own
triples and how many links come in per property, one page of those links with the
qualified-relation nodes among them — participations, fundings, posts, memberships,
results — and the labels and types of every IRI mentioned); an organisation's co-partners
come from a per-version :class:`CopartnerIndex`. :mod:`kg.query.entity.shape` turns the
rows into the dict, which is plain JSON: the web app renders it as HTML or sends it as the
JSON twin; :mod:`kg.query.relations` turns the relation nodes into sections.
:func:`describe_graph` gives the RDF description (a CONSTRUCT) for the data twins.
"""

from __future__ import annotations

from typing import Any

from rdflib import URIRef

from kg.errors import NotFoundError
from kg.i18n import DEFAULT_LANG, translate
from kg.io.terms import is_iri
from kg.namespaces import FOAF, RDF, RDFS, SCHEMA, SKOS
from kg.query.entity.copartners import COPARTNERS, CopartnerIndex, copartner_index
from kg.query.entity.fetch import (
    PER_PAGE,
    REL_IN,
    REL_TYPE_LIST,
    RELATION_TYPES,
    Node,
    Raw,
    dated,
    fetch,
    labels,
    mentioned,
)
from kg.query.entity.shape import (
    DESCRIPTION_PROPS,
    KEY_PROPS,
    LABEL_PROPS,
    ORDER,
    Context,
    grouped,
    news,
    term_dict,
    texts,
)
from kg.query.entity.sources import graph_sources
from kg.query.labels import pick_label, pick_label_lang
from kg.query.search import index_for, kind_of
from kg.store.base import GraphResult, Store

__all__ = [
    "COPARTNERS",
    "PER_PAGE",
    "RELATION_TYPES",
    "Context",
    "CopartnerIndex",
    "Node",
    "Raw",
    "UnknownEntityError",
    "check_iri",
    "copartner_index",
    "describe",
    "describe_graph",
    "graph_sources",
    "term_dict",
]


class UnknownEntityError(NotFoundError):
    """No triple mentions this IRI."""

    def __init__(self, iri: str) -> None:
        self.iri = iri
        super().__init__(translate("error.unknown_entity", DEFAULT_LANG, iri=iri))
        self.key, self.params = "error.unknown_entity", {"iri": iri}


def check_iri(iri: str) -> str:
    """The IRI, if it is safe to put between ``<>`` in a query.

    >>> check_iri("https://data.kfvn.se/id/projekt/teo")
    'https://data.kfvn.se/id/projekt/teo'

    Raises:
        UnknownEntityError: not a well-formed absolute IRI (so it cannot be in the graph).
    """
    if len(iri) > 2000 or not is_iri(iri):
        raise UnknownEntityError(iri)
    return iri


def describe(store: Store, iri: str, lang: str = "sv", page: int = 1) -> dict[str, Any]:
    """Everything about one entity, as one JSON-ready dict.

    Args:
        store: the graph.
        iri: the entity.
        lang: the language labels are chosen in (fallback sv → en → any → local name).
        page: which page of links in (and relation nodes) to include; hubs have many:
            :data:`PER_PAGE` per property and page, ``link_counts`` says how many in all.

    Raises:
        UnknownEntityError: no triple mentions the IRI (or it is not a valid IRI).
    """
    from kg.query.relations import relation_sections

    check_iri(iri)
    raw = fetch(store, iri, page)
    if not (raw.out or raw.link_counts or raw.copartners):
        raise UnknownEntityError(iri)
    index = index_for(store)
    named = mentioned(iri, raw)
    ctx = Context(labels(store, named, dated(raw), index), graph_sources(store), lang, index)
    facts = grouped(raw.out, ctx, raw.blank)
    names = texts(facts, LABEL_PROPS)
    descriptions = texts(facts, DESCRIPTION_PROPS)
    types = sorted(str(o) for p, o, _ in raw.out if p == RDF.type)
    key = {str(p) for p in KEY_PROPS}
    page_dict: dict[str, Any] = {
        "iri": iri,
        "label": pick_label(names, lang, iri) if names else ctx.label(iri),
        "label_lang": pick_label_lang(names, lang, iri)[1] if names else ctx.label_lang(iri),
        "labels": names,
        "alt_labels": texts(facts, [SKOS.altLabel]),
        "kind": kind_of(types),
        "types": [ctx.term(URIRef(t)) for t in types],
        "description": pick_label(descriptions, lang) if descriptions else "",
        "description_lang": pick_label_lang(descriptions, lang)[1] if descriptions else "",
        "descriptions": descriptions,
        "key_facts": sorted((f for f in facts if f["property"] in key),
                            key=lambda f: ORDER[f["property"]]),
        "facts": facts,
        "incoming": grouped(raw.incoming, ctx),
        "link_counts": sorted(
            ({"property": p, "label": ctx.label(p), "count": n}
             for p, n in raw.link_counts.items()),
            key=lambda c: (-c["count"], c["label"].casefold())),
        "page": page,
        "pages": raw.pages,
        "per_page": PER_PAGE,
        "has_more": raw.more_in or raw.more_rel,
    }
    page_dict.update(relation_sections(iri, raw, ctx))
    page_dict["news"] = news(raw, ctx)
    page_dict["sources"] = sorted(ctx.used_sources.values(), key=lambda s: s["label"].casefold())
    return page_dict


def describe_graph(store: Store, iri: str) -> GraphResult:
    """The RDF description of an entity: its own triples, the qualified-relation nodes
    around it, blank nodes it points to, and the labels of everything they point to.

    Raises:
        UnknownEntityError: not a valid IRI, or nothing is said about it.
    """
    check_iri(iri)
    result = store.construct(f"""
CONSTRUCT {{ <{iri}> ?p ?o . ?n ?np ?no . ?x ?lp ?xl . }} WHERE {{
  {{ <{iri}> ?p ?o }}
  UNION {{ {{ SELECT ?n WHERE {{ <{iri}> ?q ?n FILTER(isBlank(?n)) }} }} ?n ?np ?no }}
  UNION {{ {{ ?n {REL_IN} <{iri}> }} UNION {{ <{iri}> kfv:hasResult ?n }}
           ?n a ?t . FILTER(?t IN ({REL_TYPE_LIST})) ?n ?np ?no }}
  UNION {{ <{iri}> ?q ?x . FILTER(isIRI(?x)) ?x ?lp ?xl . FILTER(?lp IN ({_label_list()})) }}
  UNION {{ {{ ?n {REL_IN} <{iri}> }} UNION {{ <{iri}> kfv:hasResult ?n }}
           ?n a ?t . FILTER(?t IN ({REL_TYPE_LIST})) ?n ?q ?x . FILTER(isIRI(?x))
           ?x ?lp ?xl . FILTER(?lp IN ({_label_list()})) }}
}}""")
    if not result.triples:
        raise UnknownEntityError(iri)
    return result


def _label_list() -> str:
    return ", ".join(f"<{p}>" for p in (RDFS.label, SKOS.prefLabel, FOAF.name, SCHEMA.headline))
