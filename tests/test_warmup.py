"""No cold-start stampede: concurrent first requests share one computation of the
per-version values, and `warmup.start` fills them before the first visitor."""

from __future__ import annotations

import shutil
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.request import urlopen

import pytest
from flask import Flask
from waitress import create_server

from kg.config import REPO_ROOT, Settings
from kg.load.loader import build
from webapp import create_app, warmup


def fresh_app(tmp_path: Path, name: str) -> Flask:
    """An app over a store built from the bundled data in its own folder (a cold cache)."""
    data = tmp_path / f"{name}-data"
    shutil.copytree(REPO_ROOT / "data", data)
    settings = Settings.load(environ={}, store=f"oxigraph:{tmp_path / name}",
                             data_dir=str(data), cache_dir=str(tmp_path / f"{name}-cache"))
    build(settings)
    return create_app(settings)


def timed_get(url: str) -> float:
    started = time.perf_counter()
    with urlopen(url, timeout=60) as reply:
        assert reply.status == 200
        reply.read()
    return time.perf_counter() - started


def serve(app: Flask) -> tuple[str, object]:
    server = create_server(app, host="127.0.0.1", port=0, threads=8)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}/", server


@pytest.mark.slow
def test_twenty_cold_requests_take_about_as_long_as_one(tmp_path: Path) -> None:
    url, server = serve(fresh_app(tmp_path, "one"))
    one = timed_get(url)
    server.close()  # type: ignore[attr-defined]
    url, server = serve(fresh_app(tmp_path, "many"))
    with ThreadPoolExecutor(20) as pool:
        times = list(pool.map(timed_get, [url] * 20))
    server.close()  # type: ignore[attr-defined]
    # one computation shared by all (before: each request computed it, 20x the work)
    assert max(times) < 3 * one + 1.0, (one, times)


def test_warmed_app_answers_its_first_request_fast(tmp_path: Path) -> None:
    app = fresh_app(tmp_path, "warm")
    cold = fresh_app(tmp_path, "cold")
    warmup.start(app)
    client = app.test_client()
    # the search index and the entity pages' per-version values are warmed before start
    # returns; the home page's whole-graph statistics follow in the background
    url = "/api/sok?q=sundsvall"
    started = time.perf_counter()
    assert client.get(url).status_code == 200
    warm = time.perf_counter() - started
    started = time.perf_counter()
    assert cold.test_client().get(url).status_code == 200
    unwarmed = time.perf_counter() - started
    assert warm < unwarmed, (warm, unwarmed)


def test_the_list_tables_are_warmed_in_the_background(tmp_path: Path,
                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    from kg.query.tables import TABLES, facts, records

    assert {f"/{name}" for name in TABLES} <= set(warmup.SLOW)
    app = fresh_app(tmp_path, "tables")
    warmup.warm(app, tuple(f"/{name}" for name in TABLES))

    def read_again(*_args: object) -> object:
        raise AssertionError("a warmed table read its facts again")

    monkeypatch.setattr(facts, "read_core", read_again)
    for name in ("read_people", "read_news", "read_events"):
        monkeypatch.setattr(records, name, read_again)
    client = app.test_client()
    for name in TABLES:
        assert client.get(f"/{name}").status_code == 200
    assert client.get("/projekt?deltagare=solleftea-kommun").status_code == 200
