"""The W3C SPARQL 1.1 Protocol test suite against /sparql on a real server.

The manifest and its data files are vendored in ``tests/sparql/w3c/`` (with their W3C
licence; CI has no network). The data files are loaded as the named graphs the tests name;
the app serves them under waitress on 127.0.0.1 and :mod:`w3c_protocol` sends every
request of the manifest over HTTP. Every query test must pass; every update test must be
refused with 403 (the endpoint is read-only) and change nothing; the malformed update
requests must get a 4xx.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.store import open_store
from kg.store.oxigraph import OxigraphStore

from .w3c_protocol import ProtocolTest, graph_data, load_manifest, run

TESTS = load_manifest()
QUERY_TESTS = [t for t in TESTS if not t.is_update]
UPDATE_TESTS = [t for t in TESTS if t.is_update]


@pytest.fixture(scope="module")
def w3c_server(settings: Settings, tmp_path_factory: pytest.TempPathFactory
               ) -> Iterator[tuple[int, Any]]:
    """The app over a store holding the suite's graphs, under waitress on a free port."""
    from waitress import create_server

    from webapp import create_app

    folder = tmp_path_factory.mktemp("w3c")
    built = OxigraphStore(folder / "store")
    for iri, path in graph_data(TESTS).items():
        built.add_ox_quads([ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
                            for t in ox.parse(path=str(path))])
    built.write_meta({"version": "w3c-protocol", "bundled": False})
    built.flush()
    del built
    spec = f"oxigraph:{folder / 'store'}"
    store = open_store(spec, read_only=True)
    app = create_app(settings.with_(store=spec, cache_dir=str(folder / "cache")), store=store)
    app.config.update(KG_QUERY_RUNNER="process", KG_QUERY_WORKERS=2)
    server = create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=_run, args=(server,), daemon=True)
    thread.start()
    yield server.effective_port, store  # type: ignore[union-attr]
    server.close()
    thread.join(timeout=5)
    app.extensions["kg_query_runner"].close()
    store.close()


def _run(server: Any) -> None:
    with contextlib.suppress(OSError):  # closed under the loop at the end
        server.run()


def test_the_suite_is_complete() -> None:
    assert len(TESTS) == 34 and len(QUERY_TESTS) == 20 and len(UPDATE_TESTS) == 14
    assert set(graph_data(TESTS)) == {f"http://kasei.us/2009/09/sparql/data/data{i}.rdf"
                                      for i in (1, 2, 3)}
    assert all(Path(p).exists() for p in graph_data(TESTS).values())


@pytest.mark.parametrize("test", QUERY_TESTS, ids=lambda t: t.name)
def test_every_query_test_passes(w3c_server: tuple[int, Any], test: ProtocolTest) -> None:
    port, _ = w3c_server
    outcome = run(test, "127.0.0.1", port)
    assert outcome.passed, outcome.detail


@pytest.mark.parametrize("test", UPDATE_TESTS, ids=lambda t: t.name)
def test_every_update_test_is_refused(w3c_server: tuple[int, Any], test: ProtocolTest) -> None:
    port, store = w3c_server
    before = sorted(map(str, store.raw.quads_for_pattern(None, None, None, None)))
    first = test.requests[0]
    outcome = run(ProtocolTest(test.name, test.title, test.graphs, (first,)), "127.0.0.1", port)
    if test.name.startswith("update_"):  # a well-formed update: refused, read-only endpoint
        assert outcome.statuses == [403], outcome.detail
    else:  # a malformed update request: refused as the manifest asks (4xx)
        assert outcome.passed, outcome.detail
        assert outcome.statuses[0] in (403, 405, 415), outcome.statuses
    assert sorted(map(str, store.raw.quads_for_pattern(None, None, None, None))) == before
