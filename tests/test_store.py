"""The store contract on the local backends: same answers, same errors."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from kg.errors import QuerySyntaxError, ReadOnlyError
from kg.store import open_store
from kg.store.base import Store, query_form

EX = "https://example.org/"
G = URIRef(EX + "g")


def _small(spec: str) -> Store:
    store = open_store(spec)
    store.add_quads([
        (URIRef(EX + "a"), URIRef(EX + "p"), Literal("Å ä ö", lang="sv"), G),
        (URIRef(EX + "a"), URIRef(EX + "n"), Literal(3), G),
        (URIRef(EX + "b"), URIRef(EX + "p"), Literal("b"), URIRef(EX + "g2")),
        (URIRef(EX + "b"), URIRef(EX + "q"), URIRef(EX + "a"), G),
    ])
    return store


@pytest.fixture(params=["oxigraph:", "memory"])
def small(request: pytest.FixtureRequest) -> Store:
    return _small(request.param)


def test_select_sees_union_of_graphs(small: Store) -> None:
    res = small.select(f"SELECT ?s ?o WHERE {{ ?s <{EX}p> ?o }} ORDER BY ?s")
    assert res.variables == ["s", "o"]
    assert res.rows == [(URIRef(EX + "a"), Literal("Å ä ö", lang="sv")),
                        (URIRef(EX + "b"), Literal("b"))]


def test_graph_clause_tells_the_source(small: Store) -> None:
    res = small.select(f"SELECT ?g WHERE {{ GRAPH ?g {{ <{EX}b> <{EX}p> ?o }} }}")
    assert res.rows == [(URIRef(EX + "g2"),)]
    assert small.graphs() == [EX + "g", EX + "g2"]
    assert small.count() == 4


def test_typed_literals_survive(small: Store) -> None:
    (n,), = small.select(f"SELECT ?n WHERE {{ ?s <{EX}n> ?n }}").rows
    assert n == Literal(3) and n.toPython() == 3


def test_bindings_are_bound_not_pasted(small: Store) -> None:
    q = f"SELECT ?o ?s WHERE {{ ?s <{EX}p> ?o }}"
    assert small.select(q, bindings={"s": URIRef(EX + "b")}).rows == [(Literal("b"), URIRef(EX + "b"))]
    evil = Literal('x" } ?s ?p ?o . { "')
    assert small.select(q, bindings={"s": evil}).rows == []


def test_limit_marks_truncation(small: Store) -> None:
    res = small.select("SELECT * WHERE { ?s ?p ?o }", limit=2)
    assert len(res) == 2 and res.truncated
    assert not small.select("SELECT * WHERE { ?s ?p ?o }", limit=10).truncated


def test_ask_and_construct(small: Store) -> None:
    assert small.ask(f"ASK {{ <{EX}b> <{EX}q> <{EX}a> }}")
    assert not small.ask(f"ASK {{ <{EX}a> <{EX}q> <{EX}b> }}")
    g = small.construct(f"CONSTRUCT {{ ?s <{EX}x> ?o }} WHERE {{ ?s <{EX}q> ?o }}").to_graph()
    assert set(g) == {(URIRef(EX + "b"), URIRef(EX + "x"), URIRef(EX + "a"))}


def test_known_prefixes_are_predeclared(small: Store) -> None:
    assert small.select("SELECT ?x WHERE { BIND(schema:Project AS ?x) }").rows == [
        (URIRef("https://schema.org/Project"),)
    ]


def test_syntax_error_has_position(small: Store) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        small.query("SELECT * WHERE {\n  ?s ?p \n}")
    assert info.value.line is not None


@pytest.mark.parametrize("update", [
    "INSERT DATA { <https://x/a> <https://x/b> <https://x/c> }",
    "PREFIX ex: <https://x/>\nDELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP GRAPH <https://x/g>",
])
def test_updates_are_refused(small: Store, update: str) -> None:
    with pytest.raises(ReadOnlyError):
        small.query(update)
    assert small.count() == 4


@pytest.mark.parametrize("text,form", [
    ("SELECT * {}", "SELECT"),
    ("# INSERT in a comment\nASK {}", "ASK"),
    ('SELECT ?x WHERE { BIND("DELETE" AS ?x) }', "SELECT"),
    ("PREFIX insert: <http://x/>\nCONSTRUCT WHERE { ?s ?p ?o }", "CONSTRUCT"),
    ("describe <http://x/insert>", "DESCRIBE"),
    ("WITH <http://g> DELETE { ?s ?p ?o } WHERE { ?s ?p ?o }", "WITH"),
])
def test_query_form(text: str, form: str) -> None:
    assert query_form(text) == form


def test_backends_agree_on_bundled_data(ox_store: Store, mem_store: Store) -> None:
    q = """SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o FILTER(!isBlank(?s)) }
           GROUP BY ?s ORDER BY DESC(?n) ?s LIMIT 50"""
    assert ox_store.select(q).rows == mem_store.select(q).rows
    assert ox_store.count() == mem_store.count()
    assert ox_store.graphs() == mem_store.graphs()
