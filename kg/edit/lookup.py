"""Finding entities by what an editor types: a name, ``Name (prefix:slug)``, a CURIE or an IRI.

Uses the search index (:mod:`kg.query.search`, built once per data version), so type-ahead
and resolution cost no query. Names are folded as in search; a name shared by several
entities of the wanted classes is ambiguous and must be given with its CURIE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from kg.edit.values import ValueError_
from kg.i18n import Message
from kg.namespaces import PREFIXES, curie
from kg.query.search import fold, index_for
from kg.store.base import Store

__all__ = ["Lookup", "Match"]

_WITH_CURIE = re.compile(r"^(.*?)\s*\(([\w-]+:[^\s()]+)\)\s*$")


@dataclass(frozen=True)
class Match:
    iri: str
    label: str
    kind: str

    def as_dict(self) -> dict[str, str]:
        return {"iri": self.iri, "label": self.label, "kind": self.kind, "curie": curie(self.iri)}


class Lookup:
    """Entities of a store by name, for forms."""

    def __init__(self, store: Store, lang: str = "sv") -> None:
        self.index = index_for(store)
        self.lang = lang

    def _ok(self, iri: str, classes: tuple[str, ...]) -> bool:
        entry = self.index.get(iri)
        return entry is not None and (not classes or bool(entry.types & set(classes)))

    def _names(self, iri: str) -> set[str]:
        """Every name of an entity, folded: its labels in every language and its aliases (an
        editor on the English pages may type the Swedish name)."""
        entry = self.index.get(iri)
        if entry is None:
            return set()
        return {fold(n) for names in entry.labels.values() for n in names} | {fold(a) for a in entry.alts}

    def suggest(self, text: str, classes: tuple[str, ...] = (), limit: int = 12) -> list[Match]:
        """The best matches of ``text`` among entities of ``classes`` (any class when empty)."""
        hits = self.index.search(text, limit=400 if classes else limit)
        out = [Match(h.iri, h.label(self.lang), h.kind) for h in hits if self._ok(h.iri, classes)]
        return out[:limit]

    def display(self, iri: str, classes: tuple[str, ...] = ()) -> str:
        """How an entity is written in a form: its name, with its CURIE when the name is
        shared or the entity is unknown."""
        entry = self.index.get(iri)
        if entry is None:
            return curie(iri)
        label = entry.label(self.lang)
        same = [m for m in self.suggest(label, classes, limit=50) if fold(m.label) == fold(label)]
        return label if len(same) <= 1 else f"{label} ({curie(iri)})"

    def resolve(self, text: str, classes: tuple[str, ...] = ()) -> str:
        """The IRI an editor means by ``text``.

        Raises:
            ValueError_: nothing or more than one entity fits (the message says which).
        """
        t = text.strip()
        m = _WITH_CURIE.match(t)
        ref = m.group(2) if m else t
        iri = _expand(ref)
        if iri is not None:
            if self._ok(iri, classes):
                return iri
            if not m and re.match(r"^https?://", t) and not classes:
                return iri
            raise ValueError_.of("edit.err.wrong_kind", text=t)
        folded = fold(t)
        same = [x for x in self.suggest(t, classes, limit=50) if folded in self._names(x.iri)]
        if len(same) == 1:
            return same[0].iri
        if len(same) > 1:
            options = ", ".join(f"{x.label} ({curie(x.iri)})" for x in same[:5])
            raise ValueError_.of("edit.err.ambiguous", text=t, options=options)
        near = self.suggest(t, classes, limit=3)
        names = {f"n{i}": x.label for i, x in enumerate(near, 1)}
        hint = Message(f"edit.err.maybe_{len(near)}", **names) if near else ""
        raise ValueError_.of("edit.err.no_entry", text=t, hint=hint)


def _expand(ref: str) -> str | None:
    if re.match(r"^https?://\S+$", ref):
        return ref
    m = re.match(r"^([\w-]+):(\S+)$", ref)
    if m and m.group(1) in PREFIXES:
        return PREFIXES[m.group(1)] + m.group(2)
    return None
