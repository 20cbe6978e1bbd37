"""The edit service: the one way changes reach the store (views and ingest call it).

::

    service = EditService(handle, Journal(settings.journal_dir, base), base=..., shapes=...)
    cs = service.create(Delta(remove=..., add=...), author=actor, reason="…",
                        source=Source("document", iri="https://data.kfvn.se/id/kalla/x"),
                        entities=["https://data.kfvn.se/id/projekt/x"])
    service.approve(cs.id, reviewer)      # or reject(cs.id, reviewer, "why")
    service.revert(cs.id, reviewer, "why")
    service.history("https://data.kfvn.se/id/projekt/x")

Every save is written to the journal first (atomically) and then, when published, applied
to the store in one transaction through the store handle; :meth:`recover` applies any
published changeset the store lacks (after a crash between the two), and runs before each
write. Writers are serialised by the journal's lock.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Protocol

from rdflib import URIRef

from kg.edit.check import check_nodes
from kg.edit.forms import entity_triples, entity_version
from kg.edit.journal import Journal
from kg.edit.model import APPROVED, PROPOSED, REJECTED, Changeset, Review, Source, changeset_graph, new_id, now_utc
from kg.edit.provenance import provenance_quads
from kg.edit.shapes import FormCatalog, FormSpec, load_forms
from kg.edit.values import slugify
from kg.errors import KgError, ValidationError, Violation
from kg.io.terms import Quad, Triple
from kg.namespaces import FOAF, KFV, PROV, RDF
from kg.store.base import Store
from kg.store.delta import Delta

__all__ = ["ROLES", "Actor", "ConflictError", "EditError", "EditService", "PermissionDenied", "changeset_delta"]

log = logging.getLogger(__name__)
#: Roles, weakest first: a redaktör proposes, a granskare also approves, rejects and reverts,
#: an admin also manages accounts.
ROLES = ("redaktör", "granskare", "admin")


class Handle(Protocol):
    """What the service needs of :class:`kg.store.handle.StoreHandle`."""

    def current(self) -> Store: ...
    def apply(self, delta: Delta, *, head: str | None = None) -> str: ...


@dataclass(frozen=True)
class Actor:
    """Who does something: an account's name, display name and role."""

    username: str
    name: str
    role: str

    @property
    def can_review(self) -> bool:
        return self.role in ("granskare", "admin")


class EditError(KgError):
    """A change that cannot be made as asked (the message says why: :meth:`text` in the
    page's language, ``str()`` in Swedish)."""


class PermissionDenied(EditError):
    """The actor's role does not allow this."""


class ConflictError(EditError):
    """The entity changed since the editor opened it: ``changed`` holds (IRI, their version,
    the current version) and ``since`` the changesets published meanwhile."""

    def __init__(self, message: str, changed: list[tuple[str, str, str]] | None = None,
                 since: list[Changeset] | None = None) -> None:
        super().__init__(message)
        self.changed = changed or []
        self.since = since or []

    def about(self, changed: list[tuple[str, str, str]], since: list[Changeset]) -> ConflictError:
        """This error, naming what changed and the changesets published meanwhile."""
        self.changed, self.since = changed, since
        return self


def changeset_delta(cs: Changeset, base: str) -> Delta:
    """The store delta that publishes ``cs``: its removals as applied, its additions and its
    provenance, all in one transaction."""
    review = cs.review
    removes = review.removes if review is not None and review.removes else cs.removes
    return Delta(remove=tuple(removes), add=tuple(cs.adds) + tuple(provenance_quads(cs, base)))


class EditService:
    """Changesets over one store handle and one journal (see the module docstring)."""

    def __init__(self, handle: Handle, journal: Journal, *, base: str, shapes: Path,
                 review: bool = True) -> None:
        self.handle = handle
        self.journal = journal
        self.base = base
        self.shapes = shapes
        self.review = review

    # -- reading ------------------------------------------------------------------------
    @property
    def store(self) -> Store:
        return self.handle.current()

    @property
    def forms(self) -> FormCatalog:
        return load_forms(self.shapes)

    def types_of(self, iri: str) -> set[str]:
        return {str(t) for t in self.store.select("SELECT ?e ?t WHERE { ?e a ?t }", bindings={"e": URIRef(iri)})
                .column("t")}

    def spec_for(self, iri: str) -> FormSpec | None:
        """The form of an entity (from its types), or None when it has none."""
        return self.forms.for_types(self.types_of(iri))

    def version_of(self, iri: str) -> str:
        """The entity's version: a hash of what its form edits (its triples and its rows)."""
        spec = self.spec_for(iri)
        if spec is None:
            rows = self.store.select("SELECT ?e ?p ?o WHERE { ?e ?p ?o }", bindings={"e": URIRef(iri)}).rows
            return entity_version([(URIRef(iri), p, o) for _e, p, o in rows])  # type: ignore[misc]
        return entity_version(entity_triples(self.store, iri, spec))

    def get(self, cs_id: str) -> Changeset:
        return self.journal.get(cs_id)

    def history(self, iri: str, *, published_only: bool = True) -> list[Changeset]:
        """Changesets that touched an entity (listed in ``entities`` or as a subject), newest first."""
        out = []
        for cs in self.journal.changesets():
            if published_only and cs.state != APPROVED:
                continue
            subjects = {str(q[0]) for q in (*cs.adds, *cs.removes)}
            if iri in cs.entities or iri in subjects:
                out.append(cs)
        return sorted(out, key=lambda c: (c.published_at or c.created, c.seq), reverse=True)

    def recent(self, limit: int = 50, *, states: Iterable[str] = (APPROVED,)) -> list[Changeset]:
        """The latest changesets in these states, newest first (published ones by publication)."""
        wanted = set(states)
        chosen = [c for c in self.journal.changesets() if c.state in wanted]
        chosen.sort(key=lambda c: (c.published_at or c.review.time if c.review else c.created, c.seq),
                    reverse=True)
        return chosen[:limit]

    def pending(self) -> list[Changeset]:
        """Proposals waiting for review, oldest first."""
        return [c for c in self.journal.changesets() if c.state == PROPOSED]

    def reverted_by(self, cs_id: str) -> Changeset | None:
        return next((c for c in self.journal.published() if c.reverts == cs_id), None)

    # -- writing ------------------------------------------------------------------------
    def create(self, delta: Delta, *, author: Actor, reason: str, source: Source,
               entities: Sequence[str], base_versions: Iterable[tuple[str, str]] = (),
               summary: str = "", publish: bool | None = None, origin: str = "form",
               reverts: str = "", validate: bool = True) -> Changeset:
        """Make a changeset; publish it when the author may (and ``publish`` is not False).

        ``delta`` quads without a graph: additions go into the changeset's graph, removals
        are taken from every graph that states the triple.

        Raises:
            PermissionDenied: not an editor, or publishing without the right.
            EditError: no reason, no usable source, or nothing to change.
            ValidationError: the change breaks the SHACL shapes (violations say where).
            ConflictError: an entity changed since ``base_versions`` were read.
        """
        if author.role not in ROLES:
            raise PermissionDenied.of("edit.err.not_editor")
        if not reason.strip():
            raise EditError.of("edit.err.no_reason")
        if publish is None:
            publish = author.can_review or not self.review
        if publish and self.review and not author.can_review:
            raise PermissionDenied.of("edit.err.cannot_publish")
        with self.journal.locked():
            self.recover()
            cs_id = new_id()
            source = self.prepare_source(source)
            graph = changeset_graph(cs_id, self.base)
            adds = tuple((s, p, o, g if g is not None else graph) for s, p, o, g in delta.add)
            removes = self._located(delta.remove)
            if not adds and not removes:
                raise EditError.of("edit.err.no_change")
            if validate:
                self._validate(entities, removes, adds, source)
            self._check_versions(base_versions)
            cs = Changeset(cs_id, author.username, author.name, now_utc(), reason.strip(), source,
                           removes, adds, tuple(dict.fromkeys(entities)), tuple(base_versions),
                           reverts, summary, origin, APPROVED if publish else PROPOSED)
            cs = self.journal.append_changeset(cs)
            if publish:
                self.handle.apply(changeset_delta(cs, self.base), head=cs.id)
            log.info("changeset %s by %s: %s", cs.id, author.username, cs.state)
            return cs

    def approve(self, cs_id: str, reviewer: Actor, *, force: bool = False) -> Changeset:
        """Publish a proposal.

        Raises:
            PermissionDenied: the reviewer is not a granskare.
            EditError: it is not a proposal.
            ConflictError: an entity it changes has changed since it was proposed
                (``force`` publishes anyway).
        """
        self._need_reviewer(reviewer)
        with self.journal.locked():
            self.recover()
            cs = self._proposal(cs_id)
            if not force:
                self._check_versions(cs.base_versions)
            review = Review(cs.id, APPROVED, reviewer.username, reviewer.name, now_utc(),
                            removes=self._located(tuple((s, p, o, None) for s, p, o, _g in cs.removes)))
            cs = self.journal.append_review(review)
            self.handle.apply(changeset_delta(cs, self.base), head=cs.id)
            return cs

    def reject(self, cs_id: str, reviewer: Actor, note: str) -> Changeset:
        """Turn a proposal down; the reason is kept.

        Raises:
            PermissionDenied, EditError: as for :meth:`approve`; also when ``note`` is empty.
        """
        self._need_reviewer(reviewer)
        if not note.strip():
            raise EditError.of("edit.err.no_reject_reason")
        with self.journal.locked():
            cs = self._proposal(cs_id)
            return self.journal.append_review(Review(cs.id, REJECTED, reviewer.username, reviewer.name,
                                                     now_utc(), note.strip()))

    def revert(self, cs_id: str, actor: Actor, reason: str, source: Source | None = None) -> Changeset:
        """Undo a published changeset with a new, published changeset.

        Raises:
            PermissionDenied: not a granskare.
            EditError: not published, or already reverted.
            ConflictError: a later published changeset changed the same facts (revert it first).
        """
        self._need_reviewer(actor)
        with self.journal.locked():
            cs = self.get(cs_id)
            if cs.state != APPROVED:
                raise EditError.of("edit.err.revert_unpublished")
            if self.reverted_by(cs_id) is not None:
                raise EditError.of("edit.err.already_reverted")
            touched = {(q[0], q[1]) for q in (*cs.adds, *changeset_delta(cs, self.base).remove)}
            published = self.journal.published()
            pos = [c.id for c in published].index(cs.id)
            later = [c for c in published[pos + 1:]
                     if touched & {(q[0], q[1]) for q in (*c.adds, *c.removes)}]
            if later:
                raise ConflictError.of("edit.err.later_changes").about([], later)
            delta = Delta(remove=tuple(q for q in cs.adds), add=tuple(changeset_delta(cs, self.base).remove))
            src = source or Source("informant", informant=actor.name, date=now_utc()[:10])
            return self.create(delta, author=actor, reason=reason or f"Återställer ändring {cs.id}", source=src,
                               entities=cs.entities, summary=f"Återställning: {cs.summary or cs.id}",
                               publish=True, origin="revert", reverts=cs.id, validate=False)

    def recover(self) -> list[str]:
        """Apply published changesets the store lacks (a crash after the journal was written);
        returns their ids."""
        with self.journal.locked():
            published = self.journal.published()
            if not published:
                return []
            rows = self.store.select(f"SELECT ?cs WHERE {{ ?cs a <{KFV.Changeset}> }}").column("cs")
            present = {str(r).rsplit("/", 1)[-1] for r in rows if r is not None}
            done = []
            for cs in published:
                if cs.id not in present:
                    log.warning("changeset %s is in the journal but not in the store; applying it", cs.id)
                    self.handle.apply(changeset_delta(cs, self.base), head=cs.id)
                    done.append(cs.id)
            return done

    # -- helpers ------------------------------------------------------------------------
    def _need_reviewer(self, actor: Actor) -> None:
        if not actor.can_review:
            raise PermissionDenied.of("edit.err.reviewers_only")

    def _proposal(self, cs_id: str) -> Changeset:
        cs = self.get(cs_id)
        if cs.state != PROPOSED:
            raise EditError.of("edit.err.already_published" if cs.state == APPROVED else "edit.err.already_rejected")
        return cs

    def _located(self, quads: Iterable[Quad]) -> tuple[Quad, ...]:
        """Removals with their graphs: a quad without a graph stands for every graph stating it."""
        out: list[Quad] = []
        for s, p, o, g in quads:
            if g is not None:
                out.append((s, p, o, g))
                continue
            rows = self.store.select("SELECT ?s ?p ?o ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                     bindings={"s": s, "p": p, "o": o}).column("g")
            out += [(s, p, o, URIRef(str(x))) for x in rows if x is not None]
        return tuple(dict.fromkeys(out))

    def _check_versions(self, base_versions: Iterable[tuple[str, str]]) -> None:
        changed = [(iri, v, now) for iri, v in base_versions if (now := self.version_of(iri)) != v]
        if changed:
            iris = {c[0] for c in changed}
            since = [c for c in self.journal.published()[-50:]
                     if iris & ({str(q[0]) for q in c.adds} | set(c.entities))]
            raise ConflictError.of("edit.err.changed_meanwhile").about(changed, since)

    def _validate(self, entities: Sequence[str], removes: Sequence[Quad], adds: Sequence[Quad],
                  source: Source) -> None:
        nodes = list(dict.fromkeys([*entities, *(str(q[0]) for q in adds), *(str(q[0]) for q in removes)]))
        rem: list[Triple] = [(s, p, o) for s, p, o, _g in removes]
        add: list[Triple] = [(s, p, o) for s, p, o, _g in adds]
        if source.kind != "document":
            add += [(URIRef(source.iri), RDF.type, PROV.Entity), (URIRef(source.iri), RDF.type, FOAF.Document)]
        violations: list[Violation] = check_nodes(self.store, self.shapes, nodes, rem, add)
        if violations:
            raise ValidationError(violations)

    def prepare_source(self, source: Source) -> Source:
        """Check a source and give a new one its IRI (call before planning an edit, so the
        edited entities can point to it with ``dcterms:source``).

        Raises:
            EditError: the source is incomplete or unknown.
        """
        if source.iri and source.kind != "document":
            return source
        if source.kind == "document":
            if not source.iri or not self.store.ask("ASK { ?d a ?t FILTER(?t = prov:Entity || ?t = foaf:Document) }",
                                                    bindings={"d": URIRef(source.iri)}):
                raise EditError.of("edit.err.source_unknown")
            return source
        if source.kind == "new-document":
            if not source.title.strip():
                raise EditError.of("edit.err.source_title")
            iri = self._free(f"{self.base}id/kalla/{slugify(source.title) or 'dokument'}")
            return replace(source, iri=iri, title=source.title.strip())
        if source.kind == "informant":
            if not (source.informant.strip() or source.informant_iri):
                raise EditError.of("edit.err.source_informant")
            who = source.informant or source.informant_iri.rsplit("/", 1)[-1]
            return replace(source, iri=self._free(f"{self.base}id/kalla/uppgift-{slugify(who)}-{now_utc()[:10]}"))
        raise EditError.of("edit.err.source_kind", kind=source.kind)

    def _free(self, iri: str) -> str:
        """``iri``, or ``iri-2``, ``iri-3``… the first not used in the store or the journal."""
        used = {c.source.iri for c in self.journal.changesets()}
        candidate, n = iri, 1
        while candidate in used or self.store.ask("ASK { { ?d ?p ?o } UNION { ?s ?p ?d } }",
                                                  bindings={"d": URIRef(candidate)}):
            n += 1
            candidate = f"{iri}-{n}"
        return candidate


def _unused(actor: Actor) -> dict[str, Any]:
    return {"username": actor.username, "name": actor.name, "role": actor.role}
