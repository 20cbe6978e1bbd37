"""The query library: every query is documented, agrees on both backends, binds its
parameters safely, and returns the rows the sources state (expected rows written from
shared/sources/verksamhetsberattelse-2018.txt and aktuellt-nyheter.txt)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef

from kg.config import Settings
from kg.errors import LoadError, NotFoundError
from kg.query.catalog import (
    CHOICES,
    PARAM_TYPES,
    ParameterError,
    SavedQuery,
    load_catalog,
    parse_query_file,
)
from kg.store.base import SelectResult, Store

CATALOG = load_catalog()
NAMES = CATALOG.names()
ID = "https://data.kfvn.se/id/"
ORG = ID + "organisation/"
P = ID + "projekt/"
PERSON = ID + "person/"
SEVEN = ("harnosands-kommun", "kramfors-kommun", "solleftea-kommun", "sundsvalls-kommun",
         "timra-kommun", "ange-kommun", "ornskoldsviks-kommun")


def plain(t: Any) -> Any:
    """A term as a comparable Python value (numbers as numbers, lists as sets)."""
    if t is None:
        return None
    if isinstance(t, Literal):
        v = t.toPython()
        if isinstance(v, Decimal | int) and not isinstance(v, bool):
            return int(v) if v == int(v) else float(v)
        text = str(t)
        return frozenset(text.split("; ")) if "; " in text else text
    return str(t)


def rows(result: SelectResult) -> list[dict[str, Any]]:
    return [{v: plain(t) for v, t in zip(result.variables, row, strict=True)}
            for row in result.rows]


def canon(result: SelectResult) -> list[tuple[str, ...]]:
    def key(t: Any) -> str:
        v = plain(t)
        return repr(sorted(v) if isinstance(v, frozenset) else v)

    return sorted(tuple(key(t) for t in row) for row in result.rows)


def run(store: Store, name: str, **values: str) -> list[dict[str, Any]]:
    return rows(CATALOG.get(name).run(store, values))


def project(table: list[dict[str, Any]], *cols: str) -> set[tuple[Any, ...]]:
    return {tuple(r[c] for c in cols) for r in table}


# -- the catalog itself ---------------------------------------------------------------

def test_at_least_fifteen_documented_queries() -> None:
    assert len(CATALOG) >= 15
    for q in CATALOG:
        assert q.title_sv and q.title_en and q.description_sv and q.description_en, q.name
        for p in q.params:
            assert p.type in PARAM_TYPES and p.label("sv") and p.label("en"), (q.name, p)
            assert p.choices is None or p.choices in CHOICES
            assert p.optional or p.default, f"{q.name}.{p.name} needs a default"


@pytest.mark.parametrize("name", NAMES)
def test_defaults_bind_and_choices_are_filled_from_the_graph(name: str, ox_store: Store) -> None:
    q = CATALOG.get(name)
    bound = q.bind({})
    for p in q.params:
        if p.choices:
            options = dict(p.options(ox_store))
            assert options, f"{name}.{p.name}: no choices"
            if p.name in bound:
                assert str(bound[p.name]) in options, f"default of {name}.{p.name} not offered"


def test_unknown_query_and_parameter() -> None:
    with pytest.raises(NotFoundError):
        CATALOG.get("finns-inte")
    with pytest.raises(ParameterError):
        CATALOG.get("projektets-partner").bind({"nope": "x"})


def test_header_errors_name_file_and_line(tmp_path: Path) -> None:
    bad = tmp_path / "trasig.rq"
    bad.write_text("#+ title_sv: x\n#+ title_en: x\n#+ description_sv: x\n#+ description_en: x\n"
                   "#+ param: a | colour\nSELECT ?a WHERE { ?a ?b ?c }\n", encoding="utf-8")
    with pytest.raises(LoadError) as info:
        parse_query_file(bad)
    assert info.value.line == 5 and "trasig.rq" in str(info.value)
    bad.write_text("#+ title_sv: x\n#+ title_en: x\n#+ description_sv: x\n#+ description_en: x\n"
                   "#+ param: a | iri\nSELECT ?b WHERE { ?a ?b ?c }\n", encoding="utf-8")
    with pytest.raises(LoadError, match="projection"):
        parse_query_file(bad)


# -- both backends agree --------------------------------------------------------------

# Non-default values, so that optional parameters are tried bound and unbound.
VARIANTS: dict[str, list[dict[str, str]]] = {
    "projekt-per-finansiar": [{"finansiar": "organisation:tillvaxtverket"},
                              {"fran": "2022", "till": "2023"}],
    "finansiering-per-ar": [{"finansiar": "organisation:skolverket"}],
    "finansiering-per-finansiar": [{"status": "status:ansokt"}],
    "representanter-externa-organ": [{"organ": "organisation:foreningsarkivet"}],
    "personer-och-uppdrag": [{"person": "person:peder-bjork"}],
    "projektresultat": [{"projekt": "projekt:esamverkan"}],
    "agare-och-medlemmar": [{"organ": "organisation:kommunforbundet-vasternorrland"}],
}


@pytest.mark.parametrize("name", NAMES)
def test_both_backends_give_the_same_rows(name: str, ox_store: Store, mem_store: Store) -> None:
    q = CATALOG.get(name)
    for values in [{}, *VARIANTS.get(name, [])]:
        a, b = q.run(ox_store, values), q.run(mem_store, values)
        assert a.variables == b.variables
        assert canon(a) == canon(b), (name, values)


@pytest.mark.parametrize("name", NAMES)
def test_the_editor_text_gives_the_same_rows(name: str, ox_store: Store) -> None:
    """'View/edit SPARQL' opens a standalone text (values in a VALUES block): same answer."""
    q = CATALOG.get(name)
    for values in [{}, *VARIANTS.get(name, [])]:
        bound = q.run(ox_store, values)
        text = ox_store.select(q.editor_text(values))
        assert canon(bound) == canon(q.finish(text)), (name, values)  # type: ignore[arg-type]


def test_hidden_parameter_columns_are_dropped(ox_store: Store) -> None:
    res = CATALOG.get("projekt-per-finansiar").run(ox_store, {"fran": "2022"})
    assert "fran" not in res.variables and "till" not in res.variables


# -- the rows the sources state ------------------------------------------------------

def test_partners_of_esamverkan_by_role(ox_store: Store) -> None:
    # "Kommunförbundet är projektägare ... Tre kommuner utgör samverkanspartner; Härnösand,
    #  Sundsvall och Örnsköldsvik. Övriga sex kommuner är samarbetspartner; Hudiksvall,
    #  Kramfors, Nordanstig, Sollefteå, Timrå, Ånge."  "ordförande i e-Samverkans styrgrupp"
    table = run(ox_store, "projektets-partner", projekt="projekt:esamverkan")
    got = project(table, "rollnamn", "organisation")
    expected = {("projektägare", ORG + "kommunforbundet-vasternorrland"),
                ("ordförande i styrgruppen", ORG + "kommunforbundet-vasternorrland")}
    expected |= {("samverkanspartner", ORG + m) for m in
                 ("harnosands-kommun", "sundsvalls-kommun", "ornskoldsviks-kommun")}
    expected |= {("samarbetspartner", ORG + m) for m in
                 ("hudiksvalls-kommun", "kramfors-kommun", "nordanstigs-kommun",
                  "solleftea-kommun", "timra-kommun", "ange-kommun")}
    assert expected <= got
    assert {r for r in got if r[0] in ("samverkanspartner", "samarbetspartner",
                                       "projektägare")} == {
        e for e in expected if e[0] != "ordförande i styrgruppen"}


def test_representatives_in_external_bodies(ox_store: Store) -> None:
    # "Politiska uppdrag": ERNACT, Styrkommitté Sverige-Norge, Europaforum Norra Sverige,
    # Föreningsarkivet (ordinarie/ersättare), MSEO ägarråd, Norrtåg, Strukturfondspartnerskap.
    table = run(ox_store, "representanter-externa-organ")
    got = project(table, "personnamn", "rollnamn")
    assert got == {
        ("Fred Nilsson", "representant"), ("Ida Stafrin", "representant"),
        ("Åke Nyhlén", "representant"), ("Peder Björk", "representant"),
        ("Anders Gäfvert", "representant"), ("Rune Danielsson", "ordinarie"),
        ("Önne Norberg", "ersättare"), ("Glenn Nordlund", "representant"),
        ("Elvy Söderström", "representant"), ("Bertil Böhlin", "representant"),
        ("Sten-Ove Danielsson", "representant"), ("Elisabeth Lassen", "representant"),
        ("Jonny Lundin", "representant"),
    }
    assert len(table) == 15  # Gäfvert and Danielsson sit in two bodies each
    period = {(r["personnamn"], r["fran"], r["till"]) for r in table if r["fran"]}
    assert period == {(n, "2014", "2020") for n in
                      ("Sten-Ove Danielsson", "Elisabeth Lassen", "Jonny Lundin")}
    archive = run(ox_store, "representanter-externa-organ", organ="organisation:foreningsarkivet")
    assert project(archive, "personnamn", "rollnamn") == {
        ("Rune Danielsson", "ordinarie"), ("Önne Norberg", "ersättare")}


def test_projects_by_funder_with_amounts(ox_store: Store) -> None:
    # "Tillväxtverket har beviljat ... tre miljoner kronor ... ur den Europeiska regionala
    #  utvecklingsfonden för ... Tillgängliga e-tjänster"; eSamverkan "medel från Tillväxtverket".
    table = run(ox_store, "projekt-per-finansiar", finansiar="organisation:tillvaxtverket")
    assert project(table, "projekt", "belopp", "fondnamn") == {
        (P + "teo", 3_000_000, "Europeiska regionala utvecklingsfonden"),
        (P + "esamverkan", None, None)}
    # HAV: "ESF-projektet" -- the fund is named, the deciding body is not, so the fund is shown.
    esf = run(ox_store, "projekt-per-finansiar", finansiar="organisation:europeiska-socialfonden")
    assert project(esf, "projekt", "givarnamn", "fondnamn") >= {
        (P + "hav", "Europeiska socialfonden", "Europeiska socialfonden")}
    # Skolverket: 4,5 MSEK for 2022 and about 4,8 MSEK for 2023 to the lärcentrum application.
    period = run(ox_store, "projekt-per-finansiar", fran="2022", till="2023")
    dated = [r for r in period if not r.get("anmarkning")]
    assert project(dated, "givarnamn", "ar", "belopp", "ungefar") == {
        ("Skolverket", "2022", 4_500_000, ""), ("Skolverket", "2023", 4_800_000, "cirka")}
    # no silent drops: grants without any year stay, marked (TEO: 3 MSEK, no year)
    undated = {(r["projekt"], r["anmarkning"]) for r in period if r.get("anmarkning")}
    assert (P + "teo", "saknar år i källan") in undated
    only_2023 = run(ox_store, "projekt-per-finansiar", fran="2023")
    assert ("Skolverket", "2023", 4_800_000) in project(only_2023, "givarnamn", "ar", "belopp")
    assert all(r["ar"] != "2022" for r in only_2023)


def test_total_funding_per_funder(ox_store: Store) -> None:
    table = {r["finansiarnamn"]: r for r in run(ox_store, "finansiering-per-finansiar")}
    assert table["Skolverket"]["belopp"] == 9_300_000 and table["Skolverket"]["bidrag_antal"] == 2
    assert table["Tillväxtverket"]["belopp"] == 3_000_000
    assert table["Tillväxtverket"]["projekt_antal"] == 2
    assert "Europeiska socialfonden" in table  # HAV, ESF-projekt, amount not stated
    applied = {r["finansiarnamn"] for r in run(ox_store, "finansiering-per-finansiar",
                                              status="status:ansokt")}
    # Digikomp (ESF), "Tid för förändring?" (Forte), regional support structures (Skolverket)
    assert {"Europeiska socialfonden", "Forte", "Skolverket"} <= applied


def test_total_funding_per_year(ox_store: Store) -> None:
    table = {r["ar"]: r["belopp"] for r in run(ox_store, "finansiering-per-ar")}
    assert table["2022"] == 4_500_000 and table["2023"] == 4_800_000
    skolverket = run(ox_store, "finansiering-per-ar", finansiar="organisation:skolverket")
    assert project(skolverket, "ar", "belopp") == {("2022", 4_500_000), ("2023", 4_800_000)}


def test_everything_a_municipality_took_part_in(ox_store: Store) -> None:
    table = {r["projekt"]: r for r in run(ox_store, "kommunens-projekt",
                                          kommun="organisation:sundsvalls-kommun")}
    assert table[P + "esamverkan"]["roll"] == "samverkanspartner"
    assert table[P + "esamverkan"]["finansiarer"] == "Tillväxtverket"
    assert table[P + "teo"]["finansiarer"] == "Tillväxtverket"
    # Make sense: "i samverkan med Sundsvalls, Örnsköldsviks och Umeå kommun"
    assert {"Umeå kommun", "Örnsköldsviks kommun"} <= set(table[P + "make-sense"]["partner"])
    assert P + "larcentrum-gemensam-statsbidragsansokan" in table  # the seven municipalities
    assert table[P + "larcentrum-gemensam-statsbidragsansokan"]["finansiarer"] == "Skolverket"
    # HAV took place in Västernorrland; Sundsvall is named as one of its municipalities.
    assert table[P + "hav"]["roll"] == "deltagare"
    # Only projects: events (the skolledarkonferens in Sundsvall) are in kommunens-evenemang.
    assert all(p.startswith(P) for p in table)
    solleftea = {r["projekt"]: r["roll"] for r in run(ox_store, "kommunens-projekt",
                                                     kommun="organisation:solleftea-kommun")}
    # "Reveljen i Sollefteå kommun" got the YH programme: in the municipality's area (the town of
    # Sollefteå), though the municipality itself is not a participant.
    assert solleftea[P + "socialadministratorsutbildning"] == "genomförs i kommunen"
    assert solleftea[P + "esamverkan"] == "samarbetspartner"


def test_a_municipalitys_events(ox_store: Store) -> None:
    # HAV's first training in patient handling at Lindgården (a venue in the town of Sundsvall)
    # and the conference for school leaders in Sundsvall roll up to Sundsvalls kommun.
    table = {r["evenemang"]: r for r in run(ox_store, "kommunens-evenemang",
                                            kommun="organisation:sundsvalls-kommun")}
    e = "https://data.kfvn.se/id/evenemang/"
    assert table[e + "hav-forflyttningsteknik-4-oktober"]["roll"] == "värd"
    assert table[e + "hav-forflyttningsteknik-4-oktober"]["datum"] == "--10-04"
    assert table[e + "skolledarkonferens-2018"]["roll"] == "hålls i kommunen"
    assert table[e + "hav-slutseminarium"]["platsnamn"] == "Hotell Södra Berget"


def test_organisations_that_worked_with_an_organisation(ox_store: Store) -> None:
    table = run(ox_store, "samarbetspartner", organisation="organisation:umea-kommun")
    got = project(table, "partner", "projekt_lista")
    assert (ORG + "sundsvalls-kommun", "Make sense") in got
    assert (ORG + "ornskoldsviks-kommun", "Make sense") in got


def test_projects_with_both_a_and_b(ox_store: Store) -> None:
    table = run(ox_store, "projekt-med-bada", a="organisation:sundsvalls-kommun",
                b="organisation:ornskoldsviks-kommun")
    got = {r["projekt"]: (r["roll_a"], r["roll_b"]) for r in table}
    assert got[P + "esamverkan"] == ("samverkanspartner", "samverkanspartner")
    assert P + "make-sense" in got and P + "teo" in got
    none = run(ox_store, "projekt-med-bada", a="organisation:umea-kommun",
               b="organisation:hudiksvalls-kommun")
    assert none == []


def test_projects_by_theme_include_narrower_themes(ox_store: Store) -> None:
    digital = {r["projekt"] for r in run(ox_store, "projekt-per-tema", tema="tema:digitalisering")}
    assert {P + "esamverkan", P + "erudite", P + "teo", P + "digitaliseringsguiden"} <= digital
    energy = {r["projekt"] for r in run(ox_store, "projekt-per-tema", tema="tema:miljo-energi")}
    assert {P + "secure", P + "soley", P + "hallbara-resor"} <= energy


def test_people_and_their_posts(ox_store: Store) -> None:
    # Peder Björk: chair from the 2018 board election, representative in EFNS, kommunalråd.
    table = run(ox_store, "personer-och-uppdrag", person="person:peder-bjork")
    assert {"ordförande", "representant", "kommunalråd"} <= {r["rollnamn"] for r in table}
    everyone = {r["personnamn"] for r in run(ox_store, "personer-och-uppdrag")}
    assert {"Charlotte Sandelius", "Sirpa Virtanen", "Glenn Nordlund"} <= everyone


def test_board_and_management(ox_store: Store) -> None:
    # "Glenn Nordlund, ordförande i Kommunförbundets styrelse"; "tar Peder Björk ... över
    # ordförandeskapet"; "tf direktör Sirpa Virtanen ... Charlotte Sandelius".
    got = project(run(ox_store, "styrelse-och-ledning"), "personnamn", "rollnamn")
    assert {("Glenn Nordlund", "ordförande"), ("Peder Björk", "ordförande"),
            ("Charlotte Sandelius", "ledare"),
            ("Sirpa Virtanen", "tillförordnad direktör")} <= got


NOT_GRANTED = {P + "utokad-ekr", P + "regional-miljotekniknod", P + "informationsplattform"}


def test_applications_not_granted(ox_store: Store) -> None:
    # Three times: "Denna projektansökan blev ej beviljad" (Utökad EKR, miljötekniknod ASSET,
    # Informationsplattform).
    assert {r["projekt"] for r in run(ox_store, "ej-beviljade-ansokningar")} == NOT_GRANTED


def test_projects_by_status(ox_store: Store) -> None:
    assert {r["projekt"] for r in run(ox_store, "projekt-per-status",
                                      status="status:ej-beviljad")} == NOT_GRANTED
    ended = {r["projekt"] for r in run(ox_store, "projekt-per-status", status="status:avslutat")}
    assert {P + "make-sense", P + "improve", P + "hallbara-resor", P + "erudite2"} <= ended


def test_results_as_figures(ox_store: Store) -> None:
    # "224 st. digitala tjänster varav 102 st. under 2018"; SECURE "åtta procent".
    esam = project(run(ox_store, "projektresultat", projekt="projekt:esamverkan"), "varde", "enhet")
    assert {(224, "st"), (102, "st")} <= esam
    secure = project(run(ox_store, "projektresultat", projekt="projekt:secure"), "varde", "enhet")
    assert (8, "procent") in secure


def test_organisations_by_type(ox_store: Store) -> None:
    table = {r["organisation"]: r for r in run(ox_store, "organisationer-per-typ",
                                               typ="organisationstyp:kommun")}
    assert {ORG + m for m in SEVEN} <= set(table)
    assert table[ORG + "sundsvalls-kommun"]["kommunkod"] == "2281"
    assert table[ORG + "ornskoldsviks-kommun"]["kommunkod"] == "2284"
    assert table[ORG + "sundsvalls-kommun"]["antal_projekt"] >= 5


def test_owners_of_the_association(ox_store: Store) -> None:
    # "ägs av länets sju kommuner; Kramfors, Härnösand, Sollefteå, Sundsvall, Timrå, Ånge och
    #  Örnsköldsvik"
    table = run(ox_store, "agare-och-medlemmar",
                organ="organisation:kommunforbundet-vasternorrland")
    assert {r["medlem"] for r in table if r["rollnamn"] == "ägare"} == {ORG + m for m in SEVEN}


def test_news_about_an_entity(ox_store: Store) -> None:
    # HAV: the final seminar (3), the first transfer-technique training (5), going live (19).
    table = run(ox_store, "nyheter-om", entitet="projekt:hav")
    assert {(r["nummer"], r["relation"]) for r in table} == {
        (3, "handlar om"), (5, "handlar om"), (19, "handlar om")}


def test_sources_of_the_facts(ox_store: Store) -> None:
    # SECURE is in the annual report and in the news item about Ärebo.
    table = run(ox_store, "kallor-for-entitet", entitet="projekt:secure")
    assert {r["graf"] for r in table} == {
        "https://data.kfvn.se/graph/verksamhetsberattelse-2018",
        "https://data.kfvn.se/graph/aktuellt-nyheter"}
    assert all(r["antal_uppgifter"] > 0 for r in table)


def test_project_chains(ox_store: Store) -> None:
    table = run(ox_store, "projektkedjor")
    assert (P + "erudite2", "bygger vidare på", P + "erudite") in project(
        table, "projekt", "relation", "annat")


# -- parameters cannot change a query -------------------------------------------------

EVIL = [
    'x" } UNION { ?p ?q ?namn } #',
    "x' } ?s ?p ?o . { '",
    "Make sense\" . } # }",
    '"""} FILTER(true) #',
    "} } } #",
    "\\\" } #",
    "eSamverkan\n} UNION { ?p ?q ?r }",
]


def _string_query(tmp_path: Path) -> SavedQuery:
    path = tmp_path / "namn.rq"
    path.write_text(
        "#+ title_sv: Efter namn\n#+ title_en: By name\n#+ description_sv: x\n"
        "#+ description_en: x\n#+ param: namn | string | label_sv=Namn | label_en=Name\n"
        "SELECT ?namn ?p WHERE {\n  ?p a schema:Project ; rdfs:label ?l .\n"
        "  FILTER(STR(?l) = ?namn)\n}\n", encoding="utf-8")
    return parse_query_file(path)


def test_a_benign_string_matches(tmp_path: Path, any_store: Store) -> None:
    q = _string_query(tmp_path)
    assert [r["p"] for r in rows(q.run(any_store, {"namn": "eSamverkan"}))] == [P + "esamverkan"]


@pytest.mark.parametrize("value", EVIL)
def test_quotes_braces_and_hashes_in_strings_cannot_change_a_query(
        tmp_path: Path, any_store: Store, value: str) -> None:
    q = _string_query(tmp_path)
    result = q.run(any_store, {"namn": value})
    assert result.rows == []  # matched as a literal, nothing else
    assert q.bind({"namn": value})["namn"] == Literal(value)
    # the editor text writes the value as an escaped literal: same (empty) answer
    assert any_store.select(q.editor_text({"namn": value})).rows == []


@pytest.mark.parametrize("value", [
    "projekt:esamverkan> } #", "https://x.org/a b", 'https://x.org/"', "<https://x.org/{}>",
    "projekt:a}", "organisation:x#y } UNION {", "not an iri",
])
def test_unsafe_iris_are_refused(value: str) -> None:
    with pytest.raises(ParameterError):
        CATALOG.get("projektets-partner").bind({"projekt": value})


@pytest.mark.parametrize("value", ["2018 } #", "20x8", "99999", '2018"'])
def test_bad_years_are_refused(value: str) -> None:
    with pytest.raises(ParameterError):
        CATALOG.get("projekt-per-finansiar").bind({"fran": value})


def test_unsafe_values_on_the_web_are_400(sparql_client: Any) -> None:
    evil = "projekt:esamverkan%3E%20%7D%20%23"
    resp = sparql_client.get(f"/fragor/projektets-partner.csv?projekt={evil}")
    assert resp.status_code == 400
    page = sparql_client.get("/fragor/projekt-per-finansiar?fran=2018%22%20%7D")
    assert page.status_code == 400 and "är inte ett årtal" in page.get_data(as_text=True)
    english = sparql_client.get("/fragor/projekt-per-finansiar?fran=2018%22%20%7D&lang=en")
    assert english.status_code == 400 and "is not a year" in english.get_data(as_text=True)


# -- the command line -----------------------------------------------------------------

def test_cli_runs_a_saved_query(settings: Settings) -> None:
    from kg.cli import cli

    store = settings.store
    out = CliRunner().invoke(cli, ["--store", store, "query", "--saved",
                                   "representanter-externa-organ", "--param",
                                   "organ=organisation:ernact", "-o", "csv"])
    assert out.exit_code == 0, out.output
    assert "Fred Nilsson" in out.output and "Ida Stafrin" in out.output
    assert "Rune Danielsson" not in out.output
    bad = CliRunner().invoke(cli, ["--store", store, "query", "--saved", "projektets-partner",
                                   "--param", "projekt=x y"])
    assert bad.exit_code == 1 and "inte en giltig IRI" in bad.output


def test_catalog_run_is_callable_without_flask(ox_store: Store) -> None:
    result = CATALOG.get("projektets-partner").run(ox_store, {"projekt": URIRef(P + "teo")},
                                                    limit=2)
    assert isinstance(result, SelectResult) and len(result) <= 2


