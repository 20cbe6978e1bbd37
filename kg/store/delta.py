"""A change to the graph: quads to remove and quads to add, applied together or not at all.

Every write goes through one verb, :meth:`kg.store.base.Store.apply`, with a :class:`Delta`:
a rebuild, a loaded file, a published edit and its revert are all deltas. A quad in a named
graph also maintains the merged default graph that queries read: an added triple joins the
default graph, and a removed one leaves it only when no named graph states it any more. A
quad without a graph (``None``) changes the default graph alone.

Blank nodes are refused: a delta must name what it changes, and SPARQL's ``DELETE DATA``
cannot name a blank node.

>>> from rdflib import Literal, URIRef
>>> g = URIRef("https://data.kfvn.se/graph/x")
>>> d = Delta(add=[(URIRef("http://x/a"), URIRef("http://x/p"), Literal("ny"), g)])
>>> print(d.update_text())
INSERT DATA { GRAPH <https://data.kfvn.se/graph/x> {
<http://x/a> <http://x/p> "ny" .
} } ;
INSERT DATA { <http://x/a> <http://x/p> "ny" . }
>>> Delta().is_empty()
True
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from rdflib import BNode, URIRef

from kg.errors import StoreError
from kg.io.sparqltext import iri_text, literal_text, term_text
from kg.io.terms import Quad

__all__ = ["Delta", "next_version"]


@dataclass(frozen=True)
class Delta:
    """Quads to remove and to add (removals first, so "remove X, add X" keeps X)."""

    remove: Sequence[Quad] = field(default_factory=tuple)
    add: Sequence[Quad] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        object.__setattr__(self, "remove", tuple(dict.fromkeys(self.remove)))
        object.__setattr__(self, "add", tuple(dict.fromkeys(self.add)))
        for quad in (*self.remove, *self.add):
            if any(isinstance(t, BNode) for t in quad):
                raise StoreError(f"a change cannot name a blank node: {quad!r}")
            if quad[3] is not None and not isinstance(quad[3], URIRef):
                raise StoreError(f"a graph name must be an IRI: {quad[3]!r}")

    def is_empty(self) -> bool:
        return not self.remove and not self.add

    def digest(self) -> str:
        """A hash of the change (order-independent), for versions and journals."""
        h = hashlib.sha256()
        for sign, quads in (("-", self.remove), ("+", self.add)):
            for line in sorted(_line(q) for q in quads):
                h.update(f"{sign}{line}\n".encode())
        return h.hexdigest()[:16]

    def inverse(self) -> Delta:
        """The delta that undoes this one (when applied right after it)."""
        return Delta(remove=self.add, add=self.remove)

    def update_text(self, default_graph: str | None = None, scope: str | None = None) -> str:
        """The change as one SPARQL Update request (its operations run in order).

        Args:
            default_graph: the named graph that holds the merged default graph on a shared
                server (``None``: the store's own default graph).
            scope: only named graphs under this IRI count as sources (shared servers).
        """
        ops: list[str] = []
        removed = _by_graph(self.remove)
        added = _by_graph(self.add)
        named_removed = {g: ts for g, ts in removed.items() if g is not None}
        named_added = {g: ts for g, ts in added.items() if g is not None}
        if named_removed:
            ops.append("DELETE DATA { " + _graphs_block(named_removed) + " }")
        if named_added:
            ops.append("INSERT DATA { " + _graphs_block(named_added) + " }")
        gone = [q for q in self.remove if q[3] is not None]
        if gone:
            ops.append(_merge_removal(gone, default_graph, scope))
        direct_removed = removed.get(None, [])
        if direct_removed:
            ops.append("DELETE DATA { " + _default_block(direct_removed, default_graph) + " }")
        merged = [_line(q) for q in self.add]
        if merged:
            ops.append("INSERT DATA { " + _default_block(list(dict.fromkeys(merged)),
                                                          default_graph) + " }")
        return " ;\n".join(ops)


def next_version(previous: str, delta_digest: str) -> str:
    """The data version after a change: a hash of the previous version and the change.

    >>> next_version("abc", "def") == next_version("abc", "def") != next_version("abd", "def")
    True
    """
    return hashlib.sha256(f"{previous}\n{delta_digest}".encode()).hexdigest()[:16]


def _line(q: Quad) -> str:
    s, p, o, _g = q
    return f"{term_text(s)} {term_text(p)} {term_text(o)} ."


def _by_graph(quads: Iterable[Quad]) -> dict[str | None, list[str]]:
    out: dict[str | None, list[str]] = defaultdict(list)
    for q in quads:
        out[None if q[3] is None else str(q[3])].append(_line(q))
    return out


def _graphs_block(by_graph: dict[str, list[str]]) -> str:
    return " ".join(
        f"GRAPH {iri_text(str(g))} {{\n" + "\n".join(lines) + "\n}" for g, lines in by_graph.items()
    )


def _default_block(lines: list[str], default_graph: str | None) -> str:
    body = "\n".join(lines)
    return f"GRAPH {iri_text(default_graph)} {{ {body} }}" if default_graph else body


def _merge_removal(gone: list[Quad], default_graph: str | None, scope: str | None) -> str:
    """Remove triples from the merged default graph unless a source graph still has them."""
    rows = " ".join(
        f"({term_text(s)} {term_text(p)} {term_text(o)})" for s, p, o, _g in dict.fromkeys(gone)
    )
    filters = []
    if default_graph:
        filters.append(f"?g != {iri_text(default_graph)}")
    if scope:
        filters.append(f"STRSTARTS(STR(?g), {literal_text(scope)})")
    cond = f" FILTER({' && '.join(filters)})" if filters else ""
    target = "?s ?p ?o"
    if default_graph:
        target = f"GRAPH {iri_text(default_graph)} {{ ?s ?p ?o }}"
    return (f"DELETE {{ {target} }} WHERE {{ VALUES (?s ?p ?o) {{ {rows} }} {target} "
            f"FILTER NOT EXISTS {{ GRAPH ?g {{ ?s ?p ?o }}{cond} }} }}")
