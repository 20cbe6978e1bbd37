"""Search right after a change: what the label index of the previous version cannot know.

The label index (:func:`kg.query.search.index_for`) is built once per data version; on a
large graph that takes seconds (about 10 s at 1 M triples), and meanwhile searches use the
previous version's index. So that an entity just published is found at once, a search on
such a stale index also looks up the entities that changed since the index's version, builds
their entries the way the index does, and ranks them in with the others; the stale index's
best hits are looked up again the same way, so a renamed or removed entity drops out of them.

Which entities changed, a published version says itself (the IRIs its changes named, see
:meth:`kg.store.base.Store.changed_since`): then the lookup is one small query (milliseconds
at any size), and every changed entity is current in the results. When the store cannot say
(a remote store, a big change), the store is asked for entities whose names contain every
word of the query (a bounded scan of every label: 0.3–1 s at 1 M triples), and hits further
down may show as they were until the new index is ready. The pages are always current.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable

from rdflib import Literal, URIRef

from kg.query.search import INDEX_QUERY, LabelIndex, SearchResult, build_entries
from kg.store.base import Store

__all__ = ["FRESH_LIMIT", "RECHECK", "find_fresh"]

#: Most entities a stale-index search asks the store for.
FRESH_LIMIT = 20
#: The stale index's best hits looked up again in the store (those a visitor sees first).
RECHECK = 50
#: Words of the query used (each at least two characters; letters and digits only).
_MAX_WORDS = 5


def _words(query: str) -> list[str]:
    """The query's words for a SPARQL ``CONTAINS`` on lower-cased labels.

    >>> _words('Skrivprov "ekonomisk" } förening x')
    ['skrivprov', 'ekonomisk', 'förening']
    """
    return [w for w in re.findall(r"\w+", query.lower()) if len(w) >= 2][:_MAX_WORDS]


def _q_subjects(words: list[str]) -> str:
    tests = " && ".join(f'CONTAINS(LCASE(STR(?l)), "{w}")' for w in words)
    return f"""
SELECT DISTINCT ?s WHERE {{
  ?s rdfs:label|skos:prefLabel|foaf:name|skos:altLabel|schema:headline ?l
  FILTER(isIRI(?s) && {tests})
}} LIMIT {FRESH_LIMIT}"""


def _q_funded(iris: Iterable[str]) -> str:
    """What changed grants fund (a grant's year is its project's year in the index)."""
    values = " ".join(f"<{i}>" for i in sorted(iris))
    return f"SELECT DISTINCT ?s WHERE {{ VALUES ?f {{ {values} }} ?f schema:fundedItem ?s }}"


def _changed(store: Store, since: str, words: list[str]) -> tuple[set[str], bool]:
    """The entities to look up again: (IRIs, whether they are every changed entity)."""
    touched = store.changed_since(since)
    if touched is None:
        rows = store.select(_q_subjects(words)).rows
        return {str(s) for (s,) in rows if isinstance(s, URIRef)}, False
    if not touched:
        return set(), True
    funded = {str(s) for (s,) in store.select(_q_funded(touched)).rows if isinstance(s, URIRef)}
    return set(touched) | funded, True


def _q_entries(iris: Iterable[str]) -> str:
    values = " ".join(f"<{i}>" for i in sorted(iris))
    return INDEX_QUERY.replace("WHERE {", f"WHERE {{\n  VALUES ?s {{ {values} }}", 1)


def find_fresh(store: Store, index: LabelIndex, result: SearchResult, query: str, *,
               kinds: Iterable[str] | None = None, theme: str | None = None,
               year: int | None = None, lang: str = "sv") -> SearchResult:
    """``result`` (of ``index.find``), corrected by the store's current version when
    ``index`` is of an older one: entities whose names now match are added, and the first
    :data:`RECHECK` hits are looked up again (renamed or removed ones drop out); else
    ``result`` itself."""
    words = _words(query)
    if not words or index.version == store.data_version():
        return result
    checked = {result.entries[i].iri for i in result.order[:RECHECK]}
    found, complete = _changed(store, index.version, words)
    if complete:  # every changed entity is looked up: the others' old entries hold
        checked |= found
    if not (found | checked):
        return result
    rows = [(str(s), str(k), v) for s, k, v in store.select(_q_entries(found | checked)).rows
            if isinstance(s, URIRef) and isinstance(v, URIRef | Literal) and k is not None]
    fresh = LabelIndex(build_entries(rows), store.data_version()).find(
        query, kinds=kinds, theme=theme, year=year, lang=lang)
    decided = checked | {fresh.entries[i].iri for i in fresh.order}
    kept = [i for i in result.order if result.entries[i].iri not in decided]
    by_kind = result.by_kind + fresh.by_kind
    by_kind.subtract(Counter(result.entries[i].kind for i in result.order
                             if result.entries[i].iri in decided))
    offset = len(result.entries)
    info = {**result.info, **{offset + i: v for i, v in fresh.info.items()}}
    # by rank (exact, prefix, word, substring, text), the looked-up ones first within a rank
    order = sorted([*(offset + i for i in fresh.order), *kept],
                   key=lambda i: info.get(i, (0, ""))[0])
    return SearchResult([*result.entries, *fresh.entries], order, +by_kind, result.query, info,
                        result.truncated, result.fulltext, result.docs, result.lang)
