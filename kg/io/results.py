"""Query results: the result types every store returns, and their serialisations (SPARQL
JSON/XML, CSV, TSV, a plain Excel sheet and a text table for the shell)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal as TLiteral
from xml.sax.saxutils import escape, quoteattr

from rdflib import BNode, Graph, Literal, URIRef

from kg.io.formats import RdfFormatInfo, ResultFormatInfo
from kg.io.terms import Term, Triple
from kg.namespaces import PREFIXES

__all__ = [
    "AskResult",
    "GraphResult",
    "QueryResult",
    "SelectResult",
   "cell_text", "serialize_result", "to_csv", "to_json", "to_text_table", "to_xlsx"]

@dataclass
class SelectResult:
    """Rows of a SELECT query. ``truncated`` is true when a row cap cut the result."""

    variables: list[str]
    rows: list[tuple[Term | None, ...]]
    truncated: bool = False
    kind: TLiteral["SELECT"] = "SELECT"

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[tuple[Term | None, ...]]:
        return iter(self.rows)

    def dicts(self) -> list[dict[str, Term]]:
        """Each row as a mapping of bound variables only."""
        return [
            {v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
            for row in self.rows
        ]

    def column(self, name: str) -> list[Term | None]:
        i = self.variables.index(name)
        return [row[i] for row in self.rows]


@dataclass
class AskResult:
    """The answer of an ASK query."""

    value: bool
    kind: TLiteral["ASK"] = "ASK"
    truncated: bool = False

    def __bool__(self) -> bool:
        return self.value


@dataclass
class GraphResult:
    """Triples of a CONSTRUCT or DESCRIBE query."""

    triples: list[Triple] = field(default_factory=list)
    truncated: bool = False
    kind: TLiteral["CONSTRUCT"] = "CONSTRUCT"

    def __len__(self) -> int:
        return len(self.triples)

    def to_graph(self) -> Graph:
        g = Graph()
        for prefix, iri in PREFIXES.items():
            g.bind(prefix, iri)
        for t in self.triples:
            g.add(t)
        return g


QueryResult = SelectResult | AskResult | GraphResult


SR_NS = "http://www.w3.org/2005/sparql-results#"


def cell_text(t: Term | None) -> str:
    """The plain text of a term, as CSV shows it."""
    return "" if t is None else str(t)


def _json_term(t: Term) -> dict[str, str]:
    if isinstance(t, URIRef):
        return {"type": "uri", "value": str(t)}
    if isinstance(t, BNode):
        return {"type": "bnode", "value": str(t)}
    d = {"type": "literal", "value": str(t)}
    if isinstance(t, Literal):
        if t.language:
            d["xml:lang"] = t.language
        elif t.datatype is not None:
            d["datatype"] = str(t.datatype)
    return d


def to_json(result: QueryResult) -> bytes:
    """SPARQL 1.1 Query Results JSON."""
    if result.kind == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result)}).encode()
    res: SelectResult = result  # type: ignore[assignment]
    bindings = [
        {v: _json_term(t) for v, t in zip(res.variables, row, strict=True) if t is not None}
        for row in res.rows
    ]
    return json.dumps(
        {"head": {"vars": res.variables}, "results": {"bindings": bindings}}, ensure_ascii=False
    ).encode("utf-8")


def to_xml(result: QueryResult) -> bytes:
    """SPARQL Query Results XML."""
    out = [f'<?xml version="1.0"?>\n<sparql xmlns="{SR_NS}">']
    if result.kind == "ASK":
        out.append(f"<head/><boolean>{'true' if result else 'false'}</boolean></sparql>")
        return "".join(out).encode()
    res: SelectResult = result  # type: ignore[assignment]
    out.append("<head>" + "".join(f"<variable name={quoteattr(v)}/>" for v in res.variables))
    out.append("</head><results>")
    for row in res.rows:
        out.append("<result>")
        for v, t in zip(res.variables, row, strict=True):
            if t is None:
                continue
            if isinstance(t, URIRef):
                inner = f"<uri>{escape(str(t))}</uri>"
            elif isinstance(t, BNode):
                inner = f"<bnode>{escape(str(t))}</bnode>"
            else:
                attr = ""
                if isinstance(t, Literal) and t.language:
                    attr = f" xml:lang={quoteattr(t.language)}"
                elif isinstance(t, Literal) and t.datatype is not None:
                    attr = f" datatype={quoteattr(str(t.datatype))}"
                inner = f"<literal{attr}>{escape(str(t))}</literal>"
            out.append(f"<binding name={quoteattr(v)}>{inner}</binding>")
        out.append("</result>")
    out.append("</results></sparql>")
    return "".join(out).encode("utf-8")


def tsv_term(t: Term | None) -> str:
    r"""One TSV cell: the term in SPARQL/N-Triples syntax, with tabs and line breaks in
    literals escaped, so a cell never splits a column or a row.

    >>> tsv_term(Literal("a\tb\nc", lang="sv"))
    '"a\\tb\\nc"@sv'
    """
    if t is None:
        return ""
    if isinstance(t, Literal):
        from kg.io.sparqltext import literal_text

        return literal_text(str(t), t.language, str(t.datatype) if t.datatype is not None else None)
    if isinstance(t, URIRef):
        return "<" + "".join(c if c > " " and c not in '<>"{}|^`\\' else f"%{ord(c):02X}" for c in str(t)) + ">"
    return "_:" + "".join(c if c.isalnum() or c == "_" else "_" for c in str(t))


def to_csv(result: SelectResult, delimiter: str = ",") -> bytes:
    """CSV (or TSV) with a header row; TSV writes terms in SPARQL syntax as the spec asks."""
    buf = io.StringIO()
    if delimiter == "\t":
        buf.write("\t".join(f"?{v}" for v in result.variables) + "\n")
        for row in result.rows:
            buf.write("\t".join(tsv_term(t) for t in row) + "\n")
        return buf.getvalue().encode("utf-8")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(result.variables)
    for row in result.rows:
        w.writerow([cell_text(t) for t in row])
    return buf.getvalue().encode("utf-8")


def _excel_value(t: Term | None) -> object:
    if t is None:
        return None
    if isinstance(t, Literal):
        v = t.toPython()
        if isinstance(v, int | float) and not isinstance(v, bool):
            return v
        from decimal import Decimal

        if isinstance(v, Decimal):
            return float(v)
    text = str(t)
    # never let a cell be read as a formula
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_xlsx(result: SelectResult, title: str = "Resultat") -> bytes:
    """An Excel workbook with one sheet, a bold header and numbers as numbers."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = title[:31] or "Resultat"
    ws.append(list(result.variables))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in result.rows:
        ws.append([_excel_value(t) for t in row])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def to_text_table(result: SelectResult, max_width: int = 60) -> str:
    """A fixed-width table for the terminal."""
    cols = result.variables
    cells = [[cell_text(t)[:max_width] for t in row] for row in result.rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(cols)]
    line = "+".join("-" * (w + 2) for w in widths)

    def fmt_row(r: list[str]) -> str:
        return " | ".join(v.ljust(w) for v, w in zip(r, widths, strict=True))

    out = [fmt_row(cols), line, *(fmt_row(r) for r in cells)]
    out.append(f"({len(result.rows)} rad{'er' if len(result.rows) != 1 else ''}"
               f"{', avkortat' if result.truncated else ''})")
    return "\n".join(out)


def serialize_result(result: QueryResult, fmt: ResultFormatInfo | RdfFormatInfo) -> bytes:
    """Serialise any query result into the given format (RDF formats for graph results)."""
    if result.kind == "CONSTRUCT":
        if not isinstance(fmt, RdfFormatInfo):
            from kg.io.formats import rdf_format

            fmt = rdf_format("turtle")
        data = result.to_graph().serialize(format=fmt.rdflib)
        return data.encode("utf-8") if isinstance(data, str) else data
    name = fmt.name
    if name == "json":
        return to_json(result)
    if name == "xml":
        return to_xml(result)
    if result.kind == "ASK":
        return ("true\n" if result else "false\n").encode()
    if name == "csv":
        return to_csv(result)
    if name == "tsv":
        return to_csv(result, "\t")
    if name == "xlsx":
        return to_xlsx(result)
    return to_text_table(result).encode("utf-8")


