"""Turning what people type into typed RDF values, and back, the Swedish way.

>>> [parse_date(t).datatype.rsplit("#", 1)[1] for t in ("2026", "2026-03", "2026-03-01")]
['gYear', 'gYearMonth', 'date']
>>> str(parse_decimal("3 000 000")), str(parse_decimal("2,5 MSEK")), str(parse_decimal("1 250 000 kr"))
('3000000', '2500000', '1250000')
>>> slugify("Ånge kommun – Äldre & Öppet!")
'ange-kommun-aldre-oppet'
"""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from rdflib import Literal

from kg.errors import KgError
from kg.namespaces import XSD

__all__ = ["ValueError_", "parse_date", "parse_decimal", "parse_integer", "parse_year", "slugify"]


class ValueError_(KgError, ValueError):
    """A value that cannot be read; the message is shown on the field (made with
    :meth:`~kg.errors.KgError.of`, so the page shows it in its language)."""


def slugify(text: str) -> str:
    """The slug rule of docs/modelling.md: lowercase, å ä → a, ö → o, é → e, runs of other
    characters → ``-``."""
    text = text.lower().replace("å", "a").replace("ä", "a").replace("ö", "o")
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80].strip("-")


def parse_date(text: str) -> Literal:
    """``ÅÅÅÅ``, ``ÅÅÅÅ-MM`` or ``ÅÅÅÅ-MM-DD`` as xsd:gYear, xsd:gYearMonth or xsd:date."""
    t = text.strip()
    if re.fullmatch(r"\d{4}", t):
        return Literal(t, datatype=XSD.gYear)
    if re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", t):
        return Literal(t, datatype=XSD.gYearMonth)
    m = re.fullmatch(r"(\d{4})-(\d{2})-(\d{2})", t)
    if m:
        try:
            date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        except ValueError as exc:
            raise ValueError_.of("edit.err.bad_date", text=t) from exc
        return Literal(t, datatype=XSD.date)
    raise ValueError_.of("edit.err.date_form", text=t)


def parse_year(text: str) -> Literal:
    t = text.strip()
    if not re.fullmatch(r"\d{4}", t):
        raise ValueError_.of("edit.err.year_form", text=t)
    return Literal(t, datatype=XSD.gYear)


def _number(text: str) -> Decimal:
    t = text.strip().lower().replace("\u00a0", " ").replace("\u202f", " ")
    factor = Decimal(1)
    for unit, f in (("msek", 10**6), ("mkr", 10**6), ("miljoner", 10**6), ("tkr", 10**3),
                    ("ksek", 10**3), ("kr", 1), ("sek", 1), (":-", 1)):
        if t.endswith(unit):
            t, factor = t[: -len(unit)].strip(), Decimal(f)
            break
    t = t.replace(" ", "").replace(",", ".")
    try:
        return Decimal(t) * factor
    except InvalidOperation as exc:
        raise ValueError_.of("edit.err.not_a_number", text=text.strip()) from exc


def parse_decimal(text: str) -> Literal:
    """An amount or a decimal number; spaces and ``,`` as in Swedish; ``MSEK``/``tkr`` scale."""
    value = _number(text).normalize()
    if value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return Literal(format(value, "f"), datatype=XSD.decimal)


def parse_integer(text: str) -> Literal:
    value = _number(text)
    if value != value.to_integral_value():
        raise ValueError_.of("edit.err.not_an_integer", text=text.strip())
    return Literal(str(int(value)), datatype=XSD.integer)


def parse_number(text: str) -> Literal:
    """An integer when it is whole, else a decimal (results stated as figures)."""
    value = _number(text)
    if value == value.to_integral_value():
        return Literal(str(int(value)), datatype=XSD.integer)
    return Literal(format(value.normalize(), "f"), datatype=XSD.decimal)
