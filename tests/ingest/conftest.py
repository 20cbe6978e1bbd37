"""A store built without the news data file, for ingest tests that must not already know
what a news item says."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from kg.config import Settings
from kg.ingest.measure import store_without
from kg.store.base import Store


@pytest.fixture(scope="session")
def newsless_store(settings: Settings) -> Iterator[Store]:
    store = store_without(settings, "aktuellt-nyheter")
    yield store
    store.close()
