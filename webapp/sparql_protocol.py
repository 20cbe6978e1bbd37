"""The SPARQL 1.1 Protocol as a reusable Flask blueprint (read-only).

:func:`sparql_blueprint` returns a blueprint with one route that answers ``GET`` and
``POST`` (form-encoded or ``application/sparql-query``), the way rdflib-endpoint's router
does: the app only mounts it. Negotiation is data: :data:`RESULT_OFFERS` and
:data:`GRAPH_OFFERS` map media types (with aliases) onto the formats of
:mod:`kg.io.formats`; :func:`negotiate` picks an offer with werkzeug's ``MIMEAccept``,
the same mechanism as the pages (:mod:`webapp.negotiation`). A ``format`` (or ``output``)
parameter overrides ``Accept``.

The request names its dataset with ``default-graph-uri`` and ``named-graph-uri`` (graphs
of the store; an unknown graph is empty); relative IRIs in a query resolve against the
base IRI the blueprint is given. Parameters and bodies must be UTF-8, and the query may
be given once only.

Replies:

* SELECT/ASK: SPARQL JSON, XML, CSV, TSV (and Excel with ``format=xlsx``);
  CONSTRUCT/DESCRIBE: Turtle, JSON-LD, N-Triples, RDF/XML.
* ``X-KG-Truncated: true`` when the result cap cut the answer; ``X-KG-Result-Limit`` gives
  the cap. CORS is open (``Access-Control-Allow-Origin: *``) for GET and POST.
* Without a query: the service description (SPARQL 1.1 Service Description), or the HTML
  page given as ``html`` when the client prefers HTML (a browser).
* Errors are ``text/plain`` with the CORS headers, whatever goes wrong: 400 malformed
  query (with the parser's line and column) or request (``SERVICE``, a query given twice,
  text that is not UTF-8), 403 SPARQL Update, 405 another method, 406 no acceptable format,
  413 body too large, 414 URL too long, 415 unknown POST body type, 429 too many queries
  from this client at once, 503 time limit reached or every worker busy (then with
  ``Retry-After``).

>>> negotiate("text/*", [o.media_type for o in RESULT_OFFERS])
'text/csv'
>>> negotiate("text/csv;q=0.5, application/sparql-results+json", ["text/csv", "application/sparql-results+json"])
'application/sparql-results+json'
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

import pyoxigraph as ox
from flask import Blueprint, Flask, Response, request, url_for
from flask.typing import ResponseReturnValue
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, VOID, XSD
from werkzeug.datastructures import MIMEAccept
from werkzeug.http import parse_accept_header, parse_options_header

from kg.errors import (
    KgError,
    QueryTimeoutError,
    ReadOnlyError,
    StoreError,
    UnsupportedFormatError,
)
from kg.io.formats import RdfFormatInfo, ResultFormatInfo, rdf_format, result_format
from kg.io.sparqltext import UPDATE_FORMS, query_form
from kg.query.runner import BusyError, QueryRunner, TooManyQueriesError
from kg.store.base import QueryContext

__all__ = [
    "GRAPH_OFFERS",
    "RESULT_OFFERS",
    "Offer",
    "ProtocolError",
    "ProtocolRequest",
    "choose_format",
    "error_response",
    "is_protocol_path",
    "negotiate",
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
ALLOWED_METHODS = "GET, POST, OPTIONS"
#: Most characters of client input an error message repeats.
ECHO_MAX = 300
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


def negotiate(header: str | None, offers: Sequence[str]) -> str | None:
    """The offered media type the client likes best (werkzeug's ``MIMEAccept``: highest
    quality, then the most specific match, then the order of ``offers``); ``None`` when none
    is acceptable. No header (or an empty one) accepts the first offer.

    >>> negotiate("", ["a/b", "c/d"]), negotiate("c/*", ["a/b", "c/d"]), negotiate("x/y", ["a/b"])
    ('a/b', 'c/d', None)
    """
    if not (header or "").strip():
        return offers[0] if offers else None
    best: str | None = parse_accept_header(header, MIMEAccept).best_match(offers)
    return best


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
    if isinstance(exc, TooManyQueriesError):
        return 429, {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, QueryTimeoutError | StoreError):
        return 503, {}
    if isinstance(exc, ReadOnlyError):
        return 403, {}
    if isinstance(exc, UnsupportedFormatError):
        return 406, {}
    return 400, {}


def error_response(status: int, message: str, headers: dict[str, str] | None = None) -> Response:
    """A plain-text protocol error with CORS headers."""
    reason = {400: "Bad Request", 403: "Forbidden", 404: "Not Found",
              405: "Method Not Allowed", 406: "Not Acceptable", 413: "Content Too Large",
              414: "URI Too Long", 415: "Unsupported Media Type", 429: "Too Many Requests",
              500: "Internal Server Error", 503: "Service Unavailable"}.get(status, "Error")
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
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    params: dict[str, list[str]] = field(default_factory=dict, compare=False)

    def context(self, base: str | None) -> QueryContext:
        """The dataset and base IRI of the query (see :class:`kg.store.base.QueryContext`)."""
        return QueryContext.from_protocol(list(self.default_graphs), list(self.named_graphs),
                                          base)


_READ_ONLY = "SPARQL Update is not allowed: this endpoint is read-only."
_UPDATE_PARAMS = ("update", "using-graph-uri", "using-named-graph-uri")


def _echo(text: str) -> str:
    """Client input as an error message may repeat it: short, on one line."""
    flat = " ".join(text.split())
    return flat if len(flat) <= ECHO_MAX else flat[:ECHO_MAX] + "…"


def _utf8_pairs(raw: bytes, where: str) -> list[tuple[str, str]]:
    """Name/value pairs of a URL query string or form body, decoded as strict UTF-8.

    Raises:
        ProtocolError: not UTF-8 (400).
    """
    try:
        return parse_qsl(raw.decode("ascii", "strict"), keep_blank_values=True,
                         encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {where} is not valid UTF-8 (percent-encode the UTF-8 "
                                 "bytes of the query)") from None


def _body_text() -> str:
    """The body of a direct POST as text: UTF-8 only.

    Raises:
        ProtocolError: another charset, or bytes that are not UTF-8 (400).
    """
    _, options = parse_options_header(request.headers.get("Content-Type", ""))
    charset = options.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"send the query as UTF-8, not {_echo(charset)}")
    try:
        return request.get_data(cache=False).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(400, f"the query is not valid UTF-8 (byte {exc.start}); send it "
                                 "as UTF-8") from None


def _graph_iris(values: Sequence[str], name: str) -> tuple[str, ...]:
    """The IRIs of a graph parameter, each checked.

    Raises:
        ProtocolError: a value that is not an absolute IRI (400).
    """
    for v in values:
        try:
            ox.NamedNode(v)
        except ValueError:
            raise ProtocolError(400, f"{name} must be an absolute IRI, not {_echo(v)!r}") from None
    return tuple(values)


def read_request() -> ProtocolRequest:
    """The query, the ``format`` values, the dataset and the Accept header of the current
    request.

    Raises:
        ProtocolError: an update (403), an unknown body type (415), text that is not UTF-8,
            a query given more than once or a bad graph IRI (400).
    """
    values: dict[str, list[str]] = {}
    for key, value in _utf8_pairs(request.query_string, "URL"):
        values.setdefault(key, []).append(value)
    if request.method == "POST":
        ctype = (request.mimetype or "").lower()
        if ctype == "application/sparql-update":
            raise ProtocolError(403, _READ_ONLY)
        if ctype == "application/sparql-query":
            values.setdefault("query", []).append(_body_text())
        elif ctype == "application/x-www-form-urlencoded":
            for key, value in _utf8_pairs(request.get_data(cache=False), "form body"):
                values.setdefault(key, []).append(value)
        elif ctype == "multipart/form-data":
            for key in request.form:
                values.setdefault(key, []).extend(request.form.getlist(key))
        else:
            raise ProtocolError(415, f"POST a query as application/sparql-query or as "
                                     f"application/x-www-form-urlencoded, not "
                                     f"{_echo(ctype) or 'nothing'}")
    if any(values.get(k) for k in _UPDATE_PARAMS):
        raise ProtocolError(403, _READ_ONLY)
    queries = values.get("query", [])
    if len(queries) > 1:
        raise ProtocolError(400, f"the query is given {len(queries)} times (in the URL, the form "
                                 "or the body); give it once")
    query = queries[0] if queries else None
    if request.method == "POST" and not (query or "").strip():
        raise ProtocolError(400, "no query given: send it as the 'query' form field or as an "
                                 "application/sparql-query body")
    formats = tuple(f for f in values.get("format", []) + values.get("output", []) if f.strip())
    return ProtocolRequest(
        query, formats, request.headers.get("Accept", ""),
        _graph_iris(values.get("default-graph-uri", []), "default-graph-uri"),
        _graph_iris(values.get("named-graph-uri", []), "named-graph-uri"),
        values,
    )


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
    raise UnsupportedFormatError(f"unknown format {_echo(', '.join(values))!r} for this query; "
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
    runner: QueryRunner, sparql: str, fmt: ResultFormatInfo | RdfFormatInfo, download: bool,
    *, client: str | None = None, context: QueryContext | None = None,
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
    body, got_form, truncated = runner.serialized(sparql, result_fmt, graph_fmt, client=client,
                                                  context=context)
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


def service_description(endpoint: str, counts: tuple[int, Sequence[tuple[str, int]]],
                        limits: tuple[float, int]) -> Graph:
    """The SPARQL 1.1 Service Description of the endpoint: ``counts`` gives the triples of
    the default graph (the merge, without duplicates) and of each named graph."""
    default_triples, graphs = counts
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
        "triples; the header X-KG-Truncated: true says when a result was cut. The default "
        "graph is the merge of every named graph; default-graph-uri and named-graph-uri "
        "choose other graphs of this store. SERVICE is not available.", lang="en")))
    dataset = BNode()
    g.add((me, SD.defaultDataset, dataset))
    g.add((dataset, RDF.type, SD.Dataset))
    default = BNode()
    g.add((dataset, SD.defaultGraph, default))
    g.add((default, RDF.type, SD.Graph))
    g.add((default, VOID.triples, Literal(default_triples, datatype=XSD.integer)))
    for iri, n in graphs:
        named, inner = BNode(), BNode()
        g.add((dataset, SD.namedGraph, named))
        g.add((named, SD.name, URIRef(iri)))
        g.add((named, SD.graph, inner))
        g.add((inner, RDF.type, SD.Graph))
        g.add((inner, VOID.triples, Literal(n, datatype=XSD.integer)))
    return g


def is_protocol_path(app: Flask, path: str) -> bool:
    """True when ``path`` is answered by a protocol blueprint (errors there are plain text
    with CORS headers, whatever raised them)."""
    paths: set[str] = app.extensions.get("kg_protocol_paths", set())
    return path in paths or path.rstrip("/") in paths


def sparql_blueprint(
    get_runner: Callable[[], QueryRunner],
    graph_counts: Callable[[], tuple[int, Sequence[tuple[str, int]]]],
    *,
    name: str = "sparql",
    path: str = "/sparql",
    html: Callable[[str | None], ResponseReturnValue] | None = None,
    base_iri: Callable[[], str | None] = lambda: None,
    client: Callable[[], str | None] = lambda: None,
) -> Blueprint:
    """A blueprint answering the SPARQL 1.1 Protocol at ``path``.

    Args:
        get_runner: the runner to use (called per request, inside the app context).
        graph_counts: triples of the default graph, and (graph IRI, triples) of each named
            graph, for the service description.
        name: the blueprint's name (the endpoint is ``<name>.endpoint``).
        path: where it is mounted.
        html: a view for clients that prefer HTML, given the query (or ``None``).
        base_iri: the base IRI relative IRIs in queries resolve against.
        client: who asks (for the per-client caps).
    """
    bp = Blueprint(name, __name__)

    @bp.record_once
    def _remember(state: Any) -> None:
        state.app.extensions.setdefault("kg_protocol_paths", set()).add(path)

    @bp.route(path, methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"],
              endpoint="endpoint")
    def endpoint() -> ResponseReturnValue:
        """The SPARQL 1.1 Protocol: query via GET or POST; service description otherwise."""
        if request.method == "OPTIONS":
            resp = Response(status=204)
            resp.headers.update(CORS)
            return resp
        if request.method not in ("GET", "POST"):
            return error_response(405, f"{request.method} is not supported: query with GET or "
                                       "POST (the endpoint is read-only)",
                                  {"Allow": ALLOWED_METHODS})
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
                                      bool(req.params.get("download", [""])[0]),
                                      client=client(), context=req.context(base_iri()))
        except ProtocolError as exc:
            return error_response(exc.status, str(exc), exc.headers)
        except KgError as exc:
            status, headers = _status(exc)
            if status >= 500:
                log.warning("%s: %s", type(exc).__name__, exc)
            return error_response(status, str(exc), headers)

    def _describe(fmt: Any, runner: QueryRunner,
                  counts: tuple[int, Sequence[tuple[str, int]]]) -> Response:
        rdf = fmt if isinstance(fmt, RdfFormatInfo) else rdf_format("turtle")
        me = url_for(f"{name}.endpoint", _external=True)
        g = service_description(me, counts, (runner.limits.timeout, runner.limits.limit))
        data = g.serialize(format=rdf.rdflib)
        resp = Response(data.encode("utf-8") if isinstance(data, str) else data,
                        content_type=_content_type(rdf))
        resp.headers.update(CORS)
        resp.vary.add("Accept")
        return resp

    return bp
