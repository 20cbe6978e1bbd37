"""``kg serve`` as visitors meet it: the first request after a start, fifty clients at once
(wrk, 100 random entity pages, then the same with conditional requests), and how long a
published change takes to show in pages, search and ``/sparql``.

The change is what the edit service's publishing does (:meth:`StoreHandle.apply` of a
:class:`~kg.store.delta.Delta`: a new version folder swapped in), made by this process
while ``kg serve`` runs in another; the clock runs from the start of the change until the
new organisation's page answers, ``/api/sok`` finds its name and ``/sparql`` sees it.
"""

from __future__ import annotations

import http.client
import json
import secrets
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from rdflib import Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS

from kg.bench.concurrency import first_request, wrk_pages
from kg.bench.endpoint import get, serve_app
from kg.bench.operations import Context
from kg.bench.report import Row, SizeReport
from kg.bench.stats import wait_until_quiet
from kg.store.delta import Delta
from kg.store.handle import StoreHandle

if TYPE_CHECKING:
    from kg.bench.runner import BenchConfig

__all__ = ["measure_serving", "visible_after_change"]

#: Seconds a change may take to show before the benchmark gives up on it.
WRITE_GIVE_UP = 60.0


def _sample_paths(ctx: Context, n: int = 100) -> list[str]:
    kinds = ["schema:Project", "org:Organization", "foaf:Person"]
    iris = [i for k in kinds for i in ctx.sample(ctx.entities(k), n // len(kinds) + 1)]
    ctx.rng.shuffle(iris)
    return [ctx.path(i) for i in iris[:n]]


def _get(port: int, path: str) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Accept": "application/json"})
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def visible_after_change(port: int, store_dir: Path, base: str) -> dict[str, float]:
    """Publish a new organisation into the store at ``store_dir`` (served on ``port``) and
    return the seconds until each reader sees it: ``apply``, ``page``, ``search``,
    ``sparql`` (``inf`` for one that never did within :data:`WRITE_GIVE_UP`)."""
    token = secrets.token_hex(4)
    word = f"Skrivprov{token}"
    iri = URIRef(f"{base}id/organisation/skrivprov-{token}")
    graph = URIRef(f"{base}graph/bench-skrivprov")
    delta = Delta(add=[(iri, RDF.type, ORG.Organization, graph),
                       (iri, RDFS.label, Literal(f"{word} ekonomisk förening", lang="sv"), graph)])
    path = "/" + str(iri)[len(base):]
    ask = "/sparql?" + urlencode({"query": f"ASK {{ <{iri}> a <{ORG.Organization}> }}",
                                  "format": "json"})
    search = "/api/sok?" + urlencode({"q": word})
    checks: dict[str, Callable[[], bool]] = {
        "page": lambda: _get(port, path)[0] == 200,
        "search": lambda: str(iri) in _get(port, search)[1].decode("utf-8", "replace"),
        "sparql": lambda: json.loads(_get(port, ask)[1] or b"{}").get("boolean") is True,
    }
    handle = StoreHandle(spec=f"oxigraph:{store_dir}")
    started = time.perf_counter()
    try:
        handle.apply(delta)
    finally:
        handle.close()
    seen: dict[str, float] = {"apply": time.perf_counter() - started}

    def poll(name: str, check: Callable[[], bool]) -> None:
        # each reader on its own, as three visitors would: a slow one does not delay the rest
        while time.perf_counter() - started < WRITE_GIVE_UP:
            if check():
                seen[name] = time.perf_counter() - started
                return
            time.sleep(0.02)

    pollers = [threading.Thread(target=poll, args=item, daemon=True) for item in checks.items()]
    for t in pollers:
        t.start()
    for t in pollers:
        t.join(WRITE_GIVE_UP + 30)
    return {name: seen.get(name, float("inf")) for name in ("apply", *checks)}


def measure_serving(config: BenchConfig, ctx: Context, store_dir: Path,
                    report: SizeReport) -> None:
    """Add the rows of the first request, wrk and the published change to ``report``."""
    work = config.work_dir / f"serving-{report.size}"
    work.mkdir(parents=True, exist_ok=True)
    paths = _sample_paths(ctx)
    if not paths:
        report.notes.append("serving: no entities to request")
        return
    with serve_app(store_dir, work / "cache", probe=False) as (port, pid):
        first, fresh, again = first_request(port, paths[:21])
        # fifty clients of a server in service, not of one still computing its start-up
        # values (tables, analytics: in its own process, seconds to minutes at 1 M)
        settled = wait_until_quiet(pid)
        get(port, paths)  # kept pages: each rendered once before the clock starts
        report.rows.append(Row(
            "first entity page after kg serve started", 1, first * 1000, first * 1000,
            fresh.median_ms, None, first * 1000 / fresh.median_ms, "first",
            note=f"raw = a warm server's first rendering of a page (median of {fresh.n}); "
                 f"rendered pages again: {again.median_ms:.1f} ms"))
        for conditional in (False, True):
            got = wrk_pages(port, paths, work, clients=config.wrk_clients,
                            seconds=config.wrk_seconds, conditional=conditional)
            label = (f"entity pages, {config.wrk_clients} clients (wrk, {len(paths)} pages"
                     + (", conditional: 304)" if conditional else ")") + ", req/s")
            if isinstance(got, str):
                report.notes.append(f"{label}: skipped ({got})")
                break
            report.rows.append(Row(
                label, got.requests, got.requests_per_s, got.requests_per_s,
                target=None if conditional else "wrk", unit="req/s",
                extra={"p50_ms": got.p50_ms, "p99_ms": got.p99_ms},
                note=f"p50 {got.p50_ms:.0f} ms, p99 {got.p99_ms:.0f} ms, "
                     f"{config.wrk_seconds} s; errors {got.errors}, non-2xx/3xx {got.not_ok}"
                     f"; after the start-up warm-up ({settled:.0f} s), each page kept"))
        seen = visible_after_change(port, store_dir, ctx.base)
    slowest = max(seen[k] for k in ("page", "search", "sparql"))
    report.rows.append(Row(
        "published change visible (page, search, /sparql), s", 1, slowest, slowest,
        target="write", unit="s",
        note=", ".join(f"{k} {v:.2f} s" for k, v in seen.items())))
