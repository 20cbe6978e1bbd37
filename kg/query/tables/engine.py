"""Filtering, faceting and sorting a table's items, the same way for every table.

An :class:`Item` is one row with, beside its cells, the values it has for each facet and
the years it covers. Filters of different facets must all hold; values of one facet are
alternatives. Facet counts are *disjunctive*: a facet's counts are taken over the rows that
pass every other filter, so the alternatives stay visible with their numbers. A period (the
``fran``/``till`` years or the ``ar`` facet) never drops a row without a year: such rows
are returned apart, as the undated group.

>>> from kg.query.tables.model import FacetSpec, Filters
>>> items = [Item({"n": "a"}, {"typ": {"x"}}, {2018}), Item({"n": "b"}, {"typ": {"y"}}, set()),
...          Item({"n": "c"}, {"typ": {"x"}}, {2022})]
>>> kept, undated = apply(items, Filters({"typ": ("x", "y")}, fran=2015, till=2020))
>>> [i.row["n"] for i in kept], [i.row["n"] for i in undated]
(['a'], ['b'])
>>> counts = facet_counts(items, Filters({"typ": ("x",)}), [FacetSpec("typ", "Typ", "Type")])
>>> sorted(counts["typ"].items())
[('x', 2), ('y', 1)]
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kg.query.collation import sort_key
from kg.query.search import fold
from kg.query.tables.model import Column, FacetSpec, Filters, Ref

__all__ = ["YEAR_FACET", "Item", "apply", "compact", "facet_counts", "sort_items"]

#: The facet key of years (a period filter of its own).
YEAR_FACET = "ar"


@dataclass(slots=True)
class Item:
    """One row of a table, with its facet values, years and searchable text."""

    row: dict[str, Any]
    facets: Mapping[str, AbstractSet[str]] = field(default_factory=dict)
    years: AbstractSet[int] = field(default_factory=set)
    text: str = ""
    keys: dict[str, Any] = field(default_factory=dict)


def compact(items: list[Item]) -> list[Item]:
    """The same items, their facet values and years made frozensets shared between items
    with equal ones (the fundings of one project, every project in the same municipalities):
    a table's items are kept per data version, and at 1 M triples half their memory was
    small sets, most of them equal to others.

    >>> a, b = compact([Item({}, {"typ": {"x"}}, {2018}), Item({}, {"typ": {"x"}}, {2018})])
    >>> a.facets["typ"] is b.facets["typ"], a.years is b.years
    (True, True)
    """
    memo: dict[frozenset[Any], frozenset[Any]] = {}

    def shared(values: AbstractSet[Any]) -> frozenset[Any]:
        key = frozenset(values)
        return memo.setdefault(key, key)

    for item in items:
        item.facets = {key: shared(values) for key, values in item.facets.items()}
        item.years = shared(item.years)
    return items


def _in_period(item: Item, filters: Filters) -> bool | None:
    """True/False for a dated item, ``None`` when it has no year and a period applies."""
    return _period_test(filters)(item)


def _period_test(filters: Filters) -> Callable[[Item], bool | None]:
    """:func:`_in_period` for one set of filters, with its parts worked out once."""
    chosen = {int(y) for y in filters.get(YEAR_FACET) if y.isdigit()}
    if not filters.has_period and not chosen:
        return lambda _item: True
    lo = filters.fran if filters.fran is not None else -10_000
    hi = filters.till if filters.till is not None else 10_000

    def test(item: Item) -> bool | None:
        if not item.years:
            return None
        if chosen and not item.years & chosen:
            return False
        return any(lo <= y <= hi for y in item.years)

    return test


def _passes(item: Item, filters: Filters, skip: str = "") -> bool:
    return _pass_test(filters, skip)(item)


def _pass_test(filters: Filters, skip: str = "") -> Callable[[Item], bool]:
    """:func:`_passes` for one set of filters, with its parts worked out once."""
    wanted = [(key, set(values)) for key, values in filters.values.items()
              if key not in (skip, YEAR_FACET) and values]
    words = fold(filters.text).split() if filters.text else []
    if not wanted and not words:
        return lambda _item: True

    def test(item: Item) -> bool:
        for key, values in wanted:
            if not item.facets.get(key, frozenset()) & values:
                return False
        return all(w in item.text for w in words)

    return test


def apply(items: Iterable[Item], filters: Filters) -> tuple[list[Item], list[Item]]:
    """(rows that pass, rows without a year that pass everything but the period)."""
    kept: list[Item] = []
    undated: list[Item] = []
    passes, period = _pass_test(filters), _period_test(filters)
    for item in items:
        if not passes(item):
            continue
        when = period(item)
        if when is None:
            undated.append(item)
        elif when:
            kept.append(item)
    return kept, undated


def facet_counts(items: Sequence[Item], filters: Filters,
                 specs: Sequence[FacetSpec]) -> dict[str, Counter[str]]:
    """Facet key → value → rows it would give (disjunctive; undated rows count as
    "no year", under the value ``""`` of the year facet)."""
    out: dict[str, Counter[str]] = {}
    for spec in specs:
        counter: Counter[str] = Counter()
        rest = filters.without(spec.key)
        passes = _pass_test(rest)
        if spec.key == YEAR_FACET:
            period = _period_test(Filters(fran=rest.fran, till=rest.till))
            for item in items:
                if passes(item) and period(item) is not False:
                    if item.years:
                        counter.update(str(y) for y in item.years)
                    else:
                        counter[""] += 1
        else:
            period = _period_test(rest)
            key = spec.key
            for item in items:
                if passes(item) and period(item) is not False:
                    values = item.facets.get(key)
                    if values:
                        counter.update(values)
        out[spec.key] = counter
    return out


def _key(value: Any, kind: str) -> tuple[int, Any]:
    """A sort key: empty cells last, numbers by value, text in Swedish order."""
    if value is None or value == "" or value == []:
        return (1, b"")
    if isinstance(value, list | tuple):
        return _key(value[0], kind) if value else (1, b"")
    if isinstance(value, Ref):
        return (0, sort_key(value.label))
    if isinstance(value, bool):
        return (0, not value)
    if isinstance(value, int | float | Decimal):
        return (0, value)
    return (0, sort_key(str(value)))


def sort_items(items: list[Item], column: Column, descending: bool = False,
               key: Callable[[Item], Any] | None = None) -> list[Item]:
    """Items ordered by a column (ties keep their order); empty cells always last."""
    def k(item: Item) -> tuple[int, Any]:
        cached: tuple[int, Any] | None = item.keys.get(column.key)
        if cached is None:
            cached = item.keys[column.key] = key(item) if key else _key(
                item.row.get(column.key), column.kind)
        return cached

    filled = [i for i in items if k(i)[0] == 0]
    empty = [i for i in items if k(i)[0] != 0]
    filled.sort(key=lambda i: k(i)[1], reverse=descending)
    return filled + empty
