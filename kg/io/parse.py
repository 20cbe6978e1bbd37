"""Parsing RDF files with precise errors: every failure names the file, line and column.

Before a parser sees a file, :func:`guard` refuses RDF/XML entity bombs, and a UTF-8
byte-order mark is stepped over (:mod:`kg.io.guard`)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox

from kg.errors import LoadError, UnsupportedFormatError
from kg.io.formats import RdfFormatInfo, rdf_format_for_path
from kg.io.guard import check_xml_entities, skip_bom
from kg.io.terms import Quad, quad_from_ox

__all__ = ["guard", "load_error", "read_ox_quads", "read_quads"]


def load_error(path: Path, exc: SyntaxError) -> LoadError:
    """Our error for a parser's SyntaxError, with the position it gives."""
    msg = str(exc.msg or exc)
    line, col = exc.lineno, exc.offset
    m = re.search(r"line (\d+) column (\d+)", msg)
    if line is None and m:
        line, col = int(m.group(1)), int(m.group(2))
    msg = re.sub(r"^Parser error between line \d+ column \d+ and line \d+ column \d+: ", "", msg)
    return LoadError(path, msg, line, col)


def _format(path: Path, fmt: RdfFormatInfo | None) -> RdfFormatInfo:
    try:
        return fmt or rdf_format_for_path(path)
    except UnsupportedFormatError as exc:
        raise LoadError(path, f"unknown file type {path.suffix!r}: {exc}") from exc


def guard(path: Path, fmt: RdfFormatInfo) -> None:
    """What runs before a parser sees a file: RDF/XML is checked for entity bombs
    (:func:`kg.io.guard.check_xml_entities`).

    Raises:
        LoadError: naming file and line.
    """
    if fmt.ox == ox.RdfFormat.RDF_XML:
        check_xml_entities(path)


def read_ox_quads(
    path: Path,
    fmt: RdfFormatInfo | None = None,
    graph: str | None = None,
) -> list[ox.Quad]:
    """Parse a whole file into pyoxigraph quads (triples go into ``graph``).

    Raises:
        LoadError: the file is missing or malformed (with line and column).
    """
    fmt = _format(path, fmt)
    target: ox.NamedNode | ox.DefaultGraph = ox.NamedNode(graph) if graph else ox.DefaultGraph()
    guard(path, fmt)
    try:
        with open(path, "rb") as fh:
            skip_bom(fh)
            quads = [
                q
                if isinstance(q, ox.Quad) and not isinstance(q.graph_name, ox.DefaultGraph)
                else ox.Quad(q.subject, q.predicate, q.object, target)
                for q in ox.parse(fh, format=fmt.ox, rename_blank_nodes=True)
            ]
    except SyntaxError as exc:
        raise load_error(path, exc) from exc
    except (OSError, ValueError) as exc:
        raise LoadError(path, str(exc)) from exc
    return quads


def read_quads(
    path: Path, fmt: RdfFormatInfo | None = None, graph: str | None = None, batch: int = 50_000
) -> Iterator[list[Quad]]:
    """Parse a file into batches of rdflib quads (for the rdflib and remote backends)."""
    quads = read_ox_quads(path, fmt, graph)
    for i in range(0, len(quads), batch):
        yield [quad_from_ox(q) for q in quads[i : i + batch]]
