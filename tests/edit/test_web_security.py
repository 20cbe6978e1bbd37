"""Security of the write side: every write route refuses anonymous visitors (401), too weak
roles (403) and forms without a CSRF token (400); passwords are stored hashed; sign-in is
rate-limited; the public site shows no editing controls and /sparql still refuses updates."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from kg.config import Settings

from .helpers import PROJECT_FORM
from .webapp_fixtures import PASSWORDS, Client, editable_app


@pytest.fixture(scope="module")
def app(bundled_nquads: bytes, tmp_path_factory: pytest.TempPathFactory, settings: Settings) -> Any:
    """One app for the refusal tests (nothing they send may change it; the tests check so)."""
    return editable_app(bundled_nquads, tmp_path_factory.mktemp("security"), settings)


@pytest.fixture()
def fresh_app(bundled_nquads: bytes, tmp_path: Path, settings: Settings) -> Any:
    """An app of its own, for tests that change accounts or use up the sign-in limit."""
    return editable_app(bundled_nquads, tmp_path, settings)


@pytest.fixture(scope="module")
def proposal(app: Any) -> str:
    return _proposal(app)


def _proposal(app: Any) -> str:
    anna = Client(app.test_client())
    anna.login("anna")
    anna.get("/redigera/ny/projekt")
    form = {k: v[0] for k, v in PROJECT_FORM.items()}
    form.update({"kalla": "informant", "kalla_person": "Eva Ek", "anledning": "Beviljat"})
    r = anna.post("/redigera/ny/projekt", form)
    assert r.status_code == 302, r.get_data(as_text=True)[:2000]
    return str(r.headers["Location"]).rsplit("/", 1)[-1]


WRITES = [
    ("/redigera/ny/projekt", "redaktör"),
    ("/redigera/id/projekt/teo", "redaktör"),
    ("/konto", "redaktör"),
    ("/andringar/{cs}/godkann", "granskare"),
    ("/andringar/{cs}/avsla", "granskare"),
    ("/andringar/{cs}/aterstall", "granskare"),
    ("/admin/konton", "admin"),
]


@pytest.mark.parametrize(("url", "role"), WRITES)
def test_every_write_route_refuses_anonymous_visitors(app: Any, proposal: str, url: str, role: str) -> None:
    cs = proposal
    anon = Client(app.test_client())
    r = anon.post(url.format(cs=cs), {"motivering": "x", "anledning": "x"})
    assert r.status_code == 401
    assert app.extensions["kg_edit"].get(cs).state == "proposed"


@pytest.mark.parametrize(("url", "role"), [w for w in WRITES if w[1] != "redaktör"])
def test_a_redaktor_cannot_do_what_a_granskare_or_admin_does(app: Any, proposal: str, url: str,
                                                            role: str) -> None:
    cs = proposal
    anna = Client(app.test_client())
    anna.login("anna")
    r = anna.post(url.format(cs=cs), {"motivering": "x", "atgard": "ny", "anvandare": "mallory",
                                       "namn": "M", "roll": "admin", "losenord": "x" * 12})
    assert r.status_code == 403
    assert app.extensions["kg_edit"].get(cs).state == "proposed"
    assert "mallory" not in Path(app.config["KG_SETTINGS"].accounts_file).read_text()


@pytest.mark.parametrize(("url", "role"), [*WRITES, ("/logga-ut", "redaktör"), ("/logga-in", "redaktör")])
def test_every_form_needs_a_csrf_token(app: Any, proposal: str, url: str, role: str) -> None:
    cs = proposal
    ada = Client(app.test_client())
    ada.login("ada")
    before = len(app.extensions["kg_edit"].journal.changesets())
    data = {k: v[0] for k, v in PROJECT_FORM.items()}
    data.update({"anledning": "x", "motivering": "x", "kalla": "informant", "kalla_person": "Eva",
                 "anvandare": "ada", "losenord": PASSWORDS["ada"]})
    r = ada.post(url.format(cs=cs), data, csrf=False)
    assert r.status_code == 400
    assert "CSRF" in r.get_data(as_text=True)
    r = ada.post(url.format(cs=cs), {**data, "csrf_token": "förfalskad"}, csrf=False)
    assert r.status_code == 400
    assert len(app.extensions["kg_edit"].journal.changesets()) == before
    assert app.extensions["kg_edit"].get(cs).state == "proposed"


@pytest.mark.parametrize(("url", "role"), WRITES)
def test_anonymous_writes_are_401_even_without_a_token(app: Any, proposal: str, url: str, role: str) -> None:
    r = app.test_client().post(url.format(cs=proposal), data={"anledning": "x"})
    assert r.status_code == 401


def test_forms_redirect_anonymous_visitors_to_sign_in(app: Any) -> None:
    anon = app.test_client()
    for url in ("/redigera", "/redigera/ny/projekt", "/redigera/id/projekt/teo", "/granskning", "/konto",
                "/admin/konton"):
        r = anon.get(url)
        assert r.status_code == 302 and r.headers["Location"].startswith("/logga-in"), url
    assert anon.get("/redigera/api/entiteter?q=sund").status_code == 302


def test_passwords_are_stored_hashed(app: Any) -> None:
    text = Path(app.config["KG_SETTINGS"].accounts_file).read_text(encoding="utf-8")
    data = json.loads(text)
    for name, password in PASSWORDS.items():
        assert password not in text
        assert data["users"][name]["hash"].startswith("$argon2id$")
    assert oct(Path(app.config["KG_SETTINGS"].accounts_file).stat().st_mode & 0o777) == "0o600"


def test_sign_in_is_rate_limited(fresh_app: Any) -> None:
    c = Client(fresh_app.test_client())
    c.get("/logga-in")
    statuses = [c.post("/logga-in", {"anvandare": "anna", "losenord": f"fel {i}"}).status_code for i in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[-1] == 429
    # even the right password is refused while the limit holds
    assert c.post("/logga-in", {"anvandare": "anna", "losenord": PASSWORDS["anna"]}).status_code == 429


def test_sign_in_never_redirects_to_another_site(app: Any) -> None:
    c = Client(app.test_client())
    c.get("/logga-in")
    r = c.post("/logga-in", {"anvandare": "anna", "losenord": PASSWORDS["anna"], "nasta": "https://evil.example/"})
    assert r.headers["Location"] == "/"
    c.get("/logga-in")  # signing in starts a new session, with a new token
    r = c.post("/logga-in", {"anvandare": "anna", "losenord": PASSWORDS["anna"], "nasta": "//evil.example/x"})
    assert r.headers["Location"] == "/"


def test_a_disabled_account_loses_its_session(fresh_app: Any) -> None:
    anna = Client(fresh_app.test_client())
    anna.login("anna")
    assert anna.get("/redigera").status_code == 200
    from kg.edit.accounts import Accounts

    Accounts(fresh_app.config["KG_SETTINGS"].accounts_file).set_active("anna", False)
    assert anna.get("/redigera").status_code == 302


def test_anonymous_visitors_see_no_editing_controls(app: Any) -> None:
    html = app.test_client().get("/id/projekt/esamverkan").get_data(as_text=True)
    assert "/redigera" not in html and "Logga ut" not in html and "edit-bar" not in html
    assert 'id="s-historik"' in html  # the history is public
    anna = Client(app.test_client())
    anna.login("anna")
    signed_in = anna.get("/id/projekt/esamverkan")
    assert "/redigera/id/projekt/esamverkan" in signed_in.get_data(as_text=True)
    assert "private" in signed_in.headers.get("Cache-Control", "")


@pytest.mark.parametrize("request_kw", [
    {"data": {"update": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"data": {"query": "INSERT DATA { <urn:a> <urn:b> <urn:c> }"}},
    {"data": "DELETE WHERE { ?s ?p ?o }", "content_type": "application/sparql-update"},
    {"data": "DROP ALL", "content_type": "application/sparql-query"},
])
def test_sparql_still_refuses_every_update_even_for_editors(app: Any, request_kw: dict[str, Any]) -> None:
    bo = Client(app.test_client())
    bo.login("bo")
    before = app.extensions["kg_store"].current().count()
    r = bo.client.post("/sparql", **request_kw)
    assert r.status_code == 403
    assert app.extensions["kg_store"].current().count() == before


def test_shacl_violations_come_back_on_the_form_and_nothing_is_saved(fresh_app: Any) -> None:
    bo = Client(fresh_app.test_client())
    bo.login("bo")
    bo.get("/redigera/ny/projekt")
    form = {"f.label.sv": "Baklänges", "f.startdate": "2027", "f.enddate": "2025", "kalla": "informant",
            "kalla_person": "Eva Ek", "anledning": "test", "g.finansiering.0.funder": "Tillväxtverket",
            "g.finansiering.0.amount": "-5", "f.spatial": "Ingenstans"}
    r = bo.post("/redigera/ny/projekt", form)
    html = r.get_data(as_text=True)
    assert r.status_code == 400
    assert 'aria-invalid="true"' in html and "Hittar ingen post som heter" in html  # on the place field
    assert "mindre än 0" in html  # the amount's sh:minInclusive, on its field
    del form["f.spatial"]
    form["g.finansiering.0.amount"] = "5"
    r = bo.post("/redigera/ny/projekt", form)
    assert r.status_code == 400
    import re
    text = r.get_data(as_text=True)
    assert "startDate ligger efter" in text, re.findall(r'(?:field-error|form-error)[^>]*>(.*?)</', text, re.S)
    assert fresh_app.extensions["kg_edit"].journal.changesets() == []
