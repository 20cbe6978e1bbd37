"""Fixtures of the SPARQL tests: apps with tight limits, and the real server on 127.0.0.1.

The apps serve the session's on-disk store (built once by ``tests/conftest.py``) through the
worker-process runner, as production does. ``live_url`` runs the app under waitress in a
thread on a free port, so that real clients (SPARQLWrapper, rdflib's SPARQLStore) talk HTTP.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from kg.config import Settings
from kg.store.base import Store


def _make_app(settings: Settings, store: Store, **config: Any) -> Flask:
    from webapp import create_app

    app = create_app(settings, store=store)
    app.config.update(TESTING=True, **config)
    return app


def _close(app: Flask) -> None:
    runner = app.extensions.get("kg_query_runner")
    if runner is not None:
        runner.close()


@pytest.fixture(scope="session")
def sparql_app(settings: Settings, ox_store: Store) -> Iterator[Flask]:
    """The app with the settings' limits and two worker processes."""
    app = _make_app(settings, ox_store, KG_QUERY_RUNNER="process", KG_QUERY_WORKERS=2)
    yield app
    _close(app)


@pytest.fixture()
def sparql_client(sparql_app: Flask) -> Any:
    return sparql_app.test_client()


@pytest.fixture(scope="session")
def limited_app(settings: Settings, ox_store: Store) -> Iterator[Flask]:
    """Tight limits: 5 rows, 1 s, one worker, 0.3 s queue wait."""
    app = _make_app(settings.with_(result_limit=5, query_timeout=1.0), ox_store,
                    KG_QUERY_RUNNER="process", KG_QUERY_WORKERS=1, KG_QUERY_QUEUE_WAIT=0.3)
    yield app
    _close(app)


@pytest.fixture()
def limited_client(limited_app: Flask) -> Any:
    return limited_app.test_client()


@pytest.fixture(scope="session")
def memory_app(settings: Settings, mem_store: Store) -> Iterator[Flask]:
    """The app over rdflib in memory (the inline runner)."""
    app = _make_app(settings.with_(store="memory"), mem_store)
    yield app
    _close(app)


@pytest.fixture()
def memory_client(memory_app: Flask) -> Any:
    return memory_app.test_client()


@pytest.fixture(scope="session")
def live_url(sparql_app: Flask) -> Iterator[str]:
    """Base URL of the app served by waitress on a free port of 127.0.0.1."""
    from waitress import create_server

    server = create_server(sparql_app, host="127.0.0.1", port=0, threads=4,
                           ident="samverkansgrafen-test")
    thread = threading.Thread(target=server.run, name="waitress-test", daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)
