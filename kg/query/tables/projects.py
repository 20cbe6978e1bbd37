"""The tables of projects, fundings and organisations: their columns, facets and rows.

Rows come from :mod:`kg.query.tables.facts` (bulk queries, once per data version) and labels
from the label index; nothing here queries the store per row.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any

from kg.i18n import translate
from kg.i18n.formats import period
from kg.query.collation import sort_key
from kg.query.labels import local_name
from kg.query.search import LabelIndex, fold
from kg.query.status import ENDED, StatusFact, current
from kg.query.tables.engine import Item
from kg.query.tables.facts import OWNER_ROLE, Core, Grant, Project
from kg.query.tables.model import Column, FacetSpec, Ref

__all__ = ["FUNDING_COLUMNS", "FUNDING_FACETS", "ORG_COLUMNS", "ORG_FACETS",
           "PROJECT_COLUMNS", "PROJECT_FACETS", "Labeller", "funding_items", "org_items",
           "project_items", "with_partner"]

GRANTED = "https://data.kfvn.se/def/status/beviljad"

EU_YES, EU_NO = "ja", "nej"
EU_FACET = FacetSpec("eu", "EU-finansierat", "EU-funded", kind="choice", choices=(EU_YES, EU_NO))
YEAR = FacetSpec("ar", "År", "Year", kind="year")
THEME = FacetSpec("tema", "Tema", "Theme", prefix="tema")
STATUS = FacetSpec("status", "Status", "Status", prefix="status")
MUNI = FacetSpec("kommun", "Kommun", "Municipality", prefix="organisation")
FUNDER = FacetSpec("finansiar", "Finansiär", "Funder", prefix="organisation")
PROGRAMME = FacetSpec("program", "Fond eller program", "Fund or programme", prefix="organisation")
PARTNER = FacetSpec("deltagare", "Deltagande organisation", "Participating organisation",
                    prefix="organisation")
ORG_TYPE = FacetSpec("organisationstyp", "Organisationstyp", "Organisation type",
                     prefix="organisationstyp")
PROJECT_TYPE = FacetSpec("typ", "Slag av projekt", "Kind of project", prefix="projekttyp")

PROJECT_FACETS = (THEME, STATUS, YEAR, EU_FACET, FUNDER, PROGRAMME, MUNI, PARTNER, PROJECT_TYPE)
FUNDING_FACETS = (FUNDER, PROGRAMME, YEAR, STATUS, EU_FACET, THEME, MUNI)
ORG_FACETS = (ORG_TYPE, MUNI)

PROJECT_COLUMNS = [
    Column("projekt", "Projekt", "Project", "entity", 40),
    Column("roll", "Roll", "Role", "entities", 18, "Den valda organisationens roll",
           "The chosen organisation's role"),
    Column("partner", "Partner", "Partners", "entities", 50),
    Column("status", "Status", "Status", "entities", 12,
           "Det den senaste källan säger, med källans år (”läget 2018”); ”härlett” när "
           "projektets slutdatum har passerat",
           "What the latest source says, with the source's year (“as of 2018”); “derived” "
           "when the project's end date has passed"),
    Column("period", "Period", "Period", "text", 14),
    Column("start", "Start", "Start", "date", 12),
    Column("slut", "Slut", "End", "date", 12),
    Column("finansiarer", "Finansiärer", "Funders", "entities", 30),
    Column("program", "Fond eller program", "Fund or programme", "entities", 30),
    Column("belopp", "Beviljat belopp (kr)", "Amount granted (SEK)", "amount", 16,
           "Summan av angivna beviljade belopp", "The sum of stated granted amounts"),
    Column("ungefar", "Ungefärligt belopp", "Approximate amount", "text", 10,
           "Cirka: minst ett av de summerade beloppen är ungefärligt i källan",
           "About: at least one of the summed amounts is approximate in the source"),
    Column("agare", "Projektägare", "Project owner", "entities", 30),
    Column("partner_antal", "Antal partner", "Partners", "number", 10),
    Column("tema", "Tema", "Theme", "entities", 30),
    Column("eu", "EU", "EU", "text", 22),
    Column("kalla", "Källa", "Source", "entities", 28),
]

FUNDING_COLUMNS = [
    Column("projekt", "Projekt", "Project", "entity", 40),
    Column("finansiar", "Finansiär", "Funder", "entities", 28,
           "Det organ som beslutat om eller betalat ut pengarna",
           "The body that decided on or paid the money"),
    Column("program", "Fond eller program", "Fund or programme", "entities", 30),
    Column("belopp", "Belopp (kr)", "Amount (SEK)", "amount", 16),
    Column("ungefar", "Ungefärligt belopp", "Approximate amount", "text", 10),
    Column("ar", "År", "Year", "year", 8,
           "Året som källan anger (ett tal, också i nedladdningarna). Årsfiltret räknar dessutom, "
           "när källan inte anger något år, åren i finansieringens eller projektets period",
           "The year the source states (a number, in downloads too). When the source states none, "
           "the year filter counts the years of the funding's or the project's period"),
    Column("status", "Status", "Status", "entities", 12),
    Column("eu", "EU", "EU", "text", 30),
    Column("period", "Projektets period", "Project period", "text", 14),
    Column("kalla", "Källa", "Source", "entities", 28),
]

ORG_COLUMNS = [
    Column("organisation", "Organisation", "Organisation", "entity", 40),
    Column("typ", "Typ", "Type", "entities", 24),
    Column("kommun", "Kommun", "Municipality", "entities", 22),
    Column("projekt_antal", "Antal projekt", "Projects", "number", 10),
    Column("finansierat_antal", "Finansieringar som finansiär", "Grants as funder", "number", 12),
]


class Labeller:
    """Refs with labels in one language, from the label index (local name as fallback)."""

    def __init__(self, index: LabelIndex, lang: str) -> None:
        self.index = index
        self.lang = lang
        self._cache: dict[str, Ref] = {}

    def ref(self, iri: str) -> Ref:
        found = self._cache.get(iri)
        if found is None:
            entry = self.index.get(iri)
            label_lang = entry.label_lang(self.lang) if entry else ""
            found = Ref(iri, entry.label(self.lang) if entry else local_name(iri),
                        label_lang if label_lang not in ("", self.lang) else "")
            self._cache[iri] = found
        return found

    def known(self, iri: str) -> bool:
        """True when the entity is in the label index (not a relation node)."""
        return self.index.get(iri) is not None

    def refs(self, iris: Iterable[str]) -> list[Ref]:
        """Refs of distinct IRIs, in Swedish order of their labels."""
        return sorted({self.ref(i) for i in iris if i}, key=lambda r: sort_key(r.label))


def _eu_text(eu_funded: bool, tagged: bool, lang: str) -> str:
    if eu_funded:
        return "EU-finansiering" if lang == "sv" else "EU funding"
    if tagged:
        return ("EU-projekt, finansiering ej angiven" if lang == "sv"
                else "EU project, funding not stated")
    return ""


def _granted_sum(grants: Iterable[Grant]) -> Decimal | None:
    amounts = [g.amount for g in grants if g.amount is not None and GRANTED in g.statuses]
    return sum(amounts, Decimal(0)) if amounts else None


def _granted_is_approximate(grants: Iterable[Grant]) -> bool:
    """True when a granted amount in the sum is approximate ("cirka 4,8 miljoner")."""
    return any(g.approximate for g in grants if g.amount is not None and GRANTED in g.statuses)


def project_items(core: Core, lab: Labeller, partner: str | None = None,
                  statuses: dict[str, list[StatusFact]] | None = None) -> list[Item]:
    """One item per project. With ``partner`` (an organisation IRI), only its projects, with
    its role and the other partners. With ``statuses`` (:func:`kg.query.status.project_statuses`)
    the status is the one profiles show: the latest source's, as of its year, or "avslutat"
    (derived) when the end date has passed."""
    lang = lab.lang
    out: list[Item] = []
    for proj in core.projects.values():
        if partner is not None and partner not in proj.organisations():
            continue
        out.append(_project_item(proj, core, lab, partner, lang, statuses))
    return out


def project_status(proj: Project, lab: Labeller,
                   statuses: dict[str, list[StatusFact]] | None) -> tuple[list[Ref], set[str]]:
    """The status cell (label with "as of" or "derived") and the status facet value."""
    lang = lab.lang
    facts = (statuses or {}).get(proj.iri, [])
    now = current(facts, proj.end, lang, ended_label=lab.ref(ENDED).label) if facts else None
    if now is None:
        return lab.refs(proj.statuses), set(proj.statuses)
    if now["derived"]:
        note = translate("entity.status_derived_short", lang)
        return [Ref(ENDED, f"{now['derived']['label']} ({note})")], {ENDED}
    label = now["label"]
    if now["as_of"]:
        key = "entity.status_as_of_approx" if now["approximate"] else "entity.status_as_of"
        note = translate(key, lang, as_of=now["as_of"])
        if now["inferred"]:
            note += ", " + translate("entity.inferred", lang)
        label = f"{label} ({note})"
    return [Ref(now["status"], label)], {now["status"]}


def _project_item(proj: Project, core: Core, lab: Labeller, partner: str | None,
                  lang: str, statuses: dict[str, list[StatusFact]] | None = None) -> Item:
    grants = proj.grants
    funders = {f for g in grants for f in g.funders}
    programmes = {p for g in grants for p in g.funds | g.programmes}
    roles = [r for o, r in proj.partners if o == partner and r]
    others = {o for o, _ in proj.partners if o != partner}
    label = lab.ref(proj.iri)
    status_cell, status_facet = project_status(proj, lab, statuses)
    row: dict[str, Any] = {
        "projekt": label,
        "roll": lab.refs(roles),
        "status": status_cell,
        "period": period(proj.start, proj.end, lang),
        "start": proj.start,
        "slut": proj.end,
        "agare": lab.refs(o for o, r in proj.partners if r == OWNER_ROLE),
        "finansiarer": lab.refs(funders),
        "program": lab.refs(programmes),
        "belopp": _granted_sum(grants),
        "ungefar": (("cirka" if lang == "sv" else "about")
                    if _granted_is_approximate(grants) else ""),
        "partner_antal": len(proj.organisations()),
        "partner": lab.refs(others),
        "tema": lab.refs(proj.themes),
        "eu": _eu_text(any(g.eu for g in grants), proj.eu_tagged, lang),
        "kalla": lab.refs(proj.sources | {s for g in grants for s in g.sources}),
        "_partners": proj.partners,
    }
    facets = {
        "tema": proj.theme_closure, "status": status_facet,
        "eu": {"ja" if proj.eu else "nej"}, "finansiar": funders, "program": programmes,
        "kommun": proj.municipalities, "deltagare": proj.organisations(), "typ": proj.types,
    }
    return Item(row, facets, proj.years(), fold(label.label))


def with_partner(row: dict[str, Any], chosen: set[str], lab: Labeller) -> dict[str, Any]:
    """A project row seen from chosen organisations: their role(s) and the other partners."""
    pairs: list[tuple[str, str]] = row.get("_partners", [])
    return dict(row, roll=lab.refs(r for o, r in pairs if o in chosen and r),
                partner=lab.refs(o for o, _ in pairs if o not in chosen))


def funding_items(core: Core, lab: Labeller) -> list[Item]:
    """One item per funding, and one per EU project whose funding the sources do not state
    ("EU-projekt, finansiering ej angiven"), so that no EU project is missing."""
    lang = lab.lang
    out: list[Item] = []
    for grant in core.grants:
        proj = core.projects.get(grant.project)
        out.append(_funding_item(grant, proj, lab, lang))
    for proj in core.projects.values():
        if proj.eu_tagged and not any(g.eu for g in proj.grants):
            out.append(_unstated_eu_item(proj, lab, lang))
    return out


def _funding_item(grant: Grant, proj: Project | None, lab: Labeller, lang: str) -> Item:
    project = lab.ref(grant.project)
    approx = ("cirka" if lang == "sv" else "about") if grant.approximate else ""
    tagged = proj is not None and proj.eu_tagged
    row: dict[str, Any] = {
        "projekt": project,
        "finansiar": lab.refs(grant.funders),
        "program": lab.refs(grant.funds | grant.programmes),
        "belopp": grant.amount,
        "ungefar": approx,
        "ar": grant.year,
        "status": lab.refs(grant.statuses),
        "eu": _eu_text(grant.eu, tagged, lang),
        "period": period(proj.start, proj.end, lang) if proj else "",
        "kalla": lab.refs(grant.sources),
        "_iri": grant.iri,
    }
    years = {grant.year} if grant.year is not None else set()
    if not years:
        first, last = grant.years()
        if first is not None and last is not None and 0 <= last - first <= 40:
            years = set(range(first, last + 1))
        elif proj is not None:
            years = proj.years()
    facets = {
        "finansiar": grant.funders, "program": grant.funds | grant.programmes,
        "status": grant.statuses, "eu": {"ja" if grant.eu or tagged else "nej"},
        "tema": proj.theme_closure if proj else set(),
        "kommun": proj.municipalities if proj else set(),
    }
    return Item(row, facets, years, fold(project.label), _year_key(years))


def _year_key(years: set[int]) -> dict[str, Any]:
    """The sort key of the "År" column: by the first year, stated or from a period."""
    return {"ar": (0, min(years)) if years else (1, b"")}


def _unstated_eu_item(proj: Project, lab: Labeller, lang: str) -> Item:
    project = lab.ref(proj.iri)
    row: dict[str, Any] = {
        "projekt": project, "finansiar": [], "program": [], "belopp": None, "ungefar": "",
        "ar": None, "status": [], "eu": _eu_text(False, True, lang),
        "period": period(proj.start, proj.end, lang), "kalla": lab.refs(proj.sources),
    }
    facets = {"eu": {"ja"}, "tema": proj.theme_closure, "kommun": proj.municipalities,
              "status": set(), "finansiar": set(), "program": set()}
    return Item(row, facets, proj.years(), fold(project.label), _year_key(proj.years()))


def org_items(core: Core, lab: Labeller) -> list[Item]:
    """One item per organisation."""
    funded: dict[str, int] = {}
    for grant in core.grants:
        for f in grant.funders | grant.funds:
            funded[f] = funded.get(f, 0) + 1
    out: list[Item] = []
    for org, types in core.org_types.items():
        label = lab.ref(org)
        munis = core.org_municipality.get(org, set())
        row = {
            "organisation": label, "typ": lab.refs(types), "kommun": lab.refs(munis),
            "projekt_antal": len(core.org_projects.get(org, ())),
            "finansierat_antal": funded.get(org, 0),
        }
        out.append(Item(row, {"organisationstyp": types, "kommun": munis}, set(),
                        fold(label.label)))
    return out


#: Builders by table name, for the registry.
Builder = Callable[[Core, Labeller], list[Item]]
