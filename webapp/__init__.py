"""The Flask app: :func:`create_app` builds it from :class:`kg.config.Settings`.

Every module in :mod:`webapp.views` that defines a blueprint ``bp`` is registered; the
store is opened once per app (embedded Oxigraph answers concurrent reads safely) and the
web tier keeps no other state, so several app processes can share one remote store.
"""

from __future__ import annotations

import importlib
import logging
import pkgutil

from flask import Flask

from kg.config import Settings
from kg.load.loader import open_built_store
from kg.store.base import Store
from webapp.state import StoreHolder

__all__ = ["create_app"]

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, store: Store | None = None) -> Flask:
    """Build the app.

    Args:
        settings: the configuration (default: :meth:`Settings.load`).
        store: an open store to serve (default: the configured one, built when missing).
    """
    settings = settings or Settings.load()
    app = Flask(__name__)
    app.config["KG_SETTINGS"] = settings
    app.config["JSON_AS_ASCII"] = False
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.json.sort_keys = False  # type: ignore[attr-defined]
    app.extensions["kg_store"] = (
        StoreHolder(open_built_store(settings), settings.store) if store is None else StoreHolder(store)
    )
    app.jinja_env.autoescape = True  # every template, whatever its extension

    from webapp import formatting, i18n, urls

    i18n.register(app)
    formatting.register(app)
    urls.register(app, settings.base_iri)

    from webapp import views

    for mod in sorted(pkgutil.iter_modules(views.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"webapp.views.{mod.name}")
        bp = getattr(module, "bp", None)
        if bp is not None:
            app.register_blueprint(bp)
    try:
        from webapp import errors

        errors.register(app)
    except ImportError:  # pragma: no cover - errors module is optional during bootstrapping
        pass
    return app
