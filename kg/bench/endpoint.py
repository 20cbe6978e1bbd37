"""The ``/sparql`` query mix over HTTP: our app under ``kg serve`` (waitress) against
Oxigraph's own server on the same store folder, one after the other, both on 127.0.0.1.

The mix is the set of queries of ``shared/PERF-ANCHORS.md`` that a page or a person sends
often (a project's triples with neighbour labels, 2-hop co-partners, a label search, funding
per funder, partner × funder × year range), drawn with fixed random parameters so that both
servers get the very same requests from the same number of concurrent clients.
"""

from __future__ import annotations

import http.client
import os
import random
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

from kg.bench.operations import Context, hub, search_terms
from kg.bench.stats import Samples, tree_rss_mb
from kg.devtools.servers import OxigraphServer, free_port
from kg.errors import StoreError
from kg.namespaces import sparql_prologue

__all__ = ["MixResult", "build_mix", "run_mix", "serve_app"]

PROLOGUE = sparql_prologue()
QUERIES = {
    "project page": "SELECT ?p ?o ?l WHERE {{ {{ <{project}> ?p ?o }} UNION {{ ?o ?p <{project}> }} "
                    "OPTIONAL {{ ?o rdfs:label ?l }} }}",
    "2-hop co-partners": "SELECT DISTINCT ?other WHERE {{ ?m1 org:member <{org}> ; "
                         "org:organization ?proj . ?m2 org:organization ?proj ; "
                         "org:member ?other . FILTER(?other != <{org}>) }}",
    "label search": "SELECT ?s ?l WHERE {{ ?s rdfs:label ?l "
                    "FILTER(CONTAINS(LCASE(STR(?l)), \"{word}\")) }} LIMIT 50",
    "partner x funder x years": "SELECT ?proj ?f ?a ?y WHERE {{ ?m org:member <{org}> ; "
                                "org:organization ?proj . ?g schema:fundedItem ?proj ; "
                                "schema:funder ?f ; schema:amount ?a ; kfv:year ?y "
                                "FILTER(xsd:integer(STR(?y)) >= 2012 && "
                                "xsd:integer(STR(?y)) <= 2020) }}",
    "funding per funder": "SELECT ?f (SUM(?a) AS ?total) WHERE {{ ?g a schema:MonetaryGrant ; "
                          "schema:funder ?f ; schema:amount ?a }} GROUP BY ?f "
                          "ORDER BY DESC(?total) LIMIT 20",
}
WEIGHTS = {"project page": 4, "2-hop co-partners": 2, "label search": 2,
           "partner x funder x years": 2, "funding per funder": 1}


@dataclass
class MixResult:
    """Throughput and latencies of one server on the mix."""

    name: str
    seconds: float
    requests: int
    per_query: dict[str, Samples] = field(default_factory=dict)
    errors: int = 0

    @property
    def qps(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0


def build_mix(ctx: Context, rounds: int) -> list[tuple[str, str]]:
    """(kind, query text) pairs: ``rounds`` times the weighted mix, parameters drawn once."""
    projects = ctx.entities("schema:Project")
    orgs = [*ctx.entities("org:Organization"), hub(ctx)]
    words = [w.lower().replace('"', "") for w in search_terms(ctx, rounds * 2) if w]
    mix = []
    for _ in range(rounds):
        for kind, weight in WEIGHTS.items():
            for _ in range(weight):
                text = QUERIES[kind].format(project=ctx.rng.choice(projects),
                                            org=ctx.rng.choice(orgs),
                                            word=ctx.rng.choice(words) if words else "a")
                mix.append((kind, PROLOGUE + text))
    random.Random(len(mix)).shuffle(mix)
    return mix


def source_address(i: int) -> tuple[str, int]:
    """The loopback address client ``i`` sends from: 127.0.0.2, 127.0.0.3, … (all of 127/8
    is this machine on Linux), so that the server sees distinct visitors, as it would from
    the internet, and its per-client caps apply to each as to a real visitor.

    >>> source_address(0), source_address(3)
    (('127.0.0.2', 0), ('127.0.0.5', 0))
    """
    return (f"127.0.0.{2 + i % 250}", 0)


def _client(port: int, path: str, work: list[tuple[str, str]], result: MixResult,
            lock: threading.Lock, source: tuple[str, int] | None = None) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120, source_address=source)
    headers = {"Content-Type": "application/x-www-form-urlencoded",
               "Accept": "application/sparql-results+json"}
    try:
        for kind, text in work:
            started = time.perf_counter()
            conn.request("POST", path, body=urlencode({"query": text}), headers=headers)
            resp = conn.getresponse()
            resp.read()
            took = time.perf_counter() - started
            with lock:
                result.per_query.setdefault(kind, Samples()).add(took)
                result.errors += resp.status >= 400
    finally:
        conn.close()


def run_mix(name: str, port: int, path: str, mix: list[tuple[str, str]],
            clients: int = 4) -> MixResult:
    """Send the mix from ``clients`` threads (keep-alive connections), each from its own
    loopback address (:func:`source_address`); measure throughput."""
    for kind, text in mix[: len(WEIGHTS) * 2]:  # warm-up, not counted
        _client(port, path, [(kind, text)], MixResult(name, 0, 0), threading.Lock())
    result = MixResult(name, 0.0, len(mix))
    lock = threading.Lock()
    shares = [mix[i::clients] for i in range(clients)]
    threads = [threading.Thread(target=_client,
                                args=(port, path, share, result, lock, source_address(i)))
               for i, share in enumerate(shares)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    result.seconds = time.perf_counter() - started
    return result


@contextmanager
def serve_app(store_dir: Path, cache_dir: Path, threads: int = 8, *,
              probe: bool = True) -> Iterator[tuple[int, int]]:
    """``kg serve`` on the store in a child process; yields (port, pid). Without ``probe``
    it waits for the port to accept connections only (no request is made)."""
    port = free_port()
    env = {**os.environ, "KG_CACHE_DIR": str(cache_dir), "KG_STORE": f"oxigraph:{store_dir}"}
    log_file = cache_dir.parent / "kg-serve.log"
    cache_dir.mkdir(parents=True, exist_ok=True)
    with open(log_file, "ab") as out:
        proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1",
                                 "--port", str(port), "--threads", str(threads)],
                                stdout=out, stderr=subprocess.STDOUT, env=env,
                                start_new_session=True)
    try:
        _wait(port, proc, log_file, probe=probe)
        yield port, proc.pid
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


def _wait(port: int, proc: subprocess.Popen[bytes], log_file: Path, timeout: float = 600, *,
          probe: bool = True) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # bounded by the deadline
        if proc.poll() is not None:
            raise StoreError(f"kg serve exited ({proc.returncode}); see {log_file}")
        if not probe:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return
            except OSError:
                time.sleep(0.05)
                continue
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
        try:
            conn.request("GET", "/sparql?query=ASK%7B%7D")
            conn.getresponse().read()
            return
        except OSError:
            time.sleep(0.3)
        finally:
            conn.close()
    raise StoreError(f"kg serve did not answer within {timeout:g} s; see {log_file}")


def get(port: int, urls: list[str]) -> None:
    """GET each URL once (to bring the serving process to its working size)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
    try:
        for url in urls:
            conn.request("GET", url)
            conn.getresponse().read()
    finally:
        conn.close()


def compare(store_dir: Path, work_dir: Path, mix: list[tuple[str, str]], warm_urls: list[str],
            clients: int = 4) -> tuple[MixResult, MixResult, float, float]:
    """The mix on our endpoint and on Oxigraph's server; also the serving memory of our app
    (process tree, now and peak, MB) after the mix and the ``warm_urls`` pages."""
    with serve_app(store_dir, work_dir / "serve-cache") as (port, pid):
        ours = run_mix("kg serve /sparql", port, "/sparql", mix, clients)
        get(port, warm_urls)
        rss_now, rss_peak = tree_rss_mb(pid), tree_rss_mb(pid, peak=True)
    server = OxigraphServer(store_dir, read_only=True)
    server.log_file = work_dir / "oxigraph-serve.log"
    with server:
        theirs = run_mix("oxigraph serve /query", server.port, "/query", mix, clients)
    return ours, theirs, rss_now, rss_peak
