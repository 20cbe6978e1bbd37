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

import threading
from collections import Counter, OrderedDict
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
    return {"iri": value.iri, "label": value.label, "lang": value.lang} \
        if isinstance(value, Ref) else None


def _refs(values: Any) -> list[dict[str, str]]:
    return [{"iri": v.iri, "label": v.label, "lang": v.lang} for v in values or []
            if isinstance(v, Ref)]


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
    return {
        "project": _ref(project),
        "roles": _refs(row.get("roll")),
        "period": row.get("period") or "",
        "start": start, "end": end,
        "years": _span(row),
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


def _span(row: dict[str, Any]) -> list[int] | None:
    years = [y for y in (_year(row.get("start")), _year(row.get("slut"))) if y is not None]
    return [min(years), max(years)] if years else None


def _newest_first(row: dict[str, Any]) -> tuple[Any, ...]:
    """Latest projects first, undated last, then in Swedish order (stable on any store);
    on a row of the projects table, before it is made into a profile row."""
    from kg.query.collation import sort_key

    years = _span(row) or [0, 0]
    project = row["projekt"]
    return (-years[0], -years[1], sort_key(project.label), project.iri)


def _timeline(spans: list[list[int] | None]) -> dict[str, Any]:
    per_year: Counter[int] = Counter()
    undated = 0
    for span in spans:
        if not span:
            undated += 1
            continue
        for y in range(span[0], min(span[1], span[0] + 40) + 1):
            per_year[y] += 1
    years = sorted(per_year)
    full = list(range(years[0], years[-1] + 1)) if years else []
    return {"years": [{"year": y, "count": per_year.get(y, 0)} for y in full],
            "undated": undated}


#: Organisation profiles lately made: (lineage, version, IRI, language, day, rows) → profile.
_PROFILES: OrderedDict[tuple[Any, ...], dict[str, Any] | None] = OrderedDict()
_PROFILES_KEPT = 16
_PROFILES_LOCK = threading.Lock()


def organisation_profile(store: Store, iri: str, lang: str = "sv", *,
                         today: date | None = None, rows: int | None = None
                         ) -> dict[str, Any] | None:
    """The projects of an organisation as one table, with a summary, its roles (with
    definitions), a timeline and its partners; None when it took part in no project.

    ``projects`` holds the newest ``rows`` projects (all when None; ``project_count`` says
    how many there are): the summary, roles and timeline count every project from the rows
    of the projects table, and only the rows shown are made into profile rows. The last
    few profiles are kept for their data version (a hub's has thousands of projects).
    """
    if not iri.startswith(PREFIXES["organisation"]):
        return None
    key = (store.lineage, store.data_version(), iri, lang, today or date.today(), rows)
    with _PROFILES_LOCK:
        if key in _PROFILES:
            _PROFILES.move_to_end(key)
            return _PROFILES[key]
    profile = _organisation_profile(store, iri, lang, today, rows)
    with _PROFILES_LOCK:
        _PROFILES[key] = profile
        while len(_PROFILES) > _PROFILES_KEPT:
            _PROFILES.popitem(last=False)
    return profile


def _organisation_profile(store: Store, iri: str, lang: str, today: date | None,
                          limit: int | None) -> dict[str, Any] | None:
    table_rows = [r for r in rows_with(store, "projekt", "deltagare", iri, lang=lang)
                  if isinstance(r.get("projekt"), Ref)]
    if not table_rows:
        return None
    table_rows.sort(key=_newest_first)
    shown = table_rows if limit is None else table_rows[:limit]
    projects = [_project_row(store, r, lang, today) for r in shown]
    partners = {p.iri for r in table_rows for p in r.get("partner") or ()
                if isinstance(p, Ref) and p.iri != iri}
    funders: dict[str, Ref] = {f.iri: f for r in table_rows for f in r.get("finansiarer") or ()
                               if isinstance(f, Ref)}
    with_amount = [r for r in table_rows if isinstance(r.get("belopp"), Decimal)]
    spans = [_span(r) for r in table_rows]
    years = [y for span in spans if span for y in span]
    roles: Counter[str] = Counter()
    role_labels: dict[str, str] = {}
    for r in table_rows:
        for role in [x for x in r.get("roll") or () if isinstance(x, Ref)] or [Ref("", "")]:
            roles[role.iri] += 1
            role_labels[role.iri] = role.label
    definitions = role_definitions(store, lang)
    return {
        "summary": {
            "projects": len(table_rows),
            "partners": len(partners),
            "funders": sorted(_refs(funders.values()), key=lambda f: f["label"].casefold()),
            "amount": str(sum(r["belopp"] for r in with_amount)) if with_amount else None,
            "amount_approximate": any(bool(r.get("ungefar")) for r in with_amount),
            "years": [min(years), max(years)] if years else None,
        },
        "projects": projects,
        "project_count": len(table_rows),
        "first_rows": FIRST_ROWS,
        "max_rows": MAX_ROWS,
        "roles": [{"iri": r, "label": role_labels[r], "count": n,
                   "definition": definitions.get(r, "")}
                  for r, n in sorted(roles.items(), key=lambda kv: (-kv[1], role_labels[kv[0]]))],
        "timeline": _timeline(spans),
        "slug": iri.rsplit("/", 1)[-1],
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
