"""RDF → networkx: the entity graph of projects, organisations, people and themes.

The qualified relations of the data model (``kfv:Participation``, ``schema:MonetaryGrant``,
``kfv:Appointment``, ``kfv:OrganisationMembership``) become edges between the entities they
connect, with the role, period, amount and year as edge attributes. A handful of SELECT
queries read everything (never one query per entity), so building scales with the store;
callers build it once per data version (see :mod:`kg.analytics.cache`).

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
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import networkx as nx
import pyoxigraph as ox
from rdflib import Literal

from kg.namespaces import PREFIXES
from kg.store.base import Store, Term

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
]

log = logging.getLogger(__name__)

NODE_TYPES: tuple[str, ...] = ("project", "organisation", "person", "concept")
EDGE_KINDS: tuple[str, ...] = (
    "participation", "funding", "programme", "appointment", "membership",
    "suborganisation", "part_of", "follows", "theme",
)
MUNICIPALITY_TYPE = PREFIXES["organisationstyp"] + "kommun"
_TYPE_OF_CLASS = {
    "https://schema.org/Project": "project",
    "http://xmlns.com/foaf/0.1/Person": "person",
    "http://www.w3.org/ns/org#Organization": "organisation",
    "http://www.w3.org/ns/org#OrganizationalUnit": "organisation",
}
_PRIORITY = {"project": 0, "person": 1, "organisation": 2, "concept": 3}
_YEAR = re.compile(r"^\s*(\d{4})")
_MAX_SPAN = 50

Q_TYPES = """
SELECT ?e ?c WHERE {
  VALUES ?c { schema:Project org:Organization org:OrganizationalUnit foaf:Person }
  ?e a ?c . FILTER(isIRI(?e))
}"""
Q_LABELS = """
SELECT ?e ?l WHERE {
  VALUES ?c { schema:Project org:Organization org:OrganizationalUnit foaf:Person }
  VALUES ?p { rdfs:label foaf:name }
  ?e a ?c ; ?p ?l .
}"""
Q_CONCEPT_LABELS = "SELECT ?e ?l WHERE { ?e a skos:Concept ; skos:prefLabel ?l }"
Q_ORG_INFO = """
SELECT ?e ?cls ?code WHERE {
  ?e a org:Organization .
  { ?e org:classification ?cls } UNION { ?e kfv:municipalityCode ?code }
}"""
Q_THEMES = """
SELECT ?e ?t ?top WHERE {
  ?e a schema:Project ; dcterms:subject ?t .
  OPTIONAL { ?t skos:broader ?up . ?up skos:broader* ?top }
}"""
Q_PROJECT_FACTS = """
SELECT ?e ?p ?v WHERE {
  VALUES ?p { schema:startDate schema:endDate kfv:status }
  ?e a schema:Project ; ?p ?v .
}"""
Q_PARTICIPATIONS = """
SELECT ?m ?org ?proj ?role ?start ?end WHERE {
  ?m a kfv:Participation ; org:member ?org ; org:organization ?proj .
  OPTIONAL { ?m org:role ?role }
  OPTIONAL { ?m schema:startDate ?start }
  OPTIONAL { ?m schema:endDate ?end }
}"""
Q_GRANTS = """
SELECT ?g ?funder ?proj ?prog ?amount ?year ?status WHERE {
  ?g a schema:MonetaryGrant .
  OPTIONAL { ?g schema:funder ?funder }
  OPTIONAL { ?g schema:fundedItem ?proj }
  OPTIONAL { ?g kfv:fundingProgramme ?prog }
  OPTIONAL { ?g schema:amount ?amount }
  OPTIONAL { ?g kfv:year ?year }
  OPTIONAL { ?g kfv:status ?status }
}"""
Q_APPOINTMENTS = """
SELECT ?a ?person ?body ?role ?start ?end WHERE {
  ?a a kfv:Appointment ; org:member ?person ; org:organization ?body .
  OPTIONAL { ?a org:role ?role }
  OPTIONAL { ?a schema:startDate ?start }
  OPTIONAL { ?a schema:endDate ?end }
}"""
Q_MEMBERSHIPS = """
SELECT ?m ?org ?body ?role WHERE {
  ?m a kfv:OrganisationMembership ; org:member ?org ; org:organization ?body .
  OPTIONAL { ?m org:role ?role }
}"""
Q_SUBORGS = """
SELECT ?a ?b WHERE {
  { ?a org:subOrganizationOf ?b } UNION { ?a org:unitOf ?b }
  FILTER(isIRI(?a) && isIRI(?b))
}"""
Q_PROJECT_LINKS = """
SELECT ?a ?p ?b WHERE {
  VALUES ?p { schema:isPartOf kfv:follows }
  ?a a schema:Project ; ?p ?b . ?b a schema:Project .
}"""


def local_name(iri: str) -> str:
    """The last segment of an IRI, used when an entity has no label.

    >>> local_name("https://data.kfvn.se/id/organisation/solleftea-kommun")
    'solleftea-kommun'
    """
    stripped = iri.rstrip("/#")
    return re.split(r"[/#]", stripped)[-1] or iri


def year_of(value: Term | str | None) -> int | None:
    """The year of a date, year-month or year literal, or None.

    >>> year_of(Literal("2018-05-17")), year_of("2020"), year_of("okänt")
    (2018, 2020, None)
    """
    if value is None:
        return None
    m = _YEAR.match(str(value))
    return int(m.group(1)) if m else None


def _span(start: int | None, end: int | None) -> set[int]:
    if start is not None and end is not None and 0 <= end - start <= _MAX_SPAN:
        return set(range(start, end + 1))
    return {y for y in (start, end) if y is not None}


def _amount(value: Any) -> float | None:
    if not isinstance(value, (Lit, Literal)):
        return None
    try:
        return float(str(value))
    except ValueError:
        return None


@dataclass
class _Builder:
    """Collects nodes and edges from the query results, then makes the graph."""

    types: dict[str, str] = field(default_factory=dict)
    labels: dict[str, dict[str, list[str]]] = field(default_factory=lambda: defaultdict(dict))
    concept_labels: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: defaultdict(dict))
    classes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    codes: dict[str, str] = field(default_factory=dict)
    themes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    years: dict[str, set[int]] = field(default_factory=lambda: defaultdict(set))
    facts: dict[str, dict[str, str]] = field(default_factory=lambda: defaultdict(dict))
    edges: dict[tuple[str, str, str], dict[str, Any]] = field(default_factory=dict)
    grants: list[dict[str, Any]] = field(default_factory=list)

    def type_node(self, iri: str, kind: str) -> None:
        old = self.types.get(iri)
        if old is None or _PRIORITY[kind] < _PRIORITY[old]:
            self.types[iri] = kind

    def ensure(self, iri: str, kind: str) -> None:
        """Give an untyped endpoint of a relation the type its position implies."""
        if iri not in self.types:
            self.types[iri] = kind

    def edge(self, u: str, v: str, key: str, **attrs: Any) -> dict[str, Any]:
        """Add (or extend) an edge; roles from repeated rows are merged."""
        found = self.edges.get((u, v, key))
        if found is None:
            attrs.setdefault("roles", [])
            found = self.edges[(u, v, key)] = attrs
        return found


class Lit(str):
    """A literal as the projection reads it: its text, and its language tag (or None)."""

    language: str | None = None


def _lit(text: str, language: str | None) -> Lit:
    lit = Lit(text)
    lit.language = language or None
    return lit


def _plain(term: Any) -> str | None:
    """A term as a plain ``str`` (IRI, blank node) or a :class:`Lit` (literal)."""
    if term is None:
        return None
    if isinstance(term, (Literal, ox.Literal)):
        return _lit(term.value if isinstance(term, ox.Literal) else str(term), term.language)
    return term.value if isinstance(term, (ox.NamedNode, ox.BlankNode)) else str(term)


def _rows(store: Store, sparql: str) -> Iterable[tuple[Any, ...]]:
    """The rows of ``sparql``, terms as :func:`_plain` gives them. On the embedded store the
    engine's terms are read directly (no rdflib terms: a third of the projection's time at
    1 M triples)."""
    from kg.store.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore):
        for sol in store.raw.query(sparql, prefixes=PREFIXES):  # type: ignore[union-attr]
            yield tuple(_plain(t) for t in sol)
        return
    for row in store.select(sparql).rows:
        yield tuple(_plain(t) for t in row)


def _add_label(table: dict[str, dict[str, list[str]]], iri: str, lit: Any) -> None:
    if isinstance(lit, Lit):
        table[iri].setdefault(lit.language or "", []).append(str(lit))


def _read_nodes(store: Store, b: _Builder) -> None:
    for e, c in _rows(store, Q_TYPES):
        b.type_node(str(e), _TYPE_OF_CLASS[str(c)])
    for e, lit in _rows(store, Q_LABELS):
        _add_label(b.labels, str(e), lit)
    for e, lit in _rows(store, Q_CONCEPT_LABELS):
        _add_label(b.concept_labels, str(e), lit)
    for e, cls, code in _rows(store, Q_ORG_INFO):
        if cls is not None:
            b.classes[str(e)].add(str(cls))
        if code is not None:
            b.codes[str(e)] = str(code)
    for e, t, top in _rows(store, Q_THEMES):
        b.themes[str(e)].add(str(t))
        if top is not None:
            b.themes[str(e)].add(str(top))
    for e, p, v in _rows(store, Q_PROJECT_FACTS):
        name = str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        b.facts[str(e)].setdefault(name, str(v))


def _read_participations(store: Store, b: _Builder) -> None:
    for m, org, proj, role, start, end in _rows(store, Q_PARTICIPATIONS):
        o, p = str(org), str(proj)
        b.ensure(o, "organisation")
        b.ensure(p, "project")
        e = b.edge(o, p, str(m), kind="participation", src=o,
                   start=_lex(start), end=_lex(end))
        _add_role(e, role)
        b.years[o] |= _span(year_of(start), year_of(end))


def _read_grants(store: Store, b: _Builder) -> None:
    merged: dict[str, dict[str, Any]] = {}
    for g, funder, proj, prog, amount, year, status in _rows(store, Q_GRANTS):
        rec = merged.setdefault(str(g), {"iri": str(g)})
        for key, term in (("funder", funder), ("project", proj), ("programme", prog),
                          ("status", status)):
            if term is not None and not isinstance(term, Lit):
                rec.setdefault(key, str(term))
        if amount is not None and "amount" not in rec:
            rec["amount"] = _amount(amount)
        if year is not None and "year" not in rec:
            rec["year"] = year_of(year)
    for rec in merged.values():
        b.grants.append(rec)
        proj = rec.get("project")
        if proj is None:
            continue
        b.ensure(proj, "project")
        if rec.get("year") is not None:
            b.years[proj].add(rec["year"])
        extra = {k: rec.get(k) for k in ("amount", "year", "status")}
        if rec.get("funder"):
            b.ensure(rec["funder"], "organisation")
            b.edge(rec["funder"], proj, rec["iri"], kind="funding", src=rec["funder"], **extra)
        if rec.get("programme") and rec.get("programme") != rec.get("funder"):
            b.ensure(rec["programme"], "organisation")
            b.edge(rec["programme"], proj, rec["iri"] + "#programme", kind="programme",
                   src=rec["programme"], **extra)


def _read_posts(store: Store, b: _Builder) -> None:
    for a, person, body, role, start, end in _rows(store, Q_APPOINTMENTS):
        p, o = str(person), str(body)
        b.ensure(p, "person")
        b.ensure(o, "organisation")
        e = b.edge(p, o, str(a), kind="appointment", src=p, start=_lex(start), end=_lex(end))
        _add_role(e, role)
        b.years[p] |= _span(year_of(start), year_of(end))
    for m, org, body, role in _rows(store, Q_MEMBERSHIPS):
        o, body_iri = str(org), str(body)
        b.ensure(o, "organisation")
        b.ensure(body_iri, "organisation")
        _add_role(b.edge(o, body_iri, str(m), kind="membership", src=o), role)
    for a, parent in _rows(store, Q_SUBORGS):
        b.ensure(str(a), "organisation")
        b.ensure(str(parent), "organisation")
        b.edge(str(a), str(parent), f"{a}#unitOf", kind="suborganisation", src=str(a))
    for a, prop, parent in _rows(store, Q_PROJECT_LINKS):
        kind = "follows" if str(prop).endswith("follows") else "part_of"
        b.edge(str(a), str(parent), f"{a}#{kind}#{parent}", kind=kind, src=str(a))


def _lex(term: Term | None) -> str | None:
    return None if term is None else str(term)


def _add_role(edge: dict[str, Any], role: Term | None) -> None:
    if role is not None and str(role) not in edge["roles"]:
        edge["roles"].append(str(role))


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


def _make_graph(b: _Builder) -> nx.MultiGraph:
    G: nx.MultiGraph = nx.MultiGraph()
    for iri, kind in b.types.items():
        sv, en = _labels_of(b.labels, iri)
        facts = b.facts.get(iri, {})
        years = b.years[iri] | _span(year_of(facts.get("startDate")), year_of(facts.get("endDate")))
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


def _add_theme_nodes(G: nx.MultiGraph, b: _Builder) -> None:
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


def _spread_years(G: nx.MultiGraph, b: _Builder) -> None:
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
    b = _Builder()
    _read_nodes(store, b)
    _read_participations(store, b)
    _read_grants(store, b)
    _read_posts(store, b)
    G = _make_graph(b)
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
    for u, v, kind in G.edges(data="kind"):
        if kind == "theme" or u == v:
            continue
        if H.has_edge(u, v):
            H[u][v]["weight"] += 1
        else:
            H.add_edge(u, v, weight=1)
    return H
