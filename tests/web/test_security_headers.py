"""Security headers on every reply: CSP without inline scripts, nosniff, referrer policy,
no framing by other sites; cookies HttpOnly and SameSite."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import pytest

from .webtools import soup  # type: ignore[import-not-found]

HTML_PAGES = [
    "/", "/sok?q=teo", "/projekt", "/organisationer", "/personer", "/id/projekt/esamverkan",
    "/def/kfv", "/ontologi", "/graf", "/analys", "/fragor", "/fragor/projektets-partner",
    "/sparql", "/sparql?query=" + quote("SELECT * { ?s ?p ?o } LIMIT 2"), "/nedladdning",
    "/dataset", "/finns-inte", "/id/projekt/finns-inte", "/sok?sida=x",
]
OTHER_REPLIES = [
    "/api/sok?q=teo", "/id/projekt/esamverkan.ttl", "/id/projekt/esamverkan.json",
    "/static/css/app.css", "/static/js/search.js", "/sparql?query=ASK%7B%7D",
    "/sparql?query=nonsense", "/dump/samverkansgrafen.nt", "/.well-known/void",
]


@pytest.mark.parametrize("path", HTML_PAGES)
def test_every_html_page_has_the_security_headers(client: Any, path: str) -> None:
    resp = client.get(path, headers={"Accept": "text/html"})
    assert resp.mimetype == "text/html", (path, resp.status_code)
    csp = {d.split()[0]: d.split()[1:] for d in resp.headers["Content-Security-Policy"].split("; ")}
    assert csp["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in csp["default-src"] and "'unsafe-eval'" not in str(csp)
    assert csp["frame-ancestors"] == ["'self'"] and csp["object-src"] == ["'none'"]
    assert resp.headers["X-Frame-Options"] == "SAMEORIGIN"
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert resp.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    page = soup(resp.data)
    for script in page.find_all("script"):  # only our own files run; data blocks are inert
        assert script.get("src") or script.get("type") == "application/json", script
    assert not page.find_all(lambda tag: any(a.lower().startswith("on") for a in tag.attrs))


@pytest.mark.parametrize("path", OTHER_REPLIES)
def test_every_other_reply_says_nosniff(client: Any, path: str) -> None:
    resp = client.get(path)
    assert resp.headers["X-Content-Type-Options"] == "nosniff", (path, resp.status_code)
    assert resp.headers["Referrer-Policy"]


def test_method_not_allowed_says_nosniff(client: Any) -> None:
    resp = client.put("/sparql", data="x")
    assert resp.status_code == 405 and resp.headers["X-Content-Type-Options"] == "nosniff"


def test_the_language_cookie_is_httponly_and_samesite(client: Any) -> None:
    resp = client.get("/?lang=en")
    cookie = resp.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    secure = client.get("/?lang=sv", base_url="https://localhost")
    assert "Secure" in secure.headers["Set-Cookie"]


def test_the_session_cookie_is_httponly_samesite_and_secure_over_https(app: Any) -> None:
    """The editors' session cookie (set on the sign-in form): HttpOnly and SameSite always,
    Secure when the request came over HTTPS."""
    for base, secure in (("http://localhost", False), ("https://localhost", True)):
        client = app.test_client()
        resp = client.get("/logga-in", base_url=base)
        cookies = [c for c in resp.headers.getlist("Set-Cookie") if c.startswith("kg_session=")]
        assert cookies, resp.headers
        assert "HttpOnly" in cookies[0] and "SameSite=Lax" in cookies[0]
        assert ("Secure" in cookies[0]) == secure, cookies[0]
