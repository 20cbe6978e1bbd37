"""Shaping the rows of one entity into the page dict's parts: terms as JSON (with labels
in one language), facts grouped by property, texts by language, news items."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from rdflib import BNode, Literal, URIRef

from kg.namespaces import DCTERMS, FOAF, KFV, ORG, OWL, RDF, RDFS, SCHEMA, SKOS
from kg.query.entity.fetch import Node, Raw
from kg.query.labels import pick_label, pick_label_lang
from kg.query.search import LabelIndex, kind_of
from kg.store.base import Term

__all__ = ["BUILTIN_LABELS", "DESCRIPTION_PROPS", "KEY_PROPS", "LABEL_PROPS", "ORDER",
           "Context", "grouped", "news", "term_dict", "texts"]

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
ORDER = {str(p): i for i, p in enumerate(_FIRST)}
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


class Context:
    """Labels, kinds and sources, in one language, for turning terms into dicts."""

    def __init__(self, nodes: dict[str, Node], sources: dict[str, dict[str, Any]],
                 lang: str, index: LabelIndex | None = None) -> None:
        self.nodes = nodes
        self.sources = sources
        self.lang = lang
        #: the per-version label index, for entities named from indexes (co-partners)
        self.index = index
        self.used_sources: dict[str, dict[str, Any]] = {}
        self._named: dict[str, tuple[str, str]] = {}

    def _name(self, iri: str) -> tuple[str, str]:
        """(label, its language), worked out once per IRI."""
        found = self._named.get(iri)
        if found is None:
            node = self.nodes.get(iri)
            if node is None or not (node.labels or node.headlines):
                found = pick_label_lang(BUILTIN_LABELS.get(iri, {}), self.lang, iri)
            else:
                found = pick_label_lang(node.labels or node.headlines, self.lang, iri)
            self._named[iri] = found
        return found

    def label_lang(self, iri: str) -> str:
        """The language of :meth:`label` ("" when untagged or unknown)."""
        return self._name(iri)[1]

    def label(self, iri: str) -> str:
        return self._name(iri)[0]

    def term(self, t: Term | None) -> dict[str, Any]:
        return term_dict(t, self)

    def indexed(self, iri: str) -> dict[str, Any]:
        """An entity as :meth:`term` makes it, named from the label index (entities that
        come from per-version indexes, such as co-partners and their shared projects, are
        not asked of the store again); an IRI the index does not name is its local name."""
        entry = self.index.get(iri) if self.index is not None else None
        if entry is None:
            return term_dict(URIRef(iri), self)
        return {"type": "iri", "iri": iri, "label": entry.label(self.lang),
                "label_lang": entry.label_lang(self.lang), "kind": entry.kind}

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


def grouped(triples: Iterable[tuple[URIRef, Term, str]], ctx: Context,
            blank: dict[str, list[tuple[URIRef, Term, str]]] | None = None
            ) -> list[dict[str, Any]]:
    """Facts grouped by property (known properties first), values sorted, each with the
    sources that state it."""
    by_prop: dict[str, dict[tuple[str, str], dict[str, Any]]] = defaultdict(dict)
    for p, o, g in triples:
        key = (type(o).__name__, o.n3())
        values = by_prop[str(p)]
        if key not in values:
            value = ctx.term(o)
            value["sources"] = []
            if isinstance(o, BNode) and blank is not None:
                value["facts"] = grouped(blank.get(str(o), []), ctx)
            values[key] = value
        src = ctx.source(g)
        if src not in values[key]["sources"]:
            values[key]["sources"].append(src)
            values[key]["sources"].sort()  # same order whatever order the store answers in
    groups: list[dict[str, Any]] = [
        {"property": p, "label": ctx.label(p), "values": _sort_values(list(vals.values()))}
        for p, vals in by_prop.items()
    ]
    groups.sort(key=lambda grp: (ORDER.get(str(grp["property"]), len(ORDER)),
                                 str(grp["label"]).casefold()))
    return groups


def _sort_values(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(values, key=lambda v: (str(v.get("label") or v.get("value") or "").casefold(),
                                         str(v.get("lang") or "")))


def texts(facts: list[dict[str, Any]], props: Iterable[URIRef]) -> dict[str, list[str]]:
    """The literal values of some properties, by language."""
    wanted = {str(p) for p in props}
    out: dict[str, list[str]] = {}
    for grp in facts:
        if grp["property"] in wanted:
            for v in grp["values"]:
                if v["type"] == "literal":
                    out.setdefault(v["lang"] or "", []).append(v["value"])
    return out


def news(raw: Raw, ctx: Context) -> list[dict[str, Any]]:
    """News items about or mentioning the entity, in their order in the source."""
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
