"""What a changeset is: the triples removed and added, who, when, why, from which source.

A :class:`Changeset` is immutable once written to the journal; its review state comes from
later :class:`Review` records (see :mod:`kg.edit.journal`). Data quads are rdflib terms with
a named graph: removals name the graph(s) that stated the triple, additions go into the
changeset's own graph ``<base>graph/andring/<id>``.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from typing import Literal as TLiteral

from rdflib import URIRef

from kg.io.terms import Quad

__all__ = [
    "APPROVED",
    "PROPOSED",
    "REJECTED",
    "Changeset",
    "Review",
    "Source",
    "changeset_graph",
    "changeset_iri",
    "new_id",
    "now_utc",
]

State = TLiteral["proposed", "approved", "rejected"]
PROPOSED: State = "proposed"
APPROVED: State = "approved"
REJECTED: State = "rejected"


def now_utc() -> str:
    """The current time as ISO 8601 in UTC, to the second.

    >>> len(now_utc()), now_utc().endswith("Z")
    (20, True)
    """
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def new_id() -> str:
    """A changeset id: sortable by time, unique (``20261129T023000-1a2b3c``).

    >>> import re; bool(re.fullmatch(r"\\d{8}T\\d{6}-[0-9a-f]{6}", new_id()))
    True
    """
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)


def changeset_iri(cs_id: str, base: str) -> URIRef:
    """The IRI of a changeset (a ``prov:Activity``): ``<base>id/andring/<id>``."""
    return URIRef(f"{base}id/andring/{cs_id}")


def changeset_graph(cs_id: str, base: str) -> URIRef:
    """The named graph holding a changeset's added triples: ``<base>graph/andring/<id>``."""
    return URIRef(f"{base}graph/andring/{cs_id}")


@dataclass(frozen=True)
class Source:
    """Where a change comes from. Exactly one kind:

    - ``document``: a document already in the graph (``iri``);
    - ``new-document``: a new document (``title``, ``url`` (a web address, or a file name or
      registration number), ``date``); it gets an IRI under ``kalla:`` when published;
    - ``informant``: "uppgift från" a person (``informant``: a name, or ``informant_iri``
      for a person in the graph), with ``date``.

    ``quote`` (optional) is the passage the change rests on. ``iri`` is filled in for the
    new kinds when the changeset is created.
    """

    kind: TLiteral["document", "new-document", "informant"]
    iri: str = ""
    title: str = ""
    url: str = ""
    date: str = ""
    informant: str = ""
    informant_iri: str = ""
    quote: str = ""

    def label(self) -> str:
        """A one-line Swedish description of the source."""
        if self.kind == "informant":
            who = self.informant or self.informant_iri.rsplit("/", 1)[-1]
            return f"Uppgift från {who}" + (f", {self.date}" if self.date else "")
        if self.kind == "new-document":
            return self.title + (f" ({self.date})" if self.date else "")
        return self.title or self.iri


@dataclass(frozen=True)
class Review:
    """A decision on a proposed changeset (a journal record of its own)."""

    changeset: str
    decision: State
    reviewer: str
    reviewer_name: str
    time: str
    note: str = ""
    #: The removals as applied when published (the graphs holding each triple then).
    removes: tuple[Quad, ...] = ()
    seq: int = 0


@dataclass(frozen=True)
class Changeset:
    """One change to the graph, as written to the journal.

    Attributes:
        id: see :func:`new_id`.
        author, author_name: the account that made it, and its display name.
        created: ISO time (UTC).
        reason: why, in the author's words.
        source: where the facts come from.
        removes, adds: data quads (removals name their graphs; additions are in the
            changeset's graph).
        entities: the IRIs the change is about (main entity first): history is per entity.
        base_versions: entity IRI -> its version when the editor opened it (conflicts).
        reverts: the id of the changeset this one reverts, if any.
        summary: a short Swedish description ("Nytt projekt: X").
        state: ``proposed``, ``approved`` or ``rejected`` (from the journal's reviews).
    """

    id: str
    author: str
    author_name: str
    created: str
    reason: str
    source: Source
    removes: tuple[Quad, ...] = ()
    adds: tuple[Quad, ...] = ()
    entities: tuple[str, ...] = ()
    base_versions: tuple[tuple[str, str], ...] = ()
    reverts: str = ""
    summary: str = ""
    origin: str = "form"
    state: State = PROPOSED
    seq: int = 0
    reviews: tuple[Review, ...] = field(default=(), compare=False)

    @property
    def review(self) -> Review | None:
        """The deciding review (approval or rejection), if any."""
        return self.reviews[-1] if self.reviews else None

    @property
    def published(self) -> bool:
        return self.state == APPROVED

    @property
    def published_at(self) -> str:
        """When it was published (its approval time), or ``""``."""
        if self.state != APPROVED:
            return ""
        return self.review.time if self.review else self.created

    def with_state(self, review: Review) -> Changeset:
        return replace(self, state=review.decision, reviews=(*self.reviews, review))
