"""Timing samples and memory readings for the benchmark.

>>> s = Samples([0.001, 0.002, 0.003, 0.004])
>>> round(s.median_ms, 2), round(s.p95_ms, 2)
(2.5, 3.85)
"""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["Samples", "peak_rss_mb", "percentile", "rss_mb", "time_call", "tree_rss_mb"]


def percentile(values: list[float], q: float) -> float:
    """The ``q``-th percentile (0–100) with linear interpolation."""
    if not values:
        return float("nan")
    xs = sorted(values)
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


@dataclass
class Samples:
    """Durations in seconds."""

    values: list[float] = field(default_factory=list)

    @property
    def n(self) -> int:
        return len(self.values)

    @property
    def median_ms(self) -> float:
        return statistics.median(self.values) * 1000 if self.values else float("nan")

    @property
    def p95_ms(self) -> float:
        return percentile(self.values, 95) * 1000

    def add(self, seconds: float) -> None:
        self.values.append(seconds)


def time_call(fn: Callable[[], object]) -> float:
    """Seconds one call takes."""
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def _status_kb(pid: int, key: str) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    for line in text.splitlines():
        if line.startswith(key + ":"):
            return int(line.split()[1])
    return 0


def rss_mb(pid: int | None = None) -> float:
    """Resident memory of a process now, in MB."""
    return _status_kb(pid or os.getpid(), "VmRSS") / 1024


def peak_rss_mb(pid: int | None = None) -> float:
    """Peak resident memory of a process so far, in MB."""
    return _status_kb(pid or os.getpid(), "VmHWM") / 1024


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


def tree_rss_mb(pid: int, *, peak: bool = False) -> float:
    """Resident memory of a process and all its descendants (e.g. query workers), in MB."""
    todo, seen, total = [pid], set(), 0.0
    while todo:  # bounded: each process is visited once
        p = todo.pop()
        if p in seen:
            continue
        seen.add(p)
        total += peak_rss_mb(p) if peak else rss_mb(p)
        todo.extend(_children(p))
    return total


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, in seconds (0 when gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def wait_until_quiet(pid: int, *, busy_below: float = 0.05, window: float = 2.0,
                     timeout: float = 600.0) -> float:
    """Wait until a process uses less than ``busy_below`` of a core over ``window`` seconds
    (its start-up work done), at most ``timeout`` seconds; returns the seconds waited.

    >>> wait_until_quiet(os.getpid(), window=0.1, timeout=1) < 1.5
    True
    """
    started = time.monotonic()
    while time.monotonic() - started < timeout:  # bounded by the timeout
        before = cpu_seconds(pid)
        time.sleep(window)
        if cpu_seconds(pid) - before < busy_below * window:
            break
    return time.monotonic() - started
