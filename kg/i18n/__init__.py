"""The one catalogue of user-facing text, in Swedish and English: UI strings and error
messages, for the web app and the command line.

The catalogue is a folder of TOML files, one per area of the product
(``kg/i18n/catalogue/<area>.toml``), each entry a key with its Swedish (``sv``) and English
(``en``) text. A key lives in exactly one file; the loader refuses duplicates and entries
without Swedish. Numbers, amounts and dates are formatted by :mod:`kg.i18n.formats` (Babel).

>>> translate("nav.search"), translate("nav.search", "en")
('Sök', 'Search')
>>> translate("no.such.key")
'no.such.key'
"""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

__all__ = ["DEFAULT_LANG", "LANGS", "CatalogueError", "catalogue", "entries", "translate"]

LANGS: tuple[str, ...] = ("sv", "en")
DEFAULT_LANG = "sv"


class CatalogueError(ValueError):
    """The catalogue is malformed (a developer's mistake, caught by the tests)."""


def entries() -> dict[str, tuple[str, dict[str, str]]]:
    """Every key with the file it lives in and its texts by language.

    Raises:
        CatalogueError: a key in two files, an entry without Swedish, an unknown language.
    """
    found: dict[str, tuple[str, dict[str, str]]] = {}
    folder = resources.files("kg.i18n").joinpath("catalogue")
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if not item.name.endswith(".toml"):
            continue
        data = tomllib.loads(item.read_text(encoding="utf-8"))
        for key, texts in data.items():
            if not isinstance(texts, dict) or "sv" not in texts:
                raise CatalogueError(f"{item.name}: {key!r} has no Swedish text")
            unknown = set(texts) - set(LANGS)
            if unknown:
                raise CatalogueError(f"{item.name}: {key!r} has unknown languages {unknown}")
            if key in found:
                raise CatalogueError(f"{key!r} is in both {found[key][0]} and {item.name}")
            found[key] = (item.name, {k: str(v) for k, v in texts.items()})
    return found


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Language → key → text; English falls back to Swedish key by key."""
    sv = {key: texts["sv"] for key, (_f, texts) in entries().items()}
    en = {key: texts.get("en", sv[key]) for key, (_f, texts) in entries().items()}
    return {"sv": sv, "en": en}


def translate(key: str, lang: str = DEFAULT_LANG, **values: Any) -> str:
    """The text of ``key`` in ``lang`` with ``{name}`` fields filled in; an unknown key
    comes back as itself, so a missing string shows and never breaks a page."""
    texts = catalogue()
    text = texts.get(lang, texts[DEFAULT_LANG]).get(key, key)
    return text.format(**values) if values else text
