"""The remote backend: any SPARQL 1.1 server over HTTP (Oxigraph server, Virtuoso, Fuseki,
GraphDB, ...).

Queries go over the SPARQL 1.1 Protocol (POST, form-encoded); loading goes over the Graph
Store Protocol when the server offers it (``gsp``), else over SPARQL Update (``update``).
Results come back as rdflib terms, like every other backend.

Store spec (the ``store`` setting, or ``kg serve --store ...``)::

    sparql+http://HOST:PORT/PATH[?update=URL|PATH][&gsp=URL|PATH][&scope=IRI][&default=IRI]
                                [&timeout=S][&chunk=N][&version_ttl=S]

- ``HOST:PORT/PATH`` is the query endpoint (``sparql+https://`` for TLS; ``user:password@``
  before the host for HTTP basic auth).
- ``update``: the SPARQL Update endpoint (a path is resolved against the query URL).
- ``gsp``: the Graph Store Protocol endpoint, used for loading when given.
- ``scope``: only named graphs whose IRI starts with this are ours; ``graphs``, ``clear`` and
  ``dump`` see only them. Use it on a server that holds other data too (Virtuoso always holds
  its own system graphs).
- ``default``: the named graph that holds our default graph (the merge of all sources, see
  :class:`kg.store.base.Store`). Queries then get an explicit dataset: ``default-graph-uri``
  is this graph and ``named-graph-uri`` each of our source graphs. With ``scope`` it defaults
  to ``<scope>default``. Without either, the server's own default graph is used, so it must
  *not* be configured as the union of the named graphs (plain ``oxigraph serve``, Fuseki
  without ``unionDefaultGraph``); Virtuoso and GraphDB answer the union by default, so give
  them a ``scope``.
- ``timeout``: seconds before a request is given up (default 60); ``chunk``: triples per
  load request (default 20000); ``version_ttl``: seconds the data version is cached (default 5).

Examples::

    sparql+http://127.0.0.1:7878/query?update=/update&gsp=/store
    sparql+http://127.0.0.1:8890/sparql?scope=https://data.kfvn.se/graph/
    sparql+https://user:secret@graphdb.example/repositories/kg?scope=https://data.kfvn.se/graph/
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

import pyoxigraph as ox
from rdflib.term import Node

from kg.errors import QueryError, QuerySyntaxError, QueryTimeoutError, StoreError
from kg.io.sparqltext import (
    add_prologue,
    inject_values,
    iri_text,
    json_term,
    literal_text,
    term_text,
)
from kg.io.terms import from_ox
from kg.store.base import (
    AskResult,
    Deadline,
    GraphResult,
    Quad,
    QueryContext,
    QueryResult,
    SelectResult,
    Store,
    query_form,
)
from kg.store.delta import Delta
from kg.store.http import Endpoint, HttpClient, Reply

if TYPE_CHECKING:
    from kg.io.formats import RdfFormatInfo

__all__ = ["RemoteStore", "parse_spec"]

log = logging.getLogger(__name__)

JSON_RESULTS = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_STREAMABLE = {"turtle", "ntriples"}  # triple formats every GSP server reads
#: Under the scope, the graph that holds the data version and the last change's name (never
#: one of our source graphs, never in a query's dataset).
VERSION_GRAPH = "data-version"
_VERSION = "urn:x-kfv:version"
_HEAD = "urn:x-kfv:head"
_SPEC_KEYS = {"update", "gsp", "scope", "default", "timeout", "chunk", "version_ttl"}


@dataclass(frozen=True)
class RemoteSpec:
    """The parts of a ``sparql+http://`` store spec."""

    query_url: str
    update_url: str | None = None
    gsp_url: str | None = None
    scope: str | None = None
    default_graph: str | None = None
    timeout: float = 60.0
    chunk: int = 20_000
    version_ttl: float = 5.0


def parse_spec(spec: str) -> RemoteSpec:
    """Split a store spec into URLs and options.

    >>> s = parse_spec("sparql+http://127.0.0.1:7878/query?update=/update&gsp=/store&timeout=5")
    >>> (s.query_url, s.update_url, s.gsp_url, s.timeout)
    ('http://127.0.0.1:7878/query', 'http://127.0.0.1:7878/update', 'http://127.0.0.1:7878/store', 5.0)

    Raises:
        StoreError: not a ``sparql+http(s)://`` spec, or an unknown or malformed option.
    """
    if not spec.startswith(("sparql+http://", "sparql+https://")):
        raise StoreError(f"not a remote store spec: {spec!r}")
    parts = urlsplit(spec.removeprefix("sparql+"))
    opts = dict(parse_qsl(parts.query, keep_blank_values=True))
    unknown = set(opts) - _SPEC_KEYS
    if unknown:
        raise StoreError(f"unknown option(s) in store spec: {', '.join(sorted(unknown))} "
                         f"(known: {', '.join(sorted(_SPEC_KEYS))})")
    query_url = urlunsplit((parts.scheme, parts.netloc, parts.path or "/", "", ""))

    def resolve(key: str) -> str | None:
        value = opts.get(key)
        return urljoin(query_url, value) if value else None

    try:
        return RemoteSpec(
            query_url, resolve("update"), resolve("gsp"), opts.get("scope") or None,
            opts.get("default") or None, float(opts.get("timeout", 60.0)), int(opts.get("chunk", 20_000)),
            float(opts.get("version_ttl", 5.0)),
        )
    except ValueError as exc:
        raise StoreError(f"malformed option in store spec {spec!r}: {exc}") from exc


@dataclass
class _Stats:
    """Our named graphs and the size of the default graph, as last seen, and until when to
    trust them."""

    graphs: list[str]
    count: int
    expires: float
    marker: str | None = None
    head: str | None = None

    @property
    def version(self) -> str:
        # the marker alone would miss writes that bypass it (add_quads); the size and the
        # graph names alone would miss a change that keeps both
        text = "\n".join([self.marker or "", str(self.count), *self.graphs])
        return "remote-" + hashlib.sha256(text.encode()).hexdigest()[:16]


class RemoteStore(Store):
    """A SPARQL 1.1 server as a store.

    Args:
        query_url: the SPARQL Protocol query endpoint.
        update_url: the SPARQL Update endpoint (needed for ``clear`` and, without
            ``gsp_url``, for loading).
        gsp_url: the Graph Store Protocol endpoint (preferred for loading).
        scope: only named graphs under this IRI prefix are ours (see the module docstring).
        default_graph: the named graph that holds the default graph (default: ``<scope>default``
            with a scope, else the server's own default graph).
        timeout: seconds a request may take when the caller gives no time limit.
        chunk: triples per load request.
        version_ttl: seconds :meth:`data_version` is cached; other writers' changes show after
            at most this long.
    """

    kind = "remote"

    def __init__(
        self,
        query_url: str,
        update_url: str | None = None,
        gsp_url: str | None = None,
        *,
        scope: str | None = None,
        default_graph: str | None = None,
        timeout: float = 60.0,
        chunk: int = 20_000,
        version_ttl: float = 5.0,
    ) -> None:
        self.query_ep = Endpoint.parse(query_url)
        self.update_ep = Endpoint.parse(update_url) if update_url else None
        self.gsp_ep = Endpoint.parse(gsp_url) if gsp_url else None
        self.scope = scope
        self.default_graph = default_graph or (scope + "default" if scope else None)
        self.timeout = timeout
        self.chunk = max(1, chunk)
        self.version_ttl = version_ttl
        self._http = HttpClient(timeout)
        self._stats: _Stats | None = None
        self._refreshing = False
        self._lock = threading.Lock()

    @classmethod
    def from_spec(cls, spec: str) -> RemoteStore:
        """Open the store a ``sparql+http://`` spec names (see the module docstring)."""
        s = parse_spec(spec)
        return cls(s.query_url, s.update_url, s.gsp_url, scope=s.scope,
                   default_graph=s.default_graph, timeout=s.timeout, chunk=s.chunk,
                   version_ttl=s.version_ttl)

    def __repr__(self) -> str:
        return f"RemoteStore({self.query_ep.origin}{self.query_ep.target!s}, scope={self.scope!r})"

    # -- querying -----------------------------------------------------------------------
    def _query(
        self, sparql: str, bindings: Mapping[str, Node], limit: int | None, deadline: Deadline,
        context: QueryContext | None = None,
    ) -> QueryResult:
        form = query_form(sparql)
        text, added = add_prologue(inject_values(sparql, bindings))
        if context is not None and context.base:
            text, added = f"BASE {iri_text(context.base)}\n{text}", added + 1
        accept = N_TRIPLES if form in ("CONSTRUCT", "DESCRIBE") else JSON_RESULTS
        reply = self._send_query(text, accept, deadline.seconds, added, dataset=True,
                                 context=context)
        capped = "x-sparql-maxrows" in reply.headers  # Virtuoso cut the result itself
        if accept == N_TRIPLES:
            return _graph_result(reply.body, limit, capped)
        return _json_result(reply.body, limit, capped)

    def _send_query(
        self, text: str, accept: str, seconds: float | None, added_lines: int, *, dataset: bool,
        context: QueryContext | None = None,
    ) -> Reply:
        params: list[tuple[str, str]] = [("query", text)]
        if context is not None and context.has_dataset:
            params += self._asked_dataset(context)
        elif dataset:
            params += self._dataset()
        body = urlencode(params).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept}
        reply = self._http.request("POST", self.query_ep, self.query_ep.target, body, headers,
                                   seconds or self.timeout)
        if reply.status >= 400:
            raise _query_error(reply, added_lines)
        return reply

    def _select(self, text: str, *, dataset: bool = False) -> list[dict[str, Any]]:
        """Run an internal SELECT; rows as mappings of variable to JSON cell."""
        import json

        reply = self._send_query(text, JSON_RESULTS, None, 0, dataset=dataset)
        data = json.loads(reply.body)
        rows: list[dict[str, Any]] = data["results"]["bindings"]
        return rows

    def _dataset(self) -> list[tuple[str, str]]:
        """Protocol parameters naming our dataset (none when the server's own default graph
        is ours)."""
        if self.default_graph is None:
            return []
        named = self._current_stats().graphs or [self.default_graph + "#none"]
        return [("default-graph-uri", self.default_graph)] + [("named-graph-uri", g) for g in named]

    def _asked_dataset(self, context: QueryContext) -> list[tuple[str, str]]:
        """Protocol parameters for a dataset a client named: our graphs as they are, any
        other graph as one that does not exist (so it is empty, never the server's)."""
        ours = set(self._current_stats().graphs) if self.scope or self.default_graph else None
        empty = (self.default_graph or self.scope or "urn:kg:") + "#none"

        def mapped(graphs: tuple[str, ...] | None) -> list[str]:
            picked = [g if ours is None or g in ours else empty for g in graphs or ()]
            return picked or [empty]

        return ([("default-graph-uri", g) for g in mapped(context.default_graphs)]
                + [("named-graph-uri", g) for g in mapped(context.named_graphs)])

    # -- what is there ------------------------------------------------------------------
    def _read_stats(self) -> _Stats:
        # GROUP BY, not DISTINCT: Virtuoso answers it from an index (ms instead of seconds)
        rows = self._select("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
        graphs = sorted(
            r["g"]["value"] for r in rows
            if r.get("g", {}).get("type") == "uri" and self._ours(r["g"]["value"])
        )
        where = (f"GRAPH {iri_text(self.default_graph)} {{ ?s ?p ?o }}"
                 if self.default_graph else "?s ?p ?o")
        n = self._select(f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")
        count = int(n[0]["n"]["value"]) if n else 0
        g = self._version_graph
        mark = [] if g is None else self._select(
            f"SELECT ?v ?h WHERE {{ GRAPH <{g}> {{ <{g}> <{_VERSION}> ?v "
            f"OPTIONAL {{ <{g}> <{_HEAD}> ?h }} }} }}")
        marker = mark[0]["v"]["value"] if mark else None
        head = mark[0]["h"]["value"] if mark and "h" in mark[0] else None
        return _Stats(graphs, count, time.monotonic() + self.version_ttl, marker, head)

    def _ours(self, graph: str) -> bool:
        if graph in (self.default_graph, self._version_graph):
            return False
        return self.scope is None or graph.startswith(self.scope)

    def _current_stats(self) -> _Stats:
        """The cached stats; when they are stale one caller refreshes them while concurrent
        callers keep using the old ones (stale-while-revalidate)."""
        with self._lock:
            stats = self._stats
            fresh = stats is not None and time.monotonic() <= stats.expires
            if fresh or (stats is not None and self._refreshing):
                return stats  # type: ignore[return-value]
            self._refreshing = True
        try:
            stats = self._read_stats()
        finally:
            with self._lock:
                self._refreshing = False
        with self._lock:
            self._stats = stats
        return stats

    def _forget_stats(self) -> None:
        with self._lock:
            self._stats = None

    def count(self) -> int:
        """Triples in the default graph (read afresh)."""
        self._forget_stats()
        return self._current_stats().count

    def graphs(self) -> list[str]:
        return list(self._current_stats().graphs)

    def data_version(self) -> str:
        """The version written by the last build or change (:meth:`set_version`), else a hash
        of the default graph's size and the graph names; cached ``version_ttl`` s."""
        return self._current_stats().version

    @property
    def lineage(self) -> str:
        return f"remote:{self.query_ep.origin}{self.query_ep.target}#{self.scope or ''}"

    @property
    def durable_version(self) -> bool:
        return self._current_stats().marker is not None

    def head(self) -> str | None:
        self._forget_stats()
        return self._current_stats().head

    def set_version(self, version: str, head: str | None = None) -> None:
        """Record the data version (and the last change's name) on the server.

        Only on a shared server (with a ``scope``), where every query names its dataset and
        the marker graph stays out of it; on a server of our own the version is the hash of
        the default graph's size and the graph names (every edit adds a graph).
        """
        if self.scope is not None:
            self.update(self._marker_text(version, head))
        self._forget_stats()

    @property
    def _version_graph(self) -> str | None:
        return None if self.scope is None else self.scope + VERSION_GRAPH

    def _marker_text(self, version: str, head: str | None) -> str:
        if self._version_graph is None:
            return ""
        g = iri_text(self._version_graph)
        keep_head = "" if head is not None else f" FILTER(?p != <{_HEAD}>)"
        lines = [f"{g} <{_VERSION}> {literal_text(version)} ."]
        if head is not None:
            lines.append(f"{g} <{_HEAD}> {literal_text(head)} .")
        return (f"DELETE {{ GRAPH {g} {{ ?s ?p ?o }} }} WHERE {{ GRAPH {g} {{ ?s ?p ?o }}{keep_head} }} ;\n"
                f"INSERT DATA {{ GRAPH {g} {{ {' '.join(lines)} }} }}")

    def _apply(self, delta: Delta, version: str, head: str | None) -> None:
        """The change and the new version marker in one update request (one transaction on
        servers that run a request atomically, as Oxigraph and Virtuoso do)."""
        text = delta.update_text(self.default_graph, self.scope)
        marker = self._marker_text(version, head)
        request = " ;\n".join(t for t in (text, marker) if t)
        try:
            if request:
                self.update(request)
        finally:
            self._forget_stats()

    # -- writing ------------------------------------------------------------------------
    def update(self, sparql: str) -> None:
        """Send a SPARQL Update (internal use: loading and clearing; never user text).

        Raises:
            StoreError: no update endpoint, or the server refused.
        """
        if self.update_ep is None:
            raise StoreError("this remote store has no update endpoint (add ?update=... to its spec)")
        text, _ = add_prologue(sparql)
        headers = {"Content-Type": "application/sparql-update; charset=utf-8"}
        reply = self._http.request("POST", self.update_ep, self.update_ep.target,
                                   text.encode("utf-8"), headers, self.timeout)
        if reply.status >= 400:
            raise StoreError(f"the server refused an update ({reply.status}): {_message(reply)}")

    def _add_quads(self, quads: list[Quad]) -> None:
        by_graph: dict[str | None, list[str]] = defaultdict(list)
        for s, p, o, g in quads:
            by_graph[None if g is None else str(g)].append(
                f"{term_text(s)} {term_text(p)} {term_text(o)} .\n")
        self._send_graphs(by_graph)

    def add_ox_quads(self, quads: list[ox.Quad], *, merge: bool = True) -> None:
        """Add pyoxigraph quads (no conversion through rdflib terms); with ``merge`` named-graph
        triples go into the default graph too, as in :meth:`add_quads`."""
        by_graph: dict[str | None, list[str]] = defaultdict(list)
        for q in quads:
            line = f"{q.subject} {q.predicate} {q.object} .\n"
            named = isinstance(q.graph_name, ox.NamedNode)
            by_graph[q.graph_name.value if named else None].append(line)  # type: ignore[union-attr]
            if named and merge:
                by_graph[None].append(line)
        self._send_graphs(by_graph)

    def _send_graphs(self, by_graph: Mapping[str | None, list[str]]) -> None:
        try:
            for graph, lines in by_graph.items():
                self._send_triples(graph, lines)
        finally:
            self._forget_stats()

    def _send_triples(self, graph: str | None, lines: list[str]) -> None:
        """Send N-Triples lines to a graph (``None``: the default graph) in chunks; lines with
        blank nodes go together in one request, so that a blank node stays one node."""
        graph = graph or self.default_graph
        plain = [ln for ln in lines if "_:" not in ln]
        with_bnodes = [ln for ln in lines if "_:" in ln]
        for i in range(0, len(plain), self.chunk):
            self._send_chunk(graph, plain[i : i + self.chunk], bnodes=False)
        if with_bnodes:
            self._send_chunk(graph, with_bnodes, bnodes=True)

    def _send_chunk(self, graph: str | None, lines: list[str], *, bnodes: bool) -> None:
        body = "".join(lines)
        if self.gsp_ep is not None:
            self._gsp_post(graph, body.encode("utf-8"), N_TRIPLES)
            return
        block = f"GRAPH {iri_text(graph)} {{\n{body}}}" if graph else body
        if bnodes:  # INSERT DATA may not hold blank nodes on every server (Virtuoso)
            self.update(f"INSERT {{ {block} }} WHERE {{}}")
        else:
            self.update(f"INSERT DATA {{ {block} }}")

    def _gsp_target(self, graph: str | None) -> str:
        assert self.gsp_ep is not None
        return self.gsp_ep.with_query(urlencode({"graph": graph}) if graph else "default")

    def _gsp_post(self, graph: str | None, body: bytes | BinaryIO, media_type: str,
                  length: int | None = None) -> None:
        assert self.gsp_ep is not None
        headers = {"Content-Type": f"{media_type}; charset=utf-8"}
        if length is not None:
            headers["Content-Length"] = str(length)
        reply = self._http.request("POST", self.gsp_ep, self._gsp_target(graph), body, headers,
                                   self.timeout)
        if reply.status >= 400:
            raise StoreError(f"the server refused to load into <{graph or 'default'}> ({reply.status}): "
                             f"{_message(reply)}")

    def load_file(
        self,
        path: Path,
        fmt: RdfFormatInfo,
        graph: str | None,
        *,
        progress: Any = None,
        merge: bool = True,
    ) -> None:
        """Load a file into ``graph`` and (``merge``) the default graph: streamed as it is
        over the Graph Store Protocol when possible, else parsed here and sent in chunks."""
        try:
            if self.gsp_ep is not None and fmt.name in _STREAMABLE:
                targets: list[str | None] = [graph] if graph else []
                if merge or not graph:
                    targets.append(self.default_graph)
                size = path.stat().st_size
                for target in targets:
                    with open(path, "rb") as fh:
                        self._gsp_post(target, fh, fmt.media_type, size)
            else:
                from kg.io.parse import read_ox_quads

                self.add_ox_quads(read_ox_quads(path, fmt, graph), merge=merge)
        finally:
            self._forget_stats()
        if progress is not None:
            progress.update(path.stat().st_size)

    def clear(self) -> None:
        """Drop each of our named graphs and empty the default graph."""
        graphs: list[str | None] = [*self.graphs(), self.default_graph]
        if self._version_graph is not None:
            graphs.append(self._version_graph)
        try:
            if self.update_ep is not None:
                for g in graphs:
                    self.update(f"DROP SILENT GRAPH {iri_text(g)}" if g else "CLEAR SILENT DEFAULT")
            elif self.gsp_ep is not None:
                for g in graphs:
                    reply = self._http.request("DELETE", self.gsp_ep, self._gsp_target(g), None,
                                               {}, self.timeout)
                    if reply.status >= 400 and reply.status != 404:
                        raise StoreError(f"the server refused to drop <{g}>: {_message(reply)}")
            else:
                raise StoreError("this remote store has neither an update nor a GSP endpoint")
        finally:
            self._forget_stats()

    # -- dumping ------------------------------------------------------------------------
    def _graph_triples(self, graph: str | None) -> Iterator[ox.Triple]:
        """Stream one graph's triples (``None``: the default graph) from the server."""
        if graph is None:
            params = [("query", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")]
            if self.default_graph:
                params.append(("default-graph-uri", self.default_graph))
        else:
            params = [("query", "CONSTRUCT { ?s ?p ?o } WHERE { GRAPH "
                                f"{iri_text(graph)} {{ ?s ?p ?o }} }}")]
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": N_TRIPLES}
        resp = self._http.open("POST", self.query_ep, self.query_ep.target,
                               urlencode(params).encode("ascii"), headers)
        try:
            if resp.status >= 400:
                raise StoreError(f"the server refused to dump <{graph}>: {resp.read()[:500]!r}")
            if resp.getheader("X-SPARQL-MaxRows"):
                raise StoreError(f"the server caps results at {resp.getheader('X-SPARQL-MaxRows')} "
                                 "rows; raise its limit (Virtuoso: ResultSetMaxRows) to dump")
            try:
                for q in ox.parse(resp, format=ox.RdfFormat.N_TRIPLES):
                    yield q.triple
            except SyntaxError as exc:
                raise StoreError(f"the server sent malformed N-Triples: {exc}") from exc
        finally:
            if not resp.isclosed():
                self._http.discard(self.query_ep)

    def dump(self, out: BinaryIO, fmt: RdfFormatInfo) -> None:
        """Triple formats get the default graph; quad formats every source graph and the
        default graph."""
        from kg.store.oxigraph import _prefixes_for

        if not fmt.quads:
            ox.serialize(self._graph_triples(None), out, format=fmt.ox, prefixes=_prefixes_for(fmt))
            return
        graphs: list[str | None] = [*self.graphs(), None]
        quads = (ox.Quad(t.subject, t.predicate, t.object,
                         ox.NamedNode(g) if g else ox.DefaultGraph())
                 for g in graphs for t in self._graph_triples(g))
        ox.serialize(quads, out, format=fmt.ox, prefixes=_prefixes_for(fmt))

    def close(self) -> None:
        self._http.close()


# -- results and errors -------------------------------------------------------------------
def _json_result(body: bytes, limit: int | None, capped: bool) -> SelectResult | AskResult:
    import json

    try:
        data = json.loads(body)
    except ValueError as exc:
        raise QueryError(f"the server sent malformed SPARQL JSON: {exc}") from exc
    if "boolean" in data:
        return AskResult(bool(data["boolean"]))
    names: list[str] = list(data.get("head", {}).get("vars", []))
    cells = data.get("results", {}).get("bindings", [])
    truncated = capped
    if limit is not None and len(cells) > limit:
        cells, truncated = cells[:limit], True
    rows = [tuple(json_term(c[v]) if v in c else None for v in names) for c in cells]
    return SelectResult(names, rows, truncated=truncated)


def _graph_result(body: bytes, limit: int | None, capped: bool) -> GraphResult:
    triples = []
    truncated = capped
    try:
        for i, q in enumerate(ox.parse(body, format=ox.RdfFormat.N_TRIPLES)):
            if limit is not None and i >= limit:
                truncated = True
                break
            triples.append((from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)))
    except SyntaxError as exc:
        raise QueryError(f"the server sent malformed N-Triples: {exc}") from exc
    return GraphResult(triples, truncated=truncated)  # type: ignore[arg-type]


def _message(reply: Reply) -> str:
    """The useful part of a server's error body (Virtuoso echoes the query after it)."""
    text = reply.text().split("\n\nSPARQL query:")[0].strip()
    text = re.sub(r"^Virtuoso \w+ Error \w+:\s*", "", text)
    return text[:1000] or f"HTTP {reply.status}"


def _query_error(reply: Reply, added_lines: int) -> QueryError:
    """A server's error reply as our error: 400 is a syntax error, a timeout is a timeout."""
    msg = _message(reply)
    if re.search(r"\btime ?out\b|S1T00|timed out|execution time .* exceeds", msg, re.I) or reply.status in (503, 504):
        return QueryTimeoutError(f"the SPARQL server stopped the query: {msg}")
    if reply.status != 400:
        return QueryError(f"the SPARQL server failed ({reply.status}): {msg}")
    m = re.match(r"error at (\d+):(\d+):\s*(.*)", msg, re.S)  # Oxigraph
    if m:
        return QuerySyntaxError(m.group(3), max(1, int(m.group(1)) - added_lines), int(m.group(2)))
    m = re.search(r"line (\d+)(?:, column (\d+))?", msg)  # Virtuoso, Jena
    if m:
        col = int(m.group(2)) if m.group(2) else None
        return QuerySyntaxError(msg, max(1, int(m.group(1)) - added_lines), col)
    return QuerySyntaxError(msg)

