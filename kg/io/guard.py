"""Checks that run before a data file reaches a parser: XML entity bombs and byte-order marks.

* **RDF/XML entities.** An XML file may declare entities that expand into other entities
  ("billion laughs": 1 KB that grows to gigabytes), or that pull in other files. Oxigraph's
  RDF/XML parser expands what it is given, so such files are refused here first, streaming
  through the standard library's expat (memory stays small, whatever the file). Allowed:
  plain abbreviations such as ``<!ENTITY xsd "http://www.w3.org/2001/XMLSchema#">``, common
  in OWL files, which expand to at most :data:`MAX_ENTITY_CHARS` characters each. Refused,
  with file and line: an entity whose value refers to another entity, a longer one, an
  external (``SYSTEM``/``PUBLIC``) entity and a parameter entity.
* **Byte-order mark.** Turtle, N-Triples and the other text formats are UTF-8 without one,
  but editors on Windows often write one; :func:`skip_bom` steps over it.

>>> import tempfile, pathlib
>>> p = pathlib.Path(tempfile.mkdtemp()) / "x.rdf"
>>> _ = p.write_text('<?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "ha"><!ENTITY b "&a;&a;">]><r/>')
>>> try:
...     check_xml_entities(p)
... except LoadError as exc:
...     print(exc.line, "entity" in exc.message)
1 True
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import BinaryIO
from xml.parsers import expat

from kg.errors import LoadError

__all__ = ["BOM", "MAX_ENTITY_CHARS", "check_xml_entities", "skip_bom"]

BOM = b"\xef\xbb\xbf"
#: Longest value of an entity declared in an RDF/XML file (a namespace IRI fits easily).
MAX_ENTITY_CHARS = 1_000
_CHUNK = 1 << 16
_REFERENCE = re.compile(r"[&%]")


class _Refused(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def check_xml_entities(path: Path) -> None:
    """Refuse an XML file that declares entities which could expand without bound.

    Raises:
        LoadError: naming the file and the line of the declaration.
    """
    parser = expat.ParserCreate()
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)

    def entity(name: str, is_parameter: int, value: str | None, base: str | None,
               system_id: str | None, public_id: str | None, notation: str | None) -> None:
        if is_parameter:
            raise _Refused(f"the parameter entity %{name}; is not allowed")
        if value is None:
            raise _Refused(f"the entity &{name}; refers to another file ({system_id or public_id}), "
                           "which is not allowed")
        if _REFERENCE.search(value):
            raise _Refused(f"the entity &{name}; refers to other entities (an entity expansion "
                           "attack such as 'billion laughs'); write the values out instead")
        if len(value) > MAX_ENTITY_CHARS:
            raise _Refused(f"the entity &{name}; is {len(value)} characters long (at most "
                           f"{MAX_ENTITY_CHARS} are allowed)")

    def external(context: str | None, base: str | None, system_id: str | None,
                 public_id: str | None) -> int:
        raise _Refused(f"the file refers to another file ({system_id or public_id}), which is not allowed")

    parser.EntityDeclHandler = entity
    parser.ExternalEntityRefHandler = external
    try:
        with open(path, "rb") as fh:
            while chunk := fh.read(_CHUNK):
                parser.Parse(chunk, False)
            parser.Parse(b"", True)
    except _Refused as exc:
        raise LoadError(path, exc.message, parser.CurrentLineNumber,
                        parser.CurrentColumnNumber + 1) from None
    except expat.ExpatError as exc:
        raise LoadError(path, expat.ErrorString(exc.code) or str(exc), exc.lineno,
                        exc.offset + 1) from None
    except OSError as exc:
        raise LoadError(path, str(exc)) from exc


def skip_bom(fh: BinaryIO) -> BinaryIO:
    """Step over a UTF-8 byte-order mark at the start of ``fh`` (if any); returns ``fh``."""
    if fh.read(3) != BOM:
        fh.seek(0)
    return fh
