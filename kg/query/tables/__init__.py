"""Tables of the graph for people: projects, fundings, organisations, people, news items and
events, each with the columns a user needs, facets with counts, a period filter that never
drops undated rows in silence, and Swedish sort order. The web pages, the downloads and the
funding-application pack are all made from these; other pages (profiles) may use them too.

The API, in short::

    from kg.query.tables import build_table, parse_filters, TABLES

    filters = parse_filters("projekt", {"deltagare": ["solleftea-kommun"], "fran": ["2015"]})
    table = build_table(store, "projekt", filters, lang="sv", sort="-start")
    table.columns          # [Column(key, sv, en, kind, width), ...] (only those that apply)
    table.rows             # [{"projekt": Ref(iri, label), "roll": [Ref...], "belopp": Decimal}]
    table.undated          # rows without any year when a period is chosen ("saknar år i källan")
    table.facets           # [Facet(key, title, values=[FacetValue(value, label, count, selected)])]
    table.as_json()        # plain JSON (refs as {"iri", "label"})

Tables (:data:`TABLES`): ``projekt`` (one row per project), ``finansiering`` (one row per
funding, plus one per EU project whose funding the sources do not state), ``organisationer``,
``personer`` (ordered by family name), ``nyheter``, ``evenemang``.

Filters are URL parameters: a facet key with one or more values (``tema=digitalisering``,
``finansiar=tillvaxtverket``, ``eu=ja``, ``kommun=solleftea-kommun``,
``deltagare=organisation:umea-universitet``; a value is the IRI's local name under the
facet's prefix, a CURIE or a full IRI), ``fran``/``till`` (years), ``q`` (words in the name).
Values of one facet are alternatives, different facets must all hold; facet counts are
taken over the rows that pass the other facets' filters.

Everything is read with a few bulk queries once per data version
(:mod:`kg.query.tables.facts`); a table is then filtered, counted and sorted in memory,
with labels from the label index. Nothing queries the store once per row.

>>> from kg.store import open_store
>>> empty = build_table(open_store("memory"), "projekt", parse_filters("projekt", {}))
>>> empty.total, [c.key for c in empty.columns][:3]
(0, ['projekt', 'status', 'period'])
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kg.cache import per_version
from kg.i18n import translate
from kg.namespaces import PREFIXES, curie
from kg.query.catalog import ParameterError, parse_iri
from kg.query.search import index_for
from kg.query.status import project_statuses
from kg.query.tables import facts, records
from kg.query.tables.engine import YEAR_FACET, Item, apply, compact, facet_counts, sort_items
from kg.query.tables.lists import (
    EVENT_COLUMNS,
    EVENT_FACETS,
    NEWS_COLUMNS,
    NEWS_FACETS,
    PEOPLE_COLUMNS,
    PEOPLE_FACETS,
    event_items,
    news_items,
    people_items,
)
from kg.query.tables.model import Column, Facet, FacetSpec, FacetValue, Filters, Ref, Table
from kg.query.tables.projects import (
    FUNDING_COLUMNS,
    FUNDING_FACETS,
    ORG_COLUMNS,
    ORG_FACETS,
    PROJECT_COLUMNS,
    PROJECT_FACETS,
    Labeller,
    funding_items,
    org_items,
    project_items,
    with_partner,
)
from kg.store.base import Store

__all__ = ["TABLES", "Column", "Facet", "FacetValue", "Filters", "Ref", "Table", "TableSpec",
           "build_table", "facet_value", "parse_filters", "rows_with"]

#: Most values a facet lists (the selected ones are always listed).
FACET_LIMIT = 30


@dataclass(frozen=True)
class TableSpec:
    """A table of the registry: its name (= URL path), titles, columns, facets, default
    order and what makes its items."""

    name: str
    sv: str
    en: str
    columns: tuple[Column, ...]
    facets: tuple[FacetSpec, ...]
    sort: str
    items: Callable[[Store, Labeller], list[Item]]
    #: columns shown only when a facet is chosen (column key → facet key)
    when: tuple[tuple[str, str], ...] = ()
    #: columns left out of the page by default (still in downloads)
    hidden: tuple[str, ...] = ()

    def title(self, lang: str = "sv") -> str:
        return self.en if lang == "en" else self.sv

    def facet(self, key: str) -> FacetSpec | None:
        return next((f for f in self.facets if f.key == key), None)


def _projects(store: Store, lab: Labeller) -> list[Item]:
    return project_items(facts.core(store), lab, statuses=project_statuses(store))


def _fundings(store: Store, lab: Labeller) -> list[Item]:
    return funding_items(facts.core(store), lab)


def _orgs(store: Store, lab: Labeller) -> list[Item]:
    return org_items(facts.core(store), lab)


def _people(store: Store, lab: Labeller) -> list[Item]:
    return people_items(records.people(store), lab)


def _news(store: Store, lab: Labeller) -> list[Item]:
    return news_items(records.news(store), lab)


def _events(store: Store, lab: Labeller) -> list[Item]:
    return event_items(records.events(store), lab, facts.core(store).org_municipality)


TABLES: dict[str, TableSpec] = {t.name: t for t in (
    TableSpec("projekt", "Projekt", "Projects", tuple(PROJECT_COLUMNS), PROJECT_FACETS,
              "projekt", _projects, when=(("roll", "deltagare"), ("partner", "deltagare")),
              hidden=("start", "slut", "kalla")),
    TableSpec("finansiering", "Finansiering", "Funding", tuple(FUNDING_COLUMNS), FUNDING_FACETS,
              "-ar", _fundings),
    TableSpec("organisationer", "Organisationer", "Organisations", tuple(ORG_COLUMNS),
              ORG_FACETS, "organisation", _orgs),
    TableSpec("personer", "Personer", "People", tuple(PEOPLE_COLUMNS), PEOPLE_FACETS, "person",
              _people, hidden=("efternamn", "fornamn")),
    TableSpec("nyheter", "Nyheter", "News", tuple(NEWS_COLUMNS), NEWS_FACETS, "nummer", _news),
    TableSpec("evenemang", "Evenemang", "Events", tuple(EVENT_COLUMNS), EVENT_FACETS, "start",
              _events, hidden=("start",)),
)}


def _spec(name: str) -> TableSpec:
    try:
        return TABLES[name]
    except KeyError:
        raise ParameterError(f"no table {name!r}; known: {', '.join(TABLES)}") from None


def facet_value(spec: FacetSpec, iri: str) -> str:
    """How an IRI is written as a facet value in URLs: its local name under the facet's
    prefix, else a CURIE, else the IRI.

    >>> from kg.query.tables.projects import FUNDER
    >>> facet_value(FUNDER, "https://data.kfvn.se/id/organisation/tillvaxtverket")
    'tillvaxtverket'
    """
    ns = PREFIXES.get(spec.prefix, "") if spec.prefix else ""
    if ns and iri.startswith(ns) and "/" not in iri[len(ns):] and ":" not in iri[len(ns):]:
        return iri[len(ns):]
    return curie(iri)


def _parse_value(spec: FacetSpec, raw: str) -> str:
    text = raw.strip()
    if spec.kind == "year":
        if not (len(text) == 4 and text.isdigit()):
            raise ParameterError.of("error.param.year", name=spec.key)
        return text
    if spec.kind == "choice":
        if text not in spec.choices:
            raise ParameterError.of("error.param.choice", name=spec.key,
                                    allowed=", ".join(spec.choices))
        return text
    if ":" not in text and spec.prefix in PREFIXES:
        text = f"{spec.prefix}:{text}"
    return str(parse_iri(text))


def _year(raw: str | None, name: str) -> int | None:
    text = (raw or "").strip()
    if not text:
        return None
    if not (len(text) == 4 and text.isdigit() and 1000 <= int(text) <= 2999):
        raise ParameterError.of("error.param.year", name=name)
    return int(text)


def parse_filters(name: str, args: Mapping[str, Sequence[str] | str]) -> Filters:
    """The filters of a table from URL-style parameters (other parameters are ignored).

    Raises:
        ParameterError: a value that is not an IRI, a year or one of the choices.
    """
    spec = _spec(name)

    def values(key: str) -> list[str]:
        raw = args.get(key, [])
        items = [raw] if isinstance(raw, str) else list(raw)
        return [v for item in items for v in item.split(",") if v.strip()]

    chosen: dict[str, tuple[str, ...]] = {}
    for facet in spec.facets:
        parsed = tuple(dict.fromkeys(_parse_value(facet, v) for v in values(facet.key)))
        if parsed:
            chosen[facet.key] = parsed
    fran = _year(next(iter(values("fran")), None), "fran")
    till = _year(next(iter(values("till")), None), "till")
    if fran is not None and till is not None and fran > till:
        fran, till = till, fran
    text = " ".join(values("q"))[:200]
    return Filters(chosen, fran, till, text)


def _items(store: Store, spec: TableSpec, lang: str) -> list[Item]:
    index = index_for(store)
    return per_version(store, f"tables:items:{spec.name}", lambda: compact(spec.items(
        store, Labeller(index, lang))), params=lang, stale=True)


def _facets(spec: TableSpec, items: list[Item], filters: Filters, lab: Labeller,
            no_year: str, store: Store | None = None) -> list[Facet]:
    if store is not None and not filters.values and not filters.text and not filters.has_period:
        # the unfiltered view (every list's landing page): counted once per data version
        counts = per_version(store, f"tables:counts:{spec.name}",
                             lambda: facet_counts(items, filters, spec.facets),
                             params=lab.lang)
    else:
        counts = facet_counts(items, filters, spec.facets)
    out: list[Facet] = []
    for fs in spec.facets:
        chosen = set(filters.get(fs.key))
        values: list[FacetValue] = []
        for value, n in counts[fs.key].items():
            if fs.kind == "iri":
                ref = lab.ref(value)
                values.append(FacetValue(facet_value(fs, value), ref.label, n,
                                         value in chosen, value, ref.lang))
            elif fs.kind == "year":
                values.append(FacetValue(value, value or no_year, n, value in chosen))
            else:
                values.append(FacetValue(value, value, n, value in chosen))
        for value in chosen - set(counts[fs.key]):
            label = lab.ref(value).label if fs.kind == "iri" else value
            shown = facet_value(fs, value) if fs.kind == "iri" else value
            values.append(FacetValue(shown, label, 0, True, value if fs.kind == "iri" else ""))
        if fs.kind == "year":
            values.sort(key=lambda v: (v.value == "", v.value), reverse=False)
            values.sort(key=lambda v: v.value, reverse=True)
        else:
            from kg.query.collation import sort_key

            values.sort(key=lambda v: (-v.count, sort_key(v.label)))
        top = values[:FACET_LIMIT] + [v for v in values[FACET_LIMIT:] if v.selected]
        out.append(Facet(fs.key, fs.title(lab.lang), top))
    return out


def build_table(store: Store, name: str, filters: Filters | None = None, *, lang: str = "sv",
                sort: str = "") -> Table:
    """The table ``name`` with ``filters``, sorted by ``sort`` (a column key; ``-key`` for
    descending; default the table's own order).

    Raises:
        ParameterError: unknown table or sort column.
    """
    spec = _spec(name)
    filters = filters or Filters()
    items = _items(store, spec, lang)
    kept, undated = apply(items, filters)
    lab = Labeller(index_for(store), lang)
    columns = [c for c in spec.columns
               if all(c.key != col or filters.get(facet) for col, facet in spec.when)]
    sort = sort or spec.sort
    key = sort.lstrip("-")
    column = next((c for c in spec.columns if c.key == key), None)
    if column is None:
        raise ParameterError.of("error.param.choice", name="ordning",
                                allowed=", ".join(c.key for c in columns))
    if spec.name == "projekt" and filters.get("deltagare"):
        chosen = set(filters.get("deltagare"))
        for group in (kept, undated):
            group[:] = [Item(with_partner(i.row, chosen, lab), i.facets, i.years, i.text,
                             i.keys) for i in group]
    kept = sort_items(kept, column, sort.startswith("-"))
    undated = sort_items(undated, column, sort.startswith("-"))
    no_year = translate("tables.no_year", lang)
    table = Table(spec.name, spec.sv, spec.en, columns, [i.row for i in kept],
                  _facets(spec, items, filters, lab, no_year, store), filters,
                  [dict(i.row, _undated=True) for i in undated], sort, lang)
    return table


#: Per-version lookups of rows by a facet value (see :func:`rows_with`), each kept with the
#: very list of items it was made from: a new version's items make a new index.
_BY_VALUE: dict[tuple[str, str, str, str], tuple[list[Item], dict[str, list[Item]]]] = {}
_BY_LOCK = threading.Lock()


#: Facets of a table indexed together by :func:`rows_with` (what profiles look up).
_INDEXED_TOGETHER: dict[str, tuple[str, ...]] = {"projekt": ("@", "deltagare")}


def rows_with(store: Store, name: str, facet: str, value: str, *, lang: str = "sv",
              ) -> list[dict[str, Any]]:
    """The rows of table ``name`` whose ``facet`` (a facet key, or ``"@"`` for the IRI of
    the row's first column) has ``value`` (a full IRI or the facet's value), dated and
    undated alike, in the table's item order; no facets counted, nothing sorted.

    What a profile needs of one organisation or project: read from an index made once per
    data version, not by scanning every row (at 1 M triples ``build_table`` with a filter
    counts the facets of 11,000 projects on every page). Rows of ``projekt`` by
    ``deltagare`` are seen from that organisation (its roles, the other partners), as
    :func:`build_table` shows them.
    """
    spec = _spec(name)
    items = _items(store, spec, lang)
    key = (store.lineage, name, facet, lang)
    with _BY_LOCK:
        found = _BY_VALUE.get(key)
    if found is None or found[0] is not items:
        # the facets profiles look up are indexed together: the first project page of a
        # data version makes the index the first organisation page needs
        facets = {facet, *_INDEXED_TOGETHER.get(name, ())}
        indexes: dict[str, dict[str, list[Item]]] = {f: {} for f in facets}
        first = spec.columns[0].key
        for item in items:
            for f, index in indexes.items():
                if f == "@":
                    cell = item.row.get(first)
                    values: Iterable[str] = (cell.iri,) if isinstance(cell, Ref) else ()
                else:
                    values = item.facets.get(f, ())
                for v in values:
                    index.setdefault(v, []).append(item)
        with _BY_LOCK:
            for f, index in indexes.items():
                _BY_VALUE[(store.lineage, name, f, lang)] = (items, index)
        found = (items, indexes[facet])
    rows = [i.row for i in found[1].get(value, [])]
    if name == "projekt" and facet == "deltagare":
        lab = Labeller(index_for(store), lang)
        rows = [with_partner(r, {value}, lab) for r in rows]
    return rows


def row_iri(row: Mapping[str, Any], table: Table) -> str:
    """The IRI of the entity a row is about (its first column)."""
    first = row.get(table.columns[0].key)
    return first.iri if isinstance(first, Ref) else ""


_ = YEAR_FACET
