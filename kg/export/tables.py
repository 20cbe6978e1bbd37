"""Tables as files a grant writer can paste: Excel and CSV of any :class:`~kg.query.tables.Table`.

Excel (openpyxl): column titles in the table's language, names instead of IRIs (the name is a
link to the entity's page, and the IRI is the last column), numbers and years as numbers,
dates as dates, amounts formatted as kronor, column widths, a frozen header row, an
autofilter, rows without a year last with a note, a line under the table and a second sheet
with the source, licence, data version, date and the filters. CSV: UTF-8 with a BOM (so
Excel reads å, ä, ö), ``,`` or ``;`` (Swedish Excel) as separator.

Plain SPARQL result serialisations (the protocol's CSV, TSV, a bare Excel sheet) are in
:mod:`kg.io.results`; this module is presentation.

>>> from kg.query.tables.model import Column, Ref, Table
>>> t = Table("t", "Test", "Test", [Column("n", "Namn", "Name", "entity")],
...           [{"n": Ref("https://data.kfvn.se/id/x", "Åsele")}])
>>> to_csv(t, Download("Test", "https://x/t"), sep=";").decode("utf-8-sig").splitlines()
['Namn;IRI', 'Åsele;https://data.kfvn.se/id/x']
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from kg.query.tables.model import Column, Ref, Table, cell_text

__all__ = ["LICENCE", "LICENCE_URL", "Download", "about_sheet", "file_name", "to_csv", "to_xlsx",
           "write_sheet"]

LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
_WORDS = {
    "sv": {"source": "Källa", "licence": "Licens", "version": "Dataversion", "date": "Hämtad",
           "filters": "Urval", "none": "alla rader", "rows": "Rader", "iri": "IRI",
           "note": "Anmärkning", "undated": "saknar år i källan", "about": "Om tabellen",
           "publisher": "Samverkansgrafen, Kommunförbundet Västernorrland",
           "link": "Länk till tabellen"},
    "en": {"source": "Source", "licence": "Licence", "version": "Data version",
           "date": "Retrieved", "filters": "Selection", "none": "all rows", "rows": "Rows",
           "iri": "IRI", "note": "Note", "undated": "no year in the source",
           "about": "About the table",
           "publisher": "Samverkansgrafen, Kommunförbundet Västernorrland",
           "link": "Link to the table"},
}


@dataclass
class Download:
    """What a download says about itself: title, the page it came from, data version,
    date and the filters in words ((label, value) pairs)."""

    title: str
    url: str
    version: str = ""
    date: dt.date = field(default_factory=dt.date.today)
    params: Sequence[tuple[str, str]] = ()
    lang: str = "sv"

    def words(self) -> dict[str, str]:
        return _WORDS.get(self.lang, _WORDS["sv"])

    def lines(self) -> list[tuple[str, str]]:
        """(label, text) lines of the source note."""
        w = self.words()
        chosen = "; ".join(f"{k}: {v}" for k, v in self.params) or w["none"]
        return [(w["source"], f"{w['publisher']} – {self.title}"),
                (w["link"], self.url), (w["licence"], f"{LICENCE} ({LICENCE_URL})"),
                (w["version"], self.version), (w["date"], self.date.isoformat()),
                (w["filters"], chosen)]

    def footer(self) -> str:
        """One line for under the table."""
        return " · ".join(f"{k}: {v}" for k, v in self.lines() if v)


def file_name(name: str, params: Sequence[tuple[str, str]], ext: str) -> str:
    """A file name carrying the filters, ASCII only.

    >>> file_name("finansiering", [("EU-finansierat", "ja"), ("Period", "2015–2024")], "xlsx")
    'finansiering_eu-finansierat-ja_period-2015-2024.xlsx'
    """
    parts = [name] + [f"{k}-{v}" for k, v in params]
    slugs = [_slug(p) for p in parts]
    stem = "_".join(s for s in slugs if s)[:120].rstrip("-_")
    return f"{stem or 'tabell'}.{ext}"


def _slug(text: str) -> str:
    flat = "".join(c for c in unicodedata.normalize("NFKD", text.lower())
                   if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", flat).strip("-")


def _columns(table: Table) -> list[Column]:
    return list(table.columns)


def _with_note(table: Table) -> bool:
    return (bool(table.undated) and table.filters.has_period) or bool(
        table.undated and table.filters.get("ar"))


def _main_iri(row: dict[str, Any], columns: Sequence[Column]) -> str:
    first = row.get(columns[0].key) if columns else None
    return first.iri if isinstance(first, Ref) else ""


def to_csv(table: Table, info: Download, sep: str = ",") -> bytes:
    """CSV with a header of column titles, UTF-8 with a BOM; the IRI is the last column and
    rows without a year (under a period filter) come last with a note."""
    w = info.words()
    columns = _columns(table)
    note = _with_note(table)
    buf = io.StringIO()
    out = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    out.writerow([c.title(info.lang) for c in columns] + ([w["note"]] if note else [])
                 + [w["iri"]])
    for row in table.all_rows():
        cells = [cell_text(row.get(c.key)) for c in columns]
        if note:
            cells.append(w["undated"] if row.get("_undated") else "")
        out.writerow([*cells, _main_iri(row, columns)])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _date(value: str) -> dt.date | int | str:
    """An xsd:date as a date, a year as a number, a year-month as it is."""
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return value
    if re.fullmatch(r"\d{4}", value):
        return int(value)
    return value


def _excel_value(value: Any, column: Column) -> Any:
    if value is None or value == []:
        return None
    if column.kind == "date" and isinstance(value, str):
        return _date(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    if isinstance(value, bool):
        return cell_text(value)
    if isinstance(value, int | float):
        return value
    text = cell_text(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


_FORMATS = {"amount": '#,##0 "kr"', "year": "0", "number": "#,##0"}


def to_xlsx(table: Table, info: Download, entity_url: Any = None) -> bytes:
    """An Excel workbook: the table on the first sheet (frozen header, autofilter, widths,
    typed cells, names linked to their pages) and the source on a second sheet.

    Args:
        entity_url: turns an IRI into the URL a name links to (default: the IRI).
    """
    from openpyxl import Workbook

    wb = Workbook()
    write_sheet(wb.active, table, info, entity_url)
    about_sheet(wb, info, [(info.words()["rows"], str(table.total))])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def about_sheet(wb: Any, info: Download, extra: Sequence[tuple[str, str]] = ()) -> None:
    """A sheet "Om tabellen" with the source, licence, data version, date and filters."""
    from openpyxl.styles import Font

    about = wb.create_sheet(_sheet_title(info.words()["about"]))
    about.column_dimensions["A"].width = 18
    about.column_dimensions["B"].width = 100
    for label, text in [*info.lines(), *extra]:
        about.append([label, text])
        about.cell(row=about.max_row, column=1).font = Font(bold=True)


def write_sheet(ws: Any, table: Table, info: Download, entity_url: Any = None,
                footer: bool = True) -> None:
    """Write a table into an openpyxl worksheet (see :func:`to_xlsx`)."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    w = info.words()
    columns = _columns(table)
    note = _with_note(table)
    titles = [c.title(info.lang) for c in columns] + ([w["note"]] if note else []) + [w["iri"]]
    ws.title = _sheet_title(table.title(info.lang))
    ws.append(titles)
    head_font = Font(bold=True, color="FFFFFF")
    head_fill = PatternFill("solid", fgColor="0B4F6C")
    for cell in ws[1]:
        cell.font = head_font
        cell.fill = head_fill
        cell.alignment = Alignment(vertical="top", wrap_text=True)
    link_font = Font(color="0B4F6C", underline="single")
    for r, row in enumerate(table.all_rows(), start=2):
        for c, column in enumerate(columns, start=1):
            value = row.get(column.key)
            cell = ws.cell(row=r, column=c, value=_excel_value(value, column))
            fmt = _FORMATS.get(column.kind)
            if isinstance(cell.value, dt.date):
                cell.number_format = "yyyy-mm-dd"
            elif fmt and isinstance(cell.value, int | float):
                cell.number_format = fmt
            if isinstance(value, Ref) and value.iri.startswith(("http://", "https://")):
                cell.hyperlink = entity_url(value.iri) if entity_url else value.iri
                cell.font = link_font
        extra = len(columns) + 1
        if note:
            ws.cell(row=r, column=extra, value=w["undated"] if row.get("_undated") else None)
            extra += 1
        ws.cell(row=r, column=extra, value=_main_iri(row, columns) or None)
    last_row = max(1, table.total + 1)
    last_col = get_column_letter(len(titles))
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{last_col}{last_row}"
    for i, column in enumerate(columns, start=1):
        ws.column_dimensions[get_column_letter(i)].width = max(column.width,
                                                               len(titles[i - 1]) + 3)
    if note:
        ws.column_dimensions[get_column_letter(len(columns) + 1)].width = 22
    ws.column_dimensions[last_col].width = 50
    if footer:
        ws.cell(row=last_row + 2, column=1, value=info.footer()).font = Font(italic=True)


def _sheet_title(text: str) -> str:
    """A sheet name Excel accepts: none of ``[]:*?/\\``, at most 31 characters (Excel's
    limit), a longer title shortened between words with an ellipsis, not inside a word.

    >>> _sheet_title("Projekt: Sollefteå kommun")
    'Projekt  Sollefteå kommun'
    >>> _sheet_title("Projekt där Kommunförbundet Västernorrland deltagit")
    'Projekt där Kommunförbundet…'
    """
    clean = re.sub(r"[\[\]:*?/\\]", " ", text).strip()
    if len(clean) > 31:
        cut = clean[:30]
        clean = (cut.rsplit(" ", 1)[0] if " " in cut[10:] else cut).rstrip(" ,;-") + "\u2026"
    return clean or "Tabell"
