"""Shared fixtures: real stores built from the bundled data, the real Flask app and client.

Stores are built once per session into a temporary folder; tests must not write to them
(tests that write make their own store).
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.config import REPO_ROOT, Settings
from kg.load.loader import build, open_built_store
from kg.store.base import Store

OUTPUT_DIR = REPO_ROOT / "test-output"


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """Where tests leave artefacts a person may look at (screenshots, exports)."""
    OUTPUT_DIR.mkdir(exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture(scope="session")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    """Settings pointing at an embedded store built from the bundled data."""
    folder = tmp_path_factory.mktemp("store")
    s = Settings.load(environ={}, store=f"oxigraph:{folder / 'store'}",
                      cache_dir=str(folder / "cache"), journal_dir=str(folder / "journal"),
                      accounts_file=str(folder / "accounts.json"),
                      secret_key_file=str(folder / "secret_key"))
    build(s)
    return s


@pytest.fixture(scope="session")
def ox_store(settings: Settings) -> Iterator[Store]:
    store = open_built_store(settings, rebuild_if_stale=False)
    yield store
    store.close()


@pytest.fixture(scope="session")
def mem_store(settings: Settings) -> Store:
    return open_built_store(settings.with_(store="memory"))


@pytest.fixture(scope="session", params=["oxigraph", "memory"])
def any_store(request: pytest.FixtureRequest) -> Store:
    """Each local backend in turn, loaded with the bundled data."""
    name = "ox_store" if request.param == "oxigraph" else "mem_store"
    store: Store = request.getfixturevalue(name)
    return store


@pytest.fixture(scope="session")
def app(settings: Settings, ox_store: Store):  # type: ignore[no-untyped-def]
    from webapp import create_app

    flask_app = create_app(settings, store=ox_store)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture()
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture()
def scratch_settings(tmp_path: Path) -> Settings:
    """Settings with a private, empty data folder and store: for tests that write."""
    data = tmp_path / "data"
    data.mkdir()
    onto = tmp_path / "ontology"
    shutil.copytree(REPO_ROOT / "ontology", onto)
    return Settings.load(environ={}, store=f"oxigraph:{tmp_path / 'store'}",
                         data_dir=str(data), ontology_dir=str(onto),
                         cache_dir=str(tmp_path / "cache"), journal_dir=str(tmp_path / "journal"),
                         accounts_file=str(tmp_path / "accounts.json"),
                         secret_key_file=str(tmp_path / "secret_key"))
