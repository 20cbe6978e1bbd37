"""From bytes to text: pasted text, ``.txt``, ``.html``, ``.pdf`` (pypdf) and ``.docx``
(python-docx), with every way a file can be bad turned into a clear message (the catalogue's
``ingest.err.*``: Swedish as ``str()``, English on the English pages).

PDF and Word files are parsed in a separate, short-lived process (``python -m
kg.ingest.worker``) with a memory cap and a time limit, so that a zip bomb, an XML entity
bomb or a PDF that sends the parser into a loop costs a few seconds and a bounded amount of
memory, and never the server. Plain text and HTML are read in-process (linear, bounded by
the size limit).

>>> doc = extract(b"Projektet TEO har startat.\\r\\nDet drivs av kom-\\nmunerna.", "nyhet.txt")
>>> doc.text, doc.media_type, doc.title
('Projektet TEO har startat. Det drivs av kommunerna.', 'text/plain', 'Projektet TEO har startat')
>>> extract(b"", "tom.txt")
Traceback (most recent call last):
kg.errors.IngestError: Filen ”tom.txt” är tom.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import PurePath
from typing import Any

from kg.errors import IngestError
from kg.i18n import Message
from kg.ingest.text import find_date, find_title, normalise

__all__ = [
    "MAX_BYTES",
    "MAX_CHARS",
    "MEDIA_TYPES",
    "SourceDocument",
    "extract",
    "extract_text",
]

#: Largest file accepted (bytes). A news item is a few kB, an annual report a few MB.
MAX_BYTES = 15 * 1024 * 1024
#: Largest text kept after extraction (characters).
MAX_CHARS = 1_000_000
#: Seconds the parser process may take, and the memory it may map.
WORKER_SECONDS = 20
WORKER_MEMORY = 1024 * 1024 * 1024

MEDIA_TYPES: dict[str, str] = {
    "txt": "text/plain",
    "text": "text/plain",
    "md": "text/plain",
    "html": "text/html",
    "htm": "text/html",
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_SUFFIXES = {".txt": "txt", ".text": "txt", ".md": "txt", ".html": "html", ".htm": "html",
             ".pdf": "pdf", ".docx": "docx"}
#: Formats we know but cannot read: a name, or the catalogue key of one (``ingest.kind.*``).
_KNOWN_WRONG = {".doc": "Word 97–2003 (.doc)", ".odt": "OpenDocument (.odt)", ".rtf": "RTF",
                ".xlsx": "Excel", ".xls": "Excel", ".pptx": "PowerPoint", ".zip": "ingest.kind.zip",
                ".png": "ingest.kind.image", ".jpg": "ingest.kind.image", ".jpeg": "ingest.kind.image",
                ".gif": "ingest.kind.image", ".tif": "ingest.kind.image", ".tiff": "ingest.kind.image",
                ".exe": "ingest.kind.program"}


@dataclass
class SourceDocument:
    """A document ready for ingest: its normalised text and what we know about it."""

    text: str
    title: str
    media_type: str
    sha256: str
    filename: str | None = None
    date: date | None = None
    size: int = 0
    data: bytes = field(default=b"", repr=False)

    @property
    def kind(self) -> str:
        """"text", "html", "pdf" or "docx"."""
        for k, mt in MEDIA_TYPES.items():
            if mt == self.media_type and k in ("text", "html", "pdf", "docx"):
                return k
        return "text"


def _name(filename: str | None, *, first: bool = False) -> str:
    """The file's name in quotes, or "the text" (``first``: at the start of a sentence)."""
    if filename:
        return Message("ingest.err.file_name", file=PurePath(filename).name)
    return Message("ingest.err.the_text_first" if first else "ingest.err.the_text")


def _kind(data: bytes, filename: str | None) -> str:
    """The format, from the name and the first bytes; refuses what we cannot read."""
    suffix = PurePath(filename).suffix.casefold() if filename else ""
    head = data[:1024].lstrip()
    if suffix in _KNOWN_WRONG:
        wrong = _KNOWN_WRONG[suffix]
        raise IngestError.of("ingest.err.known_wrong", name=_name(filename),
                             kind=Message(wrong) if wrong.startswith("ingest.") else wrong)
    kind = _SUFFIXES.get(suffix, "")
    if kind == "pdf" and not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise IngestError.of("ingest.err.not_pdf", name=_name(filename))
    if kind == "docx" and not data.startswith(b"PK\x03\x04"):
        raise IngestError.of("ingest.err.not_docx", name=_name(filename))
    if not kind:
        if data.startswith(b"%PDF-"):
            kind = "pdf"
        elif data.startswith(b"PK\x03\x04"):
            kind = "docx"
        elif head[:15].lower().startswith((b"<!doctype html", b"<html")):
            kind = "html"
        elif suffix and suffix not in ("",):
            raise IngestError.of("ingest.err.unsupported", suffix=suffix)
        else:
            kind = "txt"
    return kind


def decode_text(data: bytes, filename: str | None = None) -> str:
    """Bytes of a text file as a string: UTF-8 (with or without BOM) or UTF-16 with BOM.

    >>> decode_text("Ånge".encode())
    'Ånge'
    >>> try:
    ...     decode_text(b"rad ett\\nr\\xe5d tv\\xe5")
    ... except IngestError as exc:
    ...     print(str(exc)[:45])
    Texten är inte giltig UTF-8 (rad 2, tecken 2:
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as exc:
            raise IngestError.of("ingest.err.bad_utf16", name=_name(filename, first=True)) from exc
    if b"\x00" in data[:8192]:
        raise IngestError.of("ingest.err.binary", name=_name(filename, first=True))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        raise IngestError.of("ingest.err.bad_utf8", name=_name(filename, first=True), line=line, col=col,
                             byte=f"{byte:02X}") from exc


class _HtmlText(HTMLParser):
    _BLOCK: frozenset[str] = frozenset({
        "p", "div", "br", "li", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "table", "section",
        "article", "header", "footer", "blockquote", "pre", "hr", "dd", "dt", "figcaption"})
    _SKIP: frozenset[str] = frozenset({"script", "style", "noscript", "template", "svg", "head", "nav"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title = ""
        self.heading = ""
        self._skip = 0
        self._in: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._SKIP and tag != "head":
            self._skip += 1
        self._in.append(tag)
        if tag in self._BLOCK:
            self.parts.append("\n\n" if tag not in ("br", "li", "tr") else "\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._SKIP and tag != "head" and self._skip:
            self._skip -= 1
        if tag in self._in:
            while self._in and self._in.pop() != tag:
                pass
        if tag in self._BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if "title" in self._in:
            self.title += data
            return
        if self._skip:
            return
        if not self.heading and any(h in self._in for h in ("h1", "h2")):
            self.heading += data
        self.parts.append(data)


def _html(text: str) -> tuple[str, str]:
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    body = "".join(parser.parts)
    body = re.sub(r"[ \t]*\n[ \t]*\n\s*", "\n\n", body)
    return body, " ".join((parser.heading or parser.title).split())


def _run_worker(kind: str, data: bytes, filename: str | None) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k in ("PATH", "LANG", "LC_ALL", "PYTHONPATH", "HOME")}
    try:
        proc = subprocess.run(
            [sys.executable, "-m", "kg.ingest.worker", kind, str(WORKER_MEMORY), str(MAX_CHARS)],
            input=data, capture_output=True, timeout=WORKER_SECONDS, env=env, check=False,
        )
    except subprocess.TimeoutExpired as exc:
        raise IngestError.of("ingest.err.timeout", name=_name(filename), seconds=WORKER_SECONDS) from exc
    try:
        reply: dict[str, Any] = json.loads(proc.stdout.decode("utf-8") or "{}")
    except ValueError:
        reply = {}
    key, params = reply.get("error"), reply.get("params")
    if isinstance(key, str) and key.startswith("ingest.err.") and isinstance(params, dict):
        raise IngestError.of(key, **{**params, "name": _name(filename)})
    if proc.returncode != 0 or not isinstance(reply.get("text"), str):
        raise IngestError.of("ingest.err.worker_died", name=_name(filename, first=True))
    return {k: str(v) for k, v in reply.items()}


def extract_text(data: bytes, filename: str | None = None) -> tuple[str, str, str, str]:
    """(raw text, kind, title from the file's own metadata or headings, date text if any).

    Raises:
        IngestError: empty, too large, of a kind we cannot read, not what its name says,
            not decodable, without text, or too costly to parse.
    """
    if not data or not data.strip():
        if filename:
            raise IngestError.of("ingest.err.empty_file", name=_name(filename))
        raise IngestError.of("ingest.err.empty_text")
    if len(data) > MAX_BYTES:
        size, most = f"{len(data) / 1024 / 1024:.1f}", MAX_BYTES // 1024 // 1024
        if filename:
            raise IngestError.of("ingest.err.too_big_file", name=_name(filename), size=size, most=most)
        raise IngestError.of("ingest.err.too_big_text", size=size, most=most)
    kind = _kind(data, filename)
    title = ""
    meta_date = ""
    if kind == "txt":
        raw = decode_text(data, filename)
    elif kind == "html":
        raw, title = _html(decode_text(data, filename))
    else:
        reply = _run_worker(kind, data, filename)
        raw, title, meta_date = reply["text"], reply.get("title", ""), reply.get("date", "")
    if len(raw) > MAX_CHARS:
        raise IngestError.of("ingest.err.too_much_text", name=_name(filename, first=True),
                             most=f"{MAX_CHARS:,}".replace(",", " "))
    if not raw.strip():
        if kind == "pdf":
            raise IngestError.of("ingest.err.scanned_pdf", name=_name(filename))
        raise IngestError.of("ingest.err.no_text", name=_name(filename, first=True))
    return raw, kind, title, meta_date


def extract(data: bytes, filename: str | None = None) -> SourceDocument:
    """A document from the bytes of a file (or pasted text, encoded as UTF-8)."""
    raw, kind, title, meta_date = extract_text(data, filename)
    text = normalise(raw)
    if not re.search(r"\w", text):
        raise IngestError.of("ingest.err.no_readable_text", name=_name(filename, first=True))
    found = find_date(text[:4000])
    if found is None and meta_date:
        try:
            found = date.fromisoformat(meta_date[:10])
        except ValueError:
            found = None
    title = " ".join(title.split())[:200] or find_title(text)
    return SourceDocument(
        text=text,
        title=title,
        media_type=MEDIA_TYPES[kind],
        sha256=hashlib.sha256(data).hexdigest(),
        filename=PurePath(filename).name if filename else None,
        date=found,
        size=len(data),
        data=data,
    )
