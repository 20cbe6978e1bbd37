"""A small HTTP client for SPARQL servers: keep-alive connections, one set per thread.

Built on :mod:`http.client` (no extra dependency). Each thread reuses its own connection to
each server, so a multi-threaded web server talks to the store without a handshake per
query; a connection the server closed meanwhile is reopened once, transparently.
"""

from __future__ import annotations

import base64
import http.client
import logging
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import SplitResult, unquote, urlsplit

from kg.errors import QueryTimeoutError, StoreError

__all__ = ["Endpoint", "HttpClient", "Reply"]

log = logging.getLogger(__name__)
_READ_SIZE = 1 << 16

_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError,
          http.client.CannotSendRequest, http.client.BadStatusLine)


@dataclass(frozen=True)
class Endpoint:
    """A URL split into what a connection needs.

    >>> e = Endpoint.parse("http://u:p@127.0.0.1:7878/query?x=1")
    >>> (e.host, e.port, e.target, e.auth is not None)
    ('127.0.0.1', 7878, '/query?x=1', True)
    """

    scheme: str
    host: str
    port: int
    target: str
    auth: str | None = None

    @classmethod
    def parse(cls, url: str) -> Endpoint:
        parts: SplitResult = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise StoreError(f"not an http(s) URL: {url!r}")
        port = parts.port or (443 if parts.scheme == "https" else 80)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        auth = None
        if parts.username is not None:
            raw = f"{unquote(parts.username)}:{unquote(parts.password or '')}".encode()
            auth = "Basic " + base64.b64encode(raw).decode("ascii")
        return cls(parts.scheme, parts.hostname, port, target, auth)

    @property
    def origin(self) -> str:
        return f"{self.scheme}://{self.host}:{self.port}"

    def with_query(self, query: str) -> str:
        """The request target with ``query`` appended to its own query string."""
        if not query:
            return self.target
        return self.target + ("&" if "?" in self.target else "?") + query


@dataclass
class Reply:
    """A finished response: status, lower-cased headers and the whole body."""

    status: int
    headers: dict[str, str]
    body: bytes

    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


class HttpClient:
    """Keep-alive HTTP/1.1 requests to a few servers, safe to share between threads."""

    def __init__(self, timeout: float = 60.0) -> None:
        self.timeout = timeout
        self._local = threading.local()

    def _conns(self) -> dict[tuple[str, str, int], http.client.HTTPConnection]:
        conns: dict[tuple[str, str, int], http.client.HTTPConnection] | None = getattr(
            self._local, "conns", None
        )
        if conns is None:
            conns = self._local.conns = {}
        return conns

    def _conn(self, ep: Endpoint, timeout: float) -> tuple[http.client.HTTPConnection, bool]:
        key = (ep.scheme, ep.host, ep.port)
        conns = self._conns()
        conn = conns.get(key)
        fresh = conn is None
        if conn is None:
            cls = http.client.HTTPSConnection if ep.scheme == "https" else http.client.HTTPConnection
            conn = cls(ep.host, ep.port, timeout=timeout)
            conns[key] = conn
        else:
            conn.timeout = timeout
            if conn.sock is not None:
                conn.sock.settimeout(timeout)
        return conn, fresh

    def _drop(self, ep: Endpoint) -> None:
        conn = self._conns().pop((ep.scheme, ep.host, ep.port), None)
        if conn is not None:
            conn.close()

    def open(
        self,
        method: str,
        ep: Endpoint,
        target: str,
        body: bytes | BinaryIO | None,
        headers: Mapping[str, str],
        timeout: float | None = None,
    ) -> http.client.HTTPResponse:
        """Send a request and return the response unread (for streaming). The caller must read
        it to the end (or call :meth:`discard`) before the next request in this thread.

        Raises:
            QueryTimeoutError: no answer within ``timeout`` seconds.
            StoreError: the server cannot be reached.
        """
        hdrs = dict(headers)
        if ep.auth:
            hdrs["Authorization"] = ep.auth
        wait = self.timeout if timeout is None else timeout
        for attempt in (1, 2):  # a kept-alive connection may have been closed by the server
            conn, fresh = self._conn(ep, wait)
            try:
                if hasattr(body, "seek") and attempt == 2:
                    body.seek(0)  # type: ignore[union-attr]
                conn.request(method, target, body=body, headers=hdrs)
                return conn.getresponse()
            except _STALE as exc:
                self._drop(ep)
                if fresh or attempt == 2:
                    raise StoreError(f"the SPARQL server at {ep.origin} closed the connection: {exc}") from exc
                log.debug("reopening a stale connection to %s", ep.origin)
            except TimeoutError as exc:
                self._drop(ep)
                raise QueryTimeoutError(f"the SPARQL server at {ep.origin} did not answer within {wait:g} s") from exc
            except OSError as exc:
                self._drop(ep)
                raise StoreError(f"cannot reach the SPARQL server at {ep.origin}: {exc}") from exc
        raise AssertionError("unreachable")  # pragma: no cover

    def request(
        self,
        method: str,
        ep: Endpoint,
        target: str,
        body: bytes | BinaryIO | None,
        headers: Mapping[str, str],
        timeout: float | None = None,
    ) -> Reply:
        """Send a request and read the whole answer, within ``timeout`` seconds in total (a
        server that keeps streaming is cut off, which also stops its work)."""
        wait = self.timeout if timeout is None else timeout
        until = time.monotonic() + wait
        resp = self.open(method, ep, target, body, headers, wait)
        try:
            data = self._read_all(resp, until, wait)
        except QueryTimeoutError:
            self._drop(ep)
            raise
        except TimeoutError as exc:
            self._drop(ep)
            raise QueryTimeoutError(f"the SPARQL server at {ep.origin} did not finish within the time limit") from exc
        except (OSError, http.client.HTTPException) as exc:
            self._drop(ep)
            raise StoreError(f"reading from the SPARQL server at {ep.origin} failed: {exc}") from exc
        if resp.will_close:
            self._drop(ep)
        return Reply(resp.status, {k.lower(): v for k, v in resp.getheaders()}, data)

    @staticmethod
    def _read_all(resp: http.client.HTTPResponse, until: float, wait: float) -> bytes:
        parts: list[bytes] = []
        while True:  # bounded: ends with the body, or at the deadline
            chunk = resp.read1(_READ_SIZE)
            if not chunk:
                parts.append(resp.read())  # marks the response finished, keeping the connection
                return b"".join(parts)
            parts.append(chunk)
            if time.monotonic() > until:
                raise QueryTimeoutError(f"the answer took longer than {wait:g} s")

    def discard(self, ep: Endpoint) -> None:
        """Forget this thread's connection to ``ep`` (after a response was not read to its end)."""
        self._drop(ep)

    def close(self) -> None:
        """Close this thread's connections."""
        for conn in self._conns().values():
            conn.close()
        self._conns().clear()
