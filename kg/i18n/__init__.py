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

__all__ = ["DEFAULT_LANG", "LANGS", "CatalogueError", "Message", "catalogue", "entries", "localized",
           "translate"]

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
    if not values:
        return text
    return text.format(**{k: v.text(lang) if isinstance(v, Message) else v for k, v in values.items()})


class Message(str):
    """A message for people kept for later (a field's error, a proposal's problem): as a
    string it is the Swedish text (logs, the command line), and :meth:`text` gives it in
    another language. A value that is itself a :class:`Message` is shown in the same language.

    >>> m = Message("error.param.page", name="sida", most=10)
    >>> m == "parametern 'sida' måste vara ett heltal 1–10", m.text("en")
    (True, "the parameter 'sida' must be a whole number 1–10")
    >>> Message.given({"sv": "Fel form", "en": "Wrong form"}).text("en")
    'Wrong form'
    """

    key: str
    params: dict[str, Any]
    texts: dict[str, str]

    def __new__(cls, key: str, /, **params: Any) -> Message:
        self = super().__new__(cls, translate(key, DEFAULT_LANG, **params))
        self.key, self.params, self.texts = key, params, {}
        return self

    @classmethod
    def given(cls, texts: dict[str, str]) -> Message:
        """A message whose texts come with it by language (e.g. from the SHACL shapes)."""
        sv = texts.get(DEFAULT_LANG) or next(iter(texts.values()), "")
        self = str.__new__(cls, sv)
        self.key, self.params, self.texts = "", {}, dict(texts)
        return self

    def text(self, lang: str = DEFAULT_LANG) -> str:
        """The message in ``lang``."""
        if not self.key:
            return self.texts.get(lang) or str.__str__(self)
        return translate(self.key, lang, **self.params)


def localized(message: object, lang: str = DEFAULT_LANG) -> str:
    """``message`` in ``lang`` when it knows how (a :class:`Message`, a
    :class:`kg.errors.KgError`), else as it is.

    >>> localized(Message("nav.search"), "en"), localized("plain", "en")
    ('Search', 'plain')
    """
    text = getattr(message, "text", None)
    return str(text(lang)) if callable(text) else str(message)
