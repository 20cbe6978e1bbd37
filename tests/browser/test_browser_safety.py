"""Safe in a real browser: a ``javascript:`` IRI from the data is never a live link (clicks
run nothing), and no page, public or for editors, breaks its Content-Security-Policy."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from edit.webapp_fixtures import PASSWORDS, editable_app
from web.conftest import HOSTILE_TTL  # type: ignore[import-not-found]

from kg.config import Settings
from kg.load.loader import add_files, bundled_files
from kg.store import open_store
from kg.store.base import Store

from .conftest import _serve

JS_PAGES = ["/id/projekt/xss", "/sok?q=JS-organisation", "/organisationer?q=JS",
            "/fragor/projektets-partner?projekt=https%3A%2F%2Fdata.kfvn.se%2Fid%2Fprojekt%2Fxss",
            "/sparql?query=SELECT+%3Fs+%3Fo+WHERE+%7B+%3Fs+%3Fp+%3Fo+FILTER%28isIRI%28%3Fo%29+%26%26+"
            "STRSTARTS%28STR%28%3Fo%29%2C+%22javascript%22%29%29+%7D"]


@pytest.fixture(scope="module")
def hostile_url(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    from webapp import create_app

    folder = tmp_path_factory.mktemp("hostile-browser")
    extra = folder / "xss.ttl"
    extra.write_text(HOSTILE_TTL, encoding="utf-8")
    store = open_store("oxigraph:")
    add_files(store, [*bundled_files(settings), extra], settings)
    app = create_app(settings.with_(cache_dir=str(folder / "cache")), store=store)
    yield from _serve(app)
    store.close()


def _console(page: Any) -> list[str]:
    seen: list[str] = []
    page.on("console", lambda m: seen.append(m.text) if m.type in ("error", "warning") else None)
    return seen


@pytest.mark.parametrize("path", JS_PAGES)
def test_a_javascript_iri_is_never_a_live_link(page: Any, hostile_url: str, path: str) -> None:
    reply = page.goto(hostile_url + path)
    assert reply is not None and reply.status == 200, path
    assert "Content-Security-Policy" in {k.title(): v for k, v in reply.headers.items()}
    assert page.locator("text=/JS-organisation|javascript:alert/").count() > 0, path
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
    assert hrefs and not [h for h in hrefs if h.lower().startswith(("javascript:", "data:"))], path
    links = page.locator("a", has_text="JS-organisation")
    clicked = 0
    for i in range(links.count()):  # the name still leads somewhere useful: a search for it
        page.goto(hostile_url + path)
        link = page.locator("a", has_text="JS-organisation").nth(i)
        if not link.is_visible():
            continue
        link.click()
        page.wait_for_load_state()
        clicked += 1
        assert page.url.startswith(hostile_url), page.url
    assert page.kg_dialogs == []


@pytest.fixture()
def edit_url(ox_store: Store, tmp_path: Path, settings: Settings) -> Iterator[str]:
    out = io.BytesIO()
    ox_store.raw.dump(out, format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
    app = editable_app(out.getvalue(), tmp_path, settings)
    yield from _serve(app)


PUBLIC = ["/", "/sok?q=kommun", "/projekt", "/organisationer", "/id/organisation/kramfors-kommun",
          "/graf?iri=https%3A%2F%2Fdata.kfvn.se%2Fid%2Forganisation%2Fkramfors-kommun", "/sparql",
          "/fragor", "/fragor/projektets-partner", "/analys/vag", "/nedladdning", "/andringar"]
EDITOR = ["/redigera", "/redigera/ny/projekt", "/redigera/inlasning", "/granskning", "/konto"]


def test_no_page_breaks_its_content_security_policy(browser: Any, edit_url: str) -> None:
    ctx = browser.new_context(viewport={"width": 1366, "height": 900}, locale="sv-SE")
    page = ctx.new_page()
    page.set_default_timeout(20_000)
    console = _console(page)
    page.goto(edit_url + "/logga-in")
    page.get_by_label("Användarnamn").fill("anna")
    page.get_by_label("Lösenord").fill(PASSWORDS["anna"])
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(edit_url + "/")
    cookies = {c["name"]: c for c in ctx.cookies()}
    session = [c for c in cookies.values() if "session" in c["name"]]
    assert session and all(c["httpOnly"] and c["sameSite"] in ("Lax", "Strict") for c in session), cookies
    for path in PUBLIC + EDITOR:
        reply = page.goto(edit_url + path)
        assert reply is not None and reply.status == 200, path
        headers = {k.lower(): v for k, v in reply.headers.items()}
        assert "'unsafe-inline'" not in headers["content-security-policy"].split("script-src")[1].split(";")[0]
        assert headers["x-content-type-options"] == "nosniff", path
        assert "frame-ancestors 'self'" in headers["content-security-policy"], path
        page.wait_for_load_state("networkidle")
    page.goto(edit_url + "/redigera/ny/projekt")  # the entity picker's script runs under the policy
    page.locator("#g-deltagande-0-member").fill("Sundsv")
    page.wait_for_function(
        "() => { const f = document.getElementById('g-deltagande-0-member');"
        " return document.getElementById(f.getAttribute('list')).options.length > 0; }")
    blocked = [m for m in console if "Content Security Policy" in m or "Refused to" in m]
    assert blocked == [], blocked
    ctx.close()
