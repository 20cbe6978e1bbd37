"""Form state <-> triples: what a form shows for an entity, and the change a submitted form
makes (:class:`Edit`). No Flask here: the web views pass in the posted fields as a mapping
of name -> list of strings.

Field names in a posted form: ``f.<key>`` (``f.<key>.<lang>`` for texts per language),
rows of a group ``g.<group>.<n>.<key>``, ``g.<group>.<n>.iri`` (an existing row) and
``g.<group>.<n>.delete``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from rdflib import Literal, URIRef

from kg.edit.lookup import Lookup
from kg.edit.shapes import SWEDISH_TEXT, FieldSpec, FormSpec, GroupSpec
from kg.edit.values import ValueError_, parse_date, parse_decimal, parse_integer, parse_number, parse_year, slugify
from kg.i18n import Message
from kg.io.terms import Term, Triple
from kg.namespaces import DCTERMS, RDF, RDFS
from kg.store.base import Store

__all__ = [
    "Edit",
    "FormData",
    "Row",
    "entity_triples",
    "entity_version",
    "parse_posted",
    "plan_edit",
    "read_form",
]

Posted = Mapping[str, Sequence[str]]


@dataclass
class Row:
    """One relation in a group: its node (``""`` when new) and its field texts."""

    iri: str = ""
    values: dict[str, list[str]] = field(default_factory=dict)
    delete: bool = False

    def empty(self) -> bool:
        return not any(v.strip() for vs in self.values.values() for v in vs)


@dataclass
class FormData:
    """What a form holds: field texts by key (``key.lang`` for texts per language) and rows."""

    iri: str = ""
    values: dict[str, list[str]] = field(default_factory=dict)
    rows: dict[str, list[Row]] = field(default_factory=dict)


@dataclass
class Edit:
    """The change a submitted form makes, before it becomes a changeset."""

    removes: list[Triple] = field(default_factory=list)
    adds: list[Triple] = field(default_factory=list)
    iri: str = ""
    nodes: list[str] = field(default_factory=list)  # every node touched (main first)
    errors: dict[str, str] = field(default_factory=dict)  # field name -> message (a kg.i18n.Message)
    row_names: dict[str, str] = field(default_factory=dict)  # node IRI -> row prefix


# -- reading ----------------------------------------------------------------------------
def _rows_query(group: GroupSpec) -> str:
    if group.inverse:
        return f"SELECT ?e ?n ?p ?o WHERE {{ ?n <{group.link}> ?e . ?n ?p ?o }}"
    return f"SELECT ?e ?n ?p ?o WHERE {{ ?e <{group.link}> ?n . ?n ?p ?o }}"


def _triples_of(store: Store, iri: str, spec: FormSpec) -> tuple[list[Triple], dict[str, dict[str, list[Triple]]]]:
    e = URIRef(iri)
    own = [(e, p, o) for _e, p, o in store.select("SELECT ?e ?p ?o WHERE { ?e ?p ?o }", bindings={"e": e}).rows
           if isinstance(o, URIRef | Literal)]
    groups: dict[str, dict[str, list[Triple]]] = {}
    for group in spec.groups:
        nodes: dict[str, list[Triple]] = {}
        for _e, n, p, o in store.select(_rows_query(group), bindings={"e": e}).rows:
            if isinstance(n, URIRef) and isinstance(o, URIRef | Literal):
                nodes.setdefault(str(n), []).append((n, p, o))  # type: ignore[arg-type]
        groups[group.key] = dict(sorted(nodes.items()))
    return own, groups  # type: ignore[return-value]


def entity_triples(store: Store, iri: str, spec: FormSpec) -> list[Triple]:
    """The triples a form edits: the entity's own and those of its rows."""
    own, groups = _triples_of(store, iri, spec)
    return own + [t for nodes in groups.values() for ts in nodes.values() for t in ts]


def entity_version(triples: Sequence[Triple]) -> str:
    """A short hash of a set of triples: changes whenever one of them does.

    >>> entity_version([]) == entity_version([])
    True
    """
    lines = sorted(f"{s.n3()} {p.n3()} {o.n3()}" for s, p, o in triples)
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _display(term: Term, f: FieldSpec, lookup: Lookup) -> str:
    if f.widget in ("entity", "iri") and isinstance(term, URIRef):
        return lookup.display(str(term), f.classes)
    return str(term)


def _values_for(spec: FormSpec, triples: Sequence[Triple], lookup: Lookup) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in spec.fields:
        objs = [o for _s, p, o in triples if str(p) == f.path]
        if f.widget in ("lang", "longlang"):
            for o in objs:
                if isinstance(o, Literal):
                    out.setdefault(f"{f.key}.{o.language or 'sv'}", []).append(str(o))
        else:
            out[f.key] = sorted(_display(o, f, lookup) for o in objs)
    return out


def read_form(store: Store, spec: FormSpec, iri: str, lookup: Lookup) -> FormData:
    """The form of an existing entity, filled in from the store."""
    own, groups = _triples_of(store, iri, spec)
    data = FormData(iri, _values_for(spec, own, lookup))
    for group in spec.groups:
        data.rows[group.key] = [Row(n, _values_for(group.form, ts, lookup))
                                for n, ts in groups.get(group.key, {}).items()]
    return data


def parse_posted(posted: Posted, spec: FormSpec, iri: str = "") -> FormData:
    """The form as posted (see the module docstring for the field names)."""

    def fields_of(form: FormSpec, prefix: str) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        for f in form.fields:
            if f.widget in ("lang", "longlang"):
                for lang in f.langs:
                    out[f"{f.key}.{lang}"] = [v for v in posted.get(f"{prefix}{f.key}.{lang}", []) if v.strip()]
            else:
                out[f.key] = [v for v in posted.get(prefix + f.key, []) if v.strip()]
        return out

    data = FormData(iri, fields_of(spec, "f."))
    for group in spec.groups:
        rows = []
        indexes = sorted({int(k.split(".")[2]) for k in posted
                          if k.startswith(f"g.{group.key}.") and k.split(".")[2].isdigit()})
        for n in indexes:
            prefix = f"g.{group.key}.{n}."
            row = Row((posted.get(prefix + "iri") or [""])[0], fields_of(group.form, prefix),
                      bool(posted.get(prefix + "delete")))
            rows.append(row)
        data.rows[group.key] = rows
    return data


# -- planning the change ----------------------------------------------------------------
def _parse(text: str, f: FieldSpec, lookup: Lookup) -> Term:
    w = f.widget
    if w == "date":
        return parse_date(text)
    if w == "year":
        return parse_year(text)
    if w == "decimal":
        value = parse_decimal(text)
        if f.min_inclusive is not None and float(value) < f.min_inclusive:
            raise ValueError_.of("edit.err.too_small", least=f"{f.min_inclusive:g}")
        return value
    if w == "integer":
        value = parse_integer(text)
        if f.min_inclusive is not None and int(value) < f.min_inclusive:
            raise ValueError_.of("edit.err.too_small", least=f"{f.min_inclusive:g}")
        return value
    if w == "number":
        return parse_number(text)
    if w == "concept":
        if not text.startswith(("http://", "https://")):
            raise ValueError_.of("edit.err.choose")
        return URIRef(text)
    if w in ("entity", "iri"):
        return URIRef(lookup.resolve(text, f.classes))
    if f.datatype and f.datatype != str(URIRef("http://www.w3.org/2001/XMLSchema#string")):
        return Literal(text.strip(), datatype=URIRef(f.datatype))
    if f.pattern:
        import re

        if not re.search(f.pattern, text.strip()):
            raise (ValueError_(Message.given(f.messages)) if "sv" in f.messages
                   else ValueError_.of("edit.err.wrong_form", text=text))
    return Literal(text.strip(), lang="sv") if f.path in SWEDISH_TEXT else Literal(text.strip())


def _field_terms(form: FormSpec, values: dict[str, list[str]], old: Sequence[Triple], lookup: Lookup,
                 prefix: str, errors: dict[str, str]) -> dict[str, set[Term]]:
    """The wanted objects per path; texts that show an old value unchanged keep its term."""
    wanted: dict[str, set[Term]] = {}
    for f in form.fields:
        olds = [o for _s, p, o in old if str(p) == f.path]
        terms: set[Term] = set()
        if f.widget in ("lang", "longlang"):
            for lang in f.langs:
                for text in values.get(f"{f.key}.{lang}", []):
                    terms.add(Literal(text.strip(), lang=lang))
            if f.required_lang and not any(isinstance(t, Literal) and t.language == f.required_lang
                                           for t in terms):
                errors[f"{prefix}{f.key}.{f.required_lang}"] = Message("edit.err.swedish_needed")
        else:
            for text in values.get(f.key, []):
                same = [o for o in olds if _display(o, f, lookup) == text]
                if same:
                    terms.add(same[0])
                    continue
                try:
                    terms.add(_parse(text, f, lookup))
                except ValueError_ as exc:
                    errors[prefix + f.key] = exc.as_message()
            if f.required and not terms and prefix + f.key not in errors:
                errors[prefix + f.key] = Message("edit.err.required")
            if not f.multiple and len(terms) > 1:
                errors[prefix + f.key] = Message("edit.err.one_value")
        wanted[f.path] = terms
    return wanted


def _diff(node: URIRef, wanted: dict[str, set[Term]], old: Sequence[Triple], edit: Edit) -> bool:
    changed = False
    for path, terms in wanted.items():
        have = {o for _s, p, o in old if str(p) == path}
        for o in have - terms:
            edit.removes.append((node, URIRef(path), o))
            changed = True
        for o in terms - have:
            edit.adds.append((node, URIRef(path), o))
            changed = True
    return changed


class Minter:
    """New IRIs under ``<base>id/<segment>/``, unique in the store and in this edit."""

    def __init__(self, store: Store, base: str) -> None:
        self.store = store
        self.base = base
        self.taken: set[str] = set()

    def mint(self, segment: str, *parts: str) -> URIRef:
        """``<base>id/<segment>/<part>--<part>``, each part slugified, ``-2``… when taken."""
        slug = "--".join(p for p in (slugify(x) for x in parts) if p) or "ny"
        n = 1
        while True:
            iri = f"{self.base}id/{segment}/{slug}" + (f"-{n}" if n > 1 else "")
            if iri not in self.taken and not self.store.ask("ASK { { ?x ?p ?o } UNION { ?s ?p ?x } }",
                                                              bindings={"x": URIRef(iri)}):
                self.taken.add(iri)
                return URIRef(iri)
            n += 1


def _label_of(iri: str, lookup: Lookup, wanted: dict[str, set[Term]] | None = None) -> str:
    entry = lookup.index.get(iri)
    return entry.label("sv") if entry is not None else iri.rsplit("/", 1)[-1]


def _relation_label(rel: FormSpec, wanted: dict[str, set[Term]], lookup: Lookup,
                    owner_label: str) -> str:
    """A Swedish label for a relation node, from its ends and role (as the data has them)."""
    names = []
    for f in rel.fields:
        if f.widget == "entity" and f.required:
            terms = wanted.get(f.path) or set()
            names.append(owner_label if f.path == rel.owner_link else
                         ", ".join(_label_of(str(t), lookup) for t in sorted(terms, key=str)))
    role = next((f for f in rel.fields if f.widget == "concept" and f.required), None)
    role_text = ""
    if role is not None and wanted.get(role.path):
        role_text = _label_of(str(sorted(wanted[role.path], key=str)[0]), lookup).lower()
    name = rel.field("http://schema.org/name") or rel.field("https://schema.org/name")
    if name is not None and wanted.get(name.path):
        return str(sorted(wanted[name.path], key=str)[0])
    if rel.key == "finansiering" and len(names) >= 2:
        return f"Finansiering från {names[0]} till {names[1]}"
    if len(names) >= 2:
        member, body = names[:2]
        return f"{member} – {role_text} i {body}" if role_text else f"{member} i {body}"
    return f"{rel.label.get('sv', rel.key)}: {owner_label}"


def plan_edit(store: Store, spec: FormSpec, posted: FormData, lookup: Lookup, minter: Minter,
              source: URIRef | None) -> Edit:
    """The triples to remove and add so that the entity (and its rows) look like ``posted``.

    Types, the extra types of the shape, derived labels of relations and ``dcterms:source``
    (on every node that changes) are added here. Field errors go to ``Edit.errors`` by field
    name; the caller shows them and saves nothing.
    """
    edit = Edit()
    new = not posted.iri
    own: list[Triple] = []
    groups: dict[str, dict[str, list[Triple]]] = {}
    if not new:
        own, groups = _triples_of(store, posted.iri, spec)
    wanted = _field_terms(spec, posted.values, own, lookup, "f.", edit.errors)
    name_f = spec.name_field
    name_text = ""
    if name_f is not None:
        sv = [t for t in wanted.get(name_f.path, set()) if isinstance(t, Literal)]
        name_text = str(sorted(sv, key=lambda t: (t.language != "sv", str(t)))[0]) if sv else ""
    if new:
        node = minter.mint(spec.key, name_text or spec.key)
        edit.adds.append((node, RDF.type, URIRef(spec.cls)))
        edit.adds += [(node, RDF.type, URIRef(t)) for t in spec.extra_types]
    else:
        node = URIRef(posted.iri)
    if spec.hidden_name and name_text:
        wanted[spec.hidden_name] = {Literal(name_text, lang="sv")}
    edit.iri = str(node)
    changed = _diff(node, wanted, own, edit) or new
    if changed:
        edit.nodes.append(str(node))
    owner_label = name_text or _label_of(str(node), lookup)
    for group in spec.groups:
        old_rows = groups.get(group.key, {})
        for n, row in enumerate(posted.rows.get(group.key, [])):
            prefix = f"g.{group.key}.{n}."
            _plan_row(group, row, old_rows, node, owner_label, lookup, minter, prefix, edit)
    if source is not None:
        everything = own + [t for nodes in groups.values() for ts in nodes.values() for t in ts]
        had = {str(t[0]) for t in everything if t[1] == DCTERMS.source and t[2] == source}
        for touched in edit.nodes:
            if touched not in had:
                edit.adds.append((URIRef(touched), DCTERMS.source, source))
    if not edit.nodes and not edit.errors:
        edit.errors["form"] = Message("edit.err.nothing_changed")
    return edit


def _blank(form: FormSpec, row: Row) -> bool:
    """A new row with nothing typed in (a prefilled fixed value, such as the currency, does not count)."""
    for f in form.fields:
        fixed = f.pattern[1:-1] if f.pattern.startswith("^") and f.pattern.endswith("$") else None
        keys = [k for k in row.values if k == f.key or k.startswith(f.key + ".")]
        if any(v.strip() and v.strip() != fixed for k in keys for v in row.values[k]):
            return False
    return True


def _plan_row(group: GroupSpec, row: Row, old_rows: dict[str, list[Triple]], owner: URIRef,
              owner_label: str, lookup: Lookup, minter: Minter, prefix: str, edit: Edit) -> None:
    rel = group.form
    link = URIRef(group.link)
    if row.iri and row.iri not in old_rows:
        edit.errors[prefix + "iri"] = Message("edit.err.row_gone")
        return
    old = old_rows.get(row.iri, [])
    if row.iri and row.delete:
        node = URIRef(row.iri)
        edit.removes += old
        if not group.inverse:
            edit.removes.append((owner, link, node))
        edit.nodes.append(row.iri)
        return
    if not row.iri and (row.delete or _blank(rel, row)):
        return
    values = dict(row.values)
    owner_field = rel.field(group.link) if group.inverse else None
    if owner_field is not None:
        values[owner_field.key] = []  # the owner is implied
    wanted = _field_terms(rel, values, old, lookup, prefix, edit.errors)
    if owner_field is not None:
        edit.errors.pop(prefix + owner_field.key, None)
        wanted[group.link] = {owner}
    if row.iri:
        node = URIRef(row.iri)
    else:
        others = []
        for f in rel.links:
            terms = sorted(wanted.get(f.path) or set(), key=str)
            if f.path != group.link and terms:
                others.append(str(terms[0]).rsplit("/", 1)[-1])
        parts = [owner.rsplit("/", 1)[-1], *[o for o in others if o]][:2]
        if rel.key == "resultat":
            parts = [owner.rsplit("/", 1)[-1], "1"]
        node = minter.mint(rel.key, *parts)
        edit.adds.append((node, RDF.type, URIRef(rel.cls)))
        edit.adds += [(node, RDF.type, URIRef(t)) for t in rel.extra_types]
        if not group.inverse:
            edit.adds.append((owner, link, node))
    changed = _diff(node, wanted, old, edit) or not row.iri
    label_field = rel.name_field
    if changed and (label_field is None or label_field.path != str(RDFS.label)):
        label = Literal(_relation_label(rel, wanted, lookup, owner_label), lang="sv")
        _diff(node, {str(RDFS.label): {label}}, old, edit)
    if changed:
        edit.nodes.append(str(node))
        edit.row_names[str(node)] = prefix
