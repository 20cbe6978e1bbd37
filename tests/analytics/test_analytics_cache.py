"""Results are computed once per data version, kept in memory and (when durable) on disk."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

import pytest
from graphdata import SAMPLE_TTL, sample_store
from rdflib import Graph, URIRef

import kg.analytics.cache as cache
from kg.config import Settings
from kg.store import OxigraphStore
from kg.store.base import Quad


class VersionedStore(OxigraphStore):
    """An in-memory store that reports a durable (build digest) version."""

    def __init__(self, version: str) -> None:
        super().__init__()
        self._fixed = version

    def data_version(self) -> str:
        return self._fixed

    @property
    def durable_version(self) -> bool:
        return True


def _versioned(version: str) -> OxigraphStore:
    store = VersionedStore(version)
    store.add_quads(_quads())
    return store


def _quads() -> list[Quad]:
    g = URIRef("https://data.kfvn.se/graph/prov")
    return [(s, p, o, g) for s, p, o in Graph().parse(data=SAMPLE_TTL, format="turtle")]


@pytest.fixture()
def settings(tmp_path: Path) -> Settings:
    cache.clear_memory()
    return Settings().with_(cache_dir=tmp_path / "cache")


def test_durable_version_is_written_atomically_and_read_back(
        settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    store = _versioned("abc123def4567890")
    first = cache.get_analytics(store, settings)
    files = list(settings.cache_dir.rglob("*.json"))
    assert [f.relative_to(settings.cache_dir).as_posix() for f in files] == [
        "analytics/v2-abc123def4567890.json"]
    assert json.loads(files[0].read_text(encoding="utf-8"))["version"] == "abc123def4567890"
    # a new process (empty memory) reads the file instead of computing
    cache.clear_memory()
    monkeypatch.setattr(cache, "compute_analytics", lambda G: pytest.fail("recomputed"))
    assert cache.get_analytics(_versioned("abc123def4567890"), settings) == first


def test_memory_copy_is_fast(settings: Settings) -> None:
    store = sample_store()
    cache.get_analytics(store, settings)
    started = time.perf_counter()
    for _ in range(20):
        cache.get_analytics(store, settings)
    assert (time.perf_counter() - started) / 20 < 0.005


def test_counting_versions_stay_in_memory(settings: Settings) -> None:
    cache.get_analytics(sample_store(), settings)
    assert not settings.cache_dir.exists() or not list(settings.cache_dir.rglob("*.json"))


def test_new_data_version_recomputes(settings: Settings) -> None:
    store = sample_store()
    before = cache.get_analytics(store, settings)["counts"]["organisation"]
    from rdflib import Literal, URIRef
    from rdflib.namespace import ORG, RDF, RDFS

    new = URIRef("https://data.kfvn.se/id/organisation/ny")
    store.add_quads([(new, RDF.type, ORG.Organization, None),
                     (new, RDFS.label, Literal("Ny", lang="sv"), None)])
    assert cache.get_analytics(store, settings, stale=False)["counts"]["organisation"] == before + 1


def test_new_version_computed_in_the_background(settings: Settings) -> None:
    """A request never waits for a recomputation: the previous version's analytics answer
    until the new ones are ready, and then the new ones do."""
    from rdflib import Literal, URIRef
    from rdflib.namespace import ORG, RDF, RDFS

    store = sample_store()
    old = cache.get_analytics(store, settings)
    store.add_quads([(URIRef("https://data.kfvn.se/id/organisation/ny2"), RDF.type,
                      ORG.Organization, None),
                     (URIRef("https://data.kfvn.se/id/organisation/ny2"), RDFS.label,
                      Literal("Ny", lang="sv"), None)])
    first = cache.get_analytics(store, settings)
    assert first["version"] in (old["version"], store.data_version())
    deadline = time.monotonic() + 30
    while cache.get_analytics(store, settings)["version"] != store.data_version():
        assert time.monotonic() < deadline, "the new version's analytics never came"
        time.sleep(0.05)
    assert cache.get_analytics(store, settings)["counts"]["organisation"] == \
        old["counts"]["organisation"] + 1


def test_first_computation_bounded_wait(settings: Settings) -> None:
    """With ``wait``, a first computation that takes longer is left to the background and
    the caller hears "not ready" instead of waiting."""
    from kg.cache import VersionCache
    from kg.errors import NotReadyError

    vc = VersionCache()
    gate = threading.Event()
    with pytest.raises(NotReadyError):
        vc.get("slow", "v1", lambda: gate.wait(5) and 42, wait=0.05)
    gate.set()
    assert vc.get("slow", "v1", lambda: 0, wait=5) == 42


def test_projection_built_once_per_version(settings: Settings,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    real = cache.build_projection
    monkeypatch.setattr(cache, "build_projection", lambda s: calls.append(1) or real(s))
    store = sample_store()
    cache.get_projection(store)
    cache.get_projection(store)
    assert len(calls) == 1
