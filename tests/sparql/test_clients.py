"""Real clients against the real server on 127.0.0.1: SPARQLWrapper and rdflib's SPARQLStore."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS
from rdflib.plugins.stores.sparqlstore import SPARQLStore, SPARQLUpdateStore
from SPARQLWrapper import CSV, JSON, POST, TURTLE, XML, SPARQLWrapper
from SPARQLWrapper.SPARQLExceptions import QueryBadFormed

P = "https://data.kfvn.se/id/projekt/"
ORG = "https://data.kfvn.se/id/organisation/"
PREFIXES = ("PREFIX org: <http://www.w3.org/ns/org#>\n"
            "PREFIX kfv: <https://data.kfvn.se/def/kfv#>\n"
            "PREFIX projektroll: <https://data.kfvn.se/def/projektroll/>\n")
OWNERS = PREFIXES + (f"SELECT ?org WHERE {{ ?d a kfv:Participation ;"
                     f" org:organization <{P}esamverkan> ;"
                     " org:member ?org ; org:role projektroll:samverkanspartner }")
THREE = {ORG + "harnosands-kommun", ORG + "sundsvalls-kommun", ORG + "ornskoldsviks-kommun"}


@pytest.fixture()
def endpoint(live_url: str) -> str:
    return live_url + "/sparql"


@pytest.mark.parametrize("method", ["GET", POST])
def test_sparqlwrapper_select_json(endpoint: str, method: str) -> None:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(OWNERS)
    sw.setReturnFormat(JSON)
    sw.setMethod(method)
    data = sw.query().convert()
    assert {b["org"]["value"] for b in data["results"]["bindings"]} == THREE


def test_sparqlwrapper_select_xml_and_csv(endpoint: str) -> None:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(OWNERS)
    sw.setReturnFormat(XML)
    doc = sw.query().convert()
    uris = {n.firstChild.data for n in doc.getElementsByTagName("uri")}
    assert uris == THREE
    sw.setReturnFormat(CSV)
    text = sw.query().convert().decode()
    assert set(text.split()[1:]) == THREE


def test_sparqlwrapper_construct_and_ask(endpoint: str) -> None:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery(PREFIXES + f"CONSTRUCT {{ ?d org:member ?o }} WHERE {{ ?d org:organization "
                           f"<{P}esamverkan> ; org:member ?o }}")
    sw.setReturnFormat(TURTLE)
    g = Graph().parse(data=sw.query().convert(), format="turtle")
    assert {str(o) for o in g.objects()} >= THREE
    sw.setReturnFormat(XML)  # RDF/XML for graph results
    g2 = sw.query().convert()
    assert isinstance(g2, Graph) and len(g2) == len(g)
    sw.setQuery(f"ASK {{ <{P}teo> ?p ?o }}")
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["boolean"] is True


def test_sparqlwrapper_reports_a_malformed_query(endpoint: str) -> None:
    sw = SPARQLWrapper(endpoint)
    sw.setQuery("SELECT * WHERE { ?s ?p }")
    sw.setReturnFormat(JSON)
    with pytest.raises(QueryBadFormed) as info:
        sw.query()
    assert "line 1" in str(info.value)


def test_rdflib_sparqlstore(endpoint: str) -> None:
    g = Graph(store=SPARQLStore(endpoint, returnFormat="json"))
    res = g.query(OWNERS)
    assert {str(r[0]) for r in res} == THREE
    labels = set(g.objects(URIRef(P + "esamverkan"), RDFS.label))
    assert Literal("eSamverkan", lang="sv") in labels
    assert g.query(f"ASK {{ <{P}teo> ?p ?o }}").askAnswer is True


def test_rdflib_sparqlstore_with_post(endpoint: str) -> None:
    g = Graph(store=SPARQLStore(endpoint, method="POST_FORM"))
    assert {str(r[0]) for r in g.query(OWNERS)} == THREE


def test_updates_from_a_client_are_refused(endpoint: str) -> None:
    store = SPARQLUpdateStore(endpoint, endpoint)
    with pytest.raises(urllib.error.HTTPError) as info:
        store.update("INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert info.value.code == 403


def test_plain_http_errors_and_cors(live_url: str) -> None:
    req = urllib.request.Request(live_url + "/sparql?query=SELECT", headers={
        "Accept": "application/sparql-results+json", "Origin": "https://example.org"})
    with pytest.raises(urllib.error.HTTPError) as info:
        urllib.request.urlopen(req, timeout=10)
    assert info.value.code == 400
    assert info.value.headers["Access-Control-Allow-Origin"] == "*"
    assert "syntax error" in info.value.read().decode()


NEWS_GRAPH = "https://data.kfvn.se/graph/aktuellt-nyheter"
REPORT_GRAPH = "https://data.kfvn.se/graph/verksamhetsberattelse-2018"
NEWS_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://schema.org/NewsArticle> }"


def test_rdflib_dataset_over_sparqlstore_with_a_graph_identifier(endpoint: str) -> None:
    """rdflib sends default-graph-uri for a graph with an identifier: that graph only."""
    from rdflib import Dataset

    store = SPARQLStore(endpoint, returnFormat="json")
    news = Graph(store=store, identifier=URIRef(NEWS_GRAPH))
    report = Graph(store=store, identifier=URIRef(REPORT_GRAPH))
    assert int(next(iter(news.query(NEWS_COUNT)))[0]) == 47  # type: ignore[arg-type]
    assert int(next(iter(report.query(NEWS_COUNT)))[0]) == 0  # type: ignore[arg-type]
    assert len(news) < len(Graph(store=store))
    union = Dataset(store=store, default_union=True)  # no graph named: our default graph
    assert int(next(iter(union.query(NEWS_COUNT)))[0]) == 47  # type: ignore[arg-type]
    plain = Dataset(store=store)  # names its own (generated) graph: unknown here, so empty
    assert int(next(iter(plain.query(NEWS_COUNT)))[0]) == 0  # type: ignore[arg-type]
    assert URIRef(NEWS_GRAPH) in set(store.contexts())  # type: ignore[arg-type]


def test_sparqlwrapper_add_default_graph_and_named_graph(endpoint: str) -> None:
    sw = SPARQLWrapper(endpoint)
    sw.addDefaultGraph(NEWS_GRAPH)
    sw.setQuery(NEWS_COUNT)
    sw.setReturnFormat(JSON)
    assert sw.query().convert()["results"]["bindings"][0]["n"]["value"] == "47"
    sw = SPARQLWrapper(endpoint)
    sw.addNamedGraph(REPORT_GRAPH)
    sw.setQuery("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    sw.setReturnFormat(JSON)
    assert [b["g"]["value"] for b in sw.query().convert()["results"]["bindings"]] == [REPORT_GRAPH]
