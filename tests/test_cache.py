"""kg.cache: once per version, single-flight, stale while recomputing, bounded, durable."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from kg.cache import VersionCache


def test_concurrent_callers_share_one_computation() -> None:
    cache = VersionCache()
    calls: list[int] = []

    def slow() -> int:
        calls.append(1)
        time.sleep(0.3)
        return 42

    results: list[int] = []
    threads = [threading.Thread(target=lambda: results.append(cache.get("x", "v1", slow)))
               for _ in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results == [42] * 20 and len(calls) == 1


def test_stale_value_is_served_while_the_new_one_is_computed() -> None:
    cache = VersionCache()
    assert cache.get("x", "v1", lambda: "gammal", stale=True) == "gammal"
    release = threading.Event()

    def new() -> str:
        release.wait(5)
        return "ny"

    started = time.perf_counter()
    assert cache.get("x", "v2", new, stale=True) == "gammal"
    assert time.perf_counter() - started < 0.5  # did not wait for the computation
    release.set()
    deadline = time.monotonic() + 5
    while cache.get("x", "v2", new, stale=True) != "ny":
        assert time.monotonic() < deadline
        time.sleep(0.01)


def test_an_error_reaches_every_waiter_and_is_not_kept() -> None:
    cache = VersionCache()

    def broken() -> int:
        raise ValueError("trasig")

    with pytest.raises(ValueError, match="trasig"):
        cache.get("x", "v1", broken)
    assert cache.get("x", "v1", lambda: 7) == 7


def test_memory_is_bounded_and_one_version_per_key() -> None:
    cache = VersionCache(max_entries=3)
    for i in range(10):
        cache.get(f"k{i}", "v1", lambda i=i: i)
    assert len(cache._values) == 3
    cache.get("k9", "v2", lambda: "ny")
    assert len(cache._values) == 3 and cache._values[("", "k9", "")] == ("v2", "ny")


def test_durable_values_are_read_back_from_disk(tmp_path: Path) -> None:
    first = VersionCache()
    assert first.get("tabell", "abc", lambda: {"n": 1}, disk=tmp_path, params={"lang": "sv"}) \
        == {"n": 1}
    files = list(tmp_path.rglob("*.json"))
    assert len(files) == 1 and files[0].parent.name == "tabell"
    second = VersionCache()  # a restarted process
    assert second.get("tabell", "abc", lambda: pytest.fail("recomputed"), disk=tmp_path,
                      params={"lang": "sv"}) == {"n": 1}


def test_lineages_do_not_mix() -> None:
    cache = VersionCache()
    assert cache.get("x", "memory-3", lambda: "a", lineage="store-a") == "a"
    assert cache.get("x", "memory-3", lambda: "b", lineage="store-b") == "b"
