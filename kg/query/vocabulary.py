"""Value lists for forms: the concepts of each SKOS scheme and the source documents in the
graph, with their labels by language (read once per data version by the callers' cache)."""

from __future__ import annotations

from kg.store.base import Store

__all__ = ["LabelTable", "concepts_by_scheme", "documents"]

#: IRI → language → labels.
LabelTable = dict[str, dict[str, list[str]]]


def _add(table: LabelTable, iri: str, label: object) -> None:
    table.setdefault(iri, {}).setdefault(getattr(label, "language", None) or "", []).append(
        str(label))


def concepts_by_scheme(store: Store) -> dict[str, list[tuple[str, dict[str, list[str]]]]]:
    """Scheme IRI → [(concept IRI, labels by language)]."""
    rows = store.select("SELECT ?s ?c ?l WHERE { ?c skos:inScheme ?s ; skos:prefLabel ?l }").rows
    out: dict[str, LabelTable] = {}
    for s, c, label in rows:
        _add(out.setdefault(str(s), {}), str(c), label)
    return {s: list(cs.items()) for s, cs in out.items()}


def documents(store: Store) -> list[tuple[str, dict[str, list[str]]]]:
    """Every source document (``foaf:Document``) with its labels by language."""
    table: LabelTable = {}
    for d, label in store.select("SELECT ?d ?l WHERE { ?d a foaf:Document ; rdfs:label ?l }").rows:
        _add(table, str(d), label)
    return list(table.items())
