"""Building edits the way the web form does (plan_edit over posted fields)."""

from __future__ import annotations

from rdflib import URIRef

from kg.edit.forms import Edit, Minter, parse_posted, plan_edit
from kg.edit.lookup import Lookup
from kg.edit.model import Changeset, Source
from kg.edit.service import Actor, EditService
from kg.store.delta import Delta

PROJECT_FORM = {
    "f.label.sv": ["Fiberlyftet Västernorrland"],
    "f.status": ["https://data.kfvn.se/def/status/beviljad"],
    "f.startdate": ["2027-01"],
    "f.subject": ["https://data.kfvn.se/def/tema/digitalisering"],
    "g.deltagande.0.member": ["Sundsvalls kommun"],
    "g.deltagande.0.role": ["https://data.kfvn.se/def/projektroll/projektagare"],
    "g.deltagande.1.member": ["Timrå kommun"],
    "g.deltagande.1.role": ["https://data.kfvn.se/def/projektroll/samverkanspartner"],
    "g.finansiering.0.funder": ["Tillväxtverket"],
    "g.finansiering.0.amount": ["2 500 000"],
    "g.finansiering.0.currency": ["SEK"],
    "g.finansiering.0.year": ["2027"],
}
SOURCE = Source("new-document", title="Beslut om stöd till Fiberlyftet", url="https://example.org/beslut",
                date="2026-11-28", quote="Tillväxtverket beviljar 2,5 miljoner kronor")


def plan(service: EditService, key: str, posted: dict[str, list[str]], iri: str = "",
         source: Source = SOURCE) -> tuple[Edit, Source]:
    spec = service.forms.by_key[key]
    src = service.prepare_source(source)
    edit = plan_edit(service.store, spec, parse_posted(posted, spec, iri), Lookup(service.store),
                     Minter(service.store, service.base), URIRef(src.iri))
    assert not edit.errors, edit.errors
    return edit, src


def save(service: EditService, actor: Actor, key: str, posted: dict[str, list[str]], iri: str = "",
         base: str = "", source: Source = SOURCE, reason: str = "Beviljat enligt beslut") -> tuple[Changeset, Edit]:
    edit, src = plan(service, key, posted, iri, source)
    cs = service.create(Delta(remove=tuple((s, p, o, None) for s, p, o in edit.removes),
                              add=tuple((s, p, o, None) for s, p, o in edit.adds)),
                        author=actor, reason=reason, source=src, entities=edit.nodes,
                        base_versions=[(iri, base)] if iri else [], summary=f"Test: {key}")
    return cs, edit
