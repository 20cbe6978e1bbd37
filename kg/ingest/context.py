"""What the fact finders share: the entities named in each sentence (linked or new), the
project the text is about at each point, and how proposals are built and numbered.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from kg.ingest.entities import NewEntity
from kg.ingest.gazetteer import Gazetteer
from kg.ingest.model import Mention, Proposal, Value, with_relation_label
from kg.ingest.text import Sentence

__all__ = ["Context", "Ref", "concept"]

_SCHEMES = {
    "projektroll": "def/projektroll/",
    "organisationsroll": "def/organisationsroll/",
    "status": "def/status/",
    "organisationstyp": "def/organisationstyp/",
}#: Kinds of things that are not projects: a sentence about one of them (and about no project)
#: gives no role or funding in a project from the sentences around it.
OTHER_KINDS = frozenset({"evenemang", "program", "plan", "beslut", "rapport"})

_CONCEPT_LABELS = {
    "projektagare": "projektägare", "samverkanspartner": "samverkanspartner",
    "samarbetspartner": "samarbetspartner", "deltagare": "deltagare", "medfinansiar": "medfinansiär",
    "partner": "partner", "samordnare": "samordnare", "processledare": "processledare",
    "utvarderare": "utvärderare", "utforare": "utförare", "arrangor": "arrangör", "medarrangor": "medarrangör",
    "sokande": "sökande", "uppdragsgivare": "uppdragsgivare", "forvaltare": "förvaltare",
    "ordforande": "ordförande", "vice-ordforande": "vice ordförande", "ledamot": "ledamot",
    "ordinarie": "ordinarie", "ersattare": "ersättare", "representant": "representant",
    "direktor": "direktör", "tf-direktor": "tf direktör", "kommunalrad": "kommunalråd",
    "oppositionsrad": "oppositionsråd", "ledare": "ledare", "projektledare": "projektledare",
    "utvecklingssamordnare": "utvecklingssamordnare", "chef": "chef", "forskare": "forskare",
    "planerat": "planerat", "ansokt": "ansökt", "beviljad": "beviljad", "ej-beviljad": "ej beviljad",
    "pagaende": "pågående", "avslutat": "avslutat", "pausat": "pausat", "forlangt": "förlängt",
}


def concept(base: str, scheme: str, slug: str) -> Value:
    """A SKOS concept of one of the data model's schemes, as a proposal value."""
    return Value.ref(base + _SCHEMES[scheme] + slug, _CONCEPT_LABELS.get(slug, slug))


@dataclass(frozen=True)
class Ref:
    """An entity named at a place in the text (one of a group counts as one each)."""

    iri: str
    kind: str
    label: str
    start: int
    end: int
    new: bool
    confidence: float
    org_types: frozenset[str] = frozenset()

    def value(self) -> Value:
        return Value.ref(self.iri, self.label, new=self.new)


@dataclass
class Context:
    gz: Gazetteer
    text: str
    sentences: Sequence[Sentence]
    mentions: Sequence[Mention]
    new: Sequence[NewEntity]
    base: str
    proposals: list[Proposal] = field(default_factory=list)
    next_id: int = 1
    _refs: dict[int, list[Ref]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        new_by_iri = {e.iri: e for e in self.new}
        for m in self.mentions:
            refs = self._refs.setdefault(m.sentence, [])
            if m.new is not None:
                ent = new_by_iri.get(m.new)
                if ent is not None:
                    types = frozenset({ent.org_type} if ent.org_type else ())
                    refs.append(Ref(ent.iri, ent.kind, ent.label, m.start, m.end, True, ent.confidence, types))
                continue
            if not m.candidates:
                continue
            chosen = m.candidates if m.group else [m.candidates[0]]
            for c in chosen:
                if not m.certain and not m.group and c.score < 0.6:
                    continue
                conf = c.score if m.certain else c.score * 0.8
                refs.append(Ref(c.iri, c.kind, c.label, m.start, m.end, False, conf,
                                frozenset(self.gz.org_types.get(c.iri, ()))))
        for refs in self._refs.values():
            refs.sort(key=lambda r: r.start)

    # -- entities ----------------------------------------------------------------------
    def add_ref(self, si: int, ref: Ref) -> None:
        self._refs.setdefault(si, []).append(ref)
        self._refs[si].sort(key=lambda r: r.start)

    def refs(self, si: int, kind: str | None = None) -> list[Ref]:
        return [r for r in self._refs.get(si, []) if kind is None or r.kind == kind]

    def projects_before(self, si: int) -> Ref | None:
        """The project the text was last about, in this or the previous paragraph."""
        para = self.sentences[si].paragraph
        for j in range(si, -1, -1):
            if para - self.sentences[j].paragraph > 1:
                break
            found = self.refs(j, "projekt")
            if j == si:
                continue
            if found:
                return found[-1]
        return None

    def project_for(self, si: int, pos: int | None = None) -> tuple[Ref | None, float]:
        """The project a fact in sentence ``si`` is about, and how sure that is."""
        here = self.refs(si, "projekt")
        if here:
            if pos is None:
                return here[0], 1.0
            return min(here, key=lambda r: abs(r.start - pos)), 1.0
        if any(r.kind in OTHER_KINDS for r in self.refs(si)):
            return None, 0.0  # the sentence is about an event, a programme, a plan …: not a project
        before = self.projects_before(si)
        if before is not None:
            same = self.sentences[si].paragraph == self._paragraph_of(before.start)
            return before, 0.8 if same else 0.6
        para = self.sentences[si].paragraph
        for j in range(si + 1, min(si + 3, len(self.sentences))):
            if self.sentences[j].paragraph != para:
                break
            ahead = self.refs(j, "projekt")
            if ahead:
                return ahead[0], 0.6  # "X har tillsammans med ... Nu avslutas projektet Y"
        return None, 0.0

    def _paragraph_of(self, pos: int) -> int:
        for s in self.sentences:
            if s.start <= pos < s.end:
                return s.paragraph
        return -1

    def home(self) -> Ref | None:
        iri = self.gz.home()
        if iri is None:
            return None
        return Ref(iri, "organisation", self.gz.label(iri), 0, 0, False, 0.9,
                   frozenset(self.gz.org_types.get(iri, ())))

    # -- proposals ---------------------------------------------------------------------
    def propose(self, **fields: object) -> Proposal:
        p = with_relation_label(Proposal(id=f"p{self.next_id}", **fields))  # type: ignore[arg-type]
        self.next_id += 1
        self.proposals.append(p)
        return p

    def sentence_fields(self, si: int) -> dict[str, object]:
        s = self.sentences[si]
        return {"sentence": s.text, "start": s.start, "end": s.end}

    def local(self, si: int, start: int, end: int) -> str:
        """Text of sentence ``si`` between two document offsets."""
        s = self.sentences[si]
        return self.text[max(start, s.start):min(end, s.end)]


_WORDS = re.compile(r"\w+")
