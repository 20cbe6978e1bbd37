"""Accounts in the web app: sign-in, roles, CSRF, and the signed session cookie.

:func:`register` installs, on one app:

- the signing key of Flask's session cookie (read from ``secret_key_file``, made with 0600
  permissions on first use), cookies ``HttpOnly`` and ``SameSite=Lax``, 12 hours;
- CSRF protection (Flask-WTF) on every POST except the public read-only ``/sparql``;
- a rate limit on failed sign-in attempts (Flask-Limiter, per address);
- :func:`current_actor` and the template global ``user`` (``None`` for anonymous visitors:
  they see no editing controls), and responses to signed-in users marked private.

Views guard themselves with :func:`require`: no session gives 401 (a GET page redirects to
the sign-in page instead), a too weak role 403.
"""

from __future__ import annotations

import functools
import os
import secrets
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

from flask import Flask, Response, abort, current_app, g, redirect, request, session, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf.csrf import CSRFError, CSRFProtect

from kg.config import Settings
from kg.edit.accounts import Accounts
from kg.edit.service import ROLES, Actor
from webapp.i18n import t

__all__ = ["accounts", "current_actor", "limiter", "register", "require", "safe_next"]

F = TypeVar("F", bound=Callable[..., Any])
#: Blueprints that take POSTs from the public (reads, never writes): no CSRF token asked.
PUBLIC_POST = {"sparql"}
def _limit_key() -> str:
    """Failed sign-ins are counted per address and installation (its accounts file)."""
    return f"{current_app.config['KG_SETTINGS'].accounts_file}|{get_remote_address()}"


limiter = Limiter(key_func=_limit_key, storage_uri="memory://", default_limits=[])
_csrf = CSRFProtect()


def _secret(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        key = secrets.token_bytes(32)
        tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "wb") as fh:
            fh.write(key)
            fh.flush()
            os.fsync(fh.fileno())
        try:
            os.link(tmp, path)  # never replaces a key another process wrote meanwhile
        except FileExistsError:
            pass
        finally:
            tmp.unlink()
        return path.read_bytes()


def accounts() -> Accounts:
    acc: Accounts = current_app.extensions["kg_accounts"]
    return acc


def current_actor() -> Actor | None:
    """The signed-in editor of this request, or None (checked against the accounts file on
    every request, so a disabled account or a changed password ends its sessions)."""
    if "actor" not in g:
        actor = None
        name = session.get("uid")
        if isinstance(name, str):
            account = accounts().get(name)
            if account is not None and session.get("stamp") == account.hash[-16:]:
                actor = account.actor
        g.actor = actor
    result: Actor | None = g.actor
    return result


def require(role: str = "redaktör") -> Callable[[F], F]:
    """Guard a view: signed in, with at least ``role`` (redaktör < granskare < admin)."""
    need = ROLES.index(role)

    def wrap(view: F) -> F:
        @functools.wraps(view)
        def guarded(*args: Any, **kwargs: Any) -> Any:
            actor = current_actor()
            if actor is None:
                if request.method in ("GET", "HEAD"):
                    return redirect(url_for("auth.login", nasta=request.full_path.rstrip("?")))
                abort(401, t("auth.err.sign_in"))
            if ROLES.index(actor.role) < need:
                abort(403, t("auth.err.role_needed", role=role))
            return view(*args, **kwargs)

        return guarded  # type: ignore[return-value]

    return wrap


def safe_next(target: str | None) -> str:
    """A local path to go to after signing in (never another site)."""
    if not target:
        return "/"
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return "/"
    return target


def register(app: Flask, settings: Settings) -> None:
    """Install accounts, sessions, CSRF and the sign-in rate limit on ``app``."""
    from datetime import timedelta

    from webapp.auth import views

    app.secret_key = _secret(settings.secret_key_file)
    app.config.update(SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_NAME="kg_session", PERMANENT_SESSION_LIFETIME=timedelta(hours=12),
                      WTF_CSRF_CHECK_DEFAULT=False, WTF_CSRF_TIME_LIMIT=12 * 3600)
    app.extensions["kg_accounts"] = Accounts(settings.accounts_file)
    _csrf.init_app(app)
    limiter.init_app(app)
    app.register_blueprint(views.bp)

    @app.before_request
    def _csrf_on_posts() -> None:
        if request.routing_exception is not None:  # no view will run: let Flask answer 404/405
            return
        if request.method not in ("GET", "HEAD", "OPTIONS") and request.blueprint not in PUBLIC_POST:
            if request.endpoint != "auth.login_post" and current_actor() is None:
                abort(401, t("auth.err.sign_in"))  # before the token: no session, no write
            _csrf.protect()

    @app.errorhandler(CSRFError)
    def _csrf_error(exc: CSRFError) -> Any:
        from flask import render_template

        from webapp.i18n import t

        html = render_template("errors/error.html", status=400, title=t("auth.csrf_title"),
                               message=t("auth.csrf"))
        return Response(html, status=400, mimetype="text/html")

    @app.after_request
    def _private(response: Response) -> Response:
        if g.get("actor") is not None or session.get("uid"):
            response.headers["Cache-Control"] = "private, no-store"
        response.vary.add("Cookie")
        return response

    @app.context_processor
    def _user() -> dict[str, Any]:
        return {"user": current_actor()}
