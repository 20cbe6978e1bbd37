"""Full dumps of the store in every RDF format, written atomically (temp file, then rename)."""

from __future__ import annotations

from pathlib import Path

from kg.io.atomic import atomic_write
from kg.io.formats import RdfFormatInfo
from kg.store.base import Store

__all__ = ["dump_bytes", "dump_to"]


def dump_to(store: Store, path: Path, fmt: RdfFormatInfo) -> None:
    """Write the whole store to ``path`` in ``fmt``; the file appears only when complete."""
    with atomic_write(path) as fh:
        store.dump(fh, fmt)


def dump_bytes(store: Store, fmt: RdfFormatInfo) -> bytes:
    """The whole store serialised in ``fmt``."""
    import io

    buf = io.BytesIO()
    store.dump(buf, fmt)
    return buf.getvalue()
