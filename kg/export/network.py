"""Graph views as vis-network data: an entity's neighbourhood and the whole-graph explorer.

pyvis builds the node, edge and option records (what it does well); rendering is ours
(``webapp/templates/graph/``, assets served locally, never pyvis's HTML template, which pulls
CDNs and does not escape). Positions come from :mod:`kg.export.layout`, computed once per
data version and view, so physics stays off and a 2,000-node graph shows at once.

Labels and titles are plain text in the records: vis-network draws labels on a canvas and
sets string titles with ``innerText``; templates embed the records with ``|tojson``.

>>> from kg.store import OxigraphStore
>>> data = explorer(OxigraphStore())
>>> data["nodes"], data["truncated"]
([], False)
"""

from __future__ import annotations

import json
import logging
import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.analytics.cache import cached_json, get_projection
from kg.analytics.projection import concept_label, label
from kg.config import Settings
from kg.errors import NotFoundError
from kg.export.layout import LAYOUT_VERSION, layout, radial_layout
from kg.i18n.formats import amount
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
]

log = logging.getLogger(__name__)

#: Most nodes in a neighbourhood graph; the best-connected neighbours are kept.
NEIGHBOURHOOD_MAX = 150
#: Most nodes in the explorer; the best-connected nodes are kept.
EXPLORER_MAX = 2000
#: Colours of the app's kinds (app.css) and a distinct shape per type, so that type never
#: rests on colour alone.
STYLES: dict[str, dict[str, str]] = {
    "organisation": {"color": "#c4540a", "shape": "dot", "sv": "Organisation",
                     "en": "Organisation"},
    "municipality": {"color": "#8f3d06", "shape": "diamond", "sv": "Kommun",
                     "en": "Municipality"},
    "project": {"color": "#0b5c7a", "shape": "square", "sv": "Projekt", "en": "Project"},
    "person": {"color": "#2f7d32", "shape": "triangle", "sv": "Person", "en": "Person"},
    "concept": {"color": "#6a4c93", "shape": "hexagon", "sv": "Tema", "en": "Theme"},
}
#: Words for relations that carry no role.
KIND_LABELS: dict[str, dict[str, str]] = {
    "participation": {"sv": "deltagare", "en": "participant"},
    "funding": {"sv": "finansiär", "en": "funder"},
    "programme": {"sv": "fond/program", "en": "fund/programme"},
    "appointment": {"sv": "uppdrag", "en": "post"},
    "membership": {"sv": "medlem", "en": "member"},
    "suborganisation": {"sv": "del av", "en": "part of"},
    "part_of": {"sv": "del av", "en": "part of"},
    "follows": {"sv": "fortsättning på", "en": "continues"},
    "theme": {"sv": "tema", "en": "theme"},
}
_DASHES = {"funding": [6, 4], "programme": [6, 4], "appointment": [2, 4],
           "membership": [2, 4], "suborganisation": [2, 4], "theme": [1, 5]}
_DEFAULT_TYPES = ("project", "organisation", "person")
#: Nodes with at least this many links get larger labels.
HUB_DEGREE = 6
#: Above this many nodes a view is "big": shorter titles, no edge titles, no hover effects.
BIG = 400


def style_of(attrs: dict[str, Any]) -> str:
    """The style key of a node: its type, or ``municipality`` for municipalities."""
    return "municipality" if attrs.get("municipality") else str(attrs["type"])


def legend(lang: str = "sv") -> list[dict[str, str]]:
    """The legend entries (key, label, colour, shape) in ``lang``."""
    return [{"key": k, "label": s[lang if lang in ("sv", "en") else "sv"],
             "color": s["color"], "shape": s["shape"]} for k, s in STYLES.items()]


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
    return sorted(nodes, key=lambda n: (-G.degree(n), G.nodes[n]["label_sv"].casefold(), n))


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


def _relation_text(G: nx.MultiGraph, data: dict[str, Any], lang: str) -> str:
    roles = [concept_label(G, r, lang) for r in data.get("roles", [])]
    text = ", ".join(roles) if roles else KIND_LABELS[data["kind"]][lang]
    if data.get("amount") is not None:
        text += f" ({amount(round(data['amount']), lang=lang)})"
    return text


def _node_title(G: nx.MultiGraph, node: str, lang: str, short: bool = False) -> str:
    attrs = G.nodes[node]
    lines = [label(G, node, lang), STYLES[style_of(attrs)][lang]]
    years = attrs.get("years") or []
    if years and not short:
        lines.append(f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]))
    return "\n".join(lines)


def _edge_records(G: nx.MultiGraph, nodes: list[str], lang: str, *, with_labels: bool,
                  with_titles: bool) -> list[dict[str, Any]]:
    """One record per linked pair; parallel relations are merged into one line."""
    records = []
    sub = G.subgraph(nodes)
    for u, v in nx.Graph(sub).edges():
        if u == v:
            continue
        rels = list(G.get_edge_data(u, v).values())
        kinds = {d["kind"] for d in rels}
        src = next((d["src"] for d in rels if d.get("src") in (u, v)), u)
        rec: dict[str, Any] = {"from": src, "to": v if src == u else u}
        if with_labels or with_titles:
            text = " · ".join(sorted({_relation_text(G, d, lang) for d in rels}))
            rec["title"] = text
            if with_labels:
                rec["label"] = text
        if len(rels) > 1:
            rec["width"] = min(len(rels), 4)
        only = kinds.pop() if len(kinds) == 1 else None
        if only in _DASHES:
            rec["dashes"] = _DASHES[only]
        records.append(rec)
    return records


def _emphasis(degree: int, center: bool) -> dict[str, Any]:
    """Hubs get larger labels, so their names still show when zoomed out; the center a border."""
    extra: dict[str, Any] = {"borderWidth": 4} if center else {}
    if center or degree >= HUB_DEGREE:
        extra["font"] = {"size": min(round(12 + 3 * math.sqrt(degree)), 40) if degree else 18}
    return extra


def _size(degree: int, center: bool = False) -> float:
    """Node size in pixels: grows with the square root of the degree, capped."""
    return round(min(8 + 3 * math.sqrt(degree), 34) + (6 if center else 0), 1)


def _options(n_nodes: int, with_labels: bool) -> dict[str, Any]:
    big = n_nodes > BIG
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": not big, "tooltipDelay": 150, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "keyboard": {"enabled": False},
                        "navigationButtons": False, "zoomView": True},
        "nodes": {
            "borderWidth": 1, "borderWidthSelected": 3,
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#1b1b1b",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            # sizes come with the nodes: vis-network's value scaling costs ~0.2 ms a node
            "scaling": {"label": {"enabled": False, "drawThreshold": 9 if big else 5,
                                  "maxVisible": 24}},
        },
        "edges": {
            "smooth": False, "selectionWidth": 2, "width": 1,
            "arrows": {"to": {"enabled": False}},
            "color": {"color": "#9aa5b1", "highlight": "#1b1b1b", "hover": "#1b1b1b"},
            "font": {"size": 11 if with_labels else 0, "align": "middle", "color": "#3d3d3d",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
        },
    }


def vis_records(G: nx.MultiGraph, nodes: list[str], pos: dict[str, Any], lang: str, *,
                center: str | None = None, edge_labels: bool = True) -> dict[str, Any]:
    """Nodes, edges and options for vis-network, built with pyvis.

    Node ids are small integers (the records stay small); each node carries our extra
    fields ``iri``, ``type`` and ``group`` (its style: colour and shape come from the
    ``groups`` option); ``url`` is added by the caller.
    """
    net = Network(directed=True)  # directed: pyvis skips its O(E²) duplicate check
    ids = {node: i for i, node in enumerate(nodes)}
    for node in nodes:
        attrs = G.nodes[node]
        x, y = pos[node]
        hub = G.degree(node) if attrs["type"] != "concept" else 0
        # in a neighbourhood view the middle is what matters: hubs get no larger labels there
        extra = _emphasis(hub if center is None else 0, node == center)
        net.add_node(ids[node], label=label(G, node, lang) or " ", group=style_of(attrs),
                     title=_node_title(G, node, lang, short=len(nodes) > BIG), x=x, y=y,
                     size=_size(G.degree(node) if center is None else min(G.degree(node), 16),
                                node == center), iri=node,
                     type=attrs["type"], **extra)
    big = len(nodes) > BIG
    for rec in _edge_records(G, nodes, lang, with_labels=edge_labels, with_titles=not big):
        net.add_edge(ids[rec.pop("from")], ids[rec.pop("to")], **rec)
    options = _options(len(nodes), edge_labels)
    options["groups"] = {k: {"color": s["color"], "shape": s["shape"]}
                         for k, s in STYLES.items()}
    net.options = options
    vis_nodes, vis_edges, _heading, _h, _w, raw = net.get_network_data()
    for rec in vis_nodes:
        rec.pop("shape", None)  # pyvis adds its default "dot"; the group decides
    for rec in vis_edges:
        rec.pop("arrows", None)  # pyvis adds "to" on directed networks; options turn it off
    return {"nodes": vis_nodes, "edges": vis_edges, "options": json.loads(raw)}


# -- the two views -------------------------------------------------------------------------
Link = Callable[[str], str]


def _with_links(data: dict[str, Any], link: Link | None) -> dict[str, Any]:
    if link is None:
        return data
    nodes = [{**n, "url": link(n["iri"])} for n in data["nodes"]]
    return {**data, "nodes": nodes}


def neighbourhood(store: Store, iri: str, hops: int = 1, *, lang: str = "sv",
                  max_nodes: int = NEIGHBOURHOOD_MAX, link: Link | None = None,
                  settings: Settings | None = None) -> dict[str, Any]:
    """The neighbourhood graph of an entity: vis records, legend and list, JSON-ready.

    Args:
        store: the graph.
        iri: the entity in the middle.
        hops: 1 or 2 steps out.
        lang: ``sv`` or ``en`` labels.
        max_nodes: cap; ``truncated`` says when neighbours were left out.
        link: maps an IRI to its page URL (added to each node as ``url``).
        settings: for the cache folder (default settings when omitted).

    Raises:
        NotFoundError: the entity is not a project, organisation, person or theme.
        ValueError: ``hops`` is not 1 or 2.
    """
    if hops not in (1, 2):
        raise ValueError("hops must be 1 or 2")
    G = get_projection(store)
    if iri not in G:
        raise NotFoundError.of("error.not_graphable", iri=iri)

    def compute() -> dict[str, Any]:
        nodes, truncated = neighbourhood_nodes(G, iri, hops, max_nodes)
        pos = radial_layout(_simple(G, nodes), iri)
        data = vis_records(G, nodes, pos, lang, center=iri, edge_labels=True)
        return {"center": iri, "label": label(G, iri, lang), "hops": hops,
                "truncated": truncated, "legend": legend(lang), **data}

    params = {"iri": iri, "hops": hops, "lang": lang, "max": max_nodes}
    data = cached_json(store, settings or Settings(), "neighbourhood", compute, params,
                       disk=False)
    return _with_links(data, link)


def explorer(store: Store, filt: GraphFilter | None = None, *, lang: str = "sv",
             max_nodes: int = EXPLORER_MAX, link: Link | None = None,
             settings: Settings | None = None) -> dict[str, Any]:
    """The whole-graph explorer for a filter: vis records and legend, JSON-ready.

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
        data = vis_records(G, placed["nodes"], placed["pos"], lang, edge_labels=False)
        return {"filter": filt.params(), "truncated": placed["truncated"],
                "total": G.number_of_nodes(), "legend": legend(lang), **data}

    params = {**filt.params(), "lang": lang, "max": max_nodes}
    data = cached_json(store, settings, "explorer", compute, params, disk=False)
    return _with_links(data, link)


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

