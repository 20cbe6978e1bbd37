"""The queries a page runs, recorded while the real app serves it, and replayed on the raw
engine: "the raw store doing the same queries" of the benchmark's ratio.

The recorder wraps the ``_query`` method of one store *instance* (the class and its
``isinstance`` checks are untouched), so every backend-specific fast path of the app stays
as it is. Replays consume every row, as a page must.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from rdflib.term import Node

from kg.errors import QueryTimeoutError
from kg.io.terms import to_ox
from kg.namespaces import PREFIXES
from kg.store.base import Deadline, QueryResult, Store

__all__ = ["Call", "Recorder", "replay_raw", "replay_store"]


@dataclass(frozen=True)
class Call:
    """One query as the app sent it to the store."""

    sparql: str
    bindings: tuple[tuple[str, Node], ...] = ()
    limit: int | None = None


class Recorder:
    """Records every query sent to ``store`` while :meth:`recording` is active."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self.calls: list[Call] | None = None
        inner = store._query

        def _query(sparql: str, bindings: Mapping[str, Node], limit: int | None,
                   deadline: Deadline, *context: Any) -> QueryResult:
            if self.calls is not None:
                self.calls.append(Call(sparql, tuple(bindings.items()), limit))
            return inner(sparql, bindings, limit, deadline, *context)

        store._query = _query  # type: ignore[method-assign,assignment]

    @contextmanager
    def recording(self) -> Iterator[list[Call]]:
        """Collect the calls made inside the ``with`` block."""
        calls: list[Call] = []
        self.calls = calls
        try:
            yield calls
        finally:
            self.calls = None


def _consume(result: Any, limit: int | None) -> int:
    if isinstance(result, ox.QueryBoolean):
        return 1
    n = 0
    for row in result:
        if limit is not None and n >= limit:
            break
        if isinstance(row, ox.QuerySolution):
            for _term in row:
                pass
        n += 1
    return n


def replay_raw(raw: ox.Store, calls: list[Call]) -> float:
    """Seconds pyoxigraph takes to answer ``calls`` directly, every row consumed."""
    started = time.perf_counter()
    for call in calls:
        subs: dict[ox.Variable, Any] | None = {
            ox.Variable(k): to_ox(v) for k, v in call.bindings} or None
        _consume(raw.query(call.sparql, prefixes=PREFIXES, substitutions=subs), call.limit)
    return time.perf_counter() - started


def replay_store(store: Store, calls: list[Call], budget: float) -> float | None:
    """Seconds ``store`` (e.g. rdflib in memory) takes for ``calls``; None past ``budget``."""
    started = time.perf_counter()
    for call in calls:
        remaining = budget - (time.perf_counter() - started)
        if remaining <= 0:
            return None
        try:
            store.query(call.sparql, bindings=dict(call.bindings), limit=call.limit,
                        timeout=remaining)
        except QueryTimeoutError:
            return None
    return time.perf_counter() - started
