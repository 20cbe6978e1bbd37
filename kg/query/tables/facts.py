"""The facts every table is made of, read from the store with a few bulk queries per data
version (never one query per row) and kept in :mod:`kg.cache`.

Queries return IRIs and literals only; labels come from the search's label index, which is
already in memory. Each section (projects and their fundings and partners, organisations;
people, news and events in :mod:`kg.query.tables.records`) is read when a table first needs
it. IRIs are read through a :class:`Pool`, so an entity named in many rows is one ``str``.

EU funding, one rule for every table and query: a funding is **EU funding** when its fund
(``kfv:fund``), its programme (``kfv:fundingProgramme``) or its funder is an EU body (an
organisation of type ``eu-fond``, ``eu-program`` or ``eu-institution``, or a programme of
type ``programtyp:eu-program``), or when it goes to a project the sources call an EU
project. A project is an **EU project** when it has EU funding or the sources call it one
(``dcterms:type projekttyp:eu-projekt``); an EU project without any stated EU funding
is shown as "EU-projekt, finansiering ej angiven", never left out.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.cache import per_version
from kg.store.base import Store

__all__ = ["EU_ORG_TYPES", "EU_PROJECT", "Core", "Grant", "Pool", "Project", "core", "read_core",
           "year_of"]

log = logging.getLogger(__name__)

DEF = "https://data.kfvn.se/def/"
EU_ORG_TYPES = tuple(f"{DEF}organisationstyp/{t}" for t in ("eu-fond", "eu-program",
                                                            "eu-institution"))
EU_PROGRAMME_TYPE = f"{DEF}programtyp/eu-program"
EU_PROJECT = f"{DEF}projekttyp/eu-projekt"
MUNICIPALITY = f"{DEF}organisationstyp/kommun"
OWNER_ROLE = f"{DEF}projektroll/projektagare"
MAX_SPAN = 40


def year_of(value: Node | str | None) -> int | None:
    """The year of a date, year-month or year literal (``None`` if it has none).

    >>> year_of(Literal("2019-09-30")), year_of("2018"), year_of("--05-17"), year_of(None)
    (2019, 2018, None, None)
    """
    if value is None:
        return None
    text = str(value)[:4]
    return int(text) if text.isdigit() else None


def _amount(value: Node | None) -> Decimal | None:
    if not isinstance(value, Literal):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _s(t: Node | None) -> str | None:
    return None if t is None else str(t)


@dataclass(slots=True)
class Grant:
    """One funding (``schema:MonetaryGrant``)."""

    iri: str
    project: str
    funders: AbstractSet[str] = field(default_factory=set)
    funds: AbstractSet[str] = field(default_factory=set)
    programmes: AbstractSet[str] = field(default_factory=set)
    amount: Decimal | None = None
    approximate: bool = False
    year: int | None = None
    start: str | None = None
    end: str | None = None
    statuses: AbstractSet[str] = field(default_factory=set)
    sources: AbstractSet[str] = field(default_factory=set)
    eu: bool = False

    def years(self) -> tuple[int | None, int | None]:
        if self.year is not None:
            return self.year, self.year
        return year_of(self.start) or year_of(self.end), year_of(self.end) or year_of(self.start)


@dataclass(slots=True)
class Project:
    """One project with what its table rows need."""

    iri: str
    statuses: AbstractSet[str] = field(default_factory=set)
    start: str | None = None
    end: str | None = None
    types: AbstractSet[str] = field(default_factory=set)
    themes: AbstractSet[str] = field(default_factory=set)
    theme_closure: AbstractSet[str] = field(default_factory=set)
    #: (organisation, role or "") pairs
    partners: list[tuple[str, str]] = field(default_factory=list)
    partner_sources: dict[tuple[str, str], AbstractSet[str]] = field(default_factory=dict)
    grants: list[Grant] = field(default_factory=list)
    places: AbstractSet[str] = field(default_factory=set)
    municipalities: AbstractSet[str] = field(default_factory=set)
    sources: AbstractSet[str] = field(default_factory=set)
    eu_tagged: bool = False

    @property
    def eu(self) -> bool:
        return self.eu_tagged or any(g.eu for g in self.grants)

    def years(self) -> set[int]:
        """Every year the project or one of its fundings covers, from the sources."""
        out: set[int] = set()
        first, last = year_of(self.start), year_of(self.end)
        if first or last:
            a, b = first or last, last or first
            assert a is not None and b is not None
            if 0 <= b - a <= MAX_SPAN:
                out.update(range(a, b + 1))
        for g in self.grants:
            ga, gb = g.years()
            if ga is not None and gb is not None and 0 <= gb - ga <= MAX_SPAN:
                out.update(range(ga, gb + 1))
        return out

    def organisations(self) -> set[str]:
        return {o for o, _ in self.partners}


@dataclass
class Core:
    """Projects, fundings, organisations and where things are, for one data version."""

    projects: dict[str, Project]
    grants: list[Grant]
    org_types: dict[str, set[str]]
    org_municipality: dict[str, set[str]]
    org_projects: dict[str, set[str]]
    municipalities: set[str]
    eu_bodies: set[str]


def _rows(store: Store, sparql: str) -> Iterable[tuple[Node | None, ...]]:
    return store.select(sparql).rows


class Pool(dict[str, str]):
    """One ``str`` object per IRI while facts are read: ``pool(term)`` is ``str(term)``, but
    the same object for every row that names the same entity (``str`` of an rdflib term is a
    new copy each time; at 1 M triples most of the facts' memory was such copies)."""

    def __call__(self, term: Node | str | None) -> str:
        text = str(term)
        return self.setdefault(text, text)

    def opt(self, term: Node | None) -> str | None:
        return None if term is None else self(term)


Q_PROJECTS = """SELECT ?p ?status ?start ?end ?type WHERE { ?p a schema:Project .
  OPTIONAL { ?p kfv:status ?status } OPTIONAL { ?p schema:startDate ?start }
  OPTIONAL { ?p schema:endDate ?end } OPTIONAL { ?p dcterms:type ?type } }"""
Q_SUBJECTS = "SELECT ?p ?t WHERE { ?p a schema:Project ; dcterms:subject ?t }"
Q_BROADER = "SELECT ?c ?b WHERE { ?c skos:broader ?b }"
Q_SOURCES = "SELECT ?p ?src WHERE { ?p a schema:Project ; dcterms:source ?src }"
Q_PARTS = """SELECT ?p ?o ?role ?src WHERE { ?d a kfv:Participation ; org:organization ?p ;
  org:member ?o . OPTIONAL { ?d org:role ?role } OPTIONAL { ?d dcterms:source ?src } }"""
Q_GRANTS = """SELECT ?g ?p ?funder ?fund ?prog ?amount ?year ?status ?approx ?src ?start ?end
WHERE { ?g a schema:MonetaryGrant ; schema:fundedItem ?p .
  OPTIONAL { ?g schema:funder ?funder } OPTIONAL { ?g kfv:fund ?fund }
  OPTIONAL { ?g kfv:fundingProgramme ?prog } OPTIONAL { ?g schema:amount ?amount }
  OPTIONAL { ?g kfv:year ?year } OPTIONAL { ?g kfv:status ?status }
  OPTIONAL { ?g kfv:approximate ?approx } OPTIONAL { ?g dcterms:source ?src }
  OPTIONAL { ?g schema:startDate ?start } OPTIONAL { ?g schema:endDate ?end } }"""
Q_ORGS = """SELECT ?o ?type WHERE { ?o a org:Organization .
  OPTIONAL { ?o org:classification ?type } }"""
Q_EU = f"""SELECT DISTINCT ?x WHERE {{
  {{ ?x org:classification ?c VALUES ?c {{ {' '.join(f'<{t}>' for t in EU_ORG_TYPES)} }} }}
  UNION {{ ?x dcterms:type <{EU_PROGRAMME_TYPE}> }} }}"""
Q_WHERE = """SELECT ?x ?k ?y WHERE {
  { ?x schema:location ?y BIND("loc" AS ?k) } UNION { ?x schema:areaServed ?y BIND("area" AS ?k) }
  UNION { ?x dcterms:spatial ?y BIND("spatial" AS ?k) }
  UNION { ?x schema:containedInPlace ?y BIND("in" AS ?k) }
  UNION { ?x org:subOrganizationOf|org:unitOf ?y BIND("sub" AS ?k) } }"""


def _closure(start: str, up: dict[str, set[str]]) -> set[str]:
    seen = {start}
    todo = [start]
    while todo:
        for b in up.get(todo.pop(), ()):
            if b not in seen:
                seen.add(b)
                todo.append(b)
    return seen


def _read_projects(store: Store, iri: Pool) -> dict[str, Project]:
    projects: dict[str, Project] = {}
    for p, status, start, end, typ in _rows(store, Q_PROJECTS):
        if not isinstance(p, URIRef):
            continue
        proj = projects.get(str(p))
        if proj is None:
            proj = projects[iri(p)] = Project(iri(p))
        if status is not None:
            _growing(proj.statuses).add(iri(status))
        if start is not None and (proj.start is None or str(start) < proj.start):
            proj.start = str(start)
        if end is not None and (proj.end is None or str(end) > proj.end):
            proj.end = str(end)
        if typ is not None:
            _growing(proj.types).add(iri(typ))
            proj.eu_tagged |= str(typ) == EU_PROJECT
    up: dict[str, set[str]] = defaultdict(set)
    for c, b in _rows(store, Q_BROADER):
        up[iri(c)].add(iri(b))
    for p, t in _rows(store, Q_SUBJECTS):
        found = projects.get(str(p))
        if found is not None and t is not None:
            _growing(found.themes).add(iri(t))
            _growing(found.theme_closure).update(_closure(iri(t), up))
    for p, src in _rows(store, Q_SOURCES):
        if str(p) in projects and src is not None:
            _growing(projects[str(p)].sources).add(iri(src))
    return projects


def _read_grants(store: Store, projects: dict[str, Project], eu: set[str],
                 iri: Pool) -> list[Grant]:
    grants: dict[str, Grant] = {}
    for g, p, funder, fund, prog, amount, year, status, approx, src, start, end in _rows(
            store, Q_GRANTS):
        grant = grants.get(str(g))
        if grant is None:
            grant = grants[str(g)] = Grant(str(g), iri(p))
        for target, value in ((grant.funders, funder), (grant.funds, fund),
                              (grant.programmes, prog), (grant.statuses, status),
                              (grant.sources, src)):
            if value is not None:
                _growing(target).add(iri(value))
        grant.amount = grant.amount if grant.amount is not None else _amount(amount)
        grant.year = grant.year if grant.year is not None else year_of(year)
        grant.start = grant.start or iri.opt(start)
        grant.end = grant.end or iri.opt(end)
        grant.approximate |= isinstance(approx, Literal) and bool(approx.toPython())
    for grant in grants.values():
        # EU funding: a fund, programme or funder that is an EU body, or a grant to a project the
        # sources call an EU project (eSamverkan: "EU-projekt med medel från Tillväxtverket").
        tagged = grant.project in projects and projects[grant.project].eu_tagged
        grant.eu = bool((grant.funders | grant.funds | grant.programmes) & eu) or tagged
        if grant.project in projects:
            projects[grant.project].grants.append(grant)
    return sorted(grants.values(), key=lambda g: g.iri)


def _municipality_map(store: Store, municipalities: set[str],
                      iri: Pool) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """(thing → municipalities it is in, by place or as a unit) and (thing → places)."""
    located: dict[str, set[str]] = defaultdict(set)
    inside: dict[str, set[str]] = defaultdict(set)
    parents: dict[str, set[str]] = defaultdict(set)
    for tx, tk, ty in _rows(store, Q_WHERE):
        if tx is None or ty is None:
            continue
        kind, x, y = str(tk), iri(tx), iri(ty)
        if kind == "in":
            inside[x].add(y)
        elif kind == "sub":
            parents[x].add(y)
        else:
            located[x].add(y)
    place_of: dict[str, set[str]] = defaultdict(set)  # place → municipalities covering it
    for m in municipalities:
        for area in located.get(m, ()):
            place_of[area].add(m)
    result: dict[str, set[str]] = defaultdict(set)
    for thing, places in located.items():
        for place in places:
            for p in _closure(place, inside):
                result[thing] |= place_of.get(p, set())
    for unit in parents:
        for parent in _closure(unit, parents) - {unit}:
            if parent in municipalities:
                result[unit].add(parent)
    for m in municipalities:
        result[m] = {m}
    return result, located


def _growing(values: AbstractSet[str]) -> set[str]:
    """A set of a project or grant being read (only this module reads them)."""
    assert isinstance(values, set)
    return values


def _share_sets(projects: Iterable[Project], grants: list[Grant]) -> None:
    """Make the projects' and grants' sets frozensets, one object for equal ones (most
    are empty or name the same few statuses, types and sources): the facts are kept per
    data version, and at 1 M triples these small sets were most of their memory."""
    memo: dict[frozenset[str], frozenset[str]] = {}

    def shared(values: AbstractSet[str]) -> frozenset[str]:
        key = frozenset(values)
        return memo.setdefault(key, key)

    for p in projects:
        p.statuses, p.types, p.themes = shared(p.statuses), shared(p.types), shared(p.themes)
        p.theme_closure, p.places = shared(p.theme_closure), shared(p.places)
        p.municipalities, p.sources = shared(p.municipalities), shared(p.sources)
        p.partner_sources = {pair: shared(srcs) for pair, srcs in p.partner_sources.items()}
    for g in grants:
        g.funders, g.funds, g.programmes = shared(g.funders), shared(g.funds), shared(g.programmes)
        g.statuses, g.sources = shared(g.statuses), shared(g.sources)


def read_core(store: Store) -> Core:
    """Read projects, fundings, partners, organisations and places (a few bulk queries)."""
    iri = Pool()
    projects = _read_projects(store, iri)
    eu = {iri(x) for (x,) in _rows(store, Q_EU) if x is not None}
    org_types: dict[str, set[str]] = defaultdict(set)
    for o, typ in _rows(store, Q_ORGS):
        types = org_types[iri(o)]
        if typ is not None:
            types.add(iri(typ))
    municipalities = {o for o, ts in org_types.items() if MUNICIPALITY in ts}
    org_projects: dict[str, set[str]] = defaultdict(set)
    for p, o, role, src in _rows(store, Q_PARTS):
        proj = projects.get(str(p))
        if proj is None or o is None:
            continue
        pair = (iri(o), iri(role) if role is not None else "")
        if pair not in proj.partner_sources:
            proj.partners.append(pair)
            proj.partner_sources[pair] = set()
        if src is not None:
            _growing(proj.partner_sources[pair]).add(iri(src))
        org_projects[iri(o)].add(proj.iri)
    grants = _read_grants(store, projects, eu, iri)
    where, located = _municipality_map(store, municipalities, iri)
    for proj in projects.values():
        proj.places = located.get(proj.iri, set())
        proj.municipalities = set(where.get(proj.iri, set())) | {
            org for org in proj.organisations() if org in municipalities}
    _share_sets(projects.values(), grants)
    return Core(projects, grants, dict(org_types), dict(where), dict(org_projects),
                municipalities, eu)


def core(store: Store) -> Core:
    """:func:`read_core` for the store's current data version, computed once."""
    return per_version(store, "tables:core", lambda: read_core(store), stale=True)
