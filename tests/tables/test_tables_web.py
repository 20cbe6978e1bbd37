"""The table pages, their downloads and the funding-application pack through the real app."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
import pytest
from bs4 import BeautifulSoup

from kg.query.collation import sort_key


def _soup(resp: Any) -> BeautifulSoup:
    assert resp.status_code == 200, resp.get_data(as_text=True)[:500]
    return BeautifulSoup(resp.get_data(as_text=True), "html.parser")


def _xlsx(resp: Any) -> openpyxl.Workbook:
    assert resp.status_code == 200
    return openpyxl.load_workbook(io.BytesIO(resp.data))


@pytest.mark.parametrize("path", ["/projekt", "/finansiering", "/organisationer", "/personer",
                                  "/nyheter", "/evenemang"])
def test_every_list_is_a_table_with_downloads(client: Any, path: str) -> None:
    soup = _soup(client.get(path))
    assert soup.select("aside.facets") and soup.select("p.downloads a.dl-xlsx")
    assert client.get(path + ".json").json["table"] == path.strip("/")
    assert client.get(path + ".csv").data.startswith("\ufeff".encode())
    assert client.get(path + ".xlsx").status_code == 200
    if path != "/evenemang":
        assert soup.select("table.data-table tbody tr")


def test_news_card_leads_to_the_news_table(client: Any) -> None:
    home = _soup(client.get("/"))
    card = next(a for a in home.select("ul.cards a") if "Nyheter" in a.get_text())
    assert card["href"] == "/nyheter"
    rows = _soup(client.get(card["href"])).select("table.data-table tbody tr")
    assert len(rows) == 47


def test_organisations_sorted_swedish_in_the_page(client: Any) -> None:
    names = []
    for page in (1, 2):
        soup = _soup(client.get(f"/organisationer?sida={page}"))
        names += [td.get_text(strip=True)
                  for td in soup.select("table.data-table tbody tr td:first-child")]
    assert names == sorted(names, key=sort_key)
    assert names.index("Örnsköldsviks kommun") > names.index("Ånge kommun") > names.index("Timrå kommun")


def test_facets_are_links_in_the_url(client: Any) -> None:
    soup = _soup(client.get("/projekt?status=pagaende"))
    chosen = soup.select("ul.chosen a")
    assert chosen and "pågående" in chosen[0].get_text()
    facet = soup.select_one("details.facet[data-facet=tema] li a")
    assert facet is not None and "status=pagaende" in facet["href"] and "tema=" in facet["href"]


def test_period_filter_shows_undated_group(client: Any) -> None:
    url = "/finansiering?finansiar=tillvaxtverket&fran=2015&till=2024"
    soup = _soup(client.get(url))
    assert soup.select_one(".notice-undated") is not None
    group = soup.select_one("tbody.undated")
    assert group is not None and "Saknar år i källan" in group.get_text()
    assert "TEO" in group.get_text()
    wb = _xlsx(client.get(url.replace("/finansiering", "/finansiering.xlsx")))
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert "Anmärkning" in header
    note = header.index("Anmärkning")
    teo = next(r for r in ws.iter_rows(min_row=2, values_only=True) if r[0] and "TEO" in r[0])
    assert teo[note] == "saknar år i källan"
    text = client.get(url.replace("/finansiering", "/finansiering.csv")).data.decode("utf-8-sig")
    assert "saknar år i källan" in text and "TEO" in text


def test_excel_download_is_ready_to_paste(client: Any) -> None:
    resp = client.get("/finansiering.xlsx?eu=ja")
    assert "eu-finansierat-ja" in resp.headers["Content-Disposition"]
    wb = _xlsx(resp)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert header[:6] == ["Projekt", "Finansiär", "Fond eller program", "Belopp (kr)",
                          "Ungefärligt belopp", "År"]
    assert header[-1] == "IRI"
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")
    rows = [r for r in ws.iter_rows(min_row=2, max_row=ws.auto_filter.ref and 1 + int(
        ws.auto_filter.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))]
    names = [r[0].value for r in rows]
    assert any(n.startswith("TEO") for n in names)
    assert not any(str(n).startswith("http") for n in names)
    teo = next(r for r in rows if r[0].value.startswith("TEO"))
    assert teo[3].value == 3000000 and isinstance(teo[3].value, int)
    assert "kr" in teo[3].number_format
    assert teo[0].hyperlink is not None
    assert teo[-1].value == "https://data.kfvn.se/id/projekt/teo"
    footer = [c.value for c in ws["A"] if isinstance(c.value, str) and c.value.startswith("Källa")]
    assert footer and "CC BY 4.0" in footer[0]
    about = wb.worksheets[1]
    lines = {r[0]: r[1] for r in about.iter_rows(values_only=True)}
    assert "CC BY 4.0" in lines["Licens"] and lines["Dataversion"] and lines["Hämtad"]
    assert "EU-finansierat: ja" in lines["Urval"]


def test_years_are_numbers_in_excel(client: Any) -> None:
    ws = _xlsx(client.get("/finansiering.xlsx?finansiar=skolverket")).worksheets[0]
    header = [c.value for c in ws[1]]
    years = [r[header.index("År")] for r in ws.iter_rows(min_row=2, values_only=True)
             if r[0] and r[header.index("År")] is not None]
    assert years and all(isinstance(y, int) for y in years)


def test_csv_semicolon_for_swedish_excel(client: Any) -> None:
    data = client.get("/organisationer.csv?avgransare=semikolon").data
    assert data.startswith("\ufeff".encode())
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["Organisation", "Typ", "Kommun"] and rows[0][-1] == "IRI"
    assert any(r[0] == "Örnsköldsviks kommun" for r in rows)


def test_english_titles_by_ui_language(client: Any) -> None:
    ws = _xlsx(client.get("/finansiering.xlsx?lang=en")).worksheets[0]
    assert [c.value for c in ws[1]][:2] == ["Project", "Funder"]


def test_bad_filter_is_a_400_in_the_ui_language(client: Any) -> None:
    resp = client.get("/finansiering?fran=tjugo")
    assert resp.status_code == 400
    assert "årtal" in resp.get_data(as_text=True)
    assert client.get("/projekt?ordning=nope").status_code == 400


def test_municipality_projects_with_role_and_pack_link(client: Any) -> None:
    soup = _soup(client.get("/projekt?deltagare=solleftea-kommun"))
    heads = [th.get_text(strip=True) for th in soup.select("table.data-table thead th")]
    assert {"Projekt", "Roll", "Partner", "Finansiärer"} <= set(heads)
    assert soup.select_one("a.pack")["href"].startswith("/underlag?organisation=")


def test_pack_choice_forms_start_with_a_prompt_and_require_a_choice(client: Any) -> None:
    soup = _soup(client.get("/underlag"))
    selects = soup.select("form.pack-choose select")
    assert [s["name"] for s in selects] == ["organisation", "organisation", "projekt"]
    for select in selects:
        first = select.select_one("option")
        assert select.has_attr("required") and first["value"] == "" and first.get_text() == "Välj …"
        assert len(select.select("option")) > 2


def test_pack_page_and_files(client: Any) -> None:
    soup = _soup(client.get("/underlag?organisation=solleftea-kommun"))
    titles = [h.get_text() for h in soup.select("section.pack-section h2")]
    assert any("Projekt" in x for x in titles) and any("Partner" in x for x in titles)
    assert any("Representanter" in x for x in titles)
    docx = client.get("/underlag.docx?organisation=solleftea-kommun")
    assert docx.status_code == 200 and docx.data[:2] == b"PK"
    from docx import Document

    doc = Document(io.BytesIO(docx.data))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Sollefteå kommun" in text and "CC BY 4.0" in text
    assert "Urval: Organisation: Sollefteå kommun" in text  # the choice in words, not the slug
    assert doc.tables and doc.tables[0].rows[0].cells[0].text == "Projekt"
    wb = _xlsx(client.get("/underlag.xlsx?organisation=solleftea-kommun"))
    assert wb.sheetnames[0] == "Projekt" and "Partner" in wb.sheetnames
    assert "Källa" in [c.value for c in wb.worksheets[0][1]]


def test_project_fact_sheet(client: Any) -> None:
    soup = _soup(client.get("/underlag?projekt=teo"))
    assert "Faktablad" in soup.h1.get_text()
    assert "Tillväxtverket" in soup.get_text() and "Deltagare" in soup.get_text()
    assert client.get("/underlag.docx?projekt=teo").status_code == 200
    assert client.get("/underlag?projekt=finns-inte").status_code == 404


def test_pack_chooser(client: Any) -> None:
    soup = _soup(client.get("/underlag"))
    assert soup.select("select[name=organisation] option") and soup.select(
        "select[name=projekt] option")


@pytest.mark.parametrize(("path", "link"), [
    ("/id/organisation/solleftea-kommun", "/underlag?organisation=solleftea-kommun"),
    ("/id/organisation/kommunforbundet-vasternorrland",
     "/underlag?organisation=kommunforbundet-vasternorrland"),
    ("/id/projekt/teo", "/underlag?projekt=teo"),
])
def test_entity_pages_link_to_the_pack(client: Any, path: str, link: str) -> None:
    soup = _soup(client.get(path))
    assert soup.select_one("a.pack-link")["href"] == link
    assert client.get(link).status_code == 200


def test_home_has_the_job_entry_points(client: Any) -> None:
    soup = _soup(client.get("/"))
    options = [o.get_text() for o in soup.select("form.job-municipality select option")]
    assert "Sollefteå kommun" in options
    assert options[1:] == sorted(options[1:], key=sort_key)
    assert soup.select_one("a.job-eu")["href"] == "/finansiering?eu=ja"
    assert soup.select_one("a.job-funding")["href"] == "/finansiering"
