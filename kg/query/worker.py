"""A query worker process: ``python -m kg.query.worker STORE_DIR``.

It opens the on-disk Oxigraph store read-only and answers requests from
:class:`kg.query.pool.ProcessRunner` over its stdin/stdout pipes (pickled tuples framed
by :mod:`multiprocessing.connection`), until its stdin closes, its parent ends or it is
killed. Its own stdout is pointed at stderr so that nothing but answers reaches the pipe.

Requests: ``(op, sparql, bindings, result_format, graph_format, limit, timeout, context)``
with op ``"serialize"`` (answer: ``("ok", body, form, truncated)``) or ``"query"`` (answer:
``("ok", QueryResult)``); ``context`` is a :class:`kg.store.base.QueryContext` or ``None``.
Failures: ``("syntax", message, line, column)`` or ``("error", class_name, message)``;
:func:`raise_reply` raises them again in the parent. Whatever a query does, the worker
answers: an unexpected exception becomes an error reply for that query only.

A worker never outlives the server that started it: on Linux the kernel kills it when its
parent ends (``PR_SET_PDEATHSIG``), and a watchdog thread checks the parent every second
(the engine releases the GIL while it evaluates, so the check runs even mid-query).
"""

from __future__ import annotations

import ctypes
import logging
import os
import signal
import sys
import threading
import time
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib.term import Node

from kg.cache import give_back_memory
from kg.errors import (
    KgError,
    QueryError,
    QuerySyntaxError,
    QueryTimeoutError,
    ReadOnlyError,
    StoreError,
    UnsupportedFormatError,
)
from kg.io.formats import RdfFormatInfo, ResultFormatInfo, rdf_format, result_format
from kg.store.base import QueryContext, Store

log = logging.getLogger(__name__)

#: A query taking this many seconds or more is followed by giving the memory it freed back
#: to the system (its results can be hundreds of MB; a worker's heap is small, so it is quick).
TRIM_AFTER = 0.1

__all__ = ["answer", "error_reply", "main", "raise_reply", "serialize_on", "serve"]

#: Errors a worker may report, by class name (anything else becomes a StoreError).
_ERRORS: dict[str, type[KgError]] = {
    cls.__name__: cls
    for cls in (QueryError, QueryTimeoutError, ReadOnlyError, StoreError,
                UnsupportedFormatError)
}


def error_reply(exc: KgError) -> tuple[Any, ...]:
    """An error as a picklable reply that keeps what the client needs (line, column)."""
    if isinstance(exc, QuerySyntaxError):
        return ("syntax", exc.message, exc.line, exc.column)
    name = type(exc).__name__
    return ("error", name if name in _ERRORS else "StoreError", str(exc))


def raise_reply(reply: tuple[Any, ...]) -> None:
    """Raise the error a reply carries.

    >>> raise_reply(("syntax", "expected }", 2, 7))
    Traceback (most recent call last):
    ...
    kg.errors.QuerySyntaxError: SPARQL syntax error at line 2, column 7: expected }
    """
    if reply[0] == "syntax":
        raise QuerySyntaxError(reply[1], reply[2], reply[3])
    raise _ERRORS.get(str(reply[1]), StoreError)(reply[2])


def serialize_on(
    store: Store,
    sparql: str,
    result_fmt: ResultFormatInfo,
    graph_fmt: RdfFormatInfo,
    bindings: Mapping[str, Node] | None,
    limit: int,
    timeout: float,
    context: QueryContext | None = None,
) -> tuple[bytes, str, bool]:
    """Run and serialise on any store, through Oxigraph's fast path when it can."""
    from kg.store.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore):
        return store.query_serialized(sparql, result_fmt, graph_fmt, limit=limit,
                                      timeout=timeout, bindings=bindings, context=context)
    if not bindings:
        return store.query_serialized(sparql, result_fmt, graph_fmt, limit=limit,
                                      timeout=timeout, context=context)
    from kg.io.results import serialize_result
    from kg.store.base import GraphResult

    result = store.query(sparql, bindings=bindings, limit=limit, timeout=timeout,
                         context=context)
    fmt = graph_fmt if isinstance(result, GraphResult) else result_fmt
    return serialize_result(result, fmt), result.kind, result.truncated


def answer(store: Store, request: tuple[Any, ...]) -> tuple[Any, ...]:
    """The reply to one request (an error reply, never an exception, whatever happens)."""
    op, sparql, bindings, rfmt, gfmt, limit, timeout, context = request
    try:
        if op == "serialize":
            body, form, cut = serialize_on(store, sparql, result_format(rfmt), rdf_format(gfmt),
                                           bindings, limit, timeout, context)
            return ("ok", body, form, cut)
        return ("ok", store.query(sparql, bindings=bindings, limit=limit, timeout=timeout,
                                  context=context))
    except KgError as exc:
        return error_reply(exc)
    except Exception as exc:
        log.exception("query failed inside the engine")
        return ("error", "QueryError", f"the query could not be evaluated: {exc}")


def serve(path: Path, rx: Connection, tx: Connection) -> None:
    """Open the store and answer requests until the parent closes the pipe.

    ``path`` may be a store's version link (:mod:`kg.store.folders`): before each request
    the worker looks where it points and reopens the store when a new version went live,
    so ``/sparql`` answers from the same data version as the pages.
    """
    from kg.store.oxigraph import OxigraphStore

    opened = os.path.realpath(path)
    try:
        store = OxigraphStore(opened, read_only=True)
    except KgError as exc:
        tx.send(error_reply(exc))
        return
    tx.send(("ready",))
    while True:
        try:
            request = rx.recv()
        except (EOFError, OSError):
            return
        live = os.path.realpath(path)
        if live != opened:
            try:
                store, opened = OxigraphStore(live, read_only=True), live
            except KgError as exc:  # the new version is not readable: keep the old one
                print(f"query worker: cannot open {live}: {exc}", file=sys.stderr)
        started = time.perf_counter()
        tx.send(answer(store, request))
        if time.perf_counter() - started >= TRIM_AFTER:
            give_back_memory()  # a heavy query's temporaries, back to the system


def _end_with_parent(parent: int) -> None:
    """Make sure this process ends when ``parent`` does (a server killed or stopped while
    this worker runs a query must not leave it burning a core)."""
    if sys.platform.startswith("linux"):
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
        except (OSError, AttributeError):  # pragma: no cover - no prctl
            pass
    if os.getppid() != parent:  # the parent ended before we got here
        os._exit(1)

    def watch() -> None:
        while True:
            time.sleep(1.0)
            if os.getppid() != parent:
                os._exit(1)

    threading.Thread(target=watch, name="kg-worker-watchdog", daemon=True).start()


def main(argv: list[str] | None = None) -> None:
    """Entry point of the worker process: ``STORE_DIR [PARENT_PID [NICE]]``."""
    args = sys.argv[1:] if argv is None else argv
    if len(args) > 1:
        _end_with_parent(int(args[1]))
    if len(args) > 2 and int(args[2]):
        os.nice(int(args[2]))
    out = os.dup(1)
    os.dup2(2, 1)  # stray prints go to stderr, never into the answer pipe
    serve(Path(args[0]), Connection(os.dup(0), writable=False), Connection(out, readable=False))


if __name__ == "__main__":
    main()
