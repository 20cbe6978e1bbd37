"""No lock-outs and bounded requests: idle connections, body and URL limits, no big echoes.

The server tests run waitress with the options ``kg serve`` uses
(:func:`webapp.serving.waitress_options`) on a free port of 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import http.client
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest

from kg.config import Settings
from kg.store.base import Store
from webapp.serving import waitress_options


@pytest.fixture(scope="module")
def served(settings: Settings, ox_store: Store, tmp_path_factory: pytest.TempPathFactory
           ) -> Iterator[int]:
    """The app under waitress as ``kg serve`` runs it, idle connections closed after 2 s."""
    from waitress import create_server

    from webapp import create_app

    tuned = settings.with_(channel_timeout=2, cache_dir=str(tmp_path_factory.mktemp("lim")))
    app = create_app(tuned, store=ox_store)
    options = waitress_options(tuned)
    options.update(host="127.0.0.1", port=0)
    del options["ident"]
    server = create_server(app, **options)

    def run() -> None:
        with contextlib.suppress(OSError):  # closed under the loop at the end
            server.run()

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    yield server.effective_port  # type: ignore[union-attr]
    server.close()
    thread.join(timeout=5)
    runner = app.extensions.get("kg_query_runner")
    if runner is not None:
        runner.close()


def _get(port: int, path: str, timeout: float = 10) -> tuple[int, bytes, Any]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path, headers={"Accept": "text/html"})
        resp = conn.getresponse()
        return resp.status, resp.read(), resp
    finally:
        conn.close()


def test_150_idle_and_slow_connections_do_not_lock_out_a_page(served: int) -> None:
    idle = [socket.create_connection(("127.0.0.1", served)) for _ in range(100)]
    slow = []
    for _ in range(50):  # a request line and half a header, then nothing (slowloris)
        s = socket.create_connection(("127.0.0.1", served))
        s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nX-Slow: ")
        slow.append(s)
    try:
        time.sleep(0.3)
        started = time.monotonic()
        status, body, _ = _get(served, "/", timeout=5)
        assert status == 200 and b"<html" in body
        assert time.monotonic() - started < 5
        # idle connections are closed after channel_timeout (2 s here, checked every 1 s)
        time.sleep(4)
        idle[0].settimeout(2)
        assert idle[0].recv(1) == b""
    finally:
        for s in idle + slow:
            s.close()


def test_a_50_mb_body_is_refused_with_413_before_it_is_sent(served: int, settings: Settings) -> None:
    """waitress refuses a body larger than any view takes (the 16 MB upload) from its
    Content-Length; the app refuses anything over ``max_request_bytes`` elsewhere."""
    size = 50 * 1024 * 1024
    started = time.monotonic()
    conn = http.client.HTTPConnection("127.0.0.1", served, timeout=10)
    try:
        conn.putrequest("POST", "/sparql")
        conn.putheader("Content-Type", "application/sparql-query")
        conn.putheader("Content-Length", str(size))
        conn.endheaders()
        with contextlib.suppress(OSError):
            conn.send(b"ASK {}" + b" " * 65_536)
        resp = conn.getresponse()
        assert resp.status == 413
        assert time.monotonic() - started < 5
    finally:
        conn.close()


def test_a_body_over_the_app_limit_is_413_in_plain_text(client: Any, settings: Settings) -> None:
    big = b"ASK {}" + b" " * settings.max_request_bytes
    resp = client.post("/sparql", data=big, content_type="application/sparql-query")
    assert resp.status_code == 413
    assert resp.mimetype == "text/plain"
    assert resp.headers["Access-Control-Allow-Origin"] == "*"
    page = client.post("/sok", data=big, content_type="application/x-www-form-urlencoded")
    assert page.status_code in (405, 413)


@pytest.mark.parametrize("path", ["/sok?q=", "/sparql?query=", "/projekt?q=", "/finns-inte?x="])
def test_a_long_url_is_414_and_not_repeated(served: int, settings: Settings, path: str) -> None:
    long = "a" * (settings.max_url_bytes + 10)
    status, body, _ = _get(served, path + long)
    assert status == 414
    assert len(body) < 20_000 and long not in body.decode()


def test_links_repeat_a_bounded_part_of_the_request(served: int) -> None:
    params = "&".join(f"p{i}=v{i}" for i in range(1_500))
    status, body, resp = _get(served, "/sok?q=teo&" + params)
    assert status == 200
    assert len(resp.getheader("Link", "")) < 2_000
    assert body.count(b"p1499") == 0 and len(body) < 60_000


def test_error_pages_do_not_repeat_parameters(client: Any) -> None:
    resp = client.get("/finns-inte?" + "&".join(f"x{i}=" + "y" * 100 for i in range(50)))
    assert resp.status_code == 404
    assert b"yyyy" not in resp.data
