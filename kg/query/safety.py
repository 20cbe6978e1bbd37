"""What a public query may not do: reach other servers (``SERVICE``).

A ``SERVICE`` clause makes the engine send an HTTP request to the address in the query,
from inside our network: public input must never make the server do that. The decision is
taken on the **parsed** query: :func:`service_targets` parses it with rdflib's SPARQL parser
and returns the endpoint of every ``SERVICE`` clause (wherever it sits: ``OPTIONAL``,
``UNION``, ``FILTER EXISTS``, a subquery), with prefixes and relative IRIs resolved, or the
variable of ``SERVICE ?x``. :func:`check_query` refuses any target that is not on the
allow-list (the ``service_allowlist`` setting; empty by default) with
:class:`~kg.errors.ForbiddenQueryError`.

Parsing costs milliseconds, so a lexical look comes first: only a query with the keyword
``SERVICE`` outside strings, IRIs and comments (:func:`kg.io.sparqltext.mask_sparql`),
and not part of a variable or prefixed name, is parsed (the
query text's ``\\u`` escapes are expanded first, as the grammar says). A query that has the
keyword but does not parse with rdflib is refused as well: what cannot be checked is not run.

>>> service_targets("SELECT * { ?s ?p 'SERVICE' # SERVICE <http://a/>\\n }")
[]
>>> service_targets("PREFIX e: <http://10.0.0.1/> SELECT * { OPTIONAL { SERVICE e:x { ?s ?p ?o } } }")
['http://10.0.0.1/x']
>>> service_targets("SELECT * { SERVICE ?where { ?s ?p ?o } }")
['?where']
>>> check_query("ASK { SERVICE <http://127.0.0.1:8080/sparql> {} }", frozenset())
Traceback (most recent call last):
...
kg.errors.ForbiddenQueryError: SERVICE <http://127.0.0.1:8080/sparql> is not allowed: ...
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from kg.errors import ForbiddenQueryError
from kg.io.sparqltext import mask_sparql
from kg.namespaces import PREFIXES

__all__ = ["check_query", "mentions_service", "service_targets"]

_KEYWORD = re.compile(r"(?<![\w?$:.-])SERVICE(?![\w:-])", re.IGNORECASE)
_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _expand_escapes(text: str) -> str:
    return _ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


def mentions_service(sparql: str) -> bool:
    """True when the keyword ``SERVICE`` appears as a keyword (not in a string, an IRI, a
    comment, a variable or a prefixed name).

    >>> mentions_service("SELECT ?service { ?s <http://x/SERVICE> 'service' }")
    False
    >>> mentions_service("select * { \\\\u0053ERVICE <http://a/> {} }")
    True
    """
    text = _expand_escapes(sparql) if "\\u" in sparql or "\\U" in sparql else sparql
    return _KEYWORD.search(mask_sparql(text)) is not None


def _walk(node: Any) -> Iterator[Any]:
    from pyparsing import ParseResults
    from rdflib.plugins.sparql.parserutils import CompValue

    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            yield node.get("term")
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list | tuple | ParseResults):
        for value in node:
            yield from _walk(value)


def service_targets(sparql: str, base: str | None = None) -> list[str]:
    """The endpoint of every ``SERVICE`` clause of a query (``?name`` for a variable).

    Raises:
        ForbiddenQueryError: the query has the keyword ``SERVICE`` but rdflib cannot parse
            it, so its targets cannot be known.
    """
    if not mentions_service(sparql):
        return []
    from pyparsing import ParseException
    from rdflib import Variable
    from rdflib.plugins.sparql.algebra import translatePrologue
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        parsed = parseQuery(sparql)
        prologue = translatePrologue(parsed[0], base, initNs=PREFIXES)
        targets = []
        for term in _walk(parsed):
            if isinstance(term, Variable):
                targets.append(f"?{term}")
            else:
                targets.append(str(prologue.absolutize(term)))
        return targets
    except (ParseException, ValueError, KeyError, TypeError) as exc:
        raise ForbiddenQueryError(
            "the query uses SERVICE, which this endpoint does not allow (federated queries "
            f"are off), and it could not be checked: {exc}") from exc


def check_query(sparql: str, allow: frozenset[str], base: str | None = None) -> None:
    """Refuse a query whose ``SERVICE`` targets are not all on ``allow``.

    Raises:
        ForbiddenQueryError: with the first target refused.
    """
    for target in service_targets(sparql, base):
        if target.startswith("?"):
            raise ForbiddenQueryError(
                f"SERVICE {target} is not allowed: the endpoint of a SERVICE clause must be "
                "a fixed IRI" + (" on the allow-list" if allow else ""))
        if target not in allow:
            raise ForbiddenQueryError(
                f"SERVICE <{target}> is not allowed: " + (
                    "it is not on this endpoint's allow-list" if allow else
                    "this endpoint does not query other servers (federated queries are off)"))
