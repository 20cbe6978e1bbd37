"""SPARQL as text, for stores that only speak the protocol: terms in N-Triples syntax, bound
variables as a ``VALUES`` block, the prefix prologue, and SPARQL JSON results as rdflib terms.

Nothing from a caller is ever pasted into a query unescaped: terms go through
:func:`term_text`, which escapes literals and refuses IRIs that could break out of ``<...>``.

>>> from rdflib import Literal, URIRef
>>> term_text(Literal('säg "hej"\\n', lang="sv"))
'"säg \\\\"hej\\\\"\\\\n"@sv'
>>> inject_values("SELECT ?l WHERE { ?s rdfs:label ?l }", {"s": URIRef("http://x/a")})
'SELECT ?l WHERE { VALUES (?s) { (<http://x/a>) } ?s rdfs:label ?l }'
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import QueryError
from kg.io.terms import Term, is_iri
from kg.namespaces import PREFIXES

__all__ = [
    "UPDATE_FORMS",
    "add_prologue",
    "inject_values",
    "iri_text",
    "json_term",
    "literal_text",
    "mask_sparql",
    "query_form",
    "term_text",
]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
_VAR = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_PROLOGUE = re.compile(
    r"""^(\s|_+|PREFIX\s+[\w.-]*:\s*<[^>]*>|BASE\s*<[^>]*>)*""", re.IGNORECASE
)
_FORM = re.compile(
    r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE|INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b",
    re.IGNORECASE,
)
UPDATE_FORMS = {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}


def query_form(sparql: str) -> str:
    """The form of a SPARQL request after its prologue: SELECT, ASK, CONSTRUCT, DESCRIBE, or an
    update keyword such as INSERT. Empty string if none is found.

    >>> query_form("PREFIX ex: <http://x/>\\n# c\\nselect * {}")
    'SELECT'
    >>> query_form("INSERT DATA { <a> <b> <c> }")
    'INSERT'
    """
    text = mask_sparql(sparql)  # IRIs and strings may hold keywords; comments become ___
    prologue = _PROLOGUE.match(text)
    body = text[prologue.end():] if prologue else text
    m = _FORM.search(body)
    return m.group(1).upper() if m else ""



def iri_text(iri: str) -> str:
    """``<iri>``, or :class:`QueryError` if the IRI holds characters that IRIs may not hold."""
    if not is_iri(iri):
        raise QueryError(f"not a valid IRI: {iri!r}")
    return f"<{iri}>"


def literal_text(lexical: str, language: str | None = None, datatype: str | None = None) -> str:
    """A literal in N-Triples syntax (which SPARQL also reads), escaped by Oxigraph.

    >>> literal_text("3000000", datatype="http://www.w3.org/2001/XMLSchema#decimal")
    '"3000000"^^<http://www.w3.org/2001/XMLSchema#decimal>'
    """
    try:
        if language:
            literal = ox.Literal(lexical, language=language)
        elif datatype and datatype not in (_XSD_STRING, _RDF_LANG):
            literal = ox.Literal(lexical, datatype=ox.NamedNode(datatype))
        else:
            literal = ox.Literal(lexical)
    except ValueError as exc:
        raise QueryError(f"not a valid literal ({exc}): {lexical[:80]!r}") from exc
    return str(literal)


def term_text(term: Node) -> str:
    """An rdflib term in N-Triples syntax, safe to place in a query or an update.

    Blank nodes are written as ``_:label`` (for data); in a query they would be variables, so
    :func:`inject_values` refuses them.
    """
    if isinstance(term, URIRef):
        return iri_text(str(term))
    if isinstance(term, Literal):
        dt = str(term.datatype) if term.datatype is not None else None
        return literal_text(str(term), term.language, dt)
    if isinstance(term, BNode):
        label = re.sub(r"[^A-Za-z0-9_]", "_", str(term))
        return f"_:b{label}"
    raise QueryError(f"cannot write {term!r} as an RDF term")


def mask_sparql(text: str) -> str:
    """``text`` with IRIs, strings and comments blanked out (same length), so that braces and
    keywords can be found by position.

    >>> mask_sparql('SELECT * { ?s ?p "{" } # }')
    'SELECT * { ?s ?p "_" } ___'
    """
    pattern = re.compile(
        r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''"
        r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
        r"|<[^<>\"{}|^`\\\x00-\x20]*>" r"|\#[^\n]*",
        re.S,
    )

    def blank(m: re.Match[str]) -> str:
        s = m.group(0)
        if s[0] in "\"'":
            q = 3 if s[:3] in ('"""', "'''") else 1
            return s[:q] + "_" * (len(s) - 2 * q) + s[-q:]
        if s[0] == "<":
            return "<" + "_" * (len(s) - 2) + ">"
        return "_" * len(s)

    return pattern.sub(blank, text)


def _pattern_brace(masked: str) -> int:
    """Where the outermost group graph pattern of a query opens (index of its ``{``)."""
    form = re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b", masked, re.I)
    if form is None:
        raise QueryError("bindings need a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    i = form.end()
    if form.group(1).upper() == "CONSTRUCT" and not re.match(r"\s*WHERE\b", masked[i:], re.I):
        start = masked.find("{", i)
        i = _matching_brace(masked, start) + 1  # skip the template
    depth = 0
    for j in range(i, len(masked)):
        c = masked[j]
        if c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "{" and depth == 0:
            return j
    raise QueryError("bindings need a query with a WHERE clause")


def _matching_brace(masked: str, start: int) -> int:
    if start < 0:
        raise QueryError("unbalanced braces in the query")
    depth = 0
    for j in range(start, len(masked)):
        if masked[j] == "{":
            depth += 1
        elif masked[j] == "}":
            depth -= 1
            if depth == 0:
                return j
    raise QueryError("unbalanced braces in the query")


def inject_values(sparql: str, bindings: Mapping[str, Node]) -> str:
    """The query with ``bindings`` as a ``VALUES`` block opening its outermost pattern, which
    binds them before anything else in the pattern is evaluated.

    Raises:
        QueryError: a variable name or term cannot be written safely, or the query has no
            pattern to bind into.
    """
    if not bindings:
        return sparql
    names, cells = [], []
    for name, term in bindings.items():
        if not _VAR.match(name):
            raise QueryError(f"not a valid variable name: {name!r}")
        if isinstance(term, BNode):
            raise QueryError("a blank node cannot be bound in a query sent to a server")
        names.append(f"?{name}")
        cells.append(term_text(term))
    at = _pattern_brace(mask_sparql(sparql)) + 1
    block = f" VALUES ({' '.join(names)}) {{ ({' '.join(cells)}) }}"
    return sparql[:at] + block + sparql[at:]


_DECLARED = re.compile(r"\bPREFIX\s+([A-Za-z][\w.-]*)?:", re.I)


def add_prologue(sparql: str, prefixes: Mapping[str, str] | None = None) -> tuple[str, int]:
    """Prepend ``PREFIX`` lines for the known prefixes the query uses but does not declare
    (the embedded stores know them implicitly). Returns the text and how many lines were added.

    >>> add_prologue("SELECT * { ?s a foaf:Person }")
    ('PREFIX foaf: <http://xmlns.com/foaf/0.1/>\\nSELECT * { ?s a foaf:Person }', 1)
    """
    table = PREFIXES if prefixes is None else prefixes
    masked = mask_sparql(sparql)
    declared = {m.group(1) or "" for m in _DECLARED.finditer(masked)}
    used = set(re.findall(r"(?<![\w?$:-])([A-Za-z][\w-]*):", masked))
    lines = [f"PREFIX {p}: <{table[p]}>\n" for p in table if p in used and p not in declared]
    return "".join(lines) + sparql, len(lines)


def json_term(cell: Mapping[str, Any]) -> Term:
    """One term of a SPARQL JSON result as an rdflib term (Virtuoso's ``typed-literal`` too).

    >>> json_term({"type": "literal", "value": "hej", "xml:lang": "sv"})
    rdflib.term.Literal('hej', lang='sv')
    """
    kind = cell.get("type")
    value = cell.get("value", "")
    if kind == "uri":
        return URIRef(value)
    if kind in ("literal", "typed-literal"):
        lang = cell.get("xml:lang")
        if lang:
            return Literal(value, lang=lang)
        dt = cell.get("datatype")
        if dt and dt != _XSD_STRING:
            return Literal(value, datatype=URIRef(dt))
        return Literal(value)
    if kind == "bnode":
        return BNode(value)
    raise QueryError(f"the server sent a term of unknown type {kind!r}")
