"""The review page over HTTP (the real Flask app): who may use it, bad files, decisions,
edits and the changeset they make; nothing is published or kept when something is wrong."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from edit.webapp_fixtures import Client, editable_app

from kg.config import Settings
from kg.store.base import Store

from .files import entity_bomb_docx, image_pdf, zip_bomb_docx

NEWS = ("Tillväxtverket har beviljat Kommunförbundet Västernorrland 3,2 miljoner kronor för 2027 för projektet "
        "”Smarta byar”. Projektet drivs tillsammans med Kramfors kommun och Ånge kommun, som är samverkanspartner.")


@pytest.fixture()
def web(ox_store: Store, tmp_path: Path, settings: Settings) -> tuple[Any, Path]:
    out = io.BytesIO()
    ox_store.raw.dump(out, format=ox.RdfFormat.N_QUADS)  # type: ignore[attr-defined]
    app = editable_app(out.getvalue(), tmp_path, settings, ingest_dir=tmp_path / "ingest")
    return app, tmp_path


def _client(app: Any, who: str | None) -> Client:
    c = Client(app.test_client())
    if who:
        c.login(who)
    return c


def _read(c: Client, **data: Any) -> Any:
    c.get("/redigera/inlasning")
    return c.post("/redigera/inlasning", data, content_type="multipart/form-data")


def _state(app: Any, folder: Path) -> tuple[str, list[str], int]:
    store = app.extensions["kg_store"].current()
    journal = sorted(p.name for p in (folder / "journal").glob("*")) if (folder / "journal").exists() else []
    kept = len(list((folder / "ingest").glob("2*"))) if (folder / "ingest").exists() else 0
    return store.data_version(), journal, kept


def test_only_signed_in_editors_with_a_token(web: tuple[Any, Path]) -> None:
    app, _ = web
    anon = _client(app, None)
    r = anon.client.get("/redigera/inlasning")
    assert r.status_code == 302 and "/logga-in" in r.headers["Location"]
    assert anon.client.post("/redigera/inlasning", data={"text": NEWS}).status_code in (400, 401)
    anna = _client(app, "anna")
    assert anna.post("/redigera/inlasning", {"text": NEWS}, csrf=False).status_code == 400
    assert "Klistra in texten" in anna.get("/redigera/inlasning").get_data(as_text=True)


@pytest.mark.parametrize(("name", "data", "words", "status"), [
    ("tom.txt", b"", "tom", 400),
    ("skannad.pdf", None, "skannad", 400),
    ("bild.pdf", b"\x89PNG\r\n\x1a\n" + b"\x00" * 400, "ingen PDF-fil", 400),
    ("nyhet.txt", "Ånge kommun".encode("cp1252"), "UTF-8", 400),
    ("bomb.docx", None, "zip-bomb", 400),
    ("skratt.docx", None, "DOCTYPE", 400),
])
def test_bad_files_get_a_clear_message_and_change_nothing(web: tuple[Any, Path], name: str, data: bytes | None,
                                                          words: str, status: int) -> None:
    app, folder = web
    if data is None:
        data = {"skannad.pdf": image_pdf, "bomb.docx": lambda: zip_bomb_docx(300),
                "skratt.docx": entity_bomb_docx}[name]()
    anna = _client(app, "anna")
    before = _state(app, folder)
    r = _read(anna, fil=(io.BytesIO(data), name))
    assert r.status_code == status
    page = r.get_data(as_text=True)
    assert words in page and 'role="alert"' in page
    assert _state(app, folder) == before


def test_a_50_mb_upload_is_refused_before_it_is_read(web: tuple[Any, Path]) -> None:
    app, folder = web
    anna = _client(app, "anna")
    before = _state(app, folder)
    r = _read(anna, fil=(io.BytesIO(b"a" * (50 * 1024 * 1024)), "stor.txt"))
    assert r.status_code == 413
    assert "för stor" in r.get_data(as_text=True)
    assert _state(app, folder) == before


def test_a_document_above_the_general_body_limit_is_still_read(web: tuple[Any, Path]) -> None:
    """The app refuses bodies over ``max_request_bytes`` (2 MB) everywhere except the upload,
    which takes documents up to the ingest limit; anonymous posts of that size stay 413."""
    app, _ = web
    settings = app.config["KG_SETTINGS"]
    filler = "\u2013" * (settings.max_request_bytes // 3 + 1000)  # 3 bytes a character
    text = NEWS + "\n\n" + " ".join(filler[i:i + 60] for i in range(0, len(filler), 60))
    assert len(text.encode()) > settings.max_request_bytes
    anna = _client(app, "anna")
    r = _read(anna, fil=(io.BytesIO(text.encode()), "lang.txt"))
    assert r.status_code == 303, re.findall(r"role=\"alert\"[^<]*<[^<]*", r.get_data(as_text=True))
    assert "Smarta byar" in anna.get(r.headers["Location"]).get_data(as_text=True)
    anon = Client(app.test_client())
    assert anon.client.post("/sparql", data=text.encode(),
                            content_type="application/sparql-query").status_code == 413


def _proposals(page: str) -> dict[str, str]:
    out = {}
    pattern = r'<li class="proposal[^"]*" id="(p\d+)">.*?<p class="summary">(.*?)</p>'
    for pid, summary in re.findall(pattern, page, re.S):
        out[summary.replace("&#34;", '"')] = pid
    return out


def test_accept_edit_and_reject_make_one_changeset_for_review(web: tuple[Any, Path]) -> None:
    app, folder = web
    anna = _client(app, "anna")
    r = _read(anna, text=NEWS, title="Smarta byar får stöd")
    assert r.status_code == 303
    review = r.headers["Location"]
    page = anna.get(review).get_data(as_text=True)
    props = _proposals(page)
    grant = next(pid for s, pid in props.items() if s.startswith("Tillväxtverket finansierar"))
    project = props["Nytt projekt: Smarta byar"]
    kramfors = props["Kramfors kommun är samverkanspartner i Smarta byar"]
    ange = props["Ånge kommun är samverkanspartner i Smarta byar"]
    # a wrong amount is shown on its proposal, and nothing is made
    before = _state(app, folder)
    bad = {f"d-{pid}": "accept" for pid in (grant, project)}
    bad[f"e-{grant}-schema:amount"] = "tre komma två"
    r = anna.post(review, bad)
    assert r.status_code == 400 and "Skriv ett tal" in r.get_data(as_text=True)
    assert _state(app, folder)[:2] == before[:2]
    # a fact needs its new project: rejecting the project is refused with the reason
    r = anna.post(review, {f"d-{kramfors}": "accept", f"d-{project}": "reject"})
    assert r.status_code == 400 and "bygger på den nya entiteten" in r.get_data(as_text=True)
    # accepted, one corrected (amount), one rejected: one proposal in the review queue
    ok = {f"d-{grant}": "accept", f"d-{kramfors}": "accept", f"d-{ange}": "reject",
          f"e-{grant}-schema:amount": "3 300 000", "reason": "Beslut om stöd"}
    r = anna.post(review, ok)
    assert r.status_code == 303 and r.headers["Location"].startswith("/andringar/")
    cs_page = anna.get(r.headers["Location"]).get_data(as_text=True)
    assert "väntar nu på granskning" in cs_page and "Smarta byar" in cs_page
    assert "(även Smarta byar, som de bygger på)" in cs_page
    assert "3\u00a0300\u00a0000" in cs_page.replace("&#160;", "\u00a0")
    assert "Projektet drivs tillsammans med Kramfors kommun" in cs_page  # the sentence as quote
    assert "Ånge kommun är" not in cs_page
    store = app.extensions["kg_store"].current()
    assert not store.ask("ASK { ?p rdfs:label 'Smarta byar'@sv }")  # nothing published before review
    # the document is kept, with the decisions and the changeset
    again = anna.get(review).get_data(as_text=True)
    assert "Förslagen är skickade" in again
    assert anna.client.get(review + "/fil").headers["Content-Disposition"].startswith("attachment")


def test_a_granskare_publishes_directly_and_names_are_escaped(web: tuple[Any, Path]) -> None:
    app, _ = web
    bo = _client(app, "bo")
    text = "Projektet ”<script>alert(1)</script>” drivs tillsammans med Kramfors kommun, som är projektägare."
    r = _read(bo, text=text)
    page = bo.get(r.headers["Location"]).get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page and "&lt;script&gt;" in page
    props = _proposals(page)
    assert "Publicera godkända förslag" in page
    r = bo.post(r.headers["Location"], {f"d-{pid}": "accept" for pid in props.values()})
    assert r.status_code == 303
    assert "publicerades" in bo.get(r.headers["Location"]).get_data(as_text=True)
    store = app.extensions["kg_store"].current()
    assert store.ask("ASK { ?p rdfs:label '<script>alert(1)</script>'@sv ; dcterms:source ?d . ?d a foaf:Document }")
