"""Full-text search over descriptions, definitions and news headlines, with snippets.

Part of the label index (:mod:`kg.query.search`), built with it once per data version: each
text is split into words, folded the same way as labels (case, diacritics), and every word
points to the texts it occurs in. A query matches a text when every query word starts a word
of the text ("yh utbildningar" finds "YH-utbildningar", "interreg" finds "Interregprogram"
only as a whole word start, "hederspris" finds "hederspris"); Swedish endings are forgiven as
for labels. A snippet is the stretch of the original text around the first match, with the
matching words marked.

>>> ft = FullText([(0, "description", "sv", "Forskare som fick ett hederspris för sin forskning.")])
>>> ft.find(["hederspris"])
{0: (2.0, 0)}
>>> [p for p in ft.snippet(0, ["hederspris"]) if p["mark"]]
[{'text': 'hederspris', 'mark': True}]
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence
from typing import Any

__all__ = ["FIELD_WEIGHTS", "FullText", "words"]

#: How much a match counts by where it is (a news headline tells more than a definition).
FIELD_WEIGHTS: dict[str, float] = {"headline": 1.5, "description": 1.0, "award": 1.0,
                                   "title": 1.2, "definition": 0.8, "note": 0.5}
_WORD = re.compile(r"\w+", re.UNICODE)
SNIPPET = 180
#: A query word matches words starting with it; shorter ones must match a whole word.
MIN_PREFIX = 3


def words(text: str) -> list[tuple[int, int, str]]:
    """Every word of ``text`` with its span and folded form.

    >>> words("YH-utbildningar i Sollefteå")
    [(0, 2, 'yh'), (3, 15, 'utbildningar'), (16, 17, 'i'), (18, 27, 'solleftea')]
    """
    from kg.query.search import fold

    return [(m.start(), m.end(), fold(m.group())) for m in _WORD.finditer(text)]


class FullText:
    """Texts of entities, searchable by word starts; documents are ``(entry, field, lang,
    text)`` rows."""

    def __init__(self, docs: Iterable[tuple[int, str, str, str]]) -> None:
        self.docs: list[tuple[int, str, str, str]] = list(docs)
        postings: dict[str, set[int]] = {}
        for d, (_entry, _field, _lang, text) in enumerate(self.docs):
            for _s, _e, w in words(text):
                if w:
                    postings.setdefault(w, set()).add(d)
        self._vocab = sorted(postings)
        self._postings = [postings[w] for w in self._vocab]
        self.by_entry: dict[int, list[int]] = {}
        for d, (entry, *_rest) in enumerate(self.docs):
            self.by_entry.setdefault(entry, []).append(d)

    def __len__(self) -> int:
        return len(self.docs)

    def _docs_for(self, token: str) -> dict[int, float]:
        """Texts holding a word that is ``token`` (2 points) or starts with it (1 point)."""
        out: dict[int, float] = {}
        if len(token) < MIN_PREFIX:
            i = bisect.bisect_left(self._vocab, token)
            if i < len(self._vocab) and self._vocab[i] == token:
                out = dict.fromkeys(self._postings[i], 2.0)
            return out
        lo = bisect.bisect_left(self._vocab, token)
        hi = bisect.bisect_left(self._vocab, token + "\U0010ffff", lo)
        for i in range(lo, hi):
            score = 2.0 if self._vocab[i] == token else 1.0
            for d in self._postings[i]:
                if out.get(d, 0.0) < score:
                    out[d] = score
        return out

    def find(self, tokens: Sequence[str], lang: str = "sv") -> dict[int, tuple[float, int]]:
        """Entry → (score, best text) for the texts holding every token (as word starts);
        of equally good texts, one in ``lang``."""
        if not tokens:
            return {}
        found: dict[int, float] | None = None
        for token in tokens:
            docs = self._docs_for(token)
            found = docs if found is None else {d: s + docs[d] for d, s in found.items()
                                                if d in docs}
            if not found:
                return {}
        best: dict[int, tuple[float, int]] = {}
        for d, score in sorted((found or {}).items()):
            entry, field, doc_lang, _text = self.docs[d]
            weighted = score * FIELD_WEIGHTS.get(field, 1.0)
            old = best.get(entry)
            if old is None or weighted > old[0] or (
                    weighted == old[0] and doc_lang == lang and self.docs[old[1]][2] != lang):
                best[entry] = (weighted, d)
        return best

    def first(self, entry: int, lang: str = "sv") -> int | None:
        """The entry's description in ``lang`` (else any), for a snippet without a match."""
        docs = self.by_entry.get(entry, [])
        ranked = sorted(docs, key=lambda d: (self.docs[d][1] != "description",
                                             self.docs[d][2] != lang, d))
        return ranked[0] if ranked else None

    def snippet(self, doc: int, tokens: Sequence[str]) -> list[dict[str, Any]]:
        """The text around the first match as parts ``{"text", "mark"}`` (marked: a word that
        starts with a query token)."""
        text = self.docs[doc][3]
        spans = words(text)
        hits = [(s, e) for s, e, w in spans
                if any(w == t or (len(t) >= MIN_PREFIX and w.startswith(t)) for t in tokens)]
        if len(text) <= SNIPPET:
            start, end = 0, len(text)
        else:
            first = hits[0][0] if hits else 0
            start = max(0, first - SNIPPET // 3)
            if start:
                space = text.rfind(" ", 0, start)
                start = space + 1 if space >= 0 and start - space < 20 else start
            end = min(len(text), start + SNIPPET)
            space = text.find(" ", end)
            end = space if 0 <= space < end + 20 else end
        parts: list[dict[str, Any]] = []
        if start > 0:
            parts.append({"text": "…", "mark": False})
        pos = start
        for s, e in hits:
            if s < start or e > end:
                continue
            if s > pos:
                parts.append({"text": text[pos:s], "mark": False})
            parts.append({"text": text[s:e], "mark": True})
            pos = e
        if pos < end:
            parts.append({"text": text[pos:end], "mark": False})
        if end < len(text):
            parts.append({"text": "…", "mark": False})
        return parts

    def lang_of(self, doc: int) -> str:
        """The language tag of a text ("" when it has none)."""
        return self.docs[doc][2]
