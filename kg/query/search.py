"""Search: an in-memory label index, built once per data version with one SPARQL query.

Labels (``rdfs:label``, ``skos:prefLabel``, ``foaf:name``, ``skos:altLabel``) are folded
(case, diacritics, punctuation) and kept with and without spaces, so "ornskoldsvik" finds
Örnsköldsvik and "e-samverkan" finds eSamverkan, but "orebro" does not find Örnsköldsvik.
Swedish endings are forgiven by also matching the query with genitive -s and definite or
plural endings removed ("sundsvalls" → "sundsvall"). Matches rank exact > prefix > every
word a prefix of a word > substring > full text (descriptions, definitions, news
headlines: :mod:`kg.query.fulltext`, with snippets); within a rank, projects,
organisations and people come before places, concepts and documents of the same name
("Sollefteå" is Sollefteå kommun before the place). The index is plain dicts and sorted
lists, so a search takes well under a millisecond on a few thousand entities and a few at
a million triples.

>>> fold("HAV – Hållbart arbetsliv, Västernorrland")
'hav hallbart arbetsliv vasternorrland'
>>> stem("sundsvalls"), stem("kommunens"), stem("arbetsliv")
('sundsvall', 'kommun', 'arbetsliv')
"""

from __future__ import annotations

import bisect
import logging
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from typing import Any, TypeVar

from rdflib import Literal, URIRef

from kg.cache import per_version
from kg.namespaces import DCAT, FOAF, KFV, ORG, OWL, PROV, RDF, RDFS, SCHEMA, SKOS, VOID
from kg.query.fulltext import FullText
from kg.query.labels import pick_label, pick_label_lang
from kg.store.base import Store

__all__ = [
    "INDEX_QUERY",
    "KINDS",
    "Entry",
    "Hit",
    "LabelIndex",
    "SearchResult",
    "build_entries",
    "build_index",
    "fold",
    "index_for",
    "kind_of",
    "stem",
]

log = logging.getLogger(__name__)
T = TypeVar("T")

#: Kinds of entity, in the order result groups are shown.
KINDS: tuple[str, ...] = (
    "projekt", "evenemang", "program", "plan", "organisation", "person", "beslut", "rapport",
    "begrepp", "plats", "nyhet", "kalla", "ontologi", "ovrigt"
)

#: Class → kind, by priority (an entity with several types gets the first that matches).
_CLASS_KINDS: tuple[tuple[str, str], ...] = (
    (str(SCHEMA.Project), "projekt"),
    (str(ORG.OrganizationalCollaboration), "projekt"),
    (str(SCHEMA.Event), "evenemang"),
    (str(SCHEMA.EventSeries), "evenemang"),
    (str(KFV.Programme), "program"),
    (str(KFV.Plan), "plan"),
    (str(KFV.Decision), "beslut"),
    (str(ORG.ChangeEvent), "beslut"),
    (str(SCHEMA.Report), "rapport"),
    (str(ORG.Organization), "organisation"),
    (str(ORG.OrganizationalUnit), "organisation"),
    (str(ORG.FormalOrganization), "organisation"),
    (str(FOAF.Person), "person"),
    (str(SKOS.Concept), "begrepp"),
    (str(SKOS.ConceptScheme), "begrepp"),
    (str(SCHEMA.Place), "plats"),
    (str(SCHEMA.NewsArticle), "nyhet"),
    (str(FOAF.Document), "kalla"),
    (str(PROV.Entity), "kalla"),
    (str(DCAT.Dataset), "kalla"),
    (str(VOID.Dataset), "kalla"),
    (str(OWL.Ontology), "ontologi"),
    (str(OWL.Class), "ontologi"),
    (str(RDFS.Class), "ontologi"),
    (str(OWL.ObjectProperty), "ontologi"),
    (str(OWL.DatatypeProperty), "ontologi"),
    (str(OWL.AnnotationProperty), "ontologi"),
    (str(RDF.Property), "ontologi"),
)
_KIND_RANK = {cls: i for i, (cls, _) in enumerate(_CLASS_KINDS)}
_KIND_OF = dict(_CLASS_KINDS)

#: Qualified-relation classes: never search hits of their own.
RELATION_CLASSES: frozenset[str] = frozenset(
    str(c) for c in (KFV.Participation, KFV.EventParticipation, KFV.Appointment,
                     KFV.OrganisationMembership, KFV.Result, KFV.Target, SCHEMA.MonetaryGrant,
                     ORG.Membership)
)

_SUFFIXES: tuple[str, ...] = ("erna", "arna", "orna", "en", "et", "na", "s")
_MIN_STEM = 4
CAP = 1_000
#: A search stops looking at weaker tiers once this many entities matched.
ENOUGH = 300
MAX_YEARS = 80

INDEX_QUERY = """
SELECT ?s ?k ?v WHERE {
  { ?s rdfs:label ?v BIND("l" AS ?k) }
  UNION { ?s skos:prefLabel ?v BIND("l" AS ?k) }
  UNION { ?s foaf:name ?v BIND("l" AS ?k) }
  UNION { ?s skos:altLabel ?v BIND("a" AS ?k) }
  UNION { ?s a ?v BIND("t" AS ?k) }
  UNION { ?s dcterms:subject ?v BIND("s" AS ?k) }
  UNION { ?s dcterms:subject/skos:broader ?v BIND("s" AS ?k) }
  UNION { ?s schema:startDate ?v BIND("b" AS ?k) }
  UNION { ?s schema:endDate ?v BIND("e" AS ?k) }
  UNION { ?s kfv:year ?v BIND("y" AS ?k) }
  UNION { ?f schema:fundedItem ?s ; kfv:year ?v BIND("y" AS ?k) }
  UNION { ?s schema:headline ?v BIND("h" AS ?k) }
  UNION { ?s schema:description ?v BIND("x:description" AS ?k) }
  UNION { ?s dcterms:description ?v BIND("x:description" AS ?k) }
  UNION { ?s skos:definition ?v BIND("x:definition" AS ?k) }
  UNION { ?s schema:award ?v BIND("x:award" AS ?k) }
  UNION { ?s dcterms:title ?v BIND("x:title" AS ?k) }
}
"""
#: Kinds found before others of the same rank (the things people look for).
_MAIN_KINDS = frozenset({"projekt", "organisation", "person", "evenemang", "program", "plan",
                         "beslut", "rapport"})
#: The full-text rank, after the four label ranks.
TEXT_TIER = 4


def fold(text: str) -> str:
    """Casefold, strip diacritics, turn punctuation into spaces, collapse spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    chars = [
        c if c.isalnum() else " "
        for c in decomposed
        if not unicodedata.combining(c)
    ]
    return " ".join("".join(chars).split())


def stem(token: str) -> str:
    """Remove Swedish genitive -s and definite/plural endings (-en, -et, -na, -erna, -arna),
    at most twice, keeping at least four letters."""
    for _ in range(2):
        for suffix in _SUFFIXES:
            if token.endswith(suffix) and len(token) - len(suffix) >= _MIN_STEM:
                token = token[: -len(suffix)]
                break
        else:
            break
    return token


def kind_of(types: Iterable[str]) -> str:
    """The kind of an entity from its types ("ovrigt" when none is known)."""
    known = [t for t in types if t in _KIND_OF]
    if not known:
        return "ovrigt"
    return _KIND_OF[min(known, key=_KIND_RANK.__getitem__)]


@dataclass(slots=True)
class Entry:
    """One searchable entity (types, themes and years are sets while it is built, then
    frozensets shared between entries with equal ones: see :func:`build_entries`)."""

    iri: str
    kind: str = "ovrigt"
    labels: dict[str, list[str]] = field(default_factory=dict)
    alts: list[str] = field(default_factory=list)
    types: AbstractSet[str] = field(default_factory=set)
    themes: AbstractSet[str] = field(default_factory=set)
    years: AbstractSet[int] = field(default_factory=set)
    #: (field, language, text) of descriptions, definitions and headlines (full text).
    texts: list[tuple[str, str, str]] = field(default_factory=list)

    def label(self, lang: str = "sv") -> str:
        return pick_label(self.labels, lang, self.iri)

    def label_lang(self, lang: str = "sv") -> str:
        """The language of :meth:`label` ("" when untagged or the IRI's name)."""
        return pick_label_lang(self.labels, lang, self.iri)[1]


@dataclass(frozen=True)
class Hit:
    """An entity found, with the label that matched and how well; a full-text hit
    (``tier`` 4) has its snippet, and every hit a short excerpt of its description when
    it has one (``snippet``: parts ``{"text", "mark"}``, in ``snippet_lang``)."""

    entry: Entry
    matched: str
    tier: int
    snippet: tuple[dict[str, Any], ...] = ()
    snippet_lang: str = ""

    @property
    def iri(self) -> str:
        return self.entry.iri

    @property
    def kind(self) -> str:
        return self.entry.kind

    def label(self, lang: str = "sv") -> str:
        return self.entry.label(lang)


@dataclass
class SearchResult:
    """Entities found, best first (all kinds wanted), their number per kind (before the kind
    filter, for facets), and whether a cap cut the list. Hits are made only when asked for.
    """

    entries: list[Entry]
    order: Sequence[int]
    by_kind: Counter[str]
    query: str
    info: dict[int, tuple[int, str]] = field(default_factory=dict)
    truncated: bool = False
    fulltext: FullText | None = None
    #: entry → the text whose snippet to show (full-text hits)
    docs: dict[int, int] = field(default_factory=dict)
    lang: str = "sv"

    def __len__(self) -> int:
        return len(self.order)

    def _hit(self, i: int) -> Hit:
        tier, matched = self.info.get(i, (0, ""))
        parts: tuple[dict[str, Any], ...] = ()
        lang = ""
        if self.fulltext is not None:
            doc = self.docs.get(i)
            if doc is None:
                doc = self.fulltext.first(i, self.lang)
            if doc is not None:
                terms = [*self.query.split(), *(stem(t) for t in self.query.split())]
                parts = tuple(self.fulltext.snippet(doc, terms if i in self.docs else []))
                lang = self.fulltext.lang_of(doc)
        return Hit(self.entries[i], matched, tier, parts, lang)

    @property
    def hits(self) -> list[Hit]:
        """Every hit, best first."""
        return [self._hit(i) for i in self.order]

    def page(self, start: int, stop: int) -> list[Hit]:
        """Hits ``start`` to ``stop`` (0-based, end exclusive)."""
        return [self._hit(i) for i in self.order[start:stop]]

    def grouped(self, limit: int | None = None) -> list[tuple[str, list[Hit]]]:
        """Hits grouped by kind, ``limit`` per group; groups ordered by their best match
        (exact before prefix before word before substring), then in :data:`KINDS` order."""
        need = {k: n if limit is None else min(n, limit) for k, n in self.by_kind.items()}
        groups: dict[str, list[int]] = {}
        best: dict[str, int] = {}
        missing = sum(need.values())
        for i in self.order:
            kind = self.entries[i].kind
            bucket = groups.setdefault(kind, [])
            if kind not in best:
                best[kind] = self.info.get(i, (0, ""))[0]
            if len(bucket) < need.get(kind, 0):
                bucket.append(i)
                missing -= 1
                if missing <= 0:
                    break
        rank = {k: i for i, k in enumerate(KINDS)}
        order = sorted(groups, key=lambda k: (best[k], rank.get(k, 99)))
        return [(k, [self._hit(i) for i in groups[k]]) for k in order if groups[k]]


class LabelIndex:
    """Folded labels of every entity, with exact, prefix, word and substring lookups."""

    def __init__(self, entries: list[Entry], version: str = "") -> None:
        self.version = version
        self.entries = entries
        self.by_iri = {e.iri: i for i, e in enumerate(entries)}
        self._key_entry: list[int] = []
        self._key_alt: list[bool] = []
        self._key_text: list[str] = []
        self._key_tokens: list[tuple[str, ...]] = []
        exact: dict[str, list[int]] = {}
        for i, entry in enumerate(entries):
            mains = {x for texts in entry.labels.values() for x in texts}
            for text, alt in [*((m, False) for m in mains), *((a, True) for a in entry.alts)]:
                spaced = fold(text)
                if not spaced:
                    continue
                kid = len(self._key_entry)
                self._key_entry.append(i)
                self._key_alt.append(alt)
                self._key_text.append(text)
                self._key_tokens.append(tuple(spaced.split()))
                for form in {spaced, spaced.replace(" ", "")}:
                    exact.setdefault(form, []).append(kid)
        self._exact = exact
        compact = sorted((k, kid) for k, kids in exact.items() if " " not in k for kid in kids)
        self._prefix_keys = [k for k, _ in compact]
        self._prefix_ids = [kid for _, kid in compact]
        postings: dict[str, set[int]] = {}
        for kid, tokens in enumerate(self._key_tokens):
            for tok in tokens:
                postings.setdefault(tok, set()).add(kid)
        self._tokens = sorted(postings)
        self._postings = [tuple(sorted(postings[t])) for t in self._tokens]
        self._cumulative = [0]
        for posting in self._postings:
            self._cumulative.append(self._cumulative[-1] + len(posting))
        # every distinct word once, for substring search inside compounds
        self._blob = "\n".join(self._tokens)
        self._offsets: list[int] = []
        pos = 0
        for tok in self._tokens:
            self._offsets.append(pos)
            pos += len(tok) + 1
        self._sorted = sorted(range(len(entries)), key=lambda i: fold(entries[i].label()))
        self._by_kind: dict[str, list[int]] = {}
        for i in self._sorted:
            self._by_kind.setdefault(entries[i].kind, []).append(i)
        self._kind_counts: Counter[str] = Counter({k: len(v) for k, v in self._by_kind.items()})
        self.themes = sorted({t for e in entries for t in e.themes})
        self.years = sorted({y for e in entries for y in e.years})
        self.fulltext = FullText((i, f, lang, text) for i, e in enumerate(entries)
                                 for f, lang, text in e.texts)

    def __len__(self) -> int:
        return len(self.entries)

    def get(self, iri: str) -> Entry | None:
        """The entry of an IRI, if it has a label."""
        i = self.by_iri.get(iri)
        return None if i is None else self.entries[i]

    def named(self, text: str) -> list[Entry]:
        """The entities with exactly this name (a main label in any language).

        >>> LabelIndex([Entry("x:a", labels={"sv": ["Ånge kommun"]})]).named("Ånge kommun")[0].iri
        'x:a'
        """
        by_name = self.__dict__.get("_by_name")
        if by_name is None:
            by_name = {}
            for kid, text_ in enumerate(self._key_text):
                if not self._key_alt[kid]:
                    found = by_name.setdefault(text_, [])
                    if self._key_entry[kid] not in found:
                        found.append(self._key_entry[kid])
            self.__dict__["_by_name"] = by_name
        return [self.entries[i] for i in by_name.get(text, ())]

    # -- searching ---------------------------------------------------------------------
    def search(
        self,
        query: str,
        *,
        kinds: Iterable[str] | None = None,
        theme: str | None = None,
        year: int | None = None,
        limit: int | None = None,
    ) -> list[Hit]:
        """Hits for ``query`` in rank order, filtered; see :meth:`find` for counts too."""
        result = self.find(query, kinds=kinds, theme=theme, year=year)
        return result.page(0, len(result) if limit is None else limit)

    def find(
        self,
        query: str,
        *,
        kinds: Iterable[str] | None = None,
        theme: str | None = None,
        year: int | None = None,
        lang: str = "sv",
    ) -> SearchResult:
        """Search (or, for an empty query, list everything in label order) with filters.

        Args:
            query: free text; folded and forgiven as the module says.
            kinds: keep only these kinds (see :data:`KINDS`).
            theme: keep entities with this ``dcterms:subject`` (IRI), or a narrower one.
            year: keep entities whose dates, years or funding years include it.
            lang: the language snippets are preferably taken from.

        A query with very many matches stops after about :data:`ENOUGH` of the best
        (``truncated`` says so); an empty query lists everything.
        """
        want = set(kinds) if kinds else None
        folded = fold(query)
        info: dict[int, tuple[int, str]] = {}
        docs: dict[int, int] = {}
        truncated = False
        if not folded and theme is None and year is None:
            ranked: Sequence[int] = self._sorted
            counts = self._kind_counts.copy()
        else:
            ok = self._filter(theme, year)
            if folded:
                info, truncated, docs = self._rank(folded, ok, lang)
                ranked = list(info)
            else:
                ranked = [i for i in self._sorted if ok(self.entries[i])]
            counts = Counter(self.entries[i].kind for i in ranked)
        if want is not None:
            if not folded and theme is None and year is None:
                ranked = [i for k in KINDS if k in want for i in self._by_kind.get(k, ())]
            else:
                ranked = [i for i in ranked if self.entries[i].kind in want]
        return SearchResult(self.entries, ranked, counts, folded, info, truncated,
                            self.fulltext, docs, lang)

    def _filter(self, theme: str | None, year: int | None) -> Callable[[Entry], bool]:
        def ok(entry: Entry) -> bool:
            if theme is not None and theme not in entry.themes:
                return False
            return year is None or year in entry.years

        return ok

    def _rank(self, folded: str, ok: Callable[[Entry], bool], lang: str = "sv"
              ) -> tuple[dict[int, tuple[int, str]], bool, dict[int, int]]:
        """Entry id → (tier, matched label), best first; whether the list was cut; and the
        text to quote for each full-text hit."""
        tokens = folded.split()
        variants = [tokens]
        stemmed = [stem(t) for t in tokens]
        if stemmed != tokens:
            variants.append(stemmed)
        best: dict[int, tuple[int, int, int, int, int, str]] = {}
        truncated = False
        for tier in range(4):
            for penalty, toks in enumerate(variants):
                for kid in self._tier(tier, toks):
                    entry_id = self._key_entry[kid]
                    text = self._key_text[kid]
                    minor = int(self.entries[entry_id].kind not in _MAIN_KINDS)
                    score = (tier, minor, penalty, int(self._key_alt[kid]), len(text), text)
                    old = best.get(entry_id)
                    if old is None:
                        if ok(self.entries[entry_id]):
                            best[entry_id] = score
                            if len(best) >= ENOUGH:
                                truncated = True
                                break
                    elif score < old:
                        best[entry_id] = score
                if truncated:
                    break
            if truncated:
                break
        docs: dict[int, int] = {}
        if not truncated:
            text_hits: dict[int, tuple[float, int]] = {}
            for penalty, toks in enumerate(variants):
                for entry_id, (points, doc) in self.fulltext.find(toks, lang).items():
                    if entry_id in best or entry_id in text_hits or not ok(self.entries[entry_id]):
                        continue
                    text_hits[entry_id] = (points - penalty, doc)
            for entry_id, (points, doc) in text_hits.items():
                minor = int(self.entries[entry_id].kind not in _MAIN_KINDS)
                best[entry_id] = (TEXT_TIER, minor, -int(points * 10), 0, 0, "")
                docs[entry_id] = doc
        order = sorted(best, key=lambda i: (best[i], self.entries[i].iri))
        return {i: (best[i][0], best[i][5]) for i in order}, truncated, docs

    def _tier(self, tier: int, tokens: list[str]) -> Iterable[int]:
        spaced, compact = " ".join(tokens), "".join(tokens)
        if tier == 0:
            return [kid for form in {spaced, compact} for kid in self._exact.get(form, ())]
        if tier == 1:
            return self._prefix(compact)
        if tier == 2:
            return self._word_prefix(tokens)
        return self._substring(tokens) if len(compact) >= 3 else ()

    def _prefix(self, compact: str) -> Iterable[int]:
        lo = bisect.bisect_left(self._prefix_keys, compact)
        for n, j in enumerate(range(lo, len(self._prefix_keys))):
            if n >= CAP or not self._prefix_keys[j].startswith(compact):
                break
            yield self._prefix_ids[j]

    def _token_range(self, token: str) -> range:
        lo = bisect.bisect_left(self._tokens, token)
        hi = bisect.bisect_left(self._tokens, token + "\U0010ffff", lo)
        return range(lo, hi)

    def _word_prefix(self, tokens: list[str]) -> Iterable[int]:
        def size(r: range) -> int:  # keys under a range of words, in O(1)
            return self._cumulative[r.stop] - self._cumulative[r.start]

        ranges = sorted(((self._token_range(t), t) for t in tokens), key=lambda r: size(r[0]))
        if not ranges or not ranges[0][0]:
            return
        (first, _), rest = ranges[0], [t for _, t in ranges[1:]]
        seen: set[int] = set()
        for j in first:
            for kid in self._postings[j]:
                if kid in seen:
                    continue
                seen.add(kid)
                words = self._key_tokens[kid]
                if all(any(w.startswith(t) for w in words) for t in rest):
                    yield kid
                if len(seen) >= CAP:
                    return

    def _substring(self, tokens: list[str]) -> Iterable[int]:
        """Keys with a word containing the rarest query word (e.g. "samverkan" inside
        "gymnasiesamverkan"), whose other words contain the other query words."""
        rarest = tokens[0] if len(tokens) == 1 else min(tokens, key=self._blob.count)
        rest = [t for t in tokens if t is not rarest]
        find, blob, pos = self._blob.find, self._blob, 0
        seen: set[int] = set()
        while len(seen) < CAP:
            pos = find(rarest, pos)
            if pos < 0:
                return
            j = bisect.bisect_right(self._offsets, pos) - 1
            for kid in self._postings[j]:
                if kid in seen:
                    continue
                seen.add(kid)
                words = self._key_tokens[kid]
                if all(any(t in w for w in words) for t in rest):
                    yield kid
                if len(seen) >= CAP:
                    return
            end = blob.find("\n", pos)
            pos = len(blob) if end < 0 else end + 1


# -- building ----------------------------------------------------------------------------
def _year(value: Literal) -> int | None:
    text = str(value)[:4]
    return int(text) if text.isdigit() else None


def _growing(values: AbstractSet[T]) -> set[T]:
    """A set of an entry being built (only :func:`build_entries` builds entries)."""
    assert isinstance(values, set)
    return values


def _add_row(entries: dict[str, Entry], dates: dict[str, list[int | None]],
             s: str, k: str, v: URIRef | Literal) -> None:
    entry = entries.get(s)
    if entry is None:
        entry = entries[s] = Entry(s)
    if k == "l" and isinstance(v, Literal):
        texts = entry.labels.setdefault(v.language or "", [])
        if str(v) not in texts:
            texts.append(str(v))
    elif k == "a" and isinstance(v, Literal):
        if str(v) not in entry.alts:
            entry.alts.append(str(v))
    elif k == "h" and isinstance(v, Literal):
        entry.texts.append(("headline", v.language or "", str(v)))
    elif k.startswith("x:") and isinstance(v, Literal):
        entry.texts.append((k[2:], v.language or "", str(v)))
    elif k == "t":
        _growing(entry.types).add(str(v))
    elif k == "s" and isinstance(v, URIRef):
        _growing(entry.themes).add(str(v))
    elif k in "bey" and isinstance(v, Literal):
        y = _year(v)
        if y is not None and k == "y":
            _growing(entry.years).add(y)
        elif y is not None:
            pair = dates.setdefault(s, [None, None])
            i = 0 if k == "b" else 1
            old = pair[i]
            pair[i] = y if old is None else (min(old, y) if i == 0 else max(old, y))


def build_index(store: Store) -> LabelIndex:
    """Read every label, type, theme and year with one query and index them."""
    rows = ((str(subject), str(k), v) for subject, k, v in store.select(INDEX_QUERY).rows
            if isinstance(subject, URIRef) and isinstance(v, URIRef | Literal) and k is not None)
    return LabelIndex(build_entries(rows), store.data_version())


def build_entries(rows: Iterable[tuple[str, str, URIRef | Literal]]) -> list[Entry]:
    """The index entries of the rows of :data:`INDEX_QUERY` (subject, kind, value), in
    IRI order; entities without a name and relation nodes are left out."""
    entries: dict[str, Entry] = {}
    dates: dict[str, list[int | None]] = {}
    for subject, k, v in rows:
        _add_row(entries, dates, subject, k, v)
    for iri, (start, end) in dates.items():
        first, last = start or end, end or start
        if first is not None and last is not None and 0 <= last - first <= MAX_YEARS:
            _growing(entries[iri].years).update(range(first, last + 1))
    kept: list[Entry] = []
    shared: dict[frozenset[Any], frozenset[Any]] = {}
    for entry in entries.values():
        if not entry.labels:  # a news item is named by its headline
            for f, lang, text in entry.texts:
                if f == "headline":
                    entry.labels.setdefault(lang, []).append(text)
        if not (entry.labels or entry.alts) or entry.types & RELATION_CLASSES:
            continue
        entry.texts.sort()
        entry.kind = kind_of(entry.types)
        # equal sets once (most entries share their types; many have no theme or year)
        entry.types = shared.setdefault(frozenset(entry.types), frozenset(entry.types))
        entry.themes = shared.setdefault(frozenset(entry.themes), frozenset(entry.themes))
        entry.years = shared.setdefault(frozenset(entry.years), frozenset(entry.years))
        kept.append(entry)
    kept.sort(key=lambda e: e.iri)
    return kept


def index_for(store: Store) -> LabelIndex:
    """The index of a store's current data version, built once (:mod:`kg.cache`); while a
    new version's index is being built, searches use the previous one."""
    return per_version(store, "label-index", lambda: _built(store), stale=True)


def _built(store: Store) -> LabelIndex:
    log.info("building the label index for data version %s", store.data_version())
    return build_index(store)
