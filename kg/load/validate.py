"""SHACL validation of data files against ``ontology/shapes.ttl`` (pyshacl, no inference).

Each violation names the focus node, the property, the message, and the file and line
where the focus node is first written, so a curator can go straight to it.

Besides the shapes, every IRI in the data must use a scheme a browser may follow or that
names things (:data:`IRI_SCHEMES`): an IRI such as ``javascript:alert(1)`` or
``data:text/html,...`` is a violation (the site would never link it, but it has no place
in published Linked Data either).
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence
from pathlib import Path

import pyshacl
from rdflib import Graph, URIRef
from rdflib.namespace import RDF

from kg.errors import ValidationError, Violation
from kg.io.parse import read_ox_quads
from kg.io.terms import quad_from_ox
from kg.namespaces import PREFIXES, SH, curie

__all__ = ["IRI_SCHEMES", "iri_violations", "locate", "validate_files"]

#: Schemes an IRI in the data may have.
IRI_SCHEMES = frozenset({"http", "https", "mailto", "urn", "tag", "doi", "tel"})

log = logging.getLogger(__name__)


def _graph_of(files: Sequence[Path]) -> Graph:
    g = Graph()
    for p in files:
        for s, pr, o, _ in (quad_from_ox(q) for q in read_ox_quads(p)):
            g.add((s, pr, o))
    return g


def validate_files(files: Sequence[Path], shapes: Path) -> list[Violation]:
    """Validate the union of ``files`` against ``shapes``.

    Returns:
        The violations (empty when the data conforms).

    Raises:
        LoadError: a file (or the shapes) does not parse; it names file and line.
    """
    data = _graph_of(files)
    shapes_graph = _graph_of([shapes])
    conforms, report, _text = pyshacl.validate(
        data, shacl_graph=shapes_graph, inference="none", advanced=True, allow_warnings=True
    )
    out = iri_violations(data, files)
    if conforms:
        return out
    for result in report.subjects(RDF.type, SH.ValidationResult):
        severity = report.value(result, SH.resultSeverity)
        if severity is not None and severity != SH.Violation:
            continue
        focus = report.value(result, SH.focusNode)
        path = report.value(result, SH.resultPath)
        value = report.value(result, SH.value)
        msgs = [str(m) for m in report.objects(result, SH.resultMessage)]
        file, line = locate(focus, files) if isinstance(focus, URIRef) else (None, None)
        out.append(
            Violation(
                focus=str(focus),
                message="; ".join(msgs) or "constraint not met",
                path=curie(str(path)) if path is not None else None,
                value=str(value) if value is not None else None,
                shape=str(report.value(result, SH.sourceShape) or ""),
                file=str(file) if file else None,
                line=line,
            )
        )
    out.sort(key=lambda v: (v.file or "", v.line or 0, v.focus))
    return out


def iri_violations(data: Graph, files: Sequence[Path]) -> list[Violation]:
    """One violation for each IRI whose scheme is not in :data:`IRI_SCHEMES`.

    >>> g = Graph()
    >>> _ = g.add((URIRef("https://x/a"), URIRef("https://schema.org/url"), URIRef("javascript:alert(1)")))
    >>> [v.value for v in iri_violations(g, [])]
    ['javascript:alert(1)']
    """
    seen: dict[str, URIRef] = {}
    for triple in data:
        for term in triple:
            if isinstance(term, URIRef):
                scheme = str(term).partition(":")[0].lower()
                if scheme not in IRI_SCHEMES and str(term) not in seen:
                    seen[str(term)] = triple[0]  # type: ignore[assignment]
    out = []
    for iri, subject in seen.items():
        file, line = locate(subject, files)
        out.append(Violation(
            focus=str(subject),
            message=(f"the IRI {iri[:200]!r} has the scheme {iri.partition(':')[0]!r}; only "
                     f"{', '.join(sorted(IRI_SCHEMES))} are allowed"),
            path=None, value=iri[:200], shape="", file=str(file) if file else None, line=line))
    return out


def check(files: Sequence[Path], shapes: Path) -> None:
    """Raise :class:`ValidationError` unless the files conform."""
    violations = validate_files(files, shapes)
    if violations:
        raise ValidationError(violations)


def locate(node: URIRef, files: Sequence[Path]) -> tuple[Path | None, int | None]:
    """The first file and line where an IRI is written as a subject (else anywhere).

    Looks for the full ``<IRI>`` and for its prefixed forms.
    """
    iri = str(node)
    forms = [re.escape(f"<{iri}>")]
    for prefix, ns in PREFIXES.items():
        if iri.startswith(ns) and re.fullmatch(r"[\w.-]+", iri[len(ns):]):
            forms.append(rf"(?<![\w:]){re.escape(prefix)}:{re.escape(iri[len(ns):])}(?![\w-])")
    pattern = re.compile("|".join(forms))
    anywhere: tuple[Path | None, int | None] = (None, None)
    for p in files:
        try:
            lines = p.read_text(encoding="utf-8").splitlines()
        except OSError:
            continue
        for i, line in enumerate(lines, 1):
            m = pattern.search(line)
            if not m:
                continue
            if not line[: m.start()].strip():
                return p, i
            if anywhere[0] is None:
                anywhere = (p, i)
    return anywhere
