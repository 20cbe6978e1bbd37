"""Numbers, amounts and dates as Jinja filters, in the page's language (Babel, through
:mod:`kg.i18n.formats`).

>>> thousands(3000000)
'3\\xa0000\\xa0000'
>>> amount(3000000, lang="sv")
'3\\xa0000\\xa0000 kr'
>>> amount("1250000.50", lang="en")
'SEK\\xa01,250,000.5'
>>> date_text("2019-09-30", lang="sv")
'30 september 2019'
>>> date_text("2019-09", lang="en")
'September 2019'
>>> period("2014", "2020", lang="sv")
'2014–2020'
"""

from __future__ import annotations

from typing import Any

from flask import Flask

from kg.i18n import formats, translate
from webapp.i18n import current_lang

__all__ = ["amount", "date_text", "number", "period", "register", "thousands", "value_text"]

XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {f"{XSD}{n}" for n in ("integer", "decimal", "int", "long", "double", "float",
                                  "nonNegativeInteger", "positiveInteger", "short")}
_DATES = {f"{XSD}{n}" for n in ("date", "gYearMonth", "gYear", "gMonthDay", "dateTime")}


def number(value: Any, lang: str | None = None) -> str:
    """A number with the language's grouping and decimal sign."""
    return formats.number(value, lang or current_lang())


def thousands(value: Any) -> str:
    """An integer with Swedish thousands grouping (the filter ``|thousands``)."""
    return formats.number(value, "sv")


def amount(value: Any, currency: str = "SEK", lang: str | None = None) -> str:
    """An amount of money: "3 000 000 kr" in Swedish, "SEK 3,000,000" in English."""
    return formats.amount(value, currency, lang or current_lang())


def date_text(value: Any, lang: str | None = None) -> str:
    """A date as words: "30 september 2019", "september 2019", or the year as is."""
    return formats.date_text(value, lang or current_lang())


def period(start: Any, end: Any, lang: str | None = None) -> str:
    """A period "start–end"; either end may be missing."""
    return formats.period(start, end, lang or current_lang())


def value_text(value: Any, datatype: str | None = None, lang: str | None = None) -> str:
    """Any literal for display, by its datatype (numbers grouped, dates in words)."""
    lang = lang or current_lang()
    if datatype in _NUMERIC:
        return number(value, lang)
    if datatype in _DATES:
        return date_text(value, lang)
    if datatype == f"{XSD}boolean":
        yes = str(value).lower() in ("true", "1")
        return translate("value.yes" if yes else "value.no", lang)
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
