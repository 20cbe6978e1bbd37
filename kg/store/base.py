"""The store contract: one small interface, several backends.

A store holds quads in named graphs and answers SPARQL with the union of all graphs as the
default graph. Results come back as rdflib terms, whatever the backend, so that the rest of
the code does not care where the graph lives.
"""

from __future__ import annotations

import re
import time
from abc import ABC, abstractmethod
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from typing import Literal as TLiteral

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryTimeoutError, ReadOnlyError
from kg.namespaces import PREFIXES

if TYPE_CHECKING:
    from kg.export.formats import RdfFormatInfo, ResultFormatInfo

__all__ = [
    "AskResult",
    "GraphResult",
    "Quad",
    "QueryResult",
    "SelectResult",
    "Store",
    "Term",
    "Triple",
    "query_form",
]

Term = URIRef | BNode | Literal
Triple = tuple[Term, Term, Term]
Quad = tuple[Term, Term, Term, URIRef | None]


@dataclass
class SelectResult:
    """Rows of a SELECT query. ``truncated`` is true when a row cap cut the result."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]
    truncated: bool = False
    kind: TLiteral["SELECT"] = "SELECT"

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Term]]:
        """Each row as a mapping of bound variables only."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def column(self, name: str) -> list[Term | None]:
        i = self.variables.index(name)
        return [row[i] for row in self.rows]


@dataclass
class AskResult:
    """The answer of an ASK query."""

    value: bool
    kind: TLiteral["ASK"] = "ASK"
    truncated: bool = False

    def __bool__(self) -> bool:
        return self.value


@dataclass
class GraphResult:
    """Triples of a CONSTRUCT or DESCRIBE query."""

    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False
    kind: TLiteral["CONSTRUCT"] = "CONSTRUCT"

    def __len__(self) -> int:
        return len(self.triples)

    def to_graph(self) -> Graph:
        g = Graph()
        for prefix, iri in PREFIXES.items():
            g.bind(prefix, iri)
        for t in self.triples:
            g.add(t)
        return g


QueryResult = SelectResult | AskResult | GraphResult

_PROLOGUE = re.compile(
    r"""^(\s|\#[^\n]*\n|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*""", re.IGNORECASE
)
_FORM = re.compile(
    r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def query_form(sparql: str) -> str:
    """The form of a SPARQL request after its prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, or an
    update keyword such as INSERT. Empty string if none is found.

    >>> query_form("PREFIX ex: <http://x/>\\n# c\\nselect * {}")
    'SELECT'
    >>> query_form("INSERT DATA { <a> <b> <c> }")
    'INSERT'
    """
    text = re.sub(r"<[^>\s]*>", "<>", sparql)  # IRIs may hold keywords
    text = re.sub(r'"(?:[^"\\\n]|\\.)*"' + r"|'(?:[^'\\\n]|\\.)*'", '""', text)
    text = re.sub(r"#[^\n]*", "", text)
    body = text[_PROLOGUE.match(text).end():]  # type: ignore[union-attr]
    m = _FORM.search(body)
    return m.group(1).upper() if m else ""


class Deadline:
    """A point in time after which work must stop."""

    def __init__(self, seconds: float | None) -> None:
        self.at = None if seconds is None else time.monotonic() + seconds
        self.seconds = seconds

    def check(self) -> None:
        if self.at is not None and time.monotonic() > self.at:
            raise QueryTimeoutError(f"the query ran past its time limit of {self.seconds:g} s")


class Store(ABC):
    """What every backend offers.

    Layout: each source is a named graph (``GRAPH ?g`` tells where a fact came from) and
    the default graph holds the merge of all of them, without duplicates; queries read the
    default graph, so a fact stated by two sources is still one row.

    Subclasses implement the primitives (``_query``, ``add_quads``, ``load_file``, ...); the
    conveniences (``select``, ``ask``, ``construct``, read-only refusal) live here once.
    """

    kind: str = "abstract"
    #: Backends whose engine is slow (rdflib's) say so; callers may then avoid heavy queries.
    fast: bool = True

    # -- querying -----------------------------------------------------------------------
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> QueryResult:
        """Run a SPARQL query over the union of all graphs.

        Args:
            sparql: the query text (prefixes of :data:`kg.namespaces.PREFIXES` are known).
            bindings: values for variables, bound by the engine, never pasted into the text.
                In a SELECT query a bound variable must be projected (``SELECT ?x ...`` or
                ``SELECT *``): Oxigraph's substitutions (SPARQL SEP-0007) require it.
            limit: most rows or triples to return; ``truncated`` says when more existed.
            timeout: seconds before :class:`QueryTimeoutError`.

        Raises:
            QuerySyntaxError: the text does not parse.
            ReadOnlyError: the text is an update.
            QueryTimeoutError: it ran too long.
        """
        if query_form(sparql) in UPDATE_FORMS:
            raise ReadOnlyError("SPARQL Update is not allowed here; the store is read-only")
        return self._query(sparql, bindings or {}, limit, Deadline(timeout))

    def select(self, sparql: str, **kw: Any) -> SelectResult:
        result = self.query(sparql, **kw)
        if not isinstance(result, SelectResult):
            raise TypeError("not a SELECT query")
        return result

    def ask(self, sparql: str, **kw: Any) -> bool:
        result = self.query(sparql, **kw)
        if not isinstance(result, AskResult):
            raise TypeError("not an ASK query")
        return result.value

    def construct(self, sparql: str, **kw: Any) -> GraphResult:
        result = self.query(sparql, **kw)
        if not isinstance(result, GraphResult):
            raise TypeError("not a CONSTRUCT or DESCRIBE query")
        return result

    @abstractmethod
    def _query(
        self, sparql: str, bindings: Mapping[str, Node], limit: int | None, deadline: Deadline
    ) -> QueryResult: ...

    def query_serialized(
        self,
        sparql: str,
        result_fmt: ResultFormatInfo,
        graph_fmt: RdfFormatInfo,
        *,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> tuple[bytes, str, bool]:
        """Run a query and serialise its result. Returns (body, form, truncated).

        Backends may override this with a faster path; the default goes through
        :meth:`query` and :mod:`kg.export.tables`.
        """
        from kg.export.tables import serialize_result

        result = self.query(sparql, limit=limit, timeout=timeout)
        fmt = graph_fmt if isinstance(result, GraphResult) else result_fmt
        return serialize_result(result, fmt), result.kind, result.truncated

    # -- writing ------------------------------------------------------------------------
    def add_quads(self, quads: Iterable[Quad], *, merge: bool = True) -> int:
        """Add quads in one transaction; returns how many were given.

        With ``merge`` (the default) every triple of a named graph is also added to the
        default graph, the deduplicated merge of all sources that queries read.
        """
        given: list[Quad] = list(quads)
        extra: list[Quad] = (
            [(s, p, o, None) for s, p, o, g in given if g is not None] if merge else []
        )
        self._add_quads(given + extra)
        return len(given)

    @abstractmethod
    def _add_quads(self, quads: list[Quad]) -> None:
        """Add exactly these quads (``None`` graph = the default graph) in one transaction."""

    @abstractmethod
    def load_file(
        self,
        path: Path,
        fmt: RdfFormatInfo,
        graph: str | None,
        *,
        progress: Any = None,
        merge: bool = True,
    ) -> None:
        """Load a whole file into ``graph`` (triple formats) and, with ``merge``, into the
        default graph as well. The caller has checked its syntax when atomicity matters."""

    @abstractmethod
    def clear(self) -> None:
        """Remove everything."""

    # -- reading ------------------------------------------------------------------------
    @abstractmethod
    def count(self) -> int:
        """Number of triples in the default (merged) graph."""

    @abstractmethod
    def graphs(self) -> list[str]:
        """IRIs of the named graphs."""

    @abstractmethod
    def dump(self, out: BinaryIO, fmt: RdfFormatInfo) -> None:
        """Write the store: triple formats get the merged default graph, quad formats every
        graph (the named source graphs and the default graph)."""

    def data_version(self) -> str:
        """A token that changes whenever the data changes (for caches)."""
        return f"{self.kind}-{self.count()}"

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
