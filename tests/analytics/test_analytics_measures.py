"""The projection and the measures over it, on the small known graph of tests/graphdata.py."""

from __future__ import annotations

import networkx as nx
import pytest
from graphdata import XSS, generated_store, sample_store

from kg.analytics.centrality import brokers, most_connected
from kg.analytics.communities import communities, coparticipation_graph
from kg.analytics.funding import funding_summary
from kg.analytics.matrix import municipality_matrix
from kg.analytics.paths import find_paths, resolve
from kg.analytics.projection import build_projection, core_graph
from kg.errors import NotFoundError
from kg.namespaces import PREFIXES

ORG = PREFIXES["organisation"]
PROJ = PREFIXES["projekt"]


@pytest.fixture(scope="module")
def G() -> nx.MultiGraph:
    return build_projection(sample_store())


def test_nodes_have_type_labels_and_flags(G: nx.MultiGraph) -> None:
    solleftea = G.nodes[ORG + "solleftea-kommun"]
    assert solleftea["type"] == "organisation"
    assert (solleftea["label_sv"], solleftea["label_en"]) == ("Sollefteå kommun",
                                                              "Sollefteå Municipality")
    assert solleftea["municipality"] and solleftea["code"] == "2283"
    assert not G.nodes[ORG + "umea-universitet"]["municipality"]
    assert G.nodes[PREFIXES["person"] + "anna"]["type"] == "person"
    assert G.nodes[ORG + "xss"]["label_sv"] == XSS


def test_project_themes_include_broader_and_years_span(G: nx.MultiGraph) -> None:
    esam = G.nodes[PROJ + "esamverkan"]
    assert PREFIXES["tema"] + "digitalisering" in esam["themes"]
    assert PREFIXES["tema"] + "e-tjanster" in esam["themes"]
    assert esam["years"] == [2016, 2017, 2018, 2019]
    # an organisation inherits the years of its projects
    assert 2016 in G.nodes[ORG + "sundsvalls-kommun"]["years"]


def test_edges_carry_kind_role_and_amount(G: nx.MultiGraph) -> None:
    kinds = {d["kind"] for _, _, d in G.edges(data=True)}
    assert {"participation", "funding", "programme", "appointment", "membership",
            "suborganisation", "theme"} <= kinds
    part = next(iter(G.get_edge_data(ORG + "kfv", PROJ + "secure").values()))
    assert part["roles"] == [PREFIXES["projektroll"] + "projektagare"]
    assert part["src"] == ORG + "kfv"
    grant = next(d for d in G.get_edge_data(ORG + "tillvaxtverket", PROJ + "esamverkan").values())
    assert grant["kind"] == "funding" and grant["amount"] == 3_000_000 and grant["year"] == 2017


def test_core_graph_drops_themes(G: nx.MultiGraph) -> None:
    core = core_graph(G)
    assert all(G.nodes[n]["type"] != "concept" for n in core)
    assert core.has_edge(ORG + "kfv", PROJ + "esamverkan")


def test_most_connected_and_brokers(G: nx.MultiGraph) -> None:
    core = core_graph(G)
    top = most_connected(G, core)
    assert top[0]["iri"] == ORG + "kfv" and top[0]["projects"] == 3
    assert all(r["type"] == "organisation" for r in top)
    b = brokers(G, core)
    assert b["sampled"] is None
    assert b["rows"][0]["iri"] == ORG + "kfv"
    assert all(r["type"] != "project" for r in b["rows"])


def test_brokers_sample_on_large_graphs() -> None:
    G = build_projection(generated_store(600))
    result = brokers(G, core_graph(G), exact_max=100, samples=50)
    assert result["sampled"] == 50 and result["rows"]


def test_communities_partition_collaborators(G: nx.MultiGraph) -> None:
    found = communities(G)
    members = [m["iri"] for c in found for m in c["members"]]
    assert len(members) == len(set(members))
    assert set(members) == set(coparticipation_graph(G))
    assert all(c["size"] >= 2 for c in found)
    assert found == communities(G)  # seeded: stable


def test_paths_show_the_chain_of_roles(G: nx.MultiGraph) -> None:
    # by default through shared projects, not through membership of the association
    result = find_paths(G, "Sollefteå kommun", ORG + "umea-universitet")
    assert result["length"] == 4 and result["shared"] == []
    nodes = [n["iri"] for n in result["paths"][0]["nodes"]]
    assert nodes == [ORG + "solleftea-kommun", PROJ + "esamverkan", ORG + "kfv",
                     PROJ + "forskning", ORG + "umea-universitet"]
    assert all(rel["kind"] == "participation" for step in result["paths"][0]["links"]
               for rel in step)
    last = result["paths"][0]["links"][-1][0]
    assert last["kind"] == "participation" and not last["from_first"]
    assert last["roles"][0]["label_sv"] == "samverkanspartner"
    every = find_paths(G, "Sollefteå kommun", ORG + "umea-universitet", include_all=True)
    assert every["length"] == 3
    assert [n["iri"] for n in every["paths"][0]["nodes"]] == [
        ORG + "solleftea-kommun", ORG + "kfv", PROJ + "forskning", ORG + "umea-universitet"]
    assert every["paths"][0]["links"][0][0]["kind"] == "membership"


def test_paths_fall_back_to_membership_and_explain(G: nx.MultiGraph) -> None:
    from kg.analytics.explain import answer, parts_text

    H = G.copy()
    H.add_node(ORG + "medlem", type="organisation", label_sv="Medlem", label_en="Member",
               municipality=False)
    H.add_edge(ORG + "medlem", ORG + "kfv", key="m", kind="membership", src=ORG + "medlem",
               roles=[])
    result = find_paths(H, ORG + "medlem", ORG + "umea-universitet")
    assert result["length"] is None and result["fallback"]["length"] == 3
    text = parts_text(answer(result, "sv"))
    assert text.startswith("Medlem och Umeå universitet har inget gemensamt projekt och "
                           "hänger inte ihop genom projekt eller finansiering.")
    assert "Medlem är medlem i Kommunförbundet Västernorrland, som är projektägare i " \
           "Forskningssamarbete, som har samverkanspartner Umeå universitet." in text


def test_paths_errors_and_unconnected(G: nx.MultiGraph) -> None:
    with pytest.raises(NotFoundError):
        find_paths(G, ORG + "finns-inte", ORG + "kfv")
    with pytest.raises(NotFoundError):
        resolve(G, "tema: digitalisering")
    H = G.copy()
    H.add_node(ORG + "ensam", type="organisation", label_sv="Ensam", label_en="Alone",
               municipality=False)
    assert find_paths(H, ORG + "ensam", ORG + "kfv")["length"] is None


def test_funding_totals_per_funder_and_year(G: nx.MultiGraph) -> None:
    f = funding_summary(G)
    assert f["total"] == 3_750_000 and f["grants"] == 3
    assert f["not_counted"] == {"grants": 1, "total": 999.0}
    assert f["by_funder"][0]["iri"] == ORG + "tillvaxtverket"
    assert f["by_funder"][0]["total"] == 3_500_000
    assert [(r["year"], r["total"]) for r in f["by_year"]] == [(2017, 3_000_000),
                                                               (2018, 750_000)]


def test_municipality_matrix(G: nx.MultiGraph) -> None:
    m = municipality_matrix(G)
    names = [r["label_sv"] for r in m["municipalities"]]
    assert names == ["Sollefteå kommun", "Sundsvalls kommun", "Ånge kommun"]
    assert m["matrix"] == [[2, 1, 1], [1, 1, 0], [1, 0, 1]]
    assert m["max"] == 1
