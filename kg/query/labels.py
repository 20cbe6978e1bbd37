"""Choosing a label for display: the wanted language, then Swedish, English, any, the IRI.

>>> pick_label({"en": ["Sollefteå Municipality"], "sv": ["Sollefteå kommun"]}, "en")
'Sollefteå Municipality'
>>> pick_label({"": ["Utan språk"]}, "en")
'Utan språk'
>>> pick_label({}, "sv", "https://data.kfvn.se/def/kfv#Participation")
'Participation'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from rdflib import Literal

from kg.io.sparqltext import iri_text
from kg.store.base import QueryResult, SelectResult

__all__ = ["FALLBACK_LANGS", "label_query", "labels_in", "local_name", "pick_label"]

#: Languages tried after the wanted one, in order ("" is a label without a language tag).
FALLBACK_LANGS: tuple[str, ...] = ("sv", "en", "")


def local_name(iri: str) -> str:
    """The last segment of an IRI (after ``#`` or ``/``).

    >>> local_name("https://data.kfvn.se/id/organisation/solleftea-kommun")
    'solleftea-kommun'
    """
    stripped = iri.rstrip("/#")
    for sep in ("#", "/"):
        if sep in stripped:
            return stripped.rsplit(sep, 1)[1] or iri
    return stripped or iri


def pick_label(labels: Mapping[str, Sequence[str]], lang: str, iri: str = "") -> str:
    """One label: in ``lang``, else Swedish, English, untagged, any language, the local name.

    Several labels in the same language: the alphabetically first, so the choice is stable.
    """
    for code in (lang, *FALLBACK_LANGS):
        texts = labels.get(code)
        if texts:
            return min(texts)
    for code in sorted(labels):
        if labels[code]:
            return min(labels[code])
    return local_name(iri) if iri else ""


def label_query(iris: Iterable[str]) -> str:
    """One query for the labels (any naming property) of some IRIs (each checked)."""
    values = " ".join(iri_text(i) for i in iris)
    return (f"SELECT ?x ?l WHERE {{ VALUES ?x {{ {values} }} "
            "?x rdfs:label|skos:prefLabel|foaf:name|schema:headline ?l }")


def labels_in(result: QueryResult, lang: str) -> dict[str, str]:
    """IRI → label in ``lang`` (see :func:`pick_label`) from the answer of :func:`label_query`."""
    found: dict[str, dict[str, list[str]]] = {}
    if isinstance(result, SelectResult):
        for x, label in result.rows:
            if isinstance(label, Literal):
                found.setdefault(str(x), {}).setdefault(label.language or "", []).append(
                    str(label))
    return {iri: pick_label(labels, lang, iri) for iri, labels in found.items()}


def pick_label_lang(labels: Mapping[str, Sequence[str]], lang: str, iri: str = "") -> tuple[str, str]:
    """Like :func:`pick_label`, with the language of the label chosen ("" when it has no
    language tag or is the IRI's name), so a page can mark a label in another language.

    >>> pick_label_lang({"sv": ["Ånge kommun"]}, "en")
    ('Ånge kommun', 'sv')
    """
    for code in (lang, *FALLBACK_LANGS):
        texts = labels.get(code)
        if texts:
            return min(texts), code
    for code in sorted(labels):
        if labels[code]:
            return min(labels[code]), code
    return (local_name(iri) if iri else ""), ""
