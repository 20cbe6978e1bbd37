"""The tables of people, news items and events: their columns, facets and rows."""

from __future__ import annotations

from typing import Any

from kg.i18n.formats import period
from kg.query.collation import person_key
from kg.query.search import fold
from kg.query.tables.engine import Item
from kg.query.tables.facts import year_of
from kg.query.tables.model import Column, FacetSpec, Ref
from kg.query.tables.projects import MUNI, THEME, YEAR, Labeller
from kg.query.tables.records import Event, NewsItem, Person

__all__ = ["EVENT_COLUMNS", "EVENT_FACETS", "NEWS_COLUMNS", "NEWS_FACETS", "PEOPLE_COLUMNS",
           "PEOPLE_FACETS", "event_items", "news_items", "people_items"]

BODY = FacetSpec("organ", "Organ", "Body", prefix="organisation")
POST_ROLE = FacetSpec("roll", "Uppdrag", "Post", prefix="organisationsroll")
APPOINTED = FacetSpec("utsedd_av", "Utsedd av", "Appointed by", prefix="organisation")
ABOUT = FacetSpec("om", "Handlar om", "About", prefix="")
EVENT_TYPE = FacetSpec("typ", "Slag", "Kind", prefix="evenemangstyp")

PEOPLE_FACETS = (BODY, POST_ROLE, APPOINTED)
NEWS_FACETS = (ABOUT, YEAR)
EVENT_FACETS = (EVENT_TYPE, YEAR, THEME, MUNI)

PEOPLE_COLUMNS = [
    Column("person", "Person", "Person", "entity", 28),
    Column("efternamn", "Efternamn", "Family name", "text", 16),
    Column("fornamn", "Förnamn", "Given name", "text", 14),
    Column("titel", "Titel", "Title", "texts", 28),
    Column("uppdrag", "Uppdrag", "Posts", "texts", 60),
    Column("organ", "Organ", "Bodies", "entities", 40),
    Column("kalla", "Källa", "Source", "entities", 28),
]

NEWS_COLUMNS = [
    Column("nummer", "Nr", "No.", "number", 6, "Nyhetens plats i nyhetslistan",
           "The item's place in the news list"),
    Column("nyhet", "Rubrik", "Headline", "entity", 60),
    Column("datum", "Publicerad", "Published", "date", 12),
    Column("om", "Handlar om", "About", "entities", 40),
    Column("namner", "Nämner", "Mentions", "entities", 50),
]

EVENT_COLUMNS = [
    Column("evenemang", "Evenemang", "Event", "entity", 40),
    Column("typ", "Slag", "Kind", "entities", 16),
    Column("period", "När", "When", "text", 16),
    Column("start", "Start", "Start", "date", 12),
    Column("plats", "Plats", "Place", "entities", 20),
    Column("del_av", "Del av", "Part of", "entities", 30),
    Column("medverkande", "Medverkande", "Taking part", "entities", 40),
    Column("tema", "Tema", "Theme", "entities", 24),
    Column("kalla", "Källa", "Source", "entities", 28),
]


def _post_text(lab: Labeller, role: str, body: str, start: str | None, end: str | None) -> str:
    when = period(start, end, lab.lang)
    word = " i " if lab.lang == "sv" else " in "
    text = (lab.ref(role).label if role else "") + word + lab.ref(body).label
    return (text.strip() + (f" ({when})" if when else "")).strip()


def people_items(people: dict[str, Person], lab: Labeller) -> list[Item]:
    """One item per person, ordered by family name (the ``person`` column's sort key)."""
    out: list[Item] = []
    for person in people.values():
        ref = lab.ref(person.iri)
        name = person.name or ref.label
        family = person.family or (name.rsplit(" ", 1)[-1] if " " in name else name)
        given = person.given or (name.rsplit(" ", 1)[0] if " " in name else "")
        posts = sorted(person.posts, key=lambda p: (p.start or "", p.body))
        row: dict[str, Any] = {
            "person": Ref(person.iri, name), "efternamn": family, "fornamn": given,
            "titel": sorted(person.titles),
            "uppdrag": [_post_text(lab, p.role, p.body, p.start, p.end) for p in posts],
            "organ": lab.refs(p.body for p in posts),
            "kalla": lab.refs(s for p in posts for s in p.sources),
        }
        years = {y for p in posts for y in (year_of(p.start), year_of(p.end)) if y}
        item = Item(row, {"organ": {p.body for p in posts}, "roll": {p.role for p in posts},
                          "utsedd_av": {b for p in posts for b in p.appointed_by}},
                    years, fold(name))
        item.keys["person"] = (0, person_key(name, family, given))
        item.keys["efternamn"] = item.keys["person"]
        out.append(item)
    return out


def news_items(news: dict[str, NewsItem], lab: Labeller) -> list[Item]:
    """One item per news item, in the order of the news list."""
    out: list[Item] = []
    for item in news.values():
        headline = item.headline or lab.ref(item.iri).label
        row: dict[str, Any] = {
            "nummer": item.position, "nyhet": Ref(item.iri, headline), "datum": item.date,
            "om": lab.refs(i for i in item.about if lab.known(i)),
            "namner": lab.refs(i for i in item.mentions if lab.known(i)),
        }
        year = year_of(item.date)
        out.append(Item(row, {"om": item.about | item.mentions},
                        {year} if year else set(), fold(headline)))
    return out


def event_items(events: dict[str, Event], lab: Labeller,
                municipality_of: dict[str, set[str]]) -> list[Item]:
    """One item per event (``schema:Event``)."""
    out: list[Item] = []
    for ev in events.values():
        ref = lab.ref(ev.iri)
        first, last = year_of(ev.start), year_of(ev.end)
        years = set(range(first or last or 0, (last or first or 0) + 1)) if first or last else set()
        munis = set(municipality_of.get(ev.iri, set()))
        for place in ev.places:
            munis |= municipality_of.get(place, set())
        row: dict[str, Any] = {
            "evenemang": ref, "typ": lab.refs(ev.types), "period": period(ev.start, ev.end, lab.lang),
            "start": ev.start, "plats": lab.refs(ev.places), "del_av": lab.refs(ev.part_of),
            "medverkande": lab.refs(o for o, _ in ev.participants), "tema": lab.refs(ev.themes),
            "kalla": lab.refs(ev.sources),
        }
        out.append(Item(row, {"typ": ev.types, "tema": ev.themes, "kommun": munis}, years,
                        fold(ref.label)))
    return out
