"""The VoID/DCAT description of the dataset: the curated dataset node plus live counts.

The dataset node, its distributions and links come from ``data/kallor.ttl``; the counts
(``void:triples``, ``void:entities``, a ``void:classPartition`` per class) are computed from
the store, once per data version (see :func:`kg.cache.per_version`).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Graph, Literal, URIRef

from kg.cache import per_version
from kg.namespaces import PREFIXES, RDF, VOID, XSD
from kg.store.base import Store

__all__ = ["DatasetCounts", "dataset_counts", "dataset_iri", "void_graph"]


def dataset_iri(base_iri: str) -> str:
    """The IRI of the dataset node.

    >>> dataset_iri("https://data.kfvn.se/")
    'https://data.kfvn.se/dataset'
    """
    return base_iri + "dataset"


@dataclass
class DatasetCounts:
    """Live statistics of the graph."""

    triples: int = 0
    entities: int = 0
    classes: list[tuple[str, int]] = field(default_factory=list)
    properties: int = 0
    graphs: int = 0


def _int(term: object) -> int:
    return int(str(term)) if term is not None else 0


def _counts(store: Store) -> DatasetCounts:
    triples = store.select(
        "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE { ?s ?p ?o } }").rows
    entities = store.select(
        "SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c FILTER(isIRI(?s)) }").rows
    props = store.select("SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE { ?s ?p ?o }").rows
    classes = store.select(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c ORDER BY DESC(?n) ?c"
    ).rows
    return DatasetCounts(
        triples=_int(triples[0][0]) if triples else 0,
        entities=_int(entities[0][0]) if entities else 0,
        classes=[(str(c), _int(n)) for c, n in classes if isinstance(c, URIRef)],
        properties=_int(props[0][0]) if props else 0,
        graphs=len(store.graphs()),
    )


def dataset_counts(store: Store) -> DatasetCounts:
    """The counts for the store's current data version (computed once, then cached)."""
    return per_version(store, "void_counts", lambda: _counts(store))


def _partition_iri(dataset: str, cls: str) -> URIRef:
    name = cls
    for prefix, ns in PREFIXES.items():
        if cls.startswith(ns):
            name = f"{prefix}-{cls[len(ns):]}"
            break
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in name)
    return URIRef(f"{dataset}#class-{safe}")


def void_graph(store: Store, base_iri: str) -> Graph:
    """The dataset node with its distributions, plus the live VoID statistics."""
    ds = dataset_iri(base_iri)
    curated = store.construct(
        f"""CONSTRUCT {{ ?s ?p ?o }} WHERE {{
              {{ BIND(<{ds}> AS ?s) ?s ?p ?o }}
              UNION {{ <{ds}> dcat:distribution ?s . ?s ?p ?o }}
            }}"""
    )
    g = curated.to_graph()
    node = URIRef(ds)
    counts = dataset_counts(store)
    g.add((node, RDF.type, VOID.Dataset))
    g.add((node, VOID.triples, Literal(counts.triples, datatype=XSD.integer)))
    g.add((node, VOID.entities, Literal(counts.entities, datatype=XSD.integer)))
    g.add((node, VOID.properties, Literal(counts.properties, datatype=XSD.integer)))
    g.add((node, VOID.classes, Literal(len(counts.classes), datatype=XSD.integer)))
    for cls, n in counts.classes:
        part = _partition_iri(ds, cls)
        g.add((node, VOID.classPartition, part))
        g.add((part, VOID["class"], URIRef(cls)))
        g.add((part, VOID.entities, Literal(n, datatype=XSD.integer)))
    return g
