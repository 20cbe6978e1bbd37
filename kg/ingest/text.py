"""Plain text of a document: normalised, hyphenated line breaks joined, split into
paragraphs and sentences with their character offsets, and the title and date it gives.

Everything downstream (mentions, proposals, the review page's highlights) points into the
one normalised string :func:`normalise` returns, by offsets.

>>> normalise("länsgemensam-\\nma utvecklingen och VFU-\\nsoc samt Vård-\\noch omsorg")
'länsgemensamma utvecklingen och VFU-soc samt Vård- och omsorg'
>>> [s.text for s in split_sentences("Projektet startade 2018, t.ex. i Ånge. Nu avslutas det.– Bra, säger hon.")]
['Projektet startade 2018, t.ex. i Ånge.', 'Nu avslutas det.', '– Bra, säger hon.']
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date

__all__ = [
    "MONTHS",
    "Paragraph",
    "Sentence",
    "find_date",
    "find_title",
    "normalise",
    "split_paragraphs",
    "split_sentences",
]

#: Swedish month names (and the usual abbreviations) → month number.
MONTHS: dict[str, int] = {
    "januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
    "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12,
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8, "sep": 9,
    "sept": 9, "okt": 10, "nov": 11, "dec": 12,
}

#: Words that keep a line-end hyphen when they start the next line ("Vård-\noch omsorg").
_KEEP_HYPHEN_BEFORE = {"och", "eller", "samt", "som", "till", "resp", "respektive"}

_LIGATURES = str.maketrans({"\ufb01": "fi", "\ufb02": "fl", "\ufb00": "ff", "\ufb03": "ffi", "\ufb04": "ffl"})
_SPACES = re.compile(r"[ \t\u00a0\u2000-\u200a\u202f\u205f\u3000]+")
_HYPHEN_BREAK = re.compile(r"(\w)[-\u00ad\u2010][ \t]*\n[ \t]*(\w+)")
_BULLET = re.compile(r"^\s*(?:[•·▪‣◦*]|-\s|–\s|\d+[.)]\s)")

#: Abbreviations that end in a period without ending the sentence.
_ABBREVIATIONS = (
    "t.ex.", "bl.a.", "p.g.a.", "m.fl.", "m.m.", "s.k.", "d.v.s.", "dvs.", "osv.", "etc.", "ca.",
    "fil.", "dr.", "st.", "nr.", "resp.", "jfr.", "kl.", "tel.", "inkl.", "exkl.", "f.d.", "o.s.v.",
    "t.o.m.", "fr.o.m.", "e.d.", "f.n.", "mkr.", "milj.", "tf.", "prof.", "doc.", "lic.",
)
_ABBREV_PATTERN = "|".join(re.escape(a) for a in sorted(_ABBREVIATIONS, key=len, reverse=True))
_ABBREV_AT_END = re.compile(r"(?:^|[\s(])(?:" + _ABBREV_PATTERN + r")$", re.IGNORECASE)
_SENTENCE_END = re.compile(
    r"(?<=[.!?…])(?:\s+|(?=[–—\"”»]))(?=[\s\"”»–—(]*(?:[A-ZÅÄÖÉÜ0-9–—\"”»•]|e[A-ZÅÄÖ]))"
)
_ISO_DATE = re.compile(r"\b((?:19|20)\d\d)-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])\b")
_LONG_DATE = re.compile(
    r"\b(?:den\s+)?([1-9]|[12]\d|3[01]):?(?:e|a)?\s+(" + "|".join(MONTHS) + r")\.?\s+((?:19|20)\d\d)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Sentence:
    """A sentence: its text and where it is in the normalised document (end exclusive)."""

    text: str
    start: int
    end: int
    paragraph: int


@dataclass(frozen=True)
class Paragraph:
    """A block of text separated from the next by a blank line."""

    text: str
    start: int
    end: int


def _join_hyphen(m: re.Match[str]) -> str:
    before, word = m.group(1), m.group(2)
    if word.casefold() in _KEEP_HYPHEN_BEFORE:
        return f"{before}- {word}"
    if before.isupper() or before.isdigit() or word[:1].isupper() or word[:1].isdigit():
        return f"{before}-{word}"  # "VFU-\nsoc", "EU-\nmedborgare", "e-\nFörvaltning"
    return before + word


def normalise(text: str) -> str:
    """Unicode NFC, one kind of space, ligatures undone, soft hyphens dropped, hyphenated
    line breaks joined ("kom-\\nmunernas" → "kommunernas", but "VFU-\\nsoc" → "VFU-soc" and
    "Vård-\\noch" → "Vård- och"), lines inside a paragraph joined by a space, paragraphs
    separated by one blank line, bullet lines kept as their own lines.
    """
    text = unicodedata.normalize("NFC", text.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.translate(_LIGATURES).replace("\ufeff", "")
    text = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C" or c == "\u00ad")
    text = _HYPHEN_BREAK.sub(_join_hyphen, text)
    text = text.replace("\u00ad", "")
    paragraphs: list[str] = []
    for block in re.split(r"\n[ \t]*\n", text):
        lines = [_SPACES.sub(" ", line).strip() for line in block.split("\n")]
        out: list[str] = []
        for line in lines:
            if not line:
                continue
            if out and not _BULLET.match(line):
                out[-1] = f"{out[-1]} {line}"
            else:
                out.append(line)
        joined = "\n".join(out).strip()
        if not joined:
            continue
        if paragraphs and joined[:1].islower() and not paragraphs[-1].endswith((".", "!", "?", ":", "…")):
            paragraphs[-1] = f"{paragraphs[-1]} {joined}"  # a line the PDF split off its paragraph
        else:
            paragraphs.append(joined)
    return "\n\n".join(paragraphs)


def split_paragraphs(text: str) -> list[Paragraph]:
    """The paragraphs of a normalised text, with offsets."""
    out: list[Paragraph] = []
    for m in re.finditer(r"[^\n](?:.|\n(?!\n))*", text):
        out.append(Paragraph(m.group(0), m.start(), m.end()))
    return out


def split_sentences(text: str) -> list[Sentence]:
    """Sentences of a normalised text, in order, never crossing a paragraph or a bullet line.

    Splits after . ! ? … followed by a capital, a digit, a dash or a quote (also without a
    space, as in "slut.– Tack"), except after common abbreviations (t.ex., bl.a., p.g.a.).
    """
    out: list[Sentence] = []
    for pi, para in enumerate(split_paragraphs(text)):
        offset = para.start
        for line_match in re.finditer(r"[^\n]+", para.text):
            line, base = line_match.group(0), offset + line_match.start()
            start = 0
            for m in _SENTENCE_END.finditer(line):
                head = line[start:m.start()]
                if _ABBREV_AT_END.search(head) or re.search(r"(?:^|\s)[A-ZÅÄÖ]\.$", head):
                    continue
                _emit(out, line, base, start, m.start(), pi)
                start = m.end()
            _emit(out, line, base, start, len(line), pi)
    return out


def _emit(out: list[Sentence], line: str, base: int, start: int, end: int, paragraph: int) -> None:
    chunk = line[start:end]
    lead = len(chunk) - len(chunk.lstrip())
    chunk = chunk.strip()
    if chunk:
        s = base + start + lead
        out.append(Sentence(chunk, s, s + len(chunk), paragraph))


def find_date(text: str) -> date | None:
    """The first full date the text gives (ISO "2018-05-17" or "17 maj 2018").

    >>> find_date("Pressmeddelande 2018-05-17 Ett aktivt arbete")
    datetime.date(2018, 5, 17)
    >>> find_date("förbundsmötet i Härnösand den 4 april 2019."), find_date("den 4 april")
    (datetime.date(2019, 4, 4), None)
    """
    found: list[tuple[int, date]] = []
    for m in _ISO_DATE.finditer(text):
        try:
            found.append((m.start(), date(int(m[1]), int(m[2]), int(m[3]))))
        except ValueError:
            continue
    for m in _LONG_DATE.finditer(text):
        try:
            found.append((m.start(), date(int(m[3]), MONTHS[m[2].casefold()], int(m[1]))))
        except ValueError:
            continue
    return min(found)[1] if found else None


def find_title(text: str, limit: int = 120) -> str:
    """A title for a document without one: its first line if short and not a sentence,
    else the start of its first sentence, cut at a word boundary.

    >>> find_title("Aktuellt\\n\\nUnder två år har projektet TEO drivit frågan.")
    'Aktuellt'
    >>> find_title("Tillväxtverket har beviljat Kommunförbundet tre miljoner kronor i stöd för att driva.", 60)
    'Tillväxtverket har beviljat Kommunförbundet tre miljoner…'
    """
    first = text.strip().split("\n", 1)[0].strip()
    if first and len(first) <= limit and not first.endswith((".", "!", "?", "…")):
        return first
    sentences = split_sentences(text)
    head = sentences[0].text if sentences else first
    if len(head) <= limit:
        return head.rstrip(".")
    cut = head[:limit].rsplit(" ", 1)[0].rstrip(",;:–- ")
    return cut + "…"
