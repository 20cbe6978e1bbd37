"""The ontology documented: every class, property and concept scheme, with sv/en texts.

One query reads the terms of ``ontology/kfv.ttl`` and ``ontology/vocabularies.ttl`` (by
their types, so reused standard terms documented there are included); the result is cached
per data version and shaped into a dict for the ontology page.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from kg.cache import per_version
from kg.io.sparqltext import iri_text
from kg.namespaces import OWL, PREFIXES, RDF, RDFS, SKOS, curie, graph_iri
from kg.query.labels import local_name, pick_label
from kg.store.base import GraphResult, Store

__all__ = ["CLASS_TYPES", "PROPERTY_TYPES", "curie", "graphs_union", "ontology_doc",
           "ontology_graph_iri"]

CLASS_TYPES = (str(OWL.Class), str(RDFS.Class))
PROPERTY_TYPES = (str(OWL.ObjectProperty), str(OWL.DatatypeProperty),
                  str(OWL.AnnotationProperty), str(RDF.Property))
_ALL_TYPES = (*CLASS_TYPES, *PROPERTY_TYPES, str(SKOS.ConceptScheme), str(SKOS.Concept),
              str(OWL.Ontology))

_QUERY = """
SELECT ?t ?k ?v WHERE {{
  VALUES ?type {{ {} }}
  ?t a ?type .
  {{ ?t a ?v BIND("type" AS ?k) }}
  UNION {{ ?t rdfs:label|skos:prefLabel|dcterms:title ?v BIND("label" AS ?k) }}
  UNION {{ ?t skos:definition|dcterms:description ?v BIND("definition" AS ?k) }}
  UNION {{ ?t rdfs:comment ?v BIND("comment" AS ?k) }}
  UNION {{ ?t rdfs:subClassOf ?v BIND("sub" AS ?k) }}
  UNION {{ ?t rdfs:subPropertyOf ?v BIND("subprop" AS ?k) }}
  UNION {{ ?t rdfs:domain ?v BIND("domain" AS ?k) }}
  UNION {{ ?t rdfs:range ?v BIND("range" AS ?k) }}
  UNION {{ ?t skos:inScheme ?v BIND("scheme" AS ?k) }}
  UNION {{ ?t skos:broader ?v BIND("broader" AS ?k) }}
  UNION {{ ?t skos:topConceptOf ?v BIND("top" AS ?k) }}
  UNION {{ ?t skos:notation ?v BIND("notation" AS ?k) }}
  UNION {{ ?t owl:versionInfo ?v BIND("version" AS ?k) }}
}}
""".format(" ".join(f"<{t}>" for t in _ALL_TYPES))


def ontology_graph_iri(base_iri: str) -> str:
    """The named graph the ontology file is loaded into."""
    return graph_iri("kfv", base_iri)


@dataclass
class Term:
    """What the ontology files say about one term."""

    iri: str
    types: set[str] = field(default_factory=set)
    texts: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(dict))
    links: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))


def _terms(store: Store) -> dict[str, Term]:
    terms: dict[str, Term] = {}
    for t, k, v in store.select(_QUERY).rows:
        if not isinstance(t, URIRef):
            continue
        term = terms.setdefault(str(t), Term(str(t)))
        key = str(k)
        if key == "type":
            term.types.add(str(v))
        elif isinstance(v, Literal):
            texts = term.texts[key].setdefault(v.language or "", [])
            if str(v) not in texts:
                texts.append(str(v))
        elif isinstance(v, URIRef) and str(v) not in term.links[key]:
            term.links[key].append(str(v))
    return terms


def _text(term: Term, key: str, lang: str) -> str:
    texts = term.texts.get(key, {})
    return pick_label({lang: texts.get(lang, [])}, lang) if texts.get(lang) else ""


def _ref(iri: str, terms: dict[str, Term], lang: str) -> dict[str, str]:
    term = terms.get(iri)
    label = pick_label(term.texts.get("label", {}), lang, iri) if term else local_name(iri)
    return {"iri": iri, "curie": curie(iri), "label": label}


def _doc(term: Term, terms: dict[str, Term], lang: str) -> dict[str, Any]:
    links = {k: [_ref(v, terms, lang) for v in vs] for k, vs in term.links.items()}
    return {
        "iri": term.iri,
        "curie": curie(term.iri),
        "label": pick_label(term.texts.get("label", {}), lang, term.iri),
        "label_sv": _text(term, "label", "sv"),
        "label_en": _text(term, "label", "en"),
        "definition_sv": _text(term, "definition", "sv") or _text(term, "comment", "sv"),
        "definition_en": _text(term, "definition", "en") or _text(term, "comment", "en"),
        "comment_sv": _text(term, "comment", "sv") if term.texts.get("definition") else "",
        "comment_en": _text(term, "comment", "en") if term.texts.get("definition") else "",
        "notation": _text(term, "notation", "") or None,
        "types": [_ref(t, terms, lang) for t in sorted(term.types)],
        "subclass_of": links.get("sub", []),
        "subproperty_of": links.get("subprop", []),
        "domain": links.get("domain", []),
        "range": links.get("range", []),
        "broader": links.get("broader", []),
    }


def _sorted(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    own = PREFIXES["kfv"]
    return sorted(docs, key=lambda d: (not d["iri"].startswith(own), d["curie"].casefold()))


def ontology_doc(store: Store, base_iri: str, lang: str = "sv") -> dict[str, Any]:
    """The ontology page's data: the ontology, its classes, properties and schemes."""
    terms = per_version(store, "ontology_terms", lambda: _terms(store))
    classes: list[dict[str, Any]] = []
    props: list[dict[str, Any]] = []
    schemes: list[dict[str, Any]] = []
    concepts: dict[str, list[dict[str, Any]]] = defaultdict(list)
    onto: dict[str, Any] | None = None
    for term in terms.values():
        doc = _doc(term, terms, lang)
        if str(OWL.Ontology) in term.types:
            onto = doc | {"version": _text(term, "version", "")}
        if term.types & set(CLASS_TYPES):
            classes.append(doc)
        if term.types & set(PROPERTY_TYPES):
            props.append(doc)
        if str(SKOS.ConceptScheme) in term.types:
            schemes.append(doc)
        if str(SKOS.Concept) in term.types:
            for scheme in term.links.get("scheme", []):
                concepts[scheme].append(doc)
    for doc in schemes:
        doc["concepts"] = sorted(concepts.get(doc["iri"], []),
                                 key=lambda d: str(d["label"]).casefold())
    schemes.sort(key=lambda d: d["label"].casefold())
    return {
        "iri": f"{base_iri}def/kfv",
        "ontology": onto,
        "classes": _sorted(classes),
        "properties": _sorted(props),
        "schemes": schemes,
    }


def graphs_union(store: Store, graph_iris: Sequence[str]) -> GraphResult:
    """The triples of some named graphs (the ontology and vocabularies, for download)."""
    values = " ".join(iri_text(g) for g in graph_iris)
    return store.construct(
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?g {{ {values} }} GRAPH ?g {{ ?s ?p ?o }} }}")
