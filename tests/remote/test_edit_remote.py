"""Editing on a remote store: the Oxigraph server (its own instance, so the shared contract
data stays as it is). A change is published in one SPARQL Update request, the pages and the
search index follow the new data version, and a revert removes it again."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from edit.conftest import ANNA, BO
from edit.helpers import PROJECT_FORM, save
from edit.webapp_fixtures import Client

from kg.config import Settings
from kg.devtools.servers import OxigraphServer, oxigraph_binary
from kg.edit.journal import Journal
from kg.edit.service import EditService
from kg.load.loader import build
from kg.store import open_store
from kg.store.handle import StoreHandle

pytestmark = pytest.mark.remote

PROJECT = "https://data.kfvn.se/id/projekt/fiberlyftet-vasternorrland"


def _eventually(check: Any, seconds: float = 10.0) -> bool:
    """The search index is rebuilt in the background after a new version (stale while it is
    recomputed): wait for it, within a generous bound."""
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[OxigraphServer]:
    if oxigraph_binary() is None:
        pytest.skip("the oxigraph server binary is missing (pip install oxigraph)")
    with OxigraphServer(tmp_path_factory.mktemp("edit-server") / "db", timeout_s=30) as srv:
        yield srv


def test_edit_review_and_revert_on_the_oxigraph_server(server: OxigraphServer, tmp_path: Path,
                                                       settings: Settings) -> None:
    from edit.webapp_fixtures import PASSWORDS, ROLES

    from kg.edit.accounts import Accounts
    from webapp import create_app

    spec = server.spec + "&version_ttl=0"
    s = settings.with_(store=spec, journal_dir=tmp_path / "journal", accounts_file=tmp_path / "a.json",
                       secret_key_file=tmp_path / "key", cache_dir=tmp_path / "cache")
    build(s)
    handle = StoreHandle(open_store(spec))
    service = EditService(handle, Journal(s.journal_dir, s.base_iri), base=s.base_iri,
                          shapes=s.ontology_dir / "shapes.ttl")
    for name, (full, role) in ROLES.items():
        Accounts(s.accounts_file).add(name, full, role, PASSWORDS[name])
    app = create_app(s, handle=handle)
    app.config["TESTING"] = True
    web = Client(app.test_client())
    assert web.get("/sok?q=fiberlyftet").get_data(as_text=True).count("fiberlyftet-vasternorrland") == 0

    proposal, _ = save(service, ANNA, "projekt", PROJECT_FORM)
    assert not handle.current().ask(f"ASK {{ <{PROJECT}> ?p ?o }}")
    service.approve(proposal.id, BO)
    store = handle.current()
    assert store.ask(f"ASK {{ <{PROJECT}> a schema:Project ; kfv:status status:beviljad }}")
    assert store.ask(f"ASK {{ GRAPH <https://data.kfvn.se/graph/andring/{proposal.id}> {{ <{PROJECT}> ?p ?o }} }}")
    assert len(store.select(f"SELECT ?o WHERE {{ ?d org:organization <{PROJECT}> ; org:member ?o }}")) == 2
    page = web.get("/id/projekt/fiberlyftet-vasternorrland")
    assert page.status_code == 200 and "Timrå kommun" in page.get_data(as_text=True)
    assert _eventually(lambda: "fiberlyftet-vasternorrland" in web.get("/sok?q=fiberlyftet").get_data(as_text=True))

    service.revert(proposal.id, BO, "Drogs tillbaka")
    assert not handle.current().ask(f"ASK {{ <{PROJECT}> ?p ?o }}")
    assert web.get("/id/projekt/fiberlyftet-vasternorrland").status_code == 404
    assert _eventually(lambda: "fiberlyftet-vasternorrland" not in web.get("/sok?q=fiberlyftet").get_data(as_text=True))
    history: Any = service.history(PROJECT)
    assert [c.origin for c in history] == ["revert", "form"]
