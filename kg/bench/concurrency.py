"""Many clients at once, and the first request after a start: what a busy day and a
restart feel like.

:func:`wrk_pages` drives ``kg serve`` with `wrk <https://github.com/wg/wrk>`_ (Debian's
``wrk``): ``clients`` connections for ``seconds``, each request a random page of a fixed
list (100 random entities), and reads throughput and the latency percentiles it prints.
:func:`first_request` starts ``kg serve``, times the very first page as soon as the port
answers, then the same page again warm.

Both send traffic to 127.0.0.1 only, bounded in time.
"""

from __future__ import annotations

import http.client
import json
import re
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from kg.bench.stats import Samples

__all__ = ["WRK", "WrkResult", "first_request", "parse_wrk", "timed_get", "wrk_pages"]

WRK = shutil.which("wrk") or "/usr/bin/wrk"
_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1000.0, "m": 60_000.0}


@dataclass
class WrkResult:
    """What wrk measured."""

    requests_per_s: float
    p50_ms: float
    p99_ms: float
    requests: int
    errors: int
    not_ok: int


def _ms(text: str) -> float:
    m = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text.strip())
    if m is None:
        return float("nan")
    return float(m.group(1)) * _UNITS[m.group(2)]


def parse_wrk(out: str) -> WrkResult:
    """Read ``wrk --latency`` output.

    >>> r = parse_wrk('''  Latency Distribution
    ...      50%   10.50ms
    ...      99%    1.20s
    ...   24000 requests in 60.00s, 1.00GB read
    ...   Socket errors: connect 0, read 2, write 0, timeout 3
    ...   Non-2xx or 3xx responses: 4
    ... Requests/sec:    400.10''')
    >>> (r.requests_per_s, r.p50_ms, r.p99_ms, r.requests, r.errors, r.not_ok)
    (400.1, 10.5, 1200.0, 24000, 5, 4)
    """
    rps = re.search(r"Requests/sec:\s+([\d.]+)", out)
    p50 = re.search(r"^\s+50%\s+(\S+)", out, re.M)
    p99 = re.search(r"^\s+99%\s+(\S+)", out, re.M)
    total = re.search(r"(\d+) requests in", out)
    socket = re.search(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", out)
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return WrkResult(
        float(rps.group(1)) if rps else 0.0,
        _ms(p50.group(1)) if p50 else float("nan"),
        _ms(p99.group(1)) if p99 else float("nan"),
        int(total.group(1)) if total else 0,
        sum(int(x) for x in socket.groups()) if socket else 0,
        int(bad.group(1)) if bad else 0,
    )


def _script(paths: list[str], folder: Path, conditional: bool) -> Path:
    """A wrk Lua script requesting a random path of ``paths`` each time (seeded); with
    ``conditional`` it sends the ETag it last saw for that path, as a browser does."""
    lua = folder / ("wrk-conditional.lua" if conditional else "wrk-pages.lua")
    body = [f"local paths = {json.dumps(paths)}".replace("[", "{").replace("]", "}"),
            "local etags = {}", "local last = nil", "math.randomseed(1)",
            "request = function()",
            "  last = paths[math.random(#paths)]"]
    if conditional:
        body += ["  local tag = etags[last]",
                 "  if tag then return wrk.format('GET', last, {['If-None-Match'] = tag}) end"]
    body += ["  return wrk.format('GET', last)", "end"]
    if conditional:
        body += ["response = function(status, headers, body)",
                 "  if headers['ETag'] then etags[last] = headers['ETag'] end", "end"]
    lua.write_text("\n".join(body) + "\n", encoding="utf-8")
    return lua


def wrk_pages(port: int, paths: list[str], folder: Path, *, clients: int = 50,
              seconds: int = 60, threads: int = 2, conditional: bool = False) -> WrkResult | str:
    """Throughput and latency of ``paths`` under ``clients`` connections; or why not."""
    if not Path(WRK).exists():
        return "wrk is not installed (Debian package wrk; scripts/setup.sh installs it)"
    script = _script(paths, folder, conditional)
    done = subprocess.run([WRK, f"-t{threads}", f"-c{clients}", f"-d{seconds}s", "--latency",
                           "--timeout", "10s", "-s", str(script), f"http://127.0.0.1:{port}"],
                          capture_output=True, text=True, timeout=seconds + 60, check=False)
    if done.returncode != 0:
        return f"wrk failed: {done.stderr.strip()[:300]}"
    return parse_wrk(done.stdout)


def timed_get(port: int, path: str, timeout: float = 600) -> tuple[float, int]:
    """Seconds one GET takes on a fresh connection, and its status."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        started = time.perf_counter()
        conn.request("GET", path)
        resp = conn.getresponse()
        resp.read()
        return time.perf_counter() - started, resp.status
    finally:
        conn.close()


def first_request(port: int, paths: list[str]) -> tuple[float, Samples, Samples]:
    """The first request to a just-started server (the first of ``paths``), then each other
    path once (warm process, page not rendered yet), then all again (rendered pages):
    seconds, and the two kinds of warm samples."""
    first, _ = timed_get(port, paths[0])
    fresh, again = Samples(), Samples()
    for path in paths[1:]:
        fresh.add(timed_get(port, path)[0])
    for path in paths:
        again.add(timed_get(port, path)[0])
    return first, fresh, again
