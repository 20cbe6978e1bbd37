"""The people, news and events tables' facts, read with a few bulk queries per data version
and kept in :mod:`kg.cache` (the projects' facts are in :mod:`kg.query.tables.facts`).

IRIs go through a :class:`~kg.query.tables.facts.Pool`, so an entity named in many rows is
one ``str`` in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from kg.cache import per_version
from kg.query.tables.facts import Pool, _rows, _s
from kg.store.base import Store

__all__ = ["Event", "NewsItem", "Person", "Post", "events", "news", "people", "read_events",
           "read_news", "read_people"]


@dataclass(slots=True)
class Post:
    iri: str
    person: str
    body: str
    role: str = ""
    start: str | None = None
    end: str | None = None
    appointed_by: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)


@dataclass(slots=True)
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
    iri = Pool()
    people: dict[str, Person] = {}
    for p, name, given, family, title in _rows(store, Q_PEOPLE):
        person = people.get(str(p))
        if person is None:
            person = people[iri(p)] = Person(iri(p))
        person.name = person.name or (_s(name) or "")
        person.given = person.given or (_s(given) or "")
        person.family = person.family or (_s(family) or "")
        if title is not None:
            person.titles.add(str(title))
    posts: dict[str, Post] = {}
    for a, who, body, role, start, end, by, src in _rows(store, Q_POSTS):
        post = posts.get(str(a))
        if post is None:
            post = posts[str(a)] = Post(str(a), iri(who), iri(body),
                                        iri(role) if role is not None else "",
                                        iri.opt(start), iri.opt(end))
            if str(who) in people:
                people[str(who)].posts.append(post)
        if by is not None:
            post.appointed_by.add(iri(by))
        if src is not None:
            post.sources.add(iri(src))
    return people


def people(store: Store) -> dict[str, Person]:
    return per_version(store, "tables:people", lambda: read_people(store), stale=True)


# -- news and events -----------------------------------------------------------------------

@dataclass(slots=True)
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


@dataclass(slots=True)
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
