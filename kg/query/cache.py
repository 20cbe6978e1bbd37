"""Values computed once per data version of a store (statistics, source tables, ...).

>>> from kg.store import open_store
>>> s = open_store("oxigraph:")
>>> calls = []
>>> per_version(s, "n", lambda: calls.append(1) or len(calls))
1
>>> per_version(s, "n", lambda: calls.append(1) or len(calls))
1
"""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from typing import Any, TypeVar

from kg.store.base import Store

__all__ = ["per_version"]

T = TypeVar("T")
_CACHE: weakref.WeakKeyDictionary[Store, dict[str, tuple[str, Any]]] = weakref.WeakKeyDictionary()
_LOCK = threading.Lock()


def per_version(store: Store, key: str, compute: Callable[[], T]) -> T:
    """``compute()`` for the store's current data version, remembered under ``key``."""
    version = store.data_version()
    with _LOCK:
        slot = _CACHE.setdefault(store, {})
        hit = slot.get(key)
    if hit is not None and hit[0] == version:
        value: T = hit[1]
        return value
    value = compute()
    with _LOCK:
        _CACHE.setdefault(store, {})[key] = (version, value)
    return value
