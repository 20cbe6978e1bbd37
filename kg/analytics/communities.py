"""Communities of collaborators: groups of organisations that share many projects.

The org–org co-participation graph links two organisations with a weight equal to the number
of projects both take part in; Louvain (seeded) finds its communities: networkx's on small
graphs, igraph's multilevel (the same method, in C; about 50× faster) from
:data:`IGRAPH_FROM` organisations on.
"""

from __future__ import annotations

import logging
import threading
import weakref
from collections import Counter, defaultdict
from itertools import combinations
from typing import Any

import networkx as nx

from kg.analytics.fast import seeded, to_igraph
from kg.analytics.projection import node_info

__all__ = ["IGRAPH_FROM", "communities", "coparticipation_graph", "project_members"]

log = logging.getLogger(__name__)

#: From this many organisations on, communities are found by igraph.
IGRAPH_FROM = 1500
_MEMBERS: weakref.WeakKeyDictionary[nx.MultiGraph, dict[str, set[str]]] = (
    weakref.WeakKeyDictionary())
_MEMBERS_LOCK = threading.Lock()


def project_members(G: nx.MultiGraph) -> dict[str, set[str]]:
    """For each project, the organisations that take part in it (participation edges);
    worked out once per projection (communities and the matrix both need it: a pass over
    every edge, about half a second at 1 M triples). Read it, never change it."""
    with _MEMBERS_LOCK:
        found = _MEMBERS.get(G)
    if found is not None:
        return found
    members: dict[str, set[str]] = defaultdict(set)
    for u, v, data in G.edges(data=True):
        if data["kind"] == "participation":
            org = data["src"]
            members[v if org == u else u].add(org)
    with _MEMBERS_LOCK:
        return _MEMBERS.setdefault(G, dict(members))


def coparticipation_graph(G: nx.MultiGraph) -> nx.Graph:
    """Organisations linked by shared projects; ``weight`` = number of shared projects."""
    H: nx.Graph = nx.Graph()
    for orgs in project_members(G).values():
        for a, b in combinations(sorted(orgs), 2):
            if H.has_edge(a, b):
                H[a][b]["weight"] += 1
            else:
                H.add_edge(a, b, weight=1)
    return H


def _detect(H: nx.Graph, seed: int) -> list[set[str]]:
    if H.number_of_nodes() >= IGRAPH_FROM:
        g, names = to_igraph(H, weight="weight")
        with seeded(seed):
            parts = g.community_multilevel(weights="weight")
        return [{names[i] for i in part} for part in parts]
    try:
        found = nx.community.louvain_communities(H, weight="weight", seed=seed)
    except (AttributeError, NotImplementedError):  # pragma: no cover - old networkx
        found = nx.community.greedy_modularity_communities(H, weight="weight")
    return [set(c) for c in found]


def _shared_projects(members_of: dict[str, set[str]],
                     groups: list[set[str]]) -> list[Counter[str]]:
    """Per community, how many of its members take part in each project."""
    where = {org: i for i, group in enumerate(groups) for org in group}
    counts: list[Counter[str]] = [Counter() for _ in groups]
    for project, orgs in members_of.items():
        for org in orgs:
            if org in where:
                counts[where[org]][project] += 1
    return counts


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def communities(G: nx.MultiGraph, *, seed: int = 42, top_projects: int = 5,
                min_size: int = 2) -> list[dict[str, Any]]:
    """Communities of collaborating organisations, largest first.

    Each: ``size``, ``members`` (node summaries with ``partners``, their number of
    collaborators inside the community, most central first) and ``projects`` (the projects
    with most members in the community, with that count as ``members``).
    """
    H = coparticipation_graph(G)
    if H.number_of_nodes() == 0:
        return []
    groups = [g for g in _detect(H, seed) if len(g) >= min_size]
    shared = _shared_projects(project_members(G), groups)
    out: list[dict[str, Any]] = []
    for group, counts in zip(groups, shared, strict=True):
        inner = H.subgraph(group)
        members = sorted(
            ({**node_info(G, n), "partners": inner.degree(n)} for n in group),
            key=lambda r: (-r["partners"], r["label_sv"].casefold()),
        )
        top = sorted(counts.items(), key=_by_count)[:top_projects]  # ties by IRI
        projects = [{**node_info(G, p), "members": c} for p, c in top if c >= 2]
        out.append({"size": len(group), "members": members, "projects": projects})
    out.sort(key=lambda c: (-c["size"], c["members"][0]["label_sv"].casefold()))
    log.info("%d communities among %d organisations", len(out), H.number_of_nodes())
    return out
