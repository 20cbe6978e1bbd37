"""Pages as functions of the data version: ETag/Last-Modified, 304 replies, one rendering
per version, and nothing kept for signed-in editors or across a change of the data."""

from __future__ import annotations

import io
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import RDFS

from kg.config import Settings
from kg.store.delta import Delta
from webapp import pagecache

PAGE = "/id/organisation/kommunforbundet-vasternorrland"


@pytest.fixture(scope="module")
def bundled_nquads(ox_store: Any) -> bytes:
    out = io.BytesIO()
    ox_store.raw.dump(out, format=ox.RdfFormat.N_QUADS)
    return out.getvalue()


def test_validators_and_304(client: Any) -> None:
    first = client.get(PAGE)
    assert first.status_code == 200
    etag, modified = first.headers["ETag"], first.headers["Last-Modified"]
    assert etag.startswith('"') and "no-cache" in first.headers["Cache-Control"]
    again = client.get(PAGE, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.data == b""
    assert again.headers["ETag"] == etag
    assert client.get(PAGE, headers={"If-Modified-Since": modified}).status_code == 304
    assert client.get(PAGE, headers={"If-None-Match": '"something-else"'}).status_code == 200
    # the same page in another language or format is another representation
    other = client.get(PAGE, headers={"Accept": "application/json"})
    assert other.status_code == 200 and other.headers["ETag"] != etag
    client.set_cookie("lang", "en")
    assert client.get(PAGE).headers["ETag"] != etag
    client.delete_cookie("lang")
    page2 = client.get(PAGE + "?sida=2")
    assert page2.headers.get("ETag") != etag


def test_rendered_once_per_version(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.query.entity as entity

    calls: list[str] = []
    real = entity.describe

    def counting(*args: Any, **kw: Any) -> Any:
        calls.append(args[1])
        return real(*args, **kw)

    monkeypatch.setattr("webapp.views.entity.describe", counting)
    url = "/id/projekt/esamverkan"
    pagecache.PAGES.clear()
    bodies = {client.get(url).data for _ in range(5)}
    assert len(bodies) == 1 and len(calls) == 1


FIREFOX_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
CHROMIUM_HTML = ("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
                 "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7")


def test_browsers_share_one_kept_page(client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The key holds what Accept decides, not the header: two browsers' HTML headers (and a
    warm-up without any) share one kept page; JSON and Turtle are kept apart from it."""
    import kg.query.entity as entity

    calls: list[str] = []
    real = entity.describe

    def counting(*args: Any, **kw: Any) -> Any:
        calls.append(args[1])
        return real(*args, **kw)

    monkeypatch.setattr("webapp.views.entity.describe", counting)
    url = "/id/organisation/sundsvalls-kommun"  # a page no other test here asks for
    pagecache.PAGES.clear()
    warmed = client.get(url)  # as the warm-up asks: no Accept header
    firefox = client.get(url, headers={"Accept": FIREFOX_HTML})
    chromium = client.get(url, headers={"Accept": CHROMIUM_HTML})
    assert len(calls) == 1
    for page in (warmed, firefox, chromium):
        assert page.status_code == 200 and page.mimetype == "text/html"
        assert page.headers["ETag"] == warmed.headers["ETag"] and page.data == warmed.data
    assert client.get(url, headers={"Accept": CHROMIUM_HTML,
                                    "If-None-Match": firefox.headers["ETag"]}).status_code == 304
    as_json = client.get(url, headers={"Accept": "application/json"})
    as_turtle = client.get(url, headers={"Accept": "text/turtle"})
    assert as_json.mimetype == "application/json" and as_turtle.mimetype == "text/turtle"
    assert len({warmed.headers["ETag"], as_json.headers["ETag"], as_turtle.headers["ETag"]}) == 3
    rendered = len(calls)
    # and the browsers still get the kept HTML after the data twins were kept
    again = client.get(url, headers={"Accept": FIREFOX_HTML})
    assert again.mimetype == "text/html" and again.data == warmed.data and len(calls) == rendered
    # a client preferring JSON to HTML on an ordinary page gets JSON, kept apart
    home_html = client.get("/", headers={"Accept": FIREFOX_HTML})
    home_json = client.get("/", headers={"Accept": "application/json;q=1, text/html;q=0.5"})
    assert home_html.mimetype == "text/html" and home_json.mimetype == "application/json"


def test_errors_are_not_kept(client: Any) -> None:
    assert client.get("/id/organisation/finns-inte-alls").status_code == 404
    assert "ETag" not in client.get("/id/organisation/finns-inte-alls").headers


def test_a_change_makes_new_pages(tmp_path: Path, settings: Settings,
                                  bundled_nquads: bytes) -> None:
    """A published change gives a new version: the old ETag no longer matches and the
    page shows the new fact at once."""
    from edit.webapp_fixtures import Client, editable_app  # type: ignore[import-not-found]

    app = editable_app(bundled_nquads, tmp_path, settings)
    client = app.test_client()
    url = "/id/projekt/esamverkan"
    before = client.get(url)
    etag = before.headers["ETag"]
    handle = app.extensions["kg_store"]
    iri = URIRef("https://data.kfvn.se/id/projekt/esamverkan")
    handle.apply(Delta(add=((iri, RDFS.label, Literal("Helt nytt namn", lang="sv"),
                             URIRef("https://data.kfvn.se/graph/test")),)))
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers.get("ETag") != etag
    assert "Helt nytt namn" in after.get_data(as_text=True)
    # the reply kept for the very request made before the change is not replayed
    assert "Helt nytt namn" in client.get(url).get_data(as_text=True)
    # built while per-version values (label index, co-partners) of the new version were
    # still being computed, the page is sent but not kept; once they are, it is kept
    deadline = time.monotonic() + 30
    while "ETag" not in after.headers and time.monotonic() < deadline:
        time.sleep(0.2)
        after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code == 200 and after.headers["ETag"] != etag
    assert "Helt nytt namn" in after.get_data(as_text=True)
    # signed-in editors get their own, private page (editing controls), never a kept one
    editor = Client(app.test_client())
    editor.login("anna")
    mine = editor.get(url)
    assert "ETag" not in mine.headers and "private" in mine.headers["Cache-Control"]


def test_files_with_their_own_validators_are_left_alone(client: Any) -> None:
    """vis-network is sent compressed or not, per client, with its own long-lived ETag."""
    from webapp.views.graph import VENDOR_FILES

    name = sorted(VENDOR_FILES)[0]
    packed = client.get(f"/graf/vendor/{name}", headers={"Accept-Encoding": "br"})
    plain = client.get(f"/graf/vendor/{name}", headers={"Accept-Encoding": ""})
    assert packed.headers.get("Content-Encoding") == "br"
    assert "Content-Encoding" not in plain.headers and plain.data[:200].isascii()
    assert "max-age" in plain.headers["Cache-Control"]


def test_kept_replies_are_replayed_before_the_app(app: Any, client: Any) -> None:
    """The second request for a kept page is answered from the final reply of the first,
    without entering Flask: the same status, every header (the security headers and the
    validators too) and the same bytes, compressed once."""
    kept = app.extensions["kg_kept_replies"]
    url = "/id/projekt/esamverkan"
    asks = {"Accept-Encoding": "br, gzip"}
    first = client.get(url, headers=asks)
    hits = kept.hits
    again = client.get(url, headers=asks)
    assert kept.hits == hits + 1
    assert again.status_code == 200 and again.data == first.data
    assert again.headers.get("Content-Encoding") == "br"
    assert sorted(again.headers.items()) == sorted(first.headers.items())
    for name in ("ETag", "Last-Modified", "Content-Security-Policy", "X-Frame-Options",
                 "X-Content-Type-Options", "Referrer-Policy", "Vary"):
        assert again.headers[name]
    # a conditional request: 304, replayed the same way
    tag = {**asks, "If-None-Match": first.headers["ETag"]}
    not_modified = client.get(url, headers=tag)
    assert not_modified.status_code == 304
    assert client.get(url, headers=tag).headers == not_modified.headers
    assert kept.hits == hits + 2
    # another representation, language or a page dropped from the page cache: the app
    assert client.get(url, headers={"Accept": "application/json"}).is_json
    client.set_cookie("lang", "en")
    english = client.get(url, headers=asks)
    client.delete_cookie("lang")
    assert english.headers["ETag"] != first.headers["ETag"]
    assert kept.hits == hits + 2
    pagecache.PAGES.clear()
    client.get(url, headers=asks)
    assert kept.hits == hits + 2
