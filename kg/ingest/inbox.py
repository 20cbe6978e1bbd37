"""Documents read for review, kept under ``ingest_dir``: one folder per document with the
file as it came (or the pasted text), what ingest found in it, and the editor's decisions.

Every file is written to a temporary name, flushed to disk and renamed, so a folder is
either complete or absent; nothing here touches the graph.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from kg.errors import NotFoundError
from kg.ingest.model import IngestResult

__all__ = ["Inbox", "Stored"]

_ID = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{6}$")


def _write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


@dataclass
class Stored:
    """A document in the inbox: its id, file name, who read it, when, what was found, and
    the decisions so far (proposal id → "accept" or "reject"; a changeset once submitted)."""

    id: str
    folder: Path
    file: str
    uploader: str
    created: str
    result: IngestResult
    decisions: dict[str, str] = field(default_factory=dict)
    changeset: str = ""
    url: str = ""

    @property
    def file_path(self) -> Path:
        return self.folder / self.file

    def meta(self) -> dict[str, Any]:
        return {"id": self.id, "file": self.file, "uploader": self.uploader, "created": self.created,
                "decisions": self.decisions, "changeset": self.changeset, "url": self.url}


class Inbox:
    """The folder of documents read for review."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def add(self, data: bytes, filename: str | None, result: IngestResult, uploader: str, url: str = "") -> Stored:
        """Keep a document and what ingest found in it; returns its entry."""
        doc_id = datetime.now(UTC).strftime("%Y%m%dT%H%M%S") + "-" + secrets.token_hex(3)
        final = self.folder / doc_id
        tmp = self.folder / f".{doc_id}.tmp"
        tmp.mkdir(parents=True)
        name = re.sub(r"[^\w.-]+", "_", filename or "inklistrad-text.txt")[:100] or "dokument"
        _write(tmp / name, data)
        stored = Stored(doc_id, final, name, uploader, datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
                        result, url=url)
        _write(tmp / "result.json", json.dumps(result.dump(), ensure_ascii=False).encode("utf-8"))
        _write(tmp / "meta.json", json.dumps(stored.meta(), ensure_ascii=False).encode("utf-8"))
        os.replace(tmp, final)
        return stored

    def get(self, doc_id: str) -> Stored:
        """A kept document.

        Raises:
            NotFoundError: no such document (or a malformed id).
        """
        folder = self.folder / doc_id
        if not _ID.match(doc_id) or not (folder / "meta.json").is_file():
            raise NotFoundError.of("ingest.err.no_document", id=doc_id)
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        result = IngestResult.load(json.loads((folder / "result.json").read_text(encoding="utf-8")))
        return Stored(meta["id"], folder, meta["file"], meta["uploader"], meta["created"], result,
                      meta.get("decisions", {}), meta.get("changeset", ""), meta.get("url", ""))

    def save(self, stored: Stored) -> None:
        """Write the decisions (and the changeset, once made) of a kept document."""
        _write(stored.folder / "meta.json", json.dumps(stored.meta(), ensure_ascii=False).encode("utf-8"))

    def recent(self, limit: int = 20) -> list[Stored]:
        """The latest documents, newest first."""
        if not self.folder.is_dir():
            return []
        ids = sorted((p.name for p in self.folder.iterdir() if _ID.match(p.name)), reverse=True)[:limit]
        out = []
        for doc_id in ids:
            try:
                out.append(self.get(doc_id))
            except (NotFoundError, ValueError, KeyError, OSError):
                continue
        return out
