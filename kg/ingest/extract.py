"""From bytes to text: pasted text, ``.txt``, ``.html``, ``.pdf`` (pypdf) and ``.docx``
(python-docx), with every way a file can be bad turned into a clear Swedish message.

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

from kg.errors import IngestError
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
_KNOWN_WRONG = {".doc": "Word 97–2003 (.doc)", ".odt": "OpenDocument (.odt)", ".rtf": "RTF",
                ".xlsx": "Excel", ".xls": "Excel", ".pptx": "PowerPoint", ".zip": "zip-arkiv",
                ".png": "bild", ".jpg": "bild", ".jpeg": "bild", ".gif": "bild", ".tif": "bild",
                ".tiff": "bild", ".exe": "program"}


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


def _name(filename: str | None) -> str:
    return f"”{PurePath(filename).name}”" if filename else "texten"


def _kind(data: bytes, filename: str | None) -> str:
    """The format, from the name and the first bytes; refuses what we cannot read."""
    suffix = PurePath(filename).suffix.casefold() if filename else ""
    head = data[:1024].lstrip()
    if suffix in _KNOWN_WRONG:
        raise IngestError(
            f"Filen {_name(filename)} är en {_KNOWN_WRONG[suffix]}-fil, som inte kan läsas här. "
            "Spara den som PDF, Word (.docx), HTML eller text (.txt) och försök igen."
        )
    kind = _SUFFIXES.get(suffix, "")
    if kind == "pdf" and not data.startswith(b"%PDF-") and b"%PDF-" not in data[:1024]:
        raise IngestError(f"Filen {_name(filename)} heter .pdf men är ingen PDF-fil. "
                          "Kontrollera att det är rätt fil.")
    if kind == "docx" and not data.startswith(b"PK\x03\x04"):
        raise IngestError(f"Filen {_name(filename)} heter .docx men är inget Word-dokument. "
                          "Kontrollera att det är rätt fil.")
    if not kind:
        if data.startswith(b"%PDF-"):
            kind = "pdf"
        elif data.startswith(b"PK\x03\x04"):
            kind = "docx"
        elif head[:15].lower().startswith((b"<!doctype html", b"<html")):
            kind = "html"
        elif suffix and suffix not in ("",):
            raise IngestError(f"Filtypen {suffix} stöds inte. Ladda upp .txt, .html, .pdf eller .docx.")
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
            raise IngestError(f"{_name(filename).capitalize()} är inte giltig UTF-16 text.") from exc
    if b"\x00" in data[:8192]:
        raise IngestError(f"{_name(filename).capitalize()} är en binärfil, inte text. "
                          "Ladda upp .txt, .html, .pdf eller .docx.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        col = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        byte = data[exc.start]
        raise IngestError(
            f"{_name(filename).capitalize()} är inte giltig UTF-8 (rad {line}, tecken {col}: "
            f"byte 0x{byte:02X}). Spara filen som UTF-8 och försök igen."
        ) from exc


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
        raise IngestError(
            f"Det tog för lång tid att läsa {_name(filename)} (mer än {WORKER_SECONDS} s), och "
            "läsningen avbröts. Filen kan vara skadad eller konstruerad för att överbelasta."
        ) from exc
    try:
        reply: dict[str, str] = json.loads(proc.stdout.decode("utf-8") or "{}")
    except ValueError:
        reply = {}
    if reply.get("error"):
        raise IngestError(reply["error"].replace("{name}", _name(filename)))
    if proc.returncode != 0 or "text" not in reply:
        raise IngestError(
            f"{_name(filename).capitalize()} kunde inte läsas: läsningen krävde för mycket minne "
            "eller avbröts. Filen kan vara skadad eller en så kallad zip-bomb."
        )
    return reply


def extract_text(data: bytes, filename: str | None = None) -> tuple[str, str, str, str]:
    """(raw text, kind, title from the file's own metadata or headings, date text if any).

    Raises:
        IngestError: empty, too large, of a kind we cannot read, not what its name says,
            not decodable, without text, or too costly to parse.
    """
    if not data or not data.strip():
        raise IngestError(f"{'Filen ' + _name(filename) if filename else 'Texten'} är tom.")
    if len(data) > MAX_BYTES:
        raise IngestError(
            f"{'Filen ' + _name(filename) if filename else 'Texten'} är för stor "
            f"({len(data) / 1024 / 1024:.1f} MB); högst {MAX_BYTES // 1024 // 1024} MB tas emot. "
            "Dela upp dokumentet eller klistra in den del som är ny."
        )
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
        raise IngestError(f"{_name(filename).capitalize()} innehåller för mycket text "
                          f"(över {MAX_CHARS:,} tecken). Dela upp dokumentet.".replace(",", " "))
    if not raw.strip():
        if kind == "pdf":
            raise IngestError(
                f"PDF-filen {_name(filename)} innehåller ingen text, bara bilder (troligen en "
                "skannad sida). Tolka den med OCR först, eller klistra in texten."
            )
        raise IngestError(f"{_name(filename).capitalize()} innehåller ingen text.")
    return raw, kind, title, meta_date


def extract(data: bytes, filename: str | None = None) -> SourceDocument:
    """A document from the bytes of a file (or pasted text, encoded as UTF-8)."""
    raw, kind, title, meta_date = extract_text(data, filename)
    text = normalise(raw)
    if not re.search(r"\w", text):
        raise IngestError(f"{_name(filename).capitalize()} innehåller ingen läsbar text.")
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
