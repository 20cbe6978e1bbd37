"""Reading query parameters strictly: a bad value is a 400 with the reason, never a 500.

>>> from flask import Flask
>>> with Flask(__name__).test_request_context("/?sida=2&typ=projekt"):
...     page_param(), choice_param("typ", ("projekt", "person"))
(2, 'projekt')
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection

from flask import request

from kg.errors import KgError

__all__ = ["MAX_PAGE", "MAX_TEXT", "BadParameterError", "choice_param", "page_param",
           "text_param", "year_param"]

MAX_TEXT = 200
MAX_PAGE = 10_000


class BadParameterError(KgError):
    """A query parameter has a value we cannot use (answered with 400)."""


def text_param(name: str, max_len: int = MAX_TEXT) -> str:
    """A free-text parameter, trimmed, without control characters; "" when absent.

    Raises:
        BadParameterError: longer than ``max_len`` characters.
    """
    raw = request.args.get(name, "")
    if len(raw) > max_len:
        raise BadParameterError.of("error.param.too_long", name=name, most=max_len)
    cleaned = "".join(c for c in raw if unicodedata.category(c)[0] != "C" or c in "\t")
    return " ".join(cleaned.split())


def page_param(name: str = "sida") -> int:
    """A 1-based page number; 1 when absent.

    Raises:
        BadParameterError: not a whole number between 1 and :data:`MAX_PAGE`.
    """
    raw = request.args.get(name, "").strip()
    if not raw:
        return 1
    if not raw.isascii() or not raw.isdigit() or not 1 <= int(raw) <= MAX_PAGE:
        raise BadParameterError.of("error.param.page", name=name, most=MAX_PAGE)
    return int(raw)


def choice_param(name: str, choices: Collection[str]) -> str:
    """One of ``choices``; "" when absent.

    Raises:
        BadParameterError: any other value.
    """
    raw = request.args.get(name, "").strip()
    if raw and raw not in choices:
        allowed = ", ".join(sorted(choices))
        raise BadParameterError.of("error.param.choice", name=name, allowed=allowed)
    return raw


def year_param(name: str = "ar") -> int | None:
    """A four-digit year; ``None`` when absent.

    Raises:
        BadParameterError: not a year between 1000 and 2999.
    """
    raw = request.args.get(name, "").strip()
    if not raw:
        return None
    if not (len(raw) == 4 and raw.isascii() and raw.isdigit() and 1000 <= int(raw) <= 2999):
        raise BadParameterError.of("error.param.year", name=name)
    return int(raw)
