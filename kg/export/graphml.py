"""Graph views as GraphML (for Gephi, yEd, Cytoscape): the same nodes and links as drawn,
with positions, types, labels, IRIs and years.

>>> data = {"nodes": [{"id": 0, "iri": "https://x/a", "label": "A", "type": "project",
...                    "group": "project", "x": 1.0, "y": 2.0, "y0": 2016, "y1": 2019},
...                   {"id": 1, "iri": "https://x/b", "label": "B", "type": "organisation",
...                    "group": "organisation", "x": 3.0, "y": 4.0}],
...         "edges": [{"from": 1, "to": 0, "kind": "participation", "title": "partner",
...                    "y0": None, "y1": None}]}
>>> text = graphml_bytes(data).decode()
>>> '<node id="https://x/a">' in text and 'partner' in text
True
"""

from __future__ import annotations

from typing import Any

import networkx as nx

__all__ = ["graphml_bytes"]

_NODE_KEYS = ("label", "name", "type", "group", "x", "y", "y0", "y1", "url")
_EDGE_KEYS = ("kind", "title", "y0", "y1")


def graphml_bytes(data: dict[str, Any]) -> bytes:
    """The nodes and edges of a graph view (:mod:`kg.export.network`) as GraphML (UTF-8).

    Nodes are keyed by IRI; attributes missing from a record (an undated link's years)
    are left out rather than written empty.
    """
    G = nx.DiGraph()
    iris = {}
    for n in data["nodes"]:
        iris[n["id"]] = n["iri"]
        attrs = {k: n[k] for k in _NODE_KEYS if n.get(k) is not None}
        attrs["label"] = str(n.get("name") or n.get("label") or n["iri"])
        attrs.pop("name", None)
        G.add_node(n["iri"], **attrs)
    for e in data["edges"]:
        attrs = {k: e[k] for k in _EDGE_KEYS if e.get(k) is not None}
        G.add_edge(iris[e["from"]], iris[e["to"]], **attrs)
    return "\n".join(nx.generate_graphml(G, encoding="utf-8")).encode("utf-8")
