"""Access to the app's settings and store from inside a request.

The app holds its store in a :class:`StoreHolder`. When the app opened an embedded
on-disk store itself, the holder notices a rebuild (`kg build` swaps in a new folder with
new build metadata) and reopens the store, so a running server serves new data without a
restart. Caches elsewhere are keyed by :meth:`Store.data_version` and follow along.
"""

from __future__ import annotations

import logging
import threading
import time
from pathlib import Path

from flask import current_app

from kg.config import Settings
from kg.store import open_store
from kg.store.base import Store
from kg.store.oxigraph import META_FILE

__all__ = ["StoreHolder", "get_settings", "get_store"]

log = logging.getLogger(__name__)


class StoreHolder:
    """The store of one app, reopened when an embedded store is rebuilt on disk."""

    CHECK_EVERY = 2.0  # seconds between looks at the build metadata

    def __init__(self, store: Store, spec: str | None = None) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._meta: Path | None = None
        if spec and spec.startswith("oxigraph:") and spec != "oxigraph:":
            self._meta = Path(spec.removeprefix("oxigraph:")) / META_FILE
        self._spec = spec
        self._stamp = self._read_stamp()
        self._checked = time.monotonic()

    def _read_stamp(self) -> float | None:
        try:
            return self._meta.stat().st_mtime if self._meta else None
        except OSError:
            return None

    def get(self) -> Store:
        if self._meta is None or time.monotonic() - self._checked < self.CHECK_EVERY:
            return self._store
        with self._lock:
            self._checked = time.monotonic()
            stamp = self._read_stamp()
            if stamp is not None and stamp != self._stamp and self._spec:
                log.info("store at %s was rebuilt; reopening it", self._spec)
                self._store = open_store(self._spec, read_only=True)
                self._stamp = stamp
        return self._store


def get_store() -> Store:
    """The store this app serves."""
    holder: StoreHolder = current_app.extensions["kg_store"]
    return holder.get()


def get_settings() -> Settings:
    """The settings this app was built with."""
    settings: Settings = current_app.config["KG_SETTINGS"]
    return settings
