"""TEMPORARY stand-in for ``kg.store.delta.Delta`` and ``kg.store.handle.StoreHandle``
(issue 15, being built by the lead). Same interface; replaced when those land.

Only in-memory stores (``oxigraph:``, ``memory``) and remote stores are handled here; the
real handle publishes new versions of an on-disk store.
"""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass

from kg.errors import StoreError
from kg.store.base import Quad, Store
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore

__all__ = ["Delta", "StoreHandle", "apply_delta"]


@dataclass(frozen=True)
class Delta:
    """Quads to remove and to add, in one transaction. A named-graph quad also maintains the
    merged default graph: a triple leaves it only when no named graph states it any more."""

    remove: tuple[Quad, ...] = ()
    add: tuple[Quad, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.remove or self.add)


def _nt(t: object) -> str:
    from kg.edit.patch import nt

    return nt(t)  # type: ignore[arg-type]


def _update_text(delta: Delta) -> str:
    def block(quads: tuple[Quad, ...]) -> str:
        return " ".join(
            (f"GRAPH {_nt(g)} {{ {_nt(s)} {_nt(p)} {_nt(o)} }}" if g is not None
             else f"{_nt(s)} {_nt(p)} {_nt(o)} .")
            for s, p, o, g in quads)

    parts = []
    if delta.remove:
        parts.append(f"DELETE DATA {{ {block(delta.remove)} }}")
    merged = tuple((s, p, o, None) for s, p, o, g in delta.add if g is not None)
    if delta.add:
        parts.append(f"INSERT DATA {{ {block(delta.add + merged)} }}")
    gone = {(s, p, o) for s, p, o, g in delta.remove if g is not None}
    if gone:
        rows = " ".join(f"({_nt(s)} {_nt(p)} {_nt(o)})" for s, p, o in gone)
        parts.append("DELETE { ?s ?p ?o } WHERE { VALUES (?s ?p ?o) { " + rows + " } ?s ?p ?o "
                     "FILTER NOT EXISTS { GRAPH ?g { ?s ?p ?o } } }")
    return " ;\n".join(parts)


def apply_delta(store: Store, delta: Delta) -> None:
    """Apply a delta to a writable store in one transaction (``Store.apply`` of issue 15)."""
    if isinstance(store, OxigraphStore):
        if delta:
            try:
                store.raw.update(_update_text(delta))
            except OSError as exc:
                raise StoreError(f"cannot write the store: {exc}") from exc
        store._version = None
    elif isinstance(store, MemoryStore):
        for s, p, o, g in delta.remove:
            store.ds.graph(g).remove((s, p, o))
        default = store.ds.default_graph.identifier
        for s, p, o, g in delta.remove:
            if g is not None and not any((s, p, o) in c for c in store.ds.graphs() if c.identifier != default):
                store.ds.default_graph.remove((s, p, o))
        store.add_quads(delta.add)
    else:
        from kg.store.remote import RemoteStore

        if not isinstance(store, RemoteStore):
            raise StoreError(f"cannot edit a {store.kind} store")
        if delta:
            store.update(_update_text(delta))
        store._forget_stats()


class StoreHandle:
    """Owns the served store: :meth:`current` reads, :meth:`apply` publishes a new version."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._lock = threading.Lock()
        self._n = 0

    def current(self) -> Store:
        return self._store

    def apply(self, delta: Delta) -> str:
        with self._lock:
            store = self._store
            apply_delta(store, delta)
            self._n += 1
            old = store.data_version()
            version = "e" + hashlib.sha256(f"{old}/{self._n}".encode()).hexdigest()[:15]
            if isinstance(store, OxigraphStore):
                store.write_meta({"version": version})
            elif isinstance(store, MemoryStore):
                store.data_version = lambda: version  # type: ignore[method-assign]
            return store.data_version()
