"""UI language: the chosen language, its strings (from the one catalogue, :mod:`kg.i18n`)
and labels from the data.

The language comes from ``?lang=`` (remembered in a cookie), then the cookie, then Swedish.
Templates get ``t('key')`` and ``lang``; views call :func:`t` and :func:`pick` the same way.

>>> STRINGS["sv"]["nav.search"], STRINGS["en"]["nav.search"]
('Sök', 'Search')
>>> pick({"en": ["Sollefteå Municipality"], "sv": ["Sollefteå kommun"]}, "sv")
'Sollefteå kommun'
>>> pick({"de": ["Gemeinde"]}, "sv")
'Gemeinde'
>>> pick({}, "sv", "https://data.kfvn.se/id/organisation/solleftea-kommun")
'solleftea-kommun'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask import Flask, Response, g, has_request_context, request

from kg.i18n import DEFAULT_LANG, LANGS, catalogue, translate
from kg.query.labels import local_name, pick_label

__all__ = ["COOKIE", "DEFAULT_LANG", "LANGS", "STRINGS", "current_lang", "local_name", "pick",
           "register", "t"]

COOKIE = "lang"
_COOKIE_AGE = 365 * 24 * 3600

#: The catalogue (kg/i18n/catalogue/*.toml): language → key → text.
STRINGS: dict[str, dict[str, str]] = catalogue()


def _choose_lang() -> str:
    asked = request.args.get("lang", "")
    if asked in LANGS:
        return asked
    saved = request.cookies.get(COOKIE, "")
    return saved if saved in LANGS else DEFAULT_LANG


def current_lang() -> str:
    """The language of the current request (Swedish outside a request)."""
    if not has_request_context():
        return DEFAULT_LANG
    if "lang" not in g:
        g.lang = _choose_lang()
    lang: str = g.lang
    return lang


def t(key: str, **values: Any) -> str:
    """The UI string ``key`` in the current language, with ``{name}`` fields filled in.

    An unknown key comes back as itself, so a missing string shows, never breaks a page.
    """
    return translate(key, current_lang(), **values)


def pick(labels: Mapping[str, Sequence[str]], lang: str | None = None, iri: str = "") -> str:
    """One label in ``lang`` (default: the current language), falling back to Swedish,
    English, any language, then the IRI's local name (see :func:`kg.query.labels.pick_label`).
    """
    return pick_label(labels, lang or current_lang(), iri)


def _remember_lang(response: Response) -> Response:
    asked = request.args.get("lang", "")
    if asked in LANGS and request.cookies.get(COOKIE) != asked:
        response.set_cookie(COOKIE, asked, max_age=_COOKIE_AGE, samesite="Lax", httponly=True,
                            secure=request.is_secure)
    response.vary.add("Cookie")  # the language (labels, UI strings) may come from the cookie
    return response


def register(app: Flask) -> None:
    """Install the language choice, the cookie and the Jinja globals ``t`` and ``lang``."""
    app.after_request(_remember_lang)
    app.jinja_env.globals["t"] = t

    @app.context_processor
    def _lang_context() -> dict[str, Any]:
        return {"lang": current_lang(), "langs": LANGS}
