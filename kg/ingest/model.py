"""What ingest finds in a document: mentions (with ranked candidates), proposed new entities
and proposed facts, each pointing at its sentence and telling how it was found and how sure
we are. A proposal knows the triples it stands for, in the terms of the data model
(docs/modelling.md), so that accepting it is adding exactly those triples.

Values in a proposal are :class:`Value`: an IRI (existing or proposed), or a typed/tagged
literal. Proposed IRIs follow the data model's patterns (``deltagande:<project>--<org>``,
``finansiering:<project>--<funder>[--<year>]``, ``uppdrag:<person>--<body>--<role>``).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.namespaces import DCTERMS, KFV, ORG, RDFS, SCHEMA, XSD, curie

__all__ = [
    "KIND_LABELS",
    "Candidate",
    "IngestResult",
    "Mention",
    "Proposal",
    "Value",
]

#: Proposal kinds and their Swedish names (as the review page and the table show them).
KIND_LABELS: dict[str, str] = {
    "entitet": "Ny entitet",
    "roll": "Roll i projekt",
    "finansiering": "Finansiering",
    "uppdrag": "Uppdrag",
    "status": "Status",
    "period": "Period",
    "resultat": "Resultat",
}


@dataclass(frozen=True)
class Candidate:
    """An entity a mention may refer to, with a score between 0 and 1."""

    iri: str
    label: str
    kind: str
    score: float


@dataclass
class Mention:
    """A stretch of the text that names an entity: known (candidates) or proposed (``new``)."""

    id: str
    start: int
    end: int
    text: str
    kind: str
    candidates: list[Candidate]
    certain: bool
    method: str
    sentence: int
    new: str | None = None  # the proposed IRI of a new entity (an "entitet" proposal's subject)
    group: bool = False  # every candidate is meant ("länets sju kommuner")

    @property
    def iris(self) -> list[str]:
        """Every entity meant: all candidates of a group, else the one :attr:`iri`."""
        if self.group:
            return [c.iri for c in self.candidates]
        return [self.iri] if self.iri else []

    @property
    def iri(self) -> str | None:
        """The entity meant: the only or clearly best candidate, or the proposed new IRI."""
        if self.new is not None:
            return self.new
        return self.candidates[0].iri if self.candidates else None

    @property
    def label(self) -> str:
        return self.candidates[0].label if self.candidates else self.text

    def to_json(self) -> dict[str, Any]:
        out = asdict(self)
        out["iri"] = self.iri
        out["iris"] = self.iris
        return out


@dataclass(frozen=True)
class Value:
    """One object of a proposed triple: an IRI, or a literal with datatype or language."""

    value: str
    iri: bool = False
    datatype: str | None = None
    lang: str | None = None
    label: str | None = None  # how to show it (an entity's label, a concept's name)
    new: bool = False  # a proposed IRI, not yet in the graph

    def term(self) -> Node:
        if self.iri:
            return URIRef(self.value)
        if self.lang:
            return Literal(self.value, lang=self.lang)
        return Literal(self.value, datatype=URIRef(self.datatype) if self.datatype else None)

    def show(self) -> str:
        if self.label:
            return self.label
        if self.iri:
            return curie(self.value)
        if self.datatype == str(XSD.decimal):
            return f"{int(float(self.value)):,}".replace(",", " ")
        return self.value

    @classmethod
    def ref(cls, iri: str, label: str | None = None, *, new: bool = False) -> Value:
        return cls(iri, iri=True, label=label, new=new)

    @classmethod
    def text(cls, value: str, lang: str = "sv") -> Value:
        return cls(value, lang=lang)

    @classmethod
    def typed(cls, value: str, datatype: URIRef) -> Value:
        return cls(value, datatype=str(datatype))


@dataclass
class Proposal:
    """A proposed fact (or new entity): the node it is about, its properties, and why.

    ``subject`` is the node the triples are about (a new entity, a new participation, an
    existing project for a status); ``values`` maps each property IRI to its objects.
    ``requires`` lists proposed IRIs (new entities) this proposal's triples point to: an
    editor accepting it accepts those too. ``known`` is set when the graph already states
    the same fact (shown, but nothing to add).
    """

    id: str
    kind: str
    subject: str
    subject_label: str
    types: list[str]
    values: dict[str, list[Value]]
    sentence: str
    start: int
    end: int
    method: str
    confidence: float
    summary: str
    requires: list[str] = field(default_factory=list)
    known: bool = False
    note: str = ""
    links: list[tuple[str, str, str]] = field(default_factory=list)  # extra (s, p, o-IRI) triples

    def triples(self, source: str | None = None) -> list[tuple[URIRef, URIRef, Node]]:
        """The triples this proposal stands for (with ``dcterms:source`` when a source is given)."""
        s = URIRef(self.subject)
        out: list[tuple[URIRef, URIRef, Node]] = []
        from kg.namespaces import RDF

        for t in self.types:
            out.append((s, RDF.type, URIRef(t)))
        for p, objs in self.values.items():
            for o in objs:
                out.append((s, URIRef(p), o.term()))
        for ls, lp, lo in self.links:
            out.append((URIRef(ls), URIRef(lp), URIRef(lo)))
        if source and (self.types or self.kind in ("roll", "finansiering", "uppdrag", "resultat")):
            out.append((s, DCTERMS.source, URIRef(source)))
        return out

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "kind": self.kind,
            "kind_label": KIND_LABELS.get(self.kind, self.kind),
            "subject": self.subject,
            "subject_label": self.subject_label,
            "types": self.types,
            "values": {curie(p): [asdict(v) for v in vs] for p, vs in self.values.items()},
            "summary": self.summary,
            "sentence": self.sentence,
            "start": self.start,
            "end": self.end,
            "method": self.method,
            "confidence": round(self.confidence, 2),
            "requires": self.requires,
            "known": self.known,
            "note": self.note,
            "triples": [[str(s), str(p), o.n3()] for s, p, o in self.triples()],
        }


@dataclass
class IngestResult:
    """Everything ingest found in one document."""

    title: str
    date: str | None
    text: str
    mentions: list[Mention]
    proposals: list[Proposal]
    media_type: str = "text/plain"
    filename: str | None = None
    sha256: str = ""
    seconds: float = 0.0

    def dump(self) -> dict[str, Any]:
        """Everything, losslessly, as plain data (see :meth:`load`)."""
        return asdict(self)

    @classmethod
    def load(cls, data: dict[str, Any]) -> IngestResult:
        """The result :meth:`dump` wrote."""
        mentions = [Mention(**{**m, "candidates": [Candidate(**c) for c in m["candidates"]]})
                    for m in data["mentions"]]
        proposals = [Proposal(**{**p, "values": {k: [Value(**v) for v in vs] for k, vs in p["values"].items()},
                                 "links": [tuple(x) for x in p.get("links", [])]})
                     for p in data["proposals"]]
        rest = {k: v for k, v in data.items() if k not in ("mentions", "proposals")}
        return cls(mentions=mentions, proposals=proposals, **rest)

    def proposal(self, pid: str) -> Proposal | None:
        return next((p for p in self.proposals if p.id == pid), None)

    def to_json(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "date": self.date,
            "filename": self.filename,
            "media_type": self.media_type,
            "sha256": self.sha256,
            "characters": len(self.text),
            "seconds": round(self.seconds, 3),
            "mentions": [m.to_json() for m in self.mentions],
            "proposals": [p.to_json() for p in self.proposals],
        }


#: Kinds of proposals whose node is a relation (a grant, a role in a project): named from its ends.
RELATION_KINDS = ("finansiering", "roll")


def relation_label(kind: str, values: dict[str, list[Value]], names: dict[str, str] | None = None) -> str | None:
    """A Swedish name of a grant or a role in a project, as the editing forms and the curated
    data name them ("Finansiering från Energimyndigheten till Laddlinjen", "Sundsvalls kommun –
    projektägare i Laddlinjen"); ``names`` gives entities the editor renamed (IRI → name)."""
    def name(prop: str) -> str | None:
        vs = values.get(prop)
        if not vs:
            return None
        return (names or {}).get(vs[0].value) or vs[0].show()

    if kind == "finansiering":
        who, what = name(str(SCHEMA.funder)) or name(str(KFV.fund)), name(str(SCHEMA.fundedItem))
        return f"Finansiering från {who} till {what}" if who and what else None
    if kind == "roll":
        member, body, role = name(str(ORG.member)), name(str(ORG.organization)), name(str(ORG.role))
        if not (member and body):
            return None
        return f"{member} – {role.lower()} i {body}" if role else f"{member} i {body}"
    return None


def with_relation_label(p: Proposal, names: dict[str, str] | None = None) -> Proposal:
    """``p`` with its ``rdfs:label`` (and the name shown) made from its ends, when it is a relation."""
    label = relation_label(p.kind, p.values, names) if p.kind in RELATION_KINDS and not p.known else None
    if label is None:
        return p
    p.values[str(RDFS.label)] = [Value.text(label)]
    p.subject_label = label
    return p
