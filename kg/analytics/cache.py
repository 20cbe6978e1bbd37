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
    "REQUEST_WAIT",
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


#: Seconds a request waits for a first computation before "being computed" (503).
REQUEST_WAIT = 5.0


def get_projection(store: Store, *, stale: bool = False,
                   wait: float | None = None) -> nx.MultiGraph:
    """The projection of ``store`` at its current data version (built at most once). With
    ``stale``, the previous version's answers while the new one is built (for a page; never
    for a value that is kept as the new version's).

    Raises:
        NotReadyError: there is no projection yet and ``wait`` seconds passed.
    """
    return per_version(store, "projection", lambda: _timed(build_projection, store),
                       stale=stale, wait=wait)


def _timed(fn: Callable[[Store], T], store: Store) -> T:
    started = time.perf_counter()
    value = fn(store)
    log.info("%s took %.2f s", fn.__name__, time.perf_counter() - started)
    return value


def cached_json(store: Store, settings: Settings, name: str, compute: Callable[[], T],
                params: Any = None, *, disk: bool = True, stale: bool = False,
                wait: float | None = None) -> T:
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
        wait: seconds to wait for a first computation (see :func:`kg.cache.per_version`).
    """
    return per_version(store, name, compute, params=params,
                       cache_dir=settings.cache_dir if disk else None, stale=stale, wait=wait)


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


def get_analytics(store: Store, settings: Settings, *, stale: bool = True,
                  wait: float | None = None) -> dict[str, Any]:
    """The analytics of ``store`` at its data version: from memory, disk, or computed once
    in the background. While a new version's are computed, the previous version's answer
    (``result["version"]`` says which; ``stale=False`` waits for the new ones); a first
    computation is waited for ``wait`` seconds (``None``: as long as it takes).

    Raises:
        NotReadyError: nothing computed yet and ``wait`` seconds passed.
    """
    version = store.data_version()

    def compute() -> dict[str, Any]:
        started = time.perf_counter()
        result = compute_analytics(get_projection(store))
        result["version"] = version
        result["seconds"] = round(time.perf_counter() - started, 3)
        return result

    return cached_json(store, settings, "analytics", compute, stale=stale, wait=wait)
