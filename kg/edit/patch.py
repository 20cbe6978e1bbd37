"""The journal's record format: RDF Patch (Apache Jena's text format), one record a file.

A changeset record::

    H id <https://data.kfvn.se/id/andring/20261129T023000-1a2b3c> .
    H type "changeset" .
    H author "anna" .
    H authorName "Anna Andersson" .
    H created "2026-11-29T02:30:00Z" .
    H reason "Beviljat enligt beslut 2026-11-28" .
    H state "proposed" .
    H sourceKind "new-document" .
    H source <https://data.kfvn.se/id/kalla/beslut-...> .
    H sourceTitle "Beslut om stöd" .
    H entity <https://data.kfvn.se/id/projekt/x> .
    H base "<https://data.kfvn.se/id/projekt/x> 3f2a..." .
    TX .
    D <s> <p> <o> <g> .
    A <s> <p> <o> <g> .
    TC .

``A`` and ``D`` rows are N-Quads (every term in N-Triples syntax, the graph last); header
values are N-Triples terms, and a key may repeat (``entity``, ``base``). A review record
has only headers (``type "review"``, ``changeset``, ``decision``, ``reviewer``, ``time``,
``note``) and, for an approval, the ``D`` rows as applied. Unknown header keys are kept
out of the way, so the format can grow.

>>> from rdflib import URIRef, Literal
>>> from kg.edit.model import Changeset, Source
>>> cs = Changeset("x1", "anna", "Anna", "2026-01-01T00:00:00Z", "ny", Source("document", iri="http://e/k"),
...                adds=((URIRef("http://e/a"), URIRef("http://e/p"), Literal("å\\n", lang="sv"),
...                       URIRef("http://e/g")),), entities=("http://e/a",))
>>> back = parse_record(changeset_text(cs, "http://e/"), 7)
>>> back.adds == cs.adds, back.source.iri, back.seq
(True, 'http://e/k', 7)
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import pyoxigraph as ox
from rdflib import Literal, URIRef

from kg.edit.model import Changeset, Review, Source, changeset_iri
from kg.errors import KgError
from kg.io.terms import Quad, Term, from_ox

__all__ = ["JournalFormatError", "changeset_text", "nt", "parse_record", "review_text"]

_SOURCE_FIELDS = ("iri", "title", "url", "date", "informant", "informant_iri", "quote")
_HEADER = re.compile(r"^H\s+([A-Za-z]+)\s+(.*?)\s*\.\s*$")
_XSD = "http://www.w3.org/2001/XMLSchema#"


class JournalFormatError(KgError):
    """A journal record does not parse."""


def _escape(text: str) -> str:
    return (text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
            .replace("\r", "\\r"))


def nt(term: Term) -> str:
    """A term in N-Triples syntax.

    >>> nt(Literal('sa "hej"', lang="sv")), nt(URIRef("http://e/a"))
    ('"sa \\\\"hej\\\\""@sv', '<http://e/a>')
    """
    if isinstance(term, URIRef):
        text = str(term)
        if re.search(r'[\s<>"{}|^`\\]', text):
            raise JournalFormatError(f"an IRI that cannot be written: {text!r}")
        return f"<{text}>"
    if isinstance(term, Literal):
        body = f'"{_escape(str(term))}"'
        if term.language:
            return f"{body}@{term.language}"
        if term.datatype is not None and str(term.datatype) != _XSD + "string":
            return f"{body}^^<{term.datatype}>"
        return body
    raise JournalFormatError(f"blank nodes are not edited: {term!r}")


def _header(key: str, value: Term | str) -> str:
    return f"H {key} {nt(Literal(value) if isinstance(value, str) else value)} .\n"


def _rows(code: str, quads: Iterable[Quad]) -> str:
    out = []
    for s, p, o, g in quads:
        graph = f" {nt(g)}" if g is not None else ""
        out.append(f"{code} {nt(s)} {nt(p)} {nt(o)}{graph} .\n")
    return "".join(out)


def changeset_text(cs: Changeset, base: str) -> str:
    """A changeset as an RDF Patch record."""
    lines = [_header("id", changeset_iri(cs.id, base)), _header("type", "changeset")]
    for key, value in (("author", cs.author), ("authorName", cs.author_name),
                       ("created", cs.created), ("reason", cs.reason), ("state", cs.state),
                       ("summary", cs.summary), ("origin", cs.origin), ("reverts", cs.reverts),
                       ("sourceKind", cs.source.kind)):
        if value:
            lines.append(_header(key, value))
    for name in _SOURCE_FIELDS:
        value = getattr(cs.source, name)
        if value:
            key = "source" + "".join(w.title() for w in name.split("_")) if name != "iri" else "source"
            lines.append(_header(key, URIRef(value) if name in ("iri", "informant_iri") else value))
    lines += [_header("entity", URIRef(e)) for e in cs.entities]
    lines += [_header("base", f"<{iri}> {version}") for iri, version in cs.base_versions]
    lines.append("TX .\n")
    lines.append(_rows("D", cs.removes))
    lines.append(_rows("A", cs.adds))
    lines.append("TC .\n")
    return "".join(lines)


def review_text(review: Review, base: str) -> str:
    """A review decision as an RDF Patch record (headers, plus the removals as applied)."""
    lines = [_header("type", "review"), _header("changeset", changeset_iri(review.changeset, base)),
             _header("decision", review.decision), _header("reviewer", review.reviewer),
             _header("reviewerName", review.reviewer_name), _header("time", review.time)]
    if review.note:
        lines.append(_header("note", review.note))
    if review.removes:
        lines += ["TX .\n", _rows("D", review.removes), "TC .\n"]
    return "".join(lines)


def _term(text: str) -> Term:
    try:
        quads = list(ox.parse(f"<urn:x:s> <urn:x:p> {text} .", format=ox.RdfFormat.N_TRIPLES))
    except SyntaxError as exc:
        raise JournalFormatError(f"bad header value {text!r}: {exc}") from exc
    term = from_ox(quads[0].object)
    assert term is not None
    return term


def _quad(text: str) -> Quad:
    try:
        q = next(iter(ox.parse(text, format=ox.RdfFormat.N_QUADS)))
    except (SyntaxError, StopIteration) as exc:
        raise JournalFormatError(f"bad row {text!r}: {exc}") from exc
    s, p, o = from_ox(q.subject), from_ox(q.predicate), from_ox(q.object)
    g = None if isinstance(q.graph_name, ox.DefaultGraph) else from_ox(q.graph_name)
    return s, p, o, g  # type: ignore[return-value]


def parse_record(text: str, seq: int) -> Changeset | Review:
    """Read one record (see the module docstring).

    Raises:
        JournalFormatError: the text is not a record we wrote.
    """
    headers: dict[str, list[str]] = {}
    removes: list[Quad] = []
    adds: list[Quad] = []
    for n, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.strip() in ("TX .", "TC .", "TA ."):
            continue
        m = _HEADER.match(line)
        if m:
            headers.setdefault(m.group(1), []).append(str(_term(m.group(2))))
        elif line[:2] in ("A ", "D "):
            (adds if line[0] == "A" else removes).append(_quad(line[2:]))
        else:
            raise JournalFormatError(f"line {n}: not an RDF Patch row: {line[:80]!r}")

    def one(key: str, default: str = "") -> str:
        return headers.get(key, [default])[0]

    kind = one("type")
    if kind == "review":
        cs_id = one("changeset").rsplit("/", 1)[-1]
        decision: Any = one("decision")
        return Review(cs_id, decision, one("reviewer"), one("reviewerName"), one("time"),
                      one("note"), tuple(removes), seq)
    if kind != "changeset":
        raise JournalFormatError(f"unknown record type {kind!r}")
    src: dict[str, Any] = {"kind": one("sourceKind", "document")}
    for name in _SOURCE_FIELDS:
        key = "source" + "".join(w.title() for w in name.split("_")) if name != "iri" else "source"
        src[name] = one(key)
    bases = []
    for value in headers.get("base", []):
        iri, _, version = value.partition(" ")
        bases.append((iri.strip("<>"), version))
    state: Any = one("state", "proposed")
    return Changeset(
        id=one("id").rsplit("/", 1)[-1], author=one("author"), author_name=one("authorName"),
        created=one("created"), reason=one("reason"), source=Source(**src),
        removes=tuple(removes), adds=tuple(adds), entities=tuple(headers.get("entity", [])),
        base_versions=tuple(bases), reverts=one("reverts"), summary=one("summary"),
        origin=one("origin", "form"), state=state, seq=seq,
    )
