"""The tables of kg.query.tables over the bundled data (and small stores made here): Swedish
order, people by family name, no silent drops under a period filter, EU funding, facets."""

from __future__ import annotations

import pytest
from rdflib import Literal, URIRef

from kg.namespaces import PREFIXES
from kg.query.catalog import ParameterError
from kg.query.collation import sort_key
from kg.query.tables import build_table, parse_filters
from kg.query.tables.model import Ref
from kg.store import open_store
from kg.store.base import Store

ORG = PREFIXES["organisation"]
PROJ = PREFIXES["projekt"]


def _labels(rows: list[dict], key: str) -> list[str]:
    return [r[key].label for r in rows]


def _table(store: Store, name: str, **args: str):  # type: ignore[no-untyped-def]
    sort = args.pop("ordning", "")
    return build_table(store, name, parse_filters(name, args), sort=sort)


def test_organisations_sort_swedish(ox_store: Store) -> None:
    names = _labels(_table(ox_store, "organisationer").rows, "organisation")
    assert names == sorted(names, key=sort_key)
    first_a_ring = next(i for i, n in enumerate(names) if n[0] in "ÅÄÖ")
    assert all(n[0] not in "ÅÄÖ" for n in names[:first_a_ring])
    assert all(n[0] in "ÅÄÖ" for n in names[first_a_ring:]), names[first_a_ring:]
    assert names.index("Örnsköldsviks kommun") > names.index("Ånge kommun") > names.index(
        "Umeå kommun")
    backwards = _labels(_table(ox_store, "organisationer", ordning="-organisation").rows,
                        "organisation")
    assert backwards[0].startswith("Ö") and backwards == names[::-1]


def test_people_by_family_name(ox_store: Store) -> None:
    rows = _table(ox_store, "personer").rows
    families = [r["efternamn"] for r in rows]
    assert families == sorted(families, key=sort_key)
    # given names do not decide the order: "Peder Björk" comes before "Bertil Böhlin"
    order = _labels(rows, "person")
    assert order.index("Peder Björk") < order.index("Bertil Böhlin")


def test_period_keeps_undated_rows(ox_store: Store) -> None:
    """Tillväxtverket 2015–2024: TEO's grant has no year and must not vanish."""
    table = _table(ox_store, "finansiering", finansiar="tillvaxtverket", fran="2015",
                   till="2024")
    dated = _labels(table.rows, "projekt")
    undated = _labels(table.undated, "projekt")
    assert any(n.startswith("TEO") for n in undated), (dated, undated)
    assert not any(n.startswith("TEO") for n in dated)
    teo = next(r for r in table.undated if r["projekt"].label.startswith("TEO"))
    assert teo["belopp"] == 3000000 and teo["_undated"]
    assert table.total == len(dated) + len(undated)
    years = {v.value: v.count for v in next(f for f in table.facets if f.key == "ar").values}
    assert years.get("") == len(undated)


def test_eu_funding_is_a_facet(ox_store: Store) -> None:
    table = _table(ox_store, "finansiering", eu="ja")
    projects = _labels(table.rows + table.undated, "projekt")
    assert any(p.startswith("TEO") for p in projects)
    assert any(p.startswith("HAV") for p in projects)
    teo = next(r for r in table.all_rows() if r["projekt"].label.startswith("TEO"))
    assert [r.label for r in teo["program"]] == ["Europeiska regionala utvecklingsfonden"]
    not_eu = _table(ox_store, "finansiering", eu="nej").all_rows()
    assert not {r["projekt"].iri for r in not_eu} & {r["projekt"].iri for r in table.rows
                                                      if r["eu"] == "EU-finansiering"}


def test_eu_project_without_stated_funding_is_shown() -> None:
    store = open_store("memory")
    p = URIRef(PROJ + "secure")
    base = "https://data.kfvn.se/def/"
    store.add_quads([
        (p, URIRef(PREFIXES["rdf"] + "type"), URIRef(PREFIXES["schema"] + "Project"), None),
        (p, URIRef(PREFIXES["rdfs"] + "label"), Literal("SECURE", lang="sv"), None),
        (p, URIRef(PREFIXES["dcterms"] + "type"), URIRef(base + "projekttyp/eu-projekt"), None),
    ])
    rows = _table(store, "finansiering", eu="ja").all_rows()
    assert [r["eu"] for r in rows] == ["EU-projekt, finansiering ej angiven"]
    assert rows[0]["projekt"].iri == str(p) and rows[0]["belopp"] is None
    projects = _table(store, "projekt", eu="ja").all_rows()
    assert projects and projects[0]["eu"] == "EU-projekt, finansiering ej angiven"


def test_municipality_projects_with_role_partners_funders(ox_store: Store) -> None:
    table = _table(ox_store, "projekt", deltagare="solleftea-kommun")
    keys = [c.key for c in table.columns]
    assert {"projekt", "roll", "partner", "finansiarer"} <= set(keys)
    assert table.total >= 4
    teo = next(r for r in table.rows if r["projekt"].label.startswith("TEO"))
    assert teo["roll"] and all(isinstance(r, Ref) for r in teo["roll"])
    assert "Tillväxtverket" in [f.label for f in teo["finansiarer"]]
    assert ORG + "solleftea-kommun" not in [p.iri for p in teo["partner"]]
    assert teo["partner"] == sorted(teo["partner"], key=lambda r: sort_key(r.label))
    plain = _table(ox_store, "projekt")
    assert "roll" not in [c.key for c in plain.columns]


def test_facets_combine_and_count(ox_store: Store) -> None:
    everything = _table(ox_store, "projekt")
    status = next(f for f in everything.facets if f.key == "status")
    ongoing = next(v for v in status.values if v.value == "pagaende")
    only = _table(ox_store, "projekt", status="pagaende")
    assert only.total == ongoing.count
    both = _table(ox_store, "projekt", status="pagaende", tema="digitalisering")
    assert both.total <= only.total
    assert all("pagaende" in [s.iri.rsplit("/", 1)[1] for s in r["status"]] for r in both.rows)
    # a facet's own alternatives keep their counts (disjunctive counting)
    st = next(f for f in only.facets if f.key == "status")
    assert len([v for v in st.values if v.count]) > 1
    either = _table(ox_store, "projekt", status="pagaende,avslutat")
    assert either.total > only.total


def test_news_table_lists_every_item(ox_store: Store) -> None:
    table = _table(ox_store, "nyheter")
    assert table.total == 47
    assert [r["nummer"] for r in table.rows][:3] == [1, 2, 3]


@pytest.mark.parametrize("args", [{"fran": "20x8"}, {"eu": "kanske"}, {"tema": "a b"}])
def test_bad_filters_are_refused(args: dict[str, str]) -> None:
    with pytest.raises(ParameterError):
        parse_filters("finansiering", args)


def test_unknown_sort_column_is_refused(ox_store: Store) -> None:
    with pytest.raises(ParameterError):
        _table(ox_store, "projekt", ordning="nope")


def test_rows_with_match_the_filtered_table(ox_store: Store) -> None:
    """A profile's rows by index are the rows the filtered table shows, seen from the
    organisation the same way (its role, the other partners)."""
    from kg.query.tables import rows_with

    org = PREFIXES["organisation"] + "solleftea-kommun"
    table = build_table(ox_store, "projekt", parse_filters("projekt", {"deltagare": [org]}))
    expected = {r["projekt"].iri: r for r in [*table.rows, *table.undated]}
    got = {r["projekt"].iri: r for r in rows_with(ox_store, "projekt", "deltagare", org)}
    assert expected and got.keys() == expected.keys()
    assert all(got[k]["roll"] == expected[k]["roll"] and got[k]["partner"] == expected[k]["partner"]
               for k in got)
    one = next(iter(got))
    assert [r["projekt"].iri for r in rows_with(ox_store, "projekt", "@", one)] == [one]
    assert rows_with(ox_store, "projekt", "@", PREFIXES["projekt"] + "finns-inte") == []


def test_facts_keep_one_string_per_iri(ox_store: Store) -> None:
    """The tables' facts are kept per data version: an organisation taking part in many
    projects is one ``str`` in memory, not a copy per row (issue 14, serving memory)."""
    from kg.query.tables.facts import read_core

    core = read_core(ox_store)
    seen: dict[str, int] = {}
    shared = 0
    for project in core.projects.values():
        for org, _role in project.partners:
            if org in seen:
                assert id(org) == seen[org], org
                shared += 1
            seen[org] = id(org)
    assert shared > 10
    # the organisations' own keys are the same objects as the partners'
    for org, projects in core.org_projects.items():
        assert all(any(o is org for o, _ in core.projects[p].partners) for p in projects)


def test_table_items_share_equal_facet_sets(ox_store: Store) -> None:
    from kg.query.tables import _items, _spec

    items = _items(ox_store, _spec("finansiering"), "sv")
    by_value: dict[frozenset[str], int] = {}
    for item in items:
        values = item.facets["eu"]
        assert isinstance(values, frozenset)
        assert by_value.setdefault(values, id(values)) == id(values)
    assert len(by_value) < len(items)
