"""Graph views as vis-network data (kg.export.network): neighbourhoods, explorer, layout."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from graphdata import XSS, XSS_ATTR, generated_store, sample_store

from kg.analytics.cache import clear_memory
from kg.config import Settings
from kg.errors import NotFoundError
from kg.export.network import GraphFilter, explorer, explorer_choices, neighbourhood
from kg.namespaces import PREFIXES
from kg.store import OxigraphStore

ORG = PREFIXES["organisation"]
PROJ = PREFIXES["projekt"]


@pytest.fixture(scope="module")
def store() -> OxigraphStore:
    clear_memory()
    return sample_store()


@pytest.fixture(scope="module")
def settings(tmp_path_factory: pytest.TempPathFactory) -> Settings:
    return Settings().with_(cache_dir=tmp_path_factory.mktemp("cache"))


def _labels(data: dict) -> set[str]:  # type: ignore[type-arg]
    return {n["label"] for n in data["nodes"]}


def test_neighbourhood_one_and_two_hops(store: OxigraphStore, settings: Settings) -> None:
    one = neighbourhood(store, ORG + "solleftea-kommun", 1, settings=settings)
    assert _labels(one) == {"Sollefteå kommun", "eSamverkan", "SECURE",
                            "Kommunförbundet Västernorrland"}
    two = neighbourhood(store, ORG + "solleftea-kommun", 2, settings=settings)
    assert {"Tillväxtverket", "Ånge kommun", "Forskningssamarbete"} <= _labels(two)
    assert one["nodes"][0]["iri"] == ORG + "solleftea-kommun"
    assert one["nodes"][0]["x"] == 0 and one["nodes"][0]["y"] == 0


def test_neighbourhood_does_not_walk_through_themes(store: OxigraphStore,
                                                    settings: Settings) -> None:
    data = neighbourhood(store, PROJ + "secure", 2, settings=settings)
    theme_nodes = [n for n in data["nodes"] if n["type"] == "concept"]
    assert [n["label"] for n in theme_nodes] == ["Miljö och energi"]
    theme = neighbourhood(store, PREFIXES["tema"] + "miljo-energi", 1, settings=settings)
    assert "SECURE" in _labels(theme)


def test_records_are_plain_text_with_styles_and_positions(store: OxigraphStore,
                                                          settings: Settings) -> None:
    data = neighbourhood(store, PROJ + "esamverkan", 1, lang="en", settings=settings,
                         link=lambda iri: "/p/" + iri.rsplit("/", 1)[-1])
    xss = next(n for n in data["nodes"] if n["iri"] == ORG + "xss")
    assert xss["label"] == XSS_ATTR  # English label, untouched: escaping is the view's job
    assert xss["url"] == "/p/xss" and xss["group"] == "organisation"
    muni = next(n for n in data["nodes"] if n["iri"] == ORG + "solleftea-kommun")
    assert muni["group"] == "municipality" and muni["label"] == "Sollefteå Municipality"
    assert all("x" in n and "y" in n for n in data["nodes"])
    assert data["options"]["physics"]["enabled"] is False
    assert set(data["options"]["groups"]) == {"project", "organisation", "municipality",
                                              "person", "concept"}
    # relations are named in titles (tooltips, side panel), not drawn on the lines
    titles = {e.get("title") for e in data["edges"]}
    assert "partner" in titles and "project owner" in titles
    assert not any(e.get("label") for e in data["edges"])
    assert {e["label"] for e in data["legend"]} >= {"Project", "Municipality"}
    assert {e["key"] for e in data["edge_legend"]} >= {"participation", "funding"}
    esam = next(n for n in data["nodes"] if n["iri"] == PROJ + "esamverkan")
    assert (esam["y0"], esam["y1"]) == (2016, 2019)
    funding = next(e for e in data["edges"] if e["kind"] == "funding")
    assert (funding["y0"], funding["y1"]) == (2017, 2017)  # the grant's year
    owner = next(e for e in data["edges"] if e["title"] == "project owner")
    assert (owner["y0"], owner["y1"]) == (2016, 2019)  # undated: the project's period


def test_neighbourhood_is_capped(store: OxigraphStore, settings: Settings) -> None:
    data = neighbourhood(store, ORG + "kfv", 2, max_nodes=4, settings=settings)
    assert len(data["nodes"]) == 4 and data["truncated"]


def test_neighbourhood_errors(store: OxigraphStore, settings: Settings) -> None:
    with pytest.raises(NotFoundError):
        neighbourhood(store, ORG + "finns-inte", 1, settings=settings)
    with pytest.raises(ValueError):
        neighbourhood(store, ORG + "kfv", 3, settings=settings)


def test_explorer_filters(store: OxigraphStore, settings: Settings) -> None:
    everything = explorer(store, settings=settings)
    assert XSS in _labels(everything)
    assert all(n["type"] != "concept" for n in everything["nodes"])
    digital = explorer(store, GraphFilter(theme=PREFIXES["tema"] + "digitalisering"),
                       settings=settings)
    projects = {n["label"] for n in digital["nodes"] if n["type"] == "project"}
    assert projects == {"eSamverkan"}
    assert "Umeå universitet" not in _labels(digital)
    year = explorer(store, GraphFilter(year=2018), settings=settings)
    assert {n["label"] for n in year["nodes"] if n["type"] == "project"} == {
        "eSamverkan", "SECURE", "Forskningssamarbete"}
    muni = explorer(store, GraphFilter(municipality=ORG + "ange-kommun"), settings=settings)
    assert {n["label"] for n in muni["nodes"] if n["type"] == "project"} == {"SECURE"}
    people = explorer(store, GraphFilter(types=("person",)), settings=settings)
    assert _labels(people) == {"Anna Andersson"}


def test_explorer_choices(store: OxigraphStore) -> None:
    c = explorer_choices(store)
    assert [m["label"] for m in c.municipalities] == ["Sollefteå kommun", "Sundsvalls kommun",
                                                      "Ånge kommun"]
    assert c.years == [2016, 2017, 2018, 2019]
    assert "Digitalisering" in [t["label"] for t in c.themes]


def test_large_explorer_is_capped_and_laid_out_once(tmp_path: Path) -> None:
    big = generated_store(1200)
    settings = Settings().with_(cache_dir=tmp_path)
    data = explorer(big, max_nodes=500, settings=settings)
    assert len(data["nodes"]) == 500 and data["truncated"] and data["total"] == 1200
    xs = {round(n["x"]) for n in data["nodes"]}
    assert len(xs) > 100  # spread out, not piled up
    assert list(tmp_path.glob("layout-*")) == []  # counting versions are not durable
    assert json.dumps(data)  # JSON-ready


def test_large_neighbourhood_is_folded_into_groups(tmp_path: Path) -> None:
    from kg.export.grouping import AGGREGATE_AT, TARGET

    big = generated_store(600)
    settings = Settings().with_(cache_dir=tmp_path)
    data = neighbourhood(big, ORG + "org-3", 2, settings=settings)
    assert len(data["nodes"]) > AGGREGATE_AT and data["groups"]
    members = [n for n in data["nodes"] if "grp" in n]
    assert sum(g["count"] for g in data["groups"]) == len(members)
    drawn = len(data["nodes"]) - len(members) + len(data["groups"])
    assert drawn <= TARGET + 3
    ids = {n["id"] for n in data["nodes"]}
    assert all(g["parent"] in ids for g in data["groups"])
    assert all(g["label"].split()[0].isdigit() for g in data["groups"])  # "12 projekt ..."
    small = neighbourhood(big, ORG + "org-3", 1, settings=settings)
    if len(small["nodes"]) <= AGGREGATE_AT:
        assert small["groups"] == [] and not any("grp" in n for n in small["nodes"])


def test_neighbourhood_rings_keep_like_with_like(store: OxigraphStore, settings: Settings) -> None:
    data = neighbourhood(store, PROJ + "esamverkan", 1, settings=settings)
    ring = sorted((n for n in data["nodes"] if n["iri"] != PROJ + "esamverkan"),
                  key=lambda n: (n["x"] ** 2 + n["y"] ** 2) ** 0.5)
    assert ring and all(abs((n["x"] ** 2 + n["y"] ** 2) ** 0.5 - 230) < 1 for n in ring)


def test_graphml_and_standalone_html(store: OxigraphStore, settings: Settings) -> None:
    import io
    from pathlib import Path as P

    import networkx as nx
    import pyvis

    from kg.export.graphml import graphml_bytes
    from kg.export.standalone import standalone_html

    data = neighbourhood(store, PROJ + "esamverkan", 1, settings=settings)
    G = nx.read_graphml(io.BytesIO(graphml_bytes(data)))
    assert G.number_of_nodes() == len(data["nodes"])
    assert G.nodes[ORG + "xss"]["label"] == XSS  # as data, the reader's job to escape
    assert {d["kind"] for _u, _v, d in G.edges(data=True)} >= {"participation", "funding"}
    vendor = P(pyvis.__file__).parent / "lib" / "vis-9.1.2"
    html = standalone_html(store, data, title="eSamverkan <i>", lang="sv", note="not",
                           vendor=vendor).decode()
    assert XSS not in html and XSS_ATTR not in html and "eSamverkan &lt;i&gt;" in html
    assert "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html  # inside the JSON
    assert "vis-network" in html and "new vis.Network" in html
    for ref in ("http://", "https://"):
        assert f'src="{ref}' not in html and f'href="{ref}' not in html
    assert html.count("</script>") == 2  # vis-network inlined, then ours: nothing loaded
