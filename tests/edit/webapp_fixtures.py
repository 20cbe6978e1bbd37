"""An app that can be edited: a fresh in-memory store with the bundled data, a journal,
accounts for each role; and a tiny client that signs in and sends forms with their token."""

from __future__ import annotations

import io
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from kg.config import Settings
from kg.edit.accounts import Accounts
from kg.store.base import Store
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


@contextmanager
def serve_editable(store: Store, folder: Path, settings: Settings, ident: str, **overrides: Any) -> Iterator[str]:
    """An editable app with ``store``'s data served by waitress on 127.0.0.1; yields its URL."""
    from waitress.server import create_server

    out = io.BytesIO()
    store.raw.dump(out, format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
    app = editable_app(out.getvalue(), folder, settings, **overrides)
    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident=ident)
    threading.Thread(target=server.run, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        server.close()


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
