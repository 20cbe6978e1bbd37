"""A project's status as of its source, and the status that follows from a passed end date.

A status in the graph is what a source said when it was written: the 2018 annual report's
"pågående" is the state of 2018. :func:`project_statuses` reads every project status with
the source that states it and the period that source covers (``dcterms:temporal``), once
per data version; :func:`current` picks what to show today: the status of the latest source,
or, when the project's end date has passed and that status still says it is running,
"avslutat", marked as derived (never stored in the graph).

>>> from kg.store import open_store
>>> project_statuses(open_store("memory"))
{}
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from rdflib import Literal

from kg.cache import per_version
from kg.namespaces import PREFIXES
from kg.query.labels import pick_label
from kg.store.base import Store

__all__ = ["ENDED", "RUNNING", "StatusFact", "current", "project_statuses", "source_periods"]

STATUS = PREFIXES["status"]
#: The status a passed end date leads to.
ENDED = STATUS + "avslutat"
#: Statuses that say a project is (about to be) running: an end date in the past makes
#: them out of date.
RUNNING = frozenset(STATUS + s for s in ("pagaende", "planerat", "forlangt", "beviljad",
                                        "pausat"))

_Q_SOURCES = """
SELECT ?src ?start ?end ?note WHERE {
  ?src dcterms:temporal ?t .
  OPTIONAL { ?t dcat:startDate ?start } OPTIONAL { ?t dcat:endDate ?end }
  OPTIONAL { ?t skos:note ?note }
}"""
_Q_STATUSES = """
SELECT ?p ?s ?g ?sl WHERE {
  ?p a schema:Project .
  GRAPH ?g { ?p kfv:status ?s }
  OPTIONAL { ?s skos:prefLabel ?sl }
}"""
_Q_GRAPHS = """
SELECT ?g ?src ?label WHERE {
  ?g prov:wasDerivedFrom ?src . OPTIONAL { ?src rdfs:label ?label }
}"""


@dataclass(frozen=True)
class StatusFact:
    """One source's word on a project's status."""

    status: str
    labels: tuple[tuple[str, str], ...]
    source: str
    source_labels: tuple[tuple[str, str], ...]
    start: int | None
    end: int | None
    approximate: bool
    inferred: bool

    def label(self, lang: str = "sv") -> str:
        return _pick(self.labels, lang, self.status)

    def as_dict(self, lang: str = "sv") -> dict[str, Any]:
        """JSON-ready, labels in ``lang`` and the period the source covers as text."""
        return {"status": self.status, "source": self.source, "start": self.start,
                "end": self.end, "approximate": self.approximate, "inferred": self.inferred,
                "label": self.label(lang),
                "source_label": _pick(self.source_labels, lang, self.source),
                "as_of": _span(self.start, self.end)}


def _pick(pairs: tuple[tuple[str, str], ...], lang: str, iri: str) -> str:
    table: dict[str, list[str]] = {}
    for code, text in pairs:
        table.setdefault(code, []).append(text)
    return pick_label(table, lang, iri)


def _year(value: object) -> int | None:
    text = str(value)[:4] if value is not None else ""
    return int(text) if text.isdigit() else None


def _span(start: int | None, end: int | None) -> str:
    if start is None and end is None:
        return ""
    if start is None or end is None or start == end:
        return str(end if end is not None else start)
    return f"{start}–{end}"


def source_periods(store: Store) -> dict[str, tuple[int | None, int | None, bool]]:
    """Source document → (first year, last year, approximate) of the period it covers."""
    def compute() -> dict[str, tuple[int | None, int | None, bool]]:
        out: dict[str, tuple[int | None, int | None, bool]] = {}
        for src, start, end, note in store.select(_Q_SOURCES).rows:
            old = out.get(str(src), (None, None, False))
            out[str(src)] = (old[0] or _year(start), old[1] or _year(end),
                             old[2] or note is not None)
        return out

    result: dict[str, tuple[int | None, int | None, bool]] = per_version(
        store, "source-periods", compute)
    return result


def project_statuses(store: Store) -> dict[str, list[StatusFact]]:
    """Project → every status stated about it with its source, the latest source first."""
    def compute() -> dict[str, list[StatusFact]]:
        periods = source_periods(store)
        graphs: dict[str, tuple[str, dict[str, str]]] = {}
        for g, doc, label in store.select(_Q_GRAPHS).rows:
            entry = graphs.setdefault(str(g), (str(doc), {}))
            if isinstance(label, Literal):
                entry[1].setdefault(label.language or "", str(label))
        found: dict[tuple[str, str, str], dict[str, Any]] = {}
        for p, s, g, sl in store.select(_Q_STATUSES).rows:
            graph = str(g)
            src, src_labels = graphs.get(graph, (graph, {}))
            key = (str(p), str(s), graph)
            rec = found.setdefault(key, {"labels": {}, "src": src, "src_labels": src_labels})
            if isinstance(sl, Literal):
                rec["labels"].setdefault(sl.language or "", str(sl))
        out: dict[str, list[StatusFact]] = {}
        for (project, status, graph), rec in found.items():
            inferred = graph.rstrip("/").endswith("harledda-fakta")
            start, end, approx = periods.get(rec["src"], (None, None, False))
            out.setdefault(project, []).append(StatusFact(
                status, tuple(sorted(rec["labels"].items())), rec["src"],
                tuple(sorted(rec["src_labels"].items())), start, end, approx, inferred))
        for facts in out.values():  # our own inference first, then the latest source
            facts.sort(key=lambda f: (f.inferred, f.end or 0, f.status), reverse=True)
        return out

    result: dict[str, list[StatusFact]] = per_version(store, "project-statuses", compute)
    return result


def current(facts: list[StatusFact], end: str | None, lang: str = "sv",
            today: date | None = None, ended_label: str = "avslutat") -> dict[str, Any] | None:
    """What to show as a project's status today: the latest source's word with its period
    (``as_of``), and ``derived`` (the status that follows from an end date in the past,
    with that date) when the project's end date has passed but the source says it runs.

    >>> f = StatusFact(STATUS + "pagaende", (("sv", "pågående"),), "kalla:vb", (("sv", "VB"),),
    ...                2018, 2018, False, False)
    >>> now = current([f], "2019-09-30", today=date(2026, 1, 1))
    >>> now["label"], now["as_of"], now["derived"]["label"], now["derived"]["end"]
    ('pågående', '2018', 'avslutat', '2019-09-30')
    >>> current([f], "2030", today=date(2026, 1, 1))["derived"] is None
    True
    """
    if not facts:
        return None
    best = facts[0]
    out = best.as_dict(lang)
    out["derived"] = None
    today = today or date.today()
    if best.status in RUNNING and end and _passed(end, today):
        out["derived"] = {"status": ENDED, "label": ended_label, "end": end}
    return out


def _passed(end: str, today: date) -> bool:
    """True when the end (a date, year-month or year) lies wholly before ``today``.

    >>> _passed("2019", date(2020, 1, 1)), _passed("2019-12", date(2019, 12, 5))
    (True, False)
    """
    text = end.strip()
    try:
        if len(text) == 4:
            return int(text) < today.year
        if len(text) == 7:
            return (int(text[:4]), int(text[5:7])) < (today.year, today.month)
        return date.fromisoformat(text[:10]) < today
    except ValueError:
        return False
