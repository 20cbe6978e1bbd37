"""Benchmark rows, the targets of issue 5, and the tables printed (text) or written into
the README (Markdown).

>>> row = Row("search (api)", 30, 1.2, 3.4, target="search")
>>> judge(row, 1_000_000).verdict
'PASS'
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Any

__all__ = ["TARGETS", "Row", "SizeReport", "judge", "markdown", "text_table"]

#: target name -> (description, check of a row). Targets are stated for 1 M triples.
TARGETS: dict[str, str] = {
    "entity": "p95 ≤ 20 ms and ≤ 1.3× raw",
    "hub": "first page ≤ 150 ms",
    "path": "p95 ≤ 100 ms",
    "library": "p95 ≤ 1 s (default parameters)",
    "analytics-first": "≤ 15 s, in the background",
    "first": "≤ 2× a warm request",
    "wrk": "≥ 400 req/s, p99 ≤ 250 ms",
    "write": "visible ≤ 2 s",
    "search": "p95 ≤ 5 ms",
    "analytics": "cached: p95 < 50 ms",
    "sparql": "≥ 0.8× Oxigraph server q/s",
    "load": "≤ 1.2× pyoxigraph bulk_load",
    "memory": "serving ≤ 1024 MB RSS (≤ 2048 MB at 5 M)",
    "browser": "drawn ≤ 1.5 s",
}
TARGET_SIZE = 1_000_000
#: Targets that hold at every size (the others at 1 M and above).
EVERY_SIZE = {"sparql", "wrk", "first", "write"}


@dataclass
class Row:
    """One measured line: an operation, a load, the endpoint, memory or the browser."""

    name: str
    n: int = 0
    median_ms: float = math.nan
    p95_ms: float = math.nan
    raw_median_ms: float | None = None
    rdflib_median_ms: float | None = None
    ratio: float | None = None
    target: str | None = None
    verdict: str = ""
    note: str = ""
    unit: str = "ms"
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass
class SizeReport:
    """Everything measured at one size."""

    size: int
    triples: int = 0
    rows: list[Row] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> SizeReport:
        """A report read back from ``kg bench --json`` output."""
        rows = [Row(**r) for r in data.get("rows", [])]
        return cls(data["size"], data.get("triples", 0), rows, list(data.get("notes", [])))


def _check(row: Row, size: int = TARGET_SIZE) -> bool | None:
    t = row.target
    if t == "entity":
        return row.p95_ms <= 20 and (row.ratio is None or row.ratio <= 1.3)
    if t == "hub":
        return row.median_ms <= 150
    if t == "path":
        return row.p95_ms <= 100
    if t == "library":
        return row.p95_ms <= 1000
    if t == "analytics-first":
        return row.median_ms <= 15  # s
    if t == "first":
        return row.ratio is not None and row.ratio <= 2
    if t == "wrk":
        return row.median_ms >= 400 and float(row.extra.get("p99_ms", math.inf)) <= 250
    if t == "write":
        return row.p95_ms <= 2  # s
    if t == "search":
        return row.p95_ms <= 5
    if t == "analytics":
        return row.p95_ms < 50
    if t == "sparql":
        return row.ratio is not None and row.ratio >= 0.8
    if t == "load":
        return row.ratio is not None and row.ratio <= 1.2
    if t == "memory":
        return row.p95_ms <= (1024 if size <= TARGET_SIZE else 2048)  # MB: the peak
    if t == "browser":
        return row.p95_ms <= 1.5  # s
    return None


def judge(row: Row, size: int) -> Row:
    """Fill in PASS/MISS for a row with a target (targets hold at 1 M; at other sizes the
    verdict is shown in lower case, for information)."""
    ok = _check(row, size)
    if ok is None:
        return row
    verdict = "PASS" if ok else "MISS"
    counts = size >= TARGET_SIZE or row.target in EVERY_SIZE
    row.verdict = verdict if counts else verdict.lower()
    return row


def _num(v: float | None, digits: int = 1) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if abs(v) >= 1000:
        return f"{v:,.0f}".replace(",", " ")
    return f"{v:.{digits}f}"


HEAD = ("operation (ms unless stated)", "n", "median", "p95", "raw", "ratio", "rdflib", "target", "")


def _cells(row: Row) -> tuple[str, ...]:
    ratio = f"{row.ratio:.2f}×" if row.ratio is not None else "–"
    target = TARGETS.get(row.target or "", "")
    return (row.name, str(row.n or ""), _num(row.median_ms, 2), _num(row.p95_ms, 2),
            _num(row.raw_median_ms, 2), ratio, _num(row.rdflib_median_ms, 1), target,
            (row.verdict + (" " + row.note if row.note else "")).strip())


def text_table(report: SizeReport) -> str:
    """The rows of one size as an aligned text table."""
    rows = [HEAD, *(_cells(r) for r in report.rows)]
    widths = [max(len(r[i]) for r in rows) for i in range(len(HEAD))]
    lines = [f"== {report.size:,} triples wanted, {report.triples:,} generated ==".replace(",", " ")]
    for i, r in enumerate(rows):
        lines.append("  ".join(c.ljust(w) if j in (0, 7, 8) else c.rjust(w)
                               for j, (c, w) in enumerate(zip(r, widths, strict=True))).rstrip())
        if i == 0:
            lines.append("  ".join("-" * w for w in widths))
    lines += [f"  note: {n}" for n in report.notes]
    return "\n".join(lines)


def markdown(reports: list[SizeReport]) -> str:
    """One Markdown table: operations down, sizes across (median / p95 ms and ratio)."""
    sizes = [r.size for r in reports]
    names: list[str] = []
    for r in reports:
        names += [row.name for row in r.rows if row.name not in names]
    head = "| operation | " + " | ".join(_size(s) for s in sizes) + " | target |"
    lines = [head, "|" + "---|" * (len(sizes) + 2)]
    for name in names:
        cells, target = [], ""
        for r in reports:
            row = next((x for x in r.rows if x.name == name), None)
            cells.append(_md_cell(row))
            if row is not None and row.target:
                target = TARGETS[row.target]
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {target} |")
    return "\n".join(lines)


def _size(n: int) -> str:
    return f"{n // 1_000_000} M" if n >= 1_000_000 else f"{n // 1000} k"


def _md_cell(row: Row | None) -> str:
    if row is None:
        return "–"
    if row.target == "memory":
        text = f"{_num(row.median_ms, 0)} / {_num(row.p95_ms, 0)} MB"
    elif "p99_ms" in row.extra:
        text = f"{_num(row.median_ms, 0)} {row.unit}, p99 {_num(row.extra['p99_ms'], 0)} ms"
    elif row.n == 1 or math.isnan(row.p95_ms) or row.p95_ms == row.median_ms:
        text = f"{_num(row.median_ms, 2)} {row.unit}"
    elif row.unit == "ms":
        text = f"{_num(row.median_ms, 2)} / {_num(row.p95_ms, 2)}"
    elif math.isnan(row.p95_ms) or row.p95_ms == row.median_ms:
        text = f"{_num(row.median_ms, 2)} {row.unit}"
    else:
        text = f"{_num(row.median_ms, 2)} / {_num(row.p95_ms, 2)} {row.unit}"
    if row.ratio is not None:
        text += f", {row.ratio:.2f}×"
    if row.rdflib_median_ms is not None:
        text += f"; rdflib {_num(row.rdflib_median_ms, 1)}"
    if row.verdict:
        text += f" **{row.verdict}**" if row.verdict.isupper() else f" ({row.verdict})"
    return text
