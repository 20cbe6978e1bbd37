"""Ingest in real Chromium: a redaktör pastes a news text about a new project with two
municipalities and a grant, accepts the proposals, sends them; a granskare approves; the
project is on the public pages with its partners and grant, and its history leads to the
source sentence. Nothing is public before the approval.

Steps are counted from the home page; screenshots (1366 and 390 px wide) go to
test-output/ingest/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from edit.webapp_fixtures import PASSWORDS, serve_editable

from kg.config import Settings
from kg.store.base import Store

pytestmark = pytest.mark.browser

NEWS = (
    "Tillväxtverket har beviljat Kommunförbundet Västernorrland 3,2 miljoner kronor för 2027 för projektet "
    "”Smarta byar i Västernorrland”. Projektet drivs tillsammans med Kramfors kommun och Ånge kommun, som är "
    "samverkanspartner. Projektledare Anna Berg säger att arbetet startar i januari 2027."
)
PROJECT = "/id/projekt/smarta-byar-i-vasternorrland"
SENTENCE = "Projektet drivs tillsammans med Kramfors kommun och Ånge kommun, som är samverkanspartner."


@pytest.fixture()
def ingest_url(ox_store: Store, tmp_path: Path, settings: Settings) -> Iterator[str]:
    with serve_editable(ox_store, tmp_path, settings, "kg-ingest-test", ingest_dir=tmp_path / "ingest") as url:
        yield url


class Steps:
    """Counts what a user does and keeps a screenshot of the pages they see."""

    def __init__(self, page: Any, folder: Path, prefix: str) -> None:
        self.page, self.folder, self.prefix, self.n, self.shots = page, folder, prefix, 0, 0

    def step(self) -> None:
        self.n += 1

    def shot(self, name: str) -> None:
        self.shots += 1
        self.page.screenshot(path=str(self.folder / f"{self.prefix}-{self.shots:02d}-{name}.png"), full_page=True)


def _context(browser: Any, width: int) -> Any:
    ctx = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
    ctx.set_default_timeout(20_000)
    return ctx


def _sign_in(page: Any, steps: Steps, base: str, name: str) -> None:
    page.goto(base + "/")
    page.get_by_role("link", name="Inloggning för redaktörer").click()
    steps.step()
    page.get_by_label("Användarnamn").fill(name)
    page.get_by_label("Lösenord").fill(PASSWORDS[name])
    page.get_by_role("button", name="Logga in").click()
    steps.step()
    page.wait_for_url(base + "/")


@pytest.mark.parametrize("width", [1366, 390])
def test_paste_accept_review_publish(browser: Any, ingest_url: str, output_dir: Path, width: int) -> None:
    folder = output_dir / "ingest"
    folder.mkdir(exist_ok=True)
    anna = _context(browser, width).new_page()
    steps = Steps(anna, folder, f"inlasning-{width}")
    _sign_in(anna, steps, ingest_url, "anna")
    anna.get_by_role("link", name="Redigera", exact=True).first.click()
    steps.step()
    anna.get_by_role("link", name="Läs in dokument").click()
    steps.step()
    steps.shot("start")
    anna.get_by_label("Klistra in texten").fill(NEWS)
    anna.get_by_label("Rubrik (valfritt)").fill("Smarta byar får stöd från Tillväxtverket")
    anna.get_by_role("button", name="Läs in").click()
    steps.step()
    anna.wait_for_selector("h1:has-text('Smarta byar får stöd')")
    steps.shot("granska")
    # what is highlighted and proposed
    assert anna.locator("mark.saker", has_text="Kramfors kommun").count() == 1
    assert anna.locator("mark.ny", has_text="Smarta byar i Västernorrland").count() >= 1
    summaries = anna.locator(".proposal .summary").all_inner_texts()
    assert "Nytt projekt: Smarta byar i Västernorrland" in summaries
    assert any(s.startswith("Tillväxtverket finansierar Smarta byar") and "3 200 000 kr" in s for s in summaries)
    assert "Kramfors kommun är samverkanspartner i Smarta byar i Västernorrland" in summaries
    assert "Ånge kommun är samverkanspartner i Smarta byar i Västernorrland" in summaries
    # nothing is public yet
    public = _context(browser, width).new_page()
    assert public.goto(ingest_url + PROJECT).status == 404
    anna.get_by_role("button", name="Godkänn alla").click()
    steps.step()
    # one field edited in the review form: the person's post is rejected instead
    post = anna.locator(".proposal", has_text="Anna Berg är projektledare")
    post.get_by_label("Avvisa").check()
    steps.step()
    # and one proposal is corrected in its form: Ånge is a samarbetspartner
    ange = anna.locator(".proposal", has_text="Ånge kommun är samverkanspartner")
    ange.get_by_text("Ändra uppgifterna").click()
    ange.get_by_label("Roll").select_option(label="samarbetspartner")
    steps.step()
    steps.shot("beslut")
    anna.get_by_role("button", name="Skicka godkända förslag till granskning").click()
    steps.step()
    anna.wait_for_selector("text=väntar nu på granskning")
    steps.shot("skickad")
    assert anna.locator(".diff .add").count() > 15
    assert anna.locator("blockquote", has_text=SENTENCE).count() == 1
    redaktor_steps = steps.n
    assert public.goto(ingest_url + PROJECT).status == 404  # still nothing before review

    bo = _context(browser, width).new_page()
    bo_steps = Steps(bo, folder, f"granskning-{width}")
    _sign_in(bo, bo_steps, ingest_url, "bo")
    bo.get_by_role("link", name="Granskning").first.click()
    bo_steps.step()
    bo.get_by_role("link", name="Inläsning: ").first.click()
    bo_steps.step()
    bo.get_by_role("button", name="Godkänn").click()
    bo_steps.step()
    bo_steps.shot("godkand")

    # the public sees the project, its partners, its grant and (through its history) the sentence
    public_steps = Steps(public, folder, f"publik-{width}")
    public.goto(ingest_url + "/")
    public.get_by_label("Sök projekt, organisationer, personer och begrepp").fill("Smarta byar")
    public.keyboard.press("Enter")
    public_steps.step()
    public.get_by_role("link", name="Smarta byar i Västernorrland").first.click()
    public_steps.step()
    public.wait_for_url(ingest_url + PROJECT)
    public_steps.shot("projekt")
    body = public.locator("main").inner_text().replace("\u202f", " ").replace("\xa0", " ")
    assert "Kramfors kommun" in body and "Ånge kommun" in body and "Tillväxtverket" in body
    assert "3 200 000" in body
    assert public.locator("tr", has_text="Ånge kommun").locator("text=samarbetspartner").count() == 1
    assert public.locator("tr", has_text="Kramfors kommun").locator("text=samverkanspartner").count() == 1
    public.get_by_role("link", name="Inläsning: ").first.click()
    public_steps.step()
    public_steps.shot("kalla")
    assert public.locator("blockquote", has_text=SENTENCE).count() == 1
    print(f"\nsteps at {width}px: redaktör {redaktor_steps}, granskare {bo_steps.n}, public {public_steps.n}")
