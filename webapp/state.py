"""Access to the app's settings and store from inside a request.

The app holds a :class:`kg.store.handle.StoreHandle`: :func:`get_store` returns the store of
the newest data version (a rebuild, a loaded file or a published edit shows without a
restart), :func:`get_handle` the handle itself (for the edit service). Caches elsewhere are
keyed by the store's data version and follow along.
"""

from __future__ import annotations

from flask import current_app

from kg.config import Settings
from kg.store.base import Store
from kg.store.handle import StoreHandle

__all__ = ["get_handle", "get_settings", "get_store"]


def get_handle() -> StoreHandle:
    """The handle of the store this app serves."""
    handle: StoreHandle = current_app.extensions["kg_store"]
    return handle


def get_store() -> Store:
    """The store this app serves, at its newest data version."""
    return get_handle().current()


def get_settings() -> Settings:
    """The settings this app was built with."""
    settings: Settings = current_app.config["KG_SETTINGS"]
    return settings
