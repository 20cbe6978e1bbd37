"""The append-only journal: the record of every change, from which the store can be rebuilt.

The journal is a folder (``var/journal/`` by default) of numbered RDF Patch records
(:mod:`kg.edit.patch`), one file each: ``00000001-changeset-<id>.rdfp``,
``00000002-review-<id>.rdfp``. A record is written to a temporary file, flushed and
``fsync``-ed, then renamed into place and the folder ``fsync``-ed: after a crash a record is
there whole or not at all. Records are never changed or removed; a review is a new record.
Writers take an exclusive lock (``flock`` on ``.lock``), so sequence numbers are unique
across processes. Back it up by copying the folder (or with ``kg changes export``).

>>> import tempfile
>>> from kg.edit.model import Changeset, Source
>>> j = Journal(Path(tempfile.mkdtemp()), "http://e/")
>>> with j.locked():
...     cs = j.append_changeset(Changeset("a1", "anna", "Anna", "t", "r", Source("document", iri="http://e/k")))
>>> [c.id for c in j.changesets()], cs.seq
(['a1'], 1)
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import re
import secrets
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from kg.edit.model import APPROVED, PROPOSED, Changeset, Review
from kg.edit.patch import JournalFormatError, changeset_text, parse_record, review_text
from kg.errors import KgError, NotFoundError

__all__ = ["Journal", "JournalError", "JournalState"]

log = logging.getLogger(__name__)
_NAME = re.compile(r"^(\d{8})-(changeset|review)-([0-9A-Za-z_-]+)\.rdfp$")
_THREAD_LOCK = threading.RLock()


class JournalError(KgError):
    """The journal cannot be read or written."""


@dataclass(frozen=True)
class JournalState:
    """Every changeset with its current state, in journal order, and the publication order."""

    by_id: dict[str, Changeset]
    order: list[str]  # changeset ids by creation (journal) order
    published: list[str]  # ids in the order they were published
    last_seq: int


class Journal:
    """The journal folder of one installation.

    Args:
        folder: where the records live (created when first written).
        base: the base IRI (changeset IRIs are written into the records).
    """

    def __init__(self, folder: Path, base: str) -> None:
        self.folder = Path(folder)
        self.base = base
        self._cache: tuple[tuple[str, ...], JournalState] | None = None
        self._held = 0

    # -- writing ------------------------------------------------------------------------
    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the writers' lock (re-entrant within a thread, exclusive across processes)."""
        with _THREAD_LOCK:
            if self._held:
                self._held += 1
                try:
                    yield
                finally:
                    self._held -= 1
                return
            self.folder.mkdir(parents=True, exist_ok=True)
            with open(self.folder / ".lock", "a+b") as fh:
                fcntl.flock(fh, fcntl.LOCK_EX)
                self._held = 1
                try:
                    self._sweep()
                    yield
                finally:
                    self._held = 0
                    fcntl.flock(fh, fcntl.LOCK_UN)

    def _sweep(self) -> None:
        """Remove temporary files a crashed writer left behind (never a record)."""
        for p in self.folder.glob(".tmp-*"):
            with contextlib.suppress(OSError):
                p.unlink()

    def _write(self, kind: str, ident: str, text: str) -> int:
        if not self._held:
            raise JournalError("write the journal only while holding Journal.locked()")
        seq = self.state().last_seq + 1
        final = self.folder / f"{seq:08d}-{kind}-{ident}.rdfp"
        tmp = self.folder / f".tmp-{os.getpid()}-{secrets.token_hex(4)}"
        try:
            with open(tmp, "wb") as fh:
                fh.write(text.encode("utf-8"))
                fh.flush()
                os.fsync(fh.fileno())
            os.rename(tmp, final)
            dir_fd = os.open(self.folder, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
        except OSError as exc:
            with contextlib.suppress(OSError):
                tmp.unlink()
            raise JournalError(f"cannot write the journal in {self.folder}: {exc}") from exc
        self._cache = None
        log.info("journal: wrote %s", final.name)
        return seq

    def append_changeset(self, cs: Changeset) -> Changeset:
        """Write a changeset record; returns it with its sequence number."""
        seq = self._write("changeset", cs.id, changeset_text(cs, self.base))
        return self.get(cs.id) if seq else cs

    def append_review(self, review: Review) -> Changeset:
        """Write a review record; returns the changeset in its new state."""
        self._write("review", review.changeset, review_text(review, self.base))
        return self.get(review.changeset)

    # -- reading ------------------------------------------------------------------------
    def _names(self) -> tuple[str, ...]:
        try:
            return tuple(sorted(n for n in os.listdir(self.folder) if _NAME.match(n)))
        except FileNotFoundError:
            return ()
        except OSError as exc:
            raise JournalError(f"cannot read the journal in {self.folder}: {exc}") from exc

    def state(self) -> JournalState:
        """Every record, read once and cached until the folder changes."""
        names = self._names()
        if self._cache is not None and self._cache[0] == names:
            return self._cache[1]
        by_id: dict[str, Changeset] = {}
        order: list[str] = []
        published: list[str] = []
        last = 0
        for name in names:
            seq = int(name[:8])
            last = max(last, seq)
            path = self.folder / name
            try:
                record = parse_record(path.read_text(encoding="utf-8"), seq)
            except (OSError, UnicodeDecodeError, JournalFormatError) as exc:
                raise JournalError(f"{path}: {exc}") from exc
            if isinstance(record, Changeset):
                by_id[record.id] = record
                order.append(record.id)
                if record.state == APPROVED:
                    published.append(record.id)
            else:
                cs = by_id.get(record.changeset)
                if cs is None:
                    raise JournalError(f"{path}: review of unknown changeset {record.changeset}")
                if cs.state != PROPOSED:
                    log.warning("%s: changeset %s was already %s", path, cs.id, cs.state)
                    continue
                by_id[cs.id] = cs.with_state(record)
                if record.decision == APPROVED:
                    published.append(cs.id)
        state = JournalState(by_id, order, published, last)
        self._cache = (names, state)
        return state

    def get(self, cs_id: str) -> Changeset:
        """One changeset in its current state.

        Raises:
            NotFoundError: no such changeset.
        """
        cs = self.state().by_id.get(cs_id)
        if cs is None:
            raise NotFoundError.of("edit.err.no_changeset", id=cs_id)
        return cs

    def changesets(self) -> list[Changeset]:
        """Every changeset, oldest first."""
        st = self.state()
        return [st.by_id[i] for i in st.order]

    def published(self) -> list[Changeset]:
        """The published changesets in the order they were published (the replay order)."""
        st = self.state()
        return [st.by_id[i] for i in st.published]
