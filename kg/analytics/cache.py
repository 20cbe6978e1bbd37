"""Compute once per data version: the projection in memory, results in memory and on disk.

Whole-graph measures take seconds to minutes on a large graph (see PERF-ANCHORS), so every
result is keyed by the store's :meth:`~kg.store.base.Store.data_version`: the first caller
computes it (others asking meanwhile wait for that one computation), later callers get the
copy in memory, and a restarted process reads the JSON file in ``settings.cache_dir``
(written atomically). Versions that only count triples (``memory-123``, from stores without
a build digest) are not durable, so they are kept in memory only.

The functions here need no Flask: benchmarks and the CLI call them directly.

>>> from kg.store import OxigraphStore
>>> from kg.config import Settings
>>> import tempfile
>>> s = Settings().with_(cache_dir=tempfile.mkdtemp())
>>> sorted(get_analytics(OxigraphStore(), s))[:3]
['brokers', 'communities', 'counts']
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import networkx as nx

from kg.analytics.centrality import brokers, most_connected
from kg.analytics.communities import communities
from kg.analytics.funding import funding_summary
from kg.analytics.matrix import municipality_matrix
from kg.analytics.projection import build_projection, core_graph
from kg.config import Settings
from kg.export.dumps import atomic_write
from kg.store.base import Store

__all__ = [
    "CACHE_FORMAT",
    "cached_json",
    "clear_memory",
    "compute_analytics",
    "get_analytics",
    "get_projection",
]

log = logging.getLogger(__name__)

#: Bumped whenever the shape of a cached result changes, so old files are not read.
CACHE_FORMAT = 1
_UNDURABLE = re.compile(r"^[a-z+]+-\d+$")
T = TypeVar("T")


class _Memo:
    """A small thread-safe LRU map whose values are computed once per key."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._lock = threading.Lock()
        self._computing: dict[Hashable, threading.Lock] = {}

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        with self._lock:
            if key in self._values:
                self._values.move_to_end(key)
                return self._values[key]  # type: ignore[no-any-return]
            key_lock = self._computing.setdefault(key, threading.Lock())
        with key_lock:
            with self._lock:
                if key in self._values:
                    return self._values[key]  # type: ignore[no-any-return]
            value = compute()
            with self._lock:
                self._values[key] = value
                while len(self._values) > self.size:
                    self._values.popitem(last=False)
                self._computing.pop(key, None)
            return value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()


_projections = _Memo(2)
_results = _Memo(256)


def clear_memory() -> None:
    """Forget everything kept in memory (tests; after a rebuild the version changes anyway)."""
    _projections.clear()
    _results.clear()


def _store_key(store: Store) -> str:
    """A token unique to this store object (``id()`` may be reused after one is freed)."""
    token: str | None = getattr(store, "_kg_cache_token", None)
    if token is None:
        token = uuid.uuid4().hex
        store._kg_cache_token = token  # type: ignore[attr-defined]
    return token


def get_projection(store: Store) -> nx.MultiGraph:
    """The projection of ``store`` at its current data version (built at most once)."""
    version = store.data_version()
    return _projections.get((_store_key(store), version),
                            lambda: _timed(build_projection, store))


def _timed(fn: Callable[[Store], T], store: Store) -> T:
    started = time.perf_counter()
    value = fn(store)
    log.info("%s took %.2f s", fn.__name__, time.perf_counter() - started)
    return value


def _durable(version: str) -> bool:
    return not _UNDURABLE.match(version)


def _safe(version: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", version)[:64]


def cache_file(settings: Settings, name: str, version: str, params: Any = None) -> Path:
    """Where a result is kept on disk: ``<cache_dir>/<name>-v<format>-<version>[-<hash>].json``."""
    tail = ""
    if params is not None:
        blob = json.dumps(params, sort_keys=True, ensure_ascii=False).encode()
        tail = "-" + hashlib.sha256(blob).hexdigest()[:16]
    return Path(settings.cache_dir) / f"{name}-v{CACHE_FORMAT}-{_safe(version)}{tail}.json"


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable cache file %s: %s", path, exc)
        return None


def _write(path: Path, value: Any) -> None:
    try:
        with atomic_write(path) as fh:
            fh.write(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    except OSError as exc:  # a read-only cache folder must not break the page
        log.warning("cannot write cache file %s: %s", path, exc)


def cached_json(store: Store, settings: Settings, name: str, compute: Callable[[], T],
                params: Any = None, *, disk: bool = True) -> T:
    """A JSON-ready result computed once per data version (and ``params``).

    Args:
        store: the store whose data version keys the result.
        settings: gives ``cache_dir``.
        name: the kind of result (part of the file name).
        compute: makes the result when neither memory nor disk has it.
        params: JSON-ready parameters the result depends on (filters, language, ...).
        disk: also keep it on disk (off for many small results, such as neighbourhoods).
    """
    version = store.data_version()
    key = (_store_key(store), version, name, json.dumps(params, sort_keys=True, default=str))

    def load_or_compute() -> T:
        durable = disk and _durable(version)
        path = cache_file(settings, name, version, params) if durable else None
        if path is not None:
            found = _read(path)
            if found is not None:
                return found  # type: ignore[no-any-return]
        value = compute()
        if path is not None:
            _write(path, value)
        return value

    return _results.get(key, load_or_compute)


def compute_analytics(G: nx.MultiGraph, top: int = 20) -> dict[str, Any]:
    """Every whole-graph measure of the analytics page, JSON-ready."""
    core = core_graph(G)
    types = [t for _, t in G.nodes(data="type")]
    return {
        "counts": {
            "nodes": G.number_of_nodes(),
            "edges": G.number_of_edges(),
            **{t: types.count(t) for t in ("project", "organisation", "person", "concept")},
        },
        "most_connected": most_connected(G, core, top),
        "brokers": brokers(G, core, top),
        "communities": communities(G),
        "matrix": municipality_matrix(G),
        "funding": funding_summary(G),
    }


def get_analytics(store: Store, settings: Settings) -> dict[str, Any]:
    """The analytics of ``store`` at its data version: from memory, disk, or computed once."""
    version = store.data_version()

    def compute() -> dict[str, Any]:
        started = time.perf_counter()
        result = compute_analytics(get_projection(store))
        result["version"] = version
        result["seconds"] = round(time.perf_counter() - started, 3)
        return result

    return cached_json(store, settings, "analytics", compute)
