"""The store contract: one small interface, several backends.

A store holds quads in named graphs and answers SPARQL with the union of all graphs as the
default graph. Results come back as rdflib terms, whatever the backend, so that the rest of
the code does not care where the graph lives.
"""

from __future__ import annotations

import time
import uuid
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from rdflib.term import Node

from kg.errors import QueryTimeoutError, ReadOnlyError, StoreError
from kg.io.results import AskResult, GraphResult, QueryResult, SelectResult
from kg.io.sparqltext import UPDATE_FORMS, query_form
from kg.io.terms import Quad, Term, Triple
from kg.store.delta import Delta, next_version

if TYPE_CHECKING:
    from kg.io.formats import RdfFormatInfo, ResultFormatInfo

__all__ = [
    "AskResult",
    "GraphResult",
    "Quad",
    "QueryContext",
    "QueryResult",
    "SelectResult",
    "Store",
    "Term",
    "Triple",
    "query_form",
]



@dataclass(frozen=True)
class QueryContext:
    """What a SPARQL Protocol request adds to a query: its RDF dataset and base IRI.

    ``default_graphs`` is ``None`` for the store's own default graph (the merge of every
    source), else the named graphs whose merge is the default graph (empty: an empty
    default graph); ``named_graphs`` is ``None`` for every named graph, else the ones a
    ``GRAPH`` clause may see. A graph the store does not hold is simply empty. The dataset,
    when given, replaces the query's own ``FROM``/``FROM NAMED``. ``base`` resolves relative
    IRIs in the query text.

    >>> QueryContext.from_protocol([], ["https://data.kfvn.se/graph/kallor"]).default_graphs
    ()
    >>> QueryContext.from_protocol([], [], base="https://data.kfvn.se/").default_graphs is None
    True
    """

    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    base: str | None = None

    @classmethod
    def from_protocol(cls, default: list[str], named: list[str], base: str | None = None
                      ) -> QueryContext:
        """The context of ``default-graph-uri`` and ``named-graph-uri`` values: when either
        is given, both lists together are the whole dataset (SPARQL 1.1 Protocol, 2.1.4)."""
        if not default and not named:
            return cls(base=base)
        return cls(tuple(default), tuple(named), base)

    @property
    def has_dataset(self) -> bool:
        return self.default_graphs is not None or self.named_graphs is not None



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
        context: QueryContext | None = None,
    ) -> QueryResult:
        """Run a SPARQL query over the union of all graphs.

        Args:
            sparql: the query text (prefixes of :data:`kg.namespaces.PREFIXES` are known).
            bindings: values for variables, bound by the engine, never pasted into the text.
                In a SELECT query a bound variable must be projected (``SELECT ?x ...`` or
                ``SELECT *``): Oxigraph's substitutions (SPARQL SEP-0007) require it.
            limit: most rows or triples to return; ``truncated`` says when more existed.
            timeout: seconds before :class:`QueryTimeoutError`.
            context: a protocol dataset and base IRI (see :class:`QueryContext`).

        Raises:
            QuerySyntaxError: the text does not parse.
            ReadOnlyError: the text is an update.
            QueryTimeoutError: it ran too long.
        """
        if query_form(sparql) in UPDATE_FORMS:
            raise ReadOnlyError("SPARQL Update is not allowed here; the store is read-only")
        if context is None:
            return self._query(sparql, bindings or {}, limit, Deadline(timeout))
        return self._query(sparql, bindings or {}, limit, Deadline(timeout), context)

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
        self, sparql: str, bindings: Mapping[str, Node], limit: int | None, deadline: Deadline,
        context: QueryContext | None = None,
    ) -> QueryResult: ...

    def query_serialized(
        self,
        sparql: str,
        result_fmt: ResultFormatInfo,
        graph_fmt: RdfFormatInfo,
        *,
        limit: int | None = None,
        timeout: float | None = None,
        context: QueryContext | None = None,
    ) -> tuple[bytes, str, bool]:
        """Run a query and serialise its result. Returns (body, form, truncated).

        Backends may override this with a faster path; the default goes through
        :meth:`query` and :mod:`kg.io.results`.
        """
        from kg.io.results import serialize_result

        result = self.query(sparql, limit=limit, timeout=timeout, context=context)
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

    def apply(self, delta: Delta, *, head: str | None = None) -> str:
        """Apply a change in one transaction, or not at all; return the new data version.

        Named-graph quads also maintain the merged default graph (see :mod:`kg.store.delta`).
        ``head`` names the change (a changeset id) and is kept with the version, so that a
        journal can tell which of its changes the store already has (:meth:`head`).

        Raises:
            StoreError: the store cannot be written (read-only, or the server refused).
        """
        if delta.is_empty() and head is None:
            return self.data_version()
        self._apply(delta, next_version(self.data_version(), delta.digest()), head)
        return self.data_version()

    def _apply(self, delta: Delta, version: str, head: str | None) -> None:
        """Run the delta's update and record ``version`` and ``head`` (backends override)."""
        raise StoreError(f"the {self.kind} store cannot be changed")

    def head(self) -> str | None:
        """The name of the last change applied (see :meth:`apply`), if any."""
        return None

    def changed_since(self, version: str) -> frozenset[str] | None:
        """The IRIs named (as subject or object) by the changes applied since ``version``,
        when this store knows them (recent changes of an on-disk store); ``None`` when it
        does not (then a caller has to look at everything)."""
        return None

    def set_version(self, version: str, head: str | None = None) -> None:
        """Record the data version a build made (and optionally the last change's name)."""
        raise StoreError(f"the {self.kind} store cannot record a version")

    def data_version(self) -> str:
        """A token that changes whenever the data changes (for caches)."""
        return f"{self.kind}-{self.count()}"

    @property
    def durable_version(self) -> bool:
        """Whether :meth:`data_version` names the content for good (a build digest), so
        that results keyed by it may be kept on disk and shared between processes."""
        return False

    @property
    def lineage(self) -> str:
        """Which store this is, across its data versions (a key of :mod:`kg.cache`): the
        same for every version of one on-disk store, unique to the object otherwise."""
        token: str | None = self.__dict__.get("_lineage")
        if token is None:
            token = self.__dict__.setdefault("_lineage", f"{self.kind}:{uuid.uuid4().hex}")
        return token

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release resources."""

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
