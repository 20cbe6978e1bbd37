"""Conversion of RDF terms between pyoxigraph and rdflib (the lingua franca of ``kg``)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

__all__ = ["Quad", "Term", "Triple", "from_ox", "is_iri", "quad_from_ox", "to_ox"]

#: The RDF terms every part of ``kg`` passes around (rdflib's classes).
Term = URIRef | BNode | Literal
Triple = tuple[Term, Term, Term]
Quad = tuple[Term, Term, Term, URIRef | None]

_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_RDF_LANG = "http://www.w3.org/1999/02/22-rdf-syntax-ns#langString"
#: IRIs already turned into rdflib terms: pages and analytics see the same IRIs again and
#: again, and rdflib checks every new URIRef (a third of a big result's conversion time).
_IRIS: dict[str, URIRef] = {}
_IRIS_MAX = 300_000


def _iri(value: str) -> URIRef:
    found = _IRIS.get(value)
    if found is None:
        if len(_IRIS) >= _IRIS_MAX:
            _IRIS.clear()
        found = _IRIS[value] = URIRef(value)
    return found


def from_ox(term: ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple | None) -> Term | None:
    """A pyoxigraph term as an rdflib term.

    >>> from_ox(ox.Literal("hej", language="sv"))
    rdflib.term.Literal('hej', lang='sv')
    """
    if term is None:
        return None
    if isinstance(term, ox.NamedNode):
        return _iri(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        dt = term.datatype.value
        if dt == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=_iri(dt))
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    raise TypeError(f"unsupported term {term!r}")


def to_ox(term: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    """An rdflib term as a pyoxigraph term.

    >>> to_ox(URIRef("http://example.org/a"))
    <NamedNode value=http://example.org/a>
    """
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype is not None and str(term.datatype) not in (_XSD_STRING, _RDF_LANG):
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"unsupported term {term!r}")


def quad_from_ox(q: ox.Quad) -> tuple[Term, Term, Term, URIRef | None]:
    """A pyoxigraph quad as an rdflib quad (``None`` for the default graph)."""
    g = q.graph_name
    return (
        from_ox(q.subject),  # type: ignore[return-value]
        from_ox(q.predicate),
        from_ox(q.object),
        None if isinstance(g, ox.DefaultGraph) else from_ox(g),
    )


def is_iri(text: str) -> bool:
    """Whether ``text`` is an absolute IRI (RFC 3987, as Oxigraph checks it): the one IRI
    check of the package, so nothing that could break out of ``<...>`` passes.

    >>> is_iri("https://data.kfvn.se/id/projekt/teo"), is_iri("urn:x:y")
    (True, True)
    >>> is_iri("https://x.org/a> } #"), is_iri("utan-schema"), is_iri("http://x/a b")
    (False, False, False)
    """
    try:
        ox.NamedNode(text)
    except ValueError:
        return False
    return True
