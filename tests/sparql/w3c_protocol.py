"""A runner for the W3C SPARQL 1.1 Protocol test suite (``tests/sparql/w3c/manifest.ttl``).

The manifest describes each test as HTTP requests (method, path, headers, body) and what the
response must be (a status class, a result format, an ASK answer). :func:`load_manifest`
reads it with rdflib; :func:`run` sends a test's requests to a live endpoint over real HTTP
and checks the responses. Nothing here knows about our app: the same runner measures
Oxigraph's own server.

>>> tests = load_manifest()
>>> len(tests), sum(t.is_update for t in tests)
(34, 14)
"""

from __future__ import annotations

import http.client
import json
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path
from xml.dom import minidom

from rdflib import RDF, RDFS, Graph, Namespace, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

__all__ = ["HERE", "Outcome", "ProtocolTest", "Request", "graph_data", "load_manifest", "run"]

HERE = Path(__file__).parent / "w3c"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

RESULT_TYPES = {
    "boolean": ("application/sparql-results+json", "application/sparql-results+xml"),
    "tabular": ("application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"),
    "RDF": ("application/rdf+xml", "text/turtle", "application/n-triples", "text/plain",
            "application/xhtml+xml", "text/html"),
}


@dataclass(frozen=True)
class Request:
    """One HTTP request of a test and what its response must be."""

    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    body: bytes | None
    statuses: frozenset[int]  # acceptable first digits: 2, 3, 4
    result_format: str | None
    boolean: bool | None


@dataclass(frozen=True)
class ProtocolTest:
    """A test of the manifest: its name, the graphs it needs and its requests."""

    name: str
    title: str
    graphs: tuple[tuple[str, Path], ...]
    requests: tuple[Request, ...]

    @property
    def is_update(self) -> bool:
        return "update" in self.name


@dataclass
class Outcome:
    """What happened when a test ran."""

    passed: bool
    statuses: list[int] = field(default_factory=list)
    detail: str = ""


def _text(g: Graph, node: Node, prop: URIRef) -> str | None:
    value = g.value(node, prop)
    return None if value is None else str(value)


def _request(g: Graph, node: Node) -> Request:
    headers = []
    hnode = g.value(node, HT.headers)
    if hnode is not None:
        for h in Collection(g, hnode):
            headers.append((str(g.value(h, HT.fieldName)), str(g.value(h, HT.fieldValue))))
    body = None
    bnode = g.value(node, HT.body)
    if bnode is not None:
        encoding = _text(g, bnode, CNT.characterEncoding) or "UTF-8"
        body = str(g.value(bnode, CNT.chars)).encode(encoding.lower())
    resp = g.value(node, HT.resp)
    assert resp is not None
    statuses = frozenset(int(str(s).rsplit("StatusCode", 1)[1][0])
                         for s in g.objects(resp, MF.expectedStatus))
    boolean = g.value(resp, MF.expectedBoolean)
    return Request(
        method=str(g.value(node, HT.methodName)),
        path=str(g.value(node, HT.absolutePath)),
        headers=tuple(headers),
        body=body,
        statuses=statuses,
        result_format=_text(g, resp, MF.expectedFormat),
        boolean=None if boolean is None else bool(boolean.toPython()),
    )


def load_manifest(path: Path = HERE / "manifest.ttl") -> list[ProtocolTest]:
    """Every test of the manifest, in its order."""
    g = Graph().parse(path, format="turtle")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for node in Collection(g, g.value(manifest, MF.entries)):
        graphs = tuple(
            (str(g.value(d, RDFS.label)), path.parent / Path(str(g.value(d, UT.graph))).name)
            for d in g.objects(node, UT.graphData)
        )
        action = g.value(node, MF.action)
        reqs = tuple(_request(g, r) for r in Collection(g, g.value(action, HT.requests)))
        name = str(node).rsplit("#", 1)[1]
        tests.append(ProtocolTest(name, str(g.value(node, MF.name)), graphs, reqs))
    return tests


def graph_data(tests: list[ProtocolTest]) -> dict[str, Path]:
    """Every named graph the tests need: graph IRI -> data file."""
    return {iri: file for t in tests for iri, file in t.graphs}


def _boolean(ctype: str, body: bytes) -> bool | None:
    try:
        if "json" in ctype:
            value = json.loads(body)["boolean"]
            return value if isinstance(value, bool) else None
        if "xml" in ctype:
            nodes = minidom.parseString(body).getElementsByTagName("boolean")
            return nodes[0].firstChild.data.strip() == "true" if nodes else None
    except (ValueError, KeyError, IndexError, AttributeError):
        return None
    return None


def _check(req: Request, status: int, ctype: str, body: bytes) -> str:
    """What is wrong with a response ('' when it is right)."""
    if status // 100 not in req.statuses:
        return f"status {status}, expected {sorted(req.statuses)}xx"
    if req.result_format is not None:
        if ctype not in RESULT_TYPES[req.result_format]:
            return f"content type {ctype!r} is not {req.result_format}"
        if req.result_format == "boolean" and _boolean(ctype, body) is None:
            return "no boolean in the reply"
    if req.boolean is not None and _boolean(ctype, body) is not req.boolean:
        return f"expected {req.boolean}, got {_boolean(ctype, body)}"
    return ""


def _is_update(req: Request) -> bool:
    ctype = dict(req.headers).get("content-type", "")
    return "sparql-update" in ctype or "update=" in req.path or (req.body or b"")[:7] == b"update="


def run(test: ProtocolTest, host: str, port: int, endpoint: str = "/sparql",
        timeout: float = 30, update_endpoint: str | None = None) -> Outcome:
    """Send the test's requests in order to ``http://host:port`` and check every response.

    ``/sparql/`` in the manifest's paths becomes ``endpoint`` (``update_endpoint`` for
    update requests, when the server has a separate one)."""
    outcome = Outcome(True)
    for req in test.requests:
        target = update_endpoint if update_endpoint and _is_update(req) else endpoint
        path = target + req.path[len("/sparql/"):] if req.path.startswith("/sparql/") else req.path
        conn = http.client.HTTPConnection(host, port, timeout=timeout)
        try:
            conn.request(req.method, path, body=req.body, headers=dict(req.headers))
            resp = conn.getresponse()
            body = resp.read()
            status = resp.status
            ctype = (resp.getheader("Content-Type") or "").split(";")[0].strip().lower()
        finally:
            conn.close()
        outcome.statuses.append(status)
        problem = _check(req, status, ctype, body)
        if problem:
            outcome.passed = False
            outcome.detail = f"{req.method} {urllib.parse.unquote(path)[:80]}: {problem}; " + \
                body[:200].decode("utf-8", "replace")
            return outcome
    return outcome
