"""Mentions of known entities: labels and aliases of projects, organisations, people, places
and themes found in the text, folded like search (case, diacritics, punctuation) and
forgiving Swedish inflection on the last word ("Sundsvalls kommuns", "Mittuniversitetets",
"Kommunförbundets"); town names read as municipalities in a list of municipalities; "länets
sju kommuner" as the seven owner municipalities; "kommunen", "regionen", "projektet" as a
reference to the one mentioned before. Where a name fits several entities, or only nearly
fits one (rapidfuzz), the mention carries a ranked candidate list and is not certain.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from kg.ingest.gazetteer import Gazetteer, LabelKey
from kg.ingest.model import Candidate, Mention
from kg.ingest.text import Sentence
from kg.query.search import fold

__all__ = ["INFLECTIONS", "Token", "find_mentions", "inflected", "tokenize"]

#: Endings the last word of a name may take in running text (genitive, definite, plural).
INFLECTIONS = ("s", "n", "ns", "en", "ens", "et", "ets", "t", "ts", "na", "nas", "erna", "ernas",
               "arna", "arnas", "orna", "ornas")
#: Words that are never the start of a fuzzy name match (sentence-initial function words).
COMMON = {
    "nu", "under", "det", "den", "de", "en", "ett", "vi", "hon", "han", "i", "på", "för", "med",
    "som", "att", "och", "men", "genom", "efter", "inom", "samt", "alla", "flera", "fler", "sedan",
    "tillsammans", "kommunerna", "kommunen", "projektet", "styrelsen", "verksamheten", "regionen",
    "arbetet", "mål", "vid", "till", "från", "om", "hela", "är", "har", "var", "när",
    "där", "här", "också", "även", "totalt", "cirka", "drygt", "över", "mer", "två", "tre",
    "dessa", "denna", "detta", "andra", "övriga", "länets", "samtliga", "förra", "häromdagen",
    "personligen", "tänk", "vad", "eller", "eftersom", "inledningsvis", "studentfirandet",
    "kompetensutveckling", "familjehem", "bristen", "kunskapen", "sjukskrivningarna",
}
_DEFINITE: dict[str, tuple[str, ...]] = {
    # definite noun -> (kind, organisation type or "" for a project)
    "kommunen": ("organisation", "kommun"), "kommunens": ("organisation", "kommun"),
    "regionen": ("organisation", "region"), "regionens": ("organisation", "region"),
    "länsstyrelsen": ("organisation", "lansstyrelse"), "länsstyrelsens": ("organisation", "lansstyrelse"),
    "universitetet": ("organisation", "universitet"), "universitetets": ("organisation", "universitet"),
    "myndigheten": ("organisation", "statlig-myndighet"), "myndighetens": ("organisation", "statlig-myndighet"),
    "projektet": ("projekt", ""), "projektets": ("projekt", ""),
}
_COLLECTIVE = re.compile(
    r"\b(?:länets|Västernorrlands|våra|de)\s+(?:samtliga\s+|alla\s+)?(?P<n>sju\s+)?kommuner(?:na)?\b"
    r"|\b(?:länets|Västernorrlands)\s+samtliga\s+sju\s+kommuner\b",
    re.IGNORECASE,
)
#: Definite nouns that name an organisation only in context ("styrelsen" of which body?).
_AMBIGUOUS_NOUNS = {"styrelsen", "forbundsmotet", "regionen", "kommunen", "lansstyrelsen", "lanet", "forbundet",
                    "kansliet", "polisen", "nätverket", "natverket", "kommunforbundet"}
_KIND_RANK = {
    "organisation": 0, "projekt": 1, "person": 2, "program": 3, "evenemang": 4, "plan": 5, "beslut": 6,
    "rapport": 7, "plats": 8, "tema": 9,
}


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    fold: str
    sentence: int


def tokenize(text: str, sentences: Sequence[Sentence]) -> list[Token]:
    """Words of the text with offsets, folded, each with the index of its sentence."""
    starts = [s.start for s in sentences]
    out: list[Token] = []
    for m in re.finditer(r"\w+", text):
        si = max(bisect.bisect_right(starts, m.start()) - 1, 0)
        out.append(Token(m.start(), m.end(), m.group(0), fold(m.group(0)), si))
    return out


def inflected(text_token: str, label_token: str) -> bool:
    """Whether a (folded) word is the label's word or the label's word with a Swedish ending.

    >>> inflected("mittuniversitetets", "mittuniversitetet"), inflected("kommuns", "kommun")
    (True, True)
    >>> inflected("havet", "hav"), inflected("sundsvall", "sundsvalls")
    (False, False)
    """
    if text_token == label_token:
        return True
    if len(label_token) < 4 or not text_token.startswith(label_token):
        return False
    return text_token[len(label_token):] in INFLECTIONS


def _gap_ok(text: str, a: Token, b: Token) -> bool:
    gap = text[a.end:b.start]
    return len(gap) <= 3 and "\n" not in gap and "." not in gap and "," not in gap


def _surface_upper(tokens: Sequence[Token]) -> bool:
    return all(t.text.isupper() or t.text.isdigit() for t in tokens)


class _Linker:
    def __init__(self, gz: Gazetteer, text: str, sentences: Sequence[Sentence]) -> None:
        self.gz = gz
        self.text = text
        self.sentences = sentences
        self.tokens = tokenize(text, sentences)
        self.mentions: list[Mention] = []
        self.taken: list[tuple[int, int]] = []
        self._municipality = self._municipality_names()

    # -- helpers ---------------------------------------------------------------------
    def _municipality_names(self) -> dict[str, str]:
        names: dict[str, str] = {}
        for iri, types in self.gz.org_types.items():
            if "kommun" not in types:
                continue
            label = fold(self.gz.label(iri))
            if not label.endswith(" kommun"):
                continue
            name = label.removesuffix(" kommun")
            if " " in name:
                continue
            names[name] = iri
            if name.endswith("s") and len(name) > 4:
                names.setdefault(name[:-1], iri)
        return names

    def _free(self, start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in self.taken)

    def _add(self, start: int, end: int, kind: str, cands: list[Candidate], certain: bool,
             method: str, sentence: int, *, group: bool = False) -> Mention:
        m = Mention(
            id=f"m{len(self.mentions) + 1}", start=start, end=end, text=self.text[start:end],
            kind=kind, candidates=cands, certain=certain, method=method, sentence=sentence, group=group,
        )
        self.mentions.append(m)
        self.taken.append((start, end))
        return m

    def _cand(self, iri: str, score: float) -> Candidate:
        return Candidate(iri, self.gz.label(iri), self.gz.kind_of(iri), round(score, 2))

    def _in_list(self, start: int, end: int) -> bool:
        """Whether a name stands in an enumeration ("Härnösand, Sundsvall och Örnsköldsvik")."""
        before, after = self.text[max(0, start - 6):start], self.text[end:end + 6]
        return bool(re.search(r"(?:,|\boch|\bsamt|;|:)\s*$", before) or re.match(r"\s*(?:,|och\b|samt\b)", after))

    def _sentence_has_kommun(self, si: int) -> bool:
        s = self.sentences[si] if si < len(self.sentences) else None
        return bool(s and re.search(r"\bkommun(?:er|erna|ernas|s)?\b", s.text, re.IGNORECASE))

    # -- passes ------------------------------------------------------------------------
    def collectives(self) -> None:
        owners = self.gz.municipalities()
        if not owners:
            return
        for m in _COLLECTIVE.finditer(self.text):
            head = m.group(0).split()[0].casefold()
            if head in ("våra", "de") and not m.group("n"):
                continue
            if head == "länets" and not m.group("n") and "samtliga" not in m.group(0):
                continue
            si = self._sentence_of(m.start())
            cands = [self._cand(i, 0.9) for i in owners]
            self._add(m.start(), m.end(), "organisation", cands, True, "samlingsnamn (länets sju kommuner)",
                      si, group=True)

    def _sentence_of(self, pos: int) -> int:
        starts = [s.start for s in self.sentences]
        return max(bisect.bisect_right(starts, pos) - 1, 0)

    def labels(self) -> None:
        toks = self.tokens
        n = len(toks)
        i = 0
        while i < n:
            found = self._match_at(i)
            if found is None:
                i += 1
                continue
            length, keys, method, score = found
            start, end = toks[i].start, toks[i + length - 1].end
            if not self._free(start, end):
                i += 1
                continue
            self._link(i, length, keys, method, score)
            i += length

    def _match_at(self, i: int) -> tuple[int, list[LabelKey], str, float] | None:
        toks = self.tokens
        t0 = toks[i]
        keys = list(self.gz.by_first.get(t0.fold, ()))
        for suffix in sorted(INFLECTIONS, key=len, reverse=True):
            if t0.fold.endswith(suffix) and len(t0.fold) - len(suffix) >= 4:
                keys.extend(k for k in self.gz.by_first.get(t0.fold[: -len(suffix)], ()) if len(k.tokens) == 1)
        best: tuple[int, list[LabelKey], str, float] | None = None
        for key in keys:
            length = len(key.tokens)
            if i + length > len(toks):
                continue
            span = toks[i:i + length]
            if any(t.sentence != t0.sentence for t in span):
                continue
            if any(not _gap_ok(self.text, a, b) for a, b in itertools.pairwise(span)):
                continue
            if any(span[j].fold != key.tokens[j] for j in range(length - 1)):
                continue
            last = span[-1].fold
            if not inflected(last, key.tokens[-1]):
                continue
            if key.acronym and not _surface_upper(span):
                continue
            exact = last == key.tokens[-1]
            score = 0.95 if exact and not key.alt else 0.9 if exact else 0.85
            method = "etikett" if not key.alt else "alternativ etikett"
            if not exact:
                method += ", böjd form"
            if length == 1 and not key.acronym and span[0].text[:1].islower():
                if key.text[:1].isupper() and (span[0].fold in _AMBIGUOUS_NOUNS
                                               or self.gz.kinds[key.entry] != "organisation"):
                    score, method = 0.5, method + ", liten bokstav"
                elif key.alt:
                    score, method = 0.55, method + ", vanligt ord"  # "länet", "förbundet"
            if best is None or length > best[0]:
                best = (length, [key], method, score)
            elif length == best[0]:
                best[1].append(key)
                if score > best[3]:
                    best = (length, best[1], method, score)
        return best

    def _link(self, i: int, length: int, keys: list[LabelKey], method: str, score: float) -> None:
        toks = self.tokens
        span = toks[i:i + length]
        start, end, si = span[0].start, span[-1].end, span[0].sentence
        entries: dict[int, float] = {}
        for key in keys:
            s = score - (0.02 if key.alt else 0.0)
            entries[key.entry] = max(entries.get(key.entry, 0.0), s)
        iris = {self.gz.entries[e].iri: s for e, s in entries.items()}
        # a town name in a list of municipalities is the municipality
        if length == 1:
            muni = self._municipality.get(span[0].fold) or self._municipality.get(span[0].fold.rstrip("s"))
            kinds = {self.gz.kind_of(x) for x in iris if x != muni}
            if muni and kinds <= {"plats", "tema"}:
                iris.pop(muni, None)
                if self._sentence_has_kommun(si) and self._in_list(start, end):
                    self._add(start, end, "organisation", [self._cand(muni, 0.8)]
                              + [self._cand(x, 0.4) for x in iris], True, "ortnamn i uppräkning av kommuner", si)
                    return
                ranked = [self._cand(x, s) for x, s in iris.items()] + [self._cand(muni, 0.45)]
                self._add(start, end, "plats", ranked, True, method, si)
                return
        cands = sorted((self._cand(x, s) for x, s in iris.items()),
                       key=lambda c: (-c.score, _KIND_RANK.get(c.kind, 9), c.label))
        certain = len(cands) == 1 and score >= 0.8
        kind = cands[0].kind if cands else "organisation"
        self._add(start, end, kind, cands, certain, method, si)

    def towns(self) -> None:
        """Bare municipality names without a place entity ("Härnösand, Sundsvall och Örnsköldsvik")."""
        for t in self.tokens:
            if not t.text[:1].isupper() or not self._free(t.start, t.end):
                continue
            muni = self._municipality.get(t.fold)
            if muni is None and t.fold.endswith("s"):
                muni = self._municipality.get(t.fold[:-1])
            if muni is None:
                continue
            in_list = self._sentence_has_kommun(t.sentence) and self._in_list(t.start, t.end)
            cand = self._cand(muni, 0.8 if in_list else 0.5)
            self._add(t.start, t.end, "organisation", [cand], in_list,
                      "ortnamn i uppräkning av kommuner" if in_list else "ortnamn (kommunen?)", t.sentence)

    def references(self) -> None:
        """"kommunen", "regionen", "projektet" (not followed by a name): the last one mentioned."""
        for idx, t in enumerate(self.tokens):
            spec = _DEFINITE.get(t.text.casefold())
            if spec is None or not self._free(t.start, t.end):
                continue
            nxt = self.tokens[idx + 1] if idx + 1 < len(self.tokens) else None
            if nxt is not None and nxt.sentence == t.sentence and (nxt.text[:1].isupper() or nxt.text.isupper()):
                continue  # "projektet TEO": a name follows
            kind, org_type = spec
            para = self.sentences[t.sentence].paragraph if t.sentence < len(self.sentences) else 0
            before = sorted((m for m in self.mentions if m.end <= t.start and m.candidates and not m.group
                             and not m.method.startswith("hänvisning")
                             and para - self.sentences[m.sentence].paragraph <= (1 if kind == "projekt" else 0)),
                            key=lambda m: m.start)
            seen: list[str] = []
            for m in reversed(before):
                c = m.candidates[0]
                if c.kind != kind or c.iri in seen:
                    continue
                if org_type and org_type not in self.gz.org_types.get(c.iri, set()):
                    continue
                seen.append(c.iri)
            if not seen:
                continue
            cands = [self._cand(x, 0.7 if n == 0 else 0.3) for n, x in enumerate(seen[:5])]
            self._add(t.start, t.end, kind, cands, len(seen) == 1, "hänvisning till tidigare nämnd", t.sentence)

    def fuzzy(self) -> None:
        """Capitalised names that nearly match a label ("MittUniversitet", "Vård och Omsorgscollege")."""
        choices = {n: " ".join(k.tokens) for n, k in enumerate(self.gz.keys)}
        if not choices:
            return
        toks = self.tokens
        i = 0
        while i < len(toks):
            t = toks[i]
            if not t.text[:1].isupper() or t.fold in COMMON or len(t.fold) < 4 or not self._free(t.start, t.end):
                i += 1
                continue
            j = i
            while (j + 1 < len(toks) and j - i < 5 and toks[j + 1].sentence == t.sentence
                   and _gap_ok(self.text, toks[j], toks[j + 1])
                   and (toks[j + 1].text[:1].isupper() or toks[j + 1].fold in ("och", "for", "i"))
                   and self._free(toks[j + 1].start, toks[j + 1].end)):
                j += 1
            hits: list[tuple[str, float, int]] = []
            while j >= i:
                while j > i and toks[j].fold in ("och", "for", "i"):
                    j -= 1
                query = " ".join(x.fold for x in toks[i:j + 1])
                hits = process.extract(query, choices, scorer=fuzz.ratio, score_cutoff=88, limit=5)
                if hits:
                    break
                j -= 1
            if hits:
                seen: dict[str, float] = {}
                for _, sc, n in hits:
                    key = self.gz.keys[n]
                    if key.acronym:
                        continue
                    iri = self.gz.entries[key.entry].iri
                    seen[iri] = max(seen.get(iri, 0.0), sc / 100 * 0.8)
                if seen:
                    cands = sorted((self._cand(x, s) for x, s in seen.items()), key=lambda c: -c.score)
                    self._add(t.start, toks[j].end, cands[0].kind, cands, False,
                              "nästan lika etikett (rapidfuzz)", t.sentence)
                    i = j + 1
                    continue
            i += 1


def find_mentions(gz: Gazetteer, text: str, sentences: Sequence[Sentence]) -> tuple[list[Mention], list[Token]]:
    """Every mention of a known entity, in text order, with the text's tokens."""
    linker = _Linker(gz, text, sentences)
    linker.collectives()
    linker.labels()
    linker.towns()
    linker.fuzzy()
    linker.references()
    mentions = sorted(linker.mentions, key=lambda m: (m.start, -m.end))
    for n, m in enumerate(mentions, 1):
        m.id = f"m{n}"
    return mentions, linker.tokens
