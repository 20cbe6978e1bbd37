"""Running queries from the public: a time limit, a result cap, no outbound requests, and
fair shares of the engine.

Every query first passes :func:`kg.query.safety.check_query` (``SERVICE`` only to the
allow-list) and the client's cap (:class:`kg.query.admission.Admission`: ``per_client``
queries at once, then 429). Then it runs in one of two ways:

* :class:`kg.query.pool.ProcessRunner` (the default for an on-disk Oxigraph store) runs it
  in a worker process, so that a runaway query can be stopped (Oxigraph cannot cancel a
  query from Python): killed at the time limit, the worker is replaced in the background.
  Workers form two lanes, so heavy queries cannot starve light ones (see that module).
* :class:`InlineRunner` (rdflib in memory, a remote store, or when asked) runs in the
  calling thread and relies on the store's own deadline checks while results stream (every
  512 rows) and on the remote server's timeout. Cheaper, but it cannot stop a query that
  is stuck before its first row; a semaphore caps how many run at once.

With every slot busy a query waits ``queue_wait`` seconds, then gets :class:`BusyError`
(503 with ``Retry-After``). Nothing here knows about HTTP.

>>> from kg.store import open_store
>>> from kg.io.formats import rdf_format, result_format
>>> runner = InlineRunner(open_store("oxigraph:"), RunLimits(timeout=5, limit=10))
>>> runner.serialized("ASK { ?s ?p ?o }", result_format("json"), rdf_format("turtle"))[0]
b'{"head":{},"boolean":false}'
"""

from __future__ import annotations

import hashlib
import os
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rdflib.term import Node

from kg.io.formats import RdfFormatInfo, ResultFormatInfo
from kg.query.admission import Admission, BusyError, TooManyQueriesError
from kg.query.safety import check_query
from kg.query.worker import serialize_on
from kg.store.base import QueryContext, QueryResult, Store
from kg.store.handle import StoreHandle

if TYPE_CHECKING:
    from kg.query.pool import ProcessRunner

__all__ = [
    "BusyError",
    "InlineRunner",
    "QueryRunner",
    "RunLimits",
    "TooManyQueriesError",
    "default_workers",
    "make_runner",
    "query_key",
]


@dataclass(frozen=True)
class RunLimits:
    """How much one query may take, and how the engine is shared.

    Args:
        timeout: seconds before a query is stopped.
        limit: most rows (or triples) returned; the result says when more existed.
        workers: how many queries run at once (the heavy lane's worker processes, or the
            inline runner's slots).
        queue_wait: seconds a query waits for a free slot before :class:`BusyError`.
        per_client: queries one client may run at once (then 429).
        fast_workers: worker processes kept for queries that finish fast (process runner).
        fast_timeout: seconds a query may run in the fast lane before it moves to the heavy
            lane.
        service_allow: SPARQL endpoints ``SERVICE`` may reach (none by default).
    """

    timeout: float = 10.0
    limit: int = 10_000
    workers: int = 2
    queue_wait: float = 2.0
    per_client: int = 2
    fast_workers: int = 1
    fast_timeout: float = 0.5
    service_allow: frozenset[str] = frozenset()

    @property
    def heavy_per_client(self) -> int:
        """Heavy-lane queries one client may run at once: never the whole lane, when it has
        room for more than one."""
        return max(1, min(self.per_client, self.workers - 1))


def default_workers() -> int:
    """Two to four workers: enough to serve while one query runs into its time limit."""
    return max(2, min(4, os.cpu_count() or 2))


def query_key(sparql: str, bindings: Mapping[str, Node] | None,
              context: QueryContext | None) -> str:
    """A short fingerprint of a query with its bindings and dataset (for the heavy memory).

    >>> query_key("ASK {}", None, None) == query_key("ASK {}", {}, None)
    True
    """
    h = hashlib.sha256(sparql.encode("utf-8", "surrogatepass"))
    for name, value in sorted((bindings or {}).items()):
        h.update(f"\0{name}={value!r}".encode("utf-8", "surrogatepass"))
    if context is not None:
        h.update(repr(context).encode("utf-8", "surrogatepass"))
    return h.hexdigest()[:24]


class QueryRunner(ABC):
    """Runs public queries under :class:`RunLimits`.

    ``client`` names who asks (the web layer passes the client's address; ``None`` is the
    app itself and is not capped per client); ``context`` carries a protocol dataset and
    base IRI (:class:`kg.store.base.QueryContext`).
    """

    def __init__(self, limits: RunLimits) -> None:
        self.limits = limits
        self.admission = Admission(limits.per_client, limits.queue_wait)

    def serialized(
        self,
        sparql: str,
        result_fmt: ResultFormatInfo,
        graph_fmt: RdfFormatInfo,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
        client: str | None = None,
        context: QueryContext | None = None,
    ) -> tuple[bytes, str, bool]:
        """Run and serialise: (body, form, truncated). ``limit`` lowers the cap.

        Raises:
            QuerySyntaxError, ForbiddenQueryError, ReadOnlyError, QueryTimeoutError,
            BusyError, TooManyQueriesError, StoreError.
        """
        check_query(sparql, self.limits.service_allow, context.base if context else None)
        with self.admission.slot(client):
            body, form, cut = self._run(
                ("serialize", sparql, dict(bindings or {}), result_fmt.name, graph_fmt.name,
                 self.cap(limit), self.limits.timeout, context), client)
        return body, form, cut

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
        client: str | None = None,
        context: QueryContext | None = None,
    ) -> QueryResult:
        """Run and return rdflib terms (for HTML pages). Same errors as :meth:`serialized`."""
        check_query(sparql, self.limits.service_allow, context.base if context else None)
        with self.admission.slot(client):
            (result,) = self._run(("query", sparql, dict(bindings or {}), "", "",
                                   self.cap(limit), self.limits.timeout, context), client)
        answer: QueryResult = result
        return answer

    @abstractmethod
    def _run(self, request: tuple[Any, ...], client: str | None) -> tuple[Any, ...]:
        """Answer a request of :mod:`kg.query.worker`'s form; the reply without its "ok"."""

    def cap(self, limit: int | None) -> int:
        """The row cap of one call: the lower of ``limit`` and the configured one."""
        return self.limits.limit if limit is None else min(limit, self.limits.limit)

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release workers."""


# -- in the calling thread ---------------------------------------------------------------

class InlineRunner(QueryRunner):
    """Runs in the calling thread; a semaphore caps concurrent queries."""

    def __init__(self, store: Store | Callable[[], Store], limits: RunLimits) -> None:
        super().__init__(limits)
        self._source = store if callable(store) else (lambda: store)
        self._slots = threading.BoundedSemaphore(limits.workers)

    @property
    def store(self) -> Store:
        """The store queries run on now (a handle's current version)."""
        return self._source()

    def _run(self, request: tuple[Any, ...], client: str | None) -> tuple[Any, ...]:
        op, sparql, bindings, rfmt, gfmt, limit, timeout, context = request
        if not self._slots.acquire(timeout=self.limits.queue_wait):
            raise BusyError(f"all {self.limits.workers} query slots are busy; try again shortly",
                            retry_after=max(1, round(self.limits.timeout / 2)))
        try:
            if op == "serialize":
                from kg.io.formats import rdf_format, result_format

                return serialize_on(self.store, sparql, result_format(str(rfmt)),
                                    rdf_format(str(gfmt)), bindings, limit, timeout, context)
            return (self.store.query(sparql, bindings=bindings, limit=limit, timeout=timeout,
                                     context=context),)
        finally:
            self._slots.release()


def make_runner(handle: StoreHandle, limits: RunLimits, mode: str = "auto") -> QueryRunner:
    """The runner for a served store: worker processes for an on-disk Oxigraph store
    (``auto`` or ``process``), the calling thread otherwise (or with ``inline``). Both follow
    the handle's new data versions.

    Raises:
        StoreError: ``process`` asked for a store that is not an on-disk Oxigraph store.
    """
    from kg.errors import StoreError
    from kg.store.oxigraph import OxigraphStore

    store = handle.current()
    on_disk = isinstance(store, OxigraphStore) and store.path is not None
    if mode == "inline" or (mode == "auto" and not on_disk):
        return InlineRunner(handle.current, limits)
    if not on_disk:
        raise StoreError("worker processes need an on-disk Oxigraph store")
    assert isinstance(store, OxigraphStore) and store.path is not None
    from kg.query.pool import ProcessRunner

    runner: ProcessRunner = ProcessRunner(handle.link or store.path, limits)
    return runner
