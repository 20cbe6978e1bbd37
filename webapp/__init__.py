"""The Flask app: :func:`create_app` builds it from :class:`kg.config.Settings`.

The blueprints of :mod:`webapp.views` are registered explicitly (:func:`blueprints`); the
store is opened once per app behind a :class:`~kg.store.handle.StoreHandle` (embedded
Oxigraph answers concurrent reads safely) and the web tier keeps no other state, so several
app processes can share one remote store.
"""

from __future__ import annotations

import logging

from flask import Blueprint, Flask

from kg.config import Settings
from kg.load.loader import open_built_store
from kg.store.base import Store
from kg.store.folders import live_folder
from kg.store.handle import StoreHandle, disk_target
from kg.store.oxigraph import OxigraphStore
from webapp import errors

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def create_app(
    settings: Settings | None = None,
    store: Store | None = None,
    *,
    handle: StoreHandle | None = None,
) -> Flask:
    """Build the app. Serving never builds: the store must exist (``kg serve`` and
    ``kg build`` build it).

    Args:
        settings: the configuration (default: :meth:`Settings.load`).
        store: an open store to serve; an on-disk one that is the configured store's live
            version follows new versions like the default does.
        handle: a handle to serve (shared with an edit service); wins over ``store``.

    Raises:
        StoreError: the configured store does not exist.
    """
    settings = settings or Settings.load()
    app = Flask(__name__)
    app.config["KG_SETTINGS"] = settings
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["kg_store"] = handle or _handle_for(settings, store)
    app.jinja_env.autoescape = True  # every template, whatever its extension

    from webapp import auth, editing, footer, formatting, i18n, memory, security, urls

    security.register(app, settings)
    memory.register(app)
    i18n.register(app)
    footer.register(app)
    auth.register(app, settings)
    editing.register(app, settings)
    formatting.register(app)
    urls.register(app, settings.base_iri)
    for bp in blueprints():
        app.register_blueprint(bp)
    errors.register(app)
    from webapp import pagecache

    pagecache.register(app)
    _compress(app)
    return app


#: What is sent compressed (brotli, else gzip) to clients that accept it.
#: RDF types are left out: the full dumps are big files sent as they are.
COMPRESSED_TYPES = (
    "text/html", "text/css", "text/javascript", "application/javascript", "application/json",
    "application/sparql-results+json", "image/svg+xml", "text/plain", "text/csv",
    "application/graphml+xml",
)


def _compress(app: Flask) -> None:
    """Brotli or gzip for pages, JSON and scripts (Flask-Compress); streamed replies (SPARQL
    results) are compressed as they stream. Big files come compressed already or not at all:
    vis-network is compressed once (``webapp/views/graph.py``), dumps are sent as they are."""
    from flask_compress import Compress

    app.config.setdefault("COMPRESS_MIMETYPES", list(COMPRESSED_TYPES))
    app.config.setdefault("COMPRESS_ALGORITHM", ["br", "gzip"])
    app.config.setdefault("COMPRESS_ALGORITHM_STREAMING", ["br", "gzip"])
    app.config.setdefault("COMPRESS_BR_LEVEL", 4)
    app.config.setdefault("COMPRESS_LEVEL", 6)
    app.config.setdefault("COMPRESS_MIN_SIZE", 600)
    Compress(app)


def blueprints() -> list[Blueprint]:
    """Every area of the app, in the order their routes are registered."""
    from webapp.views import (
        analytics,
        changes,
        downloads,
        edit,
        entity,
        graph,
        home,
        ingest,
        ontology,
        pack,
        queries,
        search,
        sparql,
        tables,
    )

    return [m.bp for m in (analytics, changes, downloads, edit, entity, graph, home, ingest, ontology, queries,
                           search, sparql, tables, pack)]


def _handle_for(settings: Settings, store: Store | None) -> StoreHandle:
    target = disk_target(settings.store)
    if store is None:
        if target is None:
            return StoreHandle(open_built_store(settings))
        return StoreHandle(spec=settings.store)
    if (target is not None and isinstance(store, OxigraphStore)
            and store.path is not None and live_folder(target) == store.path):
        return StoreHandle(store, spec=settings.store)
    return StoreHandle(store)
