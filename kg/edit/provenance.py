"""The PROV description of a published changeset, written into its named graph.

Derived from the journal record alone, so a rebuild writes exactly the same triples::

    <id/andring/X> a prov:Activity, kfv:Changeset ;
        dcterms:title "Nytt projekt: …"@sv ; rdfs:comment "reason"@sv ;
        prov:startedAtTime "…"^^xsd:dateTime ; prov:endedAtTime "…"^^xsd:dateTime ;
        prov:wasAssociatedWith <id/redaktor/anna> ; kfv:reviewedBy <id/redaktor/bo> ;
        prov:used <id/kalla/…> ; kfv:sourceQuote "…" ; kfv:reverts <id/andring/Y> .
    <graph/andring/X> prov:wasGeneratedBy <id/andring/X> ; prov:wasDerivedFrom <id/kalla/…> .
    <id/redaktor/anna> a prov:Agent ; schema:name "Anna Andersson" .

plus, for a new document or an "uppgift från", the source node itself (``prov:Entity``
with a Swedish ``rdfs:label``, as the shapes ask).
"""

from __future__ import annotations

import re

from rdflib import Literal, URIRef

from kg.edit.model import Changeset, changeset_graph, changeset_iri
from kg.io.terms import Quad
from kg.namespaces import DCTERMS, FOAF, KFV, PROV, RDF, RDFS, SCHEMA, XSD

__all__ = ["agent_iri", "provenance_quads"]


def agent_iri(username: str, base: str) -> URIRef:
    return URIRef(f"{base}id/redaktor/{re.sub(r'[^a-z0-9_-]', '-', username.lower())}")


def _time(text: str) -> Literal:
    return Literal(text, datatype=XSD.dateTime)


def provenance_quads(cs: Changeset, base: str) -> list[Quad]:
    """The PROV triples of a published changeset, in its graph."""
    g = changeset_graph(cs.id, base)
    a = changeset_iri(cs.id, base)
    src = URIRef(cs.source.iri) if cs.source.iri else None
    author = agent_iri(cs.author, base)
    t: list[tuple[URIRef, URIRef, URIRef | Literal]] = [
        (a, RDF.type, PROV.Activity), (a, RDF.type, KFV.Changeset),
        (a, DCTERMS.title, Literal(cs.summary or f"Ändring {cs.id}", lang="sv")),
        (a, PROV.startedAtTime, _time(cs.created)),
        (a, PROV.endedAtTime, _time(cs.published_at or cs.created)),
        (a, PROV.wasAssociatedWith, author),
        (author, RDF.type, PROV.Agent), (author, SCHEMA.name, Literal(cs.author_name or cs.author)),
        (g, PROV.wasGeneratedBy, a),
    ]
    if cs.reason:
        t.append((a, RDFS.comment, Literal(cs.reason, lang="sv")))
    review = cs.review
    if review is not None and review.decision == "approved":
        reviewer = agent_iri(review.reviewer, base)
        t += [(a, KFV.reviewedBy, reviewer), (reviewer, RDF.type, PROV.Agent),
              (reviewer, SCHEMA.name, Literal(review.reviewer_name or review.reviewer))]
    if cs.reverts:
        t.append((a, KFV.reverts, changeset_iri(cs.reverts, base)))
    if src is not None:
        t += [(a, PROV.used, src), (g, PROV.wasDerivedFrom, src)]
        t += _source_node(cs, src)
    if cs.source.quote:
        t.append((a, KFV.sourceQuote, Literal(cs.source.quote, lang="sv")))
    return [(s, p, o, g) for s, p, o in t]


def _source_node(cs: Changeset, src: URIRef) -> list[tuple[URIRef, URIRef, URIRef | Literal]]:
    s = cs.source
    out: list[tuple[URIRef, URIRef, URIRef | Literal]] = []
    if s.kind == "new-document":
        out += [(src, RDF.type, PROV.Entity), (src, RDF.type, FOAF.Document),
                (src, RDFS.label, Literal(s.title, lang="sv")), (src, DCTERMS.title, Literal(s.title, lang="sv"))]
        if re.match(r"^https?://\S+$", s.url):
            out.append((src, SCHEMA.url, URIRef(s.url)))
        elif s.url:
            out.append((src, DCTERMS.identifier, Literal(s.url)))
    elif s.kind == "informant":
        out += [(src, RDF.type, PROV.Entity), (src, RDFS.label, Literal(s.label(), lang="sv"))]
        if s.informant_iri:
            out.append((src, PROV.wasAttributedTo, URIRef(s.informant_iri)))
        if s.informant:
            out.append((src, DCTERMS.creator, Literal(s.informant)))
    if s.kind != "document" and s.date:
        from kg.edit.values import ValueError_, parse_date

        try:
            out.append((src, DCTERMS.date, parse_date(s.date)))
        except ValueError_:
            out.append((src, DCTERMS.date, Literal(s.date)))
    return out
