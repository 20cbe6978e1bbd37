"""The two funding-application jobs of DESIGN.md section 6, as a user does them in real
Chromium from the home page, with the steps counted and the downloaded Excel file opened.

1. "Sollefteå kommun's projects with role, partners and funders": at most 3 steps.
2. "All EU-funded projects with amount and year, as Excel": at most 4 steps; the file has
   Swedish headers, numbers as numbers, no IRIs in name columns, an autofilter and the
   source line.

Screenshots at 1366 and 390 px go to test-output/screenshots/.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytestmark = pytest.mark.browser


def _shots(page: Any, shots: Path, name: str) -> None:
    page.wait_for_load_state("load")
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"tables-{name}-{width}.png"), full_page=False)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_job_municipality_projects_in_three_steps(page: Any, live_url: str, shots: Path) -> None:
    steps = 0
    page.goto(live_url + "/")
    box = page.locator("form.job-municipality")
    box.locator("select").select_option(label="Sollefteå kommun")
    steps += 1
    box.locator("button").click()
    steps += 1
    page.wait_for_selector("table.data-table")
    heads = page.locator("table.data-table thead th").all_inner_texts()
    assert {"Projekt", "Roll", "Partner", "Finansiärer"} <= {h.strip() for h in heads}
    teo = page.locator("table.data-table tbody tr", has_text="TEO")
    assert teo.count() == 1
    text = teo.inner_text()
    assert "Tillväxtverket" in text and "deltagare" in text and "Timrå kommun" in text
    assert steps <= 3
    _shots(page, shots, "job-municipality")


def test_job_eu_projects_as_excel_in_four_steps(page: Any, live_url: str, shots: Path,
                                                 tmp_path: Path) -> None:
    steps = 0
    page.goto(live_url + "/")
    page.click("a.job-eu")
    steps += 1
    page.wait_for_selector("table.data-table")
    _shots(page, shots, "job-eu")
    with page.expect_download() as info:
        page.click("a.dl-xlsx")
    steps += 1
    assert steps <= 4
    download = info.value
    assert download.suggested_filename.endswith(".xlsx")
    assert "eu" in download.suggested_filename
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    header = [c.value for c in ws[1]]
    assert {"Projekt", "Finansiär", "Fond eller program", "Belopp (kr)", "År"} <= set(header)
    last = int(ws.auto_filter.ref.split(":")[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ"))
    rows = list(ws.iter_rows(min_row=2, max_row=last, values_only=True))
    assert rows
    names = [r[0] for r in rows]
    assert all(n and not str(n).startswith("http") for n in names)
    teo = next(r for r in rows if str(r[0]).startswith("TEO"))
    assert teo[header.index("Belopp (kr)")] == 3000000
    years = [r[header.index("År")] for r in rows if r[header.index("År")] is not None]
    assert all(isinstance(y, int) for y in years)
    assert ws.freeze_panes == "A2"
    source = [c.value for c in ws["A"] if isinstance(c.value, str) and "CC BY 4.0" in c.value]
    assert source and source[0].startswith("Källa")


def test_period_filter_in_the_browser_keeps_undated(page: Any, live_url: str,
                                                    shots: Path) -> None:
    page.goto(live_url + "/finansiering?finansiar=tillvaxtverket")
    page.fill("input[name=fran]", "2015")
    page.fill("input[name=till]", "2024")
    page.click("form.period button")
    page.wait_for_selector("tbody.undated")
    assert "TEO" in page.locator("tbody.undated").inner_text()
    assert page.locator(".notice-undated").is_visible()
    _shots(page, shots, "period-undated")


def test_tables_sort_swedish_when_clicked(page: Any, live_url: str, shots: Path) -> None:
    page.goto(live_url + "/organisationer")
    page.click("table.data-table thead th >> text=Organisation")
    page.wait_for_load_state("load")
    first = page.locator("table.data-table tbody tr td:first-child").first.inner_text()
    assert first.startswith("Ö"), first
    page.goto(live_url + "/personer")
    names = page.locator("table.data-table tbody tr td:first-child").all_inner_texts()
    families = [n.strip().rsplit(" ", 1)[-1] for n in names]
    assert families.index("Björk") < families.index("Böhlin")
    _shots(page, shots, "people")
