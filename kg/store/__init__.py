"""The graph's home: :func:`open_store` picks a backend from a store spec.

Specs: ``oxigraph:DIR`` (embedded, persistent; the default), ``oxigraph:`` (embedded, in
memory), ``memory`` (rdflib), ``sparql+http://HOST/PATH`` or ``sparql+https://...`` (any
SPARQL 1.1 server; see :mod:`kg.store.remote`).
"""

from __future__ import annotations

from pathlib import Path

from kg.errors import StoreError
from kg.store.base import AskResult, GraphResult, QueryResult, SelectResult, Store
from kg.store.memory import MemoryStore
from kg.store.oxigraph import OxigraphStore

__all__ = [
    "AskResult",
    "GraphResult",
    "MemoryStore",
    "OxigraphStore",
    "QueryResult",
    "SelectResult",
    "Store",
    "open_store",
]


def open_store(spec: str, *, read_only: bool = False) -> Store:
    """Open the store a spec names.

    >>> open_store("memory").kind
    'memory'
    >>> open_store("oxigraph:").kind
    'oxigraph'

    Raises:
        StoreError: unknown spec, or the store cannot be opened.
    """
    if spec == "memory":
        return MemoryStore()
    if spec.startswith("oxigraph:"):
        path = spec.removeprefix("oxigraph:")
        return OxigraphStore(Path(path) if path else None, read_only=read_only)
    if spec.startswith(("sparql+http://", "sparql+https://")):
        from kg.store.remote import RemoteStore  # imported only when asked for

        return RemoteStore.from_spec(spec)
    raise StoreError(
        f"unknown store {spec!r}: use 'oxigraph:DIR', 'memory' or 'sparql+http://HOST/PATH'"
    )
