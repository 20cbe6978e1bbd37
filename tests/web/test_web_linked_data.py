"""Linked Data: content negotiation on entity IRIs, data twins by suffix, dumps and VoID."""

from __future__ import annotations

from typing import Any

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import RDFS, VOID

BASE = "https://data.kfvn.se/"
ENTITY = "/id/projekt/esamverkan"
ESAMVERKAN = URIRef(BASE + "id/projekt/esamverkan")

ACCEPT_TABLE = [
    (None, 200, "text/html"),
    ("", 200, "text/html"),
    ("*/*", 200, "text/html"),
    ("text/html", 200, "text/html"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", 200, "text/html"),
    ("application/json", 200, "application/json"),
    ("text/turtle", 200, "text/turtle"),
    ("application/x-turtle;q=0.2, text/turtle", 200, "text/turtle"),
    ("application/ld+json", 200, "application/ld+json"),
    ("application/n-triples", 200, "application/n-triples"),
    ("application/rdf+xml", 200, "application/rdf+xml"),
    ("text/turtle;q=0.5, application/rdf+xml;q=0.9", 200, "application/rdf+xml"),
    ("text/html;q=0.1, text/turtle", 200, "text/turtle"),
    ("application/*", 200, "application/json"),
    ("image/png", 406, None),
    ("application/pdf, image/*", 406, None),
    ("garbage///", 406, None),
]


@pytest.mark.parametrize(("accept", "status", "media_type"), ACCEPT_TABLE)
def test_accept_table(client: Any, accept: str | None, status: int, media_type: str | None
                      ) -> None:
    headers = {} if accept is None else {"Accept": accept}
    r = client.get(ENTITY, headers=headers)
    assert r.status_code == status
    assert "Accept" in r.headers.get("Vary", "")
    if media_type:
        assert r.mimetype == media_type
    else:
        body = r.get_data(as_text=True)
        assert "text/turtle" in body and "application/ld+json" in body  # the offered types


def test_suffix_beats_accept(client: Any) -> None:
    r = client.get(ENTITY + ".json", headers={"Accept": "image/png"})
    assert r.status_code == 200
    assert r.get_json()["iri"] == str(ESAMVERKAN)
    assert "Accept" not in [v.strip() for v in r.headers.get("Vary", "").split(",")]


@pytest.mark.parametrize(("suffix", "media_type", "rdflib_format"), [
    ("ttl", "text/turtle", "turtle"),
    ("jsonld", "application/ld+json", "json-ld"),
    ("nt", "application/n-triples", "nt"),
    ("rdf", "application/rdf+xml", "xml"),
])
def test_suffixes_parse_back(client: Any, suffix: str, media_type: str, rdflib_format: str
                             ) -> None:
    r = client.get(f"{ENTITY}.{suffix}", headers={"Accept": "text/html"})  # suffix wins
    assert r.status_code == 200 and r.mimetype == media_type
    g = Graph().parse(data=r.data, format=rdflib_format)
    assert (ESAMVERKAN, RDFS.label, Literal("eSamverkan", lang="sv")) in g
    participation = URIRef(BASE + "id/deltagande/esamverkan--kommunforbundet-vasternorrland")
    assert (participation, URIRef("http://www.w3.org/ns/org#member"), None) in g
    sundsvall = URIRef(BASE + "id/organisation/sundsvalls-kommun")
    assert (sundsvall, RDFS.label, None) in g  # labels of neighbours


def test_html_page_advertises_rdf_twins(client: Any) -> None:
    r = client.get(ENTITY)
    link = r.headers["Link"]
    for ext, media in (("ttl", "text/turtle"), ("jsonld", "application/ld+json"),
                       ("nt", "application/n-triples"), ("rdf", "application/rdf+xml"),
                       ("json", "application/json")):
        assert f'<{ENTITY}.{ext}>; rel="alternate"; type="{media}"' in link
    assert r.headers["Content-Location"] == ENTITY


def test_concepts_dereference(client: Any) -> None:
    r = client.get("/def/tema/digitalisering", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.data, format="turtle")
    assert (URIRef(BASE + "def/tema/digitalisering"), None, None) in g


@pytest.mark.parametrize(("ext", "media_type", "fmt"), [
    ("ttl", "text/turtle", "turtle"),
    ("nt", "application/n-triples", "nt"),
    ("jsonld", "application/ld+json", "json-ld"),
    ("rdf", "application/rdf+xml", "xml"),
    ("trig", "application/trig", "trig"),
    ("nq", "application/n-quads", "nquads"),
])
def test_dumps(client: Any, ext: str, media_type: str, fmt: str) -> None:
    r = client.get(f"/dump/samverkansgrafen.{ext}")
    assert r.status_code == 200 and r.mimetype == media_type
    if fmt in ("trig", "nquads"):
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(data=r.data, format=fmt)
        assert len(list(ds.graphs())) > 3
    else:
        g = Graph().parse(data=r.data, format=fmt)
        assert (ESAMVERKAN, RDFS.label, None) in g
    r.close()
    again = client.get(f"/dump/samverkansgrafen.{ext}")  # served from the cache
    assert again.status_code == 200
    again.close()


def test_unknown_dump_is_404(client: Any) -> None:
    assert client.get("/dump/samverkansgrafen.exe").status_code == 404


@pytest.mark.parametrize("path", ["/.well-known/void", "/dataset.ttl"])
def test_void_description(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200 and r.mimetype == "text/turtle"
    g = Graph().parse(data=r.data, format="turtle")
    ds = URIRef(BASE + "dataset")
    triples = g.value(ds, VOID.triples)
    assert triples is not None and int(triples) > 1000
    assert int(g.value(ds, VOID.entities)) > 100
    parts = list(g.objects(ds, VOID.classPartition))
    classes = {g.value(p, VOID["class"]) for p in parts}
    assert URIRef("https://schema.org/Project") in classes
    assert (ds, URIRef("http://purl.org/dc/terms/title"), None) in g  # from data/kallor.ttl


def test_void_html_for_browsers(client: Any) -> None:
    r = client.get("/.well-known/void", headers={"Accept": "text/html"})
    assert r.mimetype == "text/html"
    assert client.get("/dataset").mimetype == "text/html"


def test_ontology_as_rdf(client: Any) -> None:
    r = client.get("/def/kfv", headers={"Accept": "text/turtle"})
    g = Graph().parse(data=r.data, format="turtle")
    assert (URIRef(BASE + "def/kfv#Participation"), RDFS.label, None) in g
    r = client.get("/ontologi.ttl")
    g = Graph().parse(data=r.data, format="turtle")
    assert (URIRef(BASE + "def/tema/digitalisering"), None, None) in g
