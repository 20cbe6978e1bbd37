"""Error messages of editing, ingest and accounts in the page's language: the real app, its
language switch (``?lang=``, remembered in a cookie), each error provoked as a user would,
the message in the chosen language and never the other one's (issue 15, "i18n split")."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from edit.webapp_fixtures import Client, editable_app
from kg.config import Settings
from kg.i18n import translate

#: (what is done, the catalogue key of the message it must show)
MESSAGES = {
    "reason": "edit.err.no_reason",
    "upload": "ingest.err.pdf_broken",
    "login": "auth.failed",
    "username": "auth.err.bad_username",
    "password": "auth.err.short_password",
    "reject": "edit.err.no_reject_reason",
}
CORRUPT_PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF"


@pytest.fixture(scope="module")
def app(bundled_nquads: bytes, tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Any:
    folder: Path = tmp_path_factory.mktemp("error-language")
    return editable_app(bundled_nquads, folder, settings, ingest_dir=folder / "ingest")


def _client(app: Any, who: str, lang: str) -> Client:
    c = Client(app.test_client())
    c.get(f"/?lang={lang}")  # the language switch in the header links here
    c.login(who)
    return c


def _speaks(html: str, key: str, lang: str, **values: Any) -> None:
    other = "en" if lang == "sv" else "sv"
    mine, theirs = translate(key, lang, **values), translate(key, other, **values)
    assert mine != theirs
    assert mine in html, (key, lang)
    assert theirs not in html, (key, lang)


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_an_edit_without_a_reason(app: Any, lang: str) -> None:
    anna = _client(app, "anna", lang)
    anna.get("/redigera/ny/projekt")
    r = anna.post("/redigera/ny/projekt", {"f.label.sv": "Språkprov", "kalla": "informant",
                                           "kalla_person": "Eva Ek", "anledning": ""})
    assert r.status_code == 400
    _speaks(r.get_data(as_text=True), MESSAGES["reason"], lang)
    assert app.extensions["kg_edit"].journal.changesets() == []


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_field_errors_and_shape_violations(app: Any, lang: str) -> None:
    anna = _client(app, "anna", lang)
    anna.get("/redigera/ny/projekt")
    form = {"f.label.sv": "Baklänges", "f.startdate": "2027", "f.enddate": "2025", "kalla": "informant",
            "kalla_person": "Eva Ek", "anledning": "prov", "g.finansiering.0.funder": "organisation:tillvaxtverket",
            "g.finansiering.0.amount": "-5", "f.spatial": "Ingenstansby"}
    html = anna.post("/redigera/ny/projekt", form).get_data(as_text=True)
    _speaks(html, "edit.err.too_small", lang, least="0")
    _speaks(html, "edit.err.no_entry", lang, text="Ingenstansby", hint="")
    del form["f.spatial"]
    form["g.finansiering.0.amount"] = "5"
    html = anna.post("/redigera/ny/projekt", form).get_data(as_text=True)
    shape = {"sv": "startDate ligger efter", "en": "schema:startDate is after schema:endDate"}
    assert shape[lang] in html and shape["en" if lang == "sv" else "sv"] not in html


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_corrupt_pdf_is_refused_in_the_page_language(app: Any, lang: str) -> None:
    """The PDF is parsed in a separate process, which answers with the message's key."""
    import io

    anna = _client(app, "anna", lang)
    anna.get("/redigera/inlasning")
    r = anna.post("/redigera/inlasning", {"fil": (io.BytesIO(CORRUPT_PDF), "Trasig.pdf")},
                  content_type="multipart/form-data")
    assert r.status_code == 400
    html = r.get_data(as_text=True)
    name = translate("ingest.err.file_name", lang, file="Trasig.pdf")
    opening = {"sv": "PDF-filen", "en": "The PDF file"}
    assert f"{opening[lang]} {name}" in html
    assert opening["en" if lang == "sv" else "sv"] not in html
    assert "PdfReadError" in html  # what the parser said, for whoever helps


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_wrong_password_and_a_bad_new_account(app: Any, lang: str) -> None:
    c = Client(app.test_client())
    c.get(f"/logga-in?lang={lang}")
    r = c.post("/logga-in", {"anvandare": "anna", "losenord": "fel lösenord här"})
    assert r.status_code == 401
    _speaks(r.get_data(as_text=True), MESSAGES["login"], lang)
    ada = _client(app, "ada", lang)
    ada.get("/admin/konton")
    r = ada.post("/admin/konton", {"atgard": "ny", "anvandare": "Ny Person!", "namn": "Ny Person",
                                   "roll": "redaktör", "losenord": "ett långt lösenord"})
    _speaks(r.get_data(as_text=True), MESSAGES["username"], lang)
    r = ada.post("/admin/konton", {"atgard": "ny", "anvandare": "nyperson", "namn": "Ny Person",
                                   "roll": "redaktör", "losenord": "kort"})
    _speaks(r.get_data(as_text=True), MESSAGES["password"], lang, n=10)
    assert "nyperson" not in r.get_data(as_text=True).split("</form>")[-1]  # nothing was added


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_a_rejection_without_a_reason(app: Any, lang: str) -> None:
    anna = _client(app, "anna", lang)
    anna.get("/redigera/ny/projekt")
    r = anna.post("/redigera/ny/projekt", {"f.label.sv": f"Förslag på {lang}", "kalla": "informant",
                                           "kalla_person": "Eva Ek", "anledning": "prov", "bara_forslag": "1"})
    assert r.status_code == 302, r.get_data(as_text=True)[:300]
    cs_id = r.headers["Location"].rsplit("/", 1)[-1]
    bo = _client(app, "bo", lang)
    bo.get(f"/andringar/{cs_id}")
    r = bo.post(f"/andringar/{cs_id}/avsla", {"motivering": ""}, follow_redirects=True)
    _speaks(r.get_data(as_text=True), MESSAGES["reject"], lang)
