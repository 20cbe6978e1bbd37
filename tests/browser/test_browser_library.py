"""The query library and the role view in real Chromium, as a grant writer uses them.

- "Funding by Tillväxtverket 2015–2024 as Excel", starting at /fragor: the query is the
  first in the list and the form downloads Excel directly (5 steps; 6 before, with the query
  11th of 19 and a raw variable-name sheet); the file has Swedish titles, numbers as numbers,
  no IRIs in name columns, an autofilter, a frozen header, the parameters in the source.
- The library's search box filters while typing (the same words as ``?q=`` without JS).
- /projekt?deltagare=…: at 1366 px the partners are on screen without scrolling sideways;
  at 390 px every table page is one column, table first, no wider than the screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest

pytestmark = pytest.mark.browser


def _shots(page: Any, shots: Path, name: str) -> None:
    for width in (1366, 390):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=str(shots / f"library-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1366, "height": 900})


def test_funding_by_a_funder_and_period_as_excel_in_five_steps(
        page: Any, live_url: str, shots: Path, tmp_path: Path) -> None:
    steps = 0
    page.goto(live_url + "/fragor")
    first = page.locator(".query-list h3 a").first
    assert first.inner_text() == "Projekt per finansiär och period, med belopp"
    first.click()
    steps += 1
    page.locator("select[name=finansiar]").select_option(label="Tillväxtverket")
    page.locator("input[name=fran]").fill("2015")
    page.locator("input[name=till]").fill("2024")
    steps += 3
    _shots(page, shots, "query-form")
    with page.expect_download() as info:
        page.get_by_role("button", name="Ladda ner som Excel").click()
    steps += 1
    assert steps <= 5
    download = info.value
    assert download.suggested_filename == (
        "projekt-per-finansiar_finansiar-tillvaxtverket_fran-ar-2015_till-ar-2024.xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    header = [c.value for c in ws[1]]
    assert {"Projekt", "Finansiär", "Fond", "Program", "År", "Belopp (kr)", "Ungefärligt", "Anmärkning"} <= set(header)
    rows = list(ws.iter_rows(min_row=2, max_row=3, values_only=True))
    assert {r[0] for r in rows} == {"eSamverkan",
                                    "TEO – Tillgängliga e-tjänster för offentlig sektor"}
    teo = next(r for r in rows if r[0].startswith("TEO"))
    assert teo[header.index("Belopp (kr)")] == 3000000
    assert ws.freeze_panes == "A2" and ws.auto_filter.ref
    page.get_by_role("button", name="Visa resultat").click()
    page.wait_for_selector("table.query-table")
    assert page.locator("table.query-table thead th").first.inner_text().strip() == "Projekt"
    assert not page.locator("details.developer").evaluate("d => d.open")
    _shots(page, shots, "query-result")


def test_library_search_filters_while_typing(page: Any, live_url: str, shots: Path) -> None:
    page.goto(live_url + "/fragor")
    total = page.locator(".query-list li").count()
    page.locator("#fragor-sok").fill("kommun")
    visible = page.locator(".query-list li:visible")
    assert 0 < visible.count() < total
    texts = visible.all_inner_texts()
    assert any("Kommunens projekt" in t for t in texts) and any("Kommunens evenemang" in t for t in texts)
    page.locator("#fragor-sok").fill("")
    assert page.locator(".query-list li:visible").count() == total
    _shots(page, shots, "index")


def test_role_view_shows_partners_without_scrolling_sideways(page: Any, live_url: str,
                                                              shots: Path) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_url + "/projekt?deltagare=solleftea-kommun")
    box = page.locator(".table-scroll").bounding_box()
    heads = {h.inner_text().strip(): h.bounding_box()
             for h in page.locator("table.data-table thead th").all()}
    for name in ("Projekt", "Roll", "Partner", "Status", "Finansiärer"):
        right = heads[name]["x"] + heads[name]["width"]
        assert right <= box["x"] + box["width"] + 1, name
    heights = [r.bounding_box()["height"] for r in page.locator("table.data-table tbody tr").all()]
    assert heights and max(heights) < 130, heights  # was up to 118 with partners off-screen
    _shots(page, shots, "role-view")
    page.set_viewport_size({"width": 390, "height": 900})
    for url in ("/projekt?deltagare=solleftea-kommun", "/projekt", "/finansiering", "/personer"):
        page.goto(live_url + url)
        # one column on a phone, table first: nothing wider than the screen (was 448 px)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, url
        table = page.locator("table.data-table").bounding_box()
        assert table["y"] < page.locator("aside.facets").bounding_box()["y"], url
