"""Graph views as vis-network data: an entity's neighbourhood, the whole-graph explorer and
the paths between two entities.

The records are built by :mod:`kg.export.visrecords` (with pyvis); rendering is ours
(``webapp/templates/graph/``, assets served locally, never pyvis's HTML template, which pulls
CDNs and does not escape). Positions are computed on the server: neighbourhoods as rings
grouped by type and role (:mod:`kg.export.grouping`, large ones folded into groups), the
explorer by a force layout computed once per data version and filter (:mod:`kg.export.layout`),
so physics stays off and a 2,000-node graph shows at once.

Labels and titles are plain text in the records: vis-network draws labels on a canvas and
graph.js sets titles with ``textContent``; templates embed the records with ``|tojson``.

>>> from kg.store import OxigraphStore
>>> data = explorer(OxigraphStore())
>>> data["nodes"], data["truncated"]
([], False)
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Any

import networkx as nx

from kg.analytics.cache import cached_json, get_projection
from kg.analytics.projection import label
from kg.config import Settings
from kg.errors import NotFoundError
from kg.export.grouping import neighbourhood_layout
from kg.export.layout import LAYOUT_VERSION, layout
from kg.export.visrecords import KIND_LABELS, STYLES, degree, legend, style_of, vis_records
from kg.store.base import Store

__all__ = [
    "EXPLORER_MAX",
    "KIND_LABELS",
    "NEIGHBOURHOOD_MAX",
    "STYLES",
    "GraphFilter",
    "explorer",
    "explorer_choices",
    "legend",
    "neighbourhood",
    "path_graph",
    "style_of",
]

log = logging.getLogger(__name__)

#: Most nodes in a neighbourhood graph; the best-connected neighbours are kept.
NEIGHBOURHOOD_MAX = 300
#: Most nodes in the explorer; the best-connected nodes are kept.
EXPLORER_MAX = 2000
_DEFAULT_TYPES = ("project", "organisation", "person")
#: Bump when the records change shape (part of the cache keys).
RECORDS_VERSION = 2


@dataclass(frozen=True)
class GraphFilter:
    """What the explorer shows: node types, and projects by theme, year or municipality.

    Organisations and people are kept when linked to a kept project (people through their
    organisation); with no project criterion, every node of the chosen types is shown.
    """

    types: tuple[str, ...] = _DEFAULT_TYPES
    theme: str | None = None
    year: int | None = None
    municipality: str | None = None

    def params(self) -> dict[str, Any]:
        """A JSON-ready form (cache keys, echo in replies)."""
        return {"types": sorted(self.types), "theme": self.theme, "year": self.year,
                "municipality": self.municipality}

    @property
    def on_projects(self) -> bool:
        return bool(self.theme or self.year is not None or self.municipality)


# -- choosing nodes ------------------------------------------------------------------------
def _by_degree(G: nx.MultiGraph, nodes: Iterable[str]) -> list[str]:
    return sorted(nodes, key=lambda n: (-degree(G, n), G.nodes[n]["label_sv"].casefold(), n))


def neighbourhood_nodes(G: nx.MultiGraph, center: str, hops: int,
                        max_nodes: int = NEIGHBOURHOOD_MAX) -> tuple[list[str], bool]:
    """The center and its neighbours up to ``hops`` steps, best connected first.

    Themes are leaves: the walk does not pass through them (unless one is the center), or
    every project would be two steps from every other.

    Raises:
        NotFoundError: ``center`` is not in the graph.
    """
    if center not in G:
        raise NotFoundError.of("error.not_graphable", iri=center)
    chosen, seen, frontier, truncated = [center], {center}, [center], False
    for _ in range(hops):
        found: set[str] = set()
        for node in frontier:
            if node != center and G.nodes[node]["type"] == "concept":
                continue
            found.update(n for n in G.neighbors(node) if n not in seen)
        ranked = _by_degree(G, found)
        room = max_nodes - len(chosen)
        if len(ranked) > room:
            ranked, truncated = ranked[:room], True
        chosen += ranked
        seen.update(ranked)
        frontier = ranked
    return chosen, truncated


def _project_ok(G: nx.MultiGraph, node: str, f: GraphFilter) -> bool:
    attrs = G.nodes[node]
    if f.theme and f.theme not in attrs["themes"]:
        return False
    if f.year is not None and f.year not in attrs["years"]:
        return False
    return not f.municipality or G.has_edge(node, f.municipality)


def filtered_nodes(G: nx.MultiGraph, f: GraphFilter,
                   max_nodes: int = EXPLORER_MAX) -> tuple[list[str], bool]:
    """The nodes the explorer shows for a filter, best connected first, capped."""
    types = set(f.types) or set(_DEFAULT_TYPES)
    if not f.on_projects:
        keep = {n for n, t in G.nodes(data="type") if t in types}
    else:
        projects = {n for n, t in G.nodes(data="type")
                    if t == "project" and _project_ok(G, n, f)}
        near = {m for p in projects for m in G.neighbors(p)}
        orgs = {n for n in near if G.nodes[n]["type"] == "organisation"}
        if f.municipality in G:
            orgs.add(f.municipality)
        people = {m for o in orgs for m in G.neighbors(o) if G.nodes[m]["type"] == "person"}
        themes = {n for n in near if G.nodes[n]["type"] == "concept"}
        keep = {n for group in (projects, orgs, people, themes) for n in group
                if G.nodes[n]["type"] in types}
    ranked = _by_degree(G, keep)
    return ranked[:max_nodes], len(ranked) > max_nodes


# -- building vis records ------------------------------------------------------------------
def _simple(G: nx.MultiGraph, nodes: list[str]) -> nx.Graph:
    sub = G.subgraph(nodes)
    H: nx.Graph = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_edges_from((u, v) for u, v in sub.edges() if u != v)
    return H


# -- the views ---------------------------------------------------------------------------
Link = Callable[[str], str]


def _with_links(data: dict[str, Any], link: Link | None) -> dict[str, Any]:
    if link is None:
        return data
    nodes = [{**n, "url": link(n["iri"])} for n in data["nodes"]]
    return {**data, "nodes": nodes}


def _neighbourhood_data(G: nx.MultiGraph, iri: str, hops: int, lang: str,
                        max_nodes: int) -> dict[str, Any]:
    nodes, truncated = neighbourhood_nodes(G, iri, hops, max_nodes)
    placed = neighbourhood_layout(G, iri, nodes, lang)
    data = vis_records(G, nodes, placed.pos, lang, center=iri, grouped=placed.member_of,
                       via=placed.via)
    ids = {n["iri"]: n["id"] for n in data["nodes"]}
    groups = [{**g, "parent": ids.get(g["parent"], ids[iri])} for g in placed.groups]
    return {"center": iri, "label": label(G, iri, lang), "hops": hops, "truncated": truncated,
            "total": len(nodes), "groups": groups, **data}


def neighbourhood(store: Store, iri: str, hops: int = 1, *, lang: str = "sv",
                  max_nodes: int = NEIGHBOURHOOD_MAX, link: Link | None = None,
                  settings: Settings | None = None) -> dict[str, Any]:
    """The neighbourhood graph of an entity: vis records, groups, legends, JSON-ready.

    Args:
        store: the graph.
        iri: the entity in the middle.
        hops: 1 or 2 steps out.
        lang: ``sv`` or ``en`` labels.
        max_nodes: cap; ``truncated`` says when neighbours were left out.
        link: maps an IRI to its page URL (added to each node as ``url``).
        settings: for the cache folder (default settings when omitted).

    Returns:
        ``nodes``, ``edges``, ``options``, ``legend``, ``edge_legend``, and ``groups``: the
        folded groups of a large neighbourhood (``id``, ``label``, ``count``, ``x``, ``y``,
        ``parent``); a node in a folded group has ``grp`` = the group's id.

    Raises:
        NotFoundError: the entity is not a project, organisation, person or theme.
        ValueError: ``hops`` is not 1 or 2.
    """
    if hops not in (1, 2):
        raise ValueError("hops must be 1 or 2")
    G = get_projection(store)
    if iri not in G:
        raise NotFoundError.of("error.not_graphable", iri=iri)
    params = {"iri": iri, "hops": hops, "lang": lang, "max": max_nodes, "v": RECORDS_VERSION}
    data = cached_json(store, settings or Settings(), "neighbourhood",
                       lambda: _neighbourhood_data(G, iri, hops, lang, max_nodes), params,
                       disk=False)
    return _with_links(data, link)


def explorer(store: Store, filt: GraphFilter | None = None, *, lang: str = "sv",
             max_nodes: int = EXPLORER_MAX, link: Link | None = None,
             settings: Settings | None = None) -> dict[str, Any]:
    """The whole-graph explorer for a filter: vis records and legends, JSON-ready.

    Layouts are cached per data version and filter (on disk when the version is durable).
    """
    filt = filt or GraphFilter()
    settings = settings or Settings()
    G = get_projection(store)

    def compute_layout() -> dict[str, Any]:
        nodes, truncated = filtered_nodes(G, filt, max_nodes)
        pos = layout(_simple(G, nodes))
        return {"nodes": nodes, "truncated": truncated,
                "pos": {n: list(p) for n, p in pos.items()}}

    def compute() -> dict[str, Any]:
        placed = cached_json(store, settings, "layout", compute_layout,
                             {**filt.params(), "max": max_nodes, "layout": LAYOUT_VERSION})
        data = vis_records(G, placed["nodes"], placed["pos"], lang)
        return {"filter": filt.params(), "truncated": placed["truncated"],
                "total": G.number_of_nodes(), "groups": [], **data}

    params = {**filt.params(), "lang": lang, "max": max_nodes, "v": RECORDS_VERSION}
    data = cached_json(store, settings, "explorer", compute, params, disk=False)
    return _with_links(data, link)


def path_graph(G: nx.MultiGraph, paths: list[list[str]], lang: str = "sv", *,
               link: Link | None = None) -> dict[str, Any]:
    """The found paths between two entities as one small graph, read left to right.

    Each path is a list of node IRIs from the first entity to the second; a node's column
    is its step, and the nodes of one column are stacked.

    >>> G = nx.MultiGraph()
    >>> for n, t in (("a", "organisation"), ("p", "project"), ("b", "organisation")):
    ...     G.add_node(n, type=t, label_sv=n, label_en=n, municipality=False, years=[])
    >>> _ = G.add_edge("a", "p", kind="participation", src="a", roles=[])
    >>> _ = G.add_edge("b", "p", kind="participation", src="b", roles=[])
    >>> data = path_graph(G, [["a", "p", "b"]])
    >>> [(n["label"], n["x"]) for n in data["nodes"]]
    [('a', 0.0), ('p', 230.0), ('b', 460.0)]
    """
    columns: dict[str, int] = {}
    for path in paths:
        for i, node in enumerate(path):
            columns.setdefault(node, i)
    nodes = list(columns)
    stacks: dict[int, list[str]] = {}
    for node in nodes:
        stacks.setdefault(columns[node], []).append(node)
    pos = {}
    for col, members in stacks.items():
        for row, node in enumerate(members):
            pos[node] = (round(col * 230.0, 1), round((row - (len(members) - 1) / 2) * 90.0, 1))
    wanted = {frozenset(pair) for path in paths for pair in pairwise(path)}
    data = vis_records(G, nodes, pos, lang, center=None)
    ids = {n["iri"]: n["id"] for n in data["nodes"]}
    back = {v: k for k, v in ids.items()}
    data["edges"] = [e for e in data["edges"]
                     if frozenset((back[e["from"]], back[e["to"]])) in wanted]
    return _with_links({"groups": [], "total": len(nodes), **data}, link)


@dataclass
class Choices:
    """What the explorer's filter form offers."""

    types: list[dict[str, str]] = field(default_factory=list)
    themes: list[dict[str, str]] = field(default_factory=list)
    years: list[int] = field(default_factory=list)
    municipalities: list[dict[str, str]] = field(default_factory=list)


def explorer_choices(store: Store, lang: str = "sv") -> Choices:
    """Themes in use, the years spanned and the municipalities with projects."""
    from kg.analytics.matrix import sv_sort_key

    G = get_projection(store)
    themes = [n for n, t in G.nodes(data="type") if t == "concept"]
    years = sorted({y for n, a in G.nodes(data=True) if a["type"] == "project"
                    for y in a["years"]})
    munis = [n for n, a in G.nodes(data=True)
             if a.get("municipality") and any(G.nodes[m]["type"] == "project"
                                              for m in G.neighbors(n))]

    def rows(nodes: list[str]) -> list[dict[str, str]]:
        out = [{"iri": n, "label": label(G, n, lang)} for n in nodes]
        return sorted(out, key=lambda r: sv_sort_key(r["label"]))

    types = [{"key": k, "label": STYLES[k][lang]} for k in
             ("project", "organisation", "person", "concept")]
    span = list(range(years[0], years[-1] + 1)) if years else []
    return Choices(types, rows(themes), span if len(span) <= 60 else years, rows(munis))

