"""Kept pages answered before Flask: the whole reply of a kept page, replayed as it was sent.

:mod:`webapp.pagecache` keeps each public page's rendered bytes per data version, but a
request for a kept page still went through the whole app: the request context, the
session, the language, the hooks that add the security headers, and Flask-Compress, which
compressed the same bytes again for every client that accepts brotli or gzip. With fifty
clients at once that work made some requests wait behind others.

:class:`KeptReplies` is WSGI middleware around the app. When the page cache answered a
request with a kept page (or with 304 for one), it records the *final* reply, after every
hook (status, every header including the security headers and validators, the body as
sent, compressed once), under the request's inputs that can change a reply: the method,
the path and query, host, scheme, ``Accept``, ``Accept-Encoding``, the cookies, the
conditional headers and the proxy's forwarded host, prefix and protocol. The same request
for the same data version is then answered from that record without entering the app.

Nothing else changes: a request with the session cookie (an editor), ``?lang=``, a
``POST``, a reply that sets a cookie, an error or a page that is not kept always goes
through the app, and a record is used only while its data version is the live one.

>>> key = request_key({"REQUEST_METHOD": "GET", "PATH_INFO": "/id/x", "HTTP_HOST": "h"})
>>> key is not None and key[0] == "/id/x"
True
>>> request_key({"REQUEST_METHOD": "POST", "PATH_INFO": "/id/x"}) is None
True
>>> request_key({"REQUEST_METHOD": "GET", "PATH_INFO": "/", "HTTP_COOKIE": "kg_session=a"})
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

__all__ = ["KEPT_FLAG", "KeptReplies", "request_key"]

#: The environ key the page cache sets when it sent a kept reply: (data version, a function
#: telling whether that page is still kept, i.e. the record may still be replayed).
KEPT_FLAG = "kg.kept_version"
#: Records kept (least recently used dropped first) and their total size.
MAX_RECORDS = 4096
MAX_BYTES = 64 << 20  # uncompressed bodies are the page cache's own bytes, shared
#: The session cookie's name (a request carrying it may be an editor's: never replayed).
SESSION_COOKIE = "kg_session="
#: Request inputs that can change a kept reply (besides path and query).
_INPUTS = ("HTTP_HOST", "wsgi.url_scheme", "SCRIPT_NAME", "HTTP_ACCEPT", "HTTP_ACCEPT_ENCODING",
           "HTTP_COOKIE", "HTTP_IF_NONE_MATCH", "HTTP_IF_MODIFIED_SINCE",
           "HTTP_X_FORWARDED_HOST", "HTTP_X_FORWARDED_PROTO", "HTTP_X_FORWARDED_PORT",
           "HTTP_X_FORWARDED_PREFIX")

StartResponse = Callable[..., Any]
Key = tuple[str, ...]
#: version, still kept?, status, headers, body
Record = tuple[str, Callable[[], bool], str, list[tuple[str, str]], bytes]


def request_key(environ: dict[str, Any]) -> Key | None:
    """The inputs of a request that may be replayed, or ``None`` for one that never is."""
    if environ.get("REQUEST_METHOD") != "GET":
        return None
    if SESSION_COOKIE in environ.get("HTTP_COOKIE", ""):
        return None
    query = environ.get("QUERY_STRING", "")
    if "lang=" in query:  # the reply sets the language cookie
        return None
    return (environ.get("PATH_INFO", ""), query, *(str(environ.get(k, "")) for k in _INPUTS))


class KeptReplies:
    """WSGI middleware replaying the replies of kept pages (see the module docstring).

    Args:
        app: the WSGI app (Flask's ``wsgi_app``).
        version: the live data version (called per request).
    """

    def __init__(self, app: Callable[[dict[str, Any], StartResponse], Iterable[bytes]],
                 version: Callable[[], str]) -> None:
        self.app = app
        self.version = version
        self._records: OrderedDict[Key, Record] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()
        self.hits = 0

    def __call__(self, environ: dict[str, Any], start_response: StartResponse
                 ) -> Iterable[bytes]:
        key = request_key(environ)
        if key is not None:
            with self._lock:
                record = self._records.get(key)
                if record is not None:
                    self._records.move_to_end(key)
            if record is not None:
                if record[0] == self.version() and record[1]():
                    self.hits += 1
                    start_response(record[2], list(record[3]))
                    return [record[4]]
                self._drop(key)
        sent: list[tuple[str, list[tuple[str, str]]]] = []

        def capture(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
            sent.append((status, headers))
            return start_response(status, headers, exc_info)

        result = self.app(environ, capture)
        kept = environ.get(KEPT_FLAG)
        if key is None or kept is None or not sent:
            return result
        status, headers = sent[-1]
        if status[:3] not in ("200", "304") or any(k.lower() == "set-cookie" for k, _ in headers):
            return result
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        self._keep(key, (str(kept[0]), kept[1], status, list(headers), body))
        return [body]

    def _keep(self, key: Key, record: Record) -> None:
        size = len(record[4])
        if size > MAX_BYTES // 16:
            return
        with self._lock:
            old = self._records.pop(key, None)
            if old is not None:
                self._bytes -= len(old[4])
            self._records[key] = record
            self._bytes += size
            while len(self._records) > MAX_RECORDS or self._bytes > MAX_BYTES:
                _, dropped = self._records.popitem(last=False)
                self._bytes -= len(dropped[4])

    def _drop(self, key: Key) -> None:
        with self._lock:
            old = self._records.pop(key, None)
            if old is not None:
                self._bytes -= len(old[4])

    def clear(self) -> None:
        """Forget every record."""
        with self._lock:
            self._records.clear()
            self._bytes = 0
