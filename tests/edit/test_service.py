"""The edit service on a real store: create, review, publish, history, revert, conflicts,
validation, and the journal replayed by ``kg build``."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from kg.edit.export import export_changes
from kg.edit.model import Source
from kg.edit.replay import replay
from kg.edit.service import Actor, ConflictError, EditError, PermissionDenied
from kg.errors import ValidationError
from kg.load.loader import build, open_built_store
from kg.namespaces import RDFS, SCHEMA, SKOS
from kg.store.delta import Delta

from .conftest import ANNA, BO, Env
from .helpers import PROJECT_FORM, save

PROJECT = "https://data.kfvn.se/id/projekt/fiberlyftet-vasternorrland"


def _has(env: Env, iri: str) -> bool:
    return env.store.ask("ASK { ?e ?p ?o }", bindings={"e": URIRef(iri)})


def test_a_redaktors_change_is_a_proposal_until_a_granskare_approves(env: Env) -> None:
    cs, edit = save(env.service, ANNA, "projekt", PROJECT_FORM)
    assert cs.state == "proposed" and edit.iri == PROJECT
    assert not _has(env, PROJECT)
    assert [c.id for c in env.service.pending()] == [cs.id]
    published = env.service.approve(cs.id, BO)
    assert published.state == "approved" and published.review.reviewer == "bo"
    assert _has(env, PROJECT)
    amount = env.store.select(
        "SELECT ?p ?a WHERE { ?f schema:fundedItem ?p ; schema:amount ?a }", bindings={"p": URIRef(PROJECT)})
    assert [str(a) for (_p, a) in amount.rows] == ["2500000"]
    partners = env.store.select(f"SELECT ?o WHERE {{ ?d org:organization <{PROJECT}> ; org:member ?o }}")
    assert len(partners) == 2
    # the facts point to the new source document, which is in the graph with its title
    assert env.store.ask(f"ASK {{ <{PROJECT}> dcterms:source ?s . ?s dcterms:title ?t ; a foaf:Document }}")
    # provenance of the changeset is queryable
    assert env.store.ask("ASK { ?cs a kfv:Changeset ; prov:wasAssociatedWith ?a ; kfv:reviewedBy ?r ; "
                         "prov:used ?src ; kfv:sourceQuote ?q }")
    assert env.service.history(PROJECT)[0].id == cs.id


def test_a_granskare_publishes_directly_and_a_redaktor_cannot(env: Env) -> None:
    cs, _ = save(env.service, BO, "projekt", PROJECT_FORM)
    assert cs.state == "approved" and _has(env, PROJECT)
    with pytest.raises(PermissionDenied):
        env.service.approve(cs.id, ANNA)
    with pytest.raises(PermissionDenied):
        env.service.revert(cs.id, ANNA, "nej")


def test_rejection_keeps_its_reason_and_publishes_nothing(env: Env) -> None:
    cs, _ = save(env.service, ANNA, "projekt", PROJECT_FORM)
    with pytest.raises(EditError):
        env.service.reject(cs.id, BO, "  ")
    rejected = env.service.reject(cs.id, BO, "Beslutet är inte fattat än")
    assert rejected.state == "rejected" and rejected.review.note == "Beslutet är inte fattat än"
    assert not _has(env, PROJECT)
    with pytest.raises(EditError):
        env.service.approve(cs.id, BO)


def test_revert_removes_the_project_and_restores_what_was_removed(env: Env) -> None:
    cs, _ = save(env.service, BO, "projekt", PROJECT_FORM)
    teo = "https://data.kfvn.se/id/projekt/teo"
    old_label = env.store.select(f"SELECT ?l WHERE {{ <{teo}> rdfs:label ?l FILTER(lang(?l) = 'sv') }}").rows[0][0]
    graphs_before = sorted(str(g) for (g,) in env.store.select(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ <{teo}> <{RDFS.label}> {old_label.n3()} }} }}").rows)
    assert graphs_before
    version = env.service.version_of(teo)
    rename, _ = save(env.service, BO, "projekt", {"f.label.sv": ["TEO – nytt namn"]}, iri=teo, base=version)
    assert env.store.ask(f'ASK {{ <{teo}> rdfs:label "TEO – nytt namn"@sv }}')
    env.service.revert(rename.id, BO, "Fel namn")
    assert env.store.ask(f"ASK {{ <{teo}> <{RDFS.label}> {old_label.n3()} }}")
    assert not env.store.ask(f'ASK {{ <{teo}> rdfs:label "TEO – nytt namn"@sv }}')
    # the old label is back in the source graphs it came from
    assert graphs_before == sorted(str(g) for (g,) in env.store.select(
        f"SELECT ?g WHERE {{ GRAPH ?g {{ <{teo}> <{RDFS.label}> {old_label.n3()} }} }}").rows)
    back = env.service.revert(cs.id, BO, "Projektet blev inte av")
    assert back.reverts == cs.id and not _has(env, PROJECT)
    with pytest.raises(EditError):
        env.service.revert(cs.id, BO, "igen")


def test_second_editor_gets_a_conflict(env: Env) -> None:
    teo = "https://data.kfvn.se/id/projekt/teo"
    seen = env.service.version_of(teo)
    save(env.service, BO, "projekt", {"f.label.sv": ["TEO A"]}, iri=teo, base=seen)
    with pytest.raises(ConflictError) as info:
        save(env.service, BO, "projekt", {"f.label.sv": ["TEO B"]}, iri=teo, base=seen)
    assert info.value.changed[0][0] == teo and info.value.since
    assert env.store.ask(f'ASK {{ <{teo}> rdfs:label "TEO A"@sv }}')


def test_approving_a_stale_proposal_is_a_conflict(env: Env) -> None:
    teo = "https://data.kfvn.se/id/projekt/teo"
    seen = env.service.version_of(teo)
    proposal, _ = save(env.service, ANNA, "projekt", {"f.label.sv": ["TEO A"]}, iri=teo, base=seen)
    save(env.service, BO, "projekt", {"f.label.sv": ["TEO B"]}, iri=teo, base=seen)
    with pytest.raises(ConflictError):
        env.service.approve(proposal.id, BO)


def test_shacl_violations_are_refused_before_saving(env: Env) -> None:
    project = URIRef("https://data.kfvn.se/id/projekt/teo")
    bad = Delta(add=((project, SCHEMA.startDate, Literal("nästa år"), None),))
    src = Source("document", iri="https://data.kfvn.se/id/kalla/verksamhetsberattelse-2018")
    with pytest.raises(ValidationError) as info:
        env.service.create(bad, author=BO, reason="test", source=src, entities=[str(project)])
    assert any(v.path == str(SCHEMA.startDate) for v in info.value.violations)
    assert env.service.journal.changesets() == []


def test_every_change_needs_a_reason_and_a_source(env: Env) -> None:
    project = URIRef("https://data.kfvn.se/id/projekt/teo")
    delta = Delta(add=((project, SKOS.altLabel, Literal("TEO-projektet", lang="sv"), None),))
    with pytest.raises(EditError):
        env.service.create(delta, author=BO, reason=" ", source=Source("document", iri="x"), entities=[])
    with pytest.raises(EditError):
        env.service.create(delta, author=BO, reason="r", source=Source("document", iri="http://nowhere/x"),
                           entities=[])
    with pytest.raises(EditError):
        env.service.create(delta, author=BO, reason="r", source=Source("new-document"), entities=[])
    with pytest.raises(PermissionDenied):
        env.service.create(delta, author=Actor("x", "X", "gäst"), reason="r",
                           source=Source("informant", informant="Eva"), entities=[])
    ok = env.service.create(delta, author=BO, reason="r", source=Source("informant", informant="Eva Ek",
                                                                           date="2026-11-29"),
                            entities=[str(project)])
    assert env.store.ask('ASK { ?s rdfs:label "Uppgift från Eva Ek, 2026-11-29"@sv ; a prov:Entity }')
    assert ok.source.iri.startswith("https://data.kfvn.se/id/kalla/uppgift-eva-ek")


def test_build_replays_the_journal_and_export_writes_it(env: Env, tmp_path) -> None:  # type: ignore[no-untyped-def]
    cs, _ = save(env.service, BO, "projekt", PROJECT_FORM)
    proposal, _ = save(env.service, ANNA, "projekt", {"f.label.sv": ["Bara ett förslag"]})
    settings = env.settings.with_(store=f"oxigraph:{tmp_path / 'fresh'}", cache_dir=tmp_path / "cache")
    build(settings, then=lambda store: replay(store, settings))
    fresh = open_built_store(settings, rebuild_if_stale=False)
    assert fresh.ask(f"ASK {{ <{PROJECT}> a schema:Project }}")
    assert not fresh.ask('ASK { ?p rdfs:label "Bara ett förslag"@sv }')
    assert fresh.ask(f"ASK {{ <https://data.kfvn.se/id/andring/{cs.id}> a kfv:Changeset }}")
    trig = export_changes(env.service.journal, env.settings.base_iri).decode()
    assert "fiberlyftet-vasternorrland" in trig and f"graph/andring/{cs.id}" in trig
    assert proposal.id not in trig


def test_forms_on_the_english_pages_accept_the_swedish_name_and_an_alias(env: Env) -> None:
    from kg.edit.lookup import Lookup
    from kg.errors import KgError

    english = Lookup(env.store, lang="en")
    tillvaxtverket = english.resolve("Tillväxtverket", ("http://www.w3.org/ns/org#Organization",))
    assert tillvaxtverket.endswith("/tillvaxtverket")
    assert english.resolve("tillvaxtverket") == tillvaxtverket  # case and diacritics folded
    with pytest.raises(KgError) as err:
        english.resolve("Inget sådant namn")
    assert "Inget sådant namn" in err.value.text("en")
