"""Exploring collaborations in real Chromium: graphs whose labels never overlap at the
default zoom (the flagship projects, three organisations, the filtered explorer, desktop and
phone), a page that keeps scrolling over a graph, the hop count that matches what is drawn,
the year slider, groups that open, the side panel, and "how is Sollefteå kommun connected
to Umeå universitet" asked from the home page. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from .graphmeasure import labels, ready

pytestmark = pytest.mark.browser

FLAGSHIPS = ["esamverkan", "teo", "gfo", "hav", "secure"]
ORGANISATIONS = ["kommunforbundet-vasternorrland", "solleftea-kommun", "umea-universitet"]
PAGES = ([f"/id/projekt/{p}" for p in FLAGSHIPS]
         + [f"/id/organisation/{o}" for o in ORGANISATIONS]
         + ["/graf?kommun=solleftea-kommun", "/graf?tema=digitalisering", "/graf"])


def _cid(page: Any) -> str:
    page.wait_for_selector("[data-kg-graph][data-ready]")
    return str(page.locator("[data-kg-graph][data-ready]").first.get_attribute("id"))


@pytest.fixture()
def phone(browser: Any) -> Any:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="sv-SE",
                                  is_mobile=True, has_touch=True, device_scale_factor=2)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


@pytest.mark.parametrize("path", PAGES)
def test_no_label_overlaps_at_default_zoom(page: Any, phone: Any, live_url: str, path: str,
                                           shots: Path) -> None:
    name = re.sub(r"\W+", "-", path.strip("/"))
    for pg, width in ((page, 1366), (phone, 390)):
        if width == 1366:
            pg.set_viewport_size({"width": 1366, "height": 900})
        pg.goto(live_url + path)
        cid = _cid(pg)
        found = labels(pg, cid)
        assert found["labels"] >= min(found["drawn"], 5), (path, width, found)
        assert found["overlaps"] == [], (path, width, found["overlaps"])
        assert found["cut"] == [], (path, width, found["cut"])
        assert found["minFont"] is None or found["minFont"] >= 9, (path, width, found)
        pg.locator(f"#{cid}").scroll_into_view_if_needed()
        pg.screenshot(path=str(shots / f"graph-{name}-{width}.png"))


def test_wheel_over_a_graph_scrolls_the_page(page: Any, live_url: str) -> None:
    page.goto(live_url + "/id/projekt/esamverkan")
    cid = _cid(page)
    box = page.locator(f"#{cid}").bounding_box()
    page.evaluate("window.scrollTo(0, 0)")
    page.mouse.move(box["x"] + box["width"] / 2, min(box["y"] + 50, 850))
    scale = page.evaluate("c => window.kgGraphs[c].getScale()", cid)
    before = page.evaluate("window.scrollY")
    page.mouse.wheel(0, 400)
    page.wait_for_function("y => window.scrollY > y", arg=before)
    assert page.evaluate("c => window.kgGraphs[c].getScale()", cid) == scale
    # Ctrl + wheel zooms the graph, and leaves the page where it is
    page.locator(f"#{cid}").scroll_into_view_if_needed()
    box = page.locator(f"#{cid}").bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    y = page.evaluate("window.scrollY")
    page.keyboard.down("Control")
    page.mouse.wheel(0, -200)
    page.keyboard.up("Control")
    page.wait_for_function("([c, s]) => window.kgGraphs[c].getScale() > s", arg=[cid, scale])
    assert page.evaluate("window.scrollY") == y
    # a click activates the graph: the wheel zooms until Escape lets go
    page.mouse.click(box["x"] + 10, box["y"] + box["height"] - 10)
    assert page.locator(".kg-widget.kg-active").count() == 1
    page.keyboard.press("Escape")
    assert page.locator(".kg-widget.kg-active").count() == 0


def _count(page: Any) -> list[int]:
    text = page.locator("[data-count]").first.inner_text()
    return [int(n) for n in re.findall(r"\d+", text)]


def test_two_hops_count_matches_what_is_drawn_and_the_url(page: Any, live_url: str,
                                                          shots: Path) -> None:
    page.goto(live_url + "/id/organisation/solleftea-kommun")
    cid = _cid(page)
    one = labels(page, cid)
    assert _count(page)[0] == one["drawn"]
    page.click("[data-hops='2']")
    page.wait_for_function("c => document.getElementById(c).kgView.data.hops === 2", arg=cid)
    page.wait_for_selector(f"#{cid}[data-ready]")
    assert "hopp=2" in page.url
    two = labels(page, cid)
    numbers = _count(page)
    # "Visar 25 av 115 noder och 42 kopplingar – resten i 3 grupper ..."
    assert numbers[0] == two["drawn"] and two["drawn"] > one["drawn"]
    if two["groups"]:
        assert numbers[-1] == two["groups"]
    assert two["overlaps"] == []
    page.locator(f"#{cid}").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "two-hops.png"))
    page.reload()  # the URL holds the hop count
    page.wait_for_selector(f"#{cid}[data-ready]")
    assert page.evaluate("c => document.getElementById(c).kgView.data.hops", cid) == 2


def test_groups_open_and_the_side_panel_shows_details(page: Any, live_url: str) -> None:
    page.goto(live_url + "/id/organisation/kommunforbundet-vasternorrland")
    cid = _cid(page)
    before = labels(page, cid)
    assert before["groups"] > 0
    group = page.evaluate("c => document.getElementById(c).kgView.data.groups[0]", cid)
    page.evaluate("([c, g]) => document.getElementById(c).kgView.toggleGroup(g, true)",
                  [cid, group["id"]])
    after = labels(page, cid)
    assert after["drawn"] == before["drawn"] + group["count"]
    assert after["groups"] == before["groups"] - 1
    node = page.evaluate("c => document.getElementById(c).kgView.data.nodes[3]", cid)
    page.evaluate("([c, id]) => document.getElementById(c).kgView.select(id)", [cid, node["id"]])
    panel = page.locator(".kg-panel")
    assert panel.is_visible()
    assert node["name"] in panel.inner_text()
    link = panel.locator("a", has_text="Öppna sidan")
    assert link.get_attribute("href") == node["url"]


def test_year_slider_shows_a_period_and_keeps_it_in_the_url(page: Any, live_url: str) -> None:
    page.goto(live_url + "/id/organisation/solleftea-kommun")
    cid = _cid(page)
    assert page.locator("[data-time]").is_visible()
    everything = labels(page, cid)["drawn"]
    page.evaluate("""() => { const f = document.querySelector('[data-time-from]');
        const t = document.querySelector('[data-time-to]');
        f.value = 2018; f.dispatchEvent(new Event('input'));
        t.value = 2018; t.dispatchEvent(new Event('input')); }""")
    assert "tid=2018" in page.url
    assert page.locator("[data-time-out]").inner_text() == "2018"
    in_2018 = labels(page, cid)
    assert 1 < in_2018["drawn"] <= everything
    page.uncheck("[data-undated]")
    assert "odaterade=0" in page.url
    assert labels(page, cid)["drawn"] <= in_2018["drawn"]
    page.click("[data-time-all]")
    assert "tid=" not in page.url


def test_how_is_solleftea_connected_to_umea_from_the_home_page(page: Any, live_url: str,
                                                               shots: Path) -> None:
    """At most four steps from the home page, answered in a sentence; the alias works."""
    page.goto(live_url + "/")
    page.fill("#fran", "Sollefteå")                      # 1
    page.fill("#till", "Umeå universitet")               # 2
    page.click(".kg-home-path button[type=submit]")      # 3
    page.wait_for_selector("[data-answer]")
    answer = page.locator("[data-answer]").inner_text()
    assert answer.startswith("Sollefteå kommun och Umeå universitet har inget gemensamt projekt")
    assert "Den närmaste kopplingen är" in answer
    ready(page, "kg-graph-vag")
    assert labels(page, "kg-graph-vag")["overlaps"] == []
    steps = page.locator("ol.kg-chain").first.locator(".kg-link")
    assert all(t.startswith("→") for t in steps.all_inner_texts())
    page.screenshot(path=str(shots / "path-from-home.png"), full_page=True)


def test_path_finder_errors_keep_the_form(page: Any, live_url: str) -> None:
    page.goto(live_url + "/analys/vag?fran=" + quote("Ingen alls") + "&till=" + quote("Umeå"))
    assert page.locator("#fran").input_value() == "Ingen alls"
    assert "Hittar inget projekt" in page.locator("[role=alert]").inner_text()
    page.fill("#fran", "Sollefteå")
    page.fill("#till", "Umeå universitet")
    page.click(".kg-path-form button[type=submit]")
    page.wait_for_selector("[data-answer]")


def test_solleftea_projects_with_role_partners_and_funders_in_three_steps(
        page: Any, live_url: str, shots: Path) -> None:
    page.goto(live_url + "/")
    page.locator("#sok-q").press_sequentially("Sollefteå", delay=20)   # 1
    page.wait_for_selector("#sok-forslag li")
    first = page.locator("#sok-forslag li").first
    assert first.inner_text().startswith("Sollefteå kommun")
    first.dispatch_event("mousedown")                                  # 2
    page.wait_for_url("**/id/organisation/solleftea-kommun")
    table = page.locator("#projekttabell")                              # 3: read it
    assert table.is_visible()
    heads = table.locator("thead th").all_inner_texts()
    assert heads[:2] == ["Projekt", "Roll"] and "Finansiärer" in heads and "Partner" in heads
    row = table.locator("tbody tr", has_text="eSamverkan")
    assert "Tillväxtverket" in row.inner_text() and "samarbetspartner" in row.inner_text()
    page.screenshot(path=str(shots / "profile-solleftea.png"), full_page=True)


def test_hub_profile_is_short_and_filterable(page: Any, phone: Any, live_url: str) -> None:
    path = "/id/organisation/kommunforbundet-vasternorrland"
    page.goto(live_url + path)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height < 7000, height  # it was 11,800 px
    rows = page.locator("#projekttabell tbody tr:not([hidden])")
    total = page.locator("#projekttabell tbody tr").count()
    assert rows.count() == min(25, total) and total >= 15  # projects only, not its events
    button = page.locator(".role-filter button[data-role]:not([data-role=''])").first
    role = button.inner_text().rsplit(" (", 1)[0]
    button.click()
    shown = rows.count()
    assert 0 < shown < total
    assert all(role in t for t in rows.locator("td:nth-child(2)").all_inner_texts())
    page.click(".role-filter button[data-role='']")
    if total > 25:
        page.click("#s-projekt ~ * [data-show-all], section.profile-projects [data-show-all]")
    assert rows.count() == total
    # its events (lectures, conferences) are a separate list: the first ten, then "show all"
    events = page.locator("section[aria-labelledby=s-evenemang] tbody tr")
    n_events = events.count()
    assert n_events > 10
    visible = page.locator("section[aria-labelledby=s-evenemang] tbody tr:not([hidden])")
    assert visible.count() == 10
    page.click("section[aria-labelledby=s-evenemang] [data-show-all]")
    assert visible.count() == n_events
    phone.goto(live_url + path)
    assert phone.evaluate("document.documentElement.scrollHeight") < 11000  # was 19,700 px


def test_phone_header_is_compact_and_search_results_come_first(phone: Any, live_url: str,
                                                                 shots: Path) -> None:
    phone.goto(live_url + "/sok?q=" + quote("Sollefteå"))
    header = phone.locator("header.site-header").bounding_box()
    assert header is not None and header["height"] <= 120, header
    assert not phone.locator(".main-nav").is_visible()  # folded behind the menu button
    first = phone.locator(".result-list li a").first.bounding_box()
    assert first is not None and first["y"] + first["height"] <= 844, first
    phone.screenshot(path=str(shots / "phone-search-390.png"))
    button = phone.get_by_role("button", name="Meny")
    assert button.get_attribute("aria-expanded") == "false"
    button.focus()
    phone.keyboard.press("Enter")  # the keyboard opens it and lands on the first link
    assert button.get_attribute("aria-expanded") == "true"
    assert phone.get_by_role("navigation", name="Huvudmeny").get_by_role("link", name="Projekt").is_visible()
    assert phone.evaluate("document.activeElement.textContent.trim()") == "Sök"
    phone.keyboard.press("Escape")
    assert button.get_attribute("aria-expanded") == "false"
    assert not phone.locator(".main-nav").is_visible()
    assert phone.evaluate("document.activeElement.classList.contains('menu-toggle')")
    filters = phone.locator("form.filters").bounding_box()
    assert filters is not None and filters["y"] > first["y"]  # the filters follow the results


def test_wide_screen_shows_the_menu_without_a_button(page: Any, live_url: str) -> None:
    page.set_viewport_size({"width": 1366, "height": 900})
    page.goto(live_url + "/sok?q=" + quote("Sollefteå"))
    assert page.locator(".main-nav").is_visible()
    assert not page.locator(".menu-toggle").is_visible()
    first = page.locator(".result-list li a").first.bounding_box()
    filters = page.locator("form.filters").bounding_box()
    assert first is not None and filters is not None and filters["y"] < first["y"]
