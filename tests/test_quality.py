"""`kg check`: the bundled data passes every rule, and each rule catches a crafted bad graph.

The crafted graphs are small Turtle files loaded the way `kg build` loads data (a named graph
per file, merged into the default graph); each shows the "other form" a rule exists to find
(a fund as funder, a result on another property, an event typed as a project, ...).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.load.quality import _dataset, run_rules
from kg.load.quality_rules import RULES
from kg.namespaces import BASE

PREFIXES = """
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix kfv: <https://data.kfvn.se/def/kfv#> .
@prefix projekt: <https://data.kfvn.se/id/projekt/> .
@prefix evenemang: <https://data.kfvn.se/id/evenemang/> .
@prefix organisation: <https://data.kfvn.se/id/organisation/> .
@prefix deltagande: <https://data.kfvn.se/id/deltagande/> .
@prefix finansiering: <https://data.kfvn.se/id/finansiering/> .
@prefix resultat: <https://data.kfvn.se/id/resultat/> .
@prefix plats: <https://data.kfvn.se/id/plats/> .
@prefix kalla: <https://data.kfvn.se/id/kalla/> .
@prefix status: <https://data.kfvn.se/def/status/> .
@prefix projektroll: <https://data.kfvn.se/def/projektroll/> .
@prefix organisationstyp: <https://data.kfvn.se/def/organisationstyp/> .
@prefix projekttyp: <https://data.kfvn.se/def/projekttyp/> .
kalla:k a prov:Entity ; rdfs:label "K"@sv .
"""

#: A small, correct graph the bad cases are added to: one project with its owner.
GOOD = """
projekt:p a schema:Project , org:OrganizationalCollaboration ; rdfs:label "P"@sv ;
    kfv:status status:pagaende ; dcterms:source kalla:k .
organisation:o a org:Organization ; rdfs:label "O"@sv ;
    org:classification organisationstyp:forening ; dcterms:source kalla:k .
deltagande:p--o a kfv:Participation , org:Membership ; org:member organisation:o ;
    org:organization projekt:p ; org:role projektroll:projektagare ; dcterms:source kalla:k .
"""

P = BASE + "id/projekt/"
ORGS = BASE + "id/organisation/"


def _findings(tmp_path: Path, ttl: str, stem: str = "kalla-x", extra: str = "") -> dict[str, set[str]]:
    files = []
    for name, body in ((stem, ttl), ("annan", extra)):
        if body:
            f = tmp_path / f"{name}.ttl"
            f.write_text(PREFIXES + body, encoding="utf-8")
            files.append(f)
    rows = run_rules(_dataset(files), files, RULES, examples=100)
    return {r.key: {e.focus for e in r.examples} for r in rows}


def test_the_good_graph_breaks_no_rule(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD)
    assert all(not v for v in got.values()), got


@pytest.fixture(scope="module")
def bundled() -> dict[str, Any]:
    """`kg check --json` on the bundled data, run once (SHACL on the whole graph takes seconds)."""
    from kg.cli import cli

    out = CliRunner().invoke(cli, ["check", "--json"])
    report: dict[str, Any] = json.loads(out.output)
    report["exit_code"] = out.exit_code
    return report


def test_bundled_data_has_no_failures(bundled: dict[str, Any]) -> None:
    failing = {r["key"]: r["examples"] for r in bundled["rules"] if r["count"]}
    assert bundled["ok"] and bundled["exit_code"] == 0, failing
    assert {r["key"] for r in bundled["rules"]} == {"shacl"} | {r.key for r in RULES}


def test_no_fact_outside_the_inferred_graph_lacks_a_source_statement(bundled: dict[str, Any]) -> None:
    # Every subject of every data graph has dcterms:source (a news item: schema:isPartOf) there;
    # every statement of harledda-fakta has its kfv:inferenceNote.
    counts = {r["key"]: r["count"] for r in bundled["rules"]}
    assert counts["fakta-utan-kalla"] == counts["fakta-utan-kallgraf"] == 0
    assert counts["harledning-utan-anteckning"] == 0


def test_cli_prints_the_table_and_fails_on_bad_data(tmp_path: Path) -> None:
    from kg.cli import cli

    bad = tmp_path / "trasig.ttl"
    bad.write_text(PREFIXES + GOOD + """
organisation:ensam a org:Organization ; rdfs:label "Ensam"@sv ; dcterms:source kalla:k .""",
                   encoding="utf-8")
    out = CliRunner().invoke(cli, ["check", str(bad)])  # the ontology and this file only
    assert out.exit_code == 1
    assert "Regel" in out.output and "isolerad-organisation" in out.output
    assert "FEL" in out.output and "organisation:ensam" in out.output and "trasig.ttl:" in out.output
    good = tmp_path / "hel.ttl"
    good.write_text(PREFIXES + GOOD, encoding="utf-8")
    ok = CliRunner().invoke(cli, ["check", str(good)])
    assert ok.exit_code == 0 and "Inga fel." in ok.output, ok.output


def test_isolated_organisation(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
organisation:ensam a org:Organization ; rdfs:label "Ensam"@sv ; dcterms:source kalla:k .""")
    assert got["isolerad-organisation"] == {ORGS + "ensam"}


def test_project_without_owner_or_partner(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
projekt:tom a schema:Project ; rdfs:label "Tom"@sv ; dcterms:source kalla:k .
projekt:beskriven a schema:Project ; rdfs:label "Beskriven"@sv ;
    kfv:participantsNote "Källan nämner kommunerna utan namn."@sv ; dcterms:source kalla:k .""")
    assert got["projekt-utan-deltagare"] == {P + "tom"}


def test_two_values_where_one_is_allowed(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
projekt:p kfv:status status:avslutat .
plats:ort a schema:Place ; rdfs:label "Ort"@sv , "Ort igen"@sv ;
    schema:containedInPlace plats:a , plats:b ; dcterms:source kalla:k .""")
    assert got["flera-varden"] == {P + "p", BASE + "id/plats/ort"}


def test_fact_without_a_source_graph(tmp_path: Path) -> None:
    f = tmp_path / "k.ttl"
    f.write_text(PREFIXES + GOOD, encoding="utf-8")
    store = _dataset([f])
    store.add(ox.Quad(ox.NamedNode(P + "p"), ox.NamedNode("https://schema.org/url"),
                      ox.NamedNode("https://example.org/"), ox.DefaultGraph()))
    rows = {r.key: r for r in run_rules(store)}
    assert [e.focus for e in rows["fakta-utan-kallgraf"].examples] == [P + "p"]


def test_fact_without_a_source_statement(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
projekt:utan-kalla a schema:Project ; rdfs:label "Utan källa"@sv .""")
    assert got["fakta-utan-kalla"] == {P + "utan-kalla"}


def test_inferred_fact_without_a_note(tmp_path: Path) -> None:
    inferred = """
projekt:p kfv:status status:avslutat ; dcterms:source kalla:k .
projekt:q kfv:status status:avslutat ; kfv:inferenceNote "Slutdatum passerat."@sv ; dcterms:source kalla:k ."""
    got = _findings(tmp_path, inferred, stem="harledda-fakta", extra=GOOD)
    assert got["harledning-utan-anteckning"] == {P + "p"}


def test_fund_given_as_funder(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
organisation:fonden a org:Organization ; rdfs:label "Fonden"@sv ;
    org:classification organisationstyp:eu-fond ; dcterms:source kalla:k .
finansiering:p--fonden a schema:MonetaryGrant ; schema:funder organisation:fonden ;
    schema:fundedItem projekt:p ; dcterms:source kalla:k .""")
    assert got["fond-som-finansiar"] == {BASE + "id/finansiering/p--fonden"}


def test_eu_funded_project_without_the_eu_type(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
organisation:fonden a org:Organization ; rdfs:label "Fonden"@sv ;
    org:classification organisationstyp:eu-fond ; dcterms:source kalla:k .
finansiering:p--o a schema:MonetaryGrant ; schema:funder organisation:o ; kfv:fund organisation:fonden ;
    schema:fundedItem projekt:p ; dcterms:source kalla:k .""")
    assert got["eu-finansiering-utan-eu-projekt"] == {P + "p"}
    tagged = _findings(tmp_path, GOOD + """
projekt:p dcterms:type projekttyp:eu-projekt .
organisation:fonden a org:Organization ; rdfs:label "Fonden"@sv ;
    org:classification organisationstyp:eu-fond ; dcterms:source kalla:k .
finansiering:p--o a schema:MonetaryGrant ; kfv:fund organisation:fonden ;
    schema:fundedItem projekt:p ; dcterms:source kalla:k .""")
    assert not tagged["eu-finansiering-utan-eu-projekt"]


def test_place_that_is_an_organisation(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
projekt:p dcterms:spatial organisation:o .""")
    assert got["plats-ar-inte-plats"] == {P + "p"}


def test_result_on_another_property(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
organisation:o schema:additionalProperty resultat:r .
resultat:r a kfv:Result , schema:PropertyValue ; schema:value 4 ; dcterms:source kalla:k .
resultat:los a kfv:Result , schema:PropertyValue ; schema:value 5 ; dcterms:source kalla:k .""")
    assert got["resultat-pa-annat-satt"] == {BASE + "id/resultat/r", BASE + "id/resultat/los"}


def test_event_treated_as_a_project(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
evenemang:konferens a schema:Event , schema:Project ; rdfs:label "Konferens"@sv ; dcterms:source kalla:k .
evenemang:seminarium a schema:Event ; rdfs:label "Seminarium"@sv ; dcterms:source kalla:k .
deltagande:seminarium--o a kfv:Participation , org:Membership ; org:member organisation:o ;
    org:organization evenemang:seminarium ; org:role projektroll:arrangor ; dcterms:source kalla:k .""")
    assert got["evenemang-som-projekt"] == {BASE + "id/evenemang/konferens",
                                            BASE + "id/deltagande/seminarium--o"}


def test_municipality_without_an_area(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
organisation:o org:classification organisationstyp:kommun .""")
    assert got["kommun-utan-omrade"] == {ORGS + "o"}


def test_government_inquiry_typed_as_an_agency(tmp_path: Path) -> None:
    got = _findings(tmp_path, GOOD + """
organisation:o kfv:partOf organisation:kommunutredningen .
organisation:kommunutredningen a org:Organization ; rdfs:label "Kommunutredningen"@sv ;
    org:classification organisationstyp:statlig-myndighet ; dcterms:source kalla:k .
organisation:verket a org:Organization ; rdfs:label "Verket"@sv ;
    org:classification organisationstyp:statlig-myndighet ; dcterms:source kalla:k .""")
    assert got["utredning-som-myndighet"] == {ORGS + "kommunutredningen"}
