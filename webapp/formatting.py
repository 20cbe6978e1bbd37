"""Swedish (and English) formatting of numbers, amounts and dates, as Jinja filters.

>>> thousands(3000000)
'3\\u202f000\\u202f000'
>>> amount(3000000)
'3\\u202f000\\u202f000 kr'
>>> amount("1250000.50", lang="en")
'SEK 1,250,000.50'
>>> date_text("2019-09-30")
'30 september 2019'
>>> date_text("2019-09", lang="en")
'September 2019'
>>> date_text("2018")
'2018'
>>> period("2014", "2020")
'2014–2020'
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

from flask import Flask

from webapp.i18n import current_lang

__all__ = ["amount", "date_text", "number", "period", "register", "thousands", "value_text"]

NNBSP = "\u202f"
XSD = "http://www.w3.org/2001/XMLSchema#"
_MONTHS = {
    "sv": ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti",
           "september", "oktober", "november", "december"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December"),
}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_NUMERIC = {f"{XSD}{n}" for n in ("integer", "decimal", "int", "long", "double", "float",
                                  "nonNegativeInteger", "positiveInteger", "short")}
_DATES = {f"{XSD}{n}" for n in ("date", "gYearMonth", "gYear", "dateTime")}


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def number(value: Any, lang: str | None = None) -> str:
    """A number with thousands grouped (narrow no-break space and decimal comma in Swedish)."""
    d = _decimal(value)
    if d is None:
        return str(value)
    lang = lang or current_lang()
    whole = d == d.to_integral_value()
    text = f"{int(d):,}" if whole else f"{d:,.2f}"
    if lang == "en":
        return text
    return text.replace(",", NNBSP).replace(".", ",")


def thousands(value: Any) -> str:
    """An integer with Swedish thousands grouping (the filter ``|thousands``)."""
    return number(value, "sv")


def amount(value: Any, currency: str = "SEK", lang: str | None = None) -> str:
    """An amount of money: "3 000 000 kr" in Swedish, "SEK 3,000,000" in English."""
    lang = lang or current_lang()
    text = number(value, lang)
    if currency.upper() == "SEK":
        return f"SEK {text}" if lang == "en" else f"{text} kr"
    return f"{text} {currency}"


def date_text(value: Any, lang: str | None = None) -> str:
    """A date as words: "30 september 2019", "september 2019", or the year as is."""
    text = str(value)
    m = _DATE.match(text)
    if not m:
        return text
    year, month, day = m.group(1), m.group(2), m.group(3)
    months = _MONTHS["en" if (lang or current_lang()) == "en" else "sv"]
    if month and 1 <= int(month) <= 12:
        name = months[int(month) - 1]
        if day:
            return f"{int(day)} {name} {year}"
        return f"{name} {year}"
    return year


def period(start: Any, end: Any, lang: str | None = None) -> str:
    """A period "start–end"; either end may be missing."""
    a = date_text(start, lang) if start else ""
    b = date_text(end, lang) if end else ""
    if a and b:
        return a if a == b else f"{a}–{b}"
    if a:
        return f"{a}–"
    return f"–{b}" if b else ""


def value_text(value: Any, datatype: str | None = None, lang: str | None = None) -> str:
    """Any literal for display, by its datatype (numbers grouped, dates in words)."""
    if datatype in _NUMERIC:
        return number(value, lang)
    if datatype in _DATES:
        return date_text(value, lang)
    if datatype == f"{XSD}boolean":
        yes = str(value).lower() in ("true", "1")
        return ("ja" if yes else "nej") if (lang or current_lang()) == "sv" else str(yes).lower()
    return str(value)


def register(app: Flask) -> None:
    """Install the filters ``thousands``, ``number``, ``amount``, ``date``, ``period``,
    ``value``."""
    app.jinja_env.filters.update(
        thousands=thousands,
        number=number,
        amount=amount,
        date=date_text,
        period=period,
        value=value_text,
    )
