"""Settings: declared once (name, default, help), built once, then passed around.

Order of precedence: built-in defaults, then a TOML settings file, then ``KG_*`` environment
variables, then explicit overrides (CLI flags, tests). Only :func:`Settings.load` reads the
environment; nothing deeper in the code does.
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from kg.errors import KgError
from kg.namespaces import BASE

__all__ = ["REPO_ROOT", "SETTINGS_HELP", "Settings"]

REPO_ROOT = Path(__file__).resolve().parent.parent

#: Every setting, its default and its help text. ``tests/test_docs.py`` checks that each
#: one is documented in README.md.
SETTINGS_HELP: dict[str, str] = {
    "store": "Where the graph lives: 'oxigraph:DIR' (embedded, default), 'memory' (rdflib), "
    "or 'sparql+http://HOST/PATH' (any SPARQL 1.1 server).",
    "data_dir": "Folder of the curated data files loaded by `kg build`.",
    "ontology_dir": "Folder of the ontology, vocabularies and SHACL shapes.",
    "query_timeout": "Seconds a query may run on the public endpoint before it is stopped.",
    "result_limit": "Most rows (or triples) a public query returns; the reply says when cut.",
    "host": "Address `kg serve` listens on.",
    "port": "Port `kg serve` listens on.",
    "threads": "Worker threads of the WSGI server.",
    "cache_dir": "Folder for caches computed once per data version (analytics, layouts).",
    "journal_dir": "Folder of the edit journal: every changeset and review, append-only (back it up).",
    "accounts_file": "Editors' accounts (hashed passwords, roles), written by `kg user`.",
    "review": "When true, a redaktör's changes are proposals that a granskare must approve.",
    "secret_key_file": "File holding the key that signs session cookies (made on first use).",
    "ingest_dir": "Folder where documents read on the review page are kept, with what ingest found in them.",
    "service_allowlist": "SPARQL endpoints a public query may reach with SERVICE (exact IRIs); "
    "empty (the default) refuses every SERVICE clause with 400.",
    "client_queries": "Queries one client (IP address) may run at once on /sparql and the "
    "query library; more wait briefly, then get 429.",
    "proxy_hops": "Reverse proxies in front of `kg serve` whose X-Forwarded-For/-Proto/-Host "
    "headers are trusted (0: none; the client is the connecting address).",
    "connection_limit": "Most open connections `kg serve` keeps; idle ones are closed after "
    "channel_timeout.",
    "channel_timeout": "Seconds an idle or stalled connection may stay open.",
    "max_request_bytes": "Largest request body accepted (413 above it).",
    "max_url_bytes": "Longest request URL (path and query string) accepted (414 above it).",
}


@dataclass(frozen=True)
class Settings:
    """The configuration of one run. Immutable; use :meth:`with_` to change a copy.

    >>> Settings().store.startswith("oxigraph:")
    True
    >>> Settings().with_(port=8080).port
    8080
    >>> s = Settings().with_(service_allowlist="https://a.example/sparql, https://b.example/sparql")
    >>> s.service_allowlist
    ('https://a.example/sparql', 'https://b.example/sparql')
    """

    store: str = f"oxigraph:{REPO_ROOT / 'var' / 'store'}"
    data_dir: Path = REPO_ROOT / "data"
    ontology_dir: Path = REPO_ROOT / "ontology"
    query_timeout: float = 10.0
    result_limit: int = 10_000
    host: str = "127.0.0.1"
    port: int = 5000
    threads: int = 8
    cache_dir: Path = REPO_ROOT / "var" / "cache"
    journal_dir: Path = REPO_ROOT / "var" / "journal"
    accounts_file: Path = REPO_ROOT / "var" / "accounts.json"
    review: bool = True
    secret_key_file: Path = REPO_ROOT / "var" / "secret_key"
    ingest_dir: Path = REPO_ROOT / "var" / "ingest"
    service_allowlist: tuple[str, ...] = ()
    client_queries: int = 2
    proxy_hops: int = 0
    connection_limit: int = 1000
    channel_timeout: int = 30
    max_request_bytes: int = 2_000_000
    max_url_bytes: int = 16_384

    @property
    def base_iri(self) -> str:
        """The base of every IRI in the graph: part of the data (kg.namespaces.BASE), not a
        setting. The app serves the IRIs under it at ``/id/...`` and ``/def/...`` on any
        host."""
        return BASE

    def with_(self, **changes: Any) -> Settings:
        """A copy with some settings changed (values are coerced to the right type)."""
        return replace(self, **_coerce(changes))

    @classmethod
    def load(
        cls,
        file: Path | str | None = None,
        environ: Mapping[str, str] | None = None,
        **overrides: Any,
    ) -> Settings:
        """Defaults, then ``file`` (TOML), then ``KG_<NAME>`` variables, then ``overrides``.

        Raises:
            KgError: the file cannot be read or names an unknown setting.
        """
        values: dict[str, Any] = {}
        env = os.environ if environ is None else environ
        file = file or env.get("KG_SETTINGS")
        if file:
            try:
                values.update(tomllib.loads(Path(file).read_text(encoding="utf-8")))
            except (OSError, tomllib.TOMLDecodeError) as exc:
                raise KgError(f"cannot read settings file {file}: {exc}") from exc
        for name in SETTINGS_HELP:
            key = f"KG_{name.upper()}"
            if key in env:
                values[name] = env[key]
        values.update({k: v for k, v in overrides.items() if v is not None})
        if "base_iri" in values or "KG_BASE_IRI" in env:
            raise KgError("base_iri är ingen inställning längre: IRI:erna hör till datan "
                          f"(under {BASE}) och kan inte flyttas av servern; se README, "
                          "avsnittet IRIs")
        unknown = set(values) - set(SETTINGS_HELP)
        if unknown:
            raise KgError(f"unknown setting(s): {', '.join(sorted(unknown))}")
        return cls(**_coerce(values))


def _coerce(values: Mapping[str, Any]) -> dict[str, Any]:
    types = {f.name: f.type for f in fields(Settings)}
    out: dict[str, Any] = {}
    for name, value in values.items():
        kind = types.get(name)
        try:
            if kind == "Path":
                out[name] = Path(value)
            elif kind == "int":
                out[name] = int(value)
            elif kind == "float":
                out[name] = float(value)
            elif kind == "bool":
                out[name] = value if isinstance(value, bool) else _flag(str(value))
            elif kind == "tuple[str, ...]":
                items = value.replace(",", " ").split() if isinstance(value, str) else value
                out[name] = tuple(str(v) for v in items)
            else:
                out[name] = str(value) if kind == "str" else value
        except (TypeError, ValueError) as exc:
            raise KgError(f"setting {name}: {value!r} is not a valid {kind}") from exc
    return out


def _flag(text: str) -> bool:
    """A boolean setting from text: true/false, yes/no, ja/nej, 1/0, on/off."""
    t = text.strip().lower()
    if t in ("1", "true", "yes", "ja", "on"):
        return True
    if t in ("0", "false", "no", "nej", "off"):
        return False
    raise ValueError(f"{text!r} is not true or false")
