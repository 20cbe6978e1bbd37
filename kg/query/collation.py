"""Swedish alphabetical order, by ICU's collator with CLDR's Swedish rules (PyICU).

Å, Ä and Ö come after Z; Ü sorts as Y and Ø as Ö, as in a Swedish dictionary; case and
accents only break ties. People are ordered by family name, then given name. Every list
and table of the app, and every download, sorts with :func:`sort_key`.

PyICU is built against Debian's ``libicu-dev`` (``scripts/setup.sh`` installs it).

>>> sorted(["Örnsköldsviks kommun", "Åbo Akademi", "Umeå universitet", "Ärla", "Zenit"],
...        key=sort_key)
['Umeå universitet', 'Zenit', 'Åbo Akademi', 'Ärla', 'Örnsköldsviks kommun']
>>> sorted(["TEO", "eSamverkan", "Ånge kommun"], key=sort_key)
['eSamverkan', 'TEO', 'Ånge kommun']
>>> sorted(["Anna Öberg", "Örjan Andersson", "Bo Eka", "Åsa Ek"], key=lambda n: person_key(n))
['Örjan Andersson', 'Åsa Ek', 'Bo Eka', 'Anna Öberg']
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import icu

__all__ = ["LOCALE", "person_key", "sort_key", "sorted_texts", "split_name"]

#: The collation locale of every list, whatever the UI language (Swedish data, Swedish order).
LOCALE = "sv_SE"
T = TypeVar("T")
_LOCAL = threading.local()


def _collator() -> Any:
    """One ICU collator per thread (ICU collators are not meant to be shared while used)."""
    coll = getattr(_LOCAL, "collator", None)
    if coll is None:
        coll = icu.Collator.createInstance(icu.Locale(LOCALE))
        coll.setAttribute(icu.UCollAttribute.NUMERIC_COLLATION, icu.UCollAttributeValue.ON)
        _LOCAL.collator = coll
    return coll


def sort_key(text: str | None) -> bytes:
    """The Swedish sort key of a text (``None`` and "" sort first).

    Numbers inside texts compare by value ("Steg 3" before "Steg 10").

    >>> sort_key("Steg 3") < sort_key("Steg 10")
    True
    """
    if not text:
        return b""
    key: bytes = _collator().getSortKey(text)
    return key


def split_name(full: str) -> tuple[str, str]:
    """(family name, given names) of a full name written "Given Family".

    >>> split_name("Sten-Ove Danielsson"), split_name("Cher")
    (('Danielsson', 'Sten-Ove'), ('Cher', ''))
    """
    parts = full.strip().rsplit(" ", 1)
    return (parts[1], parts[0]) if len(parts) == 2 else (parts[0], "")


def person_key(full: str, family: str | None = None, given: str | None = None) -> bytes:
    """The sort key of a person: family name, then given name (from the full name when the
    data gives no ``foaf:familyName``)."""
    if not family:
        family, rest = split_name(full)
        given = given or rest
    return sort_key(f"{family} {given or ''}".strip())


def sorted_texts(values: Iterable[T], key: Callable[[T], str] = str) -> list[T]:
    """``values`` in Swedish order of ``key`` (default: the value as text).

    >>> sorted_texts(["Örebro", "Ånge", "Alingsås"])
    ['Alingsås', 'Ånge', 'Örebro']
    """
    return sorted(values, key=lambda v: sort_key(key(v)))
