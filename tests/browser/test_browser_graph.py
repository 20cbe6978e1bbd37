"""The browser, in real headless Chromium against the live app: search, entity pages, the
neighbourhood graph and its clicks, the path finder, English UI, the 2,000-node explorer,
and labels that try to inject markup. Screenshots go to test-output/screenshots/."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from graphdata import XSS

from kg.namespaces import PREFIXES

from .graphmeasure import labels

pytestmark = pytest.mark.browser

ORG = PREFIXES["organisation"]
SOLLEFTEA = "/id/organisation/solleftea-kommun"

NODE_POINT = """([cid, id]) => {
  const net = window.kgGraphs[cid];
  const el = document.getElementById(cid);
  const p = net.getPositions([id])[id];
  const d = net.canvasToDOM(p);
  const r = el.getBoundingClientRect();
  return {x: r.left + d.x, y: r.top + d.y};
}"""


def _ready(page: Any, cid: str) -> None:
    page.wait_for_selector(f"#{cid}[data-ready]")


def _nodes(page: Any, cid: str) -> list[dict[str, Any]]:
    return page.evaluate(  # type: ignore[no-any-return]
        "cid => document.getElementById(cid).kgNodes.get()"
        ".map(n => ({id: n.id, url: n.url, label: n.label}))", cid)


def _click_node(page: Any, cid: str, node_id: int) -> None:
    page.locator(f"#{cid}").scroll_into_view_if_needed()
    point = page.evaluate(NODE_POINT, [cid, node_id])
    page.mouse.click(point["x"], point["y"])


def test_search_from_home_and_open_a_result(page: Any, live_url: str, shots: Path) -> None:
    page.goto(live_url + "/")
    page.fill("#sok-q", "Sollefteå")
    page.press("#sok-q", "Enter")
    page.wait_for_url("**/sok?**")
    first = page.locator(".result-list a").first
    name = first.inner_text()
    page.screenshot(path=str(shots / "search.png"), full_page=True)
    first.click()
    page.wait_for_selector("h1")
    assert page.locator("h1").inner_text() == name


def test_entity_page_and_its_neighbourhood_graph(page: Any, live_url: str, shots: Path) -> None:
    page.goto(live_url + SOLLEFTEA)
    assert "Sollefteå kommun" in page.locator("h1").inner_text()
    _ready(page, "kg-graph-granne")
    nodes = _nodes(page, "kg-graph-granne")
    assert len(nodes) > 1
    assert page.locator("#kg-graph-granne canvas").count() == 1
    page.locator("#kg-graph-granne").scroll_into_view_if_needed()
    page.screenshot(path=str(shots / "entity.png"), full_page=True)
    target = next(n for n in nodes[1:] if n["url"].startswith("/id/"))
    _click_node(page, "kg-graph-granne", target["id"])  # details on demand, in the panel
    panel = page.locator(".kg-panel")
    panel.wait_for(state="visible")
    assert target["label"] in panel.inner_text() or target["url"] in panel.inner_html()
    panel.locator(f"a[href='{target['url']}']").click()
    page.wait_for_url("**" + target["url"])
    assert page.locator("h1").inner_text().strip()


def test_neighbourhood_two_hops_and_keyboard_list(page: Any, live_url: str) -> None:
    page.goto(live_url + SOLLEFTEA)
    _ready(page, "kg-graph-granne")
    before = len(_nodes(page, "kg-graph-granne"))
    page.click("[data-hops='2']")
    page.wait_for_function(
        "n => document.getElementById('kg-graph-granne').kgNodes.length > n", arg=before)
    page.click(".kg-nodelist summary")
    link = page.locator(".kg-nodelist a").nth(1)
    href = link.get_attribute("href")
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_url("**" + href)


def test_path_finder(page: Any, live_url: str, shots: Path) -> None:
    page.goto(live_url + "/analys/vag")
    page.locator("#fran").press_sequentially("Sollefteå kommun", delay=10)
    page.wait_for_function("() => document.querySelectorAll('#fran-forslag option').length > 0")
    page.fill("#till", "Umeå universitet")
    page.click(".kg-path-form button[type=submit]")
    page.wait_for_selector("ol.kg-chain")
    steps = page.locator("ol.kg-chain").first.locator(".kg-step a")
    assert steps.first.inner_text().startswith("Sollefteå kommun")
    assert steps.last.inner_text().startswith("Umeå universitet")
    assert steps.count() >= 3
    page.screenshot(path=str(shots / "path.png"), full_page=True)


def test_analytics_page_and_english(page: Any, live_url: str, shots: Path) -> None:
    page.goto(live_url + "/analys")
    assert page.locator("h1").inner_text() == "Analys"
    assert page.locator("svg.kg-chart").count() == 2
    page.screenshot(path=str(shots / "analys.png"), full_page=True)
    page.click(".lang-switch a[hreflang=en]")
    page.wait_for_url("**lang=en**")
    assert page.locator("h1").inner_text() == "Analytics"
    assert "Most connected organisations" in page.locator("main").inner_text()
    page.goto(live_url + "/graf")  # the choice is remembered
    assert page.locator("h1").inner_text() == "The whole graph"
    page.screenshot(path=str(shots / "analytics-en.png"))


def test_explorer_with_2000_nodes_is_interactive(page: Any, scratch_url: str,
                                                 shots: Path) -> None:
    """2,000 nodes arrive with positions and are drawn without a physics run. The 1.5 s
    target is measured by `kg bench` (a timed test would only be flaky on a busy machine);
    the bounds here catch a layout that fails to arrive, e.g. physics left on."""
    started = time.perf_counter()
    page.goto(scratch_url + "/graf", wait_until="commit")
    _ready(page, "kg-graph-explorer")
    wall = time.perf_counter() - started
    # drawn, measured by the page itself from the start of navigation
    drawn = page.evaluate("performance.getEntriesByName('kg-graph-drawn')[0].startTime") / 1000
    assert page.evaluate("document.getElementById('kg-graph-explorer').kgNodes.length") == 2000
    assert drawn < 15, f"explorer drawn after {drawn:.2f} s"
    assert wall < 30, f"explorer ready after {wall:.2f} s (with the test's own overhead)"
    page.screenshot(path=str(shots / "graf.png"))
    # labels: only what fits, none on another, at the default zoom and zoomed in
    found = labels(page, "kg-graph-explorer")
    assert found["labels"] >= 10 and found["overlaps"] == [], found
    measured = page.evaluate("document.getElementById('kg-graph-explorer').kgView.measured")
    assert 0 < measured < 1000  # a few per patch of screen, not all 2,000
    page.evaluate("cid => { var v = document.getElementById(cid).kgView;"
                  " v.network.moveTo({scale: v.network.getScale() * 4, animation: false});"
                  " v.chooseLabels(); }", "kg-graph-explorer")
    zoomed = labels(page, "kg-graph-explorer")
    assert zoomed["labels"] >= 5 and zoomed["overlaps"] == [], zoomed
    nodes = _nodes(page, "kg-graph-explorer")
    page.evaluate("cid => window.kgGraphs[cid].focus(0, {scale: 1.5, animation: false})",
                  "kg-graph-explorer")
    page.locator("#kg-graph-explorer").scroll_into_view_if_needed()
    point = page.evaluate(NODE_POINT, ["kg-graph-explorer", 0])
    page.mouse.click(point["x"], point["y"])  # a click shows the details
    panel = page.locator(".kg-panel")
    panel.wait_for(state="visible")
    panel.locator(f"a[href='{nodes[0]['url']}']").click()
    page.wait_for_url("**" + nodes[0]["url"])
    page.go_back()
    _ready(page, "kg-graph-explorer")
    page.evaluate("cid => window.kgGraphs[cid].focus(0, {scale: 1.5, animation: false})",
                  "kg-graph-explorer")
    page.locator("#kg-graph-explorer").scroll_into_view_if_needed()
    point = page.evaluate(NODE_POINT, ["kg-graph-explorer", 0])
    page.mouse.dblclick(point["x"], point["y"])  # a double click opens the page
    page.wait_for_url("**" + nodes[0]["url"])


def test_markup_labels_stay_text_in_graph_and_pages(page: Any, scratch_url: str,
                                                    shots: Path) -> None:
    xss = ORG + "org-1"
    page.goto(scratch_url + "/graf?iri=" + quote(xss))
    _ready(page, "kg-graph-full")
    page.click(".kg-nodelist summary")
    assert XSS in page.locator(".kg-nodelist").inner_text()
    assert XSS in page.locator("h1").inner_text()
    point = page.evaluate(NODE_POINT, ["kg-graph-full", 0])
    page.mouse.move(point["x"], point["y"])
    page.wait_for_selector("div.vis-tooltip", state="visible")
    tip = page.locator("div.vis-tooltip")
    assert XSS in tip.inner_text()
    assert tip.locator("script").count() == 0
    page.screenshot(path=str(shots / "xss-graph.png"))
    page.goto(scratch_url + "/id/organisation/org-1")
    assert XSS in page.locator("h1").inner_text()
    page.screenshot(path=str(shots / "xss-entity.png"))
    assert page.evaluate("document.querySelectorAll('script:not([src]):not([type])').length") == 0
    assert page.kg_dialogs == []
