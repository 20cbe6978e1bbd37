"""Funding per funder and per year, in whole SEK.

Reads the grant records the projection keeps (``G.graph["grants"]``). Grants with status
``ej-beviljad`` (not granted) or ``ansokt`` (applied for) are counted apart and left out of
the totals; a grant without a funder is credited to its fund or programme.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import networkx as nx

from kg.analytics.projection import local_name
from kg.namespaces import PREFIXES

__all__ = ["NOT_COUNTED", "funding_summary"]

#: Statuses whose amounts are not money received.
NOT_COUNTED = {PREFIXES["status"] + "ej-beviljad", PREFIXES["status"] + "ansokt"}


def _who(G: nx.MultiGraph, iri: str) -> dict[str, Any]:
    attrs = G.nodes.get(iri, {})
    return {"iri": iri, "label_sv": attrs.get("label_sv", local_name(iri)),
            "label_en": attrs.get("label_en", local_name(iri))}


def funding_summary(G: nx.MultiGraph) -> dict[str, Any]:
    """Totals per funder, per year and per funder and year, largest first.

    Returns a JSON-ready dict: ``currency``, ``total``, ``grants`` (counted), ``by_funder``
    (``total``, ``grants``, ``projects``), ``by_year`` (``year``, ``total``, ``grants``;
    grants without a year are left out), ``by_funder_year`` (funder IRI → {year: total}),
    ``not_counted`` (``grants``, ``total``) and ``without_amount`` (grants with no amount).
    """
    per_funder: dict[str, dict[str, Any]] = {}
    per_year: dict[int, dict[str, Any]] = {}
    funder_year: dict[str, dict[int, float]] = defaultdict(lambda: defaultdict(float))
    skipped = {"grants": 0, "total": 0.0}
    without_amount = 0
    total, counted = 0.0, 0
    for grant in G.graph.get("grants", []):
        amount = grant.get("amount")
        if grant.get("status") in NOT_COUNTED:
            skipped["grants"] += 1
            skipped["total"] += amount or 0.0
            continue
        if amount is None:
            without_amount += 1
            continue
        who = grant.get("funder") or grant.get("programme")
        total += amount
        counted += 1
        if who:
            row = per_funder.setdefault(who, {**_who(G, who), "total": 0.0, "grants": 0,
                                              "projects": set()})
            row["total"] += amount
            row["grants"] += 1
            if grant.get("project"):
                row["projects"].add(grant["project"])
        year = grant.get("year")
        if year is not None:
            yrow = per_year.setdefault(year, {"year": year, "total": 0.0, "grants": 0})
            yrow["total"] += amount
            yrow["grants"] += 1
            if who:
                funder_year[who][year] += amount
    by_funder = sorted(
        ({**r, "projects": len(r["projects"])} for r in per_funder.values()),
        key=lambda r: (-r["total"], r["label_sv"].casefold()),
    )
    return {
        "currency": "SEK",
        "total": total,
        "grants": counted,
        "by_funder": by_funder,
        "by_year": [per_year[y] for y in sorted(per_year)],
        "by_funder_year": {f: {str(y): v for y, v in sorted(ys.items())}
                           for f, ys in funder_year.items()},
        "not_counted": skipped,
        "without_amount": without_amount,
    }
