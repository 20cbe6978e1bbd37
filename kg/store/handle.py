"""The served graph: one handle that readers ask for the current store and writers change.

:class:`StoreHandle` owns the store a process serves. Readers call :meth:`~StoreHandle.current`
and always get the newest data version: for an on-disk Oxigraph store the handle follows the
folder link (:mod:`kg.store.folders`), so a ``kg build``, ``kg load`` or a published edit
made by any process shows within a moment; other stores change in place and report their
own :meth:`~kg.store.base.Store.data_version`.

Writers call :meth:`~StoreHandle.apply` (a :class:`~kg.store.delta.Delta`) or
:meth:`~StoreHandle.derive` (any change to a store): on disk, a hard-linked copy of the live
version is changed and swapped in under the writer lock, so a change is whole or absent even
after ``kill -9``, and readers never see it half done; elsewhere the store's own transaction
does the same. Either way the change gets a new data version, the one key every cache uses.

>>> from rdflib import Literal, URIRef
>>> from kg.store import open_store
>>> h = StoreHandle(open_store("oxigraph:"))
>>> v0 = h.version()
>>> g = URIRef("https://data.kfvn.se/graph/x")
>>> v1 = h.apply(Delta(add=[(URIRef("http://x/a"), URIRef("http://x/p"), Literal("1"), g)]))
>>> v1 != v0 and h.current().count()
1
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from pathlib import Path

from kg.errors import StoreError
from kg.store.base import Store
from kg.store.delta import Delta
from kg.store.folders import live_folder, new_version
from kg.store.oxigraph import OxigraphStore

__all__ = ["StoreHandle", "derive_folder", "disk_target"]

log = logging.getLogger(__name__)

Listener = Callable[[Store], None]


def disk_target(spec: str) -> Path | None:
    """The folder of an on-disk Oxigraph spec (``oxigraph:DIR``), else ``None``."""
    if spec.startswith("oxigraph:") and spec != "oxigraph:":
        return Path(spec.removeprefix("oxigraph:"))
    return None


def derive_folder(target: Path, change: Callable[[Store], object]) -> str:
    """Make a new version of the on-disk store at ``target`` by ``change`` on a copy.

    The copy is a hard-linked backup of the live version (milliseconds at any size); it is
    opened for writing, changed, flushed and swapped in. ``change`` must record the new
    version (``store.apply`` does). Returns the new data version.

    Raises:
        StoreError: no live store, or the change failed (the live version is untouched).
    """
    live = live_folder(target)
    if live is None:
        raise StoreError(f"there is no store at {target}; run `kg build` first")
    with new_version(target) as work:
        source = OxigraphStore(live, read_only=True)
        try:
            source.raw.backup(str(work))
        except OSError as exc:
            raise StoreError(f"cannot copy the store at {live}: {exc}") from exc
        del source
        store = OxigraphStore(work)
        # the build's metadata (which files, bundled or not) carries over: the new version
        # is still that build, changed; ``change`` records its version on top
        store.write_meta(OxigraphStore.read_meta_at(live))
        change(store)
        version = store.data_version()
        store.flush()
        del store
    return version


class StoreHandle:
    """The store a process serves, following new versions, and the one way to change it.

    Args:
        store: an open store (in memory, remote, or an on-disk store opened by the caller).
        spec: the store spec, when the handle should open (and reopen) an on-disk store
            itself; then ``store`` may be ``None``.
    """

    def __init__(self, store: Store | None = None, spec: str | None = None) -> None:
        self._target = disk_target(spec) if spec else None
        self._lock = threading.Lock()
        self._listeners: list[Listener] = []
        self._folder: Path | None = None
        if store is None:
            if self._target is None:
                raise StoreError("a StoreHandle needs a store or an on-disk spec")
            store = self._open()
        elif self._target is not None:
            self._folder = live_folder(self._target)
        self._store = store

    @property
    def link(self) -> Path | None:
        """The on-disk store's version link (what readers in other processes follow)."""
        return self._target

    def _open(self) -> OxigraphStore:
        assert self._target is not None
        folder = live_folder(self._target)
        if folder is None:
            raise StoreError(f"there is no store at {self._target}; run `kg build` first")
        self._folder = folder
        return OxigraphStore(folder, read_only=True)

    def current(self) -> Store:
        """The store of the newest data version (reopened when another version went live)."""
        if self._target is None or live_folder(self._target) == self._folder:
            return self._store
        with self._lock:
            if live_folder(self._target) != self._folder:
                log.info("a new version of the store at %s is live; reopening", self._target)
                self._store = self._open()
                store = self._store
            else:
                return self._store
        self._notify(store)
        return store

    def version(self) -> str:
        return self.current().data_version()

    def subscribe(self, listener: Listener) -> None:
        """Call ``listener(store)`` whenever this handle sees a new version go live."""
        self._listeners.append(listener)

    def _notify(self, store: Store) -> None:
        for listener in list(self._listeners):
            listener(store)

    def apply(self, delta: Delta, *, head: str | None = None) -> str:
        """Publish a change as a new data version; returns the version.

        Raises:
            StoreError: the store cannot be changed; nothing was changed.
        """
        return self.derive(lambda store: store.apply(delta, head=head))

    def derive(self, change: Callable[[Store], object]) -> str:
        """Make a new data version by ``change(store)`` (which must record the version, as
        :meth:`Store.apply` and :meth:`Store.set_version` do); returns the new version."""
        if self._target is not None:
            version = derive_folder(self._target, change)
            self.current()
            return version
        with self._lock:
            change(self._store)
            version = self._store.data_version()
        self._notify(self._store)
        return version

    def close(self) -> None:
        self._store.close()
