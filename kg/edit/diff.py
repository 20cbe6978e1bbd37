"""A changeset as people read it: per entity, what was added and removed, with names.

>>> from rdflib import URIRef, Literal
>>> from kg.edit.model import Changeset, Source
>>> cs = Changeset("x", "a", "A", "t", "r", Source("document"),
...     adds=((URIRef("http://e/p1"), URIRef("http://www.w3.org/2000/01/rdf-schema#label"),
...            Literal("Nytt", lang="sv"), None),))
>>> d = readable(cs, lambda iri: iri.rsplit("/", 1)[-1], lambda s, p: "namn")
>>> d[0]["label"], d[0]["lines"][0]
('p1', {'op': 'add', 'prop': 'namn', 'value': 'Nytt', 'iri': ''})
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from rdflib import Literal, URIRef

from kg.edit.model import Changeset
from kg.namespaces import RDF

__all__ = ["readable"]


def _value(term: Any, name_of: Callable[[str], str]) -> tuple[str, str]:
    if isinstance(term, URIRef):
        return name_of(str(term)), str(term)
    if isinstance(term, Literal):
        text = str(term)
        if term.datatype is not None and str(term.datatype).endswith("#decimal"):
            try:
                whole = int(float(text))
                if float(text) == whole:
                    text = f"{whole:,}".replace(",", "\u00a0")
            except ValueError:
                pass
        return text, ""
    return str(term), ""


def readable(cs: Changeset, name_of: Callable[[str], str], prop_of: Callable[[str, str], str],
             removes: tuple[Any, ...] | None = None) -> list[dict[str, Any]]:
    """Groups ``{iri, label, lines: [{op, prop, value, iri}]}``, one per subject, main first.

    Args:
        name_of: an entity's display name from its IRI.
        prop_of: a property's display name from the subject's and the property's IRIs.
        removes: the removals to show (default: the changeset's own).
    """
    groups: dict[str, dict[str, Any]] = {}
    order = list(cs.entities)
    seen: set[tuple[str, str, str, str]] = set()
    for op, quads in (("del", removes if removes is not None else cs.removes), ("add", cs.adds)):
        for s, p, o, _g in quads:
            key = (op, str(s), str(p), str(o))
            if key in seen:  # the same triple in several graphs: one line
                continue
            seen.add(key)
            group = groups.setdefault(str(s), {"iri": str(s), "label": name_of(str(s)), "lines": []})
            text, iri = _value(o, name_of)
            prop = "typ" if p == RDF.type else prop_of(str(s), str(p))
            group["lines"].append({"op": op, "prop": prop, "value": text, "iri": iri})
    return sorted(groups.values(), key=lambda g: (order.index(g["iri"]) if g["iri"] in order else len(order),
                                                 g["label"]))
