"""Real SPARQL servers on 127.0.0.1 for the remote-store tests, and every backend loaded with
the same data (the bundled graph plus ``fixtures/kontrakt.ttl``) for the store contract.

The servers are started once per session on free ports in temporary folders and stopped at
the end; a missing binary skips the tests that need it, with the reason.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.config import Settings
from kg.devtools.servers import OxigraphServer, VirtuosoServer, oxigraph_binary, virtuoso_binary
from kg.errors import StoreError
from kg.load.loader import add_files, build, bundled_files
from kg.store import open_store
from kg.store.base import Store

FIXTURE = Path(__file__).parent / "fixtures" / "kontrakt.ttl"
BACKENDS = ["oxigraph", "memory", "oxigraph-server", "virtuoso"]
REMOTE = {"oxigraph-server", "virtuoso"}


@pytest.fixture(scope="session")
def oxigraph_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    """Oxigraph's own server (``oxigraph serve``) on a free port."""
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server binary is missing (pip install oxigraph)")
    server = OxigraphServer(tmp_path_factory.mktemp("oxigraph-server") / "db", timeout_s=30)
    with server:
        yield server


@pytest.fixture(scope="session")
def virtuoso_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VirtuosoServer]:
    """A private OpenLink Virtuoso on free ports (SPARQL update granted for loading)."""
    if virtuoso_binary() is None:
        pytest.skip("virtuoso-t is missing (scripts/setup.sh installs virtuoso-opensource)")
    server = VirtuosoServer(tmp_path_factory.mktemp("virtuoso") / "db", memory_gb=0.5,
                            query_timeout=15)
    try:
        server.start()
    except StoreError as exc:
        pytest.skip(f"Virtuoso did not start: {exc}")
    yield server
    server.stop()


@pytest.fixture(scope="session")
def contract_files(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """A snapshot of the bundled files plus the fixture, taken once: every backend loads the
    same bytes even while the data folder is being edited."""
    folder = tmp_path_factory.mktemp("contract-files")
    files = []
    for p in [*bundled_files(Settings.load(environ={})), FIXTURE]:
        copy = folder / p.name
        shutil.copyfile(p, copy)
        files.append(copy)
    return files


def _spec(name: str, request: pytest.FixtureRequest, folder: Path) -> str:
    if name == "oxigraph":
        return f"oxigraph:{folder / 'store'}"
    if name == "memory":
        return "memory"
    if name == "oxigraph-server":
        server: OxigraphServer = request.getfixturevalue("oxigraph_server")
        return server.spec
    vserver: VirtuosoServer = request.getfixturevalue("virtuoso_server")
    return vserver.spec()


@pytest.fixture(scope="session")
def contract_stores() -> Iterator[dict[str, Store]]:
    """Backends loaded with the contract data, opened lazily by name (see ``store_for``)."""
    opened: dict[str, Store] = {}
    yield opened
    for store in opened.values():
        store.close()


@pytest.fixture(scope="session")
def store_for(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory,
              contract_stores: dict[str, Store], contract_files: list[Path]):  # type: ignore[no-untyped-def]
    """``store_for(name)``: the named backend loaded with the contract data (built once).

    Embedded and remote stores are built with ``kg.load.loader.build`` (the path `kg build
    --store ...` takes); the rdflib store gets the same files through ``add_files``.
    """

    def get(name: str) -> Store:
        if name in contract_stores:
            return contract_stores[name]
        folder = tmp_path_factory.mktemp(f"contract-{name}")
        spec = _spec(name, request, folder)
        settings = Settings.load(environ={}, store=spec, cache_dir=str(folder / "cache"))
        if name == "memory":
            store = open_store(spec)
            add_files(store, contract_files, settings)
        else:
            build(settings, contract_files, progress=False)
            store = open_store(spec)
        contract_stores[name] = store
        return store

    return get


@pytest.fixture(scope="session", params=[
    pytest.param(b, marks=[pytest.mark.remote] if b in REMOTE else [], id=b) for b in BACKENDS
])
def backend(request: pytest.FixtureRequest, store_for) -> Store:  # type: ignore[no-untyped-def]
    """Each backend in turn, loaded with the contract data."""
    store: Store = store_for(request.param)
    return store


@pytest.fixture(scope="session")
def reference(store_for) -> Store:  # type: ignore[no-untyped-def]
    """The embedded Oxigraph store: the answers every backend must give."""
    store: Store = store_for("oxigraph")
    return store
