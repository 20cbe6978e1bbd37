"""Search forgives case, diacritics, hyphens and Swedish endings, ranks well, filters, is fast."""

from __future__ import annotations

import time
from typing import Any

import pytest

from kg.query.collation import sort_key
from kg.query.search import LabelIndex, fold, index_for, stem
from kg.store.base import Store

BASE = "https://data.kfvn.se/"


def top_of_kind(client: Any, q: str, kind: str) -> str:
    data = client.get("/sok.json", query_string={"q": q}).get_json()
    group = next(g for g in data["groups"] if g["kind"] == kind)
    return str(group["hits"][0]["iri"])


@pytest.mark.parametrize(("query", "kind", "iri"), [
    ("sundsvalls", "organisation", "id/organisation/sundsvalls-kommun"),
    ("sundsvalls", "plats", "id/plats/sundsvall"),
    ("ornskoldsvik", "organisation", "id/organisation/ornskoldsviks-kommun"),
    ("e-samverkan", "projekt", "id/projekt/esamverkan"),
    ("esamverkan", "projekt", "id/projekt/esamverkan"),
    ("eSamverkan", "projekt", "id/projekt/esamverkan"),
    ("hallbart arbetsliv", "projekt", "id/projekt/hav"),
    ("SOLLEFTEÅ", "organisation", "id/organisation/solleftea-kommun"),
    ("solleftea kommun", "organisation", "id/organisation/solleftea-kommun"),
    ("kommunförbundet", "organisation", "id/organisation/kommunforbundet-vasternorrland"),
])
def test_top_hit_of_its_kind(client: Any, query: str, kind: str, iri: str) -> None:
    assert top_of_kind(client, query, kind) == BASE + iri


def test_orebro_is_not_ornskoldsvik(client: Any) -> None:
    data = client.get("/sok.json", query_string={"q": "orebro"}).get_json()
    iris = {h["iri"] for g in data["groups"] for h in g["hits"]}
    assert not any("ornskoldsvik" in i for i in iris)


def test_groups_have_kind_labels_and_more_links(client: Any) -> None:
    data = client.get("/sok.json", query_string={"q": "kommun"}).get_json()
    kinds = [g["kind"] for g in data["groups"]]
    assert "organisation" in kinds
    org = next(g for g in data["groups"] if g["kind"] == "organisation")
    assert org["label"] == "Organisationer"
    assert org["count"] > len(org["hits"]) and org["more_url"].startswith("/sok?")


def test_type_filter_and_browse(client: Any) -> None:
    data = client.get("/sok.json?typ=person").get_json()
    assert [g["kind"] for g in data["groups"]] == ["person"]
    assert data["total"] > 5
    projects = client.get("/projekt.json").get_json()
    labels = [r["projekt"]["label"] for r in projects["rows"]]
    assert labels == sorted(labels, key=sort_key)


def test_theme_and_year_filters(client: Any) -> None:
    data = client.get("/sok.json?typ=projekt&tema=digitalisering").get_json()
    iris = {h["iri"] for h in data["groups"][0]["hits"]}
    assert BASE + "id/projekt/esamverkan" in iris
    assert all(h["kind"] == "projekt" for h in data["groups"][0]["hits"])
    y2017 = client.get("/sok.json?typ=projekt&ar=2017").get_json()
    assert BASE + "id/projekt/esamverkan" in {h["iri"] for h in y2017["groups"][0]["hits"]}
    y1995 = client.get("/sok.json?q=esamverkan&ar=1995").get_json()
    assert y1995["total"] == 0


def test_suggest_api(client: Any) -> None:
    r = client.get("/api/sok?q=esamv")
    assert r.mimetype == "application/json"
    hits = r.get_json()["hits"]
    assert hits[0]["iri"] == BASE + "id/projekt/esamverkan"
    assert hits[0]["url"] == "/id/projekt/esamverkan"
    assert hits[0]["kind_label"] == "Projekt"
    assert client.get("/api/sok?q=").get_json()["hits"] == []


def test_fold_and_stem() -> None:
    assert fold("Örnsköldsvik") == "ornskoldsvik"
    assert fold("e-Samverkan") == "e samverkan"
    assert stem("sundsvalls") == "sundsvall"
    assert stem("regionerna") == "region"
    assert stem("hav") == "hav"


def test_search_is_fast(ox_store: Store) -> None:
    index = index_for(ox_store)
    assert index is index_for(ox_store)  # built once per data version
    queries = ["sundsvalls", "e-samverkan", "hallbart arbetsliv", "kommun", "a", "ornsk",
               "digital", "x y z", "SOLLEFTEÅ", "projekt"] * 20
    times = []
    for q in queries:
        started = time.perf_counter()
        index.find(q)
        times.append(time.perf_counter() - started)
    times.sort()
    # the 5 ms p95 target is measured by `kg bench`; this bound only catches a scan
    assert times[int(len(times) * 0.95)] < 0.25


def test_search_scales_to_many_entries() -> None:
    """A synthetic index of 40 000 names (more than a million triples hold) answers in ms."""
    from kg.query.search import Entry

    words = ["projekt", "kommun", "samverkan", "region", "utveckling", "skola", "energi",
             "digital", "arbetsliv", "hälsa"]
    entries = [Entry(f"http://x/{i}", "projekt",
                     {"sv": [f"{words[i % 10]} {words[(i // 10) % 10]} nummer {i}"]})
               for i in range(40_000)]
    index = LabelIndex(entries)
    times = []
    queries = ["kommun", "samverkan region", "nummer 39999", "energi", "zzz", "hälsa skola",
               "a", "verkan", "kommunerna", "x y z"]
    for q in queries * 5:
        started = time.perf_counter()
        index.find(q).grouped(8)
        times.append(time.perf_counter() - started)
    times.sort()
    assert times[int(len(times) * 0.95)] < 0.5  # catches a scan; `kg bench` measures speed
    assert index.search("nummer 39999")[0].iri == "http://x/39999"
    assert index.find("kommun").truncated


@pytest.mark.parametrize(("query", "expected"), [
    ("hederspris", {"id/person/viktoria-skoog", "id/nyhet/"}),
    ("YH-utbildningar", {"id/nyhet/"}),
    ("interreg", {"def/organisationstyp/eu-program"}),
])
def test_full_text_finds_descriptions_and_news(client: Any, query: str,
                                               expected: set[str]) -> None:
    data = client.get("/sok.json", query_string={"q": query}).get_json()
    iris = [h["iri"] for g in data["groups"] for h in g["hits"]]
    for part in expected:
        assert any(i.startswith(BASE + part) for i in iris), (query, part, iris)
    marked = [p["text"] for g in data["groups"] for h in g["hits"] for p in h["snippet"]
              if p["mark"]]
    in_text = [h for g in data["groups"] for h in g["hits"] if h["in_text"]]
    assert all(h["snippet"] for h in in_text)
    if in_text:
        assert any(fold(m).startswith(fold(query).split()[0]) for m in marked), marked


def test_snippets_are_marked_and_escaped_in_html(client: Any) -> None:
    html = client.get("/sok", query_string={"q": "hederspris"}).get_data(as_text=True)
    assert "<mark>Hederspris</mark>" in html or "<mark>hederspris</mark>" in html


def test_organisations_before_places_of_the_same_name(client: Any) -> None:
    hits = client.get("/api/sok", query_string={"q": "Sollefteå"}).get_json()["hits"]
    assert hits[0]["iri"] == BASE + "id/organisation/solleftea-kommun"
    kinds = [h["kind"] for h in hits]
    assert kinds.index("plats") > kinds.index("organisation")


def test_news_are_searchable_and_listed(client: Any) -> None:
    news = client.get("/sok.json", query_string={"typ": "nyhet"}).get_json()
    assert news["total"] >= 40
    hits = news["groups"][0]["hits"]
    assert all(h["label"] and not h["label"].startswith("http") for h in hits)
    found = client.get("/sok.json", query_string={"q": "statsbidrag lärcentrum"}).get_json()
    assert any(h["kind"] == "nyhet" for g in found["groups"] for h in g["hits"])
