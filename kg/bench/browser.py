"""The whole-graph view in headless Chromium: seconds from navigation until the graph is
drawn (the page marks ``kg-graph-drawn`` itself), with the layout computed server-side.

Needs Playwright (Python) and Debian's ``/usr/bin/chromium``; Playwright's own browser
downloads are never used. Returns None with a reason when either is missing.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "graph_view_seconds"]

log = logging.getLogger(__name__)
CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def _serve(app: Any) -> Iterator[str]:
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="kg-bench")
    thread = threading.Thread(target=server.run, name="waitress-bench", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"
    finally:
        server.close()


def graph_view_seconds(app: Any, runs: int = 3) -> tuple[list[float], int] | str:
    """Draw times of ``/graf`` (seconds, one per fresh page) and the node count; or the
    reason it could not be measured."""
    if not CHROMIUM.exists():
        return f"{CHROMIUM} is missing"
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError:
        return "playwright is not installed"
    times: list[float] = []
    nodes = 0
    with _serve(app) as url:
        app.test_client().get("/graf.json")  # the layout is computed once per data version
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
                try:
                    for _ in range(runs):
                        page = browser.new_page(viewport={"width": 1280, "height": 900})
                        page.goto(url + "/graf", wait_until="commit")
                        page.wait_for_selector("#kg-graph-explorer[data-ready]", timeout=60_000)
                        drawn = page.evaluate(
                            "performance.getEntriesByName('kg-graph-drawn')[0].startTime")
                        nodes = page.evaluate(
                            "document.getElementById('kg-graph-explorer').kgNodes.length")
                        times.append(float(drawn) / 1000)
                        page.close()
                finally:
                    browser.close()
        except PlaywrightError as exc:
            return f"Chromium failed: {exc}"
    return times, int(nodes)
