"""Versions of an on-disk Oxigraph store: build beside, swap in, clean up.

The configured folder (``var/store``) is a symbolic link to one version folder in
``var/.store.versions/``. Every change — a rebuild, a loaded file, a published edit — makes
a new version folder beside the live one (a fresh build, or a hard-linked copy of the live
store made by Oxigraph's ``backup``, which costs milliseconds at any size), changes it, and
then replaces the link in one atomic ``rename``. Readers open the folder the link points to
(never the link itself) and notice a new version when the link changes: a server, its query
workers and ``kg query`` all follow without a restart, and a crash at any point leaves the
old version or the new one, never a mix. Writers take a file lock, so they never overlap.

Folders left by crashed writers (``.building-PID`` of a process that is gone) and versions
superseded more than :data:`KEEP_SECONDS` ago (beyond the newest :data:`KEEP_VERSIONS`) are
removed by the next writer.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import time
from collections.abc import Iterator
from pathlib import Path

from kg.errors import StoreError
from kg.io.atomic import fsync_dir

__all__ = [
    "KEEP_SECONDS",
    "KEEP_VERSIONS",
    "cleanup",
    "live_folder",
    "new_folder",
    "new_version",
    "swap_in",
    "versions_dir",
    "writer_lock",
]

log = logging.getLogger(__name__)

#: Superseded versions kept at least this long (a reader may still be on one).
KEEP_SECONDS = 120.0
#: Newest versions always kept (the live one included).
KEEP_VERSIONS = 3
_SUPERSEDED = ".superseded"


def versions_dir(target: Path) -> Path:
    """Where the version folders of ``target`` live."""
    return target.parent / f".{target.name}.versions"


def live_folder(target: Path) -> Path | None:
    """The real folder the store at ``target`` is now (``None`` when there is none).

    A plain folder (a store made before versions existed) is its own live folder.
    """
    try:
        real = Path(os.path.realpath(target))
    except OSError:
        return None
    return real if real.is_dir() else None


@contextlib.contextmanager
def writer_lock(target: Path, wait: float = 600.0) -> Iterator[None]:
    """Hold the store's writer lock (one writer at a time, across processes).

    Raises:
        StoreError: another writer held it for longer than ``wait`` seconds.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    path = target.parent / f".{target.name}.lock"
    with open(path, "a+b") as fh:
        deadline = time.monotonic() + wait
        while True:
            try:
                fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise StoreError(f"another writer holds {path}; try again later") from None
                time.sleep(0.05)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def new_folder(target: Path) -> Path:
    """A fresh, empty path for a new version (the caller creates or fills it)."""
    base = versions_dir(target)
    base.mkdir(parents=True, exist_ok=True)
    return base / f".building-{os.getpid()}-{time.time_ns()}"


@contextlib.contextmanager
def new_version(target: Path) -> Iterator[Path]:
    """Hold the writer lock and yield an empty path for the next version of ``target``;
    when the block ends normally the folder is swapped in, otherwise it is removed and the
    live version stays as it was. Leftovers of crashed writers are cleaned up first.

    The block must close every store it opened on the folder before it ends.
    """
    with writer_lock(target):
        cleanup(target)
        work = new_folder(target)
        try:
            yield work
        except BaseException:
            shutil.rmtree(work, ignore_errors=True)
            raise
        swap_in(target, work)
        cleanup(target)


def swap_in(target: Path, built: Path) -> Path:
    """Make the finished folder ``built`` the live version of ``target``; return its final
    path. The previous version stays on disk for readers still on it (see :func:`cleanup`).

    Raises:
        StoreError: the link cannot be replaced.
    """
    final = built.with_name(f"v{time.time_ns()}")
    try:
        built.rename(final)
        fsync_dir(final.parent)
        previous = live_folder(target)
        if target.is_dir() and not target.is_symlink():
            # a store from before versions: it becomes a version folder itself (once)
            moved = versions_dir(target) / f"v{time.time_ns() - 1}-legacy"
            target.rename(moved)
            previous = moved
        link = target.parent / f".{target.name}.link-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            link.unlink()
        link.symlink_to(os.path.relpath(final, target.parent))
        os.replace(link, target)
        fsync_dir(target.parent)
    except OSError as exc:
        raise StoreError(f"cannot swap in the new store at {target}: {exc}") from exc
    if previous is not None and previous != final:
        with contextlib.suppress(OSError):
            (previous / _SUPERSEDED).write_text(str(time.time()))
    return final


def cleanup(target: Path, *, now: float | None = None) -> list[Path]:
    """Remove what crashed writers left and old superseded versions; return what went."""
    base = versions_dir(target)
    base.mkdir(parents=True, exist_ok=True)
    now = time.time() if now is None else now
    live = live_folder(target)
    removed: list[Path] = [  # folders of the scheme before versions
        e for e in target.parent.glob(f".{target.name}.building-*")
        if not _alive(e.name.rsplit(".", 1)[-1])
    ] + list(target.parent.glob(f".{target.name}.old-*"))
    for entry in base.iterdir():
        if entry.name.startswith(".building-") and not _alive(entry.name):
            removed.append(entry)
    versions = sorted((e for e in base.iterdir() if e.name.startswith("v")), reverse=True)
    for entry in versions[KEEP_VERSIONS:]:
        if entry == live:
            continue
        stamp = entry / _SUPERSEDED
        try:
            old = now - float(stamp.read_text())
        except (OSError, ValueError):
            old = KEEP_SECONDS + 1
        if old > KEEP_SECONDS:
            removed.append(entry)
    for entry in removed:
        log.info("removing old store folder %s", entry)
        shutil.rmtree(entry, ignore_errors=True)
    return removed


def _alive(name: str) -> bool:
    """Whether the process that named a ``.building-PID-...`` folder still runs."""
    try:
        pid = int(name.split("-")[1])
    except (IndexError, ValueError):
        return False
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
