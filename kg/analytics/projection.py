"""RDF → networkx: the entity graph of projects, organisations, people and themes.

The qualified relations of the data model (``kfv:Participation``, ``schema:MonetaryGrant``,
``kfv:Appointment``, ``kfv:OrganisationMembership``) become edges between the entities they
connect, with the role, period, amount and year as edge attributes. A handful of SELECT
queries read everything (:mod:`kg.analytics.reading`; never one query per entity), so
building scales with the store; callers build it once per data version (see
:mod:`kg.analytics.cache`).

Nodes are IRIs (``str``) with attributes:

``type``
    ``project``, ``organisation``, ``person`` or ``concept`` (a theme).
``label_sv``, ``label_en``
    the Swedish and English labels (each falls back to the other, then to the IRI's name).
``themes``
    theme IRIs of a project, with their broader themes.
``years``
    sorted years the entity was active (project periods and fundings; an organisation's
    projects and posts; a person's posts).
``municipality``
    true for organisations classified ``organisationstyp:kommun`` or with a municipality code.
``classes``
    ``org:classification`` IRIs of an organisation.

Edges (a :class:`networkx.MultiGraph`, keyed by the IRI of the qualified node) have ``kind``
(one of :data:`EDGE_KINDS`), ``src`` (the member, funder, person or part, so direction is
known), ``roles`` (concept IRIs), ``start``/``end`` (lexical dates), and for fundings
``amount`` (SEK), ``year`` and ``status``. ``G.graph`` holds ``concept_labels`` (labels of
roles, statuses and organisation types) and ``grants`` (one record per grant, used by
:mod:`kg.analytics.funding`).
"""

from __future__ import annotations

import logging
import re
from collections import defaultdict
from typing import Any

import networkx as nx

from kg.analytics.reading import Builder, read_facts, span, year_of
from kg.namespaces import PREFIXES
from kg.store.base import Store

__all__ = [
    "EDGE_KINDS",
    "MUNICIPALITY_TYPE",
    "NODE_TYPES",
    "build_projection",
    "concept_label",
    "core_graph",
    "label",
    "local_name",
    "node_info",
    "year_of",
]

log = logging.getLogger(__name__)

NODE_TYPES: tuple[str, ...] = ("project", "organisation", "person", "concept")
EDGE_KINDS: tuple[str, ...] = (
    "participation", "funding", "programme", "appointment", "membership",
    "suborganisation", "part_of", "follows", "theme",
)
MUNICIPALITY_TYPE = PREFIXES["organisationstyp"] + "kommun"


def local_name(iri: str) -> str:
    """The last segment of an IRI, used when an entity has no label.

    >>> local_name("https://data.kfvn.se/id/organisation/solleftea-kommun")
    'solleftea-kommun'
    """
    stripped = iri.rstrip("/#")
    return re.split(r"[/#]", stripped)[-1] or iri


def _pick(labels: dict[str, list[str]], order: tuple[str, ...]) -> str | None:
    for code in order:
        if labels.get(code):
            return sorted(labels[code])[0]
    for texts in labels.values():
        if texts:
            return sorted(texts)[0]
    return None


def _labels_of(table: dict[str, dict[str, list[str]]], iri: str) -> tuple[str, str]:
    labels = table.get(iri, {})
    sv = _pick(labels, ("sv", "", "en")) or local_name(iri)
    en = _pick(labels, ("en", "", "sv")) or sv
    return sv, en


def _make_graph(b: Builder) -> nx.MultiGraph:
    G: nx.MultiGraph = nx.MultiGraph()
    for iri, kind in b.types.items():
        sv, en = _labels_of(b.labels, iri)
        facts = b.facts.get(iri, {})
        years = b.years[iri] | span(year_of(facts.get("startDate")),
                                    year_of(facts.get("endDate")))
        b.years[iri] = years
        classes = sorted(b.classes.get(iri, ()))
        G.add_node(iri, type=kind, label_sv=sv, label_en=en, classes=classes,
                   themes=sorted(b.themes.get(iri, ())), status=facts.get("status"),
                   municipality=kind == "organisation" and (
                       MUNICIPALITY_TYPE in classes or iri in b.codes),
                   code=b.codes.get(iri))
    for (u, v, key), attrs in b.edges.items():
        G.add_edge(u, v, key=key, **attrs)
    _add_theme_nodes(G, b)
    _spread_years(G, b)
    G.graph["concept_labels"] = {
        iri: dict(zip(("sv", "en"), _labels_of(b.concept_labels, iri), strict=True))
        for iri in b.concept_labels
    }
    G.graph["grants"] = b.grants
    return G


def _add_theme_nodes(G: nx.MultiGraph, b: Builder) -> None:
    for proj, themes in b.themes.items():
        if proj not in G:
            continue
        for theme in themes:
            if theme not in G:
                sv, en = _labels_of(b.concept_labels, theme)
                G.add_node(theme, type="concept", label_sv=sv, label_en=en, classes=[],
                           themes=[theme], status=None, municipality=False, code=None)
            G.add_edge(proj, theme, key=f"{proj}#theme#{theme}", kind="theme", src=proj,
                       roles=[])


def _spread_years(G: nx.MultiGraph, b: Builder) -> None:
    """Organisations inherit the years of their projects; then every node gets a sorted list."""
    extra: dict[str, set[int]] = defaultdict(set)
    for u, v, data in G.edges(data=True):
        if data["kind"] in ("participation", "funding", "programme"):
            proj = v if G.nodes[v]["type"] == "project" else u
            other = u if proj == v else v
            extra[other] |= b.years.get(proj, set())
    for node, attrs in G.nodes(data=True):
        attrs["years"] = sorted(b.years.get(node, set()) | extra.get(node, set()))


def build_projection(store: Store) -> nx.MultiGraph:
    """Read the entity graph from ``store`` into a networkx multigraph (see module docs).

    Raises:
        QueryError: a query failed (for example, the store timed out).
    """
    G = _make_graph(read_facts(store))
    log.info("projection: %d nodes, %d edges", G.number_of_nodes(), G.number_of_edges())
    return G


def label(G: nx.MultiGraph, node: str, lang: str = "sv") -> str:
    """The label of a node in ``lang`` (``sv`` or ``en``); the IRI's name if unknown."""
    attrs = G.nodes.get(node)
    if attrs is None:
        return local_name(node)
    return str(attrs["label_en"] if lang == "en" else attrs["label_sv"])


def concept_label(G: nx.MultiGraph, iri: str, lang: str = "sv") -> str:
    """The label of a role, status or type concept in ``lang``."""
    labels = G.graph.get("concept_labels", {}).get(iri)
    if labels is None:
        return local_name(iri)
    return str(labels.get(lang) or labels.get("sv") or local_name(iri))


def node_info(G: nx.MultiGraph, node: str) -> dict[str, Any]:
    """A JSON-ready summary of a node: IRI, type, labels, municipality flag."""
    attrs = G.nodes[node]
    return {"iri": node, "type": attrs["type"], "label_sv": attrs["label_sv"],
            "label_en": attrs["label_en"], "municipality": bool(attrs["municipality"])}


def core_graph(G: nx.MultiGraph) -> nx.Graph:
    """A simple graph of projects, organisations and people (no themes) for measures.

    Parallel relations collapse into one edge whose ``weight`` counts them.
    """
    H: nx.Graph = nx.Graph()
    H.add_nodes_from(n for n, t in G.nodes(data="type") if t != "concept")
    weights: dict[tuple[str, str], int] = {}  # counted first, then added in one go
    for u, v, kind in G.edges(data="kind"):
        if kind == "theme" or u == v:
            continue
        pair = (v, u) if (v, u) in weights else (u, v)
        weights[pair] = weights.get(pair, 0) + 1
    H.add_edges_from((u, v, {"weight": n}) for (u, v), n in weights.items())
    return H
