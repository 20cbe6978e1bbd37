"""The formats we read and write: one table each, name -> media type, extension, engine ids.

Everything that negotiates, loads or exports looks formats up here.

>>> rdf_format("ttl").media_type
'text/turtle'
>>> rdf_format("application/ld+json").name
'jsonld'
>>> result_format("csv").extension
'csv'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import UnsupportedFormatError

__all__ = [
    "RDF_FORMATS",
    "RESULT_FORMATS",
    "RdfFormatInfo",
    "ResultFormatInfo",
    "rdf_format",
    "rdf_format_for_path",
    "result_format",
]


@dataclass(frozen=True)
class RdfFormatInfo:
    """An RDF serialisation."""

    name: str
    label: str
    media_type: str
    extension: str
    ox: ox.RdfFormat
    rdflib: str
    quads: bool
    aliases: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResultFormatInfo:
    """A serialisation of SELECT/ASK results."""

    name: str
    label: str
    media_type: str
    extension: str
    ox: ox.QueryResultsFormat | None
    aliases: tuple[str, ...] = ()


RDF_FORMATS: tuple[RdfFormatInfo, ...] = (
    RdfFormatInfo("turtle", "Turtle", "text/turtle", "ttl", ox.RdfFormat.TURTLE, "turtle", False,
                  ("ttl", "application/x-turtle")),
    RdfFormatInfo("ntriples", "N-Triples", "application/n-triples", "nt", ox.RdfFormat.N_TRIPLES,
                  "nt", False, ("nt", "n-triples", "text/plain")),
    RdfFormatInfo("jsonld", "JSON-LD", "application/ld+json", "jsonld", ox.RdfFormat.JSON_LD,
                  "json-ld", False, ("json-ld",)),
    RdfFormatInfo("rdfxml", "RDF/XML", "application/rdf+xml", "rdf", ox.RdfFormat.RDF_XML, "xml",
                  False, ("rdf", "xml", "rdf/xml", "owl")),
    RdfFormatInfo("trig", "TriG", "application/trig", "trig", ox.RdfFormat.TRIG, "trig", True),
    RdfFormatInfo("nquads", "N-Quads", "application/n-quads", "nq", ox.RdfFormat.N_QUADS,
                  "nquads", True, ("nq", "n-quads")),
)

RESULT_FORMATS: tuple[ResultFormatInfo, ...] = (
    ResultFormatInfo("json", "SPARQL JSON", "application/sparql-results+json", "json",
                     ox.QueryResultsFormat.JSON, ("srj", "application/json")),
    ResultFormatInfo("xml", "SPARQL XML", "application/sparql-results+xml", "srx",
                     ox.QueryResultsFormat.XML, ("srx", "application/xml")),
    ResultFormatInfo("csv", "CSV", "text/csv", "csv", ox.QueryResultsFormat.CSV),
    ResultFormatInfo("tsv", "TSV", "text/tab-separated-values", "tsv", ox.QueryResultsFormat.TSV),
    ResultFormatInfo("xlsx", "Excel", "application/vnd.openxmlformats-officedocument"
                     ".spreadsheetml.sheet", "xlsx", None, ("excel",)),
    ResultFormatInfo("table", "Text table", "text/plain", "txt", None, ("txt",)),
)


def _find(table: tuple, key: str, kind: str):  # type: ignore[no-untyped-def, type-arg]
    k = key.strip().lower().split(";")[0].strip()
    for f in table:
        if k in (f.name, f.extension, f.media_type, *f.aliases):
            return f
    names = ", ".join(f.name for f in table)
    raise UnsupportedFormatError(f"unknown {kind} format {key!r}; choose one of: {names}")


def rdf_format(key: str) -> RdfFormatInfo:
    """Look an RDF format up by name, extension or media type.

    Raises:
        UnsupportedFormatError: no such format.
    """
    found: RdfFormatInfo = _find(RDF_FORMATS, key, "RDF")
    return found


def result_format(key: str) -> ResultFormatInfo:
    """Look a result format up by name, extension or media type.

    Raises:
        UnsupportedFormatError: no such format.
    """
    found: ResultFormatInfo = _find(RESULT_FORMATS, key, "result")
    return found


def rdf_format_for_path(path: Path | str) -> RdfFormatInfo:
    """The RDF format a file name implies (``.ttl``, ``.trig``, ``.nt``, ``.nq``, ``.jsonld``, ``.rdf``).

    >>> rdf_format_for_path("data/x.trig").name
    'trig'
    """
    suffix = Path(path).suffix.lstrip(".").lower()
    if suffix == "json":
        suffix = "jsonld"
    return rdf_format(suffix)
