"""One place that turns errors into replies: an HTML page, or JSON for JSON clients.

:class:`kg.errors.KgError` subclasses become 400/404/406/503 with the reason; an unknown
entity gets suggestions from the search index; HTTP errors keep their status. Anything
else is logged and answered with a friendly page: a bug must never show a traceback.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from flask import Flask, Response, current_app, g, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from kg.errors import (
    KgError,
    NotFoundError,
    NotReadyError,
    QueryTimeoutError,
    StoreError,
    UnsupportedFormatError,
)
from webapp.i18n import current_lang, t
from webapp.negotiation import NotAcceptableError, wants_json

__all__ = ["register", "status_for", "suggestions_for"]

log = logging.getLogger(__name__)
MAX_SUGGESTIONS = 6


def status_for(exc: KgError) -> int:
    """The HTTP status of a package error.

    >>> status_for(NotFoundError("x")), status_for(KgError("x"))
    (404, 400)
    """
    if isinstance(exc, NotFoundError):
        return 404
    if isinstance(exc, UnsupportedFormatError):
        return 406
    if isinstance(exc, QueryTimeoutError | StoreError):
        return 503
    return 400


def suggestions_for(path: str, limit: int = MAX_SUGGESTIONS) -> list[dict[str, str]]:
    """Entities whose names resemble the last segment of ``path`` (for 404 pages).

    Returns ``{iri, url, label, kind}`` dicts; empty when nothing resembles it.
    """
    from kg.query.search import index_for
    from webapp.state import get_store
    from webapp.urls import get_urls

    segment = path.rstrip("/").rsplit("/", 1)[-1].rpartition(".")[0] or path.rsplit("/", 1)[-1]
    words = " ".join(re.split(r"[-_+.\s]+", segment))[:100].strip()
    if not words:
        return []
    try:
        index = index_for(get_store())
    except KgError:
        log.warning("no search index for suggestions", exc_info=True)
        return []
    hits = index.search(words, limit=limit)
    longest = max(words.split(), key=len)
    # forgive a typo at the end: the longest word, then ever shorter prefixes of it
    for n in range(len(longest), max(3, len(longest) - 4), -1):
        if hits:
            break
        hits = index.search(longest[:n], limit=limit)
    urls = get_urls()
    return [
        {"iri": h.iri, "url": urls.entity(h.iri), "label": h.label(), "kind": h.kind}
        for h in hits[:limit]
    ]


def _reply(status: int, message: str, *, headers: dict[str, str] | None = None,
           **extra: Any) -> Response:
    from webapp.sparql_protocol import error_response, is_protocol_path

    if is_protocol_path(current_app, request.path):  # protocol clients get plain text + CORS
        return error_response(status, message, headers)
    key = f"error.{status}"
    title = t(key) if t(key) != key else t("error.title")
    g.kg_no_echo = True  # the page's links do not repeat the request's parameters
    if wants_json():
        body = {"error": {"status": status, "title": title, "message": message, **extra}}
        response = jsonify(body)
    else:
        try:
            html = render_template("errors/error.html", status=status, title=title,
                                   message=message, **extra)
        except Exception:  # the page itself failed (e.g. the store is down): plain text
            log.exception("error page could not be rendered")
            html = f"{status} {title}"
        response = Response(html, mimetype="text/html")
    response.status_code = status
    for name, value in (headers or {}).items():
        response.headers[name] = value
    response.vary.add("Accept")
    return response


def _kg_error(exc: KgError) -> Response:
    status = status_for(exc)
    extra: dict[str, Any] = {}
    if isinstance(exc, NotAcceptableError):
        extra["offered"] = exc.offered
    if status == 404:
        extra["suggestions"] = suggestions_for(request.path)
    headers = None
    if isinstance(exc, NotReadyError):  # a new data version being processed: come back
        headers = {"Retry-After": str(exc.retry_after)}
    elif status >= 500:
        log.warning("%s on %s: %s", type(exc).__name__, request.path, exc)
    return _reply(status, exc.text(current_lang()), headers=headers, **extra)


def _http_error(exc: HTTPException) -> Response:
    status = exc.code or 500
    extra: dict[str, Any] = {}
    if status == 404:
        extra["suggestions"] = suggestions_for(request.path)
    headers = {k: v for k, v in exc.get_headers() if k.lower() in ("allow", "retry-after")}
    key = f"error.{status}.message"  # werkzeug's descriptions are English only
    message = t(key) if t(key) != key else (exc.description or "")
    return _reply(status, message, headers=headers, **extra)


def _unexpected(exc: Exception) -> Response:
    if isinstance(exc, HTTPException):
        return _http_error(exc)
    log.exception("unhandled error on %s %s", request.method, request.path)
    return _reply(500, t("error.logged"))


def register(app: Flask) -> None:
    """Install the handlers on ``app``."""
    app.register_error_handler(KgError, _kg_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected)
