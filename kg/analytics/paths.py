"""How is A connected to B: shortest chains of projects, roles and posts between two entities.

Paths run through the core graph (projects, organisations, people; not themes, which would
make everything two steps apart). Each step between two entities lists every relation that
links them, with its kind and roles, so a chain reads
``Sollefteå kommun —samverkanspartner→ SECURE ←projektägare— Kommunförbundet``.
"""

from __future__ import annotations

import logging
from itertools import islice, pairwise
from typing import Any

import networkx as nx

from kg.analytics.projection import concept_label, node_info
from kg.errors import NotFoundError

__all__ = ["MAX_PATHS", "find_paths", "relations_between", "resolve"]

log = logging.getLogger(__name__)

#: Most shortest paths returned by default.
MAX_PATHS = 5


def resolve(G: nx.MultiGraph, text: str) -> str:
    """The node an IRI or an exact label (any case) names.

    Raises:
        NotFoundError: no node, or a label shared by several nodes.
    """
    text = text.strip()
    if text in G and G.nodes[text]["type"] != "concept":
        return text
    wanted = text.casefold()
    found = [n for n, a in G.nodes(data=True) if a["type"] != "concept"
             and wanted in (a["label_sv"].casefold(), a["label_en"].casefold())]
    if len(found) == 1:
        return str(found[0])
    if not found:
        raise NotFoundError(f"no project, organisation or person is called {text!r}")
    raise NotFoundError(f"{len(found)} entities are called {text!r}; give the IRI")


def relations_between(G: nx.MultiGraph, u: str, v: str) -> list[dict[str, Any]]:
    """Every relation (edge) between two nodes, JSON-ready, with role labels.

    ``from_first`` is true when ``u`` is the member, funder, person or part of the relation.
    """
    out = []
    for data in G.get_edge_data(u, v, default={}).values():
        if data["kind"] == "theme":
            continue
        rel = {
            "kind": data["kind"],
            "from_first": data.get("src") == u,
            "roles": [{"iri": r, "label_sv": concept_label(G, r, "sv"),
                       "label_en": concept_label(G, r, "en")} for r in data.get("roles", [])],
        }
        for key in ("start", "end", "amount", "year"):
            if data.get(key) is not None:
                rel[key] = data[key]
        out.append(rel)
    out.sort(key=lambda r: (r["kind"], [x["iri"] for x in r["roles"]]))
    return out


def _core_view(G: nx.MultiGraph) -> Any:
    return nx.subgraph_view(
        G,
        filter_node=lambda n: G.nodes[n]["type"] != "concept",
        filter_edge=lambda u, v, k: G.edges[u, v, k]["kind"] != "theme",
    )


def find_paths(G: nx.MultiGraph, source: str, target: str,
               max_paths: int = MAX_PATHS) -> dict[str, Any]:
    """The shortest paths between two entities (IRIs or exact labels).

    Returns:
        ``{"from", "to", "length", "paths"}``: ``length`` is the number of steps (None when
        unconnected); each path has ``nodes`` (summaries) and ``links`` (one list of
        relations per step).

    Raises:
        NotFoundError: an entity is not in the graph.
    """
    a, b = resolve(G, source), resolve(G, target)
    view = _core_view(G)
    result: dict[str, Any] = {"from": node_info(G, a), "to": node_info(G, b),
                              "length": None, "paths": []}
    try:
        # sorted, so that the same paths are chosen whatever order the store gave the rows in
        found = sorted(islice(nx.all_shortest_paths(view, a, b), max_paths * 20))[:max_paths]
    except nx.NetworkXNoPath:
        return result
    result["length"] = len(found[0]) - 1
    result["paths"] = [
        {"nodes": [node_info(G, n) for n in path],
         "links": [relations_between(G, x, y) for x, y in pairwise(path)]}
        for path in found
    ]
    log.debug("paths %s → %s: %d of length %s", a, b, len(found), result["length"])
    return result
