"""Node, edge and option records for vis-network, built with pyvis, and the styles behind them.

pyvis builds the records (what it does well); drawing is ours (``webapp/templates/graph/``,
``webapp/static/js/graph.js``), never pyvis's HTML template. Node type is shown by colour
*and* shape, relation kind by colour *and* dash pattern, so nothing rests on colour alone;
:func:`legend` and :func:`edge_legend` describe both. Labels are short names (``TEO`` for
"TEO – Tillgängliga e-tjänster ..."); the full name is in the title and the side panel.

Every record carries years where the data states them (``y0``/``y1``), so the browser can
show a chosen year or period; a relation without dates of its own takes the period of its
project, and one with neither stays undated (``y0`` is None), never guessed.

>>> short_label("TEO – Tillgängliga e-tjänster för offentlig sektor")
'TEO'
>>> short_label("Kommunförbundet Västernorrland")
'Kommunförbundet Västernorrland'
>>> short_label("Sammanslagning av Mid Sweden European Office och North Sweden European Office")
'Sammanslagning av Mid Sweden European…'
"""

from __future__ import annotations

import json
import math
import re
import weakref
from typing import Any

import networkx as nx
from pyvis.network import Network

from kg.analytics.projection import concept_label, label, year_of
from kg.i18n import translate
from kg.i18n.formats import amount

__all__ = [
    "BIG",
    "EDGE_STYLES",
    "KIND_LABELS",
    "STYLES",
    "degree",
    "edge_legend",
    "edge_years",
    "legend",
    "relation_text",
    "short_label",
    "style_of",
    "vis_records",
]

#: Colours of the app's kinds (app.css) and a distinct shape per type.
STYLES: dict[str, dict[str, str]] = {
    "organisation": {"color": "#c4540a", "shape": "dot", "sv": "Organisation",
                     "en": "Organisation"},
    "municipality": {"color": "#8f3d06", "shape": "diamond", "sv": "Kommun",
                     "en": "Municipality"},
    "project": {"color": "#0b5c7a", "shape": "square", "sv": "Projekt", "en": "Project"},
    "person": {"color": "#2f7d32", "shape": "triangle", "sv": "Person", "en": "Person"},
    "concept": {"color": "#6a4c93", "shape": "hexagon", "sv": "Tema", "en": "Theme"},
}
#: Relation kinds as drawn: colour, dashes (``False`` = solid) and an arrow for directed ones.
#: Kinds sharing a ``legend`` key are one entry of the edge legend.
EDGE_STYLES: dict[str, dict[str, Any]] = {
    "participation": {"color": "#7b8794", "dashes": False, "legend": "participation"},
    "funding": {"color": "#a86b00", "dashes": [8, 4], "arrow": True, "legend": "funding"},
    "programme": {"color": "#a86b00", "dashes": [8, 4], "arrow": True, "legend": "funding"},
    "appointment": {"color": "#2f7d32", "dashes": [2, 4], "legend": "appointment"},
    "membership": {"color": "#8f3d06", "dashes": [2, 4], "legend": "membership"},
    "suborganisation": {"color": "#8f3d06", "dashes": [10, 3, 2, 3], "arrow": True,
                        "legend": "suborganisation"},
    "part_of": {"color": "#0b5c7a", "dashes": False, "arrow": True, "legend": "part_of"},
    "follows": {"color": "#0b5c7a", "dashes": [10, 3, 2, 3], "arrow": True, "legend": "follows"},
    "theme": {"color": "#b9a6d6", "dashes": [1, 5], "legend": "theme"},
}
#: Which kind wins the style of a line that stands for several relations.
_KIND_RANK = {k: i for i, k in enumerate(
    ("funding", "programme", "participation", "part_of", "follows", "appointment",
     "membership", "suborganisation", "theme"))}
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
#: Above this many nodes a view is "big": shorter titles, no hover highlighting.
BIG = 400
#: Labels wrap at this width (canvas pixels at zoom 1).
LABEL_WIDTH = 150
_SHORT = re.compile(r"^(.{2,24}?)\s+[–—-]\s+\S")
#: Longer labels are cut at a word (the full name is in the title and the side panel).
MAX_LABEL = 40


def short_label(text: str) -> str:
    """The short name of a label: the part before " – " when that part is short; a long
    name cut at a word."""
    m = _SHORT.match(text)
    if m:
        return m.group(1)
    if len(text) <= MAX_LABEL:
        return text
    cut = text[:MAX_LABEL].rsplit(" ", 1)[0].rstrip(" ,;:–-")
    return cut + "…"


def style_of(attrs: dict[str, Any]) -> str:
    """The style key of a node: its type, or ``municipality`` for municipalities."""
    return "municipality" if attrs.get("municipality") else str(attrs["type"])


def _lang(lang: str) -> str:
    return lang if lang in ("sv", "en") else "sv"


def legend(lang: str = "sv") -> list[dict[str, str]]:
    """The node legend entries (key, label, colour, shape) in ``lang``."""
    return [{"key": k, "label": s[_lang(lang)], "color": s["color"], "shape": s["shape"]}
            for k, s in STYLES.items()]


def edge_legend(kinds: set[str], lang: str = "sv") -> list[dict[str, Any]]:
    """The edge legend entries for the relation kinds present: key, label, colour, dashes."""
    seen: dict[str, dict[str, Any]] = {}
    for kind in sorted(kinds, key=lambda k: _KIND_RANK.get(k, 99)):
        style = EDGE_STYLES.get(kind)
        if style is None or style["legend"] in seen:
            continue
        key = style["legend"]
        seen[key] = {"key": key, "label": translate(f"graph.edge.{key}", _lang(lang)),
                     "color": style["color"], "dashes": style["dashes"] or [],
                     "arrow": bool(style.get("arrow"))}
    return list(seen.values())


def relation_text(G: nx.MultiGraph, data: dict[str, Any], lang: str) -> str:
    """One relation in words: its roles, or the kind of relation; amounts added."""
    roles = [concept_label(G, r, lang) for r in data.get("roles", [])]
    text = ", ".join(roles) if roles else KIND_LABELS[data["kind"]][_lang(lang)]
    if data.get("amount") is not None:
        text += f" ({amount(round(data['amount']), lang=lang)})"
    return text


def _node_years(G: nx.MultiGraph, node: str) -> tuple[int | None, int | None]:
    years = G.nodes[node].get("years") or []
    return (years[0], years[-1]) if years else (None, None)


def edge_years(G: nx.MultiGraph, u: str, v: str, data: dict[str, Any]
               ) -> tuple[int | None, int | None]:
    """The years a relation was active: its own dates or year, else its project's period.

    >>> G = nx.MultiGraph()
    >>> G.add_node("p", type="project", years=[2016, 2017, 2018])
    >>> G.add_node("o", type="organisation", years=[])
    >>> edge_years(G, "o", "p", {"kind": "participation", "start": "2017-03-01"})
    (2017, 2017)
    >>> edge_years(G, "o", "p", {"kind": "participation"})
    (2016, 2018)
    >>> edge_years(G, "o", "p", {"kind": "membership"})
    (None, None)
    """
    start, end = year_of(data.get("start")), year_of(data.get("end"))
    if data.get("year") is not None:
        start = end = int(data["year"])
    if start is not None or end is not None:
        return (start if start is not None else end), (end if end is not None else start)
    if data["kind"] in ("participation", "funding", "programme", "theme"):
        for node in (u, v):
            if G.nodes[node]["type"] == "project":
                return _node_years(G, node)
    return None, None


def _edge_records(G: nx.MultiGraph, nodes: list[str], lang: str, *,
                  with_titles: bool) -> list[dict[str, Any]]:
    """One record per linked pair; parallel relations are merged into one line."""
    records = []
    sub = G.subgraph(nodes)
    for u, v in nx.Graph(sub).edges():
        if u == v:
            continue
        rels = list(G.get_edge_data(u, v).values())
        kind = min((d["kind"] for d in rels), key=lambda k: _KIND_RANK.get(k, 99))
        main = next(d for d in rels if d["kind"] == kind)
        src = main.get("src") if main.get("src") in (u, v) else u
        rec: dict[str, Any] = {"from": src, "to": v if src == u else u, "kind": kind}
        if with_titles:
            rec["title"] = " · ".join(sorted({relation_text(G, d, lang) for d in rels}))
        spans = [edge_years(G, u, v, d) for d in rels]
        dated = [s for s in spans if s[0] is not None]
        rec["y0"] = min(s[0] for s in dated) if dated else None  # type: ignore[type-var]
        rec["y1"] = max(s[1] for s in dated) if dated else None  # type: ignore[type-var]
        style = EDGE_STYLES.get(kind, EDGE_STYLES["participation"])
        rec["color"] = style["color"]
        if style["dashes"]:
            rec["dashes"] = style["dashes"]
        if style.get("arrow"):
            rec["arrows"] = "to"
        if len(rels) > 1:
            rec["width"] = min(len(rels), 4)
        records.append(rec)
    return records


def _size(degree: int, center: bool = False) -> float:
    """Node size in pixels: grows with the square root of the degree, capped."""
    return round(min(8 + 3 * math.sqrt(degree), 30) + (6 if center else 0), 1)


def _node_title(G: nx.MultiGraph, node: str, lang: str, short: bool = False) -> str:
    attrs = G.nodes[node]
    lines = [label(G, node, lang), STYLES[style_of(attrs)][_lang(lang)]]
    years = attrs.get("years") or []
    if years and not short:
        lines.append(f"{years[0]}–{years[-1]}" if len(years) > 1 else str(years[0]))
    return "\n".join(lines)


def options(n_nodes: int) -> dict[str, Any]:
    """vis-network options: no physics, no zoom until the graph is activated (graph.js),
    labels wrapped at :data:`LABEL_WIDTH`."""
    big = n_nodes > BIG
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False},
        "interaction": {"hover": not big, "tooltipDelay": 200, "hideEdgesOnDrag": big,
                        "hideEdgesOnZoom": big, "keyboard": {"enabled": False},
                        "navigationButtons": False, "zoomView": False, "dragView": True,
                        "dragNodes": False, "multiselect": False},
        "nodes": {
            "borderWidth": 1, "borderWidthSelected": 3,
            "font": {"size": 14, "face": "system-ui, sans-serif", "color": "#1b1b1b",
                     "strokeWidth": 3, "strokeColor": "#ffffff"},
            "widthConstraint": {"maximum": LABEL_WIDTH},
            # sizes come with the nodes: vis-network's value scaling costs ~0.2 ms a node
            "scaling": {"label": {"enabled": False, "drawThreshold": 1, "maxVisible": 40}},
        },
        "edges": {
            "smooth": False, "selectionWidth": 2, "width": 1.2,
            "arrows": {"to": {"enabled": False, "scaleFactor": 0.5}},
            "color": {"inherit": False, "highlight": "#1b1b1b", "hover": "#1b1b1b"},
            "font": {"size": 0},
        },
    }



#: Node degrees of each projection, worked out once per node: a multigraph counts a hub's
#: edges one by one, and ranking the neighbours of a neighbourhood asked it thousands of
#: times per entity page.
_DEGREES: weakref.WeakKeyDictionary[nx.MultiGraph, dict[str, int]] = weakref.WeakKeyDictionary()


def degree(G: nx.MultiGraph, node: str) -> int:
    """``G.degree(node)``, remembered for the (per-version, never changed) projection."""
    memo = _DEGREES.get(G)
    if memo is None:
        memo = _DEGREES.setdefault(G, {})
    found = memo.get(node)
    if found is None:
        found = memo[node] = int(G.degree(node))
    return found


def vis_records(G: nx.MultiGraph, nodes: list[str], pos: dict[str, Any], lang: str, *,
                center: str | None = None, grouped: dict[str, str] | None = None,
                via: dict[str, str] | None = None) -> dict[str, Any]:
    """Nodes, edges and options for vis-network, built with pyvis.

    Node ids are small integers (the records stay small); each node carries our extra
    fields ``iri``, ``type``, ``group`` (its style), ``name`` (the full label), ``rank``
    (label priority: 0 is the most important), ``y0``/``y1`` (projects' years), ``grp``
    when it belongs to a folded group of neighbours and ``via`` (the id of the neighbour
    that leads to it) two steps out; ``url`` is added by the caller.
    """
    net = Network(directed=True)  # directed: pyvis skips its O(E²) duplicate check
    ids = {node: i for i, node in enumerate(nodes)}
    big = len(nodes) > BIG
    by_rank = sorted(nodes, key=lambda n: (n != center, -degree(G, n), n))
    rank = {n: i for i, n in enumerate(by_rank)}
    for node in nodes:
        attrs = G.nodes[node]
        x, y = pos[node]
        full = label(G, node, lang)
        links = degree(G, node)
        size = _size(links if center is None else min(links, 16), node == center)
        extra: dict[str, Any] = {}
        if node == center:
            extra = {"borderWidth": 4, "font": {"size": 17}}
        if attrs["type"] == "project":
            extra["y0"], extra["y1"] = _node_years(G, node)
        if grouped and node in grouped:
            extra["grp"] = grouped[node]
        if via and via.get(node) in ids:
            extra["via"] = ids[via[node]]
        net.add_node(ids[node], label=short_label(full) or " ", name=full,
                     group=style_of(attrs), title=_node_title(G, node, lang, short=big),
                     x=x, y=y, size=size, iri=node,
                     type=attrs["type"], rank=rank[node], **extra)
    for rec in _edge_records(G, nodes, lang, with_titles=not big):
        net.add_edge(ids[rec.pop("from")], ids[rec.pop("to")], **rec)
    opts = options(len(nodes))
    opts["groups"] = {k: {"color": s["color"], "shape": s["shape"]} for k, s in STYLES.items()}
    net.options = opts
    vis_nodes, vis_edges, _heading, _h, _w, raw = net.get_network_data()
    for rec in vis_nodes:
        rec.pop("shape", None)  # pyvis adds its default "dot"; the group decides
    for rec in vis_edges:
        if not EDGE_STYLES.get(rec["kind"], {}).get("arrow"):
            rec.pop("arrows", None)  # pyvis adds "to" on every edge of a directed network
    kinds = {e["kind"] for e in vis_edges}
    return {"nodes": vis_nodes, "edges": vis_edges, "options": json.loads(raw),
            "legend": legend(lang), "edge_legend": edge_legend(kinds, lang)}
