"""Editing the embedded on-disk store, as `kg serve` runs it: a published change is a new
version folder that the pages, the search, the /sparql worker processes and the saved
queries follow; `kg build` on a fresh machine with a copy of the journal restores it."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

from click.testing import CliRunner

from kg.cli import cli
from kg.config import Settings
from kg.edit.accounts import Accounts
from kg.load.loader import build

from .helpers import PROJECT_FORM
from .webapp_fixtures import PASSWORDS, ROLES, Client

PROJECT_PATH = "/id/projekt/fiberlyftet-vasternorrland"


def _eventually(check: Any, seconds: float = 15.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        if check():
            return True
        time.sleep(0.1)
    return bool(check())


def test_published_edits_reach_every_reader_and_survive_a_fresh_build(tmp_path: Path, settings: Settings) -> None:
    from webapp import create_app

    s = settings.with_(store=f"oxigraph:{tmp_path / 'store'}", journal_dir=tmp_path / "journal",
                       accounts_file=tmp_path / "accounts.json", secret_key_file=tmp_path / "key",
                       cache_dir=tmp_path / "cache")
    build(s)
    for name, (full, role) in ROLES.items():
        Accounts(s.accounts_file).add(name, full, role, PASSWORDS[name])
    app = create_app(s)
    app.config["TESTING"] = True
    anna, bo = Client(app.test_client()), Client(app.test_client())
    anna.login("anna")
    bo.login("bo")
    anna.get("/redigera/ny/projekt")
    form = {k: v[0] for k, v in PROJECT_FORM.items()}
    form.update({"kalla": "new-document", "kalla_titel": "Beslut om Fiberlyftet", "kalla_datum": "2026-11-28",
                 "anledning": "Beviljat"})
    r = anna.post("/redigera/ny/projekt", form)
    assert r.status_code == 302
    cs_id = r.headers["Location"].rsplit("/", 1)[-1]
    bo.get(f"/andringar/{cs_id}")
    assert bo.post(f"/andringar/{cs_id}/godkann").status_code == 302

    public = app.test_client()
    assert public.get(PROJECT_PATH).status_code == 200
    query = "SELECT ?p WHERE { ?p kfv:status status:beviljad ; rdfs:label 'Fiberlyftet Västernorrland'@sv }"

    def sparql_sees() -> bool:
        reply = public.get("/sparql?query=" + quote(query), headers={"Accept": "application/sparql-results+json"})
        return len(json.loads(reply.get_data())["results"]["bindings"]) == 1

    assert _eventually(sparql_sees)  # the worker processes reopen the new version
    table = public.get("/fragor/projektets-partner.csv?projekt=" + quote("projekt:fiberlyftet-vasternorrland"))
    assert "Timrå kommun" in table.get_data(as_text=True)
    assert _eventually(lambda: PROJECT_PATH in public.get("/sok?q=fiberlyftet").get_data(as_text=True))
    assert "Fiberlyftet" in public.get("/andringar.atom").get_data(as_text=True)

    # a fresh machine: no store, the journal copied back, `kg build`
    fresh = tmp_path / "fresh"
    shutil.copytree(s.journal_dir, fresh / "journal")
    result = CliRunner().invoke(cli, ["--store", f"oxigraph:{fresh / 'store'}", "build"],
                                env={"KG_JOURNAL_DIR": str(fresh / "journal")})
    assert result.exit_code == 0, result.output
    assert "1 publicerade ändringar" in result.output
    result = CliRunner().invoke(cli, ["--store", f"oxigraph:{fresh / 'store'}", "query", "-o", "csv", query],
                                env={"KG_JOURNAL_DIR": str(fresh / "journal")})
    assert "fiberlyftet-vasternorrland" in result.output
    export = CliRunner().invoke(cli, ["changes", "export"], env={"KG_JOURNAL_DIR": str(fresh / "journal")})
    assert f"graph/andring/{cs_id}" in export.output
