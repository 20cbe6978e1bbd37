"""Form descriptions read from the SHACL shapes (``ontology/shapes.ttl``), once.

Every node shape with a ``sh:targetClass`` becomes a :class:`FormSpec`: one
:class:`FieldSpec` per property path (property shapes on the same path are merged), with
its Swedish and English name, whether it is required or repeatable, and the kind of input
it needs, all taken from the constraints:

==========================================  =====================================
constraint                                  input (``FieldSpec.widget``)
==========================================  =====================================
``sh:datatype rdf:langString``              one text per language (``lang``)
``sh:node`` a date shape (``sh:or`` dates)  ``date`` (year, year-month or day)
``sh:node`` a number shape                  ``number``
``sh:datatype xsd:gYear/decimal/integer``   ``year``, ``decimal``, ``integer``
``sh:node`` a shape with ``skos:inScheme``  ``concept`` (a list from that scheme)
``sh:class`` / ``sh:or`` of classes         ``entity`` (type-ahead of those classes)
``sh:nodeKind sh:IRI``                      ``iri``
anything else                               ``text``
==========================================  =====================================

``rdf:type`` with ``sh:hasValue`` gives the extra types a new node gets; ``dcterms:source``
is the form's source section, not a field. Classes whose shape has no name field
(participations, fundings, posts, results) are *relations*: they are edited inside the form
of the entity that owns them (:class:`GroupSpec`) and on their own page. So a change in the
shapes (a new class, a new property) shows up in the forms without code.

>>> forms = load_forms(Path("ontology/shapes.ttl"))
>>> project = forms.by_key["projekt"]
>>> [f.widget for f in project.fields if f.path.endswith("#status")], project.label["sv"]
(['concept'], 'Projekt')
>>> [g.form.key for g in project.groups]
['deltagande', 'finansiering', 'mal', 'resultat']
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from rdflib import BNode, Graph, Literal, URIRef
from rdflib.collection import Collection
from rdflib.term import Node

from kg.errors import LoadError
from kg.namespaces import DCTERMS, FOAF, KFV, ORG, RDF, RDFS, SCHEMA, SH, SKOS, XSD

__all__ = ["FieldSpec", "FormCatalog", "FormSpec", "GroupSpec", "load_forms"]

#: Classes that are not edited in forms (vocabularies, sources, the dataset description).
NOT_EDITED = {str(SKOS.Concept), str(SKOS.ConceptScheme), "http://www.w3.org/ns/prov#Entity",
              str(FOAF.Document), "http://www.w3.org/ns/dcat#Dataset",
              "http://www.w3.org/ns/dcat#Distribution"}
#: Paths that are not form fields: the type, the source section, back-links from news.
NOT_FIELDS = {str(RDF.type), str(DCTERMS.source), str(SCHEMA.subjectOf)}
#: The URL segment (``/id/<segment>/...``) and IRI pattern of each class, where the data
#: has one; a class not listed gets the slug of its Swedish name.
SEGMENTS = {str(SCHEMA.Project): "projekt", str(ORG.Organization): "organisation",
            str(FOAF.Person): "person", str(KFV.Participation): "deltagande",
            str(SCHEMA.MonetaryGrant): "finansiering", str(KFV.Appointment): "uppdrag",
            str(KFV.OrganisationMembership): "medlemskap", str(KFV.Result): "resultat",
            str(SCHEMA.Place): "plats", str(SCHEMA.NewsArticle): "nyhet",
            str(SCHEMA.Event): "evenemang", str(SCHEMA.EventSeries): "evenemang",
            str(KFV.EventParticipation): "deltagande", str(KFV.Programme): "program",
            str(KFV.Plan): "plan", str(KFV.Decision): "beslut", str(SCHEMA.Report): "rapport",
            str(ORG.ChangeEvent): "forandring", str(KFV.Target): "mal"}
#: The link from a relation to the entity that owns it (its IRI starts with the owner's
#: slug, see docs/modelling.md); otherwise the first required link is taken.
OWNER_LINKS = {str(KFV.Participation): str(ORG.organization),
               str(KFV.EventParticipation): str(KFV.event),
               str(SCHEMA.MonetaryGrant): str(SCHEMA.fundedItem),
               str(KFV.Appointment): str(ORG.member),
               str(KFV.OrganisationMembership): str(ORG.member)}
#: Text written in Swedish when no language is chosen in the form.
SWEDISH_TEXT = {str(SCHEMA.name), str(SCHEMA.headline), str(SCHEMA.jobTitle), str(RDFS.label)}
#: Name fields, in order of preference: the first one a form has is its name.
NAME_PATHS = (str(RDFS.label), str(FOAF.name), str(SCHEMA.name), str(SCHEMA.headline))
_DATES = {str(XSD.date), str(XSD.gYearMonth), str(XSD.gYear)}
_NUMBERS = {str(XSD.integer), str(XSD.decimal), str(XSD.double)}


@dataclass(frozen=True)
class FieldSpec:
    """One input of a form: a property path and how to ask for its values."""

    key: str
    path: str
    label: dict[str, str]
    widget: str
    required: bool = False
    multiple: bool = True
    langs: tuple[str, ...] = ()
    required_lang: str = ""
    datatype: str = ""
    classes: tuple[str, ...] = ()
    scheme: str = ""
    pattern: str = ""
    min_inclusive: float | None = None
    messages: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class GroupSpec:
    """Relations edited inside an owner's form: rows of ``form``, tied to the owner by
    ``link`` (``inverse``: the row points to the owner, else the owner points to the row)."""

    key: str
    form: FormSpec
    link: str
    inverse: bool
    label: dict[str, str]


@dataclass
class FormSpec:
    """The form for one class."""

    cls: str
    key: str
    label: dict[str, str]
    fields: list[FieldSpec]
    extra_types: tuple[str, ...] = ()
    relation: bool = False
    owner_link: str = ""
    groups: list[GroupSpec] = field(default_factory=list)
    hidden_name: str = ""  # rdfs:label mirrored from this path (persons: foaf:name)

    def field(self, path: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.path == path), None)

    @property
    def name_field(self) -> FieldSpec | None:
        """The field that names an entity of this class (its label), if any."""
        for path in NAME_PATHS:
            f = self.field(path)
            if f is not None and path != self.hidden_name:
                return f
        return None

    @property
    def links(self) -> list[FieldSpec]:
        """The entity-reference fields that are required and single (a relation's ends)."""
        return [f for f in self.fields if f.widget == "entity" and f.required and not f.multiple]


@dataclass
class FormCatalog:
    """Every form, by class IRI and by key (the URL segment)."""

    by_class: dict[str, FormSpec]
    by_key: dict[str, FormSpec]

    def for_types(self, types: Iterable[str]) -> FormSpec | None:
        """The form for an entity with these types (the first class with a form)."""
        for t in sorted(types, key=lambda c: (c not in self.by_class, self.by_class[c].relation
                                               if c in self.by_class else True, c)):
            if t in self.by_class:
                return self.by_class[t]
        return None

    @property
    def top(self) -> list[FormSpec]:
        """Forms of the kinds of entity that can be created on their own."""
        return [f for f in self.by_class.values() if not f.relation]


def _key(path: str) -> str:
    local = re.split(r"[#/]", path.rstrip("/#"))[-1]
    return re.sub(r"[^A-Za-z0-9]+", "_", local).strip("_").lower() or "f"


def _texts(g: Graph, node: Node, pred: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in g.objects(node, pred):
        if isinstance(o, Literal):
            out.setdefault(o.language or "sv", str(o))
    return out


def _list(g: Graph, node: Node | None) -> list[Node]:
    return list(Collection(g, node)) if isinstance(node, BNode | URIRef) else []


def _scheme_of(g: Graph, shape: Node) -> str:
    for prop in g.objects(shape, SH.property):
        if g.value(prop, SH.path) == SKOS.inScheme and g.value(prop, SH.hasValue) is not None:
            return str(g.value(prop, SH.hasValue))
    return ""


def _node_kind(g: Graph, shape: Node) -> str:
    """What a referenced node shape asks for: 'date', 'number', 'concept' or ''."""
    if _scheme_of(g, shape):
        return "concept"
    types = {str(g.value(alt, SH.datatype)) for alt in _list(g, g.value(shape, SH["or"]))}
    if types and types <= _DATES:
        return "date"
    if types and types <= _NUMBERS:
        return "number"
    return ""


def _int(node: Node | None) -> int:
    return int(str(node)) if isinstance(node, Literal) else 0


def _merge(g: Graph, props: list[Node], path: str) -> FieldSpec:
    label: dict[str, str] = {}
    messages: dict[str, str] = {}
    required = False
    multiple = True
    langs: list[str] = []
    required_lang = ""
    widget = ""
    datatype = ""
    classes: list[str] = []
    scheme = ""
    pattern = ""
    min_incl: float | None = None
    for prop in props:
        names = _texts(g, prop, SH.name)
        qualified = g.value(prop, SH.qualifiedValueShape)
        if qualified is not None:
            lang_in = [str(x) for x in _list(g, g.value(qualified, SH.languageIn))]
            if lang_in and _int(g.value(prop, SH.qualifiedMinCount)) >= 1:
                required_lang = lang_in[0]
                required = True
            continue
        label = names or label
        for lang, text in _texts(g, prop, SH.message).items():
            messages.setdefault(lang, text)
        if _int(g.value(prop, SH.minCount)) >= 1:
            required = True
        if g.value(prop, SH.maxCount) is not None and _int(g.value(prop, SH.maxCount)) <= 1:
            multiple = False
        dt = g.value(prop, SH.datatype)
        if dt == RDF.langString:
            widget, langs = "lang", ["sv", "en"]
        elif dt is not None:
            datatype = str(dt)
            widget = {str(XSD.gYear): "year", str(XSD.decimal): "decimal",
                      str(XSD.integer): "integer"}.get(datatype, "text")
        node = g.value(prop, SH.node)
        if node is not None:
            widget = _node_kind(g, node) or widget
            scheme = _scheme_of(g, node) or scheme
        cls = g.value(prop, SH["class"])
        if cls is not None:
            classes.append(str(cls))
            widget = "entity"
        for alt in _list(g, g.value(prop, SH["or"])):
            alt_cls = g.value(alt, SH["class"])
            if alt_cls is not None:
                classes.append(str(alt_cls))
                widget = "entity"
        if g.value(prop, SH.nodeKind) == SH.IRI and not widget:
            widget = "iri"
        if g.value(prop, SH.pattern) is not None:
            pattern = str(g.value(prop, SH.pattern))
        if g.value(prop, SH.minInclusive) is not None:
            min_incl = float(g.value(prop, SH.minInclusive))  # type: ignore[arg-type]
    if required_lang and not widget:
        widget, langs = "lang", ["sv", "en"]
    if path == str(SCHEMA.description) and widget == "lang":
        widget = "longlang"
    return FieldSpec(
        key=_key(path), path=path, label=label or {"sv": _key(path), "en": _key(path)},
        widget=widget or "text", required=required, multiple=multiple, langs=tuple(langs),
        required_lang=required_lang if widget == "lang" or required_lang else "",
        datatype=datatype, classes=tuple(dict.fromkeys(classes)), scheme=scheme,
        pattern=pattern, min_inclusive=min_incl, messages=messages,
    )


def _form(g: Graph, shape: Node, cls: str) -> FormSpec:
    by_path: dict[str, list[Node]] = {}
    extra: list[str] = []
    for prop in g.objects(shape, SH.property):
        path = g.value(prop, SH.path)
        if not isinstance(path, URIRef):
            continue
        if path == RDF.type and g.value(prop, SH.hasValue) is not None:
            extra.append(str(g.value(prop, SH.hasValue)))
        if str(path) in NOT_FIELDS:
            continue
        by_path.setdefault(str(path), []).append(prop)
    fields = [_merge(g, props, path) for path, props in by_path.items()]
    order = {p: i for i, p in enumerate(NAME_PATHS)}
    fields.sort(key=lambda f: order.get(f.path, len(order)))  # names first, then shape order
    label = _texts(g, shape, SH.name) or {"sv": _key(cls), "en": _key(cls)}
    form = FormSpec(cls=cls, key=SEGMENTS.get(cls) or _slug(label.get("sv", _key(cls))),
                    label=label, fields=fields, extra_types=tuple(extra))
    names = {f.path for f in fields} & set(NAME_PATHS)
    if str(RDFS.label) in names and str(FOAF.name) in names:
        form.hidden_name = str(RDFS.label)
        form.fields = [f for f in fields if f.path != str(RDFS.label)]
    form.relation = not (names - {str(SCHEMA.name)}) and (
        bool(form.links) or any(f.required for f in fields))
    if form.relation:
        links = form.links
        wanted = OWNER_LINKS.get(cls)
        owner = next((f for f in links if f.path == wanted), links[0] if links else None)
        form.owner_link = owner.path if owner else ""
    return form


def _slug(text: str) -> str:
    from kg.edit.values import slugify

    return slugify(text)


def _attach_groups(forms: dict[str, FormSpec]) -> None:
    for owner in forms.values():
        if owner.relation:
            continue
        for rel in forms.values():
            if not rel.relation:
                continue
            link = rel.field(rel.owner_link) if rel.owner_link else None
            if link is not None and owner.cls in link.classes and link.classes[0] == owner.cls:
                owner.groups.append(GroupSpec(rel.key, rel, link.path, True, rel.label))
        for f in list(owner.fields):
            target = forms.get(f.classes[0]) if f.widget == "entity" and f.classes else None
            if target is not None and target.relation and not target.owner_link:
                owner.groups.append(GroupSpec(target.key, target, f.path, False, target.label))
                owner.fields.remove(f)


def load_forms(shapes: Path) -> FormCatalog:
    """Read the shapes file into forms (cached per file and modification time).

    Raises:
        LoadError: the shapes file is missing or does not parse.
    """
    try:
        stamp = shapes.stat().st_mtime_ns
    except OSError as exc:
        raise LoadError(shapes, f"cannot read the shapes: {exc}") from exc
    return _load(str(shapes), stamp)


@lru_cache(maxsize=4)
def _load(path: str, _stamp: int) -> FormCatalog:
    g = Graph()
    try:
        g.parse(path, format="turtle")
    except Exception as exc:  # rdflib raises many kinds; all mean a bad file
        raise LoadError(Path(path), f"cannot parse the shapes: {exc}") from exc
    forms: dict[str, FormSpec] = {}
    for shape, cls in sorted(g.subject_objects(SH.targetClass), key=lambda so: str(so[1])):
        if str(cls) in NOT_EDITED or not isinstance(cls, URIRef):
            continue
        forms[str(cls)] = _form(g, shape, str(cls))
    _attach_groups(forms)
    return FormCatalog(forms, {f.key: f for f in forms.values()})
