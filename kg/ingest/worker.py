"""The parser process for PDF and Word files: ``python -m kg.ingest.worker KIND MEMORY MAXCHARS``.

Reads the file's bytes on stdin and writes one JSON object on stdout: ``{"text", "title",
"date"}`` or ``{"error", "params"}`` (a key of the message catalogue, :mod:`kg.i18n`, and its
values; the parent adds ``name``, the file's name, and shows it in the page's language). It
caps its own address space and CPU time first, so a hostile file can cost little; the
parent adds a wall-clock limit (:mod:`kg.ingest.extract`).
"""

from __future__ import annotations

import io
import json
import re
import resource
import sys
import zipfile
from typing import Any

#: Most bytes a .docx may unpack to, most members, and the largest believable packing ratio.
DOCX_MAX_UNPACKED = 100 * 1024 * 1024
DOCX_MAX_MEMBERS = 2000
DOCX_MAX_RATIO = 100
PDF_MAX_PAGES = 1000


class Refused(Exception):
    """The file is refused: ``key`` names the message in the catalogue (``ingest.err.*``),
    ``params`` its values besides ``name``. The worker imports nothing of ``kg``, so the
    parent process makes the message (:func:`kg.ingest.extract._run_worker`)."""

    def __init__(self, key: str, **params: Any) -> None:
        super().__init__(key)
        self.key, self.params = key, params


def _limit(memory: int) -> None:
    resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
    resource.setrlimit(resource.RLIMIT_CPU, (15, 16))


def _pdf(data: bytes, max_chars: int) -> dict[str, str]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(io.BytesIO(data), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise Refused("ingest.err.pdf_password")
        if len(reader.pages) > PDF_MAX_PAGES:
            raise Refused("ingest.err.pdf_pages", most=PDF_MAX_PAGES)
        parts: list[str] = []
        size = 0
        for page in reader.pages:
            text = page.extract_text() or ""
            parts.append(text)
            size += len(text)
            if size > max_chars:
                break
        meta = reader.metadata
        title = str(meta.title or "") if meta else ""
        created = meta.creation_date if meta else None
    except Refused:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError,
            RecursionError, AssertionError, NotImplementedError) as exc:
        raise Refused("ingest.err.pdf_broken", problem=type(exc).__name__) from exc
    return {"text": "\n\n".join(parts), "title": title, "date": created.isoformat() if created else ""}


def _check_zip(zf: zipfile.ZipFile) -> None:
    infos = zf.infolist()
    if len(infos) > DOCX_MAX_MEMBERS:
        raise Refused("ingest.err.docx_parts")
    total = 0
    for info in infos:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > DOCX_MAX_UNPACKED or (info.file_size > 5 * 1024 * 1024 and ratio > DOCX_MAX_RATIO):
            raise Refused("ingest.err.docx_bomb")
    names = {i.filename for i in infos}
    if "word/document.xml" not in names:
        raise Refused("ingest.err.docx_no_document")
    for info in infos:
        if info.filename.endswith((".xml", ".rels")):
            with zf.open(info) as fh:
                blob = fh.read(DOCX_MAX_UNPACKED)
            if re.search(rb"<!DOCTYPE|<!ENTITY", blob, re.IGNORECASE):
                raise Refused("ingest.err.docx_entities")


def _docx(data: bytes, max_chars: int) -> dict[str, str]:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            _check_zip(zf)
    except zipfile.BadZipFile as exc:
        raise Refused("ingest.err.docx_broken_zip") from exc
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
        parts: list[str] = []
        title = ""
        size = 0
        for block in document.iter_inner_content():
            if isinstance(block, Paragraph):
                text = block.text
                style = (block.style.name if block.style is not None else "") or ""
                if not title and text.strip() and style.casefold().startswith(("title", "heading 1", "rubrik")):
                    title = text.strip()
                parts.append(text)
            elif isinstance(block, Table):
                for row in block.rows:
                    parts.append(" | ".join(cell.text for cell in row.cells))
            size += len(parts[-1]) if parts else 0
            if size > max_chars:
                break
        props = document.core_properties
        title = props.title or title
        created = props.created
    except (KeyError, ValueError, TypeError, AttributeError, zipfile.BadZipFile, OSError) as exc:
        raise Refused("ingest.err.docx_broken", problem=type(exc).__name__) from exc
    return {"text": "\n\n".join(parts), "title": title or "", "date": created.isoformat() if created else ""}


def main(argv: list[str]) -> int:
    kind, memory, max_chars = argv[0], int(argv[1]), int(argv[2])
    _limit(memory)
    data = sys.stdin.buffer.read()
    reply: dict[str, Any]
    try:
        reply = _pdf(data, max_chars) if kind == "pdf" else _docx(data, max_chars)
    except Refused as exc:
        reply = {"error": exc.key, "params": exc.params}
    except MemoryError:
        reply = {"error": "ingest.err.worker_memory", "params": {}}
    except Exception as exc:
        reply = {"error": "ingest.err.worker_failed", "params": {"problem": type(exc).__name__}}
    sys.stdout.write(json.dumps(reply, ensure_ascii=False))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
