"""The store contract, run on every backend (embedded Oxigraph, rdflib in memory, Oxigraph's
server and Virtuoso over HTTP), each loaded with the bundled data plus a small fixture graph.

Answers are compared with the embedded store's after normalising what SPARQL servers may
legitimately canonicalise: numbers compare by value (Virtuoso stores ``"3000000"^^xsd:decimal``
as an integer), language tags compare case-insensitively, blank nodes by structure.
"""

from __future__ import annotations

import io
import time
from collections import Counter
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox
import pytest
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.errors import QuerySyntaxError, QueryTimeoutError, ReadOnlyError
from kg.io.formats import rdf_format
from kg.store.base import Store

EX = "https://data.kfvn.se/id/kontrakt/"
XSD = "http://www.w3.org/2001/XMLSchema#"
NUMERIC = {XSD + t for t in ("integer", "decimal", "double", "float", "int", "long",
                                 "short", "nonNegativeInteger", "positiveInteger")}


def canon(term: object) -> object:
    """A term in a form every conforming store agrees on."""
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype is not None else None
        if dt in NUMERIC:
            try:
                return Literal(str(Decimal(str(term)).normalize()), datatype=URIRef(XSD + "decimal"))
            except InvalidOperation:
                return term
        if dt == XSD + "boolean":
            return Literal(str(term).lower() in ("true", "1"), datatype=URIRef(XSD + "boolean"))
        if term.language:
            return Literal(str(term), lang=term.language.lower())
    if isinstance(term, BNode):
        return "_:b"
    return term


def answers(store: Store, sparql: str, **kw: object) -> Counter[tuple[tuple[str, object], ...]]:
    """A SELECT result as a multiset of (variable, normalised term) rows, in any order."""
    res = store.select(sparql, **kw)  # type: ignore[arg-type]
    return Counter(tuple(sorted((k, canon(v)) for k, v in d.items())) for d in res.dicts())


def canon_graph(triples: object) -> Graph:
    g = Graph()
    for s, p, o in triples:  # type: ignore[attr-defined]
        g.add((s, p, canon(o) if isinstance(o, Literal) else o))
    return g


SAME_ANSWERS = {
    "classes": "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c",
    "org-labels-sv": """SELECT DISTINCT ?s ?l WHERE {
        ?s a org:Organization ; rdfs:label ?l FILTER(lang(?l) = "sv") }""",
    "graphs": "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g",
    "funding-per-funder": """SELECT ?f (SUM(?a) AS ?total) (COUNT(?m) AS ?n) WHERE {
        SELECT DISTINCT ?m ?f ?a WHERE {
          ?m a schema:MonetaryGrant ; schema:funder ?f ; schema:amount ?a } } GROUP BY ?f""",
    "search-fold": """SELECT DISTINCT ?s WHERE { ?s rdfs:label ?l
        FILTER(CONTAINS(LCASE(STR(?l)), "örebro") || CONTAINS(LCASE(STR(?l)), "västernorrland")) }""",
    "projects-optional": """SELECT DISTINCT ?p ?start ?end WHERE { ?p a schema:Project
        OPTIONAL { ?p schema:startDate ?start } OPTIONAL { ?p schema:endDate ?end } }""",
    "provenance": f"SELECT DISTINCT ?g WHERE {{ GRAPH ?g {{ <{EX}orebro> ?p ?o }} }}",
    "incoming": f"SELECT DISTINCT ?s ?p WHERE {{ ?s ?p <{EX}projekt> }}",
    "years": "SELECT DISTINCT ?y WHERE { ?m kfv:year ?y } ",
    "hub-count": f"SELECT (COUNT(DISTINCT ?m) AS ?n) WHERE {{ <{EX}nav> org:hasMember ?m }}",
    "bnode-place": f"""SELECT ?l WHERE {{ <{EX}ange> schema:location ?pl . ?pl rdfs:label ?l }}""",
}


@pytest.mark.parametrize("name", sorted(SAME_ANSWERS))
def test_same_answers_as_embedded(backend: Store, reference: Store, name: str) -> None:
    sparql = SAME_ANSWERS[name]
    expected = answers(reference, sparql)
    assert expected, f"{name}: the reference answer is empty; the test would prove nothing"
    assert answers(backend, sparql) == expected


def test_ordered_answers(backend: Store, reference: Store) -> None:
    sparql = "SELECT DISTINCT ?s WHERE { ?s a org:Organization } ORDER BY ?s LIMIT 7"
    assert backend.select(sparql).rows == reference.select(sparql).rows


def test_ask(backend: Store) -> None:
    assert backend.ask(f"ASK {{ <{EX}orebro> rdfs:label 'Örebro läns förbund'@sv }}")
    assert not backend.ask(f"ASK {{ <{EX}orebro> rdfs:label 'Orebro'@sv }}")


def test_construct_is_isomorphic(backend: Store, reference: Store) -> None:
    sparql = f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ <{EX}orebro> <{EX}ange> }} ?s ?p ?o }}"
    got = canon_graph(backend.construct(sparql).triples)
    want = canon_graph(reference.construct(sparql).triples)
    assert len(want) == 8
    assert isomorphic(got, want)


def test_bindings_bind_iris(backend: Store) -> None:
    res = backend.select("SELECT ?s ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = 'sv') }",
                         bindings={"s": URIRef(EX + "orebro")})
    assert res.rows == [(URIRef(EX + "orebro"), Literal("Örebro läns förbund", lang="sv"))]


def test_bindings_bind_literals_with_quotes_and_letters(backend: Store) -> None:
    tricky = Literal('Säger "hej"\noch radbryter.\tTab.', lang="sv")
    res = backend.select("SELECT ?s ?d WHERE { ?s schema:description ?d }", bindings={"d": tricky})
    assert res.rows == [(URIRef(EX + "orebro"), tricky)]
    res = backend.select("SELECT ?s ?l WHERE { ?s rdfs:label ?l }",
                         bindings={"l": Literal("Ånge kommun", lang="sv")})
    assert URIRef(EX + "ange") in res.column("s")


def test_bindings_restrict_aggregates(backend: Store) -> None:
    res = backend.select("SELECT ?s (COUNT(?m) AS ?n) WHERE { ?s org:hasMember ?m } GROUP BY ?s",
                         bindings={"s": URIRef(EX + "nav")})
    assert [int(n) for n in res.column("n")] == [25]  # type: ignore[arg-type]


def test_limit_truncates(backend: Store) -> None:
    sparql = f"SELECT ?m WHERE {{ <{EX}nav> org:hasMember ?m }}"
    cut = backend.select(sparql, limit=10)
    assert len(cut) == 10 and cut.truncated
    whole = backend.select(sparql, limit=100)
    assert len(whole) == 25 and not whole.truncated
    graph = backend.construct(f"CONSTRUCT WHERE {{ <{EX}nav> org:hasMember ?m }}", limit=5)
    assert len(graph) == 5 and graph.truncated


def test_syntax_error_names_the_place(backend: Store) -> None:
    with pytest.raises(QuerySyntaxError) as info:
        backend.query("SELECT * WHERE {\n  ?s ?p \n}")
    assert info.value.line in (2, 3)


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "PREFIX ex: <urn:x>\nDELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
])
def test_update_refused(backend: Store, update: str) -> None:
    with pytest.raises(ReadOnlyError):
        backend.query(update)


def test_graphs_and_count(backend: Store, reference: Store) -> None:
    assert backend.graphs() == reference.graphs()
    assert "https://data.kfvn.se/graph/kontrakt" in backend.graphs()
    assert backend.count() == reference.count()


def test_data_version_is_stable(backend: Store) -> None:
    assert backend.data_version() == backend.data_version()


def _parse(data: bytes, fmt: str) -> list[ox.Quad]:
    return list(ox.parse(data, format=rdf_format(fmt).ox))


def split_ground(g: Graph) -> tuple[set[tuple[object, ...]], Graph]:
    """Triples without blank nodes (compared as a set, fast) and the rest (as a graph)."""
    ground, rest = set(), Graph()
    for t in g:
        if any(isinstance(x, BNode) for x in t):
            rest.add(t)
        else:
            ground.add(t)
    return ground, rest


def test_dump_round_trip_ntriples(backend: Store, reference: Store) -> None:
    def graph(store: Store) -> Graph:
        buf = io.BytesIO()
        store.dump(buf, rdf_format("ntriples"))
        g = Graph()
        g.parse(data=buf.getvalue().decode("utf-8"), format="nt")
        return canon_graph(g)

    got, want = split_ground(graph(backend)), split_ground(graph(reference))
    assert got[0] == want[0]
    assert len(want[1]) and isomorphic(got[1], want[1])


def test_dump_round_trip_nquads(backend: Store, reference: Store) -> None:
    def by_graph(store: Store) -> dict[str, Counter[tuple[object, ...]]]:
        buf = io.BytesIO()
        store.dump(buf, rdf_format("nquads"))
        out: dict[str, Counter[tuple[object, ...]]] = {}
        for q in _parse(buf.getvalue(), "nquads"):
            key = getattr(q.graph_name, "value", "")
            row = tuple(canon(_rd(t)) for t in (q.subject, q.predicate, q.object))
            out.setdefault(key, Counter())[row] += 1
        return out

    assert by_graph(backend) == by_graph(reference)


def _rd(t: object) -> object:
    from kg.io.terms import from_ox

    return from_ox(t)  # type: ignore[arg-type]


def test_time_limit(backend: Store) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError):
        backend.select("SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }",
                       timeout=1.0)
    assert time.monotonic() - started < 15


def test_tsv_cells_never_split_a_column_or_a_row(backend: Store) -> None:
    """A literal with a tab or a line break stays one TSV cell on every backend, both through
    ``kg query -o tsv`` (query + serialise) and the ``/sparql`` path (``query_serialized``)."""
    from kg.io.formats import result_format
    from kg.io.results import serialize_result

    sparql = r"""SELECT ?a ?b WHERE { VALUES (?a ?b) { ("x\ty" "rad ett\nrad två"@sv) } }"""
    tsv = result_format("tsv")
    direct = serialize_result(backend.query(sparql), tsv).decode("utf-8")
    served, _, _ = backend.query_serialized(sparql, tsv, rdf_format("turtle"))
    for text in (direct, served.decode("utf-8")):
        lines = text.rstrip("\n").split("\n")
        assert len(lines) == 2, text
        assert [c.strip() for c in lines[1].split("\t")] == ['"x\\ty"', '"rad ett\\nrad två"@sv'], text
