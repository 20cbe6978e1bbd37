"""The facts every table is made of, read from the store with a few bulk queries per data
version (never one query per row) and kept in :mod:`kg.cache`.

Queries return IRIs and literals only; labels come from the search's label index, which is
already in memory. Each section (projects and their fundings and partners, organisations,
people, news, events) is read when a table first needs it.

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
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.cache import per_version
from kg.store.base import Store

__all__ = ["EU_ORG_TYPES", "EU_PROJECT", "Core", "Event", "Grant", "NewsItem", "Person",
           "Post", "Project", "core", "events", "news", "people", "year_of"]

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


@dataclass
class Grant:
    """One funding (``schema:MonetaryGrant``)."""

    iri: str
    project: str
    funders: set[str] = field(default_factory=set)
    funds: set[str] = field(default_factory=set)
    programmes: set[str] = field(default_factory=set)
    amount: Decimal | None = None
    approximate: bool = False
    year: int | None = None
    start: str | None = None
    end: str | None = None
    statuses: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
    eu: bool = False

    def years(self) -> tuple[int | None, int | None]:
        if self.year is not None:
            return self.year, self.year
        return year_of(self.start) or year_of(self.end), year_of(self.end) or year_of(self.start)


@dataclass
class Project:
    """One project with what its table rows need."""

    iri: str
    statuses: set[str] = field(default_factory=set)
    start: str | None = None
    end: str | None = None
    types: set[str] = field(default_factory=set)
    themes: set[str] = field(default_factory=set)
    theme_closure: set[str] = field(default_factory=set)
    #: (organisation, role or "") pairs
    partners: list[tuple[str, str]] = field(default_factory=list)
    partner_sources: dict[tuple[str, str], set[str]] = field(default_factory=dict)
    grants: list[Grant] = field(default_factory=list)
    places: set[str] = field(default_factory=set)
    municipalities: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)
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


def _read_projects(store: Store) -> dict[str, Project]:
    projects: dict[str, Project] = {}
    for p, status, start, end, typ in _rows(store, Q_PROJECTS):
        if not isinstance(p, URIRef):
            continue
        proj = projects.setdefault(str(p), Project(str(p)))
        if status is not None:
            proj.statuses.add(str(status))
        if start is not None and (proj.start is None or str(start) < proj.start):
            proj.start = str(start)
        if end is not None and (proj.end is None or str(end) > proj.end):
            proj.end = str(end)
        if typ is not None:
            proj.types.add(str(typ))
            proj.eu_tagged |= str(typ) == EU_PROJECT
    up: dict[str, set[str]] = defaultdict(set)
    for c, b in _rows(store, Q_BROADER):
        up[str(c)].add(str(b))
    for p, t in _rows(store, Q_SUBJECTS):
        found = projects.get(str(p))
        if found is not None and t is not None:
            found.themes.add(str(t))
            found.theme_closure |= _closure(str(t), up)
    for p, src in _rows(store, Q_SOURCES):
        if str(p) in projects and src is not None:
            projects[str(p)].sources.add(str(src))
    return projects


def _read_grants(store: Store, projects: dict[str, Project], eu: set[str]) -> list[Grant]:
    grants: dict[str, Grant] = {}
    for g, p, funder, fund, prog, amount, year, status, approx, src, start, end in _rows(
            store, Q_GRANTS):
        grant = grants.get(str(g))
        if grant is None:
            grant = grants[str(g)] = Grant(str(g), str(p))
        for target, value in ((grant.funders, funder), (grant.funds, fund),
                              (grant.programmes, prog), (grant.statuses, status),
                              (grant.sources, src)):
            if value is not None:
                target.add(str(value))
        grant.amount = grant.amount if grant.amount is not None else _amount(amount)
        grant.year = grant.year if grant.year is not None else year_of(year)
        grant.start = grant.start or _s(start)
        grant.end = grant.end or _s(end)
        grant.approximate |= isinstance(approx, Literal) and bool(approx.toPython())
    for grant in grants.values():
        # EU funding: a fund, programme or funder that is an EU body, or a grant to a project the
        # sources call an EU project (eSamverkan: "EU-projekt med medel från Tillväxtverket").
        tagged = grant.project in projects and projects[grant.project].eu_tagged
        grant.eu = bool((grant.funders | grant.funds | grant.programmes) & eu) or tagged
        if grant.project in projects:
            projects[grant.project].grants.append(grant)
    return sorted(grants.values(), key=lambda g: g.iri)


def _municipality_map(store: Store, municipalities: set[str]) -> tuple[dict[str, set[str]],
                                                                         dict[str, set[str]]]:
    """(thing → municipalities it is in, by place or as a unit) and (thing → places)."""
    located: dict[str, set[str]] = defaultdict(set)
    inside: dict[str, set[str]] = defaultdict(set)
    parents: dict[str, set[str]] = defaultdict(set)
    for tx, tk, ty in _rows(store, Q_WHERE):
        if tx is None or ty is None:
            continue
        kind, x, y = str(tk), str(tx), str(ty)
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


def read_core(store: Store) -> Core:
    """Read projects, fundings, partners, organisations and places (a few bulk queries)."""
    projects = _read_projects(store)
    eu = {str(x) for (x,) in _rows(store, Q_EU) if x is not None}
    org_types: dict[str, set[str]] = defaultdict(set)
    for o, typ in _rows(store, Q_ORGS):
        org_types[str(o)]
        if typ is not None:
            org_types[str(o)].add(str(typ))
    municipalities = {o for o, ts in org_types.items() if MUNICIPALITY in ts}
    org_projects: dict[str, set[str]] = defaultdict(set)
    for p, o, role, src in _rows(store, Q_PARTS):
        proj = projects.get(str(p))
        if proj is None or o is None:
            continue
        pair = (str(o), _s(role) or "")
        if pair not in proj.partner_sources:
            proj.partners.append(pair)
            proj.partner_sources[pair] = set()
        if src is not None:
            proj.partner_sources[pair].add(str(src))
        org_projects[str(o)].add(proj.iri)
    grants = _read_grants(store, projects, eu)
    where, located = _municipality_map(store, municipalities)
    for proj in projects.values():
        proj.places = located.get(proj.iri, set())
        proj.municipalities = set(where.get(proj.iri, set()))
        for org in proj.organisations():
            if org in municipalities:
                proj.municipalities.add(org)
    return Core(projects, grants, dict(org_types), dict(where), dict(org_projects),
                municipalities, eu)


def core(store: Store) -> Core:
    """:func:`read_core` for the store's current data version, computed once."""
    return per_version(store, "tables:core", lambda: read_core(store), stale=True)


# -- people --------------------------------------------------------------------------------

@dataclass
class Post:
    iri: str
    person: str
    body: str
    role: str = ""
    start: str | None = None
    end: str | None = None
    appointed_by: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)


@dataclass
class Person:
    iri: str
    name: str = ""
    given: str = ""
    family: str = ""
    titles: set[str] = field(default_factory=set)
    posts: list[Post] = field(default_factory=list)


Q_PEOPLE = """SELECT ?p ?name ?given ?family ?title WHERE { ?p a foaf:Person .
  OPTIONAL { ?p foaf:name ?name } OPTIONAL { ?p foaf:givenName ?given }
  OPTIONAL { ?p foaf:familyName ?family } OPTIONAL { ?p schema:jobTitle ?title } }"""
Q_POSTS = """SELECT ?a ?person ?body ?role ?start ?end ?by ?src WHERE {
  ?a a kfv:Appointment ; org:member ?person ; org:organization ?body .
  OPTIONAL { ?a org:role ?role } OPTIONAL { ?a schema:startDate ?start }
  OPTIONAL { ?a schema:endDate ?end } OPTIONAL { ?a kfv:appointedBy ?by }
  OPTIONAL { ?a dcterms:source ?src } }"""


def read_people(store: Store) -> dict[str, Person]:
    people: dict[str, Person] = {}
    for p, name, given, family, title in _rows(store, Q_PEOPLE):
        person = people.setdefault(str(p), Person(str(p)))
        person.name = person.name or (_s(name) or "")
        person.given = person.given or (_s(given) or "")
        person.family = person.family or (_s(family) or "")
        if title is not None:
            person.titles.add(str(title))
    posts: dict[str, Post] = {}
    for a, who, body, role, start, end, by, src in _rows(store, Q_POSTS):
        post = posts.get(str(a))
        if post is None:
            post = posts[str(a)] = Post(str(a), str(who), str(body), _s(role) or "",
                                        _s(start), _s(end))
            if str(who) in people:
                people[str(who)].posts.append(post)
        if by is not None:
            post.appointed_by.add(str(by))
        if src is not None:
            post.sources.add(str(src))
    return people


def people(store: Store) -> dict[str, Person]:
    return per_version(store, "tables:people", lambda: read_people(store), stale=True)


# -- news and events -----------------------------------------------------------------------

@dataclass
class NewsItem:
    iri: str
    position: int | None = None
    headline: str = ""
    date: str | None = None
    about: set[str] = field(default_factory=set)
    mentions: set[str] = field(default_factory=set)


Q_NEWS = """SELECT ?n ?pos ?head ?date WHERE { ?n a schema:NewsArticle .
  OPTIONAL { ?n schema:position ?pos } OPTIONAL { ?n schema:headline ?head }
  OPTIONAL { ?n schema:datePublished ?date } }"""
Q_NEWS_LINKS = """SELECT ?n ?rel ?x WHERE { ?n a schema:NewsArticle .
  { ?n schema:about ?x BIND("about" AS ?rel) } UNION { ?n schema:mentions ?x BIND("m" AS ?rel) } }"""


def read_news(store: Store) -> dict[str, NewsItem]:
    items: dict[str, NewsItem] = {}
    for n, pos, head, date in _rows(store, Q_NEWS):
        item = items.setdefault(str(n), NewsItem(str(n)))
        if isinstance(pos, Literal) and item.position is None:
            value = pos.toPython()
            item.position = value if isinstance(value, int) else None
        item.headline = item.headline or (_s(head) or "")
        item.date = item.date or _s(date)
    for n, rel, x in _rows(store, Q_NEWS_LINKS):
        linked = items.get(str(n))
        if linked is not None and isinstance(x, URIRef):
            (linked.about if str(rel) == "about" else linked.mentions).add(str(x))
    return items


def news(store: Store) -> dict[str, NewsItem]:
    return per_version(store, "tables:news", lambda: read_news(store), stale=True)


@dataclass
class Event:
    iri: str
    types: set[str] = field(default_factory=set)
    start: str | None = None
    end: str | None = None
    places: set[str] = field(default_factory=set)
    part_of: set[str] = field(default_factory=set)
    themes: set[str] = field(default_factory=set)
    participants: list[tuple[str, str]] = field(default_factory=list)
    sources: set[str] = field(default_factory=set)


Q_EVENTS = """SELECT ?e ?k ?v WHERE { ?e a schema:Event .
  { ?e dcterms:type ?v BIND("type" AS ?k) } UNION { ?e schema:startDate ?v BIND("start" AS ?k) }
  UNION { ?e schema:endDate ?v BIND("end" AS ?k) } UNION { ?e schema:location ?v BIND("loc" AS ?k) }
  UNION { ?e schema:isPartOf|schema:superEvent ?v BIND("part" AS ?k) }
  UNION { ?e dcterms:subject ?v BIND("theme" AS ?k) } UNION { ?e dcterms:source ?v BIND("src" AS ?k) }
  UNION { ?d kfv:event ?e ; org:member ?v BIND("who" AS ?k) } }"""


def read_events(store: Store) -> dict[str, Event]:
    found: dict[str, Event] = {}
    for e, k, v in _rows(store, Q_EVENTS):
        ev = found.setdefault(str(e), Event(str(e)))
        kind, value = str(k), str(v)
        if kind == "type":
            ev.types.add(value)
        elif kind == "start":
            ev.start = min(ev.start or value, value)
        elif kind == "end":
            ev.end = max(ev.end or value, value)
        elif kind == "loc":
            ev.places.add(value)
        elif kind == "part":
            ev.part_of.add(value)
        elif kind == "theme":
            ev.themes.add(value)
        elif kind == "src":
            ev.sources.add(value)
        elif kind == "who" and (value, "") not in ev.participants:
            ev.participants.append((value, ""))
    return found


def events(store: Store) -> dict[str, Event]:
    return per_version(store, "tables:events", lambda: read_events(store), stale=True)
