"""Readable text for a terminal: the document, its mentions and its proposals as tables."""

from __future__ import annotations

import textwrap

from kg.ingest.model import KIND_LABELS, IngestResult
from kg.namespaces import curie

__all__ = ["render_table"]


def _cut(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def _table(headers: list[str], rows: list[list[str]], widths: list[int]) -> list[str]:
    def line(cells: list[str]) -> str:
        return "  ".join(_cut(c, w).ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(headers), "  ".join("─" * w for w in widths)]
    out += [line(r) for r in rows]
    return out


def render_table(result: IngestResult, *, width: int = 120) -> str:
    """The whole result as plain text: header, linked entities, new entities and facts."""
    out = [f"Dokument: {result.title}"]
    if result.filename:
        out.append(f"Fil: {result.filename} ({result.media_type})")
    out.append(f"Datum: {result.date or 'hittades inte'}   Tecken: {len(result.text)}   "
               f"Tid: {result.seconds:.2f} s")
    out.append("Ingenting är publicerat: förslagen granskas på webbplatsen (Redigera → Läs in dokument).")
    out.append("")
    known = [m for m in result.mentions if m.new is None and m.kind != "tema"]
    out.append(f"Omnämnda entiteter i grafen ({len(known)})")
    rows = []
    for m in known:
        cands = m.candidates if m.group else m.candidates[:3]
        if m.certain:
            target = ", ".join(f"{c.label} <{curie(c.iri)}>" for c in cands) if m.group else \
                f"{cands[0].label} <{curie(cands[0].iri)}>"
            sure = "säker"
        else:
            target = " | ".join(f"{c.label} <{curie(c.iri)}> {c.score:.2f}" for c in cands)
            sure = "osäker"
        rows.append([m.text, m.kind, target, sure, m.method])
    out += _table(["text", "slag", "entitet (kandidater)", "säkerhet", "hur"], rows, [28, 12, 52, 8, 30])
    out.append("")
    out.append(f"Förslag ({len(result.proposals)})")
    rows = []
    for p in result.proposals:
        flag = " (finns redan)" if p.known else ""
        rows.append([p.id, KIND_LABELS.get(p.kind, p.kind), p.summary + flag, f"{p.confidence:.2f}", p.method])
    out += _table(["id", "slag", "förslag", "säkerhet", "hur"], rows, [4, 14, 66, 8, 26])
    out.append("")
    out.append("Meningar och IRI:er")
    for p in result.proposals:
        out.append(f"{p.id}  <{curie(p.subject)}>  tecken {p.start}–{p.end}")
        out += textwrap.wrap(f"”{p.sentence}”", width=width, initial_indent="    ", subsequent_indent="    ")
        if p.note:
            out.append(f"    OBS: {p.note}")
    return "\n".join(out)
