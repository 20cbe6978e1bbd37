"""The shapes of a table: columns with their titles in Swedish and English, references to
entities, facets with counts, the filters in force, and the table itself.

A row is a plain dict from column key to value: a :class:`Ref` (an entity with its label),
a list of refs (multi-valued cells, already in Swedish order), ``str``, ``int`` (years,
counts), :class:`~decimal.Decimal` (amounts in SEK), an ISO date text or ``None``.

>>> c = Column("belopp", "Belopp (kr)", "Amount (SEK)", "amount")
>>> c.title("sv"), c.title("en")
('Belopp (kr)', 'Amount (SEK)')
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

__all__ = ["KINDS", "Column", "Facet", "FacetSpec", "FacetValue", "Filters", "Ref", "Table",
           "cell_text"]

#: Kinds of column: how a value is shown, sorted and written to Excel.
KINDS = ("entity", "entities", "text", "texts", "number", "amount", "year", "date", "bool")


@dataclass(frozen=True, order=True, slots=True)
class Ref:
    """An entity in a cell: its IRI and its label in the table's language."""

    iri: str
    label: str
    #: the label's language when it is not the table's (a name without a translation)
    lang: str = field(default="", repr=False, compare=False)

    def as_dict(self) -> dict[str, str]:
        return {"iri": self.iri, "label": self.label}


@dataclass(frozen=True)
class Column:
    """One column of a table: key (also the JSON field), titles, kind, Excel width."""

    key: str
    sv: str
    en: str
    kind: str = "text"
    width: int = 18
    hint_sv: str = ""
    hint_en: str = ""

    def title(self, lang: str = "sv") -> str:
        return self.en if lang == "en" and self.en else self.sv

    def hint(self, lang: str = "sv") -> str:
        return self.hint_en if lang == "en" and self.hint_en else self.hint_sv


@dataclass(frozen=True)
class FacetSpec:
    """A facet a table offers: URL parameter, titles, and the prefix its values are
    written with in URLs (``tema=digitalisering`` for ``tema:digitalisering``)."""

    key: str
    sv: str
    en: str
    prefix: str = ""
    #: "iri" (values are IRIs), "year" (whole years) or "choice" (fixed words).
    kind: str = "iri"
    choices: tuple[str, ...] = ()

    def title(self, lang: str = "sv") -> str:
        return self.en if lang == "en" else self.sv


@dataclass
class FacetValue:
    """One value of a facet with the number of rows it would give."""

    value: str
    label: str
    count: int
    selected: bool = False
    iri: str = ""
    lang: str = ""


@dataclass
class Facet:
    """A facet with its values (most rows first, then in Swedish order)."""

    key: str
    title: str
    values: list[FacetValue] = field(default_factory=list)

    @property
    def selected(self) -> list[FacetValue]:
        return [v for v in self.values if v.selected]


@dataclass
class Filters:
    """Filters in force: facet key → selected values (IRIs, years or words), and a period.

    Values of one facet are alternatives (OR); different facets must all hold (AND). The
    period (``fran``–``till``, whole years) keeps rows whose years overlap it; rows without
    a year are kept apart (:attr:`Table.undated`), never dropped in silence.
    """

    values: dict[str, tuple[str, ...]] = field(default_factory=dict)
    fran: int | None = None
    till: int | None = None
    text: str = ""

    def get(self, key: str) -> tuple[str, ...]:
        return self.values.get(key, ())

    @property
    def has_period(self) -> bool:
        return self.fran is not None or self.till is not None

    def without(self, key: str) -> Filters:
        """The same filters without one facet (to count that facet's alternatives)."""
        return Filters({k: v for k, v in self.values.items() if k != key}, self.fran,
                       self.till, self.text)

    def as_params(self) -> dict[str, Any]:
        """Plain parameters (for JSON and the downloads' parameter list)."""
        out: dict[str, Any] = {k: list(v) for k, v in self.values.items() if v}
        if self.fran is not None:
            out["fran"] = self.fran
        if self.till is not None:
            out["till"] = self.till
        if self.text:
            out["q"] = self.text
        return out


@dataclass
class Table:
    """A finished table: columns, rows in order, facets, and what the filters left out.

    ``rows`` holds the dated (or all) rows; with a period filter, rows without any year are
    in ``undated`` (shown after the others, under "saknar år i källan").
    """

    name: str
    title_sv: str
    title_en: str
    columns: list[Column]
    rows: list[dict[str, Any]]
    facets: list[Facet] = field(default_factory=list)
    filters: Filters = field(default_factory=Filters)
    undated: list[dict[str, Any]] = field(default_factory=list)
    sort: str = ""
    lang: str = "sv"
    notes: list[str] = field(default_factory=list)

    def title(self, lang: str | None = None) -> str:
        return self.title_en if (lang or self.lang) == "en" else self.title_sv

    @property
    def total(self) -> int:
        return len(self.rows) + len(self.undated)

    def all_rows(self) -> list[dict[str, Any]]:
        """Dated rows first, then the undated ones (each marked ``_undated``)."""
        return self.rows + self.undated

    def column(self, key: str) -> Column:
        for c in self.columns:
            if c.key == key:
                return c
        raise KeyError(key)

    def as_json(self) -> dict[str, Any]:
        """The table as plain JSON: columns with titles, rows with refs as objects."""
        return {
            "table": self.name,
            "title": self.title(),
            "columns": [{"key": c.key, "title": c.title(self.lang), "kind": c.kind}
                        for c in self.columns],
            "filters": self.filters.as_params(),
            "sort": self.sort,
            "count": self.total,
            "undated_count": len(self.undated),
            "rows": [_json_row(r, self.columns) for r in self.rows],
            "undated": [_json_row(r, self.columns) for r in self.undated],
            "facets": [{"key": f.key, "title": f.title,
                        "values": [{"value": v.value, "label": v.label, "count": v.count,
                                    "selected": v.selected} for v in f.values]}
                       for f in self.facets],
            "notes": self.notes,
        }


def _json_value(value: Any) -> Any:
    if isinstance(value, Ref):
        return value.as_dict()
    if isinstance(value, list | tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _json_row(row: Mapping[str, Any], columns: Sequence[Column]) -> dict[str, Any]:
    return {c.key: _json_value(row.get(c.key)) for c in columns}


def cell_text(value: Any, sep: str = "; ") -> str:
    """A cell as plain text (CSV): labels of refs, lists joined, amounts as whole numbers.

    >>> cell_text([Ref("x:a", "Ånge"), Ref("x:b", "Örebro")]), cell_text(Decimal("3000000"))
    ('Ånge; Örebro', '3000000')
    """
    if value is None:
        return ""
    if isinstance(value, Ref):
        return value.label
    if isinstance(value, list | tuple):
        return sep.join(cell_text(v) for v in value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, Decimal):
        return str(int(value)) if value == value.to_integral_value() else str(value)
    return str(value)
