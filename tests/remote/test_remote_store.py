"""The remote backend itself: its spec, its query text, and writing to real servers (each test
in its own graph scope, so the contract data stays untouched)."""

from __future__ import annotations

import io
import uuid
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import BNode, Literal, URIRef

from kg.devtools.servers import OxigraphServer, VirtuosoServer
from kg.errors import QueryError, StoreError
from kg.io.formats import rdf_format
from kg.io.sparqltext import add_prologue, inject_values, mask_sparql, term_text
from kg.store import open_store
from kg.store.http import Reply
from kg.store.remote import RemoteStore, _query_error, parse_spec

RDFS_LABEL = URIRef("http://www.w3.org/2000/01/rdf-schema#label")


# -- spec and text (no server) ----------------------------------------------------------------
def test_parse_spec_resolves_paths_and_options() -> None:
    s = parse_spec("sparql+https://u:p@example.org:8443/ds/sparql?update=update&gsp=/ds/data"
                   "&scope=https://data.kfvn.se/graph/&chunk=500&version_ttl=1")
    assert s.query_url == "https://u:p@example.org:8443/ds/sparql"
    assert s.update_url == "https://u:p@example.org:8443/ds/update"
    assert s.gsp_url == "https://u:p@example.org:8443/ds/data"
    assert (s.scope, s.chunk, s.version_ttl) == ("https://data.kfvn.se/graph/", 500, 1.0)


@pytest.mark.parametrize("spec", ["sparql+http://h/q?updat=/u", "sparql+http://h/q?timeout=x",
                                  "http://h/q"])
def test_bad_specs_are_refused(spec: str) -> None:
    with pytest.raises(StoreError):
        parse_spec(spec)


def test_open_store_dispatches_remote_specs() -> None:
    store = open_store("sparql+http://127.0.0.1:9/sparql?scope=urn:x:")
    assert isinstance(store, RemoteStore) and store.scope == "urn:x:"


def test_unreachable_server_is_a_store_error() -> None:
    store = RemoteStore("http://127.0.0.1:9/sparql", timeout=2)
    with pytest.raises(StoreError, match="cannot reach"):
        store.ask("ASK {}")


@pytest.mark.parametrize(("sparql", "expected"), [
    ("SELECT ?x WHERE { ?s ?p ?x }", "SELECT ?x WHERE { VALUES (?s) { (<urn:a>) } ?s ?p ?x }"),
    ("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",
     "CONSTRUCT { ?s ?p ?o } WHERE { VALUES (?s) { (<urn:a>) } ?s ?p ?o }"),
    ("CONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT WHERE { VALUES (?s) { (<urn:a>) } ?s ?p ?o }"),
    ("SELECT (EXISTS { ?s ?p 1 } AS ?e) { ?s ?p ?o }",
     "SELECT (EXISTS { ?s ?p 1 } AS ?e) { VALUES (?s) { (<urn:a>) } ?s ?p ?o }"),
    ('SELECT * { ?s ?p "{" }', 'SELECT * { VALUES (?s) { (<urn:a>) } ?s ?p "{" }'),
])
def test_values_open_the_outermost_pattern(sparql: str, expected: str) -> None:
    assert inject_values(sparql, {"s": URIRef("urn:a")}) == expected


@pytest.mark.parametrize("term", [URIRef("urn:a> } DROP ALL {"), URIRef("http://x/ y")])
def test_unsafe_iris_are_refused(term: URIRef) -> None:
    with pytest.raises(QueryError):
        term_text(term)


def test_literals_are_escaped_not_pasted() -> None:
    text = term_text(Literal('"} ; DROP ALL ; {"', lang="sv"))
    assert text == '"\\"} ; DROP ALL ; {\\""@sv'
    with pytest.raises(QueryError):
        inject_values("SELECT * { ?s ?p ?o }", {"s": BNode()})
    with pytest.raises(QueryError):
        inject_values("SELECT * { ?s ?p ?o }", {"s a": URIRef("urn:a")})


def test_prologue_only_for_undeclared_prefixes() -> None:
    text, n = add_prologue("PREFIX foaf: <urn:f#>\nSELECT * { ?s a foaf:P ; rdfs:label 'x:y' }")
    assert n == 1 and text.startswith("PREFIX rdfs: ") and "PREFIX foaf: <http" not in text
    assert mask_sparql("<a:b> 'c:d' # e:f") == "<___> '___' _____"


@pytest.mark.parametrize(("status", "body", "kind", "line"), [
    (400, "error at 3:7: expected one of ...", "QuerySyntaxError", 1),
    (400, "Virtuoso 37000 Error SP030: SPARQL compiler, line 4: syntax error\n\nSPARQL query:\nx",
     "QuerySyntaxError", 2),
    (500, "Virtuoso S1T00 Error SR171: Transaction timed out", "QueryTimeoutError", None),
    (500, "Virtuoso 42000 Error The estimated execution time 9 (sec) exceeds the limit of 1 (sec).",
     "QueryTimeoutError", None),
    (500, "disk full", "QueryError", None),
])
def test_server_errors_become_ours(status: int, body: str, kind: str, line: int | None) -> None:
    err = _query_error(Reply(status, {}, body.encode()), added_lines=2)
    assert type(err).__name__ == kind
    assert getattr(err, "line", None) == line
    assert "SPARQL query:" not in str(err)


# -- writing to real servers ------------------------------------------------------------------
def _scratch(name: str, request: pytest.FixtureRequest, *, gsp: bool = True) -> RemoteStore:
    scope = f"urn:x-kg-test:{uuid.uuid4().hex[:8]}:"
    if name == "oxigraph-server":
        ox: OxigraphServer = request.getfixturevalue("oxigraph_server")
        return RemoteStore(ox.query_url, f"{ox.base_url}/update",
                           f"{ox.base_url}/store" if gsp else None, scope=scope)
    vt: VirtuosoServer = request.getfixturevalue("virtuoso_server")
    return RemoteStore(vt.query_url, vt.query_url,
                       f"{vt.base_url}/sparql-graph-crud" if gsp else None, scope=scope)


SERVERS = [pytest.param(n, marks=pytest.mark.remote) for n in ("oxigraph-server", "virtuoso")]


@pytest.mark.parametrize("gsp", [True, False], ids=["gsp", "update"])
@pytest.mark.parametrize("name", SERVERS)
def test_add_count_version_clear(name: str, gsp: bool, request: pytest.FixtureRequest) -> None:
    store = _scratch(name, request, gsp=gsp)
    g1, g2 = URIRef(store.scope + "a"), URIRef(store.scope + "b")  # type: ignore[operator]
    before = store.data_version()
    node = BNode()
    store.add_quads([
        (URIRef("urn:x:s"), RDFS_LABEL, Literal("Härnösand \"citat\"\n", lang="sv"), g1),
        (URIRef("urn:x:s"), URIRef("urn:x:place"), node, g1),
        (node, RDFS_LABEL, Literal("en plats"), g1),
        (URIRef("urn:x:s"), URIRef("urn:x:n"), Literal(3), g2),
    ])
    assert store.graphs() == [str(g1), str(g2)]
    assert store.count() == 4
    assert store.data_version() != before
    # the blank node stayed one node across the load
    assert store.select("SELECT ?l WHERE { <urn:x:s> <urn:x:place> ?b . ?b rdfs:label ?l }").rows \
        == [(Literal("en plats"),)]
    assert store.ask("ASK { ?s rdfs:label 'Härnösand \"citat\"\\n'@sv }")
    store.clear()
    assert store.graphs() == [] and store.count() == 0


@pytest.mark.parametrize("name", SERVERS)
def test_load_file_streams_turtle_and_splits_trig(name: str, request: pytest.FixtureRequest,
                                                  tmp_path: Path) -> None:
    store = _scratch(name, request)
    ttl = tmp_path / "a.ttl"
    ttl.write_text('@prefix ex: <urn:x:> .\nex:a ex:p "å", "ä", "ö" .\n', encoding="utf-8")
    trig = tmp_path / "b.trig"
    trig.write_text(f'<{store.scope}t1> {{ <urn:x:b> <urn:x:p> 1 }}\n'
                    f'<{store.scope}t2> {{ <urn:x:b> <urn:x:p> 2 }}\n', encoding="utf-8")
    store.load_file(ttl, rdf_format("turtle"), f"{store.scope}ttl")
    store.load_file(trig, rdf_format("trig"), None)
    assert store.graphs() == [f"{store.scope}{g}" for g in ("t1", "t2", "ttl")]
    assert store.count() == 5
    buf = io.BytesIO()
    store.dump(buf, rdf_format("nquads"))
    assert buf.getvalue().count(b"\n") == 10  # five in their graphs, five in the default graph
    store.clear()


@pytest.mark.parametrize("name", SERVERS)
def test_default_graph_is_the_merge(name: str, request: pytest.FixtureRequest) -> None:
    store = _scratch(name, request)
    a, b = URIRef(store.scope + "a"), URIRef(store.scope + "b")  # type: ignore[operator]
    same = (URIRef("urn:x:s"), RDFS_LABEL, Literal("två källor"))
    store.add_quads([(*same, a), (*same, b), (URIRef("urn:x:s"), RDFS_LABEL, Literal("bara här"), None)])
    assert store.count() == 2  # one fact stated twice is one triple of the default graph
    assert len(store.select("SELECT ?l WHERE { <urn:x:s> rdfs:label ?l }")) == 2
    assert len(store.select("SELECT ?g WHERE { GRAPH ?g { <urn:x:s> rdfs:label ?l } }")) == 2
    assert store.graphs() == [str(a), str(b)]
    store.clear()
    assert store.count() == 0


@pytest.mark.remote
def test_cli_queries_a_remote_store(oxigraph_server: OxigraphServer, store_for) -> None:  # type: ignore[no-untyped-def]
    from kg.cli import cli

    store_for("oxigraph-server")  # loaded with the contract data
    result = CliRunner().invoke(cli, ["--store", oxigraph_server.spec, "query", "-o", "csv",
                                      "SELECT ?l WHERE { <https://data.kfvn.se/id/kontrakt/ange> "
                                      "rdfs:label ?l }"])
    assert result.exit_code == 0, result.output
    assert "Ånge kommun" in result.output


@pytest.mark.parametrize("name", SERVERS)
def test_apply_delta_keeps_the_merge_and_moves_the_version(
        name: str, request: pytest.FixtureRequest) -> None:
    """A change on a shared server: one update request, the merged default graph kept right
    (a triple another source still states stays), the version marker moved."""
    from kg.store.delta import Delta

    store = _scratch(name, request)
    g1, g2 = URIRef(store.scope + "a"), URIRef(store.scope + "b")  # type: ignore[operator]
    s, p = URIRef("urn:x:s"), URIRef("urn:x:p")
    store.add_quads([(s, p, Literal("delad"), g1), (s, p, Literal("delad"), g2),
                     (s, p, Literal("bara i a"), g1)])
    before = store.data_version()
    version = store.apply(Delta(remove=[(s, p, Literal("delad"), g1), (s, p, Literal("bara i a"), g1)],
                                add=[(s, p, Literal("Sollefteå \"ny\""), g1)]), head="ändring-1")
    assert version != before
    assert store.data_version() == version and store.durable_version
    assert store.head() == "ändring-1"
    rows = {str(r[0]) for r in store.select("SELECT ?o WHERE { <urn:x:s> <urn:x:p> ?o }").rows}
    assert rows == {"delad", 'Sollefteå "ny"'}
    assert store.scope + "data-version" not in store.graphs()  # type: ignore[operator]
    store.clear()
