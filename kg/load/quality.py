"""The data-quality report ``kg check``: SHACL plus the SPARQL rules of :mod:`kg.load.quality_rules`.

The files are loaded the way ``kg build`` loads them (each into its named graph, all of them
merged into the default graph) into an in-memory store; then the SHACL shapes and every rule
run, and the report says per rule how many nodes break it, with the first few, located by file
and line. ``kg check`` prints it as a table and exits with 1 when anything fails; the test
suite runs it on the bundled data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox
from rdflib import URIRef

from kg.errors import Violation
from kg.io.parse import read_ox_quads
from kg.load.quality_rules import RULES, Rule
from kg.load.validate import locate, validate_files
from kg.namespaces import curie, graph_iri, sparql_prologue

__all__ = ["Finding", "QualityReport", "RuleResult", "check_files", "format_table", "run_rules"]

#: Examples kept per rule in the report.
EXAMPLES = 5


@dataclass(frozen=True)
class Finding:
    """A node that breaks a rule, where it is written first."""

    focus: str
    detail: str = ""
    file: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}: " if self.file else ""
        detail = f" ({self.detail})" if self.detail else ""
        return f"{where}{curie(self.focus)}{detail}"


@dataclass
class RuleResult:
    """One row of the report."""

    key: str
    title_sv: str
    title_en: str
    fix_sv: str
    count: int
    examples: list[Finding] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.count == 0


@dataclass
class QualityReport:
    """SHACL first, then one row per SPARQL rule."""

    rows: list[RuleResult]
    files: list[Path] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.rows)

    @property
    def failures(self) -> int:
        return sum(r.count for r in self.rows)

    def row(self, key: str) -> RuleResult:
        return next(r for r in self.rows if r.key == key)

    def as_dict(self) -> dict[str, object]:
        return {"ok": self.ok, "files": [str(f) for f in self.files],
                "rules": [{"key": r.key, "title_sv": r.title_sv, "title_en": r.title_en,
                           "fix_sv": r.fix_sv, "count": r.count,
                           "examples": [{"focus": e.focus, "detail": e.detail, "file": e.file,
                                         "line": e.line} for e in r.examples]}
                          for r in self.rows]}


def _dataset(files: Sequence[Path]) -> ox.Store:
    """The files as ``kg build`` lays them out: a named graph each, merged in the default graph."""
    store = ox.Store()
    for path in files:
        quads = read_ox_quads(path, graph=graph_iri(path.stem))
        store.extend(quads)
        store.extend(ox.Quad(q.subject, q.predicate, q.object, ox.DefaultGraph()) for q in quads)
    return store


def run_rules(store: ox.Store, files: Sequence[Path] = (), rules: Sequence[Rule] = RULES,
              examples: int = EXAMPLES) -> list[RuleResult]:
    """Run the SPARQL rules on a dataset (named graphs + merged default graph)."""
    prologue = sparql_prologue()
    out = []
    for rule in rules:
        found: dict[tuple[str, str], None] = {}
        solutions = store.query(prologue + rule.query)
        names = {v.value for v in solutions.variables}  # type: ignore[union-attr]
        for sol in solutions:  # type: ignore[union-attr]
            focus = sol["focus"]
            if focus is None:
                continue
            detail = sol["detail"] if "detail" in names else None
            found[(focus.value, detail.value if detail is not None else "")] = None
        keys = sorted(found)
        shown = []
        for focus, detail in keys[:examples]:
            file, line = locate(URIRef(focus), files) if files else (None, None)
            shown.append(Finding(focus, detail, str(file) if file else None, line))
        out.append(RuleResult(rule.key, rule.title_sv, rule.title_en, rule.fix_sv,
                              len({f for f, _ in keys}), shown))
    return out


def _shacl_row(violations: list[Violation], examples: int) -> RuleResult:
    shown = [Finding(v.focus, f"{v.path or ''} {v.message}".strip()[:160], v.file, v.line)
             for v in violations[:examples]]
    return RuleResult("shacl", "SHACL-formerna (ontology/shapes.ttl)", "SHACL shapes (ontology/shapes.ttl)",
                      "Rätta uppgiften enligt meddelandet; docs/modelling.md beskriver formen.",
                      len(violations), shown)


def check_files(files: Sequence[Path], shapes: Path, examples: int = EXAMPLES) -> QualityReport:
    """SHACL and every rule on ``files`` (the ontology and the data files).

    Raises:
        LoadError: a file does not parse (naming file and line).
    """
    violations = validate_files(files, shapes)
    rows = [_shacl_row(violations, examples)]
    rows += run_rules(_dataset(files), files, RULES, examples)
    return QualityReport(rows, list(files))


def format_table(report: QualityReport, lang: str = "sv") -> str:
    """The report as a plain-text table, then the failing examples with file and line."""
    head = ("Regel", "Status", "Antal") if lang == "sv" else ("Rule", "Status", "Count")
    rows = [((r.title_sv if lang == "sv" else r.title_en) + f" [{r.key}]",
             ("OK" if r.ok else ("FEL" if lang == "sv" else "FAIL")), str(r.count))
            for r in report.rows]
    w0 = max(len(head[0]), *(len(r[0]) for r in rows))
    w1 = max(len(head[1]), *(len(r[1]) for r in rows))
    w2 = max(len(head[2]), *(len(r[2]) for r in rows))
    line = f"{'-' * w0}-+-{'-' * w1}-+-{'-' * w2}"
    out = [f"{head[0]:<{w0}} | {head[1]:<{w1}} | {head[2]:>{w2}}", line]
    out += [f"{a:<{w0}} | {b:<{w1}} | {c:>{w2}}" for a, b, c in rows]
    for r in report.rows:
        if r.ok:
            continue
        out += ["", f"{r.title_sv if lang == 'sv' else r.title_en} ({r.count}): {r.fix_sv}"]
        out += [f"  {e}" for e in r.examples]
        if r.count > len(r.examples):
            more = r.count - len(r.examples)
            out.append(f"  … och {more} till" if lang == "sv" else f"  … and {more} more")
    total = report.failures
    out += ["", ("Inga fel." if lang == "sv" else "No failures.") if report.ok else
            (f"{total} fel." if lang == "sv" else f"{total} failures.")]
    return "\n".join(out)
