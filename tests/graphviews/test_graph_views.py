"""The graph routes (/graf, /graf/granne, vendored assets) on a small known graph."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote

import pytest
from bs4 import BeautifulSoup
from flask import Flask, render_template_string
from flask.testing import FlaskClient
from graphdata import XSS, XSS_ATTR

from kg.namespaces import PREFIXES

ORG = PREFIXES["organisation"]
KFV = ORG + "kfv"




def _soup(html: bytes | str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _graph_json(soup: BeautifulSoup) -> dict:  # type: ignore[type-arg]
    tag = soup.find("script", attrs={"type": "application/json"})
    assert tag is not None
    return json.loads(tag.string)  # type: ignore[no-any-return]


def test_neighbourhood_fragment(gc: FlaskClient) -> None:
    r = gc.get(f"/graf/granne?iri={quote(KFV)}")
    assert r.status_code == 200 and r.mimetype == "text/html"
    soup = _soup(r.data)
    assert soup.find("html") is None  # a fragment, not a page
    canvas = soup.select_one(".kg-graph-canvas")
    assert canvas is not None and canvas["data-iri"] == KFV
    data = _graph_json(soup)
    assert data["center"] == KFV and len(data["nodes"]) > 1
    assert soup.select(".kg-legend li") and soup.select(".kg-nodelist a")
    assert {a["href"] for a in soup.select(".kg-nodelist a")} >= {"/id/organisation/kfv"}


def test_neighbourhood_json_twin(gc: FlaskClient) -> None:
    one = gc.get(f"/graf/granne.json?iri={quote(KFV)}").get_json()
    two = gc.get(f"/graf/granne?iri={quote(KFV)}&hopp=2",
                 headers={"Accept": "application/json"}).get_json()
    assert one["hops"] == 1 and two["hops"] == 2
    assert len(two["nodes"]) > len(one["nodes"])
    assert {"nodes", "edges", "options", "legend"} <= set(one)
    assert all(n["url"].startswith("/") for n in one["nodes"])


@pytest.mark.parametrize("query,status", [
    (f"iri={quote(KFV)}&hopp=9", 400),
    (f"iri={quote(KFV)}&hopp=x", 400),
    ("hopp=1", 400),
    ("iri=", 400),
    (f"iri={quote(ORG + 'finns-inte')}", 404),
])
def test_neighbourhood_bad_parameters(gc: FlaskClient, query: str, status: int) -> None:
    for path in ("/graf/granne", "/graf/granne.json"):
        r = gc.get(f"{path}?{query}")
        assert r.status_code == status, (path, query)
    assert gc.get(f"/graf/granne.json?{query}").get_json()["error"]["message"]


def test_full_page_neighbourhood(gc: FlaskClient) -> None:
    r = gc.get(f"/graf?iri={quote(KFV)}&hopp=2")
    assert r.status_code == 200
    soup = _soup(r.data)
    assert "Kommunförbundet Västernorrland" in soup.find("h1").get_text()
    assert _graph_json(soup)["hops"] == 2


def test_explorer_page_and_json(gc: FlaskClient) -> None:
    r = gc.get("/graf")
    assert r.status_code == 200
    soup = _soup(r.data)
    assert soup.select_one("#kg-graph-explorer") is not None
    assert soup.select("select[name=tema] option") and soup.select("select[name=kommun] option")
    data = gc.get("/graf.json").get_json()
    assert len(data["nodes"]) == len(_graph_json(soup)["nodes"]) > 5
    assert r.headers["Link"].startswith("</graf.json>")


@pytest.mark.parametrize("query,projects", [
    ("tema=digitalisering", {"eSamverkan"}),
    ("kommun=ange-kommun", {"SECURE"}),
    ("ar=2019", {"eSamverkan"}),
    ("typ=projekt&ar=2017", {"eSamverkan", "SECURE"}),
])
def test_explorer_filters(gc: FlaskClient, query: str, projects: set[str]) -> None:
    data = gc.get(f"/graf.json?{query}").get_json()
    assert {n["label"] for n in data["nodes"] if n["type"] == "project"} == projects


@pytest.mark.parametrize("query", ["typ=foo", "tema=finns-inte", "kommun=kfv", "ar=tjugo",
                                   "ar=99999", "tema=" + "x" * 500])
def test_explorer_bad_filters_are_400(gc: FlaskClient, query: str) -> None:
    assert gc.get(f"/graf?{query}").status_code == 400
    assert gc.get(f"/graf.json?{query}").status_code == 400


def test_vendor_assets_are_local(gc: FlaskClient) -> None:
    js = gc.get("/graf/vendor/vis-network.min.js")
    assert js.status_code == 200 and b"vis-network" in js.data[:2000]
    assert gc.get("/graf/vendor/vis-network.css").status_code == 200
    assert gc.get("/graf/vendor/..%2F..%2Fnetwork.py").status_code == 404
    assert gc.get("/graf/vendor/template.html").status_code == 404
    for url in ("/graf", f"/graf/granne?iri={quote(KFV)}"):
        soup = _soup(gc.get(url).data)
        for tag in soup.find_all(["script", "link"]):
            ref = tag.get("src") or tag.get("href") or ""
            assert not ref.startswith(("http:", "https:", "//")), ref


@pytest.mark.parametrize("url", [
    "/graf", "/graf?lang=en", f"/graf/granne?iri={quote(ORG + 'xss')}",
    f"/graf/granne?iri={quote(ORG + 'xss')}&lang=en", f"/graf?iri={quote(ORG + 'xss')}",
])
def test_markup_in_labels_is_never_markup(gc: FlaskClient, url: str) -> None:
    html = gc.get(url).get_data(as_text=True)
    assert XSS not in html and XSS_ATTR not in html
    soup = _soup(html)
    scripts = soup.find_all("script")
    assert all(s.get("src") or s.get("type") == "application/json" for s in scripts)
    assert not soup.find_all(attrs={"onerror": True})
    data = _graph_json(soup)
    assert {XSS, XSS_ATTR} & {n["label"] for n in data["nodes"]}  # there, as text


def test_include_for_entity_pages(sample_app: Flask) -> None:
    template = '{% with iri=iri %}{% include "graph/_neighbourhood.html" %}{% endwith %}'
    with sample_app.test_request_context("/id/organisation/kfv"):
        html = render_template_string(template, iri=KFV)
        assert 'data-iri="' + KFV + '"' in html and "vis-network.min.js" in html
        none = render_template_string(template, iri=ORG + "finns-inte")
        assert none.strip() == ""


def test_no_cache_files_for_counting_versions(sample_app: Flask, gc: FlaskClient) -> None:
    gc.get("/graf")
    folder = Path(sample_app.config["KG_SETTINGS"].cache_dir)
    assert not folder.exists() or not list(folder.glob("layout-*"))


def test_graph_downloads(gc: FlaskClient) -> None:
    for url in (f"/graf/granne.graphml?iri={quote(KFV)}&hopp=2", "/graf.graphml?typ=projekt",
                f"/graf.graphml?iri={quote(KFV)}"):
        r = gc.get(url)
        assert r.status_code == 200 and r.mimetype == "application/graphml+xml", url
        assert r.headers["Content-Disposition"].startswith("attachment")
        assert b"<graphml" in r.data
    page = gc.get(f"/graf/nedladdning?iri={quote(ORG + 'xss')}")
    assert page.status_code == 200 and page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert XSS not in html and "new vis.Network" in html
    assert gc.get("/graf/nedladdning?typ=projekt").status_code == 200
    assert gc.get(f"/graf/nedladdning?iri={quote(ORG + 'finns-inte')}").status_code == 404
    soup = _soup(gc.get(f"/graf?iri={quote(KFV)}&hopp=2").data)
    links = {a["href"] for a in soup.select(".kg-export-menu a")}
    assert f"/graf/granne.graphml?iri={quote(KFV, safe='')}&hopp=2" in links


def test_entity_page_keeps_the_hop_count(gc: FlaskClient) -> None:
    two = _graph_json(_soup(gc.get("/id/organisation/kfv?hopp=2").data))
    assert two["hops"] == 2
    soup = _soup(gc.get("/id/organisation/kfv").data)
    assert _graph_json(soup)["hops"] == 1
    hops = {a["data-hops"]: a["href"] for a in soup.select("[data-hops]")}
    assert hops == {"1": "/id/organisation/kfv#graf", "2": "/id/organisation/kfv?hopp=2#graf"}
    assert _graph_json(_soup(gc.get("/id/organisation/kfv?hopp=x").data))["hops"] == 1


def test_widget_has_its_tools(gc: FlaskClient) -> None:
    soup = _soup(gc.get(f"/graf?iri={quote(KFV)}").data)
    widget = soup.select_one("[data-kg-widget]")
    assert widget is not None and widget["data-kind"] == "neighbourhood"
    assert soup.select_one("input[data-find]") is not None
    assert soup.select("[data-zoom]") and soup.select_one("[data-fit]") is not None
    assert soup.select("[data-export='png']") and soup.select("[data-export='svg']")
    assert soup.select_one("[data-time] input[data-time-from]") is not None
    assert soup.select(".kg-edge-legend li")
    assert widget["data-t-count"].startswith("{nodes} noder")


@pytest.mark.parametrize("url,mimetype", [
    ("/graf", "text/html"), ("/graf.json", "application/json"),
    ("/graf/vendor/vis-network.min.js", "text/javascript"), ("/static/js/graph.js", "text/javascript"),
])
def test_compressed_for_clients_that_accept_it(gc: FlaskClient, url: str, mimetype: str) -> None:
    import brotli

    plain = gc.get(url)
    packed = gc.get(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert packed.mimetype == mimetype
    assert packed.headers["Content-Encoding"] == "br"
    assert "Accept-Encoding" in packed.headers["Vary"]
    plain_bytes = plain.data
    assert brotli.decompress(packed.data) == plain_bytes
    gz = gc.get(url, headers={"Accept-Encoding": "gzip"})
    import gzip

    assert gz.headers["Content-Encoding"] == "gzip" and gzip.decompress(gz.data) == plain_bytes
