"""A neighbourhood laid out to be read: neighbours grouped by type and role, on rings.

The entity sits in the middle; its neighbours form a ring around it, ordered so that
neighbours of the same type in the same role sit together; nodes two steps out form an
outer ring next to the neighbour that leads to them. A neighbourhood of more than
:data:`AGGREGATE_AT` nodes is aggregated: the largest groups (neighbours of one type in one
role, or the nodes one neighbour leads to) become one node each ("38 projekt ·
projektägare") until about :data:`TARGET` are drawn; the browser opens a group on click,
placing its members where :func:`neighbourhood_layout` put them (a block just outside the
group's place). Deterministic and instant; the browser then removes what little label
overlap remains (``graph.js``).
"""

from __future__ import annotations

import math
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from kg.analytics.matrix import sv_sort_key
from kg.analytics.projection import label
from kg.export.visrecords import STYLES, relation_text, style_of
from kg.i18n import translate

__all__ = ["AGGREGATE_AT", "TARGET", "Group", "Placed", "neighbourhood_layout"]

#: Neighbourhoods with more nodes than this are shown with groups.
AGGREGATE_AT = 40
#: Aim for at most this many drawn nodes (nodes and groups) in an aggregated view.
TARGET = 28
#: Smallest group worth folding.
MIN_GROUP = 3
_STYLE_ORDER = {k: i for i, k in enumerate(("municipality", "organisation", "project",
                                             "person", "concept"))}
SPACING = 110.0  # pixels between neighbours on a ring
MIN_RADIUS = 230.0
CELL = (175.0, 64.0)  # a member's place when a group is opened


@dataclass
class Group:
    """Nodes drawn as one: neighbours of one type in one role, or what one neighbour leads to."""

    key: tuple[str, ...]
    style: str
    text: str
    parent: str | None
    members: list[str] = field(default_factory=list)
    id: str = ""


@dataclass
class Placed:
    """Positions of every node (members of folded groups where they go when opened) and the
    folded groups with their own positions."""

    pos: dict[str, tuple[float, float]]
    groups: list[dict[str, Any]]
    member_of: dict[str, str]
    via: dict[str, str] = field(default_factory=dict)


def _distances(H: nx.Graph, G: nx.MultiGraph, center: str) -> dict[str, int]:
    """Steps from the center, never walking through a theme (themes are leaves)."""
    dist = {center: 0}
    frontier = [center]
    while frontier:
        nxt = []
        for node in frontier:
            if node != center and G.nodes[node]["type"] == "concept":
                continue
            for m in H.neighbors(node):
                if m not in dist:
                    dist[m] = dist[node] + 1
                    nxt.append(m)
        frontier = nxt
    return dist


def _relation(G: nx.MultiGraph, a: str, b: str, lang: str) -> tuple[tuple[str, ...], str]:
    rels = list(G.get_edge_data(a, b, default={}).values())
    key = tuple(sorted({d["kind"] + ":" + ",".join(sorted(d.get("roles", []))) for d in rels}))
    text = " · ".join(sorted({relation_text(G, {**d, "amount": None}, lang) for d in rels}))
    return key, text


def _plan(G: nx.MultiGraph, H: nx.Graph, center: str, dist: dict[str, int],
          lang: str) -> tuple[list[str], dict[str, str], list[Group]]:
    """The first ring in reading order, each outer node's parent, and the groups."""
    ring1 = [v for v, d in dist.items() if d == 1]
    info = {v: (style_of(G.nodes[v]), *_relation(G, center, v, lang)) for v in ring1}
    ring1.sort(key=lambda v: (_STYLE_ORDER.get(info[v][0], 9), info[v][2],
                              sv_sort_key(label(G, v, lang)), v))
    order = {v: i for i, v in enumerate(ring1)}
    groups: dict[tuple[str, ...], Group] = {}
    for v in ring1:
        style, key, text = info[v]
        g = groups.setdefault(("1", style, *key), Group(("1", style, *key), style, text, None))
        g.members.append(v)
    parent: dict[str, str] = {}
    outer = sorted((v for v, d in dist.items() if d >= 2),
                   key=lambda v: (dist[v], sv_sort_key(label(G, v, lang)), v))
    for v in outer:
        near = [u for u in H.neighbors(v) if dist.get(u, 99) == dist[v] - 1]
        if not near:
            continue
        p = min(near, key=lambda u: (order.get(u, 10**6), u))
        parent[v] = p
        style = style_of(G.nodes[v])
        g = groups.setdefault(("2", p, style), Group(("2", p, style), style, "", p))
        g.members.append(v)
    return ring1, parent, list(groups.values())


def _fold(groups: list[Group], total: int, parent: dict[str, str]) -> list[Group]:
    """The groups to fold, largest first, until about :data:`TARGET` nodes are drawn; then,
    if still too many, what is left two steps out, by type."""
    if total <= AGGREGATE_AT:
        return []
    folded: list[Group] = []
    shown = total
    for g in sorted(groups, key=lambda g: (-len(g.members), g.key)):
        if shown <= TARGET or len(g.members) < MIN_GROUP:
            break
        folded.append(g)
        shown -= len(g.members) - 1
    if shown <= TARGET:
        return folded
    done = {m for g in folded for m in g.members}
    rest: dict[str, Group] = {}
    for g in groups:
        if g.key[0] == "2" and g.members[0] not in done:
            merged = rest.setdefault(g.style, Group(("2", "*", g.style), g.style, "", None))
            merged.members.extend(g.members)
    for g in sorted(rest.values(), key=lambda g: (-len(g.members), g.key)):
        if shown <= TARGET or len(g.members) < MIN_GROUP:
            break
        parents = [parent[m] for m in g.members if m in parent]
        g.parent = max(sorted(set(parents)), key=parents.count) if parents else None
        folded.append(g)
        shown -= len(g.members) - 1
    return folded


def _ring(units: list[str], radius: float, start: float = 0.0
          ) -> dict[str, tuple[float, float]]:
    step = 2 * math.pi / max(len(units), 1)
    return {u: (round(radius * math.cos(start + i * step), 1),
                round(radius * math.sin(start + i * step), 1)) for i, u in enumerate(units)}


def _block(members: list[str], at: tuple[float, float]) -> dict[str, tuple[float, float]]:
    """Members of an opened group: a block just outside the group's place."""
    x, y = at
    norm = math.hypot(x, y) or 1.0
    ux, uy = x / norm, y / norm
    cols = max(1, min(4, math.ceil(math.sqrt(len(members)))))
    rows = math.ceil(len(members) / cols)
    w, h = CELL
    cx, cy = x + ux * (rows * h / 2), y + uy * (cols * w / 2) * 0.6
    out = {}
    for i, m in enumerate(members):
        r, c = divmod(i, cols)
        out[m] = (round(cx + (c - (cols - 1) / 2) * w, 1), round(cy + (r - (rows - 1) / 2) * h, 1))
    return out


def neighbourhood_layout(G: nx.MultiGraph, center: str, nodes: list[str],
                         lang: str = "sv") -> Placed:
    """Positions and folded groups for the neighbourhood ``nodes`` of ``center``.

    >>> G = nx.MultiGraph()
    >>> G.add_node("c", type="organisation", label_sv="C", label_en="C", municipality=False)
    >>> for i in range(3):
    ...     G.add_node(f"p{i}", type="project", label_sv=f"P{i}", label_en=f"P{i}",
    ...                municipality=False)
    ...     _ = G.add_edge("c", f"p{i}", kind="participation", roles=[])
    >>> placed = neighbourhood_layout(G, "c", ["c", "p0", "p1", "p2"])
    >>> placed.pos["c"], placed.groups
    ((0.0, 0.0), [])
    """
    H = nx.Graph()
    H.add_nodes_from(nodes)
    H.add_edges_from((u, v) for u, v in G.subgraph(nodes).edges() if u != v)
    dist = _distances(H, G, center)
    ring1, parent, groups = _plan(G, H, center, dist, lang)
    folded = _fold(groups, len(nodes), parent)
    member_of = {m: f"g{i}" for i, g in enumerate(folded) for m in g.members}
    for i, g in enumerate(folded):
        g.id = f"g{i}"

    def unit(v: str) -> str:
        return member_of.get(v, v)

    units1 = list(dict.fromkeys(unit(v) for v in ring1))
    r1 = max(MIN_RADIUS, SPACING * len(units1) / (2 * math.pi))
    start = -math.pi / 2  # the first group at the top, reading clockwise
    pos: dict[str, tuple[float, float]] = {center: (0.0, 0.0), **_ring(units1, r1, start)}
    angle = {u: start + 2 * math.pi * i / max(len(units1), 1) for i, u in enumerate(units1)}
    children: dict[str, list[str]] = defaultdict(list)
    orphans: list[str] = []
    for v in (v for v, d in sorted(dist.items(), key=lambda kv: kv[1]) if d >= 2):
        p = parent.get(v)
        (children[unit(p)] if p else orphans).append(unit(v))
    outer = list(dict.fromkeys([u for p in units1 for u in children.get(p, [])] + orphans))
    outer = [u for u in outer if u not in pos]
    if outer:
        r2 = r1 + max(MIN_RADIUS, SPACING * len(outer) / (2 * math.pi) - r1)
        step = 2 * math.pi / len(outer)
        first = units1[0] if units1 else None
        lead = len([u for u in children.get(first, []) if u in outer]) if first else 0
        begin = angle.get(first, start) - step * (lead - 1) / 2 if first else start
        for i, u in enumerate(outer):
            a = begin + i * step
            pos[u] = (round(r2 * math.cos(a), 1), round(r2 * math.sin(a), 1))
    for v in nodes:  # anything BFS did not reach (cannot happen for a neighbourhood)
        pos.setdefault(v, pos.get(unit(v), (0.0, 0.0)))
    records = []
    for g in folded:
        at = pos[g.id]
        pos.update(_block(g.members, at))
        what = translate(f"graph.group.{g.style}", lang, n=len(g.members))
        text = f"{what} · {g.text}" if g.text else what
        records.append({"id": g.id, "label": text, "style": g.style, "count": len(g.members),
                        "parent": g.parent, "x": at[0], "y": at[1],
                        "color": STYLES[g.style]["color"]})
        del pos[g.id]
    return Placed(pos, records, member_of, parent)
