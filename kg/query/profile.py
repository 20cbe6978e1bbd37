"""Profiles that answer: what an organisation page or a project page opens with.

An organisation's profile is its projects as one table (role, period, status as of its
source, funders, partners, amount), made from the projects table of :mod:`kg.query.tables`
filtered on the organisation, and what follows from it: a summary (projects, partners,
funders, kronor granted, years), the roles it had with counts, a timeline of projects per
year, and the plain-language definitions of those roles from the vocabulary. A project's
profile is its fact sheet: status as of its source, period, owner, funders with amount,
partners, themes, EU funding.

Everything is read from per-version tables and caches (no query per row); the functions
return plain JSON-ready dicts.

>>> from kg.store import open_store
>>> organisation_profile(open_store("memory"), "https://data.kfvn.se/id/organisation/x") is None
True
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from decimal import Decimal
from typing import Any

from rdflib import Literal

from kg.cache import per_version
from kg.namespaces import PREFIXES
from kg.query.labels import pick_label
from kg.query.search import index_for
from kg.query.status import ENDED, current, project_statuses
from kg.query.tables import rows_with
from kg.query.tables.model import Ref
from kg.store.base import Store

__all__ = ["organisation_profile", "project_profile", "role_definitions"]

#: Project rows shown before "show all" on a profile.
FIRST_ROWS = 25
#: Most project rows a profile page carries (the newest; the projects table has them all):
#: a hub of the 1 M-triple benchmark graph took part in 5,000 projects, a 7 MB page.
MAX_ROWS = 300
_SCHEMES = " ".join(f"<{PREFIXES[s].rstrip('/')}>" for s in ("projektroll", "organisationsroll"))
_Q_DEFINITIONS = f"""
SELECT ?c ?d WHERE {{
  VALUES ?s {{ {_SCHEMES} }}
  ?c skos:inScheme ?s ; skos:definition ?d .
}}"""


def _ref(value: Any) -> dict[str, str] | None:
    return {**value.as_dict(), "lang": value.lang} if isinstance(value, Ref) else None


def _refs(values: Any) -> list[dict[str, str]]:
    return [{**v.as_dict(), "lang": v.lang} for v in values or [] if isinstance(v, Ref)]


def _year(value: Any) -> int | None:
    text = str(value or "")[:4]
    return int(text) if text.isdigit() else None


def role_definitions(store: Store, lang: str = "sv") -> dict[str, str]:
    """Role concept → its definition in ``lang`` (else Swedish), read once per version."""
    def compute() -> dict[str, dict[str, list[str]]]:
        out: dict[str, dict[str, list[str]]] = {}
        for c, d in store.select(_Q_DEFINITIONS).rows:
            if isinstance(d, Literal):
                out.setdefault(str(c), {}).setdefault(d.language or "", []).append(str(d))
        return out

    table: dict[str, dict[str, list[str]]] = per_version(store, "role-definitions", compute)
    return {c: pick_label(texts, lang) for c, texts in table.items()}


def _status(store: Store, iri: str, end: Any, lang: str, today: date | None
            ) -> dict[str, Any] | None:
    index = index_for(store)
    ended = index.get(ENDED)
    label = ended.label(lang) if ended else ("ended" if lang == "en" else "avslutat")
    return current(project_statuses(store).get(iri, []), str(end) if end else None, lang,
                   today, ended_label=label)


def _project_row(store: Store, row: dict[str, Any], lang: str,
                 today: date | None) -> dict[str, Any]:
    project = row["projekt"]
    start, end = row.get("start"), row.get("slut")
    years = [y for y in (_year(start), _year(end)) if y is not None]
    return {
        "project": _ref(project),
        "roles": _refs(row.get("roll")),
        "period": row.get("period") or "",
        "start": start, "end": end,
        "years": [min(years), max(years)] if years else None,
        "status": _status(store, project.iri, end, lang, today) if project else None,
        "funders": _refs(row.get("finansiarer")),
        "programmes": _refs(row.get("program")),
        "amount": str(row["belopp"]) if isinstance(row.get("belopp"), Decimal) else None,
        "amount_approximate": bool(row.get("ungefar")),
        "partners": _refs(row.get("partner")),
        "owners": _refs(row.get("agare")),
        "themes": _refs(row.get("tema")),
        "eu": row.get("eu") or "",
    }


def _newest_first(row: dict[str, Any]) -> tuple[Any, ...]:
    """Latest projects first, undated last, then in Swedish order (stable on any store)."""
    from kg.query.collation import sort_key

    years = row["years"] or [0, 0]
    return (-years[0], -years[1], sort_key(row["project"]["label"]), row["project"]["iri"])


def _timeline(projects: list[dict[str, Any]]) -> dict[str, Any]:
    per_year: Counter[int] = Counter()
    undated = 0
    for p in projects:
        span = p["years"]
        if not span:
            undated += 1
            continue
        for y in range(span[0], min(span[1], span[0] + 40) + 1):
            per_year[y] += 1
    years = sorted(per_year)
    full = list(range(years[0], years[-1] + 1)) if years else []
    return {"years": [{"year": y, "count": per_year.get(y, 0)} for y in full],
            "undated": undated}


def organisation_profile(store: Store, iri: str, lang: str = "sv", *,
                         today: date | None = None) -> dict[str, Any] | None:
    """The projects of an organisation as one table, with a summary, its roles (with
    definitions), a timeline and its partners; None when it took part in no project."""
    slug = iri.rsplit("/", 1)[-1]
    if not iri.startswith(PREFIXES["organisation"]):
        return None
    rows = rows_with(store, "projekt", "deltagare", iri, lang=lang)
    if not rows:
        return None
    projects = sorted((_project_row(store, r, lang, today) for r in rows),
                      key=_newest_first)
    partners = {p["iri"]: p for row in projects for p in row["partners"] if p["iri"] != iri}
    funders = {f["iri"]: f for row in projects for f in row["funders"]}
    amounts = [Decimal(p["amount"]) for p in projects if p["amount"]]
    years = [y for p in projects if p["years"] for y in p["years"]]
    roles: Counter[str] = Counter()
    role_labels: dict[str, str] = {}
    for p in projects:
        for r in p["roles"] or [{"iri": "", "label": ""}]:
            roles[r["iri"]] += 1
            role_labels[r["iri"]] = r["label"]
    definitions = role_definitions(store, lang)
    return {
        "summary": {
            "projects": len(projects),
            "partners": len(partners),
            "funders": sorted(funders.values(), key=lambda f: f["label"].casefold()),
            "amount": str(sum(amounts)) if amounts else None,
            "amount_approximate": any(p["amount_approximate"] for p in projects if p["amount"]),
            "years": [min(years), max(years)] if years else None,
        },
        "projects": projects,
        "first_rows": FIRST_ROWS,
        "max_rows": MAX_ROWS,
        "roles": [{"iri": r, "label": role_labels[r], "count": n,
                   "definition": definitions.get(r, "")}
                  for r, n in sorted(roles.items(), key=lambda kv: (-kv[1], role_labels[kv[0]]))],
        "timeline": _timeline(projects),
        "slug": slug,
    }


def project_profile(store: Store, iri: str, lang: str = "sv", *,
                    today: date | None = None) -> dict[str, Any] | None:
    """A project's fact sheet: status as of its source (and derived), period, owner,
    funders with amount, partners, themes and EU funding; None for anything else."""
    if not iri.startswith(PREFIXES["projekt"]):
        return None
    row = next(iter(rows_with(store, "projekt", "@", iri, lang=lang)), None)
    if row is None:
        return None
    sheet = _project_row(store, row, lang, today)
    sheet["partner_count"] = row.get("partner_antal")
    sheet["statuses"] = [f.as_dict(lang) for f in project_statuses(store).get(iri, [])]
    definitions = role_definitions(store, lang)
    sheet["definitions"] = definitions
    return sheet
