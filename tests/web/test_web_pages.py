"""Every route of the browser answers what it should, in HTML and as its JSON twin."""

from __future__ import annotations

from typing import Any

import pytest

from .webtools import soup  # type: ignore[import-not-found]

BASE = "https://data.kfvn.se/"

HTML_ROUTES = [
    "/",
    "/sok",
    "/sok?q=samverkan",
    "/sok?q=&typ=projekt&sida=2",
    "/projekt",
    "/organisationer",
    "/personer",
    "/id/projekt/esamverkan",
    "/id/organisation/solleftea-kommun",
    "/id/organisation/kommunforbundet-vasternorrland",
    "/def/tema/digitalisering",
    "/def/tema",
    "/nedladdning",
    "/dataset",
    "/ontologi",
    "/def/kfv",
]


@pytest.mark.parametrize("path", HTML_ROUTES)
def test_page_is_html_with_shell(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 200, r.get_data(as_text=True)[:500]
    assert r.mimetype == "text/html"
    page = soup(r.data)
    assert page.html["lang"] == "sv"
    assert page.find("a", class_="skip-link")["href"] == "#innehall"
    assert page.find("main", id="innehall") is not None
    nav = page.find("nav", class_="main-nav")
    labels = [a.get_text(strip=True) for a in nav.find_all("a")]
    assert labels == ["Sök", "Projekt", "Finansiering", "Organisationer", "Personer", "Graf", "Analys",
                      "Frågor", "SPARQL", "Nedladdning", "Ontologi"]
    assert page.find("h1") is not None
    assert not page.find("link", href=lambda h: h and h.startswith("http"))  # no CDN
    assert not page.find("script", src=lambda s: s and s.startswith("http"))


@pytest.mark.parametrize("path", ["/", "/sok?q=teo", "/projekt", "/id/projekt/teo",
                                  "/nedladdning", "/ontologi", "/dataset"])
def test_html_advertises_json_twin(client: Any, path: str) -> None:
    r = client.get(path)
    twin = soup(r.data).find("link", rel="alternate", type="application/json")
    assert twin is not None
    assert 'rel="alternate"' in r.headers["Link"]
    assert twin["href"] in r.headers["Link"]
    j = client.get(twin["href"])
    assert j.status_code == 200 and j.mimetype == "application/json"
    assert isinstance(j.get_json(), dict)


def test_english_switch_sets_cookie_and_sticks(client: Any) -> None:
    r = client.get("/?lang=en")
    page = soup(r.data)
    assert page.html["lang"] == "en"
    assert page.find("nav", class_="main-nav").find("a").get_text() == "Search"
    assert "lang=en" in r.headers.get("Set-Cookie", "")
    again = soup(client.get("/projekt").data)
    assert again.html["lang"] == "en"
    assert soup(client.get("/projekt?lang=sv").data).html["lang"] == "sv"


def test_home_counts_classes(client: Any) -> None:
    data = client.get("/index.json").get_json()
    counts = {c["curie"]: c["count"] for c in data["classes"]}
    assert counts["schema:Project"] > 50
    assert counts["org:Organization"] > 50
    page = soup(client.get("/").data)
    assert page.find("input", attrs={"name": "q", "role": "combobox"}) is not None
    assert page.find("script", src="/static/js/search.js") is not None


def test_static_assets_are_served(client: Any) -> None:
    for path in ("/static/css/app.css", "/static/js/search.js", "/static/favicon.svg"):
        assert client.get(path).status_code == 200


def test_project_page_reads_like_a_project_sheet(client: Any) -> None:
    r = client.get("/id/projekt/esamverkan")
    page = soup(r.data)
    assert page.find("h1").get_text(strip=True) == "eSamverkan"
    text = page.get_text(" ")
    assert "30 september 2019" in text
    assert "Tillväxtverket" in text
    heads = [h.get_text(" ", strip=True) for h in page.find_all("h2")]
    assert any(h.startswith("Deltagare och roller") for h in heads)
    assert "Finansiering" in heads and "Resultat" in heads and "Alla uppgifter" in heads
    partners = page.find(id="s-deltagare").find_parent("section")
    assert partners.find("a", href="/id/organisation/sundsvalls-kommun") is not None
    assert "projektägare" in partners.get_text()
    assert "Verksamhetsberättelse 2018" in text  # the source of the facts
    assert page.find("link", rel="alternate", type="text/turtle")["href"] == \
        "/id/projekt/esamverkan.ttl"


def test_project_json_twin_is_the_page_dict(client: Any) -> None:
    d = client.get("/id/projekt/esamverkan.json").get_json()
    assert d["iri"] == BASE + "id/projekt/esamverkan"
    assert d["kind"] == "projekt"
    assert d["labels"]["sv"] == ["eSamverkan"]
    assert "e-Samverkan" in d["alt_labels"]["sv"]
    roles = {(p["organisation"]["iri"], p["role"]["iri"]) for p in d["participants"]}
    assert (BASE + "id/organisation/kommunforbundet-vasternorrland",
            BASE + "def/projektroll/projektagare") in roles
    assert d["fundings"][0]["funder"]["iri"] == BASE + "id/organisation/tillvaxtverket"
    assert {r["value"] for r in d["results"]} >= {"224", "102"}
    sources = {s["iri"] for s in d["sources"]}
    assert BASE + "id/kalla/verksamhetsberattelse-2018" in sources
    props = {f["property"] for f in d["facts"]}
    assert "https://schema.org/startDate" in props


def test_organisation_page_lists_projects_people_and_partners(client: Any) -> None:
    d = client.get("/id/organisation/solleftea-kommun.json").get_json()
    projects = {p["project"]["iri"] for p in d["projects"]}
    assert BASE + "id/projekt/esamverkan" in projects
    assert d["copartners"] and d["copartners"][0]["shared"] >= 1
    assert d["memberships"]
    kfv = client.get("/id/organisation/kommunforbundet-vasternorrland.json").get_json()
    assert kfv["appointed"] or kfv["people"]
    page = soup(client.get("/id/organisation/solleftea-kommun").data)
    assert page.find(id="s-projekt") is not None
    assert page.find(id="s-partner") is not None


def test_person_page_lists_posts(client: Any) -> None:
    d = client.get("/id/person/fred-nilsson.json").get_json()
    assert d["kind"] == "person"
    bodies = {p["body"]["iri"] for p in d["posts"]}
    assert BASE + "id/organisation/ernact" in bodies
    post = next(p for p in d["posts"] if p["body"]["iri"].endswith("/ernact"))
    # "I styrelsens arbete ingår att utse representanter" (VB 2018): the board appoints them.
    assert post["appointed_by"]["iri"].endswith("/kommunforbundet-vasternorrland-styrelse")


def test_pages_beyond_the_end_are_fine(client: Any) -> None:
    d = client.get("/id/organisation/kommunforbundet-vasternorrland.json?sida=2").get_json()
    assert d["page"] == 2
    assert client.get("/id/organisation/kommunforbundet-vasternorrland?sida=9999").status_code \
        == 200


def test_downloads_and_dumps(client: Any) -> None:
    page = soup(client.get("/nedladdning").data)
    links = {a["href"] for a in page.find_all("a", href=True)}
    for ext in ("ttl", "nt", "jsonld", "rdf", "trig", "nq"):
        assert f"/dump/samverkansgrafen.{ext}" in links


def test_ontology_documents_every_term_with_anchor(client: Any) -> None:
    d = client.get("/ontologi.json").get_json()
    curies = {c["curie"] for c in d["classes"]}
    assert {"kfv:Participation", "kfv:Appointment", "schema:Project"} <= curies
    assert any(p["curie"] == "kfv:fundingProgramme" for p in d["properties"])
    schemes = {s["iri"] for s in d["schemes"]}
    assert {BASE + "def/tema", BASE + "def/status", BASE + "def/projektroll"} <= schemes
    page = soup(client.get("/ontologi").data)
    term = page.find(id="kfv-Participation")
    assert term is not None and "deltagande" in term.get_text()
    assert "participation" in term.get_text()
    assert page.find(id="tema-digitalisering") is not None


@pytest.fixture(scope="module")
def hub_client(settings: Any, tmp_path_factory: pytest.TempPathFactory) -> Any:
    """An app over a small graph with one hub: 230 news items and 320 projects link to it."""
    from kg.load.loader import add_files
    from kg.store import open_store
    from webapp import create_app

    lines = ["@prefix schema: <https://schema.org/> . @prefix org: <http://www.w3.org/ns/org#> .",
             "@prefix kfv: <https://data.kfvn.se/def/kfv#> . "
             "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .",
             "<https://data.kfvn.se/id/organisation/hub> a org:Organization ; "
             "rdfs:label \"Navet\"@sv ."]
    for i in range(230):
        lines.append(f"<https://data.kfvn.se/id/nyhet/h{i:03}> a schema:NewsArticle ; "
                     f"schema:headline \"Nyhet {i}\"@sv ; "
                     "schema:mentions <https://data.kfvn.se/id/organisation/hub> .")
    for i in range(320):
        lines.append(f"<https://data.kfvn.se/id/deltagande/p{i:03}--hub> a kfv:Participation ; "
                     "org:member <https://data.kfvn.se/id/organisation/hub> ; "
                     f"org:organization <https://data.kfvn.se/id/projekt/p{i:03}> .")
        lines.append(f"<https://data.kfvn.se/id/projekt/p{i:03}> a schema:Project ; "
                     f"rdfs:label \"Projekt {i}\"@sv .")
    folder = tmp_path_factory.mktemp("hub")
    data = folder / "hub.ttl"
    data.write_text("\n".join(lines), encoding="utf-8")
    store = open_store("oxigraph:")
    add_files(store, [data], settings)
    flask_app = create_app(settings.with_(cache_dir=str(folder / "cache")), store=store)
    flask_app.config["TESTING"] = True
    return flask_app.test_client()


def test_hub_links_are_paginated(hub_client: Any) -> None:
    """A hub's links in come a page at a time, per property (100 each), counted in all:
    every one of them is on exactly one page."""
    first = hub_client.get("/id/organisation/hub.json").get_json()
    assert first["has_more"] is True and first["pages"] == 4
    counts = {c["property"]: c["count"] for c in first["link_counts"]}
    assert counts == {"https://schema.org/mentions": 230, "http://www.w3.org/ns/org#member": 320}
    news, projects = [], []
    for n in (1, 2, 3, 4):
        d = first if n == 1 else hub_client.get(f"/id/organisation/hub.json?sida={n}").get_json()
        assert d["page"] == n and d["has_more"] is (n < 4)
        news += [v["iri"] for g in d["incoming"] for v in g["values"]]
        projects += [p["project"]["iri"] for p in d["projects"]]
        assert len(d["projects"]) == (100 if n < 4 else 20)
    assert len(news) == len(set(news)) == 230
    assert len(projects) == len(set(projects)) == 320
    page = soup(hub_client.get("/id/organisation/hub").data)
    more = page.find("a", rel="next")
    assert more is not None and more["href"] == "/id/organisation/hub?sida=2"
    pager = page.select_one("nav.pager").get_text(" ", strip=True)
    assert "Sida 1 av 4" in pager
    assert "320" in page.select_one("p.link-counts").get_text()
    assert hub_client.get("/id/organisation/hub?sida=50").status_code == 200
