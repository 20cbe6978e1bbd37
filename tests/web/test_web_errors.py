"""Bad input gets a clear 4xx, unknown IRIs a 404 with suggestions; never a 500."""

from __future__ import annotations

from typing import Any

import pytest

from .webtools import soup  # type: ignore[import-not-found]


def test_unknown_iri_404_has_suggestions(client: Any) -> None:
    r = client.get("/id/organisation/solleftea-kommunn")
    assert r.status_code == 404
    page = soup(r.data)
    assert page.find("h1").get_text(strip=True) == "Sidan finns inte"
    links = [a["href"] for a in page.select(".result-list a")]
    assert "/id/organisation/solleftea-kommun" in links


def test_unknown_iri_404_json(client: Any) -> None:
    r = client.get("/id/projekt/esamverkann.json")
    assert r.status_code == 404 and r.mimetype == "application/json"
    err = r.get_json()["error"]
    assert err["status"] == 404
    assert any(s["iri"].endswith("/id/projekt/esamverkan") for s in err["suggestions"])
    r = client.get("/id/projekt/esamverkann", headers={"Accept": "application/json"})
    assert r.status_code == 404 and r.mimetype == "application/json"


def test_unknown_route_404_has_suggestions(client: Any) -> None:
    r = client.get("/nonsense/teo")
    assert r.status_code == 404
    assert soup(r.data).select(".result-list a")


BAD = [
    "/sok?sida=abc",
    "/sok?sida=0",
    "/sok?sida=-1",
    "/sok?sida=%EF%BC%92",  # a full-width digit
    "/sok?typ=nonsense",
    "/sok?tema=nonsense",
    "/sok?ar=tjugo",
    "/sok?ar=20189",
    "/sok?q=" + "a" * 10_000,
    "/api/sok?q=" + "x" * 10_000,
    "/api/sok?typ=%3Cscript%3E",
    "/id/projekt/esamverkan?sida=abc",
    "/projekt?sida=1e9",
]


@pytest.mark.parametrize("path", BAD)
def test_bad_parameters_are_400(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code == 400, path
    assert soup(r.data).find(class_="error-box") is not None or r.is_json


JUNK = [
    "/sok?q=%00%01%02",
    "/sok?q=%ED%A0%80",  # a lone surrogate, as UTF-8 bytes
    "/sok?q=%FF%FE%FD",
    "/sok?q=%F0%9F%92%A9%E2%80%AE%CC%81%CC%81",
    "/sok?q=%22%3E%3Cscript%3E",
    "/api/sok?q=%00",
    "/api/sok?q=%E2%80%8B%E2%80%8B",
    "/sok?q=" + "å" * 150,
    "/?" + "x=" + "y" * 10_000,
    "/id/projekt/%00",
    "/id/projekt/%FF%FE",
    "/id/projekt/a%20b%3Cc%3E",
    "/id/projekt/" + "x" * 3000,
    "/id/%E2%80%AE",
    "/id/",
    "/def/",
    "/id/projekt/esamverkan.exe",
    "/id/projekt/esamverkan..ttl",
    "/dump/..%2F..%2Fetc%2Fpasswd",
    "/dataset.exe",
    "/nedladdning.ttl",
    "/ontologi.xyz",
]


@pytest.mark.parametrize("path", JUNK)
def test_junk_never_500(client: Any, path: str) -> None:
    r = client.get(path)
    assert r.status_code < 500, (path, r.status_code)
    r.close()


def test_method_not_allowed(client: Any) -> None:
    r = client.post("/sok")
    assert r.status_code == 405
    assert "GET" in r.headers["Allow"]


def test_head_works(client: Any) -> None:
    assert client.head("/id/projekt/esamverkan").status_code == 200
