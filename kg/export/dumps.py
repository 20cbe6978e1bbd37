"""Full dumps of the store in every RDF format, written atomically (temp file, then rename)."""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from kg.export.formats import RdfFormatInfo
from kg.store.base import Store

__all__ = ["atomic_write", "dump_bytes", "dump_to"]


@contextlib.contextmanager
def atomic_write(path: Path) -> Iterator[BinaryIO]:
    """Open a temp file beside ``path``; on success rename it over ``path``, else delete it.

    >>> import tempfile, pathlib
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "x.txt"
    >>> with atomic_write(p) as fh:
    ...     _ = fh.write(b"hej")
    >>> p.read_bytes()
    b'hej'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


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
