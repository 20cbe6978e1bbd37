"""The query library as a product (issue 10, item 5): grouped by tag with the queries grant
writers need first, searchable without JavaScript, human column titles in sv/en in pages,
tooltips and downloads, names linked instead of IRIs, lists and rows in Swedish order,
developer hints only inside the folded "SPARQL" section, Excel and CSV like the tables'."""

from __future__ import annotations

import io
from typing import Any

import openpyxl
import pytest
from bs4 import BeautifulSoup

from kg.query.catalog import load_catalog
from kg.query.collation import sort_key
from kg.query.saved_tables import shown_columns
from kg.store.base import Store

CATALOG = load_catalog()


def soup(resp: Any) -> BeautifulSoup:
    assert resp.status_code == 200, resp.status_code
    return BeautifulSoup(resp.data, "html.parser")


@pytest.mark.parametrize("name", CATALOG.names())
def test_every_column_has_titles_in_both_languages(name: str, ox_store: Store) -> None:
    query = CATALOG.get(name)
    variables = query.run(ox_store).variables
    declared = {c.name for c in query.columns}
    always_set = {p.name for p in query.params if not p.optional or p.default}
    untitled = set(shown_columns(query, variables)) - declared - always_set
    assert not untitled, f"{name}: no '#+ column:' for {sorted(untitled)}"
    for c in query.columns:
        assert c.name in variables, f"{name}: column ?{c.name} is not in the result"
        assert not c.label or c.label in variables
        assert c.sv and c.en and c.sv != c.name


def test_every_result_column_is_titled_on_the_page(sparql_client: Any) -> None:
    for query in CATALOG:
        page = soup(sparql_client.get(f"/fragor/{query.name}"))
        heads = [th.get_text(strip=True) for th in page.select("table.query-table thead th")]
        titles = {c.sv for c in query.columns}
        assert heads and set(heads) <= titles, (query.name, heads)


def test_library_is_grouped_with_grant_writers_queries_first(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor"))
    groups = [h.get_text(strip=True) for h in page.select("section.query-group > h2")]
    assert groups[:3] == ["Finansiering", "Kommuner", "Partner och samarbeten"]
    order = [a["href"].rsplit("/", 1)[1] for a in page.select(".query-list h3 a")]
    assert order[:2] == ["projekt-per-finansiar", "eu-projekt"]
    assert order.index("kommunens-projekt") < 8 and order.index("samarbetspartner") < 9
    assert sorted(order) == sorted(CATALOG.names())
    # no variable names or command lines for staff on the list
    text = page.get_text(" ")
    assert "kg query" not in text and "projekt-per-finansiar" not in text


def test_search_works_without_javascript(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor?q=EU"))
    found = [a.get_text(strip=True) for a in page.select(".query-list h3 a")]
    assert "EU-projekt med finansiering" in found
    assert "Förbundets styrelse och ledning över tid" not in found
    assert f"av {len(CATALOG)} frågor" in page.select_one(".library-status").get_text()
    # accents and case do not matter; every word must match
    finder = soup(sparql_client.get("/fragor?q=FINANSIAR+belopp"))
    names = [a["href"] for a in finder.select(".query-list h3 a")]
    assert "/fragor/projekt-per-finansiar" in names and "/fragor/projektkedjor" not in names
    nothing = soup(sparql_client.get("/fragor?q=zzzxq"))
    assert not nothing.select(".query-list li") and nothing.select_one(".notice")
    tagged = soup(sparql_client.get("/fragor?tagg=partner"))
    assert {a["href"] for a in tagged.select(".query-list h3 a")} == {
        f"/fragor/{q.name}" for q in CATALOG if "partner" in q.tags}


def test_names_are_links_and_iris_are_not_shown(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor/kommunens-projekt?kommun=organisation%3Asolleftea-kommun"))
    table = page.select_one("table.query-table")
    assert "https://" not in table.get_text()
    teo = next(tr for tr in table.select("tbody tr") if "TEO" in tr.get_text())
    links = {a.get_text(): a["href"] for a in teo.select("a")}
    assert links["Timrå kommun"] == "/id/organisation/timra-kommun"
    assert links["Tillväxtverket"] == "/id/organisation/tillvaxtverket"
    assert links["TEO – Tillgängliga e-tjänster för offentlig sektor"] == "/id/projekt/teo"
    # the list of other participants is in Swedish order (Å, Ä, Ö after Z)
    partners = [a.get_text() for a in teo.select("td.col-entities")[0].select("a")]
    assert partners == sorted(partners, key=sort_key) and partners[-1].startswith("Ö")
    # the chosen municipality is not repeated on every row
    assert "Kommun" not in [th.get_text(strip=True) for th in table.select("thead th")]


def test_rows_in_swedish_order(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor/projekt-per-tema?tema=tema%3Adigitalisering"))
    names = [tr.select_one("td").get_text(strip=True)
             for tr in page.select("table.query-table tbody tr")]
    assert len(names) > 3 and names == sorted(names, key=sort_key)
    assert names.index("eSamverkan") < names.index("TEO – Tillgängliga e-tjänster för offentlig sektor")


def test_developer_hints_only_in_the_folded_sparql_section(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor/projekt-per-finansiar?finansiar=organisation%3Atillvaxtverket"))
    dev = page.select_one("details.developer")
    assert dev is not None and dev.get("open") is None
    assert "kg query --saved projekt-per-finansiar" in dev.get_text()
    assert "?belopp" in dev.get_text() and "xsd:" in dev.get_text()
    dev.extract()
    rest = page.get_text(" ")
    assert "kg query" not in rest and "gYear" not in rest and "@sv" not in rest
    for tag in page.select("[title]"):
        assert "xsd" not in tag["title"] and "gYear" not in tag["title"]
        assert not tag["title"].startswith("http") and not tag["title"].startswith("@")
    heads = {th.get_text(strip=True): th.get("title") for th in page.select("table.query-table th")}
    assert heads["År"] == "Året bidraget avser"
    assert {"Projekt", "Finansiär", "Fond", "Program", "Belopp (kr)", "Anmärkning"} <= set(heads)


def test_excel_is_the_tables_paste_ready_workbook(sparql_client: Any) -> None:
    resp = sparql_client.get("/fragor/projekt-per-finansiar.xlsx?finansiar=organisation:tillvaxtverket"
                             "&fran=2015&till=2024")
    assert resp.status_code == 200
    name = resp.headers["Content-Disposition"]
    assert "projekt-per-finansiar_finansiar-tillvaxtverket_fran-ar-2015_till-ar-2024.xlsx" in name
    wb = openpyxl.load_workbook(io.BytesIO(resp.data))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["Projekt", "Finansiär", "Fond", "Program", "År", "Belopp (kr)"]
    assert header[-1] == "IRI" and "projektnamn" not in header
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    rows = list(ws.iter_rows(min_row=2, max_row=3, values_only=True))
    teo = next(r for r in rows if str(r[0]).startswith("TEO"))
    assert teo[header.index("Belopp (kr)")] == 3000000
    assert teo[header.index("Anmärkning")] == "saknar år i källan"
    assert ws.cell(row=2, column=1).hyperlink is not None
    about = dict(wb["Om tabellen"].iter_rows(values_only=True))
    assert "Tillväxtverket" in about["Urval"] and "2015" in about["Urval"]
    assert about["Licens"].startswith("CC BY 4.0")
    english = openpyxl.load_workbook(io.BytesIO(sparql_client.get(
        "/fragor/projekt-per-finansiar.xlsx?lang=en").data)).worksheets[0]
    assert [c.value for c in english[1]][:3] == ["Project", "Funder", "Fund"]


def test_csv_has_a_bom_titles_and_a_semicolon_option(sparql_client: Any) -> None:
    resp = sparql_client.get("/fragor/samarbetspartner.csv?organisation=organisation:timra-kommun"
                             "&avgransare=semikolon")
    text = resp.data.decode("utf-8")
    assert text.startswith("\ufeff")
    lines = text[1:].splitlines()
    assert lines[0] == "Partner;Gemensamma projekt;Projekten;IRI"
    assert any(line.startswith("Sollefteå kommun;") for line in lines)


def test_the_form_downloads_excel_directly(sparql_client: Any) -> None:
    page = soup(sparql_client.get("/fragor/projekt-per-finansiar"))
    button = page.select_one("form.query-form button.download-xlsx")
    assert button["formaction"] == "/fragor/projekt-per-finansiar.xlsx"


def test_json_keeps_variables_and_adds_titles(sparql_client: Any) -> None:
    doc = sparql_client.get("/fragor/samarbetspartner.json?lang=en").get_json()
    assert doc["titles"]["antal_projekt"] == "Shared projects"
    assert all(r["partner"].startswith("https://") for r in doc["rows"])


def test_eu_query_agrees_with_the_funding_table(sparql_client: Any) -> None:
    doc = sparql_client.get("/fragor/eu-projekt.json").get_json()
    table = sparql_client.get("/finansiering.json?eu=ja").get_json()
    mine = sorted(r["projekt"] for r in doc["rows"])
    theirs = sorted(r["projekt"]["iri"] for r in table["rows"] + table["undated"])
    assert mine == theirs and mine


def test_whole_graph_reports_keep_their_default_result(sparql_app: Any, sparql_client: Any,
                                                       ox_store: Store) -> None:
    """A query whose header says ``#+ keep:`` answers its default parameters from a value
    kept for the data version (computed once, warmed when the data changes); other
    parameter values are run as asked, and the answers are the engine's."""
    import json

    from kg.cache import per_version
    from webapp import warmup
    from webapp.state import get_store

    kept = [q.name for q in CATALOG if q.keep]
    assert {"ej-beviljade-ansokningar", "projekt-per-finansiar", "kommunens-projekt"} <= set(kept)
    assert {f"/fragor/{n}.json" for n in kept} == set(warmup.library_pages())

    def not_again() -> Any:
        raise AssertionError("the kept result was computed again")

    for name in ("ej-beviljade-ansokningar", "kommunens-projekt"):
        query = CATALOG.get(name)
        reply = sparql_client.get(f"/fragor/{name}.json")
        assert reply.status_code == 200
        rows = json.loads(reply.data)["rows"]
        with sparql_app.app_context():
            value = per_version(get_store(), f"library:{name}", not_again)
        direct = query.run(ox_store)
        assert len(rows) == len(value.rows) == len(direct.rows) > 0
        assert sorted(value.rows, key=repr) == sorted(direct.rows, key=repr)
        page = soup(sparql_client.get(f"/fragor/{name}"))  # the page: the same rows
        assert len(page.select("table.query-table tbody tr")) == len(rows)
    # another municipality is run as asked, not answered with the kept default
    other = json.loads(sparql_client.get(
        "/fragor/kommunens-projekt.json?kommun=organisation%3Asolleftea-kommun").data)
    default = json.loads(sparql_client.get("/fragor/kommunens-projekt.json").data)
    assert other["rows"] and other["rows"] != default["rows"]
    assert {r["kommun"] for r in other["rows"]} == {
        "https://data.kfvn.se/id/organisation/solleftea-kommun"}
