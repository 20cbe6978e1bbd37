"""Worker processes for public queries, in two lanes, so heavy queries cannot starve light ones.

Oxigraph cannot cancel a query from Python, so untrusted queries run in worker processes
(``python -m kg.query.worker``, fresh interpreters with the store opened read-only) that can
be killed. :class:`ProcessRunner` keeps two lanes of them:

* the **fast lane** (``fast_workers``, default 1): every query starts here unless its client
  or the query itself was heavy recently. A query still running after ``fast_timeout``
  seconds (0.5 s) has its worker killed and replaced, and moves to the heavy lane with the
  rest of its time; its client (for a minute) and the query (for ten minutes) are then
  sent straight to the heavy lane. So small queries always find a worker that no heavy
  query can hold for long.
* the **heavy lane** (``workers``, 2–4): queries that take long, each up to ``timeout``;
  one client may hold at most ``workers - 1`` of them at once (429 beyond), and a query
  waits at most ``queue_wait`` seconds for a free worker (then 503 with ``Retry-After``).
  Heavy workers run at a lower CPU priority (``nice`` 10) than the web process and the fast
  lane, so pages stay quick while they work.

A light query may also use an idle heavy worker when the fast lane is busy. A worker killed
at a time limit, or one that died (a crash, the OOM killer), is replaced at once by a worker
kept on standby, and a new standby starts in the background; the query gets a clear error
and no other query is touched. Workers end with the server (see :mod:`kg.query.worker`).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import subprocess
import sys
import threading
import time
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import KgError, QueryTimeoutError, StoreError
from kg.query.admission import BusyError
from kg.query.runner import QueryRunner, RunLimits, query_key
from kg.query.worker import raise_reply

__all__ = ["FAST", "HEAVY", "ProcessRunner", "WorkerPool"]

log = logging.getLogger(__name__)

FAST, HEAVY, STANDBY = "fast", "heavy", "standby"
#: Seconds a worker is given on top of the time limit before it is killed.
GRACE = 0.25
#: CPU priority (``nice``) of each lane's workers.
NICE = {FAST: 0, HEAVY: 10, STANDBY: 0}
_ROOT = Path(__file__).resolve().parents[2]


class _Worker:
    """One worker process and the parent's ends of its pipes."""

    def __init__(self, path: Path, lane: str) -> None:
        self.lane = lane
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (str(_ROOT), env.get("PYTHONPATH")) if p)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "kg.query.worker", str(path), str(os.getpid()),
             str(NICE[lane])],
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
        """Send a request and wait; ``None`` when no answer came in time.

        Raises:
            EOFError, OSError: the worker died.
        """
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


class WorkerPool:
    """Idle workers per lane, started lazily (or by :meth:`warm`) up to each lane's size,
    and ``spares`` started workers on standby.

    A worker that is killed (a time limit, a move to the heavy lane) or dies is replaced at
    once by a standby worker, while a new standby starts in the background: starting an
    interpreter and opening the store takes 0.3–0.5 s (seconds on a loaded machine), which a
    query should not wait for. All workers are started by one long-lived spawner thread: the
    kernel's parent-death signal is tied to the thread that started a process, and one at a
    time keeps a crash loop from filling the machine with starting interpreters.
    """

    #: Seconds a new worker may take to open the store.
    START_TIMEOUT = 30.0

    def __init__(self, path: Path, sizes: dict[str, int], spares: int = 1) -> None:
        self.path = path
        self.sizes = {lane: n for lane, n in sizes.items() if n > 0}
        self.spares = spares
        self._idle: dict[str, list[_Worker]] = {lane: [] for lane in self.sizes}
        self._started = dict.fromkeys(self.sizes, 0)  # alive or starting
        self._starting = dict.fromkeys(self.sizes, 0)
        self._standby: list[_Worker] = []
        self._standby_starting = 0
        self._cond = threading.Condition()
        self._jobs: queue.Queue[str | None] = queue.Queue()
        self._all: set[_Worker] = set()
        self._closed = False
        self.kills = 0
        threading.Thread(target=self._spawner, name="kg-query-spawner", daemon=True).start()

    # -- starting -------------------------------------------------------------------------
    def _spawner(self) -> None:
        while True:
            lane = self._jobs.get()
            if lane is None:
                return
            try:
                worker: _Worker | None = _Worker(self.path, FAST if lane == STANDBY else lane)
                assert worker is not None
                worker.wait_ready(self.START_TIMEOUT)
            except (KgError, OSError) as exc:
                log.error("could not start a query worker: %s", exc)
                worker = None
            with self._cond:
                if lane == STANDBY:
                    self._standby_starting -= 1
                    if worker is not None and not self._closed:
                        self._standby.append(worker)
                else:
                    self._starting[lane] -= 1
                    if worker is None or self._closed:
                        self._started[lane] -= 1
                    else:
                        self._idle[lane].append(worker)
                        self._all.add(worker)
                self._cond.notify_all()
            if worker is not None and self._closed:
                worker.kill()

    def _start(self, lane: str) -> None:
        """Give ``lane`` one more worker: a standby one at once, else a new one in the
        background (the caller holds the lock)."""
        self._started[lane] += 1
        if self._standby:
            worker = self._standby.pop()
            worker.lane = lane
            if NICE[lane] > NICE[FAST]:
                with contextlib.suppress(OSError):  # it may have ended meanwhile
                    os.setpriority(os.PRIO_PROCESS, worker.proc.pid, NICE[lane])
            self._idle[lane].append(worker)
            self._all.add(worker)
            self._cond.notify_all()
        else:
            self._starting[lane] += 1
            self._jobs.put(lane)
        self._refill()

    def _refill(self) -> None:
        """Start standby workers up to ``spares`` (the caller holds the lock)."""
        while not self._closed and len(self._standby) + self._standby_starting < self.spares:
            self._standby_starting += 1
            self._jobs.put(STANDBY)

    def warm(self) -> None:
        """Start every worker not started yet, and the standby ones, in the background."""
        with self._cond:
            for lane, size in self.sizes.items():
                for _ in range(size - self._started[lane]):
                    self._start(lane)
            self._refill()

    # -- lending --------------------------------------------------------------------------
    def acquire(self, lanes: tuple[str, ...], wait: float, retry_after: int = 2) -> _Worker:
        """An idle worker of the first lane in ``lanes`` that has one.

        Waits up to ``wait`` seconds (longer while workers of these lanes are starting).

        Raises:
            BusyError: none became free in time.
        """
        lanes = tuple(lane for lane in lanes if lane in self.sizes)
        deadline = time.monotonic() + wait
        with self._cond:
            while True:
                for lane in lanes:
                    if self._idle[lane]:
                        return self._idle[lane].pop()  # the most recently used: warm caches
                for lane in lanes:
                    if self._started[lane] < self.sizes[lane]:
                        self._start(lane)
                starting = (any(self._starting[lane] for lane in lanes)
                            or self._standby_starting > 0)
                left = deadline - time.monotonic()
                if starting:
                    left = max(left, min(self.START_TIMEOUT, 5.0))
                if left <= 0 or self._closed:
                    raise BusyError("every query worker is busy; try again shortly",
                                    retry_after=retry_after)
                self._cond.wait(left)

    def release(self, worker: _Worker) -> None:
        with self._cond:
            if not self._closed:
                self._idle[worker.lane].append(worker)
                self._cond.notify_all()
                return
        worker.kill()

    def replace(self, worker: _Worker) -> None:
        """Kill a worker (stuck or dead) and start its successor in the background."""
        worker.kill()
        with self._cond:
            self._all.discard(worker)
            self.kills += 1
            self._started[worker.lane] -= 1
            if not self._closed:
                self._start(worker.lane)

    def ready(self) -> bool:
        """True when every lane has all its workers and the standby ones are up."""
        with self._cond:
            return (all(self._started[lane] == size for lane, size in self.sizes.items())
                    and not any(self._starting.values())
                    and len(self._standby) >= self.spares)

    def pids(self, lane: str | None = None, *, busy: bool | None = None) -> list[int]:
        """Process ids of the live workers (of one lane; only the busy or idle ones)."""
        with self._cond:
            idle = {id(w) for workers in self._idle.values() for w in workers}
            return sorted(w.proc.pid for w in self._all if lane in (None, w.lane)
                          and busy in (None, id(w) not in idle))

    def close(self) -> None:
        with self._cond:
            self._closed = True
            idle = [w for workers in self._idle.values() for w in workers] + self._standby
            self._standby = []
            for workers in self._idle.values():
                workers.clear()
            self._cond.notify_all()
        self._jobs.put(None)
        for w in idle:
            w.kill()


class ProcessRunner(QueryRunner):
    """A two-lane pool of worker processes over an on-disk Oxigraph store (see the module
    docstring)."""

    def __init__(self, path: Path | str, limits: RunLimits) -> None:
        super().__init__(limits)
        self.path = Path(path)
        self.pool = WorkerPool(self.path, {FAST: limits.fast_workers, HEAVY: limits.workers})

    @property
    def _retry_after(self) -> int:
        return max(1, round(self.limits.timeout / 2))

    @property
    def kills(self) -> int:
        """Workers killed so far (time limits, fast-lane moves, crashes)."""
        return self.pool.kills

    def warm(self) -> None:
        """Start the workers in the background (so the first burst of queries does not wait
        for interpreters to start)."""
        self.pool.warm()

    def _run(self, request: tuple[Any, ...], client: str | None) -> tuple[Any, ...]:
        key = query_key(request[1], request[2], request[7])
        started = time.monotonic()
        heavy = self.admission.is_heavy(client, key)
        if heavy:
            self.admission.mark_heavy(client, None)  # who sends a heavy query is heavy
        if self.limits.fast_workers and not heavy:
            room = self.admission.holding(client, HEAVY) < self.limits.heavy_per_client
            worker = self.pool.acquire((FAST, HEAVY) if room else (FAST,), self.limits.queue_wait,
                                       self._retry_after)
            if worker.lane == HEAVY:
                with self.admission.slot(client, HEAVY, self.limits.heavy_per_client):
                    done = self._call(worker, request, self.limits.timeout, client, key)
                assert done is not None
                return done
            reply = self._call(worker, request, self.limits.fast_timeout, client, key,
                               fast=True)
            if reply is not None:
                return reply
            log.info("query moved to the heavy lane after %.2f s", time.monotonic() - started)
        left = self.limits.timeout - (time.monotonic() - started)
        with self.admission.slot(client, HEAVY, self.limits.heavy_per_client):
            worker = self.pool.acquire((HEAVY,), self.limits.queue_wait, self._retry_after)
            result = self._call(worker, request, max(left, 0.1), client, key)
        assert result is not None
        return result

    def _call(self, worker: _Worker, request: tuple[Any, ...], seconds: float,
              client: str | None, key: str, *, fast: bool = False) -> tuple[Any, ...] | None:
        """Run on ``worker``; ``None`` when a fast-lane query ran out of its short time.

        Raises:
            QueryTimeoutError: past the time limit (the worker was replaced).
            StoreError: the worker died while running the query (it was replaced).
        """
        started = time.monotonic()
        try:
            reply = worker.call(request, seconds + (0 if fast else GRACE))
        except (EOFError, OSError) as exc:
            try:
                code: int | None = worker.proc.wait(timeout=1)
            except subprocess.TimeoutExpired:
                code = None
            self.pool.replace(worker)
            self.admission.mark_heavy(client, key)
            log.error("a query worker died while running a query (exit code %s): %s", code, exc)
            raise StoreError(
                "the query engine process running this query stopped unexpectedly"
                f"{f' (exit code {code})' if code is not None else ''}; the query was not "
                "answered. Other queries are not affected.") from exc
        if reply is None:
            self.pool.replace(worker)
            self.admission.mark_heavy(client, key)
            if fast:
                return None
            log.warning("query stopped after %.1f s; worker killed", time.monotonic() - started)
            raise QueryTimeoutError(
                f"the query ran past its time limit of {self.limits.timeout:g} s")
        self.pool.release(worker)
        if reply[0] != "ok":
            raise_reply(reply)
        return reply[1:]

    def close(self) -> None:
        self.pool.close()
