"""A query worker process: ``python -m kg.query.worker STORE_DIR``.

It opens the on-disk Oxigraph store read-only and answers requests from
:class:`kg.query.runner.ProcessRunner` over its stdin/stdout pipes (pickled tuples framed
by :mod:`multiprocessing.connection`), until its stdin closes or it is killed. Its own
stdout is pointed at stderr so that nothing but answers reaches the pipe.

Requests: ``(op, sparql, bindings, result_format, graph_format, limit, timeout)`` with op
``"serialize"`` (answer: ``("ok", body, form, truncated)``) or ``"query"`` (answer:
``("ok", QueryResult)``). Failures: ``("syntax", message, line, column)`` or
``("error", class_name, message)``; :func:`raise_reply` raises them again in the parent.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from rdflib.term import Node

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
from kg.store.base import Store

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
) -> tuple[bytes, str, bool]:
    """Run and serialise on any store, through Oxigraph's fast path when it can."""
    from kg.store.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore):
        return store.query_serialized(sparql, result_fmt, graph_fmt, limit=limit,
                                      timeout=timeout, bindings=bindings)
    if not bindings:
        return store.query_serialized(sparql, result_fmt, graph_fmt, limit=limit,
                                      timeout=timeout)
    from kg.io.results import serialize_result
    from kg.store.base import GraphResult

    result = store.query(sparql, bindings=bindings, limit=limit, timeout=timeout)
    fmt = graph_fmt if isinstance(result, GraphResult) else result_fmt
    return serialize_result(result, fmt), result.kind, result.truncated


def answer(store: Store, request: tuple[Any, ...]) -> tuple[Any, ...]:
    """The reply to one request."""
    op, sparql, bindings, rfmt, gfmt, limit, timeout = request
    try:
        if op == "serialize":
            body, form, cut = serialize_on(store, sparql, result_format(rfmt), rdf_format(gfmt),
                                           bindings, limit, timeout)
            return ("ok", body, form, cut)
        return ("ok", store.query(sparql, bindings=bindings, limit=limit, timeout=timeout))
    except KgError as exc:
        return error_reply(exc)


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
        tx.send(answer(store, request))


def main(argv: list[str] | None = None) -> None:
    """Entry point of the worker process."""
    args = sys.argv[1:] if argv is None else argv
    out = os.dup(1)
    os.dup2(2, 1)  # stray prints go to stderr, never into the answer pipe
    serve(Path(args[0]), Connection(os.dup(0), writable=False), Connection(out, readable=False))


if __name__ == "__main__":
    main()
