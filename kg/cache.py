"""One cache for everything computed per data version: statistics, the search index,
analytics, layouts, rendered replies, dumps.

A value is keyed by its *name* (and optional parameters), the *lineage* of the store it was
computed from (the same on-disk store across its versions; one object for a store in
memory) and the store's *data version*. The cache is

* **single-flight**: one caller computes a missing value; callers asking meanwhile wait for
  that one computation instead of starting their own (no stampede after a start or a new
  version);
* **stale-while-recomputing** where asked (``stale=True``): when a new version is not
  computed yet, callers get the previous version's value at once while the new one is
  computed in the background, so a request never waits for a recomputation;
* **bounded**: at most ``max_entries`` values in memory (least recently used go first), and
  one version per key (a new version replaces the old one once it is ready);
* **durable** where the version is (a build digest, not a count): JSON values are also
  kept in ``<cache_dir>/<name>/<version>[-<params hash>].json``, written atomically, so a
  restarted server or a second app server reads them instead of recomputing.

Functions take stores through :func:`per_version`, or any key through
:meth:`VersionCache.get`; nothing is written onto store objects.

>>> from kg.store import open_store
>>> s = open_store("oxigraph:")
>>> calls = []
>>> per_version(s, "n", lambda: calls.append(1) or len(calls))
1
>>> per_version(s, "n", lambda: calls.append(1) or len(calls))
1
"""

from __future__ import annotations

import contextlib
import contextvars
import ctypes
import ctypes.util
import gc
import hashlib
import json
import logging
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable, Iterator
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Protocol, TypeVar

from kg.errors import NotReadyError
from kg.io.atomic import atomic_write

__all__ = ["CACHE", "StaleWatch", "VersionCache", "Versioned", "give_back_memory", "per_version",
           "watch_stale"]

log = logging.getLogger(__name__)
T = TypeVar("T")
#: Bumped whenever the shape of a cached file changes, so old files are not read.
FILE_FORMAT = 2
#: A computation taking at least this many seconds is followed by :func:`give_back_memory`.
TRIM_AFTER = 0.5
#: Seconds of computing after which a value is taken to be large and frozen (see
#: :meth:`_Job.run`).
FREEZE_AFTER = 0.05


def _load_libc() -> Any:
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name) if name else None
    except OSError:  # pragma: no cover - no C library to load
        return None
    return libc if libc is not None and hasattr(libc, "malloc_trim") else None


_LIBC = _load_libc()


def give_back_memory() -> None:
    """Return the C heap's free pages to the operating system (glibc's ``malloc_trim``).

    Building a large per-version value (a projection, a table's facts, a whole-graph query)
    allocates and frees hundreds of MB of temporaries; glibc keeps that freed memory in the
    process (at 1 M triples about 230 MB of a server's resident memory) unless asked to give
    it back. Elsewhere than glibc this does nothing.
    """
    if _LIBC is not None:
        _LIBC.malloc_trim(0)


class Versioned(Protocol):
    """What the cache needs of a store (every :class:`kg.store.base.Store` has it)."""

    @property
    def lineage(self) -> str: ...

    @property
    def durable_version(self) -> bool: ...

    def data_version(self) -> str: ...


class StaleWatch:
    """Set by :func:`watch_stale`: whether a previous version's value was served."""

    def __init__(self) -> None:
        self.stale = False


_WATCH: contextvars.ContextVar[StaleWatch | None] = contextvars.ContextVar("kg_stale",
                                                                           default=None)


@contextlib.contextmanager
def watch_stale() -> Iterator[StaleWatch]:
    """Note whether anything computed inside the block used a previous version's value
    (so that a page built from it is not kept as the new version's page)."""
    watch = StaleWatch()
    token = _WATCH.set(watch)
    try:
        yield watch
    finally:
        _WATCH.reset(token)


class VersionCache:
    """Values computed once per (lineage, name, params, version); see the module docstring."""

    def __init__(self, max_entries: int = 512) -> None:
        self.max_entries = max_entries
        self._values: OrderedDict[Hashable, tuple[str, Any]] = OrderedDict()
        self._inflight: dict[Hashable, Future[Any]] = {}
        self._lock = threading.Lock()

    def get(
        self,
        name: str,
        version: str,
        compute: Callable[[], T],
        *,
        lineage: str = "",
        params: Any = None,
        disk: Path | None = None,
        stale: bool = False,
        wait: float | None = None,
    ) -> T:
        """The value of ``name`` at ``version``: from memory, from ``disk`` (a cache folder,
        for durable versions), or computed once.

        Args:
            name: the kind of value.
            version: the data version it belongs to.
            compute: makes the value when nothing has it.
            lineage: which store (see the module docstring).
            params: JSON-ready parameters the value depends on.
            disk: the cache folder, when the value is JSON-ready and the version durable.
            stale: return the previous version's value while this one is computed in the
                background (the first ever computation is still waited for).
            wait: when no value can be returned at once, compute in the background and
                wait at most this many seconds (``None``: in this thread, as long as it takes).

        Raises:
            NotReadyError: ``wait`` seconds passed and the value is still being computed.
        """
        key = (lineage, name, _params_key(params))
        with self._lock:
            found = self._values.get(key)
            if found is not None and found[0] == version:
                self._values.move_to_end(key)
                return found[1]  # type: ignore[no-any-return]
            future = self._inflight.get((key, version))
            owner = future is None
            if owner:
                future = Future()
                self._inflight[(key, version)] = future
        assert future is not None
        job = _Job(self, key, version, compute, disk, name, params, future)
        if stale and found is not None:
            watch = _WATCH.get()
            if watch is not None:
                watch.stale = True
            if owner:
                threading.Thread(target=job.run, name=f"kg-cache-{name}", daemon=True).start()
            return found[1]  # type: ignore[no-any-return]
        if wait is not None:
            if owner:
                threading.Thread(target=job.run, name=f"kg-cache-{name}", daemon=True).start()
            try:
                return future.result(timeout=wait)  # type: ignore[no-any-return]
            except TimeoutError:
                raise NotReadyError.of("error.not_ready") from None
        if owner:
            job.run()
        return future.result()  # type: ignore[no-any-return]

    def warm(self, name: str, version: str, compute: Callable[[], Any], **kw: Any) -> None:
        """Compute in the background unless already there or under way."""
        threading.Thread(target=lambda: self.get(name, version, compute, **kw),
                         name=f"kg-warm-{name}", daemon=True).start()

    def _store(self, key: Hashable, version: str, value: Any) -> None:
        with self._lock:
            self._values[key] = (version, value)
            self._values.move_to_end(key)
            while len(self._values) > self.max_entries:
                self._values.popitem(last=False)

    def _done(self, key: Hashable, version: str) -> None:
        with self._lock:
            self._inflight.pop((key, version), None)

    def peek(self, name: str, version: str, *, lineage: str = "", params: Any = None) -> Any:
        """The value kept for ``version``, or ``None`` (never computes)."""
        with self._lock:
            found = self._values.get((lineage, name, _params_key(params)))
        return found[1] if found is not None and found[0] == version else None

    def forget(self, name: str, *, lineage: str = "", params: Any = None) -> None:
        """Drop one value from memory (e.g. one that should not have been kept)."""
        with self._lock:
            self._values.pop((lineage, name, _params_key(params)), None)

    def clear(self) -> None:
        """Forget everything in memory (files on disk stay)."""
        with self._lock:
            self._values.clear()


class _Job:
    """One computation of a value, shared by every caller that asked for it meanwhile."""

    def __init__(self, cache: VersionCache, key: Hashable, version: str,
                 compute: Callable[[], Any], disk: Path | None, name: str, params: Any,
                 future: Future[Any]) -> None:
        self.cache, self.key, self.version, self.compute = cache, key, version, compute
        self.path = _file(disk, name, version, params) if disk is not None else None
        self.future = future

    def run(self) -> None:
        try:
            started = time.perf_counter()
            value = _read(self.path) if self.path is not None else None
            if value is None:
                value = self.compute()
                if self.path is not None:
                    _write(self.path, value)
            self.cache._store(self.key, self.version, value)  # the previous version's goes
            if time.perf_counter() - started > FREEZE_AFTER:
                # a large value lives for its data version: out of the cyclic collector's
                # way, or every full collection walks it again (at 1 M triples the label
                # index, tables and projection made each one take 0.3–1.7 s, landing in
                # whichever request was running)
                gc.freeze()
            self.future.set_result(value)
            if time.perf_counter() - started >= TRIM_AFTER:
                give_back_memory()
        except BaseException as exc:  # every waiter gets the error; nothing is cached
            self.future.set_exception(exc)
            if not isinstance(exc, Exception):
                raise
        finally:
            self.cache._done(self.key, self.version)


#: The process's cache (one per process; app servers share files through ``cache_dir``).
CACHE = VersionCache()


def per_version(
    store: Versioned,
    name: str,
    compute: Callable[[], T],
    *,
    params: Any = None,
    cache_dir: Path | str | None = None,
    stale: bool = False,
    wait: float | None = None,
) -> T:
    """``compute()`` for the store's current data version, kept in :data:`CACHE` (and on
    disk under ``cache_dir`` when the version is durable and the value JSON-ready); see
    :meth:`VersionCache.get` for ``stale`` and ``wait``."""
    disk = Path(cache_dir) if cache_dir is not None and store.durable_version else None
    return CACHE.get(name, store.data_version(), compute, lineage=store.lineage,
                     params=params, disk=disk, stale=stale, wait=wait)


def _params_key(params: Any) -> str:
    return "" if params is None else json.dumps(params, sort_keys=True, default=str)


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)[:64]


def _file(folder: Path, name: str, version: str, params: Any) -> Path:
    tail = ""
    if params is not None:
        blob = _params_key(params).encode()
        tail = "-" + hashlib.sha256(blob).hexdigest()[:16]
    return folder / _safe(name) / f"v{FILE_FORMAT}-{_safe(version)}{tail}.json"


def _read(path: Path) -> Any:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable cache file %s: %s", path, exc)
        return None


def _write(path: Path, value: Any) -> None:
    try:
        with atomic_write(path, durable=False) as fh:
            fh.write(json.dumps(value, ensure_ascii=False).encode("utf-8"))
    except (OSError, TypeError, ValueError) as exc:  # the page must not break over a cache
        log.warning("cannot write cache file %s: %s", path, exc)
