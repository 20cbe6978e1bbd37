"""rdflib in memory, in a child process, for the benchmark's comparison column.

rdflib's engine can spend minutes inside one query before its first row, where no deadline
check runs; in a child process such a query is simply killed at the time limit (and the
child started again, lazily, for the next operation).
"""

from __future__ import annotations

import logging
import multiprocessing as mp
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.bench.recording import Call

__all__ = ["RdflibWorker"]

log = logging.getLogger(__name__)


def _serve(conn: Connection, data: str, base_iri: str) -> None:
    from kg.config import Settings
    from kg.load.loader import add_files
    from kg.store import open_store

    settings = Settings.load(environ={})
    store = open_store("memory")
    started = time.perf_counter()
    add_files(store, [Path(data)], settings)
    conn.send(time.perf_counter() - started)
    while True:  # bounded by the parent: it closes the pipe or kills this process
        try:
            calls: list[Call] = conn.recv()
        except EOFError:
            return
        started = time.perf_counter()
        for call in calls:
            store.query(call.sparql, bindings=dict(call.bindings), limit=call.limit)
        conn.send(time.perf_counter() - started)


class RdflibWorker:
    """A child process holding the graph in rdflib; :meth:`replay` times queries there."""

    def __init__(self, data: Path, base_iri: str, load_timeout: float = 600) -> None:
        self.data = data
        self.base_iri = base_iri
        self.load_timeout = load_timeout
        self.load_seconds: float | None = None
        self._proc: Any = None
        self._conn: Connection | None = None

    def _start(self) -> bool:
        ctx = mp.get_context("spawn")
        parent, child = ctx.Pipe()
        self._proc = ctx.Process(target=_serve, args=(child, str(self.data), self.base_iri),
                                 daemon=True, name="kg-bench-rdflib")
        self._proc.start()
        child.close()
        self._conn = parent
        if not parent.poll(self.load_timeout):
            self.close()
            return False
        self.load_seconds = parent.recv()
        return True

    def replay(self, calls: list[Call], timeout: float) -> float | None:
        """Seconds rdflib takes for ``calls``; None when it takes longer than ``timeout``."""
        if self._conn is None and not self._start():
            return None
        assert self._conn is not None
        self._conn.send(calls)
        if self._conn.poll(timeout):
            seconds: float = self._conn.recv()
            return seconds
        log.info("rdflib gave no answer within %.0f s; stopping it", timeout)
        self.close()
        return None

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        if self._proc is not None:
            self._proc.kill()
            self._proc.join(timeout=10)
            self._proc = None
