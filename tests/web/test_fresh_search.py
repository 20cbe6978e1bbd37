"""Search right after a change: a stale label index plus what the store's new version adds."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from rdflib import Literal, URIRef
from rdflib.namespace import ORG, RDF, RDFS

from kg.config import Settings
from kg.query.fresh import find_fresh
from kg.query.search import build_index
from kg.store import open_store
from kg.store.delta import Delta
from kg.store.handle import StoreHandle

BASE = "https://data.kfvn.se/"
GRAPH = URIRef(BASE + "graph/test")


@pytest.fixture(scope="module")
def bundled_nquads(ox_store: Any) -> bytes:
    out = io.BytesIO()
    ox_store.raw.dump(out, format=ox.RdfFormat.N_QUADS)
    return out.getvalue()


def _org(slug: str, name: str) -> Delta:
    iri = URIRef(BASE + "id/organisation/" + slug)
    return Delta(add=[(iri, RDF.type, ORG.Organization, GRAPH),
                      (iri, RDFS.label, Literal(name, lang="sv"), GRAPH)])


def test_a_stale_index_finds_what_was_just_published(bundled_nquads: bytes) -> None:
    store = open_store("oxigraph:")
    store.raw.load(bundled_nquads, ox.RdfFormat.N_QUADS)
    handle = StoreHandle(store)
    handle.apply(_org("forsta", "Första Provföreningen"))
    old = build_index(store)
    assert old.version == store.data_version()
    handle.apply(_org("skrivprov-ab12", "Skrivprovab12 ekonomisk förening"))
    assert old.version != store.data_version()
    assert not old.find("skrivprovab12").order  # the old index cannot know it
    got = find_fresh(store, old, old.find("skrivprovab12"), "skrivprovab12")
    assert [h.iri for h in got.hits] == [BASE + "id/organisation/skrivprov-ab12"]
    assert got.by_kind["organisation"] == 1 and got.hits[0].kind == "organisation"
    # the old index's hits stay, after the new ones; a kind filter holds for both
    both = find_fresh(store, old, old.find("förening"), "förening")
    iris = [h.iri for h in both.hits]
    assert BASE + "id/organisation/skrivprov-ab12" in iris
    assert len(both) == len(old.find("förening")) + 1 and iris[0] == old.find("förening").hits[0].iri
    none = find_fresh(store, old, old.find("skrivprovab12", kinds=["projekt"]), "skrivprovab12",
                      kinds=["projekt"])
    assert len(none) == 0
    # a current index is left alone (no store query)
    new = build_index(store)
    same = new.find("skrivprovab12")
    assert find_fresh(store, new, same, "skrivprovab12") is same


def test_search_answers_a_published_name_at_once(tmp_path: Path, settings: Settings,
                                                 bundled_nquads: bytes) -> None:
    from edit.webapp_fixtures import editable_app  # type: ignore[import-not-found]

    app = editable_app(bundled_nquads, tmp_path, settings)
    client = app.test_client()
    assert client.get("/api/sok?q=sundsvall").status_code == 200  # the index is built
    app.extensions["kg_store"].apply(_org("skrivprov-cd34", "Skrivprovcd34 ideell förening"))
    for url in ("/api/sok?q=skrivprovcd34", "/sok?q=skrivprovcd34"):
        reply = client.get(url)
        assert reply.status_code == 200 and "skrivprov-cd34" in reply.get_data(as_text=True), url


def test_a_stale_index_drops_a_renamed_entity(bundled_nquads: bytes) -> None:
    store = open_store("oxigraph:")
    store.raw.load(bundled_nquads, ox.RdfFormat.N_QUADS)
    handle = StoreHandle(store)
    handle.apply(_org("gammal-ef56", "Gammalnamnef56 förening"))
    old = build_index(store)
    iri = URIRef(BASE + "id/organisation/gammal-ef56")
    handle.apply(Delta(remove=[(iri, RDFS.label, Literal("Gammalnamnef56 förening", lang="sv"),
                                GRAPH)],
                       add=[(iri, RDFS.label, Literal("Nyttnamnef56 förening", lang="sv"), GRAPH)]))
    assert [h.iri for h in old.find("gammalnamnef56").hits] == [str(iri)]
    assert len(find_fresh(store, old, old.find("gammalnamnef56"), "gammalnamnef56")) == 0
    assert [h.iri for h in find_fresh(store, old, old.find("nyttnamnef56"), "nyttnamnef56").hits] \
        == [str(iri)]


def test_a_published_version_names_what_changed(tmp_path: Path, bundled_nquads: bytes) -> None:
    """An on-disk store's published versions keep the IRIs their changes named, so a stale
    index looks up exactly those (no scan of every label), and a renamed entity drops out
    wherever it stood in the old results."""
    from kg.store.oxigraph import OxigraphStore

    folder = tmp_path / "store"
    seed = OxigraphStore(folder)
    seed.raw.load(bundled_nquads, ox.RdfFormat.N_QUADS)
    seed.set_version("v0")
    seed.close()
    handle = StoreHandle(spec=f"oxigraph:{folder}")
    first = handle.apply(_org("gammal-gh78", "Gammalnamngh78 förening"))
    old = build_index(handle.current())
    renamed = URIRef(BASE + "id/organisation/gammal-gh78")
    added = _org("skrivprov-gh78", "Skrivprovgh78 ekonomisk förening")
    handle.apply(Delta(
        remove=[(renamed, RDFS.label, Literal("Gammalnamngh78 förening", lang="sv"), GRAPH)],
        add=[(renamed, RDFS.label, Literal("Nyttnamngh78 stiftelse", lang="sv"), GRAPH),
             *added.add]))
    store = handle.current()
    changed = {str(renamed), BASE + "id/organisation/skrivprov-gh78", str(ORG.Organization)}
    assert store.changed_since(first) == changed
    assert store.changed_since("v0") == changed
    assert store.changed_since("some-other-version") is None
    got = find_fresh(store, old, old.find("skrivprovgh78"), "skrivprovgh78")
    assert [h.iri for h in got.hits] == [BASE + "id/organisation/skrivprov-gh78"]
    before = [h.iri for h in old.find("förening").hits]
    after = [h.iri for h in find_fresh(store, old, old.find("förening"), "förening").hits]
    assert str(renamed) in before and str(renamed) not in after
    assert BASE + "id/organisation/skrivprov-gh78" in after
    # a restart (or --reuse-store) does not take the edited store for a stale build
    assert OxigraphStore.read_meta_at(folder).get("version") == store.data_version()
    handle.close()
