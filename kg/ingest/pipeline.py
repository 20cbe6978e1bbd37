"""The ingest pipeline: document → sentences → mentions → new entities → proposed facts.

>>> from kg.store import open_store
>>> store = open_store("memory")
>>> result = analyse(store, "Projektet ABC startar i Sundsvall.")
>>> [(p.kind, p.subject_label) for p in result.proposals]
[('entitet', 'ABC'), ('entitet', 'Sundsvall')]
"""

from __future__ import annotations

import time
from collections.abc import Sequence

from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.ingest.entities import NewEntity, find_new_entities
from kg.ingest.extract import SourceDocument
from kg.ingest.facts import find_facts
from kg.ingest.gazetteer import Gazetteer, gazetteer_for
from kg.ingest.mentions import find_mentions
from kg.ingest.model import Candidate, IngestResult, Mention, Proposal, Value
from kg.ingest.text import Sentence, find_date, find_title, normalise, split_sentences
from kg.namespaces import BASE, DCTERMS, FOAF, ORG, PROV, RDF, RDFS, SCHEMA, SKOS, XSD
from kg.store.base import Store

__all__ = ["analyse", "entity_proposal", "source_iri", "source_triples"]

_CONCEPT = BASE + "def/organisationstyp/"


def entity_proposal(ent: NewEntity, sentence_text: str, start: int, end: int, pid: str) -> Proposal:
    """The proposal to add a new entity: its types, names and (for organisations) type."""
    values: dict[str, list[Value]] = {str(RDFS.label): [Value.text(ent.label)]}
    if ent.alts:
        values[str(SKOS.altLabel)] = [Value.text(a) for a in ent.alts]
    kind_sv = {"projekt": "Nytt projekt", "organisation": "Ny organisation", "person": "Ny person",
               "plats": "Ny plats"}[ent.kind]
    if ent.kind == "person":
        values[str(FOAF.name)] = [Value(ent.label)]
        words = ent.label.split()
        values[str(FOAF.givenName)] = [Value(words[0])]
        values[str(FOAF.familyName)] = [Value(" ".join(words[1:]))]
        if ent.job_title:
            values[str(SCHEMA.jobTitle)] = [Value.text(ent.job_title)]
    if ent.kind == "organisation" and ent.org_type:
        values[str(ORG.classification)] = [Value.ref(_CONCEPT + ent.org_type, ent.org_type.replace("-", " "))]
    if ent.url:
        values[str(SCHEMA.url)] = [Value.ref(ent.url, ent.url)]
    note = ""
    if ent.maybe:
        note = "Kanske samma som: " + ", ".join(c.label for c in ent.maybe[:3])
    return Proposal(
        id=pid, kind="entitet", subject=ent.iri, subject_label=ent.label, types=ent.types, values=values,
        sentence=sentence_text, start=start, end=end, method=ent.method,
        confidence=ent.confidence * (0.7 if ent.maybe else 1.0),
        summary=f"{kind_sv}: {ent.label}", note=note,
    )


def _merge_mentions(mentions: list[Mention], new: Sequence[NewEntity]) -> list[Mention]:
    """Add a mention for every place a new entity is named; it replaces an uncertain
    (fuzzy or reference) mention of the same words, keeping its candidates as alternatives."""
    out = list(mentions)
    for ent in new:
        for start, end in ent.spans:
            overlapping = [m for m in out if m.start < end and start < m.end]
            inner = [m for m in overlapping if start <= m.start and m.end <= end and (m.start, m.end) != (start, end)]
            if any(m.certain and m.new is None and m not in inner for m in overlapping):
                continue
            for m in inner:
                if m.new is None and m.certain:  # "Västernorrland" inside "HAV – Hållbart arbetsliv Västernorrland"
                    out.remove(m)
                    overlapping.remove(m)
            alts = [c for m in overlapping for c in m.candidates]
            for m in overlapping:
                out.remove(m)
            out.append(Mention(
                id="", start=start, end=end, text="", kind=ent.kind,
                candidates=[Candidate(ent.iri, ent.label, ent.kind, round(ent.confidence, 2)), *alts],
                certain=False, method=f"ny: {ent.method}", sentence=ent.sentence, new=ent.iri,
            ))
    out.sort(key=lambda m: (m.start, -m.end))
    return out


def _resolve_project_references(mentions: list[Mention], sentences: Sequence[Sentence]) -> None:
    """"projektet" refers to the last project named before it, new ones included."""
    for m in mentions:
        if m.kind != "projekt" or not m.method.startswith("hänvisning"):
            continue
        para = sentences[m.sentence].paragraph
        seen: list[Candidate] = []
        for prev in sorted((x for x in mentions if x.end <= m.start and x.kind == "projekt"
                            and not x.method.startswith("hänvisning")
                            and para - sentences[x.sentence].paragraph <= 1), key=lambda x: -x.start):
            top = prev.candidates[0] if prev.candidates else None
            if top is not None and top.iri not in {c.iri for c in seen}:
                seen.append(Candidate(top.iri, top.label, "projekt", 0.7 if not seen else 0.3))
        if seen:
            m.candidates = seen[:5]
            m.certain = len(seen) == 1


def analyse(store: Store, doc: SourceDocument | str, *, gazetteer: Gazetteer | None = None) -> IngestResult:
    """Everything ingest finds in a document (or a pasted text); reads the store, writes nothing."""
    started = time.perf_counter()
    if isinstance(doc, str):
        text = normalise(doc)
        title, found, media, filename, sha = find_title(text), find_date(text[:4000]), "text/plain", None, ""
    else:
        text, title, media, filename, sha = doc.text, doc.title, doc.media_type, doc.filename, doc.sha256
        found = doc.date
    gz = gazetteer or gazetteer_for(store)
    sentences = split_sentences(text)
    mentions, tokens = find_mentions(gz, text, sentences)
    new = find_new_entities(gz, text, sentences, tokens, mentions)
    mentions = _merge_mentions(mentions, new)
    _resolve_project_references(mentions, sentences)
    for n, m in enumerate(mentions, 1):
        m.id = f"m{n}"
        m.text = text[m.start:m.end]
    proposals: list[Proposal] = []
    for ent in new:
        s = sentences[ent.sentence] if ent.sentence < len(sentences) else None
        proposals.append(entity_proposal(ent, s.text if s else "", s.start if s else 0, s.end if s else 0,
                                         f"p{len(proposals) + 1}"))
    proposals.extend(find_facts(gz, text, sentences, mentions, new, start_id=len(proposals) + 1))
    return IngestResult(
        title=title, date=found.isoformat() if found else None, text=text, mentions=mentions,
        proposals=proposals, media_type=media, filename=filename, sha256=sha,
        seconds=time.perf_counter() - started,
    )


def source_iri(result: IngestResult, base: str = BASE) -> str:
    """The IRI the document gets as a source: ``kalla:<slug of title>-<first 8 of sha256>``."""
    from kg.ingest.gazetteer import slugify

    suffix = f"-{result.sha256[:8]}" if result.sha256 else ""
    return f"{base}id/kalla/{slugify(result.title)[:60].strip('-')}{suffix}"


def source_triples(result: IngestResult, iri: str, *, file_url: str | None = None,
                   publisher: str | None = None) -> list[tuple[URIRef, URIRef, Node]]:
    """The document as a source in the graph: a ``prov:Entity`` and ``foaf:Document`` with
    its title, date (when the text gives one), format and, when kept, where the file is."""
    s = URIRef(iri)
    out: list[tuple[URIRef, URIRef, Node]] = [
        (s, RDF.type, PROV.Entity), (s, RDF.type, FOAF.Document),
        (s, RDFS.label, Literal(result.title[:200], lang="sv")),
        (s, DCTERMS.title, Literal(result.title[:200], lang="sv")),
        (s, DCTERMS.format, Literal(result.media_type)),
    ]
    if result.date:
        out.append((s, DCTERMS.date, Literal(result.date, datatype=XSD.date)))
    if result.filename:
        out.append((s, SCHEMA.name, Literal(result.filename)))
    if file_url:
        out.append((s, SCHEMA.url, URIRef(file_url)))
    if publisher:
        out.append((s, DCTERMS.publisher, URIRef(publisher)))
    return out
