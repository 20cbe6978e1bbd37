"""The editor and the library pages, read as a browser would (parsed with BeautifulSoup)."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs, quote, urlparse

import pytest
from bs4 import BeautifulSoup

from kg.query.catalog import load_catalog, projection

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
PARTNERS = ("SELECT ?org ?roll WHERE { ?d a kfv:Participation ; org:organization "
            "projekt:esamverkan ; org:member ?org ; org:role ?roll }")


def soup(resp: Any) -> BeautifulSoup:
    return BeautifulSoup(resp.data, "html.parser")


def editor(client: Any, query: str) -> Any:
    return client.get(f"/sparql?query={quote(query)}", headers=HTML)


def test_empty_editor_has_prefixes_and_examples(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/sparql", headers=HTML))
    text = page.find("textarea", id="query").get_text()
    assert "PREFIX kfv: <https://data.kfvn.se/def/kfv#>" in text
    assert "PREFIX schema: <https://schema.org/>" in text
    examples = page.select("ul.examples a")
    assert len(examples) >= 5
    assert all(a["href"].startswith("/sparql?query=") for a in examples)
    assert page.find("a", href="/fragor") is not None


def test_every_example_runs(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/sparql", headers=HTML))
    for a in page.select("ul.examples a"):
        resp = sparql_client.get(a["href"], headers=HTML)
        assert resp.status_code == 200, a.get_text()
        assert soup(resp).select_one("section.results") is not None, a.get_text()


def test_result_table_is_sortable_with_labelled_links(sparql_client: Any) -> None:
    resp = editor(sparql_client, PARTNERS)
    assert resp.status_code == 200
    page = soup(resp)
    table = page.select_one("table.result-table.sortable")
    assert [th.get_text(strip=True) for th in table.select("thead th")] == ["org", "roll"]
    assert all(th.find("button", class_="sort") for th in table.select("thead th"))
    links = {a.get_text(): a["href"] for a in table.select("tbody a")}
    assert links["Sundsvalls kommun"] == "/id/organisation/sundsvalls-kommun"
    assert links["samverkanspartner"] == "/def/projektroll/samverkanspartner"
    assert len(table.select("tbody tr")) == 12
    assert page.find("script", src="/static/js/sortable-table.js") is not None


def test_downloads_and_share_link(sparql_client: Any) -> None:
    page = soup(editor(sparql_client, PARTNERS))
    downloads = {a.get_text(): a["href"] for a in page.select("a.download")}
    assert set(downloads) == {"CSV", "TSV", "JSON", "XML", "Excel"}
    csv = sparql_client.get(downloads["CSV"])
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    assert "attachment" in csv.headers["Content-Disposition"]
    share = page.select_one("a.share")["href"]
    assert parse_qs(urlparse(share).query)["query"] == [PARTNERS]


def test_construct_and_ask_in_the_editor(sparql_client: Any) -> None:
    page = soup(editor(sparql_client, "CONSTRUCT WHERE { projekt:teo rdfs:label ?l }"))
    assert [th.get_text(strip=True) for th in page.select("thead th")] == [
        "subject", "predicate", "object"]
    assert {a.get_text() for a in page.select("a.download")} == {
        "Turtle", "JSON-LD", "N-Triples", "RDF/XML"}
    ask = soup(editor(sparql_client, "ASK { projekt:teo a schema:Project }"))
    assert "true" in ask.select_one(".ask-answer").get_text()


def test_syntax_error_is_shown_with_its_position(sparql_client: Any) -> None:
    resp = editor(sparql_client, "SELECT * WHERE {\n ?s ?p\n}")
    assert resp.status_code == 400
    page = soup(resp)
    notice = page.select_one(".notice-error")
    assert "3" in notice.select_one(".where").get_text()
    assert page.select_one(".editor")["data-error-line"] == "3"
    assert page.find("textarea")["aria-invalid"] == "true"
    assert page.find("textarea").get_text() == "SELECT * WHERE {\n ?s ?p\n}"


def test_an_update_in_the_editor_is_refused(sparql_client: Any) -> None:
    resp = editor(sparql_client, "INSERT DATA { <urn:a> <urn:b> <urn:c> }")
    assert resp.status_code == 403
    assert "read-only" in soup(resp).select_one(".notice-error").get_text()


def test_truncation_is_visible(limited_app: Any) -> None:
    page = soup(editor(limited_app.test_client(), PARTNERS))
    notice = page.select_one(".notice-truncated")
    assert notice is not None and "5" in notice.get_text()
    assert len(page.select("table.result-table tbody tr")) == 5


def test_html_is_escaped(sparql_client: Any) -> None:
    resp = editor(sparql_client, 'SELECT ?x WHERE { BIND("<script>alert(1)</script>" AS ?x) }')
    assert b"<script>alert(1)</script>" not in resp.data
    assert b"&lt;script&gt;alert(1)&lt;/script&gt;" in resp.data


def test_library_index_lists_every_query(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor"))
    hrefs = {a["href"] for a in page.select(".query-list h3 a")}
    assert hrefs == {f"/fragor/{n}" for n in load_catalog().names()}


@pytest.mark.parametrize("name", load_catalog().names())
def test_every_library_page_works(sparql_client: Any, name: str) -> None:
    resp = sparql_client.get(f"/fragor/{name}")
    assert resp.status_code == 200
    page = soup(resp)
    query = load_catalog().get(name)
    assert page.find("h1").get_text() == query.title_sv
    for p in query.params:
        field = page.find(attrs={"name": p.name})
        assert field is not None, p.name
        if p.choices:
            assert len(field.find_all("option")) > 1
    assert page.select_one("section.results") is not None
    downloads = {a.get_text(): a["href"] for a in page.select("a.download")}
    assert set(downloads) == {"Excel", "CSV för Excel (semikolon)", "CSV (komma)", "JSON"}
    edit = page.select_one("details.developer a.edit-sparql")
    assert edit["href"].startswith("/sparql?query=")
    heads = [th.get_text(strip=True) for th in page.select("table.query-table thead th")]
    renamed = {v for v in projection(query.text) if query.column_title(v) != v}
    assert heads and not set(heads) & renamed  # titles for people, never variable names


def test_library_page_with_parameters_and_downloads(sparql_client: Any) -> None:
    url = "/fragor/projektets-partner?projekt=projekt%3Ateo"
    page = soup(sparql_client.get(url))
    selected = page.select_one("select[name=projekt] option[selected]")
    assert selected["value"] == "projekt:teo"
    assert page.select_one("a.share")["href"] == url
    names = [a["href"] for a in page.select("a.download")]
    assert "/fragor/projektets-partner.csv?projekt=projekt%3Ateo" in names
    csv = sparql_client.get("/fragor/projektets-partner.csv?projekt=projekt%3Ateo")
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    js = sparql_client.get("/fragor/projektets-partner.json?projekt=projekt:teo")
    doc = js.get_json()
    assert doc["parameters"] == {"projekt": "https://data.kfvn.se/id/projekt/teo"}
    assert doc["rows"] and all(r["projekt"].endswith("/teo") for r in doc["rows"])
    xlsx = sparql_client.get("/fragor/projektets-partner.xlsx?projekt=projekt:teo")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"


def test_view_edit_sparql_opens_the_same_result(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor/representanter-externa-organ"))
    rows = len(page.select("table.query-table tbody tr"))
    edit = page.select_one("a.edit-sparql")["href"]
    opened = soup(sparql_client.get(edit, headers=HTML))
    assert len(opened.select("table.result-table tbody tr")) == rows == 15


def test_english_interface(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor/projektets-partner?lang=en"))
    assert page.find("h1").get_text() == "Partners of a project by role"
    assert "Download" in page.select_one("section.results .result-actions").get_text()
    assert page.select_one("a.edit-sparql").get_text() == "View and edit SPARQL"
    heads = [th.get_text(strip=True) for th in page.select("table.query-table thead th")]
    assert heads == ["Organisation", "Role", "From", "To"]


def test_unknown_library_query_is_404(sparql_client: Any) -> None:
    assert sparql_client.get("/fragor/finns-inte").status_code == 404
    assert sparql_client.get("/fragor/finns-inte.csv").status_code == 404
