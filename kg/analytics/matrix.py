"""The municipality-by-municipality collaboration matrix: number of shared projects.

Municipalities are the organisations the projection flags (classified ``kommun`` or with a
municipality code) that take part in at least one project. The diagonal holds each
municipality's own number of projects.
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from kg.analytics.communities import project_members
from kg.analytics.projection import node_info

__all__ = ["municipality_matrix", "sv_sort_key"]

_SV_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "æ": "|", "ø": "}"})


def sv_sort_key(text: str) -> str:
    """Sort key putting å, ä, ö after z, as Swedish readers expect.

    >>> sorted(["Örnsköldsvik", "Ånge", "Sundsvall", "Ängelholm"], key=sv_sort_key)
    ['Sundsvall', 'Ånge', 'Ängelholm', 'Örnsköldsvik']
    """
    return text.casefold().translate(_SV_ORDER)


def municipality_matrix(G: nx.MultiGraph) -> dict[str, Any]:
    """``{"municipalities": [...], "matrix": [[shared projects]], "max": largest off-diagonal}``.

    Rows and columns follow the municipalities' Swedish names in Swedish order.
    """
    projects: dict[str, set[str]] = {}
    for project, orgs in project_members(G).items():
        for org in orgs:
            if G.nodes[org].get("municipality"):
                projects.setdefault(org, set()).add(project)
    order = sorted(projects, key=lambda n: sv_sort_key(G.nodes[n]["label_sv"]))
    matrix = [[len(projects[a] & projects[b]) for b in order] for a in order]
    off = [matrix[i][j] for i in range(len(order)) for j in range(len(order)) if i != j]
    return {
        "municipalities": [{**node_info(G, n), "projects": len(projects[n])} for n in order],
        "matrix": matrix,
        "max": max(off, default=0),
    }
