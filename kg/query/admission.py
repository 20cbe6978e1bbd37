"""Who may run a public query now: a cap per client, and a memory of heavy queries.

A client (an IP address, as the web layer names it) may run ``per_client`` queries at once;
one more waits up to ``wait`` seconds for one of its own to finish, then gets
:class:`TooManyQueriesError` (429). The runner also remembers who sent a query that was too
slow for the fast lane, and which query it was, so that the next one goes straight to the
heavy lane (see :mod:`kg.query.pool`). Nothing here knows about HTTP.

>>> a = Admission(per_client=1, wait=0.01)
>>> with a.slot("10.0.0.1"):
...     with a.slot("10.0.0.2"):
...         pass  # another client is not held up
...     try:
...         with a.slot("10.0.0.1"):
...             pass
...     except TooManyQueriesError as exc:
...         print(exc.retry_after)
1
>>> a.mark_heavy("10.0.0.1", "k"); a.is_heavy("10.0.0.1", "x"), a.is_heavy("10.0.0.9", "k")
(True, True)
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from contextlib import contextmanager

from kg.errors import QueryError

__all__ = ["Admission", "BusyError", "TooManyQueriesError"]

#: How many clients and query keys the heavy-query memory keeps (oldest forgotten first).
MEMORY_SIZE = 10_000


class BusyError(QueryError):
    """Every query slot is taken; try again after ``retry_after`` seconds (503)."""

    def __init__(self, message: str, retry_after: int = 2) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class TooManyQueriesError(QueryError):
    """This client already runs as many queries as it may (429)."""

    def __init__(self, message: str, retry_after: int = 1) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class _Expiring:
    """A bounded set whose members expire."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._until: OrderedDict[str, float] = OrderedDict()

    def add(self, key: str) -> None:
        self._until[key] = time.monotonic() + self.seconds
        self._until.move_to_end(key)
        while len(self._until) > MEMORY_SIZE:
            self._until.popitem(last=False)

    def __contains__(self, key: str) -> bool:
        until = self._until.get(key)
        if until is None:
            return False
        if until < time.monotonic():
            del self._until[key]
            return False
        return True


class Admission:
    """Per-client concurrency caps and the memory of heavy queries (thread-safe).

    Args:
        per_client: queries one client may run at once.
        wait: seconds a query over the cap waits for the client's own queries to finish.
        heavy_client_seconds: how long a client that sent a heavy query is sent to the heavy
            lane.
        heavy_query_seconds: how long a heavy query (by key) is sent to the heavy lane.
    """

    def __init__(self, per_client: int, wait: float, *, heavy_client_seconds: float = 60.0,
                 heavy_query_seconds: float = 600.0) -> None:
        self.per_client = max(1, per_client)
        self.wait = wait
        self._running: dict[tuple[str, str], int] = {}
        self._cond = threading.Condition()
        self._heavy_clients = _Expiring(heavy_client_seconds)
        self._heavy_queries = _Expiring(heavy_query_seconds)

    @contextmanager
    def slot(self, client: str | None, lane: str = "all", limit: int | None = None
             ) -> Iterator[None]:
        """Hold one of the client's slots (in ``lane``, at most ``limit``) while the block
        runs; an anonymous caller (``None``: the app itself) is not counted.

        Raises:
            TooManyQueriesError: the client's slots stayed full for ``wait`` seconds.
        """
        if client is None:
            yield
            return
        cap = self.per_client if limit is None else max(1, limit)
        key = (client, lane)
        deadline = time.monotonic() + self.wait
        with self._cond:
            while self._running.get(key, 0) >= cap:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TooManyQueriesError(
                        f"you already run {cap} {'heavy ' if lane != 'all' else ''}"
                        f"quer{'y' if cap == 1 else 'ies'} at once; wait for "
                        f"{'it' if cap == 1 else 'them'} to finish", retry_after=1)
                self._cond.wait(left)
            self._running[key] = self._running.get(key, 0) + 1
        try:
            yield
        finally:
            with self._cond:
                n = self._running[key] - 1
                if n:
                    self._running[key] = n
                else:
                    del self._running[key]
                self._cond.notify_all()

    def holding(self, client: str | None, lane: str = "all") -> int:
        """How many slots of ``lane`` the client holds now."""
        if client is None:
            return 0
        with self._cond:
            return self._running.get((client, lane), 0)

    def mark_heavy(self, client: str | None, query_key: str | None) -> None:
        """Remember a client and a query that were too slow for the fast lane (or crashed)."""
        with self._cond:
            if client is not None:
                self._heavy_clients.add(client)
            if query_key is not None:
                self._heavy_queries.add(query_key)

    def is_heavy(self, client: str | None, query_key: str | None) -> bool:
        """True when the client or the query was heavy recently."""
        with self._cond:
            return ((client is not None and client in self._heavy_clients)
                    or (query_key is not None and query_key in self._heavy_queries))
