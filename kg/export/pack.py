"""The funding-application pack and the project fact sheet as files: Word (python-docx) and
Excel (one sheet per table, made by :mod:`kg.export.tables`).

Every table keeps its source column; the document ends with the source, licence, data
version, date and what was chosen.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from kg.export.tables import Download, about_sheet, write_sheet
from kg.i18n.formats import amount, date_text, number
from kg.query.tables.model import Column, Ref, Table, cell_text
from kg.query.tables.pack import OrganisationPack, ProjectSheet

__all__ = ["pack_docx", "pack_xlsx"]

_TITLES = {
    "sv": {"org": "Ansökningsunderlag", "project": "Faktablad", "none": "Inga uppgifter.",
           "facts": "Uppgifter", "description": "Beskrivning"},
    "en": {"org": "Application pack", "project": "Fact sheet", "none": "Nothing stated.",
           "facts": "Facts", "description": "Description"},
}


def _text(value: Any, column: Column, lang: str) -> str:
    if value is None or value == []:
        return ""
    if column.kind == "amount" and isinstance(value, Decimal | int):
        return amount(value, lang=lang)
    if column.kind == "date" and isinstance(value, str):
        return date_text(value, lang)
    if column.kind == "number" and isinstance(value, int | float | Decimal):
        return number(value, lang)
    return cell_text(value)


def _doc_table(doc: Any, table: Table, lang: str) -> None:
    from docx.shared import Pt

    words = _TITLES.get(lang, _TITLES["sv"])
    doc.add_heading(table.title(lang), level=2)
    rows = table.all_rows()
    if not rows:
        doc.add_paragraph(words["none"])
        return
    columns = [c for c in table.columns if c.key not in ("start", "slut")]
    grid = doc.add_table(rows=1, cols=len(columns))
    grid.style = "Light Grid Accent 1"
    for cell, column in zip(grid.rows[0].cells, columns, strict=True):
        cell.text = column.title(lang)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = grid.add_row().cells
        for cell, column in zip(cells, columns, strict=True):
            cell.text = _text(row.get(column.key), column, lang)
    for r in grid.rows:
        for cell in r.cells:
            for p in cell.paragraphs:
                for run in p.runs:
                    run.font.size = Pt(8)


def _document(title: str, sub: str, info: Download, lang: str) -> Any:
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.shared import Cm

    doc = Document()
    section = doc.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = section.page_height, section.page_width
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(1.5))
    doc.core_properties.title = title
    doc.core_properties.author = "Samverkansgrafen"
    doc.add_heading(title, level=0)
    doc.add_paragraph(sub)
    _ = lang
    return doc


def _finish(doc: Any, info: Download) -> bytes:
    doc.add_heading(info.words()["about"], level=2)
    for label, text in info.lines():
        p = doc.add_paragraph()
        p.add_run(f"{label}: ").bold = True
        p.add_run(text)
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()


def pack_docx(pack: OrganisationPack | ProjectSheet, info: Download) -> bytes:
    """The pack or fact sheet as a Word document (landscape A4, one table per section)."""
    lang = pack.lang
    words = _TITLES.get(lang, _TITLES["sv"])
    if isinstance(pack, OrganisationPack):
        doc = _document(f"{words['org']}: {pack.org.label}", info.url, info, lang)
    else:
        doc = _document(f"{words['project']}: {pack.project.label}", info.url, info, lang)
        doc.add_heading(words["facts"], level=2)
        for label, value in pack.facts:
            p = doc.add_paragraph()
            p.add_run(f"{label}: ").bold = True
            p.add_run(cell_text(value) if not isinstance(value, str) else value)
        if pack.description:
            doc.add_heading(words["description"], level=2)
            doc.add_paragraph(pack.description)
    for table in pack.tables():
        _doc_table(doc, table, lang)
    return _finish(doc, info)


def pack_xlsx(pack: OrganisationPack | ProjectSheet, info: Download,
              entity_url: Any = None) -> bytes:
    """The pack or fact sheet as an Excel workbook: one sheet per table, then the source."""
    from openpyxl import Workbook

    wb = Workbook()
    first = True
    tables: Sequence[Table] = pack.tables()
    if isinstance(pack, ProjectSheet):
        facts = Table("fakta", "Faktablad", "Fact sheet",
                      [Column("uppgift", "Uppgift", "Fact", "text", 20),
                       Column("varde", "Värde", "Value", "text", 90)],
                      [{"uppgift": k, "varde": cell_text(v) if not isinstance(v, str) else v}
                       for k, v in pack.facts] + ([{"uppgift": "Beskrivning", "varde":
                                                    pack.description}]
                                                  if pack.description else []),
                      lang=pack.lang)
        tables = [facts, *tables]
    for table in tables:
        ws = wb.active if first else wb.create_sheet()
        first = False
        write_sheet(ws, table, info, entity_url, footer=True)
    subject = pack.org if isinstance(pack, OrganisationPack) else pack.project
    about_sheet(wb, info, [(info.words()["rows"], "; ".join(
        f"{t.title(pack.lang)}: {t.total}" for t in tables)), ("IRI", subject.iri)])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


_ = Ref
