"""Numbers, amounts and dates in Swedish and English, formatted by Babel (CLDR data).

>>> number(3000000)
'3\\xa0000\\xa0000'
>>> number("1250000.50", "en")
'1,250,000.5'
>>> amount(3000000)
'3\\xa0000\\xa0000 kr'
>>> amount(3000000, lang="en")
'SEK\\xa03,000,000'
>>> date_text("2019-09-30"), date_text("2019-09", "en"), date_text("2018")
('30 september 2019', 'September 2019', '2018')
>>> period("2014", "2020")
'2014–2020'
"""

from __future__ import annotations

import datetime
import functools
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from babel.dates import format_date, format_skeleton
from babel.numbers import format_currency, format_decimal

__all__ = ["LOCALES", "amount", "date_text", "number", "period"]

#: The Babel locale of each UI language.
LOCALES = {"sv": "sv_SE", "en": "en_GB"}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")
_CURRENCY_FORMAT = {"sv": "#,##0.## ¤", "en": "¤\xa0#,##0.##"}


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _locale(lang: str) -> str:
    return LOCALES.get(lang, LOCALES["sv"])


def number(value: Any, lang: str = "sv") -> str:
    """A number with the language's grouping and decimal sign (at most two decimals);
    anything that is not a number comes back as text."""
    d = _decimal(value)
    if d is None or not d.is_finite():
        return str(value)
    return format_decimal(d, format="#,##0.##", locale=_locale(lang))


def amount(value: Any, currency: str = "SEK", lang: str = "sv") -> str:
    """An amount of money: "3 000 000 kr" in Swedish, "SEK 3,000,000" in English."""
    d = _decimal(value)
    if d is None or not d.is_finite():
        return str(value)
    return _amount(d, currency.upper(), lang)


@functools.lru_cache(maxsize=8192)
def _amount(d: Decimal, currency: str, lang: str) -> str:
    """Babel's formatting of an amount, remembered (a hub's page shows hundreds)."""
    return format_currency(d, currency, format=_CURRENCY_FORMAT.get(lang, "#,##0.## ¤"),
                           locale=_locale(lang), currency_digits=False)


_MONTH_DAY = re.compile(r"^--(\d\d)-(\d\d)$")


def date_text(value: Any, lang: str = "sv") -> str:
    """A date as words: "30 september 2019", "september 2019", "4 april" (a day the source
    gives without a year, xsd:gMonthDay), or the year as it is.

    >>> date_text("--04-04")
    '4 april'
    """
    text = str(value)
    md = _MONTH_DAY.match(text)
    if md:
        try:  # any leap year, so that 29 February is a valid day
            when = datetime.date(2000, int(md.group(1)), int(md.group(2)))
        except ValueError:
            return text
        return format_date(when, format="d MMMM", locale=_locale(lang))
    m = _DATE.match(text)
    if not m:
        return text
    year, month, day = m.group(1), m.group(2), m.group(3)
    if not month or not 1 <= int(month) <= 12:
        return year
    try:
        when = datetime.date(int(year), int(month), int(day) if day else 1)
    except ValueError:
        return text
    if day:
        return format_date(when, format="d MMMM y", locale=_locale(lang))
    return format_skeleton("yMMMM", when, locale=_locale(lang))


def period(start: Any, end: Any, lang: str = "sv") -> str:
    """A period "start–end"; either end may be missing."""
    a = date_text(start, lang) if start else ""
    b = date_text(end, lang) if end else ""
    if a and b:
        return a if a == b else f"{a}–{b}"
    if a:
        return f"{a}–"
    return f"–{b}" if b else ""
