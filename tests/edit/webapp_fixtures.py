"""An app that can be edited: a fresh in-memory store with the bundled data, a journal,
accounts for each role; and a tiny client that signs in and sends forms with their token."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.config import Settings
from kg.edit.accounts import Accounts
from kg.store.oxigraph import OxigraphStore

PASSWORDS = {"anna": "anna har ett långt lösenord", "bo": "bo granskar med lösenord",
             "ada": "ada administrerar allt här"}
ROLES = {"anna": ("Anna Andersson", "redaktör"), "bo": ("Bo Berg", "granskare"), "ada": ("Ada Admin", "admin")}


def editable_app(nquads: bytes, folder: Path, settings: Settings, **overrides: Any) -> Any:
    from webapp import create_app

    store = OxigraphStore()
    store.raw.load(nquads, format=ox.RdfFormat.N_QUADS)
    store.write_meta({"version": "test-" + folder.name})
    s = settings.with_(store="oxigraph:", journal_dir=folder / "journal", accounts_file=folder / "accounts.json",
                       secret_key_file=folder / "secret", cache_dir=folder / "cache", **overrides)
    accounts = Accounts(s.accounts_file)
    for name, (full, role) in ROLES.items():
        accounts.add(name, full, role, PASSWORDS[name])
    app = create_app(s, store=store)
    app.config["TESTING"] = True
    return app


@dataclass
class Client:
    """A Flask test client that remembers the last CSRF token it saw."""

    client: Any
    token: str = ""

    def get(self, url: str, **kw: Any) -> Any:
        r = self.client.get(url, **kw)
        m = re.search(r'name="csrf_token" value="([^"]+)"', r.get_data(as_text=True))
        if m:
            self.token = m.group(1)
        return r

    def post(self, url: str, data: dict[str, Any] | None = None, *, csrf: bool = True, **kw: Any) -> Any:
        data = dict(data or {})
        if csrf:
            if not self.token:
                self.get("/logga-in")
            data["csrf_token"] = self.token
        return self.client.post(url, data=data, **kw)

    def login(self, name: str) -> Any:
        self.get("/logga-in")
        r = self.post("/logga-in", {"anvandare": name, "losenord": PASSWORDS[name]})
        assert r.status_code == 302, r.get_data(as_text=True)[:500]
        self.get("/")
        return r
