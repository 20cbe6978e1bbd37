"""Fixtures for the edit service: a fresh in-memory store with the bundled data per test
(loaded from one N-Quads dump made once), a journal in a temporary folder, and actors."""

from __future__ import annotations

import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.config import Settings
from kg.edit.journal import Journal
from kg.edit.service import Actor, EditService
from kg.store.handle import StoreHandle
from kg.store.oxigraph import OxigraphStore

ANNA = Actor("anna", "Anna Andersson", "redaktör")
BO = Actor("bo", "Bo Berg", "granskare")


@pytest.fixture(scope="session")
def bundled_nquads(ox_store: OxigraphStore) -> bytes:
    out = io.BytesIO()
    ox_store.raw.dump(out, format=ox.RdfFormat.N_QUADS)
    return out.getvalue()


@dataclass
class Env:
    settings: Settings
    store: OxigraphStore
    service: EditService


def make_env(nquads: bytes, folder: Path, settings: Settings) -> Env:
    store = OxigraphStore()
    store.raw.load(nquads, format=ox.RdfFormat.N_QUADS)
    s = settings.with_(journal_dir=folder / "journal", store="oxigraph:")
    service = EditService(StoreHandle(store), Journal(s.journal_dir, s.base_iri), base=s.base_iri,
                          shapes=s.ontology_dir / "shapes.ttl")
    return Env(s, store, service)


@pytest.fixture()
def env(bundled_nquads: bytes, tmp_path: Path, settings: Settings) -> Env:
    return make_env(bundled_nquads, tmp_path, settings)
