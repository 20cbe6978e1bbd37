"""Running queries from the public: a time limit, a result cap and a cap on concurrency.

Oxigraph cannot cancel a query from Python: a query that spends minutes inside one call
(a big ``ORDER BY``, an aggregate over a cross product) never returns to a deadline check.
So the public endpoint does not run untrusted queries in the web process:

* :class:`ProcessRunner` (the default for an on-disk Oxigraph store) keeps a small pool of
  worker processes (``python -m kg.query.worker``, fresh interpreters: no fork of a threaded
  server), each with the store opened **read-only**. A query goes to an idle
  worker over a pipe; the answer comes back already serialised (Oxigraph's own writers).
  When the time limit passes, the worker is killed (``SIGKILL``) and replaced in the
  background, so a runaway query costs one process for ``timeout`` seconds, never the site.
  Cost: one pipe round trip per query (about 0.1 ms, see README: SPARQL endpoint).
* :class:`InlineRunner` (rdflib in memory, a remote store, or when asked) runs in the
  calling thread and relies on the store's own deadline checks while results stream (every
  512 rows) and on the remote server's timeout. Cheaper, but it cannot stop a query that
  is stuck before its first row.

Both cap concurrency: with every worker busy, a request waits ``queue_wait`` seconds for
one, then gets :class:`BusyError` (503 with ``Retry-After``). Neither knows about HTTP.

>>> from kg.store import open_store
>>> from kg.io.formats import rdf_format, result_format
>>> runner = InlineRunner(open_store("oxigraph:"), RunLimits(timeout=5, limit=10))
>>> runner.serialized("ASK { ?s ?p ?o }", result_format("json"), rdf_format("turtle"))[0]
b'{"head":{},"boolean":false}'
"""

from __future__ import annotations

import logging
import os
import queue
import subprocess
import sys
import threading
import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib.term import Node

from kg.errors import KgError, QueryError, QueryTimeoutError, StoreError
from kg.io.formats import RdfFormatInfo, ResultFormatInfo
from kg.query.worker import raise_reply, serialize_on
from kg.store.base import QueryResult, Store
from kg.store.handle import StoreHandle

__all__ = [
    "BusyError",
    "InlineRunner",
    "ProcessRunner",
    "QueryRunner",
    "RunLimits",
    "make_runner",
]

log = logging.getLogger(__name__)

#: Seconds a worker is given on top of the time limit before it is killed.
GRACE = 0.25
_ROOT = Path(__file__).resolve().parents[2]


class BusyError(QueryError):
    """Every query slot is taken; try again after ``retry_after`` seconds."""

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclass(frozen=True)
class RunLimits:
    """How much one query may take.

    Args:
        timeout: seconds before a query is stopped.
        limit: most rows (or triples) returned; the result says when more existed.
        workers: how many queries run at once (worker processes, or inline slots).
        queue_wait: seconds a query waits for a free slot before :class:`BusyError`.
    """

    timeout: float = 10.0
    limit: int = 10_000
    workers: int = 2
    queue_wait: float = 2.0


def default_workers() -> int:
    """Two to four workers: enough to serve while one query runs into its time limit."""
    return max(2, min(4, os.cpu_count() or 2))


class QueryRunner(ABC):
    """Runs queries under :class:`RunLimits`."""

    def __init__(self, limits: RunLimits) -> None:
        self.limits = limits

    @abstractmethod
    def serialized(
        self,
        sparql: str,
        result_fmt: ResultFormatInfo,
        graph_fmt: RdfFormatInfo,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
    ) -> tuple[bytes, str, bool]:
        """Run and serialise: (body, form, truncated). ``limit`` lowers the cap.

        Raises:
            QuerySyntaxError, ReadOnlyError, QueryTimeoutError, BusyError, StoreError.
        """

    @abstractmethod
    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        """Run and return rdflib terms (for HTML pages). Same errors as :meth:`serialized`."""

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

    def _acquire(self) -> None:
        if not self._slots.acquire(timeout=self.limits.queue_wait):
            raise BusyError(f"all {self.limits.workers} query slots are busy; try again shortly",
                            retry_after=max(1, round(self.limits.timeout / 2)))

    def serialized(
        self,
        sparql: str,
        result_fmt: ResultFormatInfo,
        graph_fmt: RdfFormatInfo,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
    ) -> tuple[bytes, str, bool]:
        self._acquire()
        try:
            return serialize_on(self.store, sparql, result_fmt, graph_fmt, bindings,
                                self.cap(limit), self.limits.timeout)
        finally:
            self._slots.release()

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        self._acquire()
        try:
            return self.store.query(sparql, bindings=bindings, limit=self.cap(limit),
                                    timeout=self.limits.timeout)
        finally:
            self._slots.release()


class _Worker:
    """One worker process (``python -m kg.query.worker``) and the parent's ends of its pipes."""

    def __init__(self, path: Path) -> None:
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg.query.worker", str(path)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, env=env, close_fds=True,
        )
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.tx = Connection(os.dup(self.proc.stdin.fileno()), readable=False)
        self.rx = Connection(os.dup(self.proc.stdout.fileno()), writable=False)
        self.proc.stdin.close()
        self.proc.stdout.close()

    def wait_ready(self, seconds: float) -> None:
        try:
            ready = self.rx.poll(seconds)
            reply = self.rx.recv() if ready else None
        except (EOFError, OSError):
            reply = None
        if reply is None:
            self.kill()
            raise StoreError("a query worker did not start (see the server log)")
        if reply[0] != "ready":
            self.kill()
            raise_reply(reply)

    def call(self, request: tuple[Any, ...], seconds: float) -> tuple[Any, ...] | None:
        """Send a request and wait; ``None`` when no answer came in time."""
        self.tx.send(request)
        if not self.rx.poll(seconds):
            return None
        reply: tuple[Any, ...] = self.rx.recv()
        return reply

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:  # pragma: no cover - a kill that did not take
            log.error("query worker %s did not exit", self.proc.pid)
        for conn in (self.tx, self.rx):
            conn.close()


class ProcessRunner(QueryRunner):
    """A pool of worker processes over an on-disk Oxigraph store, killed on timeout.

    Workers start lazily, up to ``limits.workers``; the idle ones wait in a stack (the most
    recently used first, whose caches are warm).
    """

    #: Seconds a new worker may take to open the store.
    START_TIMEOUT = 30.0

    def __init__(self, path: Path | str, limits: RunLimits) -> None:
        super().__init__(limits)
        self.path = Path(path)
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()
        self._lock = threading.Lock()
        self._started = 0
        self._starting = 0
        self._closed = False
        self.kills = 0

    # -- pool ---------------------------------------------------------------------------
    def _spawn(self) -> _Worker:
        worker = _Worker(self.path)
        worker.wait_ready(self.START_TIMEOUT)
        return worker

    def _acquire(self) -> _Worker:
        try:
            return self._idle.get_nowait()
        except queue.Empty:
            pass
        with self._lock:
            grow = self._started < self.limits.workers
            if grow:
                self._started += 1
        if grow:
            try:
                return self._spawn()
            except KgError:
                with self._lock:
                    self._started -= 1
                raise
        # workers still starting (warm-up, or replacing a killed one) are not "busy"
        wait = self.START_TIMEOUT if self._starting else self.limits.queue_wait
        try:
            return self._idle.get(timeout=wait)
        except queue.Empty:
            raise BusyError(
                f"all {self.limits.workers} query workers are busy; try again shortly",
                retry_after=max(1, round(self.limits.timeout / 2)),
            ) from None

    def warm(self) -> None:
        """Start the workers not started yet, in the background (so that the first burst
        of concurrent queries does not wait for interpreters to start)."""
        with self._lock:
            missing = self.limits.workers - self._started
            self._started += max(0, missing)
        for _ in range(max(0, missing)):
            threading.Thread(target=self._start_one, name="kg-query-warm", daemon=True).start()

    def _start_one(self) -> None:
        with self._lock:
            self._starting += 1
        try:
            worker = self._spawn()
        except KgError as exc:
            log.error("could not start a query worker: %s", exc)
            with self._lock:
                self._started -= 1
            return
        finally:
            with self._lock:
                self._starting -= 1
        self._release(worker)

    def _release(self, worker: _Worker) -> None:
        if self._closed:
            worker.kill()
        else:
            self._idle.put(worker)

    def _replace(self, worker: _Worker) -> None:
        """Kill a worker and start its successor in the background."""
        worker.kill()
        self.kills += 1
        threading.Thread(target=self._start_one, name="kg-query-respawn", daemon=True).start()

    def _call(self, request: tuple[Any, ...]) -> Any:
        worker = self._acquire()
        started = time.monotonic()
        try:
            reply = worker.call(request, self.limits.timeout + GRACE)
        except (EOFError, OSError, BrokenPipeError) as exc:
            self._replace(worker)
            raise StoreError(f"a query worker failed: {exc}") from exc
        if reply is None:
            log.warning("query stopped after %.1f s; worker killed", time.monotonic() - started)
            self._replace(worker)
            raise QueryTimeoutError(
                f"the query ran past its time limit of {self.limits.timeout:g} s")
        self._release(worker)
        if reply[0] != "ok":
            raise_reply(reply)
        return reply[1:]

    # -- the runner interface -------------------------------------------------------------
    def serialized(
        self,
        sparql: str,
        result_fmt: ResultFormatInfo,
        graph_fmt: RdfFormatInfo,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
    ) -> tuple[bytes, str, bool]:
        body, form, cut = self._call(("serialize", sparql, dict(bindings or {}), result_fmt.name,
                                      graph_fmt.name, self.cap(limit), self.limits.timeout))
        return body, form, cut

    def query(
        self,
        sparql: str,
        *,
        bindings: Mapping[str, Node] | None = None,
        limit: int | None = None,
    ) -> QueryResult:
        (result,) = self._call(("query", sparql, dict(bindings or {}), "", "",
                                self.cap(limit), self.limits.timeout))
        answer: QueryResult = result
        return answer

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                self._idle.get_nowait().kill()
            except queue.Empty:
                break


def make_runner(handle: StoreHandle, limits: RunLimits, mode: str = "auto") -> QueryRunner:
    """The runner for a served store: worker processes for an on-disk Oxigraph store
    (``auto`` or ``process``), the calling thread otherwise (or with ``inline``). Both follow
    the handle's new data versions.

    Raises:
        StoreError: ``process`` asked for a store that is not an on-disk Oxigraph store.
    """
    from kg.store.oxigraph import OxigraphStore

    store = handle.current()
    on_disk = isinstance(store, OxigraphStore) and store.path is not None
    if mode == "inline" or (mode == "auto" and not on_disk):
        return InlineRunner(handle.current, limits)
    if not on_disk:
        raise StoreError("worker processes need an on-disk Oxigraph store")
    assert isinstance(store, OxigraphStore) and store.path is not None
    return ProcessRunner(handle.link or store.path, limits)
