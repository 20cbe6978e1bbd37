"""The published changes as RDF, for review in git (``kg changes export``).

TriG (the default): per published changeset, its named graph with the triples it added and
its PROV description, and a second graph ``<graph/andring/ID/borttaget>`` with the triples
it removed (described as ``prov:invalidatedBy`` the changeset). Turtle: every added triple
and the PROV descriptions in one graph (removals are only in TriG).
"""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kg.edit.journal import Journal
from kg.edit.model import changeset_graph, changeset_iri
from kg.edit.service import changeset_delta
from kg.io.terms import to_ox
from kg.namespaces import PREFIXES, PROV

__all__ = ["export_changes"]


def export_changes(journal: Journal, base: str, fmt: str = "trig") -> bytes:
    """Serialise the published changes (``trig`` or ``turtle``)."""
    quads: list[ox.Quad] = []
    for cs in journal.published():
        delta = changeset_delta(cs, base)
        gone = URIRef(str(changeset_graph(cs.id, base)) + "/borttaget")
        for s, p, o, _g in delta.add:
            quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(changeset_graph(cs.id, base))))  # type: ignore[arg-type]
        if delta.remove:
            quads.append(ox.Quad(to_ox(gone), to_ox(PROV.invalidatedBy), to_ox(changeset_iri(cs.id, base)),  # type: ignore[arg-type]
                                 to_ox(gone)))  # type: ignore[arg-type]
        for s, p, o, _g in dict.fromkeys((s, p, o, None) for s, p, o, _g in delta.remove):
            quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), to_ox(gone)))  # type: ignore[arg-type]
    if fmt == "turtle":
        triples = list(dict.fromkeys(q.triple for q in quads if not str(q.graph_name.value).endswith("/borttaget")))  # type: ignore[union-attr]
        return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=PREFIXES) or b""
    if fmt != "trig":
        raise ValueError(f"unknown format {fmt!r}: trig or turtle")
    return ox.serialize(quads, format=ox.RdfFormat.TRIG, prefixes=PREFIXES) or b""


def write_atomically(path: Path, data: bytes) -> None:
    """Write a file whole or not at all."""
    import os

    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)
