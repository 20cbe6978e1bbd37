"""Access to the app's settings and store from inside a request."""

from __future__ import annotations

from flask import current_app

from kg.config import Settings
from kg.store.base import Store

__all__ = ["get_settings", "get_store"]


def get_store() -> Store:
    """The store this app serves."""
    store: Store = current_app.extensions["kg_store"]
    return store


def get_settings() -> Settings:
    """The settings this app was built with."""
    settings: Settings = current_app.config["KG_SETTINGS"]
    return settings
