"""What every reply carries, and what no request may exceed.

* **Headers on every reply:** ``X-Content-Type-Options: nosniff`` and a ``Referrer-Policy``;
  on HTML pages also a ``Content-Security-Policy`` that allows scripts only from our own
  files (no inline script, no ``eval``), no plugins, no framing by other sites
  (``frame-ancestors 'self'``, and ``X-Frame-Options`` for old browsers). Styles may be
  inline: the charts and the municipality matrix colour cells with ``style`` attributes.
* **Bounded requests:** a URL (path and query string) longer than ``max_url_bytes`` is
  refused with 414 before any view runs; a body larger than ``max_request_bytes`` with 413
  (Flask's ``MAX_CONTENT_LENGTH``). A view marked with :func:`large_body` (the document
  upload of the review page, for signed-in editors) may take up to its own limit; ``kg
  serve`` gives waitress the larger of the two.
* **Behind reverse proxies:** with ``proxy_hops`` > 0 the client address, scheme and host
  come from the ``X-Forwarded-*`` headers those proxies set (werkzeug's ``ProxyFix``), so
  per-client limits see real clients and cookies get ``Secure`` over HTTPS.

>>> CSP.split("; ")[1]
"script-src 'self'"
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from flask import Flask, Response, abort, current_app, request
from flask.sessions import SecureCookieSessionInterface
from werkzeug.middleware.proxy_fix import ProxyFix

from kg.config import Settings
from kg.ingest.extract import MAX_BYTES

__all__ = ["CSP", "UPLOAD_BYTES", "large_body", "register"]

#: Largest body of a document upload: the largest document ingest reads, plus the form.
UPLOAD_BYTES = MAX_BYTES + 1024 * 1024
_View = TypeVar("_View", bound=Callable[..., object])


def large_body(limit: int) -> Callable[[_View], _View]:
    """Let one view take a body of up to ``limit`` bytes (put it under ``@bp.post``)."""
    def mark(view: _View) -> _View:
        view.kg_max_body = limit  # type: ignore[attr-defined]
        return view
    return mark

CSP = "; ".join((
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "connect-src 'self'",
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'self'",
))
ALWAYS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}
HTML_ONLY = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "SAMEORIGIN",
}


class _SessionCookies(SecureCookieSessionInterface):
    """Flask's signed session cookie, marked ``Secure`` whenever the request came over HTTPS
    (directly, or through a trusted proxy: ``proxy_hops``)."""

    def get_cookie_secure(self, app: Flask) -> bool:
        return bool(app.config["SESSION_COOKIE_SECURE"]) or request.is_secure


def _headers(response: Response) -> Response:
    for name, value in ALWAYS.items():
        response.headers.setdefault(name, value)
    if response.mimetype in ("text/html", "application/xhtml+xml"):
        for name, value in HTML_ONLY.items():
            response.headers.setdefault(name, value)
    return response


def register(app: Flask, settings: Settings) -> None:
    """Install the limits, the headers and (with ``proxy_hops``) the proxy fix."""
    app.config["MAX_CONTENT_LENGTH"] = settings.max_request_bytes
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    app.session_interface = _SessionCookies()
    if settings.proxy_hops > 0:
        hops = settings.proxy_hops
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops,  # type: ignore[method-assign]
                                x_host=hops, x_port=hops)
    limit = settings.max_url_bytes

    @app.before_request
    def _url_limit() -> None:
        environ = request.environ
        size = len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", ""))
        if size > limit:
            abort(414, description=f"the URL is longer than {limit} bytes")
        view = current_app.view_functions.get(request.endpoint or "")
        body = getattr(view, "kg_max_body", None)
        if body is not None:
            request.max_content_length = body

    app.after_request(_headers)
