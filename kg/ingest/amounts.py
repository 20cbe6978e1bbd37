"""Numbers in Swedish prose: amounts of money in kronor and figures with their units.

>>> [(a.value, a.approximate, a.text) for a in find_amounts("Cirka 4.8 miljoner kronor beviljades")]
[(Decimal('4800000'), True, 'Cirka 4.8 miljoner kronor')]
>>> [(a.value, a.qualifier) for a in find_amounts("tre miljoner kronor, 3 MSEK och drygt 500 000 kr")]
[(Decimal('3000000'), ''), (Decimal('3000000'), ''), (Decimal('500000'), 'drygt')]
>>> [(f.value, f.unit) for f in find_figures("224 st. digitala tjänster, åtta procent och över hundra deltagare")]
[(Decimal('224'), 'st'), (Decimal('8'), 'procent'), (Decimal('100'), 'deltagare')]
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

__all__ = ["NUMBER_WORDS", "Amount", "Figure", "find_amounts", "find_figures", "parse_number"]

#: Number words up to twenty, the tens and "hundra"/"tusen".
NUMBER_WORDS: dict[str, int] = {
    "en": 1, "ett": 1, "två": 2, "tre": 3, "fyra": 4, "fem": 5, "sex": 6, "sju": 7, "åtta": 8,
    "nio": 9, "tio": 10, "elva": 11, "tolv": 12, "tretton": 13, "fjorton": 14, "femton": 15,
    "sexton": 16, "sjutton": 17, "arton": 18, "nitton": 19, "tjugo": 20, "trettio": 30,
    "fyrtio": 40, "femtio": 50, "sextio": 60, "sjuttio": 70, "åttio": 80, "nittio": 90,
    "hundra": 100, "etthundra": 100, "tusen": 1000, "ettusen": 1000,
}

_QUALIFIERS = {
    "cirka": "cirka", "ca": "cirka", "ca.": "cirka", "c:a": "cirka", "omkring": "cirka",
    "ungefär": "cirka", "runt": "cirka", "drygt": "drygt", "över": "över", "mer än": "över",
    "fler än": "över", "minst": "minst", "knappt": "knappt", "nästan": "knappt", "närmare": "knappt",
    "under": "under", "upp till": "upp till", "totalt": "",
}
_QUAL = (r"(?:(?P<qual>cirka|ca\.?|c:a|omkring|ungefär|runt|drygt|över|mer än|fler än|minst|knappt|nästan"
         r"|närmare|upp till|totalt)\s+)?")
_WORDS = "|".join(sorted(NUMBER_WORDS, key=len, reverse=True))
_NUM = r"(?P<num>\d{1,3}(?:[ \u00a0]\d{3})+(?:[,.]\d+)?|\d+(?:[,.]\d+)?|(?:" + _WORDS + r"))"
_SCALE = {
    "miljarder": 10**9, "miljard": 10**9, "mdr": 10**9, "miljoner": 10**6, "miljon": 10**6,
    "milj.": 10**6, "milj": 10**6, "mkr": 10**6, "msek": 10**6, "mnkr": 10**6, "tkr": 10**3,
    "tusen": 10**3, "ksek": 10**3,
}
_AMOUNT = re.compile(
    r"(?<![\w-])" + _QUAL + _NUM
    + r"(?:\s+(?P<scale>miljarder|miljard|miljoner|miljon|milj\.?|tusen))?"
    + r"\s*(?P<cur>kronor|kronorna|kr\b\.?|sek\b|mkr\b|msek\b|mnkr\b|tkr\b|ksek\b|mdr\b)",
    re.IGNORECASE,
)
#: Units of figures (results), in the form the data uses.
_UNITS: dict[str, str] = {
    "procent": "procent", "%": "procent", "st": "st", "st.": "st", "stycken": "st",
    "deltagare": "deltagare", "personer": "personer", "kommuner": "kommuner", "länder": "länder",
    "regioner": "regioner", "partners": "partner", "partner": "partner", "kw": "kW", "mw": "MW",
    "kwh": "kWh", "mwh": "MWh", "gwh": "GWh", "villor": "villor", "utbildningsdagar": "utbildningsdagar",
    "träffar": "träffar", "möten": "möten", "energibesök": "besök", "besök": "besök",
    "tjänster": "tjänster", "solelanläggningar": "st", "föredrag": "föredrag", "lösningar": "st",
    "lösningarna": "st", "kommunerna": "kommuner", "länderna": "länder", "deltagarna": "deltagare",
    "personerna": "personer", "regionerna": "regioner", "partnerna": "partner",
    "utbildningstillfällen": "st", "studenter": "studenter", "familjehem": "familjehem",
    "timmar": "timmar", "dagar": "dagar", "år": "år", "månader": "månader",
}
_BETWEEN = r"(?:\s+(?:olika|involverade|nya|nytt|första|stora|anslutna|deltagande|medverkande|digitala|EU-))?"
_FIGURE = re.compile(
    r"(?<![\w.,-])" + _QUAL + _NUM + _BETWEEN + r"\s*(?P<unit>%|(?:" + "|".join(
        re.escape(u) for u in sorted((u for u in _UNITS if u != "%"), key=len, reverse=True)
    ) + r")(?!\w))",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Amount:
    """An amount of money, in whole SEK."""

    value: Decimal
    qualifier: str
    text: str
    start: int
    end: int

    @property
    def approximate(self) -> bool:
        return bool(self.qualifier)


@dataclass(frozen=True)
class Figure:
    """A number with a unit ("224 st", "8 procent", "över 100 deltagare")."""

    value: Decimal
    unit: str
    qualifier: str
    text: str
    start: int
    end: int


def parse_number(text: str) -> Decimal | None:
    """A Swedish number: digits with space thousands and a decimal comma, or a number word.

    >>> parse_number("4,8"), parse_number("245 000"), parse_number("åtta"), parse_number("x")
    (Decimal('4.8'), Decimal('245000'), Decimal('8'), None)
    """
    t = text.strip().casefold()
    if t in NUMBER_WORDS:
        return Decimal(NUMBER_WORDS[t])
    t = t.replace("\u00a0", "").replace(" ", "")
    if re.fullmatch(r"\d+[,.]\d+", t):
        t = t.replace(",", ".")
    try:
        return Decimal(t)
    except InvalidOperation:
        return None


def _qualifier(m: re.Match[str]) -> str:
    q = (m.group("qual") or "").casefold()
    return _QUALIFIERS.get(q, q)


def find_amounts(text: str) -> list[Amount]:
    """Every amount of money in kronor, in whole SEK, with its qualifier (cirka, drygt ...)."""
    out: list[Amount] = []
    for m in _AMOUNT.finditer(text):
        number = parse_number(m.group("num"))
        if number is None:
            continue
        scale = 1
        if m.group("scale"):
            scale = _SCALE[m.group("scale").casefold()]
        cur = m.group("cur").casefold().rstrip(".")
        scale *= _SCALE.get(cur, 1)
        value = (number * scale).quantize(Decimal(1))
        out.append(Amount(value, _qualifier(m), m.group(0), m.start(), m.end()))
    return out


def find_figures(text: str) -> list[Figure]:
    """Every number with a unit that is not money ("8 procent", "224 st", "35 personer")."""
    money = [(a.start, a.end) for a in find_amounts(text)]
    out: list[Figure] = []
    for m in _FIGURE.finditer(text):
        if any(s <= m.start() < e for s, e in money):
            continue
        number = parse_number(m.group("num"))
        if number is None:
            continue
        unit = _UNITS[m.group("unit").casefold()]
        out.append(Figure(number, unit, _qualifier(m), m.group(0), m.start(), m.end()))
    return out
