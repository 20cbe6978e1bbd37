"""One data version everywhere: `kg build`, `kg load` and a published change each make a
new version by the same mechanism (a new folder swapped in), and every reader follows it —
pages, search, the saved queries and /sparql in their worker processes, and the dumps."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from flask import Flask
from rdflib import Literal, URIRef

from kg.config import REPO_ROOT, Settings
from kg.load.loader import add_files, build, open_handle
from kg.store.delta import Delta
from kg.store.folders import cleanup, live_folder, versions_dir
from kg.store.oxigraph import OxigraphStore
from webapp import create_app

PROJECT = "https://data.kfvn.se/id/projekt/versionstest"
TTL = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix schema: <https://schema.org/> .
<{iri}> a schema:Project ; rdfs:label "{label}"@sv .
"""


@pytest.fixture()
def served(scratch_settings: Settings) -> tuple[Settings, Flask]:
    data = scratch_settings.data_dir / "a.ttl"
    data.write_text(TTL.format(iri=PROJECT, label="Gammalt namn"), encoding="utf-8")
    build(scratch_settings)
    app = create_app(scratch_settings)
    app.config.update(TESTING=True, KG_QUERY_RUNNER="process", KG_QUERY_WORKERS=1)
    yield scratch_settings, app
    runner = app.extensions.get("kg_query_runner")
    if runner is not None:
        runner.close()


def sparql_labels(app: Flask) -> set[str]:
    reply = app.test_client().get(
        "/sparql", query_string={"query": f"SELECT ?l WHERE {{ <{PROJECT}> rdfs:label ?l }}"},
        headers={"Accept": "application/sparql-results+json"})
    assert reply.status_code == 200
    return {b["l"]["value"] for b in reply.get_json()["results"]["bindings"]}


def search_hits(app: Flask, q: str, expect: str | None = None) -> str:
    """Search results; the index of a new version is built in the background (the old one
    answers meanwhile), so wait a little for ``expect`` to show."""
    deadline = time.monotonic() + 10
    while True:
        text = app.test_client().get("/api/sok", query_string={"q": q}).get_data(as_text=True)
        if expect is None or expect in text or time.monotonic() > deadline:
            return text
        time.sleep(0.05)


def test_every_reader_follows_a_rebuild_and_a_load(served: tuple[Settings, Flask],
                                                   tmp_path: Path) -> None:
    settings, app = served
    client = app.test_client()
    assert sparql_labels(app) == {"Gammalt namn"}
    assert "Gammalt namn" in search_hits(app, "gammalt")
    assert b"Gammalt namn" in client.get("/dump/samverkansgrafen.nt").data
    # a rebuild with new data
    (settings.data_dir / "a.ttl").write_text(TTL.format(iri=PROJECT, label="Nytt namn"),
                                             encoding="utf-8")
    build(settings)
    assert sparql_labels(app) == {"Nytt namn"}
    assert "Nytt namn" in search_hits(app, "nytt", expect="Nytt namn")
    assert "Gammalt" not in search_hits(app, "gammalt")
    dump = client.get("/dump/samverkansgrafen.nt").data
    assert b"Nytt namn" in dump and b"Gammalt namn" not in dump
    # kg load of an extra file
    extra = tmp_path / "extra.ttl"
    extra.write_text(TTL.format(iri=PROJECT, label="Tillagt namn"), encoding="utf-8")
    add_files(open_handle(settings), [extra], settings)
    assert sparql_labels(app) == {"Nytt namn", "Tillagt namn"}
    assert "Tillagt namn" in search_hits(app, "tillagt", expect="Tillagt namn")
    assert b"Tillagt namn" in client.get("/dump/samverkansgrafen.nt").data


def test_a_published_change_reaches_saved_queries_and_sparql(
        served: tuple[Settings, Flask]) -> None:
    _settings, app = served
    handle = app.extensions["kg_store"]
    before = handle.version()
    g = URIRef("https://data.kfvn.se/graph/andring-1")
    label = URIRef("http://www.w3.org/2000/01/rdf-schema#label")
    version = handle.apply(Delta(add=[(URIRef(PROJECT), label, Literal("Redigerat", lang="sv"), g)]),
                           head="andring-1")
    assert version != before and handle.version() == version
    assert handle.current().head() == "andring-1"
    assert "Redigerat" in sparql_labels(app)
    page = app.test_client().get("/fragor/kallor-for-entitet", query_string={"entitet": PROJECT})
    assert page.status_code == 200 and "andring-1" in page.get_data(as_text=True)


def test_old_versions_and_crashed_writers_are_cleaned_up(scratch_settings: Settings) -> None:
    (scratch_settings.data_dir / "a.ttl").write_text(TTL.format(iri=PROJECT, label="x"),
                                                     encoding="utf-8")
    for _ in range(5):
        build(scratch_settings)
    target = Path(scratch_settings.store.removeprefix("oxigraph:"))
    assert target.is_symlink() and live_folder(target) is not None
    crashed = versions_dir(target) / ".building-999999999-1"  # a pid that cannot exist
    crashed.mkdir()
    removed = cleanup(target, now=time.time() + 3600)
    assert crashed in removed and not crashed.exists()
    left = [p for p in versions_dir(target).iterdir() if p.name.startswith("v")]
    assert live_folder(target) in left and len(left) <= 3


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from rdflib import Literal, URIRef
    from kg.store.handle import StoreHandle
    from kg.store.delta import Delta
    handle = StoreHandle(spec=sys.argv[1])
    def change(store):
        store.apply(Delta(add=[(URIRef("urn:x:a"), URIRef("urn:x:p"), Literal("halv"),
                               URIRef("urn:x:g"))]))
        print("changed", flush=True)
        time.sleep(60)
    handle.derive(change)
""")


def test_kill_9_during_a_change_leaves_the_old_version(scratch_settings: Settings) -> None:
    (scratch_settings.data_dir / "a.ttl").write_text(TTL.format(iri=PROJECT, label="före"),
                                                     encoding="utf-8")
    build(scratch_settings)
    target = Path(scratch_settings.store.removeprefix("oxigraph:"))
    before = live_folder(target)
    proc = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, scratch_settings.store],
                            stdout=subprocess.PIPE, cwd=REPO_ROOT,
                            env={**os.environ, "PYTHONPATH": str(REPO_ROOT)})
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == b"changed"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    assert live_folder(target) == before
    store = OxigraphStore(target, read_only=True)
    assert not store.ask('ASK { ?s ?p "halv" }')
    assert store.ask('ASK { ?s ?p "före"@sv }')
    # the next writer removes what the killed one left
    assert any(p.name.startswith(".building-") for p in versions_dir(target).iterdir())
    build(scratch_settings)
    assert not any(p.name.startswith(".building-") for p in versions_dir(target).iterdir())
