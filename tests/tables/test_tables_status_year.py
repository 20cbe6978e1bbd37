"""Status as of its source, the funding year and saved queries in English (QA findings)."""

from __future__ import annotations

import csv
import io
from typing import Any

import openpyxl
from bs4 import BeautifulSoup

from kg.query.profile import project_profile
from webapp.state import get_store

ESAMVERKAN = "https://data.kfvn.se/id/projekt/esamverkan"
ENDED = "https://data.kfvn.se/def/status/avslutat"
PENDING = "https://data.kfvn.se/def/status/pagaende"


def _row(rows: list[dict[str, Any]], iri: str) -> dict[str, Any]:
    return next(r for r in rows if r["projekt"]["iri"] == iri)


def test_project_table_status_is_the_profiles(client: Any, app: Any) -> None:
    rows = client.get("/projekt.json").json["rows"]
    cell = _row(rows, ESAMVERKAN)["status"]
    assert cell == [{"iri": ENDED, "label": "avslutat (härlett)"}]
    with app.app_context():
        sheet = project_profile(get_store(), ESAMVERKAN)
    assert sheet is not None and sheet["status"]["derived"]["status"] == ENDED
    # a status that has not run out says which year it is from
    assert any("(läget 20" in s["label"] for r in rows for s in r["status"])
    en = client.get("/projekt.json?lang=en").json["rows"]
    assert _row(en, ESAMVERKAN)["status"][0]["label"] == "completed (derived)"


def test_status_facet_counts_the_shown_status(client: Any) -> None:
    ended = client.get("/projekt.json?status=avslutat").json["rows"]
    assert ESAMVERKAN in {r["projekt"]["iri"] for r in ended}
    running = client.get("/projekt.json?status=pagaende").json["rows"]
    assert ESAMVERKAN not in {r["projekt"]["iri"] for r in running}


def test_status_as_of_in_the_downloads(client: Any) -> None:
    text = client.get("/projekt.csv").data.decode("utf-8-sig")
    row = next(r for r in csv.reader(io.StringIO(text)) if "eSamverkan" in r)
    assert "avslutat (härlett)" in row
    sheet = openpyxl.load_workbook(io.BytesIO(client.get("/projekt.xlsx").data)).worksheets[0]
    values = [c.value for row in sheet.iter_rows() for c in row]
    assert "avslutat (härlett)" in values


def test_funding_year_column_matches_the_year_facet(client: Any) -> None:
    data = client.get("/finansiering.json?eu=ja").json
    facet = next(f for f in data["facets"] if f["key"] == "ar")
    counts = {v["value"]: v["count"] for v in facet["values"]}
    assert counts.get("2019") == 2
    in_2019 = client.get("/finansiering.json?eu=ja&ar=2019").json["rows"]
    assert len(in_2019) == 2
    # no source states a year for them: the year cell stays empty (years are numbers in the
    # downloads) and the period column shows the years the filter counted
    assert {r["ar"] for r in in_2019} == {None}
    assert all("2019" in str(r["period"]) for r in in_2019)
    page = BeautifulSoup(client.get("/finansiering?eu=ja&ar=2019").get_data(as_text=True),
                         "html.parser")
    assert "Årsfiltret räknar dessutom" in str(page.select("table.data-table thead th"))
    assert "2019" in page.select_one("table.data-table tbody").get_text()
    # sorting by the year column mixes stated and period years without error
    assert client.get("/finansiering.json?ordning=ar").status_code == 200
    assert client.get("/finansiering.xlsx?ordning=-ar").status_code == 200


def test_saved_query_concepts_in_english(client: Any) -> None:
    en = client.get("/fragor/projekt-per-finansiar?lang=en").get_data(as_text=True)
    body = BeautifulSoup(en, "html.parser").select_one("table tbody").get_text()
    assert "granted" in body and "beviljad" not in body
    assert "no year in the source" in body and "saknar år i källan" not in body
    assert "cirka" not in body
    sv = client.get("/fragor/projekt-per-finansiar?lang=sv").get_data(as_text=True)
    body = BeautifulSoup(sv, "html.parser").select_one("table tbody").get_text()
    assert "beviljad" in body and "saknar år i källan" in body and "granted" not in body
    csv_en = client.get("/fragor/projekt-per-finansiar.csv?lang=en").data.decode("utf-8-sig")
    assert "granted" in csv_en and "beviljad" not in csv_en
