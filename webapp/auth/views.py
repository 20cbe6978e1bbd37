"""Sign-in, sign-out, one's own account, and (for admins) everyone's accounts."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, flash, redirect, render_template, request, session, url_for
from flask_limiter.errors import RateLimitExceeded

from kg.edit.accounts import AccountError
from kg.edit.service import ROLES
from webapp.auth import accounts, current_actor, limiter, require, safe_next
from webapp.i18n import current_lang, t

__all__ = ["bp"]

bp = Blueprint("auth", __name__)
LOGIN_LIMIT = "10 per minute;40 per hour"


def _login_form(error: str = "", status: int = 200) -> Response:
    html = render_template("auth/login.html", error=error, nasta=safe_next(request.values.get("nasta")),
                           username=request.form.get("anvandare", ""))
    return Response(html, status=status, mimetype="text/html")


@bp.get("/logga-in")
def login() -> Any:
    """The sign-in form."""
    return _login_form()


@bp.post("/logga-in")
@limiter.limit(LOGIN_LIMIT, methods=["POST"], deduct_when=lambda response: response.status_code == 401)
def login_post() -> Any:
    """Check the name and password; start a session."""
    account = accounts().verify(request.form.get("anvandare", ""), request.form.get("losenord", ""))
    if account is None:
        return _login_form(t("auth.failed"), 401)
    session.clear()
    session.permanent = True
    session["uid"] = account.username
    session["stamp"] = account.hash[-16:]
    return redirect(safe_next(request.form.get("nasta")))


@bp.errorhandler(RateLimitExceeded)
def _limited(_exc: RateLimitExceeded) -> Response:
    response = _login_form(t("auth.limited"), 429)
    response.headers["Retry-After"] = "60"
    return response


@bp.post("/logga-ut")
def logout() -> Any:
    """End the session."""
    session.clear()
    return redirect(url_for("home.index") if "home.index" in _endpoints() else "/")


def _endpoints() -> set[str]:
    from flask import current_app

    return {r.endpoint for r in current_app.url_map.iter_rules()}


@bp.route("/konto", methods=["GET", "POST"])
@require("redaktör")
def account() -> Any:
    """Change one's password."""
    actor = current_actor()
    assert actor is not None
    error = ""
    if request.method == "POST":
        if accounts().verify(actor.username, request.form.get("nuvarande", "")) is None:
            error = t("auth.failed")
        else:
            try:
                changed = accounts().set_password(actor.username, request.form.get("nytt", ""))
                session["stamp"] = changed.hash[-16:]
                flash(t("auth.password_changed"))
                return redirect(url_for("auth.account"))
            except AccountError as exc:
                error = exc.text(current_lang())
    return render_template("auth/account.html", error=error, actor=actor)


@bp.route("/admin/konton", methods=["GET", "POST"])
@require("admin")
def users() -> Any:
    """Every account; add one, change a role, switch one off or on."""
    error = ""
    if request.method == "POST":
        acc = accounts()
        action = request.form.get("atgard", "")
        name = request.form.get("anvandare", "")
        try:
            if action == "ny":
                acc.add(name, request.form.get("namn", ""), request.form.get("roll", ""),
                        request.form.get("losenord", ""))
            elif action == "roll":
                acc.set_role(name, request.form.get("roll", ""))
            elif action in ("av", "pa"):
                actor = current_actor()
                if actor is not None and actor.username == name:
                    raise AccountError.of("auth.err.own_account")
                acc.set_active(name, action == "pa")
            return redirect(url_for("auth.users"))
        except AccountError as exc:
            error = exc.text(current_lang())
    return render_template("auth/users.html", accounts=accounts().all(), roles=ROLES, error=error)
