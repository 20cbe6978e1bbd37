"""The qualified relations around an entity, resolved into readable sections.

A participation, funding, post, membership or result is a node of its own (see
docs/modelling.md); :func:`relation_sections` reads those nodes (fetched by
:func:`kg.query.entity.describe`) and says, from the entity's side, who took part in what,
in which role, when, paid by whom and how much.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from rdflib import Literal, URIRef

from kg.namespaces import KFV, ORG, RDF, SCHEMA

if TYPE_CHECKING:
    from kg.query.entity import Context, Raw
    from kg.store.base import Term

__all__ = ["SECTIONS", "relation_sections"]

#: Every section a page may have, in display order.
SECTIONS: tuple[str, ...] = (
    "participants", "fundings", "results", "projects", "events", "copartners", "fundings_given",
    "posts", "people", "appointed", "memberships", "members",
)


@dataclass
class RelNode:
    """One qualified-relation node: its properties and the sources that state them."""

    iri: str
    props: dict[str, list[Term]] = field(default_factory=lambda: defaultdict(list))
    graphs: list[str] = field(default_factory=list)

    def first(self, prop: URIRef) -> Term | None:
        values = self.props.get(str(prop))
        return values[0] if values else None

    def text(self, prop: URIRef) -> str | None:
        value = self.first(prop)
        return str(value) if isinstance(value, Literal) else None

    def points_to(self, prop: URIRef, iri: str) -> bool:
        return any(str(v) == iri for v in self.props.get(str(prop), []))

    def types(self) -> set[str]:
        return {str(t) for t in self.props.get(str(RDF.type), [])}


def _nodes(raw: Raw) -> list[RelNode]:
    nodes = []
    for iri, triples in raw.relations.items():
        node = RelNode(iri)
        for p, o, g in triples:
            if o not in node.props[str(p)]:
                node.props[str(p)].append(o)
            if g not in node.graphs:
                node.graphs.append(g)
        nodes.append(node)
    return nodes


def _base(node: RelNode, ctx: Context) -> dict[str, Any]:
    return {
        "iri": node.iri,
        "start": node.text(SCHEMA.startDate),
        "end": node.text(SCHEMA.endDate),
        "sources": sorted({ctx.source(g) for g in node.graphs}),
    }


def _term(node: RelNode, prop: URIRef, ctx: Context) -> dict[str, Any] | None:
    value = node.first(prop)
    return ctx.term(value) if value is not None else None


def _participation(node: RelNode, iri: str, ctx: Context, out: dict[str, list[Any]]) -> None:
    item = _base(node, ctx)
    item["role"] = _term(node, ORG.role, ctx)
    item["role_label"] = item["role"]["label"] if item["role"] else ""
    item["join_order"] = node.text(KFV.joinOrder)
    if node.points_to(ORG.organization, iri):
        item["organisation"] = _term(node, ORG.member, ctx)
        out["participants"].append(item)
    if node.points_to(ORG.member, iri):
        project = _term(node, ORG.organization, ctx)
        item["project"] = project
        extra = ctx.nodes[project["iri"]].extra if project and project["iri"] in ctx.nodes else {}
        item["project_start"], item["project_end"] = extra.get("start"), extra.get("end")
        out["projects"].append(item)


def _event_participation(node: RelNode, iri: str, ctx: Context,
                         out: dict[str, list[Any]]) -> None:
    """A part in an event: listed among the event's participants, and under the member's events."""
    item = _base(node, ctx)
    item["role"] = _term(node, ORG.role, ctx)
    item["role_label"] = item["role"]["label"] if item["role"] else ""
    item["join_order"] = None
    if node.points_to(KFV.event, iri):
        item["organisation"] = _term(node, ORG.member, ctx)
        out["participants"].append(item)
    if node.points_to(ORG.member, iri):
        event = _term(node, KFV.event, ctx)
        item["event"] = event
        extra = ctx.nodes[event["iri"]].extra if event and event["iri"] in ctx.nodes else {}
        item["event_start"] = extra.get("start")
        out["events"].append(item)


def _appointment(node: RelNode, iri: str, ctx: Context, out: dict[str, list[Any]]) -> None:
    item = _base(node, ctx)
    item.update(role=_term(node, ORG.role, ctx), person=_term(node, ORG.member, ctx),
                body=_term(node, ORG.organization, ctx),
                appointed_by=_term(node, KFV.appointedBy, ctx))
    if node.points_to(ORG.member, iri):
        out["posts"].append(item)
    if node.points_to(ORG.organization, iri):
        out["people"].append(item)
    if node.points_to(KFV.appointedBy, iri):
        out["appointed"].append(item)


def _membership(node: RelNode, iri: str, ctx: Context, out: dict[str, list[Any]]) -> None:
    item = _base(node, ctx)
    item.update(role=_term(node, ORG.role, ctx), organisation=_term(node, ORG.member, ctx),
                body=_term(node, ORG.organization, ctx))
    if node.points_to(ORG.member, iri):
        out["memberships"].append(item)
    if node.points_to(ORG.organization, iri):
        out["members"].append(item)


def _funding(node: RelNode, iri: str, ctx: Context, out: dict[str, list[Any]]) -> None:
    item = _base(node, ctx)
    item.update(
        project=_term(node, SCHEMA.fundedItem, ctx),
        funder=_term(node, SCHEMA.funder, ctx),
        fund=_term(node, KFV.fund, ctx),
        programme=_term(node, KFV.fundingProgramme, ctx),
        amount=node.text(SCHEMA.amount),
        approximate=node.text(KFV.approximate) == "true",
        currency=node.text(SCHEMA.currency) or "SEK",
        year=node.text(KFV.year),
        status=_term(node, KFV.status, ctx),
        description=_description(node, ctx),
        description_lang=_description_lang(node, ctx),
    )
    if node.points_to(SCHEMA.fundedItem, iri):
        out["fundings"].append(item)
    if (node.points_to(SCHEMA.funder, iri) or node.points_to(KFV.fund, iri)
            or node.points_to(KFV.fundingProgramme, iri)):
        out["fundings_given"].append(item)


def _result(node: RelNode, ctx: Context, out: dict[str, list[Any]]) -> None:
    item = _base(node, ctx)
    value = node.first(SCHEMA.value)
    name = node.first(SCHEMA.name)
    item.update(
        name=node.text(SCHEMA.name) or ctx.label(node.iri),
        name_lang=name.language or "" if isinstance(name, Literal) else "",
        value=str(value) if value is not None else None,
        datatype=str(value.datatype) if isinstance(value, Literal) and value.datatype else None,
        unit=node.text(SCHEMA.unitText),
        year=node.text(KFV.year),
        approximate=node.text(KFV.approximate) == "true",
        at_least=node.first(SCHEMA.minValue) is not None,
        target=str(KFV.Target) in node.types(),
    )
    out["results"].append(item)


def _description(node: RelNode, ctx: Context) -> str | None:
    texts = [v for v in node.props.get(str(SCHEMA.description), []) if isinstance(v, Literal)]
    if not texts:
        return None
    for want in (ctx.lang, "sv", "en"):
        for v in texts:
            if (v.language or "") == want:
                return str(v)
    return str(texts[0])


def _description_lang(node: RelNode, ctx: Context) -> str:
    texts = [v for v in node.props.get(str(SCHEMA.description), []) if isinstance(v, Literal)]
    for want in (ctx.lang, "sv", "en"):
        if any((v.language or "") == want for v in texts):
            return want
    return texts[0].language or "" if texts else ""


def _label(d: dict[str, Any] | None) -> str:
    return str(d["label"]).casefold() if d else ""


def _year_desc(item: dict[str, Any], *keys: str) -> int:
    for k in keys:
        v = item.get(k)
        if v and str(v)[:4].isdigit():
            return -int(str(v)[:4])
    return 0


def _sort(out: dict[str, list[Any]]) -> None:
    out["participants"].sort(key=lambda i: (_label(i["role"]), _label(i["organisation"])))
    out["projects"].sort(key=lambda i: (_label(i["role"]),
                                        _year_desc(i, "start", "project_start", "end"),
                                        _label(i["project"])))
    out["events"].sort(key=lambda i: (_year_desc(i, "event_start"), _label(i["event"])))
    for key in ("fundings", "fundings_given"):
        out[key].sort(key=lambda i: (_year_desc(i, "year", "start", "end"), _label(i["funder"]),
                                     _label(i["project"])))
    out["results"].sort(key=lambda i: i["iri"])
    for key in ("posts", "people", "appointed"):
        out[key].sort(key=lambda i: (_year_desc(i, "start", "end"), _label(i["role"]),
                                     _label(i["person"]), _label(i["body"])))
    for key in ("memberships", "members"):
        out[key].sort(key=lambda i: (_label(i["role"]), _label(i["body"]),
                                     _label(i["organisation"])))


def relation_sections(iri: str, raw: Raw, ctx: Context) -> dict[str, list[Any]]:
    """The sections of a page, each a list of dicts (empty lists for sections that do not
    apply): participants, fundings, results (projects and events); projects, events,
    co-partners, fundings given, people, memberships, members (organisations); posts (people)."""
    out: dict[str, list[Any]] = {name: [] for name in SECTIONS}
    for node in _nodes(raw):
        types = node.types()
        if str(KFV.Participation) in types:
            _participation(node, iri, ctx, out)
        elif str(KFV.EventParticipation) in types:
            _event_participation(node, iri, ctx, out)
        elif str(KFV.Appointment) in types:
            _appointment(node, iri, ctx, out)
        elif str(KFV.OrganisationMembership) in types:
            _membership(node, iri, ctx, out)
        elif str(SCHEMA.MonetaryGrant) in types:
            _funding(node, iri, ctx, out)
        elif str(KFV.Result) in types or str(KFV.Target) in types:
            _result(node, ctx, out)
    _sort(out)
    out["copartners"] = [
        {"organisation": ctx.indexed(co), "shared": shared,
         "projects": sorted((ctx.indexed(p) for p in projects), key=_label)}
        for co, shared, projects in raw.copartners
    ]
    return out
