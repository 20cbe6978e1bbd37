"""The path finder's breadth-first search on integer arrays gives what the definition says:
the first shortest paths in IRI order, checked against networkx on a generated graph."""

from __future__ import annotations

import random
from itertools import islice

import networkx as nx
import pytest
from graphdata import generated_store

from kg.analytics.paths import ALL_KINDS, DEFAULT_KINDS, ENDPOINT_KINDS, MAX_PATHS, find_paths
from kg.analytics.projection import build_projection


@pytest.fixture(scope="module")
def G() -> nx.MultiGraph:
    return build_projection(generated_store(600))


def _reference(G: nx.MultiGraph, a: str, b: str, include_all: bool) -> list[list[str]]:
    """Shortest paths by networkx over the links a path may use between ``a`` and ``b``."""
    H = nx.Graph()
    H.add_nodes_from((a, b))
    for u, v, kind in G.edges(data="kind"):
        if u == v or "concept" in (G.nodes[u]["type"], G.nodes[v]["type"]):
            continue
        if (kind in ALL_KINDS if include_all else
                kind in DEFAULT_KINDS or (kind in ENDPOINT_KINDS and {u, v} & {a, b})):
            H.add_edge(u, v)
    try:
        return list(islice(sorted(nx.all_shortest_paths(H, a, b)), MAX_PATHS))
    except nx.NetworkXNoPath:
        return []


def test_paths_are_the_first_shortest_paths_in_iri_order(G: nx.MultiGraph) -> None:
    ends = sorted(n for n, t in G.nodes(data="type") if t in ("organisation", "person"))
    rng = random.Random(5)
    lengths = set()
    for _ in range(40):
        a, b = rng.sample(ends, 2)
        for include_all in (False, True):
            found = find_paths(G, a, b, include_all=include_all)
            paths = [[n["iri"] for n in p["nodes"]] for p in found["paths"]]
            assert paths == _reference(G, a, b, include_all), (a, b, include_all)
            lengths.add(found["length"])
    assert len(lengths) >= 3  # short, long and (some) unconnected pairs were tried
