"""Every string from the data is shown as text: hostile labels never become markup."""

from __future__ import annotations

from typing import Any

import pytest

from .webtools import ATTR, IMG, SCRIPT, soup  # type: ignore[import-not-found]

PAGES = [
    "/",
    "/sok?q=script",
    "/sok?q=onerror",
    "/sok?q=alert",
    "/sok?q=img",
    "/projekt",
    "/organisationer",
    "/id/projekt/xss",
    "/id/organisation/xss",
    "/id/deltagande/xss--xss",
    "/id/finansiering/xss--xss",
    "/id/nyhet/xss",
    "/def/projektroll/deltagare",
    "/id/projekt/scriptalert",  # 404 with suggestions
    "/id/projekt/xss?lang=en",
    "/sok?q=JS-organisation",
    "/organisationer?q=JS",
    "/fragor/projektets-partner?projekt=https%3A%2F%2Fdata.kfvn.se%2Fid%2Fprojekt%2Fxss",
    "/sparql?query=SELECT+%3Fs+%3Fo+WHERE+%7B+%3Fs+%3Fp+%3Fo+FILTER%28isIRI%28%3Fo%29+%26%26+"
    "STRSTARTS%28STR%28%3Fo%29%2C+%22javascript%22%29%29+%7D",
]

#: Pages on which a ``javascript:`` IRI of the data is listed (as text, never as a link).
JS_PAGES = ["/id/projekt/xss", "/sok?q=JS-organisation", "/organisationer?q=JS",
            PAGES[-1]]


def _assert_inert(html: bytes) -> None:
    text = html.decode("utf-8")
    assert SCRIPT not in text
    assert IMG not in text
    assert "onerror=alert(1)>" not in text
    page = soup(html)
    for script in page.find_all("script"):
        if script.get("type") == "application/json":  # a data block: inert if no "<" in it
            assert "<" not in script.get_text(), script
            continue
        src = script.get("src", "")
        assert src.startswith("/") and not src.startswith("//"), script  # our own files
        assert not script.get_text(strip=True)
    handlers = page.find_all(lambda tag: any(a.lower().startswith("on") for a in tag.attrs))
    assert handlers == []
    assert not page.find(["img", "iframe", "object", "embed"])
    assert not page.find(href=lambda h: h and h.strip().lower().startswith("javascript:"))


@pytest.mark.parametrize("path", PAGES)
def test_hostile_labels_are_text(hostile_client: Any, path: str) -> None:
    r = hostile_client.get(path)
    assert r.status_code in (200, 404)
    _assert_inert(r.data)


def test_hostile_text_is_visible_as_text(hostile_client: Any) -> None:
    page = soup(hostile_client.get("/id/projekt/xss").data)
    text = page.get_text(" ")
    assert f"{SCRIPT} projekt" in page.find("h1").get_text()
    assert IMG in text
    org = soup(hostile_client.get("/id/organisation/xss").data)
    assert f"{ATTR} organisation" in org.find("h1").get_text()
    found = soup(hostile_client.get("/sok?q=script").data)
    assert any(SCRIPT in a.get_text() for a in found.select(".result-list a"))


def test_hostile_labels_in_json(hostile_client: Any) -> None:
    r = hostile_client.get("/api/sok?q=script")
    assert r.mimetype == "application/json"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    labels = [h["label"] for h in r.get_json()["hits"]]
    assert f"{SCRIPT} projekt" in labels
    d = hostile_client.get("/id/projekt/xss.json").get_json()
    assert d["label"] == f"{SCRIPT} projekt"


def test_search_script_does_not_use_innerhtml() -> None:
    from kg.config import REPO_ROOT

    js = (REPO_ROOT / "webapp" / "static" / "js" / "search.js").read_text(encoding="utf-8")
    assert "innerHTML" not in js and "insertAdjacentHTML" not in js
    assert "textContent" in js


def test_templates_never_mark_data_safe() -> None:
    from kg.config import REPO_ROOT

    mine = ["base.html", "errors", "home", "search", "entity", "downloads", "ontology"]
    for name in mine:
        path = REPO_ROOT / "webapp" / "templates" / name
        files = [path] if path.is_file() else sorted(path.rglob("*.html"))
        for f in files:
            assert "|safe" not in f.read_text(encoding="utf-8").replace(" ", ""), f


@pytest.mark.parametrize("path", JS_PAGES)
def test_javascript_iris_are_shown_but_never_linked(hostile_client: Any, path: str) -> None:
    html = hostile_client.get(path, headers={"Accept": "text/html"}).get_data()
    page = soup(html)
    assert "javascript:alert" in page.get_text() or "JS-organisation" in page.get_text(), path
    for a in page.find_all("a", href=True):
        href = a["href"].strip().lower()
        assert href.startswith(("/", "#", "http://", "https://", "mailto:", "?")), (path, a)
        assert not href.startswith("//"), (path, a)
