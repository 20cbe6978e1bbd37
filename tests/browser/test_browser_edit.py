"""Keeping the graph current, in real Chromium: a redaktör adds a project with two partners,
a grant and its source; a granskare approves it; it is on the public pages, in search, in
/sparql and in the saved queries; its history shows the change; a revert removes it. And two
editors changing the same project: the second gets the conflict, with what changed.

Screenshots of every step go to test-output/edit/ (at 1366 and 390 px wide)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from edit.webapp_fixtures import PASSWORDS, serve_editable

from kg.config import Settings
from kg.store.base import Store

pytestmark = pytest.mark.browser

PROJECT_PATH = "/id/projekt/fiberlyftet-vasternorrland"


@pytest.fixture()
def edit_url(ox_store: Store, tmp_path: Path, settings: Settings) -> Iterator[str]:
    with serve_editable(ox_store, tmp_path, settings, "kg-edit-test") as url:
        yield url


class Steps:
    """Counts what a user does and keeps a screenshot of every step."""

    def __init__(self, page: Any, folder: Path, prefix: str) -> None:
        self.page, self.folder, self.prefix, self.n = page, folder, prefix, 0

    def shot(self, name: str) -> None:
        self.n += 1
        self.page.screenshot(path=str(self.folder / f"{self.prefix}-{self.n:02d}-{name}.png"), full_page=True)


def _context(browser: Any, width: int) -> Any:
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
    ctx.set_default_timeout(15_000)
    return ctx


def _sign_in(page: Any, base: str, name: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Inloggning för redaktörer").click()
    page.get_by_label("Användarnamn").fill(name)
    page.get_by_label("Lösenord").fill(PASSWORDS[name])
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(base + "/")


def _pick(page: Any, field_id: str, typed: str, value: str) -> None:
    """Type a few letters into an entity field, wait for the suggestion, choose it."""
    field = page.locator(f"#{field_id}")
    field.fill(typed)
    page.wait_for_function(
        "([id, v]) => Array.from(document.getElementById(document.getElementById(id).getAttribute('list'))"
        ".options).some(o => o.value === v)", arg=[field_id, value])
    field.fill(value)


def _search_shows(page: Any, url: str, path: str, wanted: bool) -> bool:
    """Search, reloading while the index of the new data version is built in the background
    (it serves the previous version meanwhile), within a generous bound."""
    for _ in range(50):
        page.goto(url)
        if (page.locator(f"a[href='{path}']").count() > 0) == wanted:
            return True
        page.wait_for_timeout(200)
    return False


@pytest.mark.parametrize("width", [1366, 390])
def test_add_review_publish_find_history_and_revert(browser: Any, edit_url: str, output_dir: Path,
                                                   width: int) -> None:
    folder = output_dir / "edit"
    folder.mkdir(exist_ok=True)
    anna = _context(browser, width).new_page()
    steps = Steps(anna, folder, f"ny-projekt-{width}")
    _sign_in(anna, edit_url, "anna")
    steps.shot("inloggad")
    anna.get_by_role("link", name="Redigera", exact=True).first.click()
    anna.get_by_role("link", name="Ny: Projekt").click()
    steps.shot("tomt-formular")
    anna.get_by_label("Namn (svenska)").fill("Fiberlyftet Västernorrland")
    anna.locator("#f-status").select_option(label="beviljad")
    anna.get_by_label("Startdatum").first.fill("2027-01")
    anna.get_by_label("Digitalisering").check()
    _pick(anna, "g-deltagande-0-member", "Sundsv", "Sundsvalls kommun")
    anna.locator("#g-deltagande-0-role").select_option(label="projektägare")
    _pick(anna, "g-deltagande-1-member", "Timr", "Timrå kommun")
    anna.locator("#g-deltagande-1-role").select_option(label="samverkanspartner")
    _pick(anna, "g-finansiering-0-funder", "Tillväxt", "Tillväxtverket")
    anna.locator("#g-finansiering-0-amount").fill("2 500 000")
    anna.locator("#g-finansiering-0-year").fill("2027")
    anna.locator("#g-finansiering-0-status").select_option(label="beviljad")
    anna.get_by_label("Ett nytt dokument").check()
    anna.get_by_label("Titel").fill("Tillväxtverkets beslut om Fiberlyftet")
    anna.get_by_label("Webbadress, filnamn eller diarienummer").fill("https://example.org/beslut/fiberlyftet")
    anna.get_by_label("Datum", exact=True).fill("2026-11-28")
    anna.get_by_label("Citat ur källan (valfritt)").fill("Tillväxtverket beviljar 2,5 miljoner kronor.")
    anna.get_by_label("Varför görs ändringen?").fill("Projektet beviljades i dag")
    steps.shot("ifyllt-formular")
    anna.get_by_role("button", name="Skicka till granskning").click()
    anna.wait_for_selector("text=väntar nu på granskning")
    steps.shot("forslag-skickat")
    assert anna.locator(".diff .add").count() > 10

    public = _context(browser, width).new_page()
    assert public.goto(edit_url + PROJECT_PATH).status == 404  # nothing published before review

    bo = _context(browser, width).new_page()
    review_steps = Steps(bo, folder, f"granskning-{width}")
    _sign_in(bo, edit_url, "bo")
    bo.get_by_role("link", name="Granskning").first.click()
    bo.wait_for_url("**/granskning")
    bo.wait_for_selector("text=Nytt projekt: Fiberlyftet Västernorrland")
    assert bo.locator("text=Nytt projekt: Fiberlyftet Västernorrland").count() == 1
    review_steps.shot("ko")
    bo.get_by_role("button", name="Godkänn och publicera").click()
    bo.wait_for_selector("text=Förslaget är publicerat")
    review_steps.shot("publicerat")

    # public pages, search, /sparql, saved queries
    public.goto(edit_url + PROJECT_PATH)
    body = " ".join(public.locator("main").inner_text().split()).replace("\u00a0", " ").replace("\u202f", " ")
    assert "Fiberlyftet Västernorrland" in body and "Sundsvalls kommun" in body and "Timrå kommun" in body
    assert "2 500 000" in body and "Tillväxtverket" in body
    assert "Tillväxtverkets beslut om Fiberlyftet" in body  # the source of the facts
    assert "Nytt projekt: Fiberlyftet Västernorrland" in public.locator("#s-historik + *").inner_text()
    assert public.locator("a[href^='/redigera']").count() == 0
    Steps(public, folder, f"publikt-{width}").shot("projektsida")
    assert _search_shows(public, edit_url + "/sok?q=fiberlyftet", PROJECT_PATH, True)
    query = "SELECT ?l WHERE { ?p a schema:Project ; rdfs:label ?l FILTER(CONTAINS(?l, 'Fiberlyftet')) }"
    reply = public.request.get(edit_url + "/sparql?query=" + quote(query),
                               headers={"Accept": "application/sparql-results+json"})
    assert [b["l"]["value"] for b in json.loads(reply.body())["results"]["bindings"]] == ["Fiberlyftet Västernorrland"]
    public.goto(edit_url + "/fragor/projektets-partner?projekt=" + quote("projekt:fiberlyftet-vasternorrland"))
    table = public.locator("table").first.inner_text()
    assert "Sundsvalls kommun" in table and "Timrå kommun" in table
    public.goto(edit_url + "/fragor/projekt-per-finansiar?finansiar=" + quote("organisation:tillvaxtverket"))
    assert "Fiberlyftet Västernorrland" in public.locator("table").first.inner_text()
    public.goto(edit_url + "/andringar")
    assert public.locator("text=Nytt projekt: Fiberlyftet Västernorrland").count() == 1
    feed = public.request.get(edit_url + "/andringar.atom").text()
    assert "Fiberlyftet" in feed and "<feed" in feed

    # history and revert
    bo.goto(edit_url + PROJECT_PATH)
    bo.get_by_role("link", name="Historik").first.click()
    review_steps.shot("historik")
    bo.get_by_role("link", name="Nytt projekt: Fiberlyftet Västernorrland").first.click()
    bo.get_by_label("Varför återställs ändringen?").fill("Beslutet drogs tillbaka")
    bo.get_by_role("button", name="Återställ ändringen").click()
    bo.wait_for_selector("text=Ändringen är återställd")
    # the revert names what it reverts, not the changeset's id
    assert bo.locator("dd a", has_text="Nytt projekt: Fiberlyftet Västernorrland").count() == 1
    review_steps.shot("aterstalld")
    assert public.goto(edit_url + PROJECT_PATH).status == 404
    assert _search_shows(public, edit_url + "/sok?q=fiberlyftet", PROJECT_PATH, False)
    for p in (anna, bo, public):
        p.context.close()


def test_two_editors_on_the_same_project_get_a_conflict(browser: Any, edit_url: str, output_dir: Path) -> None:
    folder = output_dir / "edit"
    folder.mkdir(exist_ok=True)
    first, second = _context(browser, 1366).new_page(), _context(browser, 1366).new_page()
    _sign_in(first, edit_url, "bo")
    _sign_in(second, edit_url, "ada")
    for p in (first, second):
        p.goto(edit_url + "/id/projekt/teo")
        p.get_by_role("link", name="Redigera", exact=True).last.click()
        p.get_by_label("Ett dokument som redan finns i grafen").check()
        p.locator("#kalla-dokument").select_option(index=1)
    first.locator("#f-status").select_option(label="avslutat")
    first.get_by_label("Varför görs ändringen?").fill("Projektet är avslutat")
    first.get_by_role("button", name="Spara och publicera").click()
    first.wait_for_selector("text=Ändringen är publicerad")
    second.get_by_label("Namn (engelska)").fill("TEO – accessible e-services")
    second.get_by_label("Varför görs ändringen?").fill("Engelskt namn")
    second.get_by_role("button", name="Spara och publicera").click()
    conflict = second.locator(".conflict")
    conflict.wait_for()
    second.screenshot(path=str(folder / "konflikt-1366.png"), full_page=True)
    text = conflict.inner_text()
    assert "Någon annan har ändrat posten" in text and "Status" in text and "avslutat" in text
    assert second.locator("#f-status").input_value().endswith("/avslutat")  # the current state is shown
    assert second.get_by_label("Namn (engelska)").input_value() == "TEO – accessible e-services"  # and mine
    second.get_by_role("button", name="Spara och publicera").click()
    second.wait_for_selector("text=Ändringen är publicerad")
    body = second.locator("main").inner_text()
    assert "avslutat" in body
    for p in (first, second):
        p.context.close()
