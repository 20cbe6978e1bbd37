"""Two app servers, one store, a real load balancer (README: Remote stores and scaling).

A shared SPARQL server (Oxigraph's, and Virtuoso where installed) holds the bundled graph;
two ``kg serve`` processes serve it; haproxy from Debian balances them on 127.0.0.1. The
test makes a change through one app server (the edit form, signed in) and sees it through
the other within ``version_ttl``; then runs a bounded load through the balancer, kills one
app server (SIGKILL) in the middle, and checks that no request was lost beyond those in
flight at that moment.
"""

from __future__ import annotations

import http.client
import http.cookiejar
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.config import Settings
from kg.devtools.servers import OxigraphServer, VirtuosoServer, free_port, oxigraph_binary, virtuoso_binary
from kg.edit.accounts import Accounts
from kg.errors import StoreError
from kg.load.loader import build, bundled_files

pytestmark = [pytest.mark.remote, pytest.mark.slow]

HAPROXY = shutil.which("haproxy")
VERSION_TTL = 2.0
NEW_PROJECT = "/id/projekt/fiberlyftet-vasternorrland"
PASSWORD = "lastbalansering med långt lösenord"
#: The load: clients, and seconds they send requests for (bounded).
CLIENTS, SECONDS = 4, 8.0

HAPROXY_CFG = """\
global
    maxconn 200
defaults
    mode http
    timeout connect 1s
    timeout client 30s
    timeout server 30s
    retries 3
    option redispatch 1
    retry-on conn-failure empty-response
frontend kg
    bind 127.0.0.1:{port}
    default_backend apps
backend apps
    balance roundrobin
    http-request disable-l7-retry unless METH_GET
    option httpchk GET /sparql?query=ASK%7B%7D
    default-server check inter 300ms fall 2 rise 2
{servers}
"""


def _wait_http(port: int, path: str = "/", timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:  # bounded
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", path)
            if conn.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing answered on port {port} within {timeout} s")


class App:
    """One ``kg serve`` process on the shared store."""

    def __init__(self, spec: str, shared: Path, name: str) -> None:
        self.port = free_port()
        env = {**os.environ, "KG_STORE": spec, "KG_CACHE_DIR": str(shared / f"cache-{name}"),
               "KG_JOURNAL_DIR": str(shared / "journal"),
               "KG_ACCOUNTS_FILE": str(shared / "accounts.json"),
               "KG_SECRET_KEY_FILE": str(shared / "secret_key"), "KG_REVIEW": "false"}
        self.log = shared / f"serve-{name}.log"
        with open(self.log, "ab") as out:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "kg.cli", "serve", "--host", "127.0.0.1",
                 "--port", str(self.port), "--threads", "8"],
                stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True)

    def kill(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=10)

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.kill()


class Browser:
    """A visitor with cookies who sends forms with their CSRF token."""

    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"
        self.token = ""
        jar = http.cookiejar.CookieJar()

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kw: object) -> None:
                return None

        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar),
                                                  NoRedirect())

    def open(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = None
        if data is not None:
            body = urllib.parse.urlencode({**data, "csrf_token": self.token}).encode()
        try:
            with self.opener.open(self.base + path, data=body, timeout=60) as reply:
                status, text = reply.status, reply.read().decode("utf-8", "replace")
        except urllib.error.HTTPError as exc:
            status, text = exc.code, exc.read().decode("utf-8", "replace")
        found = re.search(r'name="csrf_token" value="([^"]+)"', text)
        if found:
            self.token = found.group(1)
        return status, text


@pytest.fixture(params=["oxigraph-server", "virtuoso"])
def shared_spec(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A SPARQL server of the given kind, loaded with the bundled graph; its spec."""
    if request.param == "oxigraph-server":
        if oxigraph_binary() is None:
            pytest.skip("the oxigraph server binary is missing (pip install oxigraph)")
        server: OxigraphServer | VirtuosoServer = OxigraphServer(tmp_path / "oxigraph",
                                                                 timeout_s=30)
        server.start()
        spec: str = server.spec
    else:
        if virtuoso_binary() is None:
            pytest.skip("virtuoso-t is missing (scripts/setup.sh installs virtuoso-opensource)")
        server = VirtuosoServer(tmp_path / "virtuoso", memory_gb=0.5, query_timeout=15)
        try:
            server.start()
        except StoreError as exc:
            pytest.skip(f"Virtuoso did not start: {exc}")
        spec = server.spec()
    try:
        settings = Settings.load(environ={}, store=spec, cache_dir=str(tmp_path / "build-cache"))
        build(settings, bundled_files(settings), progress=False)
        sep = "&" if "?" in spec else "?"
        yield f"{spec}{sep}version_ttl={VERSION_TTL:g}"
    finally:
        server.stop()


@pytest.mark.skipif(HAPROXY is None, reason="haproxy is missing (scripts/setup.sh installs it)")
def test_two_app_servers_behind_haproxy(shared_spec: str, tmp_path: Path) -> None:
    assert HAPROXY is not None
    shared = tmp_path / "shared"
    shared.mkdir()
    Accounts(shared / "accounts.json").add("anna", "Anna Andersson", "redaktör", PASSWORD)
    apps = [App(shared_spec, shared, "a"), App(shared_spec, shared, "b")]
    lb_port = free_port()
    cfg = tmp_path / "haproxy.cfg"
    cfg.write_text(HAPROXY_CFG.format(port=lb_port, servers="\n".join(
        f"    server {n} 127.0.0.1:{a.port}" for n, a in zip("ab", apps, strict=True))))
    lb = None
    try:
        for app in apps:
            _wait_http(app.port)
        lb = subprocess.Popen([HAPROXY, "-f", str(cfg), "-db"], stdout=subprocess.DEVNULL,
                              stderr=open(tmp_path / "haproxy.log", "wb"))  # noqa: SIM115
        _wait_http(lb_port)

        # 1. a change through app server a is seen through app server b within version_ttl
        a, b = Browser(apps[0].port), Browser(apps[1].port)
        assert b.open(NEW_PROJECT)[0] == 404
        a.open("/logga-in")
        assert a.open("/logga-in", {"anvandare": "anna", "losenord": PASSWORD})[0] == 302
        a.open("/redigera/ny/projekt")
        form = _project_form()
        status, text = a.open("/redigera/ny/projekt", form)
        assert status == 302, text[:2000]
        published = time.monotonic()
        assert a.open(NEW_PROJECT)[0] == 200
        while b.open(NEW_PROJECT)[0] != 200:
            assert time.monotonic() - published < VERSION_TTL + 3, "b never saw the change"
            time.sleep(0.1)
        assert time.monotonic() - published <= VERSION_TTL + 3

        # 2. a bounded load through the balancer; one app server dies in the middle
        paths = ["/", "/id/organisation/sundsvalls-kommun", "/id/projekt/esamverkan",
                 "/sok?q=kommun", NEW_PROJECT, "/id/organisation/kommunforbundet-vasternorrland"]
        results: Counter[str] = Counter()
        bodies: list[str] = []
        lock = threading.Lock()
        stop_at = time.monotonic() + SECONDS

        def client(i: int) -> None:
            n = i
            while time.monotonic() < stop_at:  # bounded in time
                path = paths[n % len(paths)]
                n += 1
                try:
                    conn = http.client.HTTPConnection("127.0.0.1", lb_port, timeout=30)
                    conn.request("GET", path)
                    reply = conn.getresponse()
                    body = reply.read()
                    conn.close()
                    key = "ok" if reply.status == 200 else f"status {reply.status} {path}"
                    if reply.status not in (200, 502):
                        bodies.append(body.decode("utf-8", "replace")[-2000:])
                except OSError as exc:
                    key = f"error {type(exc).__name__}"
                with lock:
                    results[key] += 1

        threads = [threading.Thread(target=client, args=(i,)) for i in range(CLIENTS)]
        for t in threads:
            t.start()
        time.sleep(SECONDS / 3)
        apps[0].kill()
        for t in threads:
            t.join(timeout=SECONDS + 60)
        lost = sum(n for k, n in results.items() if k != "ok")
        print("through the balancer:", dict(results))
        assert results["ok"] >= 2 * CLIENTS, results
        assert lost <= CLIENTS, f"more lost than were in flight: {results} {bodies[:1]}"
    finally:
        if lb is not None:
            lb.terminate()
            lb.wait(timeout=10)
        for app in apps:
            app.stop()


def _project_form() -> dict[str, str]:
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from edit.helpers import PROJECT_FORM

    form = {k: v[0] for k, v in PROJECT_FORM.items()}
    form.update({"kalla": "new-document", "kalla_titel": "Beslut om Fiberlyftet",
                 "kalla_datum": "2026-11-28", "anledning": "Beviljat"})
    return form
