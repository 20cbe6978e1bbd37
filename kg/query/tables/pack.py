"""The funding-application pack: everything an application needs about one organisation (or
municipality), or one project (a fact sheet), with the source of every row.

For an organisation: its earlier projects (role, period, status, funders, fund or programme,
amount, partners), its partners with the number of shared projects, the people it appointed
to external bodies and the people with posts in it. For a project: its facts (status,
period, description, themes, EU), fundings, participants with roles, results stated as
figures and the news items about it.

>>> from kg.store import open_store
>>> organisation_pack(open_store("memory"), "https://data.kfvn.se/id/organisation/x").projects.total
0
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from rdflib import Literal, URIRef

from kg.errors import NotFoundError
from kg.query.collation import sort_key
from kg.query.search import index_for
from kg.query.tables import build_table, parse_filters
from kg.query.tables import facts as F
from kg.query.tables import records as R
from kg.query.tables.model import Column, Ref, Table
from kg.query.tables.projects import Labeller
from kg.store.base import Store

__all__ = ["OrganisationPack", "ProjectSheet", "organisation_pack", "project_sheet"]

PARTNER_COLUMNS = [
    Column("organisation", "Partner", "Partner", "entity", 40),
    Column("antal", "Gemensamma projekt", "Shared projects", "number", 12),
    Column("projekt", "Projekt", "Projects", "entities", 70),
]
POST_COLUMNS = [
    Column("person", "Person", "Person", "entity", 26),
    Column("roll", "Uppdrag", "Post", "entity", 18),
    Column("organ", "Organ", "Body", "entity", 34),
    Column("period", "Period", "Period", "text", 14),
    Column("kalla", "Källa", "Source", "entities", 28),
]
PARTICIPANT_COLUMNS = [
    Column("organisation", "Organisation", "Organisation", "entity", 40),
    Column("roll", "Roll", "Role", "entities", 22),
    Column("kalla", "Källa", "Source", "entities", 28),
]
RESULT_COLUMNS = [
    Column("matt", "Resultat", "Result", "text", 50),
    Column("varde", "Värde", "Value", "number", 12),
    Column("enhet", "Enhet", "Unit", "text", 12),
    Column("ar", "År", "Year", "year", 8),
]
NEWS_COLUMNS = [
    Column("nyhet", "Nyhet", "News item", "entity", 70),
    Column("nummer", "Nr", "No.", "number", 6),
]


@dataclass
class OrganisationPack:
    """The pack of one organisation: four tables and its name."""

    org: Ref
    projects: Table
    partners: Table
    representatives: Table
    posts: Table
    lang: str = "sv"

    def tables(self) -> list[Table]:
        return [self.projects, self.partners, self.representatives, self.posts]


@dataclass
class ProjectSheet:
    """The fact sheet of one project."""

    project: Ref
    facts: list[tuple[str, Any]] = field(default_factory=list)
    description: str = ""
    fundings: Table | None = None
    participants: Table | None = None
    results: Table | None = None
    news: Table | None = None
    lang: str = "sv"

    def tables(self) -> list[Table]:
        return [t for t in (self.fundings, self.participants, self.results, self.news) if t]


def _units(core: F.Core, org: str, store: Store) -> set[str]:
    """The organisation and its units (``org:subOrganizationOf``/``org:unitOf``)."""
    rows = store.select("SELECT ?u WHERE { VALUES ?o { " + URIRef(org).n3() + " } "
                        "?u (org:subOrganizationOf|org:unitOf)+ ?o }").rows
    return {org} | {str(u) for (u,) in rows if u is not None}


def _post_rows(posts: list[R.Post], lab: Labeller) -> list[dict[str, Any]]:
    from kg.i18n.formats import period

    rows = [{"person": lab.ref(p.person), "roll": lab.ref(p.role) if p.role else None,
             "organ": lab.ref(p.body), "period": period(p.start, p.end, lab.lang),
             "kalla": lab.refs(p.sources)} for p in posts]
    return sorted(rows, key=lambda r: (sort_key(r["organ"].label), sort_key(r["person"].label)))


def organisation_pack(store: Store, org: str, lang: str = "sv") -> OrganisationPack:
    """The pack of an organisation (IRI).

    Raises:
        NotFoundError: no such organisation (an empty store gives empty tables).
    """
    lab = Labeller(index_for(store), lang)
    core = F.core(store)
    if core.org_types and org not in core.org_types:
        raise NotFoundError.of("error.tables.no_org", iri=org)
    projects = build_table(store, "projekt", parse_filters("projekt", {"deltagare": [org]}),
                           lang=lang, sort="-start")
    projects.columns = [c for c in projects.columns if c.key not in ("partner_antal",)]
    shared: Counter[str] = Counter()
    with_whom: dict[str, set[str]] = {}
    for iri in core.org_projects.get(org, set()):
        for other in core.projects[iri].organisations() - {org}:
            shared[other] += 1
            with_whom.setdefault(other, set()).add(iri)
    partner_rows: list[dict[str, Any]] = [
        {"organisation": lab.ref(o), "antal": n, "projekt": lab.refs(with_whom[o])}
        for o, n in shared.items()]
    partner_rows.sort(key=lambda r: (-r["antal"], sort_key(r["organisation"].label)))
    units = _units(core, org, store)
    everyone = R.people(store)
    appointed = [p for person in everyone.values() for p in person.posts
                 if p.appointed_by & units and p.body not in units]
    inside = [p for person in everyone.values() for p in person.posts if p.body in units]
    name = lab.ref(org)
    return OrganisationPack(
        name, projects,
        Table("partner", "Partner", "Partners", PARTNER_COLUMNS, partner_rows, lang=lang),
        Table("representanter", "Representanter i externa organ",
              "Representatives in external bodies", POST_COLUMNS, _post_rows(appointed, lab),
              lang=lang),
        Table("uppdrag", "Personer med uppdrag i organisationen",
              "People with posts in the organisation", POST_COLUMNS, _post_rows(inside, lab),
              lang=lang),
        lang)


_Q_PROJECT = """SELECT ?k ?v WHERE { VALUES ?p { IRI }
  { ?p schema:description ?v BIND("desc" AS ?k) }
  UNION { ?p schema:url ?v BIND("url" AS ?k) }
  UNION { ?p kfv:hasResult ?r . ?r schema:value ?v BIND(?r AS ?k) }
  UNION { ?p kfv:hasResult ?r . ?r schema:name ?v BIND(CONCAT("name ", STR(?r)) AS ?k) }
  UNION { ?p kfv:hasResult ?r . ?r schema:unitText ?v BIND(CONCAT("unit ", STR(?r)) AS ?k) }
  UNION { ?p kfv:hasResult ?r . ?r kfv:year ?v BIND(CONCAT("year ", STR(?r)) AS ?k) }
  UNION { ?n a schema:NewsArticle ; schema:about|schema:mentions ?p BIND(?n AS ?v) BIND("news" AS ?k) }
}"""


def _results(rows: list[tuple[Any, Any]], lang: str) -> tuple[str, list[dict[str, Any]],
                                                                  list[str]]:
    desc: dict[str, str] = {}
    results: dict[str, dict[str, Any]] = {}
    news: list[str] = []
    for k, v in rows:
        key = str(k)
        if key == "desc" and isinstance(v, Literal):
            desc[v.language or ""] = str(v)
        elif key == "news":
            news.append(str(v))
        elif key.startswith(("name ", "unit ", "year ")):
            what, _, r = key.partition(" ")
            slot = {"name": "matt", "unit": "enhet", "year": "ar"}[what]
            results.setdefault(r, {})[slot] = F.year_of(v) if what == "year" else str(v)
        elif isinstance(k, URIRef) and isinstance(v, Literal):
            value = v.toPython()
            results.setdefault(str(k), {})["varde"] = value if isinstance(value, int | float) \
                else str(v)
    text = desc.get(lang) or desc.get("sv") or next(iter(desc.values()), "")
    ordered = sorted(results.values(), key=lambda r: sort_key(str(r.get("matt", ""))))
    return text, ordered, news


def project_sheet(store: Store, project: str, lang: str = "sv") -> ProjectSheet:
    """The fact sheet of a project (IRI).

    Raises:
        NotFoundError: no such project.
    """
    from kg.i18n.formats import period

    core = F.core(store)
    proj = core.projects.get(project)
    if proj is None:
        raise NotFoundError.of("error.tables.no_project", iri=project)
    lab = Labeller(index_for(store), lang)
    rows = store.select(_Q_PROJECT.replace("IRI", URIRef(project).n3(), 1)).rows
    text, results, news_iris = _results([(k, v) for k, v in rows], lang)
    items = R.news(store)
    fundings = build_table(store, "finansiering", lang=lang, sort="-ar")
    fundings.rows = [r for r in fundings.rows if r["projekt"].iri == project]
    fundings.columns = [c for c in fundings.columns if c.key not in ("projekt", "period")]
    participants: list[dict[str, Any]] = [{"organisation": lab.ref(o), "roll": lab.refs([r] if r else []),
                     "kalla": lab.refs(proj.partner_sources.get((o, r), set()))}
                    for o, r in proj.partners]
    participants.sort(key=lambda r: sort_key(r["organisation"].label))
    news_rows = sorted(({"nyhet": Ref(n, items[n].headline if n in items else n),
                         "nummer": items[n].position if n in items else None}
                        for n in set(news_iris)), key=lambda r: r["nummer"] or 0)
    sv = lang == "sv"
    eu = ("EU-finansiering" if sv else "EU funding") if any(g.eu for g in proj.grants) else (
        ("EU-projekt, finansiering ej angiven" if sv else "EU project, funding not stated")
        if proj.eu_tagged else "")
    facts = [
        ("Status", lab.refs(proj.statuses)),
        ("Period", period(proj.start, proj.end, lang)),
        ("Projektägare" if sv else "Project owner",
         lab.refs(o for o, r in proj.partners if r == F.OWNER_ROLE)),
        ("Tema" if sv else "Theme", lab.refs(proj.themes)),
        ("EU", eu),
        ("Källa" if sv else "Source", lab.refs(proj.sources)),
    ]
    return ProjectSheet(
        lab.ref(project), [(k, v) for k, v in facts if v], text,
        fundings,
        Table("deltagare", "Deltagare", "Participants", PARTICIPANT_COLUMNS, participants,
              lang=lang),
        Table("resultat", "Resultat i siffror", "Results as figures", RESULT_COLUMNS, results,
              lang=lang),
        Table("nyheter", "Nyheter", "News", NEWS_COLUMNS, news_rows, lang=lang),
        lang)
