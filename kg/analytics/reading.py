"""Reading the entity graph's facts from the store for :mod:`kg.analytics.projection`.

A handful of SELECT queries read everything (never one query per entity); their rows are
collected in a :class:`Builder`, from which the projection makes the graph. An IRI met in
many rows is kept as one ``str`` object (:func:`_rows`).
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox
from rdflib import Literal

from kg.namespaces import PREFIXES
from kg.store.base import Store, Term

__all__ = ["Builder", "Lit", "read_facts", "span", "year_of"]

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


def year_of(value: Term | str | None) -> int | None:
    """The year of a date, year-month or year literal, or None.

    >>> year_of(Literal("2018-05-17")), year_of("2020"), year_of("okänt")
    (2018, 2020, None)
    """
    if value is None:
        return None
    m = _YEAR.match(str(value))
    return int(m.group(1)) if m else None


def span(start: int | None, end: int | None) -> set[int]:
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
class Builder:
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
    #: one ``str`` object per IRI (see :func:`_rows`)
    pool: dict[str, str] = field(default_factory=dict)

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


def _plain(term: Any, pool: dict[str, str]) -> str | None:
    """A term as a plain ``str`` (IRI, blank node; one object per IRI, from ``pool``) or a
    :class:`Lit` (literal)."""
    if term is None:
        return None
    if isinstance(term, (Literal, ox.Literal)):
        return _lit(term.value if isinstance(term, ox.Literal) else str(term), term.language)
    text = term.value if isinstance(term, (ox.NamedNode, ox.BlankNode)) else str(term)
    return pool.setdefault(text, text)


def _rows(store: Store, pool: dict[str, str], sparql: str) -> Iterable[tuple[Any, ...]]:
    """The rows of ``sparql``, terms as :func:`_plain` gives them (an IRI met in many rows is
    kept once: at 1 M triples the projection was a third copies of the same IRIs). On the
    embedded store the engine's terms are read directly (no rdflib terms: a third of the
    projection's time at 1 M triples)."""
    from kg.store.oxigraph import OxigraphStore

    if isinstance(store, OxigraphStore):
        for sol in store.raw.query(sparql, prefixes=PREFIXES):  # type: ignore[union-attr]
            yield tuple(_plain(t, pool) for t in sol)
        return
    for row in store.select(sparql).rows:
        yield tuple(_plain(t, pool) for t in row)


def _add_label(table: dict[str, dict[str, list[str]]], iri: str, lit: Any) -> None:
    if isinstance(lit, Lit):
        table[iri].setdefault(lit.language or "", []).append(str(lit))


def _read_nodes(store: Store, b: Builder) -> None:
    for e, c in _rows(store, b.pool, Q_TYPES):
        b.type_node(str(e), _TYPE_OF_CLASS[str(c)])
    for e, lit in _rows(store, b.pool, Q_LABELS):
        _add_label(b.labels, str(e), lit)
    for e, lit in _rows(store, b.pool, Q_CONCEPT_LABELS):
        _add_label(b.concept_labels, str(e), lit)
    for e, cls, code in _rows(store, b.pool, Q_ORG_INFO):
        if cls is not None:
            b.classes[str(e)].add(str(cls))
        if code is not None:
            b.codes[str(e)] = str(code)
    for e, t, top in _rows(store, b.pool, Q_THEMES):
        b.themes[str(e)].add(str(t))
        if top is not None:
            b.themes[str(e)].add(str(top))
    for e, p, v in _rows(store, b.pool, Q_PROJECT_FACTS):
        name = str(p).rsplit("/", 1)[-1].rsplit("#", 1)[-1]
        b.facts[str(e)].setdefault(name, str(v))


def _read_participations(store: Store, b: Builder) -> None:
    for m, org, proj, role, start, end in _rows(store, b.pool, Q_PARTICIPATIONS):
        o, p = str(org), str(proj)
        b.ensure(o, "organisation")
        b.ensure(p, "project")
        e = b.edge(o, p, str(m), kind="participation", src=o,
                   start=_lex(start), end=_lex(end))
        _add_role(e, role)
        b.years[o] |= span(year_of(start), year_of(end))


def _read_grants(store: Store, b: Builder) -> None:
    merged: dict[str, dict[str, Any]] = {}
    for g, funder, proj, prog, amount, year, status in _rows(store, b.pool, Q_GRANTS):
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


def _read_posts(store: Store, b: Builder) -> None:
    for a, person, body, role, start, end in _rows(store, b.pool, Q_APPOINTMENTS):
        p, o = str(person), str(body)
        b.ensure(p, "person")
        b.ensure(o, "organisation")
        e = b.edge(p, o, str(a), kind="appointment", src=p, start=_lex(start), end=_lex(end))
        _add_role(e, role)
        b.years[p] |= span(year_of(start), year_of(end))
    for m, org, body, role in _rows(store, b.pool, Q_MEMBERSHIPS):
        o, body_iri = str(org), str(body)
        b.ensure(o, "organisation")
        b.ensure(body_iri, "organisation")
        _add_role(b.edge(o, body_iri, str(m), kind="membership", src=o), role)
    for a, parent in _rows(store, b.pool, Q_SUBORGS):
        b.ensure(str(a), "organisation")
        b.ensure(str(parent), "organisation")
        b.edge(str(a), str(parent), f"{a}#unitOf", kind="suborganisation", src=str(a))
    for a, prop, parent in _rows(store, b.pool, Q_PROJECT_LINKS):
        kind = "follows" if str(prop).endswith("follows") else "part_of"
        b.edge(str(a), str(parent), f"{a}#{kind}#{parent}", kind=kind, src=str(a))


def _lex(term: Term | None) -> str | None:
    return None if term is None else str(term)


def _add_role(edge: dict[str, Any], role: Term | None) -> None:
    if role is not None and str(role) not in edge["roles"]:
        edge["roles"].append(str(role))


def read_facts(store: Store) -> Builder:
    """Every node and relation of the entity graph, read from ``store``.

    Raises:
        QueryError: a query failed (for example, the store timed out).
    """
    b = Builder()
    _read_nodes(store, b)
    _read_participations(store, b)
    _read_grants(store, b)
    _read_posts(store, b)
    return b
