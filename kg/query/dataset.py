"""What a reader should know about the dataset on every page: who publishes it, under which
licence, and what the data covers (the source documents and their periods), read once per
data version.

>>> from kg.store import open_store
>>> dataset_summary(open_store("memory"), "https://data.kfvn.se/")["licence"] is None
True
"""

from __future__ import annotations

from typing import Any

from rdflib import Literal

from kg.cache import per_version
from kg.query.labels import pick_label
from kg.query.status import source_periods
from kg.store.base import Store

__all__ = ["LICENCES", "dataset_summary", "labelled"]

#: Short names of well-known licences.
LICENCES: dict[str, str] = {
    "https://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "http://creativecommons.org/licenses/by/4.0/": "CC BY 4.0",
    "https://creativecommons.org/publicdomain/zero/1.0/": "CC0 1.0",
    "https://creativecommons.org/licenses/by-sa/4.0/": "CC BY-SA 4.0",
}


def _query(ds: str) -> str:
    return f"""
SELECT ?k ?v ?l WHERE {{
  {{ <{ds}> dcterms:license ?v BIND("licence" AS ?k) }}
  UNION {{ <{ds}> dcterms:publisher ?v BIND("publisher" AS ?k)
           OPTIONAL {{ ?v rdfs:label ?l }} }}
  UNION {{ <{ds}> prov:wasDerivedFrom ?v BIND("source" AS ?k)
           FILTER NOT EXISTS {{ ?v prov:wasDerivedFrom ?other }}
           OPTIONAL {{ ?v rdfs:label ?l }} }}
}}"""


def dataset_summary(store: Store, base_iri: str) -> dict[str, Any]:
    """``licence`` ({iri, label}) or None, ``publisher`` ({iri, labels}), ``sources``
    ([{iri, labels, start, end, approximate}]), for every language (pick with
    :func:`kg.query.labels.pick_label`)."""
    def compute() -> dict[str, Any]:
        ds = base_iri + "dataset"
        out: dict[str, Any] = {"licence": None, "publisher": None, "sources": []}
        sources: dict[str, dict[str, Any]] = {}
        periods = source_periods(store)
        for k, v, label in store.select(_query(ds)).rows:
            kind, iri = str(k), str(v)
            if kind == "licence":
                out["licence"] = {"iri": iri, "label": LICENCES.get(iri, iri)}
            elif kind == "publisher":
                pub = out["publisher"] = out["publisher"] or {"iri": iri, "labels": {}}
                if isinstance(label, Literal):
                    pub["labels"].setdefault(label.language or "", []).append(str(label))
            elif kind == "source":
                start, end, approx = periods.get(iri, (None, None, False))
                src = sources.setdefault(iri, {"iri": iri, "labels": {}, "start": start,
                                               "end": end, "approximate": approx})
                if isinstance(label, Literal):
                    src["labels"].setdefault(label.language or "", []).append(str(label))
        dated = [s for s in sources.values() if s["start"] or s["end"]]
        out["sources"] = sorted(dated, key=lambda s: (s["end"] or 0, s["iri"]))
        return out

    summary: dict[str, Any] = per_version(store, "dataset-summary", compute)
    return summary


def labelled(summary: dict[str, Any], lang: str) -> dict[str, Any]:
    """The summary with one label per entry, in ``lang``."""
    pub = summary.get("publisher")
    return {
        "licence": summary.get("licence"),
        "publisher": {"iri": pub["iri"], "label": pick_label(pub["labels"], lang, pub["iri"])}
        if pub else None,
        "sources": [{**s, "label": pick_label(s["labels"], lang, s["iri"]),
                     "period": _span(s["start"], s["end"])} for s in summary.get("sources", [])],
    }


def _span(start: int | None, end: int | None) -> str:
    if start and end and start != end:
        return f"{start}–{end}"
    return str(end or start or "")
