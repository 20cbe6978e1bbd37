"""The small backend: an rdflib ``Dataset`` in memory, answered by rdflib's own engine.

Slow on large graphs (see ``shared/PERF-ANCHORS.md``) but dependency-free and exact; the
contract tests run every competency question on it and on Oxigraph and compare.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from pyparsing import ParseException
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg.errors import QuerySyntaxError
from kg.namespaces import PREFIXES
from kg.store.base import (
    AskResult,
    Deadline,
    GraphResult,
    Quad,
    QueryContext,
    QueryResult,
    SelectResult,
    Store,
)
from kg.store.delta import Delta
from kg.store.rdflib_fixes import apply as apply_rdflib_fixes

if TYPE_CHECKING:
    from kg.io.formats import RdfFormatInfo

__all__ = ["MemoryStore"]


class MemoryStore(Store):
    """rdflib in memory; the default graph of a query is the union of all graphs.

    >>> from rdflib import URIRef, Literal
    >>> s = MemoryStore()
    >>> s.add_quads([(URIRef("http://x/a"), URIRef("http://x/p"), Literal("1"), URIRef("http://x/g"))])
    1
    >>> s.ask("ASK { ?s ?p '1' }")
    True
    """

    kind = "memory"
    fast = False

    def __init__(self) -> None:
        # rdflib's DISTINCT aggregates and SAMPLE depart from SPARQL 1.1 over unbound values
        # (RDFLib/rdflib#882); install the standard semantics before the first query.
        apply_rdflib_fixes()
        # rdflib's engine fetches the IRI of a FROM clause from the web (or a file) unless
        # this is off; our FROM only ever names graphs of the store (no outbound requests)
        import rdflib.plugins.sparql

        rdflib.plugins.sparql.SPARQL_LOAD_GRAPHS = False
        self.ds = Dataset(default_union=False)
        self._version: str | None = None
        self._head: str | None = None
        for prefix, iri in PREFIXES.items():
            self.ds.bind(prefix, iri)

    def _query(
        self, sparql: str, bindings: Mapping[str, Node], limit: int | None, deadline: Deadline,
        context: QueryContext | None = None,
    ) -> QueryResult:
        try:
            target, query = self._target(sparql, context)
            res = target.query(query, initNs=PREFIXES, initBindings=dict(bindings),  # type: ignore[arg-type]
                               base=context.base if context else None)
            if res.type == "ASK":
                return AskResult(bool(res.askAnswer))
            if res.type == "SELECT":
                names = [str(v) for v in (res.vars or [])]
                rows: list[tuple[Any, ...]] = []
                for i, row in enumerate(res):
                    if limit is not None and i >= limit:
                        return SelectResult(names, rows, truncated=True)
                    deadline.check()
                    rows.append(tuple(row))  # type: ignore[arg-type]
                return SelectResult(names, rows)
            triples: list[Any] = []
            for i, t in enumerate(res):
                if limit is not None and i >= limit:
                    return GraphResult(triples, truncated=True)
                triples.append(t)
            return GraphResult(triples)
        except ParseException as exc:
            raise QuerySyntaxError(_clean(exc.msg), exc.lineno, exc.col) from exc

    def _apply(self, delta: Delta, version: str, head: str | None) -> None:
        # rdflib's own SPARQL Update cannot INSERT DATA into a Dataset's default graph, so the
        # delta is applied through the graph API (same semantics as Delta.update_text)
        default = self.ds.default_graph
        for s, p, o, g in delta.remove:
            (self.ds.graph(g) if g is not None else default).remove((s, p, o))
        for s, p, o, g in delta.add:
            (self.ds.graph(g) if g is not None else default).add((s, p, o))
        named = [c for c in self.ds.graphs() if c.identifier != default.identifier]
        for s, p, o, g in delta.remove:
            if g is not None and not any((s, p, o) in c for c in named):
                default.remove((s, p, o))
        for s, p, o, g in delta.add:
            if g is not None:
                default.add((s, p, o))
        self._version = version
        self._head = head if head is not None else self._head

    def head(self) -> str | None:
        return self._head

    def set_version(self, version: str, head: str | None = None) -> None:
        self._version = version
        self._head = head if head is not None else self._head

    def data_version(self) -> str:
        return self._version or f"memory-{self.count()}"

    def _target(self, sparql: str, context: QueryContext | None) -> tuple[Dataset, Any]:
        """The dataset to query and the query: with a protocol dataset, a copy holding just
        the graphs it names (small stores only) and the query without its FROM clauses."""
        if context is None or not context.has_dataset:
            return self.ds, sparql
        from rdflib.plugins.sparql.processor import prepareQuery

        query = prepareQuery(sparql, initNs=PREFIXES, base=context.base)
        query.algebra["datasetClause"] = None  # the protocol's dataset replaces FROM
        view = Dataset(default_union=False)
        for iri in context.default_graphs or ():
            for t in self.ds.graph(URIRef(iri)):
                view.default_graph.add(t)
        for iri in context.named_graphs or ():
            named = view.graph(URIRef(iri))
            for t in self.ds.graph(URIRef(iri)):
                named.add(t)
        return view, query

    def _add_quads(self, quads: list[Quad]) -> None:
        self._version = None
        for s, p, o, g in quads:
            graph = self.ds.graph(g) if g is not None else self.ds.default_graph
            graph.add((s, p, o))

    def load_file(
        self,
        path: Path,
        fmt: RdfFormatInfo,
        graph: str | None,
        *,
        progress: Any = None,
        merge: bool = True,
    ) -> None:
        from kg.io.parse import read_quads

        for batch in read_quads(path, fmt, graph):
            self.add_quads(batch, merge=merge)
        if progress is not None:
            progress.update(path.stat().st_size)

    def clear(self) -> None:
        self._version = None
        for ctx in list(self.ds.graphs()):
            self.ds.remove_graph(ctx)
        self.ds.default_graph.remove((None, None, None))

    def count(self) -> int:
        return len(self.ds.default_graph)

    def graphs(self) -> list[str]:
        return sorted(
            str(c.identifier)
            for c in self.ds.graphs()
            if isinstance(c.identifier, URIRef) and len(c) and not str(c.identifier).startswith("urn:x-rdflib")
        )

    def dump(self, out: BinaryIO, fmt: RdfFormatInfo) -> None:
        if fmt.quads:
            data = self.ds.serialize(format=fmt.rdflib)
        else:
            g = Graph()
            for prefix, iri in PREFIXES.items():
                g.bind(prefix, iri)
            for t in self.ds.default_graph:
                g.add(t)
            data = g.serialize(format=fmt.rdflib)
        out.write(data.encode("utf-8") if isinstance(data, str) else data)


def _clean(msg: str) -> str:
    return re.sub(r"\s+", " ", msg).strip()
