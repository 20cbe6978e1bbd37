"""From an editor's decisions to one changeset: the accepted proposals (as proposed, or with
their fields edited), the new entities they need, the document as the source and the
sentences as the quote. The changeset goes through :class:`kg.edit.service.EditService`
like any other: a redaktör's is a proposal until a granskare approves it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace

from rdflib import URIRef
from rdflib.term import Node

from kg.edit.model import Changeset, Source
from kg.edit.service import Actor, EditError, EditService
from kg.edit.values import ValueError_
from kg.i18n import Message
from kg.ingest.amounts import find_amounts, parse_number
from kg.ingest.gazetteer import slugify
from kg.ingest.inbox import Stored
from kg.ingest.model import RELATION_KINDS, Proposal, Value, with_relation_label
from kg.namespaces import FOAF, RDFS, XSD
from kg.store.base import Store
from kg.store.delta import Delta

__all__ = ["ACCEPT", "REJECT", "Plan", "concept_choices", "plan", "submit"]

ACCEPT = "accept"
REJECT = "reject"
_NUMERIC = {str(XSD.decimal), str(XSD.integer)}


def concept_choices(store: Store, base: str, schemes: tuple[str, ...]) -> dict[str, str]:
    """The concepts of SKOS schemes (``projektroll``, ``status`` …) an editor may choose, IRI →
    Swedish name, in name order."""
    out: dict[str, str] = {}
    for scheme in schemes:
        rows = store.select(
            "SELECT ?c ?l ?s WHERE { ?c skos:inScheme ?s ; skos:prefLabel ?l FILTER(lang(?l) = 'sv') }",
            bindings={"s": URIRef(f"{base}def/{scheme}")}).rows
        for c, label, _s in sorted(rows, key=lambda r: str(r[1])):
            out[str(c)] = str(label)
    return out


@dataclass
class Plan:
    """What accepting would add: the proposals (edited), those taken along because an accepted
    one needs them, the triples, the entities touched and the quote; or why it cannot."""

    proposals: list[Proposal] = field(default_factory=list)
    added_because_needed: list[str] = field(default_factory=list)
    triples: list[tuple[URIRef, URIRef, Node]] = field(default_factory=list)
    entities: list[str] = field(default_factory=list)
    quote: str = ""
    errors: dict[str, str] = field(default_factory=dict)  # proposal id (or "") -> a kg.i18n.Message


def _edited_value(old: Value, text: str, options: Mapping[str, str]) -> Value:
    """The value an editor typed or chose instead of ``old`` (raises :class:`ValueError_`
    saying why when it is not usable)."""
    text = text.strip()
    if old.iri:
        if text not in options and text != old.value:
            raise ValueError_.of("ingest.err.choose")
        return Value.ref(text, options.get(text, old.label), new=old.new and text == old.value)
    if not text:
        raise ValueError_.of("ingest.err.empty_field")
    if old.datatype in _NUMERIC:
        number = parse_number(text) if re.fullmatch(r"[\d\s\u00a0.,]+", text) else None
        if number is None and old.datatype == str(XSD.decimal):
            spoken = text if re.search(r"kr|sek", text, re.I) else text + " kr"
            amounts = [a for a in find_amounts(spoken) if a.start == 0 and a.end >= len(spoken) - 1]
            number = amounts[0].value if amounts else None
        if number is None:
            raise ValueError_.of("ingest.err.number")
        if old.datatype == str(XSD.integer) and number != number.to_integral():
            raise ValueError_.of("ingest.err.integer")
        return replace(old, value=str(int(number)) if number == number.to_integral() else str(number), label=None)
    if old.datatype == str(XSD.gYear) and not re.fullmatch(r"(?:19|20)\d\d", text):
        raise ValueError_.of("ingest.err.year")
    if old.datatype == str(XSD.date) and not re.fullmatch(r"\d{4}-\d\d-\d\d", text):
        raise ValueError_.of("ingest.err.date")
    if old.datatype == str(XSD.gYearMonth) and not re.fullmatch(r"\d{4}-\d\d", text):
        raise ValueError_.of("ingest.err.year_month")
    return replace(old, value=text, label=None)


def plan(stored: Stored, decisions: Mapping[str, str], edits: Mapping[str, Mapping[str, str]],
         options: Mapping[str, Mapping[str, Mapping[str, str]]], source_iri: str,
         exists: Callable[[str], bool] | None = None) -> Plan:
    """Work out the changeset of the accepted proposals.

    Args:
        decisions: proposal id → ACCEPT or REJECT (others are left for later).
        edits: proposal id → property IRI → the text or IRI the editor gave.
        options: proposal id → property IRI → the IRIs offered for it (value → label).
        source_iri: the document's IRI as a source (``dcterms:source`` of every new node).
        exists: whether an IRI is taken (a renamed new entity gets a free one).
    """
    result = stored.result
    out = Plan()
    by_id = {p.id: p for p in result.proposals}
    wanted = [pid for pid, d in decisions.items() if d == ACCEPT and pid in by_id and not by_id[pid].known]
    new_entity = {p.subject: p for p in result.proposals if p.kind == "entitet"}
    for pid in list(wanted):
        for need in by_id[pid].requires:
            ent = new_entity.get(need)
            if ent is None or ent.id in wanted:
                continue
            if decisions.get(ent.id) == REJECT:
                out.errors[pid] = Message("ingest.err.needs_rejected", name=ent.subject_label)
                continue
            wanted.append(ent.id)
            out.added_because_needed.append(ent.id)
    remap: dict[str, str] = {}
    used: set[str] = {p.subject for p in result.proposals}
    taken = exists or (lambda _iri: False)
    edited: list[Proposal] = []
    for pid in sorted(set(wanted), key=lambda x: int(x[1:])):
        p = by_id[pid]
        values = {k: list(v) for k, v in p.values.items()}
        for prop, text in edits.get(pid, {}).items():
            olds = values.get(prop)
            if not olds:
                continue
            try:
                values[prop] = [_edited_value(olds[0], text, options.get(pid, {}).get(prop, {})), *olds[1:]]
            except ValueError as exc:
                problem = exc.as_message() if isinstance(exc, ValueError_) else str(exc)
                out.errors[pid] = Message("ingest.err.on_proposal", summary=p.summary, problem=problem)
        q = replace(p, values=values)
        if p.kind == "entitet":
            label = values[str(RDFS.label)][0].value
            if label != p.subject_label:
                base = p.subject.rsplit("/", 1)[0] + "/" + slugify(label)
                iri, n = base, 1
                while iri in used or taken(iri):
                    n += 1
                    iri = f"{base}-{n}"
                remap[p.subject] = iri
                q = replace(q, subject=iri, subject_label=label)
                if str(FOAF.name) in values:
                    values[str(FOAF.name)] = [Value(label)]
                    words = label.split()
                    values[str(FOAF.givenName)] = [Value(words[0])]
                    values[str(FOAF.familyName)] = [Value(" ".join(words[1:]) or words[0])]
            used.add(q.subject)
        edited.append(q)
    if out.errors:
        return out
    edited = [_follow_renames(q, remap, {e.subject: e.subject_label for e in edited if e.kind == "entitet"},
                              str(RDFS.label) in edits.get(q.id, {}), used, taken) for q in edited]

    def fix(node: Node) -> Node:
        return URIRef(remap[str(node)]) if isinstance(node, URIRef) and str(node) in remap else node

    sentences: list[tuple[int, str]] = []
    for p in edited:
        for s, pr, o in p.triples(source_iri):
            out.triples.append((URIRef(str(fix(s))), pr, fix(o)))
        subject = remap.get(p.subject, p.subject)
        if subject not in out.entities:
            out.entities.append(subject)
        if (p.start, p.sentence) not in sentences and p.sentence:
            sentences.append((p.start, p.sentence))
    out.proposals = edited
    out.quote = "\n".join(s for _, s in sorted(sentences))
    return out


def _follow_renames(p: Proposal, remap: dict[str, str], names: dict[str, str], label_edited: bool,
                    used: set[str], taken: Callable[[str], bool]) -> Proposal:
    """A grant or a role whose ends the editor renamed: its name made from the new names (unless
    the editor wrote one), its IRI from the new slugs ("…/deltagande/nytt-namn--ange-kommun")."""
    if p.kind not in RELATION_KINDS or p.known:
        return p
    renamed = {old: names[new] for old, new in remap.items() if new in names}
    q = replace(p, values={k: list(v) for k, v in p.values.items()})
    if not label_edited:
        q = with_relation_label(q, renamed)
    elif q.values.get(str(RDFS.label)):
        q.subject_label = q.values[str(RDFS.label)][0].value
    head, _, slug = p.subject.rpartition("/")
    parts = slug.split("--")
    new_parts = [next((new.rsplit("/", 1)[-1] for old, new in remap.items() if old.rsplit("/", 1)[-1] == part),
                       part) for part in parts]
    if new_parts != parts:
        base = head + "/" + "--".join(new_parts)
        iri, n = base, 1
        while iri in used or taken(iri):
            n += 1
            iri = f"{base}-{n}"
        used.add(iri)
        q = replace(q, subject=iri)
    return q


def submit(service: EditService, actor: Actor, stored: Stored, decisions: Mapping[str, str],
           edits: Mapping[str, Mapping[str, str]], options: Mapping[str, Mapping[str, Mapping[str, str]]],
           reason: str, url: str = "") -> tuple[Changeset | None, Plan]:
    """Make the changeset of the accepted proposals (None, with errors, when it cannot).

    Raises:
        EditError: nothing accepted, no reason; and what the service raises (SHACL
            violations, permissions).
    """
    result = stored.result
    if not any(d == ACCEPT for d in decisions.values()):
        raise EditError.of("ingest.err.none_accepted")
    link = url.strip() or stored.url or f"ingest/{stored.id}/{stored.file}"
    source = service.prepare_source(Source(kind="new-document", title=result.title, url=link,
                                           date=result.date or "", quote=""))
    def exists(iri: str) -> bool:
        return service.store.ask("ASK { { ?d ?p ?o } UNION { ?s ?p ?d } }", bindings={"d": URIRef(iri)})

    the_plan = plan(stored, decisions, edits, options, source.iri, exists)
    if the_plan.errors:
        return None, the_plan
    if not the_plan.triples:
        raise EditError.of("ingest.err.nothing_new")
    source = replace(source, quote=the_plan.quote[:4000])
    delta = Delta(add=tuple((s, p, o, None) for s, p, o in the_plan.triples))  # type: ignore[misc]
    n = len(the_plan.proposals)
    cs = service.create(delta, author=actor, reason=reason.strip() or f"Uppgifter ur ”{result.title}”",
                        source=source, entities=the_plan.entities,
                        summary=f"Inläsning: {n} uppgift{'er' if n != 1 else ''} ur ”{result.title[:80]}”",
                        origin="ingest")
    return cs, the_plan
