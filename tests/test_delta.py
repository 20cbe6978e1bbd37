"""One write verb on every local backend: Store.apply(Delta), all or nothing, with a new
data version; the merged default graph follows the named source graphs."""

from __future__ import annotations

import pytest
from rdflib import BNode, Literal, URIRef

from kg.errors import StoreError
from kg.store import MemoryStore, OxigraphStore
from kg.store.base import Store
from kg.store.delta import Delta

G1, G2 = URIRef("https://data.kfvn.se/graph/a"), URIRef("https://data.kfvn.se/graph/b")
S, P = URIRef("https://data.kfvn.se/id/projekt/p"), URIRef("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture(params=["oxigraph", "memory"])
def store(request: pytest.FixtureRequest) -> Store:
    s: Store = OxigraphStore() if request.param == "oxigraph" else MemoryStore()
    s.add_quads([(S, P, Literal("delad"), G1), (S, P, Literal("delad"), G2),
                 (S, P, Literal("bara a"), G1)])
    return s


def labels(store: Store) -> set[str]:
    return {str(r[0]) for r in store.select(f"SELECT ?l WHERE {{ <{S}> <{P}> ?l }}").rows}


def test_removal_keeps_what_another_source_states(store: Store) -> None:
    store.apply(Delta(remove=[(S, P, Literal("delad"), G1), (S, P, Literal("bara a"), G1)]))
    assert labels(store) == {"delad"}
    assert store.ask(f'ASK {{ GRAPH <{G2}> {{ <{S}> <{P}> "delad" }} }}')
    assert not store.ask(f'ASK {{ GRAPH <{G1}> {{ <{S}> <{P}> ?l }} }}')


def test_addition_joins_the_merge_and_versions_change(store: Store) -> None:
    before = store.data_version()
    v = store.apply(Delta(add=[(S, P, Literal("ny", lang="sv"), G1)]), head="cs-1")
    assert v != before and store.data_version() == v
    assert store.head() == "cs-1"
    assert "ny" in labels(store)
    # applying the inverse restores the data (a revert)
    store.apply(Delta(add=[(S, P, Literal("ny", lang="sv"), G1)]).inverse())
    assert labels(store) == {"delad", "bara a"}


def test_remove_then_add_the_same_keeps_it(store: Store) -> None:
    q = (S, P, Literal("bara a"), G1)
    store.apply(Delta(remove=[q], add=[q]))
    assert "bara a" in labels(store)


def test_blank_nodes_are_refused() -> None:
    with pytest.raises(StoreError, match="blank node"):
        Delta(add=[(BNode(), P, Literal("x"), G1)])


def test_a_read_only_store_refuses_and_keeps_its_data(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rw = OxigraphStore(tmp_path / "s")
    rw.add_quads([(S, P, Literal("kvar"), G1)])
    rw.flush()
    del rw
    ro = OxigraphStore(tmp_path / "s", read_only=True)
    with pytest.raises(StoreError):
        ro.apply(Delta(add=[(S, P, Literal("ny"), G1)]))
    assert labels(ro) == {"kvar"}
