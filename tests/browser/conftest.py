"""Browser fixtures: the real app under waitress on a free port, driven by Debian's Chromium.

Two servers: the app over the bundled data (``live_url``) and the app over a generated
2,000-node graph with a label that tries to inject markup (``scratch_url``). Tests are
skipped cleanly when ``/usr/bin/chromium`` or Playwright is missing; Playwright's own
browser downloads are never used.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from graphdata import generated_store

from kg.config import Settings

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


def _serve(app: Any) -> Iterator[str]:
    from waitress.server import create_server

    server = create_server(app, host="127.0.0.1", port=0, threads=4, ident="kg-test")
    thread = threading.Thread(target=server.run, name="waitress-test", daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.effective_port}"  # type: ignore[union-attr]
    finally:
        server.close()


@pytest.fixture(scope="session")
def live_url(app: Any) -> Iterator[str]:
    """The real app over the bundled data."""
    yield from _serve(app)


@pytest.fixture(scope="session")
def scratch_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The app over a generated graph of 2,000 nodes; its explorer layout is warmed once."""
    from webapp import create_app

    folder = tmp_path_factory.mktemp("scratch")
    settings = Settings.load(environ={}, store=f"oxigraph:{folder / 'unused'}",
                             cache_dir=str(folder / "cache"))
    app = create_app(settings, store=generated_store(2000))
    for url in _serve(app):
        with urllib.request.urlopen(url + "/graf.json", timeout=60) as reply:  # warm layout
            reply.read()
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip("no /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    dialogs: list[str] = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    pg.kg_dialogs = dialogs
    yield pg
    context.close()


@pytest.fixture(scope="session")
def shots(output_dir: Path) -> Path:
    folder = output_dir / "screenshots"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
