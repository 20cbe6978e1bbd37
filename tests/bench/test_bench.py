"""The benchmark: its report rules, the query recorder, and a 10 k smoke run of `kg bench`."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from kg.bench.recording import Recorder, replay_raw
from kg.bench.report import Row, SizeReport, judge, markdown, text_table
from kg.bench.stats import Samples, percentile
from kg.store import OxigraphStore


def test_percentiles() -> None:
    assert percentile([5.0], 95) == 5.0
    assert math.isnan(percentile([], 50))
    assert Samples([0.010, 0.020]).median_ms == pytest.approx(15.0)


@pytest.mark.parametrize(("row", "verdict"), [
    (Row("entity page", 10, 8, 19, ratio=1.2, target="entity"), "PASS"),
    (Row("entity page", 10, 8, 19, ratio=3.0, target="entity"), "MISS"),
    (Row("search", 10, 1, 6, target="search"), "MISS"),
    (Row("load", 1, 1000, 1000, ratio=1.1, target="load", unit="s"), "PASS"),
    (Row("memory", 1, 700, 1100, target="memory", unit="MB"), "MISS"),
    (Row("browser", 3, 0.9, 1.2, target="browser", unit="s"), "PASS"),
])
def test_targets_are_judged_at_a_million(row: Row, verdict: str) -> None:
    assert judge(row, 1_000_000).verdict == verdict
    row.verdict = ""
    assert judge(row, 10_000).verdict == verdict.lower()  # information only below 1 M


def test_tables() -> None:
    report = SizeReport(10_000, 10_023, [judge(Row("search (api)", 5, 0.4, 0.5,
                                                   target="search"), 10_000)])
    assert "search (api)" in text_table(report) and "pass" in text_table(report)
    assert markdown([report]).splitlines()[2].startswith("| search (api) | 0.40 / 0.50")


def test_recorder_sees_the_queries_a_caller_makes() -> None:
    store = OxigraphStore()
    store.add_quads([(URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("ö"), URIRef("urn:x:g"))])
    recorder = Recorder(store)
    store.select("SELECT ?o WHERE { ?s ?p ?o }")  # not recording
    with recorder.recording() as calls:
        store.select("SELECT ?s ?o WHERE { ?s ?p ?o }", bindings={"s": URIRef("urn:x:a")})
    assert len(calls) == 1 and calls[0].bindings == (("s", URIRef("urn:x:a")),)
    assert isinstance(store, OxigraphStore)  # the instance is wrapped, not replaced
    assert replay_raw(store.raw, calls) >= 0
    assert isinstance(store.raw, ox.Store)


@pytest.mark.slow
def test_kg_bench_quick_smoke_run(tmp_path: Path) -> None:
    from kg.cli import cli

    out = tmp_path / "bench.json"
    result = CliRunner().invoke(cli, ["bench", "--sizes", "10k", "--quick", "--rdflib-max", "0",
                                      "--work-dir", str(tmp_path / "work"),
                                      "--json", str(out), "--markdown", str(tmp_path / "b.md")])
    assert result.exit_code == 0, result.output
    rows = {r["name"]: r for r in json.loads(out.read_text())[0]["rows"]}
    assert rows["entity page"]["n"] >= 3 and rows["entity page"]["raw_median_ms"] > 0
    assert rows["bulk load: kg build, one graph, s"]["ratio"] > 0
    assert rows["/sparql mix over HTTP, q/s"]["median_ms"] > 0
    assert "| entity page |" in (tmp_path / "b.md").read_text()
    # a second run on the same store, one operation only: no loads, no other rows
    again = tmp_path / "again.json"
    result = CliRunner().invoke(cli, ["bench", "--sizes", "10k", "--quick", "--rdflib-max", "0",
                                      "--work-dir", str(tmp_path / "work"), "--reuse-store",
                                      "--only", "hub", "--no-endpoint", "--no-serving",
                                      "--json", str(again)])
    assert result.exit_code == 0, result.output
    report = json.loads(again.read_text())[0]
    assert [r["name"] for r in report["rows"]] == ["hub page (most links), first page"]
    assert any("--reuse-store" in note for note in report["notes"])


def test_mix_clients_come_from_distinct_addresses() -> None:
    """The /sparql mix acts as several visitors: each client thread sends from its own
    loopback address, so the server's per-client caps treat them as real visitors do."""
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from kg.bench.endpoint import run_mix

    seen: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            seen.append(self.client_address[0])
            self.send_response(200)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        mix = [("q", f"ASK {{ }} # {i}") for i in range(24)]
        result = run_mix("test", server.server_address[1], "/query", mix, clients=3)
    finally:
        server.shutdown()
        server.server_close()
    assert result.errors == 0 and result.requests == 24
    assert {"127.0.0.2", "127.0.0.3", "127.0.0.4"} <= set(seen)
