"""The SPARQL 1.1 Protocol at /sparql: methods, content types, errors, limits, CORS."""

from __future__ import annotations

import csv
import io
import json
import re
import threading
import time
from typing import Any
from urllib.parse import quote

import pytest
from rdflib import Graph, Namespace, URIRef

from kg.store.base import Store

P = "https://data.kfvn.se/id/projekt/"
ORG = "https://data.kfvn.se/id/organisation/"
PARTNERS = ("SELECT ?org ?roll WHERE { ?d a kfv:Participation ;"
            " org:organization projekt:esamverkan ;"
            " org:member ?org ; org:role ?roll } ORDER BY ?org ?roll")
CONSTRUCT = ("CONSTRUCT { ?d org:member ?org } WHERE { ?d org:organization projekt:esamverkan ;"
             " org:member ?org }")
ASK = "ASK { projekt:esamverkan a schema:Project }"
HEAVY = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
FORM = "application/x-www-form-urlencoded"
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")


def get(client: Any, query: str, accept: str = "", **params: str) -> Any:
    extra = "".join(f"&{k}={quote(v)}" for k, v in params.items())
    headers = {"Accept": accept} if accept else {}
    return client.get(f"/sparql?query={quote(query)}{extra}", headers=headers)


def bindings(resp: Any) -> list[dict[str, str]]:
    data = json.loads(resp.data)
    return [{k: v["value"] for k, v in b.items()} for b in data["results"]["bindings"]]


# -- methods --------------------------------------------------------------------------

def test_get_answers_sparql_json_by_default(sparql_client: Any) -> None:
    resp = get(sparql_client, PARTNERS)
    assert resp.status_code == 200
    assert resp.mimetype == "application/sparql-results+json"
    rows = bindings(resp)
    assert {"org": ORG + "sundsvalls-kommun",
            "roll": "https://data.kfvn.se/def/projektroll/samverkanspartner"} in rows
    assert resp.headers["X-KG-Truncated"] == "false"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"


def test_post_form_encoded(sparql_client: Any) -> None:
    resp = sparql_client.post("/sparql", data={"query": PARTNERS},
                              headers={"Accept": "text/csv"})
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(resp.data.decode())))
    assert {r["org"] for r in rows} >= {ORG + "harnosands-kommun", ORG + "ornskoldsviks-kommun"}


def test_post_sparql_query_body(sparql_client: Any) -> None:
    resp = sparql_client.post("/sparql", data=PARTNERS.encode(),
                              content_type="application/sparql-query; charset=utf-8")
    assert resp.status_code == 200
    assert len(bindings(resp)) == len(bindings(get(sparql_client, PARTNERS)))


def test_post_with_an_unknown_body_type_is_415(sparql_client: Any) -> None:
    resp = sparql_client.post("/sparql", data=PARTNERS, content_type="text/plain")
    assert resp.status_code == 415
    assert "application/sparql-query" in resp.data.decode()


def test_post_without_a_query_is_400(sparql_client: Any) -> None:
    assert sparql_client.post("/sparql", data={"format": "json"}).status_code == 400


def test_a_repeated_query_parameter_is_400(sparql_client: Any) -> None:
    resp = sparql_client.get(f"/sparql?query={quote(ASK)}&query={quote(ASK)}")
    assert resp.status_code == 400


NEWS = "https://data.kfvn.se/graph/aktuellt-nyheter"
REPORT = "https://data.kfvn.se/graph/verksamhetsberattelse-2018"
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"
GRAPHS = "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g"


def _count(resp: Any) -> int:
    assert resp.status_code == 200, resp.data
    return int(bindings(resp)[0]["n"])


@pytest.mark.parametrize("client_name", ["sparql_client", "memory_client"])
def test_default_graph_uri_chooses_the_default_graph(client_name: str,
                                                     request: pytest.FixtureRequest,
                                                     ox_store: Store) -> None:
    client = request.getfixturevalue(client_name)
    everything = _count(get(client, COUNT))
    news = _count(get(client, COUNT, **{"default-graph-uri": NEWS}))
    assert 0 < news < everything
    expected = ox_store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{NEWS}> {{ ?s ?p ?o }} }}")
    assert news == int(expected.rows[0][0])  # type: ignore[union-attr]
    both = client.get(f"/sparql?query={quote(COUNT)}&default-graph-uri={quote(NEWS)}"
                      f"&default-graph-uri={quote(REPORT)}")
    assert news < _count(both) <= everything
    assert _count(get(client, COUNT, **{"default-graph-uri": "https://example.org/unknown"})) == 0


@pytest.mark.parametrize("client_name", ["sparql_client", "memory_client"])
def test_named_graph_uri_limits_graph_and_empties_the_default(client_name: str,
                                                              request: pytest.FixtureRequest) -> None:
    client = request.getfixturevalue(client_name)
    resp = client.post(f"/sparql?named-graph-uri={quote(NEWS)}&named-graph-uri=urn:x:none",
                       data=GRAPHS.encode(), content_type="application/sparql-query")
    assert [b["g"] for b in bindings(resp)] == [NEWS]
    assert _count(get(client, COUNT, **{"named-graph-uri": NEWS})) == 0  # no default graph given


def test_the_protocol_dataset_replaces_from(sparql_client: Any) -> None:
    query = f"SELECT (COUNT(*) AS ?n) FROM <{REPORT}> WHERE {{ ?s ?p ?o }}"
    alone = _count(get(sparql_client, query))
    replaced = _count(get(sparql_client, query, **{"default-graph-uri": NEWS}))
    assert alone != replaced
    assert replaced == _count(get(sparql_client, COUNT, **{"default-graph-uri": NEWS}))


def test_a_graph_parameter_must_be_an_iri(sparql_client: Any) -> None:
    resp = get(sparql_client, ASK, **{"default-graph-uri": "not an iri"})
    assert resp.status_code == 400 and "absolute IRI" in resp.data.decode()


@pytest.mark.parametrize("client_name", ["sparql_client", "memory_client"])
def test_relative_iris_resolve_against_the_base_iri(client_name: str,
                                                    request: pytest.FixtureRequest) -> None:
    client = request.getfixturevalue(client_name)
    resp = get(client, "ASK { <id/projekt/esamverkan> a schema:Project }")
    assert resp.status_code == 200 and json.loads(resp.data)["boolean"] is True


def test_a_body_that_is_not_utf8_is_400(sparql_client: Any) -> None:
    text = "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(?l = 'Härnösands kommun'@sv) }"
    resp = sparql_client.post("/sparql", data=text.encode("latin-1"),
                              content_type="application/sparql-query")
    assert resp.status_code == 400 and "UTF-8" in resp.data.decode()
    utf16 = sparql_client.post("/sparql", data="ASK {}".encode("utf-16"),
                               content_type="application/sparql-query; charset=UTF-16")
    assert utf16.status_code == 400
    form = sparql_client.post("/sparql", data=b"query=ASK%20%7B%20%3Fs%20%3Fp%20%22H%E4r%22%20%7D",
                              content_type=FORM)
    assert form.status_code == 400 and "UTF-8" in form.data.decode()
    url = sparql_client.get("/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22H%E4r%22%20%7D")
    assert url.status_code == 400
    good = sparql_client.post("/sparql", data=text.encode("utf-8"),
                              content_type="application/sparql-query; charset=utf-8")
    assert bindings(good) == [{"l": "Härnösands kommun"}]


def test_a_query_given_twice_is_400(sparql_client: Any) -> None:
    url_and_body = sparql_client.post(f"/sparql?query={quote(ASK)}", data=PARTNERS.encode(),
                                      content_type="application/sparql-query")
    assert url_and_body.status_code == 400 and "2 times" in url_and_body.data.decode()
    url_and_form = sparql_client.post(f"/sparql?query={quote(ASK)}", data={"query": ASK})
    assert url_and_form.status_code == 400


def test_an_empty_format_is_ignored(sparql_client: Any) -> None:
    resp = get(sparql_client, ASK, format="")
    assert resp.status_code == 200 and resp.mimetype == "application/sparql-results+json"


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods_are_405_in_plain_text_with_cors(sparql_client: Any, method: str) -> None:
    resp = sparql_client.open("/sparql", method=method, data=ASK)
    assert resp.status_code == 405
    assert resp.mimetype == "text/plain"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    assert "GET" in resp.headers["Allow"]


# -- formats --------------------------------------------------------------------------

def _parse_table(body: bytes, name: str) -> int:
    """Number of rows in a serialised table, parsed the way a client would."""
    if name == "json":
        return len(json.loads(body)["results"]["bindings"])
    if name == "xml":
        import xml.etree.ElementTree as ET

        root = ET.fromstring(body)
        return len(root.findall(".//{http://www.w3.org/2005/sparql-results#}result"))
    delimiter = "\t" if name == "tsv" else ","
    return len(list(csv.reader(io.StringIO(body.decode()), delimiter=delimiter))) - 1


@pytest.mark.parametrize(
    ("accept", "mimetype", "name"),
    [
        ("application/sparql-results+json", "application/sparql-results+json", "json"),
        ("application/sparql-results+xml", "application/sparql-results+xml", "xml"),
        ("text/csv", "text/csv", "csv"),
        ("text/tab-separated-values", "text/tab-separated-values", "tsv"),
        ("application/json", "application/sparql-results+json", "json"),
        ("text/*;q=0.9, */*;q=0.1", "text/csv", "csv"),
    ],
)
def test_select_in_every_result_format(sparql_client: Any, accept: str, mimetype: str,
                                       name: str) -> None:
    resp = get(sparql_client, PARTNERS, accept)
    assert resp.status_code == 200 and resp.mimetype == mimetype
    assert resp.vary.as_set() >= {"accept"}
    assert _parse_table(resp.data, name) == 12


@pytest.mark.parametrize(
    ("accept", "mimetype", "rdflib_format"),
    [
        ("text/turtle", "text/turtle", "turtle"),
        ("application/ld+json", "application/ld+json", "json-ld"),
        ("application/n-triples", "application/n-triples", "nt"),
        ("application/rdf+xml", "application/rdf+xml", "xml"),
        ("", "text/turtle", "turtle"),
    ],
)
def test_construct_in_every_rdf_format(sparql_client: Any, accept: str, mimetype: str,
                                       rdflib_format: str) -> None:
    resp = get(sparql_client, CONSTRUCT, accept)
    assert resp.status_code == 200 and resp.mimetype == mimetype
    g = Graph().parse(data=resp.data, format=rdflib_format)
    members = set(g.objects(None, URIRef("http://www.w3.org/ns/org#member")))
    assert URIRef(ORG + "sundsvalls-kommun") in members and len(members) >= 10


def test_describe_is_rdf(sparql_client: Any) -> None:
    resp = get(sparql_client, "DESCRIBE projekt:teo", "application/n-triples")
    assert resp.status_code == 200
    assert f"<{P}teo>" in resp.data.decode()


@pytest.mark.parametrize("accept", ["application/sparql-results+json", "text/csv",
                                    "application/sparql-results+xml"])
def test_ask(sparql_client: Any, accept: str) -> None:
    resp = get(sparql_client, ASK, accept)
    assert resp.status_code == 200
    assert b"true" in resp.data


def test_format_parameter_overrides_accept(sparql_client: Any) -> None:
    resp = get(sparql_client, PARTNERS, "application/sparql-results+xml", format="csv")
    assert resp.mimetype == "text/csv"
    xlsx = get(sparql_client, PARTNERS, format="xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    assert "attachment" in xlsx.headers["Content-Disposition"]
    jsonld = get(sparql_client, CONSTRUCT, format="json")
    assert jsonld.mimetype == "application/ld+json"


def test_download_parameter_asks_for_an_attachment(sparql_client: Any) -> None:
    resp = get(sparql_client, PARTNERS, format="csv", download="1")
    assert resp.headers["Content-Disposition"] == 'attachment; filename="resultat.csv"'


@pytest.mark.parametrize(("query", "accept", "params"), [
    (PARTNERS, "image/png", {}),
    (PARTNERS, "", {"format": "turtle"}),
    (CONSTRUCT, "", {"format": "csv"}),
    (CONSTRUCT, "application/sparql-results+json", {}),
])
def test_unacceptable_formats_are_406(sparql_client: Any, query: str, accept: str,
                                      params: dict[str, str]) -> None:
    resp = get(sparql_client, query, accept, **params)
    assert resp.status_code == 406
    assert resp.mimetype == "text/plain"


# -- errors ---------------------------------------------------------------------------

def test_malformed_query_is_400_with_position(sparql_client: Any) -> None:
    resp = get(sparql_client, "SELECT * WHERE {\n  ?s ?p \n}")
    body = resp.data.decode()
    assert resp.status_code == 400 and resp.mimetype == "text/plain"
    assert re.search(r"syntax error at line 3, column \d+: expected", body)


@pytest.mark.parametrize("update", [
    "INSERT DATA { <urn:a> <urn:b> <urn:c> }",
    "DELETE WHERE { ?s ?p ?o }",
    "PREFIX ex: <urn:ex:>\nCLEAR ALL",
    "DROP GRAPH <https://data.kfvn.se/graph/kallor>",
    "LOAD <http://example.org/x.ttl>",
])
def test_updates_are_refused_and_change_nothing(sparql_client: Any, ox_store: Store,
                                                update: str) -> None:
    before = ox_store.count()
    for resp in (
        get(sparql_client, update),
        sparql_client.post("/sparql", data={"update": update}),
        sparql_client.post("/sparql", data=update, content_type="application/sparql-update"),
        sparql_client.post("/sparql", data={"query": update}, content_type=FORM),
    ):
        assert resp.status_code == 403, resp.data
        assert "read-only" in resp.data.decode()
    assert ox_store.count() == before


# -- service description, HTML, CORS --------------------------------------------------

def test_service_description_without_a_query(sparql_client: Any, ox_store: Store) -> None:
    resp = sparql_client.get("/sparql", headers={"Accept": "text/turtle"})
    assert resp.status_code == 200 and resp.mimetype == "text/turtle"
    g = Graph().parse(data=resp.data, format="turtle")
    endpoints = list(g.objects(None, SD.endpoint))
    assert len(endpoints) == 1 and str(endpoints[0]).endswith("/sparql")
    names = {str(n) for n in g.objects(None, SD.name)}
    assert "https://data.kfvn.se/graph/verksamhetsberattelse-2018" in names
    assert set(ox_store.graphs()) <= names
    assert (None, SD.feature, SD.UnionDefaultGraph) in g
    default = sparql_client.get("/sparql")
    assert default.status_code == 200 and default.mimetype == "text/turtle"


def test_a_browser_gets_the_editor(sparql_client: Any) -> None:
    resp = sparql_client.get("/sparql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert resp.status_code == 200 and resp.mimetype == "text/html"
    assert b"<textarea" in resp.data


def test_cors_preflight_and_headers(sparql_client: Any) -> None:
    pre = sparql_client.options("/sparql", headers={
        "Origin": "https://example.org", "Access-Control-Request-Method": "POST"})
    assert pre.status_code == 204
    assert pre.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in pre.headers["Access-Control-Allow-Methods"]
    err = get(sparql_client, "SELECT nonsense")
    assert err.headers["Access-Control-Allow-Origin"] == "*"
    assert "X-KG-Truncated" in get(sparql_client, ASK).headers["Access-Control-Expose-Headers"]


def test_the_memory_backend_answers_the_same(memory_app: Any, sparql_client: Any) -> None:
    mem = memory_app.test_client()
    a, b = get(mem, PARTNERS), get(sparql_client, PARTNERS)
    assert a.status_code == 200
    assert sorted(map(str, bindings(a))) == sorted(map(str, bindings(b)))


# -- limits ---------------------------------------------------------------------------

def test_result_cap_cuts_and_says_so(limited_client: Any) -> None:
    resp = get(limited_client, PARTNERS)
    assert resp.status_code == 200
    assert len(bindings(resp)) == 5
    assert resp.headers["X-KG-Truncated"] == "true"
    assert resp.headers["X-KG-Result-Limit"] == "5"
    csv_resp = get(limited_client, PARTNERS, "text/csv")
    assert _parse_table(csv_resp.data, "csv") == 5
    triples = get(limited_client, CONSTRUCT, "application/n-triples")
    assert len(triples.data.decode().strip().splitlines()) == 5
    assert triples.headers["X-KG-Truncated"] == "true"


def test_results_within_the_cap_are_not_marked(limited_client: Any) -> None:
    resp = get(limited_client, PARTNERS + " LIMIT 5")
    assert len(bindings(resp)) == 5 and resp.headers["X-KG-Truncated"] == "false"


def test_time_limit_stops_a_heavy_query_and_the_site_keeps_answering(
        limited_client: Any, limited_app: Any) -> None:
    started = time.monotonic()
    resp = get(limited_client, HEAVY)
    elapsed = time.monotonic() - started
    assert resp.status_code == 503
    assert "time limit of 1 s" in resp.data.decode()
    assert elapsed < 4
    deadline = time.monotonic() + 5  # the killed worker is replaced in the background
    after = get(limited_client, ASK)
    while after.status_code == 503 and time.monotonic() < deadline:
        time.sleep(0.1)
        after = get(limited_client, ASK)
    assert after.status_code == 200 and b"true" in after.data
    assert limited_app.extensions["kg_query_runner"].kills >= 1


def test_one_client_over_its_cap_gets_429_and_others_are_served(limited_app: Any) -> None:
    """The limited app has one heavy worker and one fast-lane worker: a client whose heavy
    query holds the heavy lane waits for it, then gets 429; another client's small query
    is answered by the fast lane meanwhile."""
    first: dict[str, Any] = {}

    def heavy() -> None:
        first["resp"] = as_client(limited_app, HEAVY, "10.0.0.1")

    as_client(limited_app, ASK, "10.0.0.9")  # make sure the workers are up
    worker = threading.Thread(target=heavy)
    worker.start()
    time.sleep(0.7)  # past the fast lane's 0.5 s: the query now holds the heavy lane
    same = as_client(limited_app, ASK, "10.0.0.1")
    other = as_client(limited_app, ASK, "10.0.0.2")
    worker.join()
    assert same.status_code == 429
    assert same.headers["Retry-After"] == "1"
    assert "at once" in same.data.decode()
    assert other.status_code == 200 and json.loads(other.data)["boolean"] is True
    assert first["resp"].status_code == 503


def as_client(app: Any, query: str, address: str) -> Any:
    return app.test_client().get(f"/sparql?query={quote(query)}",
                                 environ_base={"REMOTE_ADDR": address})
