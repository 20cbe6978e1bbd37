"""Who is central: the most connected organisations and the brokers between clusters.

Both read the simple core graph of :func:`kg.analytics.projection.core_graph` (projects,
organisations, people; themes left out). Betweenness is exact on small graphs and estimated
from ``k`` sampled sources on large ones, with a fixed seed so results are stable.
"""

from __future__ import annotations

import logging
from typing import Any

import networkx as nx

from kg.analytics.projection import node_info

__all__ = ["BETWEENNESS_EXACT_MAX", "BETWEENNESS_SAMPLES", "brokers", "most_connected"]

log = logging.getLogger(__name__)

#: Up to this many nodes betweenness is exact; above it, it is sampled.
BETWEENNESS_EXACT_MAX = 2000
#: Sources sampled for betweenness on larger graphs.
BETWEENNESS_SAMPLES = 300


def most_connected(G: nx.MultiGraph, core: nx.Graph, top: int = 20) -> list[dict[str, Any]]:
    """Organisations ranked by degree: distinct projects, organisations and people linked.

    Each row: the node summary plus ``degree``, ``projects`` (projects it takes part in or
    funds) and ``people`` (people with a post in it). Ties are broken by label.
    """
    rows = []
    for node in core:
        if G.nodes[node]["type"] != "organisation":
            continue
        neighbours = list(core.neighbors(node))
        kinds = [G.nodes[n]["type"] for n in neighbours]
        rows.append({**node_info(G, node), "degree": len(neighbours),
                     "projects": kinds.count("project"), "people": kinds.count("person")})
    rows.sort(key=lambda r: (-r["degree"], r["label_sv"].casefold()))
    return [r for r in rows if r["degree"] > 0][:top]


def brokers(
    G: nx.MultiGraph, core: nx.Graph, top: int = 20, *, seed: int = 42,
    exact_max: int = BETWEENNESS_EXACT_MAX, samples: int = BETWEENNESS_SAMPLES,
) -> dict[str, Any]:
    """Organisations and people with the highest betweenness centrality (brokers).

    Projects are left out of the ranking (they connect their partners by nature) but kept
    in the graph the paths run through.

    Returns:
        ``{"sampled": k or None, "rows": [...]}``, each row the node summary plus
        ``betweenness`` (normalised, 0–1).
    """
    n = core.number_of_nodes()
    k = samples if n > exact_max else None
    scores = nx.betweenness_centrality(core, k=k, normalized=True, seed=seed)
    rows = [
        {**node_info(G, node), "betweenness": round(score, 6)}
        for node, score in scores.items()
        if score > 0 and G.nodes[node]["type"] in ("organisation", "person")
    ]
    rows.sort(key=lambda r: (-r["betweenness"], r["label_sv"].casefold()))
    log.info("betweenness over %d nodes (k=%s)", n, k)
    return {"sampled": k, "rows": rows[:top]}
