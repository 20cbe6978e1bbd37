"""One entity as one plain dict: every fact out and in, its qualified relations, sources.

:func:`describe` asks three queries: (1) the entity's own triples with their graphs and
its links in (one page of them), (2) the qualified-relation nodes around it (participations,
fundings, posts, memberships, results), (3) labels and types of every IRI mentioned; an
organisation's co-partners come from a per-version :class:`CopartnerIndex`. The dict is
plain JSON: the web app renders it as HTML or sends it as the JSON twin;
:mod:`kg.query.relations` turns the relation nodes into sections.
:func:`describe_graph` gives the RDF description (a CONSTRUCT) for the data twins.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from rdflib import BNode, Literal, URIRef

from kg.cache import per_version
from kg.errors import NotFoundError
from kg.i18n import DEFAULT_LANG, translate
from kg.io.terms import is_iri
from kg.namespaces import DCTERMS, FOAF, KFV, ORG, OWL, RDF, RDFS, SCHEMA, SKOS
from kg.query.labels import pick_label, pick_label_lang
from kg.query.search import kind_of
from kg.store.base import GraphResult, Store, Term

__all__ = [
    "COPARTNERS",
    "PER_PAGE",
    "RELATION_TYPES",
    "Context",
    "CopartnerIndex",
    "Node",
    "Raw",
    "UnknownEntityError",
    "check_iri",
    "copartner_index",
    "describe",
    "describe_graph",
    "graph_sources",
    "term_dict",
]

PER_PAGE = 100
RELATION_PAGE = 300


#: Qualified-relation classes and the links that tie them to an entity.
RELATION_TYPES = (KFV.Participation, KFV.EventParticipation, KFV.Appointment,
                  KFV.OrganisationMembership, SCHEMA.MonetaryGrant, KFV.Result, KFV.Target)
_REL_IN = "org:member|org:organization|kfv:event|schema:fundedItem|schema:funder|kfv:fund" \
          "|kfv:fundingProgramme|kfv:appointedBy"
_REL_TYPES = ", ".join(f"<{t}>" for t in RELATION_TYPES)

LABEL_PROPS = (RDFS.label, SKOS.prefLabel, FOAF.name)
DESCRIPTION_PROPS = (SCHEMA.description, DCTERMS.description, SKOS.definition, RDFS.comment)
#: Facts shown at the top of a page, in this order (when the entity has them).
KEY_PROPS = (
    KFV.status, SCHEMA.startDate, SCHEMA.endDate, SCHEMA.datePublished, DCTERMS.subject,
    DCTERMS.spatial, SCHEMA.location, SCHEMA.containedInPlace, ORG.classification,
    KFV.municipalityCode, ORG.identifier, SCHEMA.jobTitle, SCHEMA.url, KFV.follows,
    SCHEMA.isPartOf, ORG.subOrganizationOf, ORG.unitOf, SKOS.inScheme, SKOS.broader,
    SKOS.notation, OWL.sameAs, KFV.inferenceNote,
)
_FIRST = (RDF.type, *LABEL_PROPS, SKOS.altLabel, *DESCRIPTION_PROPS, *KEY_PROPS)
_ORDER = {str(p): i for i, p in enumerate(_FIRST)}
#: Labels for terms the ontology does not document itself.
BUILTIN_LABELS: dict[str, dict[str, list[str]]] = {
    str(RDF.type): {"sv": ["typ"], "en": ["type"]},
    str(OWL.sameAs): {"sv": ["samma som"], "en": ["same as"]},
    str(RDFS.seeAlso): {"sv": ["se även"], "en": ["see also"]},
    str(RDFS.isDefinedBy): {"sv": ["definieras av"], "en": ["defined by"]},
    str(RDFS.subClassOf): {"sv": ["underklass till"], "en": ["subclass of"]},
    str(RDFS.domain): {"sv": ["domän"], "en": ["domain"]},
    str(RDFS.range): {"sv": ["värdemängd"], "en": ["range"]},
}


class UnknownEntityError(NotFoundError):
    """No triple mentions this IRI."""

    def __init__(self, iri: str) -> None:
        self.iri = iri
        super().__init__(translate("error.unknown_entity", DEFAULT_LANG, iri=iri))
        self.key, self.params = "error.unknown_entity", {"iri": iri}


def check_iri(iri: str) -> str:
    """The IRI, if it is safe to put between ``<>`` in a query.

    >>> check_iri("https://data.kfvn.se/id/projekt/teo")
    'https://data.kfvn.se/id/projekt/teo'

    Raises:
        UnknownEntityError: not a well-formed absolute IRI (so it cannot be in the graph).
    """
    if len(iri) > 2000 or not is_iri(iri):
        raise UnknownEntityError(iri)
    return iri


# -- the three queries ---------------------------------------------------------------------
def _q_own(iri: str, offset: int, limit: int) -> str:
    return f"""
SELECT ?d ?n ?p ?o ?g WHERE {{
  {{ GRAPH ?g {{ <{iri}> ?p ?o }} BIND("out" AS ?d) }}
  UNION {{ {{ SELECT ?n WHERE {{ <{iri}> ?q ?n FILTER(isBlank(?n)) }} }}
           GRAPH ?g {{ ?n ?p ?o }} BIND("blank" AS ?d) }}
  UNION {{
    {{ SELECT DISTINCT ?o ?p WHERE {{ ?o ?p <{iri}> .
         FILTER NOT EXISTS {{ ?o a ?rt . FILTER(?rt IN ({_REL_TYPES})) }} }}
       ORDER BY ?p ?o LIMIT {limit + 1} OFFSET {offset} }}
    GRAPH ?g {{ ?o ?p <{iri}> }} BIND("in" AS ?d)
  }}
}}"""


def _q_relations(iri: str, offset: int, limit: int) -> str:
    return f"""
SELECT ?n ?p ?o ?g WHERE {{
  {{ SELECT DISTINCT ?n WHERE {{
       {{ ?n {_REL_IN} <{iri}> }} UNION {{ <{iri}> kfv:hasResult|kfv:hasTarget ?n }}
       ?n a ?t . FILTER(?t IN ({_REL_TYPES}))
     }} ORDER BY ?n LIMIT {limit + 1} OFFSET {offset} }}
  GRAPH ?g {{ ?n ?p ?o }}
}}"""


Q_PARTICIPATION_PAIRS = """
SELECT ?org ?proj WHERE { ?m a kfv:Participation ; org:member ?org ; org:organization ?proj }"""
#: Most co-partners on an organisation's page, and most shared projects named for each
#: (their number is always given).
COPARTNERS = 60
SHARED_SHOWN = 12


@dataclass
class CopartnerIndex:
    """Who takes part in which project: an organisation's co-partners (others in its
    projects) in milliseconds even for a hub with thousands of projects, where the same
    aggregate in SPARQL took seconds at 1 M triples. One per data version."""

    projects_of: dict[str, tuple[str, ...]]
    members_of: dict[str, tuple[str, ...]]

    def copartners(self, org: str, top: int = COPARTNERS,
                   shown: int = SHARED_SHOWN) -> list[tuple[str, int, list[str]]]:
        """(co-partner, number of shared projects, the first ``shown`` of them by IRI),
        most shared first (ties by IRI)."""
        shared: dict[str, set[str]] = defaultdict(set)
        for proj in self.projects_of.get(org, ()):
            for co in self.members_of.get(proj, ()):
                if co != org:
                    shared[co].add(proj)
        ranked = sorted(shared.items(), key=lambda kv: (-len(kv[1]), kv[0]))[:top]
        return [(co, len(projs), sorted(projs)[:shown]) for co, projs in ranked]


def copartner_index(store: Store) -> CopartnerIndex:
    """The :class:`CopartnerIndex` of the store's data version (built once; while a new
    version's is built, the previous one answers and pages built from it are not kept)."""
    return per_version(store, "copartner-index", lambda: _copartner_index(store), stale=True)


def _copartner_index(store: Store) -> CopartnerIndex:
    projects: dict[str, set[str]] = defaultdict(set)
    members: dict[str, set[str]] = defaultdict(set)
    for org, proj in store.select(Q_PARTICIPATION_PAIRS).rows:
        if isinstance(org, URIRef) and isinstance(proj, URIRef):
            projects[str(org)].add(str(proj))
            members[str(proj)].add(str(org))
    return CopartnerIndex({k: tuple(v) for k, v in projects.items()},
                          {k: tuple(v) for k, v in members.items()})


def _q_labels(iris: Iterable[str]) -> str:
    values = " ".join(f"<{i}>" for i in sorted(iris))
    return f"""
SELECT ?x ?k ?v WHERE {{
  VALUES ?x {{ {values} }}
  {{ ?x rdfs:label|skos:prefLabel|foaf:name ?v BIND("l" AS ?k) }}
  UNION {{ ?x schema:headline ?v BIND("h" AS ?k) }}
  UNION {{ ?x a ?v BIND("t" AS ?k) }}
  UNION {{ ?x schema:position ?v BIND("pos" AS ?k) }}
  UNION {{ ?x schema:datePublished ?v BIND("date" AS ?k) }}
  UNION {{ ?x schema:startDate ?v BIND("start" AS ?k) }}
  UNION {{ ?x schema:endDate ?v BIND("end" AS ?k) }}
}}"""


# -- the model -------------------------------------------------------------------------------
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
    more_in: bool = False
    more_rel: bool = False


class Context:
    """Labels, kinds and sources, in one language, for turning terms into dicts."""

    def __init__(self, nodes: dict[str, Node], sources: dict[str, dict[str, Any]],
                 lang: str) -> None:
        self.nodes = nodes
        self.sources = sources
        self.lang = lang
        self.used_sources: dict[str, dict[str, Any]] = {}

    def label_lang(self, iri: str) -> str:
        """The language of :meth:`label` ("" when untagged or unknown)."""
        node = self.nodes.get(iri)
        if node is None or not (node.labels or node.headlines):
            return pick_label_lang(BUILTIN_LABELS.get(iri, {}), self.lang, iri)[1]
        return pick_label_lang(node.labels or node.headlines, self.lang, iri)[1]

    def label(self, iri: str) -> str:
        node = self.nodes.get(iri)
        if node is None or not (node.labels or node.headlines):
            return pick_label(BUILTIN_LABELS.get(iri, {}), self.lang, iri)
        if node.labels:
            return pick_label(node.labels, self.lang, iri)
        return pick_label(node.headlines, self.lang, iri)

    def term(self, t: Term | None) -> dict[str, Any]:
        return term_dict(t, self)

    def source(self, graph: str) -> str:
        """The key (source IRI) of the source a graph stands for; remembered for the page."""
        info = self.sources.get(graph) or {"iri": graph, "labels": {}, "inferred": False}
        key = info["iri"]
        if key not in self.used_sources:
            self.used_sources[key] = {
                "iri": key,
                "label": pick_label(info["labels"], self.lang, key),
                "graph": graph,
                "inferred": info["inferred"],
            }
        return str(key)


def term_dict(t: Term | None, ctx: Context | None = None) -> dict[str, Any]:
    """A term as JSON: ``{type: iri, iri, label, kind}``, ``{type: literal, value, lang,
    datatype}`` or ``{type: blank, id}``.

    >>> term_dict(Literal("3000000", datatype=URIRef("http://www.w3.org/2001/XMLSchema#decimal")))
    {'type': 'literal', 'value': '3000000', 'lang': None, 'datatype': 'http://www.w3.org/2001/XMLSchema#decimal'}
    """
    if isinstance(t, URIRef):
        iri = str(t)
        node = ctx.nodes.get(iri) if ctx else None
        return {
            "type": "iri",
            "iri": iri,
            "label": ctx.label(iri) if ctx else pick_label({}, "sv", iri),
            "label_lang": ctx.label_lang(iri) if ctx else "",
            "kind": kind_of(node.types) if node else "ovrigt",
        }
    if isinstance(t, BNode):
        return {"type": "blank", "id": str(t)}
    if isinstance(t, Literal):
        return {
            "type": "literal",
            "value": str(t),
            "lang": t.language,
            "datatype": str(t.datatype) if t.datatype else None,
        }
    return {"type": "none"}


# -- running the queries ---------------------------------------------------------------------
def _fetch(store: Store, iri: str, page: int) -> Raw:
    raw = Raw()
    offset = (page - 1) * PER_PAGE
    for d, n, p, o, g in store.select(_q_own(iri, offset, PER_PAGE)).rows:
        if not isinstance(p, URIRef) or o is None:
            continue
        graph = str(g) if g is not None else ""
        if str(d) == "out":
            raw.out.append((p, o, graph))
        elif str(d) == "blank":
            raw.blank.setdefault(str(n), []).append((p, o, graph))
        else:
            raw.incoming.append((p, o, graph))
    distinct_in = {(p, o) for p, o, _ in raw.incoming}
    if len(distinct_in) > PER_PAGE:
        last = sorted(distinct_in, key=lambda po: (str(po[0]), str(po[1])))[-1]
        raw.more_in = True
        raw.incoming = [r for r in raw.incoming if (r[0], r[1]) != last]
    rel_offset = (page - 1) * RELATION_PAGE
    rows = store.select(_q_relations(iri, rel_offset, RELATION_PAGE)).rows
    for n, p, o, g in rows:
        if n is not None and isinstance(p, URIRef) and o is not None:
            raw.relations.setdefault(str(n), []).append((p, o, str(g or "")))
    raw.copartners = copartner_index(store).copartners(iri)
    if len(raw.relations) > RELATION_PAGE:
        raw.more_rel = True
        raw.relations.pop(max(raw.relations))
    return raw


def _mentioned(iri: str, raw: Raw) -> set[str]:
    out = {iri}
    triples = [*raw.out, *raw.incoming, *(t for ts in raw.blank.values() for t in ts),
               *(t for ts in raw.relations.values() for t in ts)]
    for p, o, _ in triples:
        out.add(str(p))
        if isinstance(o, URIRef):
            out.add(str(o))
    out.update(raw.relations)
    for co, _, projects in raw.copartners:
        out.add(co)
        out.update(projects)
    return {i for i in out if is_iri(i)}


def _labels(store: Store, iris: set[str]) -> dict[str, Node]:
    nodes: dict[str, Node] = defaultdict(Node)
    if not iris:
        return nodes
    for x, k, v in store.select(_q_labels(iris)).rows:
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


def graph_sources(store: Store) -> dict[str, dict[str, Any]]:
    """Named graph → the source document it holds facts from (cached per data version).

    A graph derived from exactly one document (``prov:wasDerivedFrom``) stands for that
    document; otherwise for itself. Values: ``{iri, labels, inferred}``.
    """
    return per_version(store, "graph_sources", lambda: _graph_sources(store))


def _graph_sources(store: Store) -> dict[str, dict[str, Any]]:
    # the store's list of named graphs, not a DISTINCT over every quad (2.2 s at 1 M
    # triples, on the first page of every new data version)
    graphs = [g for g in store.graphs() if is_iri(g)]
    if not graphs:
        return {}
    values = " ".join(f"<{g}>" for g in graphs)
    rows = store.select(
        f"""SELECT ?g ?src ?gl ?sl WHERE {{
             VALUES ?g {{ {values} }}
             OPTIONAL {{ ?g prov:wasDerivedFrom ?src OPTIONAL {{ ?src rdfs:label ?sl }} }}
             OPTIONAL {{ ?g rdfs:label ?gl }}
           }}"""
    ).rows
    found: dict[str, dict[str, Any]] = {}
    for g, src, gl, sl in rows:
        entry = found.setdefault(str(g), {"srcs": {}, "glabels": {}})
        if isinstance(gl, Literal):
            entry["glabels"].setdefault(gl.language or "", set()).add(str(gl))
        if src is not None:
            labels = entry["srcs"].setdefault(str(src), {})
            if isinstance(sl, Literal):
                labels.setdefault(sl.language or "", set()).add(str(sl))
    out: dict[str, dict[str, Any]] = {}
    for graph, entry in found.items():
        inferred = graph.rstrip("/").endswith("/harledda-fakta")
        if len(entry["srcs"]) == 1:
            only, labels = next(iter(entry["srcs"].items()))
            out[graph] = {"iri": only, "labels": _lists(labels), "inferred": inferred}
        else:
            out[graph] = {"iri": graph, "labels": _lists(entry["glabels"]), "inferred": inferred}
    return out


def _lists(labels: dict[str, set[str]]) -> dict[str, list[str]]:
    return {k: sorted(v) for k, v in labels.items()}


# -- assembling --------------------------------------------------------------------------------
def _grouped(triples: Iterable[tuple[URIRef, Term, str]], ctx: Context,
             blank: dict[str, list[tuple[URIRef, Term, str]]] | None = None
             ) -> list[dict[str, Any]]:
    by_prop: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for p, o, g in triples:
        key = (type(o).__name__, o.n3())
        values = by_prop[str(p)]
        if key not in values:
            value = ctx.term(o)
            value["sources"] = []
            if isinstance(o, BNode) and blank is not None:
                value["facts"] = _grouped(blank.get(str(o), []), ctx)
            values[key] = value
        src = ctx.source(g)
        if src not in values[key]["sources"]:
            values[key]["sources"].append(src)
            values[key]["sources"].sort()  # same order whatever order the store answers in
    groups: list[dict[str, Any]] = [
        {"property": p, "label": ctx.label(p), "values": _sort_values(list(vals.values()))}
        for p, vals in by_prop.items()
    ]
    groups.sort(key=lambda grp: (_ORDER.get(str(grp["property"]), len(_ORDER)),
                                 str(grp["label"]).casefold()))
    return groups


def _sort_values(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(values, key=lambda v: (str(v.get("label") or v.get("value") or "").casefold(),
                                         str(v.get("lang") or "")))


def _texts(facts: list[dict[str, Any]], props: Iterable[URIRef]) -> dict[str, list[str]]:
    wanted = {str(p) for p in props}
    out: dict[str, list[str]] = {}
    for grp in facts:
        if grp["property"] in wanted:
            for v in grp["values"]:
                if v["type"] == "literal":
                    out.setdefault(v["lang"] or "", []).append(v["value"])
    return out


def describe(store: Store, iri: str, lang: str = "sv", page: int = 1) -> dict[str, Any]:
    """Everything about one entity, as one JSON-ready dict.

    Args:
        store: the graph.
        iri: the entity.
        lang: the language labels are chosen in (fallback sv → en → any → local name).
        page: which page of links in (and relation nodes) to include; hubs have many.

    Raises:
        UnknownEntityError: no triple mentions the IRI (or it is not a valid IRI).
    """
    from kg.query.relations import relation_sections

    check_iri(iri)
    raw = _fetch(store, iri, page)
    if not (raw.out or raw.incoming or raw.relations or raw.copartners) and (
        page == 1 or not store.ask(f"ASK {{ {{ <{iri}> ?p ?o }} UNION {{ ?s ?p <{iri}> }} }}")
    ):
        raise UnknownEntityError(iri)
    ctx = Context(_labels(store, _mentioned(iri, raw)), graph_sources(store), lang)
    facts = _grouped(raw.out, ctx, raw.blank)
    labels = _texts(facts, LABEL_PROPS)
    descriptions = _texts(facts, DESCRIPTION_PROPS)
    types = sorted(str(o) for p, o, _ in raw.out if p == RDF.type)
    key = {str(p) for p in KEY_PROPS}
    page_dict: dict[str, Any] = {
        "iri": iri,
        "label": pick_label(labels, lang, iri) if labels else ctx.label(iri),
        "label_lang": pick_label_lang(labels, lang, iri)[1] if labels else ctx.label_lang(iri),
        "labels": labels,
        "alt_labels": _texts(facts, [SKOS.altLabel]),
        "kind": kind_of(types),
        "types": [ctx.term(URIRef(t)) for t in types],
        "description": pick_label(descriptions, lang) if descriptions else "",
        "description_lang": pick_label_lang(descriptions, lang)[1] if descriptions else "",
        "descriptions": descriptions,
        "key_facts": sorted((f for f in facts if f["property"] in key),
                            key=lambda f: _ORDER[f["property"]]),
        "facts": facts,
        "incoming": _grouped(raw.incoming, ctx),
        "page": page,
        "has_more": raw.more_in or raw.more_rel,
    }
    page_dict.update(relation_sections(iri, raw, ctx))
    page_dict["news"] = _news(raw, ctx)
    page_dict["sources"] = sorted(ctx.used_sources.values(), key=lambda s: s["label"].casefold())
    return page_dict


def _news(raw: Raw, ctx: Context) -> list[dict[str, Any]]:
    links = {str(SCHEMA.subjectOf): "subjectOf"}
    back = {str(SCHEMA.about): "about", str(SCHEMA.mentions): "mentions"}
    found: dict[str, str] = {}
    for p, o, _ in raw.out:
        if str(p) in links and isinstance(o, URIRef):
            found.setdefault(str(o), "about")
    for p, o, _ in raw.incoming:
        if str(p) in back and isinstance(o, URIRef):
            rel = back[str(p)]
            if found.get(str(o)) != "about":
                found[str(o)] = rel
    items = []
    for news_iri, rel in found.items():
        node = ctx.nodes.get(news_iri, Node())
        if str(SCHEMA.NewsArticle) not in node.types:
            continue
        pos = node.extra.get("pos", "")
        items.append({
            "iri": news_iri,
            "headline": pick_label(node.headlines or node.labels, ctx.lang, news_iri),
            "position": int(pos) if pos.isdigit() else None,
            "date": node.extra.get("date"),
            "relation": rel,
        })
    items.sort(key=lambda n: (n["position"] is None, n["position"] or 0, n["iri"]))
    return items


def describe_graph(store: Store, iri: str) -> GraphResult:
    """The RDF description of an entity: its own triples, the qualified-relation nodes
    around it, blank nodes it points to, and the labels of everything they point to.

    Raises:
        UnknownEntityError: not a valid IRI, or nothing is said about it.
    """
    check_iri(iri)
    result = store.construct(f"""
CONSTRUCT {{ <{iri}> ?p ?o . ?n ?np ?no . ?x ?lp ?xl . }} WHERE {{
  {{ <{iri}> ?p ?o }}
  UNION {{ {{ SELECT ?n WHERE {{ <{iri}> ?q ?n FILTER(isBlank(?n)) }} }} ?n ?np ?no }}
  UNION {{ {{ ?n {_REL_IN} <{iri}> }} UNION {{ <{iri}> kfv:hasResult ?n }}
           ?n a ?t . FILTER(?t IN ({_REL_TYPES})) ?n ?np ?no }}
  UNION {{ <{iri}> ?q ?x . FILTER(isIRI(?x)) ?x ?lp ?xl . FILTER(?lp IN ({_label_list()})) }}
  UNION {{ {{ ?n {_REL_IN} <{iri}> }} UNION {{ <{iri}> kfv:hasResult ?n }}
           ?n a ?t . FILTER(?t IN ({_REL_TYPES})) ?n ?q ?x . FILTER(isIRI(?x))
           ?x ?lp ?xl . FILTER(?lp IN ({_label_list()})) }}
}}""")
    if not result.triples:
        raise UnknownEntityError(iri)
    return result


def _label_list() -> str:
    return ", ".join(f"<{p}>" for p in (RDFS.label, SKOS.prefLabel, FOAF.name, SCHEMA.headline))

