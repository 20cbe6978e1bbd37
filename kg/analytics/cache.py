"""Compute once per data version: the projection in memory, results in memory and on disk.

Whole-graph measures take seconds to minutes on a large graph (see PERF-ANCHORS), so every
result is kept in the one per-version cache, :mod:`kg.cache`: the first caller computes it
(others asking meanwhile wait for that one computation), later callers get the copy in
memory, and a restarted process reads the JSON file in ``settings.cache_dir`` (written
atomically). Versions that only count triples (``memory-123``, from stores without a build
digest) are not durable, so they are kept in memory only.

The functions here need no Flask: benchmarks and the CLI call them directly.

>>> from kg.store import OxigraphStore
>>> from kg.config import Settings
>>> import tempfile
>>> s = Settings().with_(cache_dir=tempfile.mkdtemp())
>>> sorted(get_analytics(OxigraphStore(), s))[:3]
['brokers', 'communities', 'counts']
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any, TypeVar

import networkx as nx

from kg.analytics.centrality import brokers, most_connected
from kg.analytics.communities import communities
from kg.analytics.funding import funding_summary
from kg.analytics.matrix import municipality_matrix
from kg.analytics.projection import build_projection, core_graph
from kg.cache import CACHE, per_version
from kg.config import Settings
from kg.store.base import Store

__all__ = [
    "cached_json",
    "clear_memory",
    "compute_analytics",
    "get_analytics",
    "get_projection",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

def clear_memory() -> None:
    """Forget every value kept in memory (tests; files on disk stay)."""
    CACHE.clear()


def get_projection(store: Store) -> nx.MultiGraph:
    """The projection of ``store`` at its current data version (built at most once)."""
    return per_version(store, "projection", lambda: _timed(build_projection, store))


def _timed(fn: Callable[[Store], T], store: Store) -> T:
    started = time.perf_counter()
    value = fn(store)
    log.info("%s took %.2f s", fn.__name__, time.perf_counter() - started)
    return value


def cached_json(store: Store, settings: Settings, name: str, compute: Callable[[], T],
                params: Any = None, *, disk: bool = True, stale: bool = False) -> T:
    """A JSON-ready result computed once per data version (and ``params``), through
    :mod:`kg.cache`.

    Args:
        store: the store whose data version keys the result.
        settings: gives ``cache_dir``.
        name: the kind of result.
        compute: makes the result when neither memory nor disk has it.
        params: JSON-ready parameters the result depends on (filters, language, ...).
        disk: also keep it on disk (off for many small results, such as neighbourhoods).
        stale: serve the previous version's result while the new one is computed.
    """
    return per_version(store, name, compute, params=params,
                       cache_dir=settings.cache_dir if disk else None, stale=stale)


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
