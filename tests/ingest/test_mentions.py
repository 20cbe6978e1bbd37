"""Mentions of known entities: labels, aliases, Swedish inflection, lists of municipalities,
references back, and candidate lists where it is not certain."""

from __future__ import annotations

from kg.ingest.pipeline import analyse
from kg.store.base import Store

ORG = "https://data.kfvn.se/id/organisation/"
PROJ = "https://data.kfvn.se/id/projekt/"


def _certain(store: Store, text: str) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for m in analyse(store, text).mentions:
        if m.certain and m.new is None:
            out.setdefault(m.text, []).extend(m.iris)
    return out


def test_inflected_forms_fold_to_the_entity(ox_store: Store) -> None:
    found = _certain(ox_store, "Sundsvalls kommuns satsning stöds av Mittuniversitetets forskare och "
                               "Kommunförbundets kansli. Även Örnsköldsviks kommun deltar.")
    assert found["Sundsvalls kommuns"] == [ORG + "sundsvalls-kommun"]
    assert found["Kommunförbundets"] == [ORG + "kommunforbundet-vasternorrland"]
    assert found["Örnsköldsviks kommun"] == [ORG + "ornskoldsviks-kommun"]
    assert any("mittuniversitetet" in i for i in found["Mittuniversitetets"])


def test_case_and_diacritics_do_not_matter_but_acronyms_need_capitals(ox_store: Store) -> None:
    found = _certain(ox_store, "Projektet ESAMVERKAN och e-Samverkan. Det blev hav av idéer; HAV var bra.")
    assert found["ESAMVERKAN"] == [PROJ + "esamverkan"] == found["e-Samverkan"]
    assert "hav" not in found  # the common word "hav" (sea) is not the project HAV
    assert found["HAV"] == [PROJ + "hav"]


def test_town_names_in_a_list_of_municipalities(ox_store: Store) -> None:
    found = _certain(ox_store, "Tre kommuner utgör samverkanspartner; Härnösand, Sundsvall och Örnsköldsvik.")
    assert found["Härnösand"] == [ORG + "harnosands-kommun"]
    assert found["Sundsvall"] == [ORG + "sundsvalls-kommun"]
    assert found["Örnsköldsvik"] == [ORG + "ornskoldsviks-kommun"]


def test_the_seven_municipalities(ox_store: Store) -> None:
    result = analyse(ox_store, "Västernorrlands sju kommuner skickade in en gemensam ansökan.")
    group = next(m for m in result.mentions if m.group)
    assert len(group.iris) == 7 and ORG + "ange-kommun" in group.iris and group.certain


def test_reference_back_and_ambiguity_are_not_certain(ox_store: Store) -> None:
    result = analyse(ox_store, "Timrå kommun går med i GFO. Kommunen har ansökt. Sedan kom Sundsvalls kommun. "
                               "Kommunens ansökan beviljades.")
    refs = [m for m in result.mentions if m.method.startswith("hänvisning")]
    assert refs[0].candidates[0].iri == ORG + "timra-kommun" and refs[0].certain
    last = refs[-1]
    assert not last.certain and [c.iri for c in last.candidates[:2]] == [ORG + "sundsvalls-kommun",
                                                                          ORG + "timra-kommun"]
    assert last.candidates[0].score > last.candidates[1].score


def test_near_miss_gets_ranked_candidates(ox_store: Store) -> None:
    result = analyse(ox_store, "Arbetet stöds av Tillväxtverkt och Skolvrket.")
    fuzzy = [m for m in result.mentions if "rapidfuzz" in m.method]
    assert len(fuzzy) == 2 and all(not m.certain for m in fuzzy)
    assert [m.candidates[0].iri for m in fuzzy] == [ORG + "tillvaxtverket", ORG + "skolverket"]
    assert all(0 < m.candidates[0].score < 0.9 for m in fuzzy)
