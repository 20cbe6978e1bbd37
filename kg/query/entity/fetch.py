"""Fetching one entity from the store: its own triples, its links in (paged in the store, per
property), the qualified-relation nodes around it, and the labels of what they mention.

The first page of a hub costs the same as any page: the links in are counted per property
with one ``GROUP BY`` (the store counts index entries, it decodes nothing) and each property
gives its next :data:`PER_PAGE` subjects with ``LIMIT``/``OFFSET``, in the store's own order
(its index order, the same for every request of a data version; no ``ORDER BY``, which had
the store decode and sort every one of a hub's 10,000 links, 0.8 s at 1 M triples). Only the
subjects of the page are then checked for being relation nodes and read.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from kg.io.terms import is_iri
from kg.namespaces import KFV, ORG, SCHEMA
from kg.query.entity.copartners import copartner_index
from kg.query.search import LabelIndex
from kg.store.base import Store, Term

__all__ = ["PER_PAGE", "RELATION_TYPES", "Node", "Raw", "dated", "fetch", "labels", "mentioned"]

#: Subjects per property on one page of an entity's links in (relation nodes included).
PER_PAGE = 100

#: Qualified-relation classes and the links that tie them to an entity.
RELATION_TYPES = (KFV.Participation, KFV.EventParticipation, KFV.Appointment,
                  KFV.OrganisationMembership, SCHEMA.MonetaryGrant, KFV.Result, KFV.Target)
REL_IN = "org:member|org:organization|kfv:event|schema:fundedItem|schema:funder|kfv:fund" \
         "|kfv:fundingProgramme|kfv:appointedBy"
#: Links out from an entity to its own relation nodes (results and targets).
REL_OUT = (str(KFV.hasResult), str(KFV.hasTarget))
#: Links in from relation nodes (a subject through another link is never a relation node).
REL_IN_PROPS = frozenset({str(ORG.member), str(ORG.organization), str(KFV.event),
                          str(SCHEMA.fundedItem), str(SCHEMA.funder), str(KFV.fund),
                          str(KFV.fundingProgramme), str(KFV.appointedBy)})
REL_TYPE_LIST = ", ".join(f"<{t}>" for t in RELATION_TYPES)
_REL_TYPE_SET = frozenset(str(t) for t in RELATION_TYPES)


@dataclass
class Node:
    """What we know of an IRI mentioned on the page."""

    labels: dict[str, list[str]] = field(default_factory=dict)
    headlines: dict[str, list[str]] = field(default_factory=dict)
    types: set[str] = field(default_factory=set)
    extra: dict[str, str] = field(default_factory=dict)


@dataclass
class Raw:
    """The rows of the queries, sorted by kind."""

    out: list[tuple[URIRef, Term, str]] = field(default_factory=list)
    blank: dict[str, list[tuple[URIRef, Term, str]]] = field(default_factory=dict)
    incoming: list[tuple[URIRef, Term, str]] = field(default_factory=list)
    relations: dict[str, list[tuple[URIRef, Term, str]]] = field(default_factory=dict)
    copartners: list[tuple[str, int, list[str]]] = field(default_factory=list)
    #: property → how many subjects link to the entity through it (all pages)
    link_counts: dict[str, int] = field(default_factory=dict)
    more_in: bool = False
    more_rel: bool = False

    @property
    def pages(self) -> int:
        """How many pages the links in take (at least one)."""
        most = max(self.link_counts.values(), default=0)
        return max(1, -(-most // PER_PAGE))


# -- the queries ------------------------------------------------------------------------------
def _q_own(iri: str) -> str:
    """The entity's triples with their graphs, its blank nodes' triples, and how many
    subjects link to it through each property."""
    return f"""
SELECT ?d ?n ?p ?o ?g ?c WHERE {{
  {{ GRAPH ?g {{ <{iri}> ?p ?o }} BIND("out" AS ?d) }}
  UNION {{ {{ SELECT ?n WHERE {{ <{iri}> ?q ?n FILTER(isBlank(?n)) }} }}
           GRAPH ?g {{ ?n ?p ?o }} BIND("blank" AS ?d) }}
  UNION {{ {{ SELECT ?p (COUNT(?s) AS ?c) WHERE {{ ?s ?p <{iri}> }} GROUP BY ?p }}
           BIND("count" AS ?d) }}
}}"""


def _q_page(iri: str, counts: dict[str, int], offset: int) -> str | None:
    """One page of the subjects linking to the entity, per property, with the graphs that
    state each link and whether the subject is a relation node."""
    parts = [f"{{ {{ SELECT ?s WHERE {{ ?s <{p}> <{iri}> }} LIMIT {PER_PAGE} OFFSET {offset} }}"
             f" BIND(<{p}> AS ?via) }}"
             for p, n in sorted(counts.items()) if n > offset and is_iri(p)]
    if not parts:
        return None
    return f"""
SELECT ?via ?s ?g ?rel WHERE {{
  {" UNION ".join(parts)}
  GRAPH ?g {{ ?s ?via <{iri}> }}
  BIND(EXISTS {{ ?s a ?rt FILTER(?rt IN ({REL_TYPE_LIST})) }} AS ?rel)
}}"""


def _q_relations(nodes: Iterable[str]) -> str:
    values = " ".join(f"<{n}>" for n in sorted(nodes))
    return f"SELECT ?n ?p ?o ?g WHERE {{ VALUES ?n {{ {values} }} GRAPH ?g {{ ?n ?p ?o }} }}"


_NAMES = """
  {{ ?x rdfs:label|skos:prefLabel|foaf:name ?v BIND("l" AS ?k) }}
  UNION {{ ?x schema:headline ?v BIND("h" AS ?k) }}
  UNION {{ ?x a ?v BIND("t" AS ?k) }}"""
_DATES = """
  {{ ?x schema:position ?v BIND("pos" AS ?k) }}
  UNION {{ ?x schema:datePublished ?v BIND("date" AS ?k) }}
  UNION {{ ?x schema:startDate ?v BIND("start" AS ?k) }}
  UNION {{ ?x schema:endDate ?v BIND("end" AS ?k) }}"""


def _q_labels(named: Iterable[str], dated: Iterable[str]) -> str | None:
    """Names, types and dates of ``named``; only dates of ``dated``."""
    parts = []
    for iris, what in ((named, _NAMES + " UNION " + _DATES), (dated, _DATES)):
        values = " ".join(f"<{i}>" for i in sorted(iris))
        if values:
            parts.append(f"{{ VALUES ?x {{ {values} }} {{ {what.format()} }} }}")
    return f"SELECT ?x ?k ?v WHERE {{ {' UNION '.join(parts)} }}" if parts else None


# -- running them -------------------------------------------------------------------------------
def fetch(store: Store, iri: str, page: int) -> Raw:
    """The rows of one page of an entity (its own triples on every page)."""
    raw = Raw()
    for d, n, p, o, g, c in store.select(_q_own(iri)).rows:
        kind = str(d)
        if kind == "count":
            if isinstance(p, URIRef) and isinstance(c, Literal):
                raw.link_counts[str(p)] = int(c.toPython())
            continue
        if not isinstance(p, URIRef) or o is None:
            continue
        graph = str(g) if g is not None else ""
        if kind == "out":
            raw.out.append((p, o, graph))
        else:
            raw.blank.setdefault(str(n), []).append((p, o, graph))
    offset = (page - 1) * PER_PAGE
    more = any(n > offset + PER_PAGE for n in raw.link_counts.values())
    rel_nodes: set[str] = set()
    query = _q_page(iri, raw.link_counts, offset)
    for via, s, g, rel in store.select(query).rows if query else ():
        if not isinstance(via, URIRef) or s is None:
            continue
        if _true(rel):  # a relation node: read below, not a link of its own
            if str(via) in REL_IN_PROPS and isinstance(s, URIRef):
                rel_nodes.add(str(s))
        else:
            raw.incoming.append((via, s, str(g) if g is not None else ""))
    raw.more_in = raw.more_rel = more
    rel_nodes.update(str(o) for p, o, _ in raw.out
                     if str(p) in REL_OUT and isinstance(o, URIRef))
    if rel_nodes:
        found: dict[str, list[tuple[URIRef, Term, str]]] = defaultdict(list)
        for n, p, o, g in store.select(_q_relations(rel_nodes)).rows:
            if n is not None and isinstance(p, URIRef) and o is not None:
                found[str(n)].append((p, o, str(g or "")))
        for node, triples in sorted(found.items()):
            if any(str(p) == _TYPE and str(o) in _REL_TYPE_SET for p, o, _ in triples):
                raw.relations[node] = triples
    raw.copartners = copartner_index(store).copartners(iri)
    return raw


_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
_NAMED_RELATIONS = frozenset({str(KFV.Result), str(KFV.Target)})
_DATED_VIA = frozenset({str(ORG.organization), str(KFV.event)})
_SUBJECT_OF = str(SCHEMA.subjectOf)
_NEWS_IN = frozenset({str(SCHEMA.about), str(SCHEMA.mentions)})


def _true(value: Term | None) -> bool:
    """An ``EXISTS`` as the store answers it: ``true`` (Oxigraph) or ``1`` (Virtuoso)."""
    return isinstance(value, Literal) and str(value).strip().lower() in ("true", "1")


def mentioned(iri: str, raw: Raw) -> set[str]:
    """Every IRI the page names (its label is needed)."""
    out = {iri}
    triples = [*raw.out, *raw.incoming, *(t for ts in raw.blank.values() for t in ts),
               *(t for ts in raw.relations.values() for t in ts)]
    for p, o, _ in triples:
        out.add(str(p))
        if isinstance(o, URIRef):
            out.add(str(o))
    for node, triples in raw.relations.items():  # only results are named by their label
        if any(str(p) == _TYPE and str(o) in _NAMED_RELATIONS for p, o, _ in triples):
            out.add(node)
        else:
            out.discard(node)
    out.update(raw.link_counts)  # co-partners are named from the label index
    return {i for i in out if is_iri(i)}


def dated(raw: Raw) -> set[str]:
    """IRIs whose dates or position the page shows: the projects and events of relation
    nodes, and news items linked either way."""
    out = {str(o) for ts in raw.relations.values() for p, o, _ in ts
           if str(p) in _DATED_VIA and isinstance(o, URIRef)}
    out.update(str(o) for p, o, _ in raw.out if str(p) == _SUBJECT_OF and isinstance(o, URIRef))
    out.update(str(s) for p, s, _ in raw.incoming if str(p) in _NEWS_IN and isinstance(s, URIRef))
    return out


def labels(store: Store, iris: set[str], dated: Iterable[str] = (),
           index: LabelIndex | None = None) -> dict[str, Node]:
    """Labels, headlines, types and dates of some IRIs (dates and positions of those in
    ``dated``). Entities the label index names take their labels and types from it when
    it is of the store's data version (the vocabulary and every named entity: only the
    rest, and the dates, are asked of the store)."""
    nodes: dict[str, Node] = defaultdict(Node)
    asked = set(iris)
    if index is not None and index.version == store.data_version():
        for iri in iris:
            entry = index.get(iri)
            if entry is not None:
                nodes[iri] = Node({k: list(v) for k, v in entry.labels.items()},
                                  types=set(entry.types))
                asked.discard(iri)
    query = _q_labels(asked, (set(dated) & iris) - asked)
    if query is None:
        return nodes
    for x, k, v in store.select(query).rows:
        node = nodes[str(x)]
        kind = str(k)
        if kind in ("l", "h") and isinstance(v, Literal):
            bucket = node.labels if kind == "l" else node.headlines
            texts = bucket.setdefault(v.language or "", [])
            if str(v) not in texts:
                texts.append(str(v))
        elif kind == "t":
            node.types.add(str(v))
        elif v is not None:
            node.extra[kind] = str(v)
    return nodes
