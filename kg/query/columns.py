"""Column titles of library queries: the ``#+ column:`` header lines, and the query's order.

A saved query names its result columns for people, in Swedish and English, so that pages,
tooltips and downloads never show SPARQL variable names::

    #+ column: projekt | Projekt | Project | label=projektnamn
    #+ column: belopp | Belopp (kr) | Amount (SEK) | kind=amount
    #+ column: partner | Övriga deltagare | Other participants | kind=list

``VAR | Swedish title | English title`` and then options:

- ``kind=``: how values are shown, sorted and written to Excel: ``entity`` (an IRI, shown by
  its name and linked to its page), ``list`` (names joined with ``"; "`` by ``GROUP_CONCAT``:
  split, sorted in Swedish order, each name linked to its page when exactly one entity has
  it), ``text``, ``number``, ``amount`` (kronor), ``year`` or ``date``. Without ``kind`` it
  is taken from the values (IRI, number, date, year, text).
- ``label=VAR2``: the name of this column's entity is in ``?VAR2`` (which is then not shown
  on its own).
- ``hint_sv=``, ``hint_en=``: a short explanation, the column title's tooltip.
- ``width=N``: the Excel column width in characters.

>>> c = parse_column("belopp | Belopp (kr) | Amount (SEK) | kind=amount | hint_sv=Beviljat")
>>> c.title("sv"), c.title("en"), c.kind, c.hint("en")
('Belopp (kr)', 'Amount (SEK)', 'amount', 'Beviljat')
>>> order_by("SELECT ?a ?b WHERE { ?a ?p ?b } ORDER BY DESC(?b) ?a")
[('b', True), ('a', False)]
>>> order_by("SELECT ?a WHERE { ?a ?p ?b } ORDER BY STR(?a)") is None
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import LoadError
from kg.io.sparqltext import mask_sparql

__all__ = ["COLUMN_KINDS", "ColumnSpec", "order_by", "parse_column"]

#: Kinds a ``#+ column:`` line may declare.
COLUMN_KINDS = ("entity", "list", "text", "number", "amount", "year", "date")
_OPTIONS = ("kind", "label", "hint_sv", "hint_en", "width")


@dataclass(frozen=True)
class ColumnSpec:
    """A result column of a saved query as people see it."""

    name: str
    sv: str
    en: str = ""
    kind: str = ""
    label: str = ""
    hint_sv: str = ""
    hint_en: str = ""
    width: int = 0

    def title(self, lang: str = "sv") -> str:
        return self.en if lang == "en" and self.en else self.sv

    def hint(self, lang: str = "sv") -> str:
        return (self.hint_en or self.hint_sv) if lang == "en" else (self.hint_sv or self.hint_en)


def parse_column(spec: str, path: Path | None = None, line: int | None = None) -> ColumnSpec:
    """One ``#+ column:`` line (see the module).

    Raises:
        LoadError: not ``VAR | sv | en``, an unknown option or kind.
    """
    where = path or Path("<query>")
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) < 3 or not re.fullmatch(r"\w+", parts[0]) or not parts[1] or not parts[2]:
        raise LoadError(where, f"column must be 'VAR | Swedish title | English title | "
                               f"options': {spec!r}", line)
    kw: dict[str, str] = {}
    for opt in parts[3:]:
        key, eq, value = opt.partition("=")
        key, value = key.strip(), value.strip()
        if key not in _OPTIONS or not eq or not value:
            raise LoadError(where, f"unknown column option {opt!r}; known: "
                                   f"{', '.join(o + '=' for o in _OPTIONS)}", line)
        kw[key] = value
    kind = kw.get("kind", "")
    if kind and kind not in COLUMN_KINDS:
        raise LoadError(where, f"unknown column kind {kind!r}; known: "
                               f"{', '.join(COLUMN_KINDS)}", line)
    label = kw.get("label", "")
    if label and not re.fullmatch(r"\w+", label):
        raise LoadError(where, f"label= must name a variable: {label!r}", line)
    width = kw.get("width", "0")
    if not width.isdigit():
        raise LoadError(where, f"width= must be a whole number: {width!r}", line)
    return ColumnSpec(parts[0], parts[1], parts[2], kind, label, kw.get("hint_sv", ""),
                      kw.get("hint_en", ""), int(width))


_TERM = re.compile(r"\s*(?:(ASC|DESC)\s*\(\s*[?$](\w+)\s*\)|[?$](\w+))", re.IGNORECASE)


def order_by(text: str) -> list[tuple[str, bool]] | None:
    """The outer ``ORDER BY`` as (variable, descending) pairs; ``None`` when there is none
    or it orders by an expression (then the engine's order is kept as it is)."""
    masked = mask_sparql(text)
    found = list(re.finditer(r"\bORDER\s+BY\b", masked, re.IGNORECASE))
    if not found:
        return None
    tail = masked[found[-1].end():]
    tail = re.split(r"\b(?:LIMIT|OFFSET|VALUES)\b", tail, flags=re.IGNORECASE)[0]
    tail = re.sub(r"(?<![\w?$])_+", " ", tail)  # masked comments
    if tail.count("}") or tail.count("{"):
        return None  # the last ORDER BY was inside a subquery
    terms: list[tuple[str, bool]] = []
    pos = 0
    while pos < len(tail.rstrip()):
        m = _TERM.match(tail, pos)
        if not m:
            return None
        if m.group(2):
            terms.append((m.group(2), m.group(1).upper() == "DESC"))
        else:
            terms.append((m.group(3), False))
        pos = m.end()
    return terms or None
