"""Pages as functions of the data version: rendered once, answered with 304 when unchanged.

The public pages (entities, lists, search, analytics, graph views, the query library, the
ontology) depend only on the data version, the language, the URL (page number, filters),
the host and the representation asked for (what ``Accept`` decides, :func:`representation`:
not the raw header, which differs between browsers). :func:`register` wraps those views so
that, for anonymous ``GET``/``HEAD`` requests:

* every reply carries ``ETag`` (a hash of exactly those inputs, the same on every app server
  of one store) and ``Last-Modified`` (when the data version went live), with
  ``Cache-Control: public, no-cache`` (a cache may keep it, and asks before reusing it);
* a conditional request whose ``If-None-Match`` (or ``If-Modified-Since``) still holds gets
  ``304 Not Modified`` before the page is built;
* a reply is rendered once per data version: :data:`PAGES`, a
  :class:`kg.cache.VersionCache` of its own (so pages never push analytics or the search
  index out of :data:`kg.cache.CACHE`), keeps the bytes, single-flight, so fifty clients
  asking for the same new page cause one rendering.

Signed-in editors (whose pages carry editing controls and are ``private``), requests that
choose a language with ``?lang=`` (the reply sets a cookie), errors and large replies
(dumps) are passed through untouched, and so is a page built while a value of the new
version was still being computed (it showed the previous version's, see
:func:`kg.cache.watch_stale`).
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from typing import Any

from flask import Flask, Response, current_app, request, session
from werkzeug.datastructures import Headers

from kg.cache import VersionCache, watch_stale
from kg.store.base import Store
from webapp.i18n import current_lang
from webapp.keptreplies import KEPT_FLAG, KeptReplies
from webapp.negotiation import ENTITY_OFFERS, PAGE_OFFERS, NotAcceptableError, negotiate, wants_json
from webapp.state import get_store

__all__ = ["CACHED_BLUEPRINTS", "MAX_BODY", "PAGES", "etag_for", "register", "representation"]

log = logging.getLogger(__name__)

#: Blueprints whose GET pages are functions of (data version, language, URL, Accept).
CACHED_BLUEPRINTS = frozenset({"entity", "home", "analytics", "graph", "ontology", "queries",
                               "search"})
#: Endpoints of other blueprints that are such functions too.
CACHED_ENDPOINTS = frozenset({"downloads.dataset", "downloads.index"})
#: Endpoints with validators of their own (files from installed packages).
EXCLUDED_ENDPOINTS = frozenset({"graph.vendor"})
#: Replies larger than this are sent as they are, never kept (hub pages of huge graphs).
MAX_BODY = 1 << 20
#: Rendered pages of the process (each key keeps only its newest version).
PAGES = VersionCache(max_entries=2048)
#: Headers a kept reply carries again (the rest are added per request by the app's hooks).
_KEPT = ("Content-Type", "Content-Location", "Link", "Vary", "Content-Disposition",
         "X-Content-Type-Options", "Access-Control-Allow-Origin")

_first_seen: dict[str, float] = {}
_seen_lock = threading.Lock()


def _live_since(store: Store, version: str) -> float:
    """When ``version`` went live: the version folder's time on disk, else first seen."""
    with _seen_lock:
        found = _first_seen.get(version)
        if found is not None:
            return found
        path = getattr(store, "path", None)
        stamp = time.time()
        if path is not None:
            with contextlib.suppress(OSError):
                stamp = os.stat(path).st_mtime
        if len(_first_seen) > 64:
            _first_seen.clear()
        _first_seen[version] = stamp
        return stamp


def etag_for(version: str, lang: str, *parts: str) -> str:
    """The strong validator of a page.

    >>> etag_for("v1", "sv", "/id/x") == etag_for("v1", "sv", "/id/x")
    True
    >>> etag_for("v1", "sv", "/id/x") != etag_for("v2", "sv", "/id/x")
    True
    """
    blob = "\x1f".join((version, lang, *parts)).encode("utf-8", "surrogatepass")
    return '"' + hashlib.blake2b(blob, digest_size=12).hexdigest() + '"'


def _cacheable() -> bool:
    if not current_app.config.get("KG_PAGE_CACHE", True):  # off: measuring renderings
        return False
    if request.method not in ("GET", "HEAD") or "lang" in request.args:
        return False
    # signed-in editors see editing controls; their replies are private
    return not (request.cookies.get(current_app.config.get("SESSION_COOKIE_NAME", ""))
                and session.get("uid"))


def representation() -> str:
    """What the request's ``Accept`` header decides, as the views decide it: the offer
    :func:`webapp.negotiation.negotiate` picks for entity pages and for ordinary pages,
    and :func:`webapp.negotiation.wants_json`. Two browsers' different ``Accept`` headers
    for HTML give the same key (so pages warmed by the app reach them), while HTML, JSON,
    Turtle and the rest never share one. CSV and Excel are chosen by the path, which is in
    the key as well.
    """
    chosen = []
    for offers in (ENTITY_OFFERS, PAGE_OFFERS):
        try:
            chosen.append(negotiate(offers).key)
        except NotAcceptableError:
            chosen.append("-")
    chosen.append("json" if wants_json() else "html")
    return " ".join(chosen)


def _matches(etag: str, modified: float) -> bool:
    """Whether the client's copy is still the current one (RFC 9110, 13.1)."""
    inm = request.headers.get("If-None-Match")
    if inm is not None:
        # a compressed reply's tag carries the coding (Flask-Compress): "abc:br"
        tags = {re.sub(r':[a-z-]+"$', '"', t.strip().removeprefix("W/")) for t in inm.split(",")}
        return "*" in tags or etag in tags
    ims = request.headers.get("If-Modified-Since")
    if ims:
        try:
            return int(modified) <= parsedate_to_datetime(ims).timestamp()
        except (TypeError, ValueError, IndexError, OverflowError):
            return False
    return False


def _validators(response: Response, etag: str, modified: float) -> Response:
    response.headers["ETag"] = etag
    response.headers["Last-Modified"] = formatdate(modified, usegmt=True)
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def _freeze(response: Response) -> tuple[int, bytes, list[tuple[str, str]]] | None:
    if (response.status_code != 200 or response.direct_passthrough or response.is_streamed
            or "Content-Encoding" in response.headers  # chosen per client
            or "ETag" in response.headers):  # the view has validators of its own
        return None
    body = response.get_data()
    if len(body) > MAX_BODY:
        return None
    return 200, body, [(k, v) for k, v in response.headers.items() if k in _KEPT]


def _always() -> bool:
    return True


def _wrap(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)
    def cached_view(*args: Any, **kwargs: Any) -> Any:
        if not _cacheable():
            return view(*args, **kwargs)
        store = get_store()
        version = store.data_version()
        lang = current_lang()
        parts = (request.host, request.full_path, representation())
        etag = etag_for(version, lang, *parts)
        modified = _live_since(store, version)
        if _matches(etag, modified):
            request.environ[KEPT_FLAG] = (version, _always)
            return _validators(Response(status=304), etag, modified)
        too_big: list[Response] = []

        def render() -> tuple[int, bytes, list[tuple[str, str]]] | None:
            with watch_stale() as watch:
                response = current_app.make_response(view(*args, **kwargs))
            # a page built from a previous version's values (analytics still being
            # computed) is not this version's page: sent, but neither kept nor validated
            frozen = None if watch.stale else _freeze(response)
            if frozen is None:
                too_big.append(response)
            return frozen

        frozen = PAGES.get("page", version, render, lineage=store.lineage,
                           params=[lang, *parts])
        if frozen is None:  # not kept: errors other than exceptions, large replies
            PAGES.forget("page", lineage=store.lineage, params=[lang, *parts])
            response = too_big[0] if too_big else current_app.make_response(view(*args, **kwargs))
            return response
        status, body, headers = frozen
        lineage, params = store.lineage, [lang, *parts]
        request.environ[KEPT_FLAG] = (version, lambda: PAGES.peek(
            "page", version, lineage=lineage, params=params) is frozen)
        response = Response(body, status=status, headers=Headers(headers))
        return _validators(response, etag, modified)

    return cached_view


def register(app: Flask) -> None:
    """Wrap the cacheable views of ``app`` (call after every blueprint is registered), and
    put :class:`webapp.keptreplies.KeptReplies` around the app: the final replies of kept
    pages are replayed without entering Flask (``app.extensions["kg_kept_replies"]``)."""
    for endpoint, view in list(app.view_functions.items()):
        blueprint = endpoint.partition(".")[0]
        if endpoint in EXCLUDED_ENDPOINTS:
            continue
        if blueprint in CACHED_BLUEPRINTS or endpoint in CACHED_ENDPOINTS:
            app.view_functions[endpoint] = _wrap(view)
    handle = app.extensions["kg_store"]
    kept = KeptReplies(app.wsgi_app, lambda: handle.current().data_version())
    app.extensions["kg_kept_replies"] = kept
    app.wsgi_app = kept  # type: ignore[method-assign]
