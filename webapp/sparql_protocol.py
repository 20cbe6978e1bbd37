"""The SPARQL 1.1 Protocol as a reusable Flask blueprint (read-only).

:func:`sparql_blueprint` returns a blueprint with one route that answers ``GET`` and
``POST`` (form-encoded or ``application/sparql-query``), the way rdflib-endpoint's router
does: the app only mounts it. Negotiation is data: :data:`RESULT_OFFERS` and
:data:`GRAPH_OFFERS` map media types (with aliases) onto the formats of
:mod:`kg.io.formats`; :func:`parse_accept` returns the client's preferences in order and
:func:`negotiate` picks an offer. A ``format`` (or ``output``) parameter overrides ``Accept``.

Replies:

* SELECT/ASK: SPARQL JSON, XML, CSV, TSV (and Excel with ``format=xlsx``);
  CONSTRUCT/DESCRIBE: Turtle, JSON-LD, N-Triples, RDF/XML.
* ``X-KG-Truncated: true`` when the result cap cut the answer; ``X-KG-Result-Limit`` gives
  the cap. CORS is open (``Access-Control-Allow-Origin: *``) for GET and POST.
* Without a query: the service description (SPARQL 1.1 Service Description), or the HTML
  page given as ``html`` when the client prefers HTML (a browser).
* Errors are ``text/plain``: 400 malformed query (with the parser's line and column) or
  request, 403 SPARQL Update, 406 no acceptable format, 415 unknown POST body type,
  503 time limit reached or every worker busy (then with ``Retry-After``).

>>> [m.media_type for m in parse_accept("text/csv;q=0.5, application/sparql-results+json")]
['application/sparql-results+json', 'text/csv']
>>> negotiate("text/*", [o.media_type for o in RESULT_OFFERS])
'text/csv'
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from flask import Blueprint, Response, request, url_for
from flask.typing import ResponseReturnValue
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD

from kg.errors import (
    KgError,
    QueryTimeoutError,
    ReadOnlyError,
    StoreError,
    UnsupportedFormatError,
)
from kg.io.formats import RdfFormatInfo, ResultFormatInfo, rdf_format, result_format
from kg.io.sparqltext import UPDATE_FORMS, query_form
from kg.query.runner import BusyError, QueryRunner

__all__ = [
    "GRAPH_OFFERS",
    "RESULT_OFFERS",
    "MediaRange",
    "Offer",
    "ProtocolError",
    "ProtocolRequest",
    "choose_format",
    "error_response",
    "negotiate",
    "parse_accept",
    "read_request",
    "run_protocol_query",
    "service_description",
    "sparql_blueprint",
]

log = logging.getLogger(__name__)

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
CORS = {
    "Access-Control-Allow-Origin": "*",
    "Access-Control-Allow-Methods": "GET, POST, OPTIONS",
    "Access-Control-Allow-Headers": "Content-Type, Accept",
    "Access-Control-Expose-Headers": "X-KG-Truncated, X-KG-Result-Limit, Retry-After",
}
HTML_TYPE = "text/html"
_GRAPH_FORMS = {"CONSTRUCT", "DESCRIBE"}


# -- negotiation as data ------------------------------------------------------------------

@dataclass(frozen=True)
class Offer:
    """A media type we can answer with, and the format it means."""

    media_type: str
    fmt: ResultFormatInfo | RdfFormatInfo


def _offers(pairs: Sequence[tuple[str, str]], lookup: Callable[[str], Any]) -> tuple[Offer, ...]:
    return tuple(Offer(media, lookup(name)) for media, name in pairs)


#: SELECT and ASK: canonical media types first (the first is the default), then aliases.
RESULT_OFFERS: tuple[Offer, ...] = _offers(
    (("application/sparql-results+json", "json"), ("application/sparql-results+xml", "xml"),
     ("text/csv", "csv"), ("text/tab-separated-values", "tsv"), ("application/json", "json"),
     ("application/xml", "xml"), ("text/xml", "xml")),
    result_format,
)
#: CONSTRUCT and DESCRIBE, likewise.
GRAPH_OFFERS: tuple[Offer, ...] = _offers(
    (("text/turtle", "turtle"), ("application/ld+json", "jsonld"),
     ("application/n-triples", "ntriples"), ("application/rdf+xml", "rdfxml"),
     ("application/x-turtle", "turtle"), ("text/plain", "ntriples"), ("application/json", "jsonld"),
     ("application/xml", "rdfxml"), ("text/xml", "rdfxml")),
    rdf_format,
)
#: ``format=`` values that mean something else for graph results than for tables.
_GRAPH_FORMAT_ALIASES = {"json": "jsonld", "xml": "rdfxml", "rdf+xml": "rdfxml"}


@dataclass(frozen=True)
class MediaRange:
    """One entry of an ``Accept`` header."""

    type: str
    subtype: str
    q: float = 1.0
    params: tuple[tuple[str, str], ...] = ()
    index: int = 0

    @property
    def media_type(self) -> str:
        return f"{self.type}/{self.subtype}"

    @property
    def specificity(self) -> int:
        """2 for ``type/subtype``, 1 for ``type/*``, 0 for ``*/*`` (more with parameters)."""
        if self.type == "*":
            return 0
        return (1 if self.subtype == "*" else 2) + len(self.params)

    def matches(self, media_type: str) -> bool:
        kind, _, sub = media_type.partition("/")
        return self.type in ("*", kind) and self.subtype in ("*", sub)


def parse_accept(header: str | None) -> list[MediaRange]:
    """The media ranges of an ``Accept`` header, most preferred first: by ``q``, then the
    more specific, then in the order written. Malformed entries are skipped; ranges with
    ``q=0`` are kept (last) because they exclude a type.

    >>> [(m.media_type, m.q) for m in parse_accept("text/*;q=0.3, text/csv, */*;q=0.1")]
    [('text/csv', 1.0), ('text/*', 0.3), ('*/*', 0.1)]
    """
    ranges: list[MediaRange] = []
    for index, part in enumerate((header or "").split(",")):
        fields = [f.strip() for f in part.split(";")]
        kind, slash, sub = fields[0].lower().partition("/")
        if not slash or not kind or not sub or (kind == "*" and sub != "*"):
            continue
        q = 1.0
        params: list[tuple[str, str]] = []
        for f in fields[1:]:
            name, _, value = f.partition("=")
            name, value = name.strip().lower(), value.strip().strip('"')
            if name == "q":
                try:
                    q = min(1.0, max(0.0, float(value)))
                except ValueError:
                    q = 0.0
            elif name:
                params.append((name, value))
        ranges.append(MediaRange(kind, sub, q, tuple(params), index))
    return sorted(ranges, key=lambda m: (-m.q, -m.specificity, m.index))


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client likes best, ``None`` when none is acceptable.

    Each offer gets the ``q`` of the most specific range that matches it; the highest wins,
    ties going to the client's order and then to the order of ``offers``. No header (or an
    empty one) accepts the first offer.

    >>> negotiate("", ["a/b", "c/d"]), negotiate("c/*", ["a/b", "c/d"]), negotiate("x/y", ["a/b"])
    ('a/b', 'c/d', None)
    """
    ranges = parse_accept(header)
    if not (header or "").strip():
        return offers[0] if offers else None
    best: tuple[float, int, int] | None = None
    chosen: str | None = None
    for pos, offer in enumerate(offers):
        matching = [m for m in ranges if m.matches(offer)]
        if not matching:
            continue
        top = max(matching, key=lambda m: (m.specificity, -m.index))
        if top.q <= 0:
            continue
        rank = (-top.q, top.index if top.specificity else 1_000_000, pos)
        if best is None or rank < best:
            best, chosen = rank, offer
    return chosen


# -- errors -------------------------------------------------------------------------------

class ProtocolError(Exception):
    """A protocol-level refusal with its HTTP status (raised and answered in this module)."""

    def __init__(self, status: int, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


def _status(exc: KgError) -> tuple[int, dict[str, str]]:
    if isinstance(exc, BusyError):
        return 503, {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, QueryTimeoutError | StoreError):
        return 503, {}
    if isinstance(exc, ReadOnlyError):
        return 403, {}
    if isinstance(exc, UnsupportedFormatError):
        return 406, {}
    return 400, {}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text protocol error with CORS headers."""
    reason = {400: "Bad Request", 403: "Forbidden", 405: "Method Not Allowed",
              406: "Not Acceptable", 415: "Unsupported Media Type",
              503: "Service Unavailable"}.get(status, "Error")
    resp = Response(f"{status} {reason}\n\n{message}\n", status=status,
                    mimetype="text/plain")
    resp.headers.update(CORS)
    resp.headers.update(headers or {})
    return resp


# -- reading a request --------------------------------------------------------------------

@dataclass(frozen=True)
class ProtocolRequest:
    """What a protocol request asks for."""

    query: str | None
    formats: tuple[str, ...]
    accept: str


def _one(values: Sequence[str], name: str) -> str | None:
    if len(values) > 1:
        raise ProtocolError(400, f"give the '{name}' parameter once, not {len(values)} times")
    return values[0] if values else None


def read_request() -> ProtocolRequest:
    """The query, the ``format`` values and the Accept header of the current request.

    Raises:
        ProtocolError: an update (403), an unknown body type (415), graph parameters or a
            repeated query (400).
    """
    args = request.args
    values = {k: args.getlist(k) for k in args}
    if request.method == "POST":
        ctype = (request.mimetype or "").lower()
        if ctype == "application/sparql-update":
            raise ProtocolError(403, "SPARQL Update is not allowed: this endpoint is read-only.")
        if ctype == "application/sparql-query":
            values["query"] = [request.get_data(as_text=True)]
        elif ctype in ("application/x-www-form-urlencoded", "multipart/form-data"):
            for key in request.form:
                values.setdefault(key, []).extend(request.form.getlist(key))
        else:
            raise ProtocolError(415, f"POST a query as application/sparql-query or as "
                                     f"application/x-www-form-urlencoded, not {ctype or 'nothing'}")
    if values.get("update"):
        raise ProtocolError(403, "SPARQL Update is not allowed: this endpoint is read-only.")
    if values.get("default-graph-uri") or values.get("named-graph-uri"):
        raise ProtocolError(400, "default-graph-uri and named-graph-uri are not supported: the "
                                 "default graph is the union of all named graphs; use GRAPH "
                                 "to select one")
    query = _one(values.get("query", []), "query")
    if request.method == "POST" and not (query or "").strip():
        raise ProtocolError(400, "no query given: send it as the 'query' form field or as an "
                                 "application/sparql-query body")
    formats = tuple(values.get("format", []) + values.get("output", []))
    return ProtocolRequest(query, formats, request.headers.get("Accept", ""))


def _from_format_param(values: Sequence[str], graph: bool) -> ResultFormatInfo | RdfFormatInfo:
    """The first ``format`` value we know, read for the query's form.

    Raises:
        UnsupportedFormatError: none is known.
    """
    for raw in values:
        key = raw.strip().lower()
        try:
            if graph:
                return rdf_format(_GRAPH_FORMAT_ALIASES.get(key, key))
            return result_format(key)
        except UnsupportedFormatError:
            continue
    offers = GRAPH_OFFERS if graph else RESULT_OFFERS
    names = sorted({o.fmt.name for o in offers} | (set() if graph else {"xlsx"}))
    raise UnsupportedFormatError(f"unknown format {', '.join(values)!r} for this query; "
                                 f"choose one of: {', '.join(names)}")


def choose_format(
    req: ProtocolRequest, form: str, html: bool
) -> ResultFormatInfo | RdfFormatInfo | None:
    """The format to answer in; ``None`` means the HTML page.

    Raises:
        UnsupportedFormatError: nothing offered is acceptable (406).
    """
    graph = form in _GRAPH_FORMS
    if req.formats:
        return _from_format_param(req.formats, graph)
    offers = GRAPH_OFFERS if graph else RESULT_OFFERS
    types = [o.media_type for o in offers] + ([HTML_TYPE] if html else [])
    chosen = negotiate(req.accept, types)
    if chosen is None:
        canonical = ", ".join(o.fmt.media_type for o in offers[:4])
        raise UnsupportedFormatError(f"none of the acceptable media types can be sent; "
                                     f"offered: {canonical}")
    if chosen == HTML_TYPE:
        return None
    return next(o.fmt for o in offers if o.media_type == chosen)


# -- answering ----------------------------------------------------------------------------

def _content_type(fmt: ResultFormatInfo | RdfFormatInfo) -> str:
    text = fmt.media_type.startswith("text/") or fmt.media_type == "application/n-triples"
    return fmt.media_type + ("; charset=utf-8" if text else "")


def run_protocol_query(
    runner: QueryRunner, sparql: str, fmt: ResultFormatInfo | RdfFormatInfo, download: bool
) -> Response:
    """Run a query and answer in ``fmt`` with the truncation and CORS headers.

    Raises:
        KgError: the query failed (the caller turns it into a protocol error).
    """
    form = query_form(sparql)
    if form in UPDATE_FORMS:
        raise ReadOnlyError("SPARQL Update is not allowed: this endpoint is read-only.")
    graph = form in _GRAPH_FORMS
    result_fmt = fmt if isinstance(fmt, ResultFormatInfo) else result_format("json")
    graph_fmt = fmt if isinstance(fmt, RdfFormatInfo) else rdf_format("turtle")
    if graph and isinstance(fmt, ResultFormatInfo):
        raise UnsupportedFormatError(f"{form} results are RDF; {fmt.label} is for tables")
    if not graph and isinstance(fmt, RdfFormatInfo) and form:
        raise UnsupportedFormatError(f"{form} results are tables; {fmt.label} is for RDF")
    started = time.perf_counter()
    body, got_form, truncated = runner.serialized(sparql, result_fmt, graph_fmt)
    log.debug("%s answered in %.1f ms (%d bytes, truncated=%s)", got_form,
              (time.perf_counter() - started) * 1000, len(body), truncated)
    used = graph_fmt if got_form == "CONSTRUCT" else result_fmt
    resp = Response(body, content_type=_content_type(used))
    resp.headers["X-KG-Truncated"] = "true" if truncated else "false"
    resp.headers["X-KG-Result-Limit"] = str(runner.limits.limit)
    resp.headers.update(CORS)
    resp.vary.add("Accept")
    if download or used.name == "xlsx":
        resp.headers["Content-Disposition"] = f'attachment; filename="resultat.{used.extension}"'
    return resp


def service_description(endpoint: str, graphs: Sequence[tuple[str, int]],
                        limits: tuple[float, int]) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint."""
    g = Graph()
    g.bind("sd", SD)
    g.bind("formats", FORMATS)
    g.bind("void", VOID)
    me = URIRef(endpoint)
    g.add((me, RDF.type, SD.Service))
    g.add((me, SD.endpoint, me))
    g.add((me, SD.supportedLanguage, SD.SPARQL11Query))
    g.add((me, SD.feature, SD.UnionDefaultGraph))
    for name in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                 "SPARQL_Results_TSV", "Turtle", "JSON-LD", "N-Triples", "RDF_XML"):
        g.add((me, SD.resultFormat, FORMATS[name]))
    timeout, limit = limits
    g.add((me, URIRef("http://www.w3.org/2000/01/rdf-schema#comment"), Literal(
        f"Read-only. Each query may run {timeout:g} s and returns at most {limit} rows or "
        "triples; the header X-KG-Truncated: true says when a result was cut.", lang="en")))
    dataset = BNode()
    g.add((me, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(sum(n for _, n in graphs), datatype=XSD.integer)))
    for iri, n in graphs:
        named, inner = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, SD.name, URIRef(iri)))
        g.add((named, SD.graph, inner))
        g.add((inner, RDF.type, SD.Graph))
        g.add((inner, VOID.triples, Literal(n, datatype=XSD.integer)))
    return g


def sparql_blueprint(
    get_runner: Callable[[], QueryRunner],
    graph_counts: Callable[[], Sequence[tuple[str, int]]],
    *,
    name: str = "sparql",
    path: str = "/sparql",
    html: Callable[[str | None], ResponseReturnValue] | None = None,
) -> Blueprint:
    """A blueprint answering the SPARQL 1.1 Protocol at ``path``.

    Args:
        get_runner: the runner to use (called per request, inside the app context).
        graph_counts: (graph IRI, triples) for the service description.
        name: the blueprint's name (the endpoint is ``<name>.endpoint``).
        path: where it is mounted.
        html: a view for clients that prefer HTML, given the query (or ``None``).
    """
    bp = Blueprint(name, __name__)

    @bp.route(path, methods=["GET", "POST", "OPTIONS"], endpoint="endpoint")
    def endpoint() -> ResponseReturnValue:
        """The SPARQL 1.1 Protocol: query via GET or POST; service description otherwise."""
        if request.method == "OPTIONS":
            resp = Response(status=204)
            resp.headers.update(CORS)
            return resp
        try:
            req = read_request()
            # without a query the answer is the service description: an RDF graph
            text = req.query or ""
            form = query_form(text) if text.strip() else "DESCRIBE"
            fmt = choose_format(req, form, html is not None and request.method == "GET")
            if fmt is None and html is not None:
                return html(req.query)
            if not text.strip():
                return _describe(fmt, get_runner(), graph_counts())
            assert fmt is not None
            return run_protocol_query(get_runner(), text, fmt,
                                      bool(request.values.get("download")))
        except ProtocolError as exc:
            return error_response(exc.status, str(exc), exc.headers)
        except KgError as exc:
            status, headers = _status(exc)
            if status >= 500:
                log.warning("%s: %s", type(exc).__name__, exc)
            return error_response(status, str(exc), headers)

    def _describe(fmt: Any, runner: QueryRunner, graphs: Sequence[tuple[str, int]]) -> Response:
        rdf = fmt if isinstance(fmt, RdfFormatInfo) else rdf_format("turtle")
        me = url_for(f"{name}.endpoint", _external=True)
        g = service_description(me, graphs, (runner.limits.timeout, runner.limits.limit))
        data = g.serialize(format=rdf.rdflib)
        resp = Response(data.encode("utf-8") if isinstance(data, str) else data,
                        content_type=_content_type(rdf))
        resp.headers.update(CORS)
        resp.vary.add("Accept")
        return resp

    return bp

