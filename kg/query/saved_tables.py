"""A saved query's result as a table for people: the columns its header declares (titles in
Swedish and English), names instead of IRIs, lists split and sorted, Swedish order.

The result becomes a :class:`kg.query.tables.model.Table`, the same model the list tables
use, so the page, the Excel file and the CSV (:mod:`kg.export.tables`) are written the same
way as theirs. What changes from the raw result:

- a column with ``label=`` shows its entity by that name (the name column is not repeated);
  other IRIs by their label (from ``labels``), the IRI itself only when it has no name;
- ``list`` columns (names joined by ``GROUP_CONCAT``) are split, deduplicated, sorted in
  Swedish order, and each name becomes a link when exactly one entity has it (``names``);
- columns of parameters the user has set are left out (the value is in the form, the file
  name and the download's source note);
- rows are put in the query's ``ORDER BY`` with Swedish collation for texts (the engines
  compare code points: "eSamverkan" after "TEO", "Örnsköldsvik" before "Ånge").

>>> from rdflib import Literal, URIRef
>>> from kg.query.catalog import load_catalog
>>> from kg.store.base import SelectResult
>>> q = load_catalog().get("samarbetspartner")
>>> res = SelectResult(["organisation", "partner", "partnernamn", "antal_projekt",
...                     "projekt_lista"],
...   [(URIRef("https://data.kfvn.se/id/organisation/a"), URIRef("https://data.kfvn.se/id/x"),
...     Literal("Örebro"), Literal(2), Literal("TEO; eSamverkan"))])
>>> t = saved_table(q, res, bound={"organisation"})
>>> [c.title("sv") for c in t.columns]
['Partner', 'Gemensamma projekt', 'Projekten']
>>> t.rows[0]["partner"], t.rows[0]["projekt_lista"]
(Ref(iri='https://data.kfvn.se/id/x', label='Örebro'), ['eSamverkan', 'TEO'])
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Literal, URIRef

from kg.cache import per_version
from kg.i18n import translate
from kg.query.collation import sort_key
from kg.query.columns import ColumnSpec
from kg.query.tables.model import Column, Ref, Table
from kg.store.base import Store

if TYPE_CHECKING:
    from kg.query.catalog import SavedQuery
    from kg.store.base import SelectResult, Term

__all__ = ["LIST_SEPARATOR", "concept_names", "datatype_of", "saved_table", "shown_columns", "swedish_order"]

#: How library queries join several names in one cell (``GROUP_CONCAT ... separator``).
LIST_SEPARATOR = "; "
_XSD = "http://www.w3.org/2001/XMLSchema#"
_NUMERIC = {_XSD + n for n in ("integer", "decimal", "double", "float", "int", "long",
                               "short", "nonNegativeInteger", "positiveInteger")}
_MODEL_KIND = {"entity": "entity", "list": "entities", "text": "text", "number": "number",
               "amount": "amount", "year": "year", "date": "date"}
_WIDTH = {"entity": 36, "list": 44, "text": 28, "number": 12, "amount": 14, "year": 8,
          "date": 12}


def datatype_of(values: Sequence[Term | None]) -> str:
    """What a column holds, for developers: ``IRI``, ``xsd:gYear``, ``@sv``, ``text``.

    >>> datatype_of([None, Literal("2016", datatype=URIRef(_XSD + "gYear"))])
    'xsd:gYear'
    """
    for v in values:
        if v is None:
            continue
        if isinstance(v, URIRef):
            return "IRI"
        if isinstance(v, BNode):
            return "blank node"
        if isinstance(v, Literal):
            if v.language:
                return f"@{v.language}"
            if v.datatype:
                dt = str(v.datatype)
                return "xsd:" + dt[len(_XSD):] if dt.startswith(_XSD) else f"<{dt}>"
            return "xsd:string"
    return ""


def _inferred(values: Sequence[Term | None]) -> str:
    for v in values:
        if v is None:
            continue
        if isinstance(v, URIRef):
            return "entity"
        if isinstance(v, Literal) and v.datatype:
            dt = str(v.datatype)
            if dt in _NUMERIC:
                return "number"
            if dt in (_XSD + "date", _XSD + "dateTime"):
                return "date"
            if dt == _XSD + "gYear":
                return "year"
        return "text"
    return "text"


def shown_columns(query: SavedQuery, variables: Sequence[str],
                  bound: Collection[str] = ()) -> list[str]:
    """The result columns people see: declared columns first (in header order), then any
    undeclared ones, without name columns (``label=``) and parameters that are set."""
    hidden = set(query.label_columns) | {p.name for p in query.params if p.name in bound}
    declared = [c.name for c in query.columns if c.name in variables]
    rest = [v for v in variables if v not in declared]
    return [v for v in declared + rest if v not in hidden]


#: Words the library's queries write themselves (``BIND(... "saknar år i källan")``), by
#: catalogue key: shown in the page's language.
_PHRASES = {"saknar år i källan": "tables.no_year", "cirka": "tables.approximate",
            "minst": "tables.at_least"}

_Q_CONCEPTS = """
SELECT DISTINCT ?c ?sv ?other WHERE {
  ?c a skos:Concept ; skos:prefLabel ?sv , ?other .
  FILTER(lang(?sv) = "sv" && lang(?other) = ?lang && STR(?sv) != STR(?other))
}"""


def concept_names(store: Store, lang: str) -> dict[str, str]:
    """A SKOS concept's Swedish label → its label in ``lang`` (``skos:prefLabel``), for the
    concept values a saved query returns as Swedish text (status "beviljad" → "granted");
    a Swedish label two concepts share with different translations is left out."""
    if lang == "sv":
        return {}

    def compute() -> dict[str, str]:
        sparql = _Q_CONCEPTS.replace("?lang", '"' + lang.replace('"', "") + '"')
        found: dict[str, set[str]] = {}
        for _c, sv, other in store.select(sparql).rows:
            found.setdefault(str(sv), set()).add(str(other))
        return {sv: next(iter(o)) for sv, o in found.items() if len(o) == 1}

    result: dict[str, str] = per_version(store, "saved-tables:concepts", compute, params=lang)
    return result


def _in_lang(text: str, t: Term, lang: str, concepts: Mapping[str, str]) -> str:
    """A Swedish value in ``lang``: a concept's label or one of the queries' own words."""
    if lang == "sv" or not isinstance(t, Literal) or t.language not in (None, "sv"):
        return text
    if t.language == "sv" and text in concepts:
        return concepts[text]
    key = _PHRASES.get(text)
    return translate(key, lang) if key else text


def _number(t: Literal) -> int | Decimal | None:
    try:
        value = Decimal(str(t))
    except InvalidOperation:
        return None
    return int(value) if value == value.to_integral_value() else value


def _value(t: Term | None, kind: str, name: Term | None, labels: Mapping[str, str],
           names: Callable[[str], str | None], lang: str = "sv",
           concepts: Mapping[str, str] | None = None) -> Any:
    if t is None:
        return None
    if isinstance(t, URIRef):
        iri = str(t)
        label = str(name) if isinstance(name, Literal) and str(name) else (
            labels.get(iri) or iri)
        return Ref(iri, label)
    if isinstance(t, BNode):
        return f"_:{t}"
    text = str(t)
    if kind == "list":
        parts = {p.strip() for p in text.split(LIST_SEPARATOR.strip()) if p.strip()}
        out: list[Any] = []
        for part in sorted(parts, key=sort_key):
            found = names(part)
            out.append(Ref(found, part) if found else part)
        return out
    if kind == "entity":
        return text
    if kind in ("number", "amount"):
        return _number(t) if isinstance(t, Literal) else text
    if kind == "year":
        head = text[:4]
        return int(head) if head.isdigit() and (len(text) == 4 or not text[4:5].isdigit()) \
            else text
    return _in_lang(text, t, lang, concepts or {})


def saved_table(
    query: SavedQuery,
    result: SelectResult,
    *,
    lang: str = "sv",
    labels: Mapping[str, str] | None = None,
    names: Callable[[str], str | None] | None = None,
    bound: Collection[str] = (),
    concepts: Mapping[str, str] | None = None,
) -> Table:
    """The result of ``query`` as a table for people (see the module).

    Args:
        labels: IRI → name, for IRIs whose name the query does not give.
        names: a name → the IRI of the one entity with that name (None: no link).
        bound: the parameters the user set (their columns are left out).
        concepts: a concept's Swedish label → its label in ``lang`` (:func:`concept_names`).
    """
    labels = labels or {}
    lookup = names or (lambda _text: None)
    variables = list(result.variables)
    index = {v: i for i, v in enumerate(variables)}
    keys = shown_columns(query, variables, bound)
    specs: dict[str, ColumnSpec] = {}
    columns: list[Column] = []
    for key in keys:
        spec = query.column(key) or ColumnSpec(key, key, key)
        values = [row[index[key]] for row in result.rows]
        kind = spec.kind or _inferred(values)
        specs[key] = ColumnSpec(spec.name, spec.sv, spec.en, kind, spec.label, spec.hint_sv,
                                spec.hint_en, spec.width)
        columns.append(Column(key, spec.sv, spec.en or spec.sv, _MODEL_KIND[kind],
                              spec.width or _WIDTH[kind], spec.hint_sv, spec.hint_en))
    rows: list[dict[str, Any]] = []
    for raw in swedish_order(query, result):
        row: dict[str, Any] = {}
        for key in keys:
            spec = specs[key]
            name = raw[index[spec.label]] if spec.label in index else None
            row[key] = _value(raw[index[key]], spec.kind, name, labels, lookup, lang,
                              concepts)
        rows.append(row)
    return Table(query.name, query.title_sv, query.title_en, columns, rows, lang=lang)


def _term_key(t: Term | None) -> tuple[int, int, Any]:
    """SPARQL's order of terms (unbound, blank, IRI, literal), texts in Swedish order."""
    if t is None:
        return (0, 0, 0)
    if isinstance(t, BNode):
        return (1, 0, str(t))
    if isinstance(t, URIRef):
        return (2, 0, str(t))
    if isinstance(t, Literal) and t.datatype and str(t.datatype) in _NUMERIC:
        number = _number(t)
        if number is not None:
            return (3, 0, number)
    return (3, 1, sort_key(str(t)))


def swedish_order(query: SavedQuery, result: SelectResult) -> list[tuple[Term | None, ...]]:
    """The rows in the query's ``ORDER BY``, texts compared in Swedish order; the engine's
    order when the query orders by an expression or a variable it does not project."""
    terms = query.order_by()
    rows = list(result.rows)
    if not terms or any(v not in result.variables for v, _ in terms):
        return rows
    index = {v: i for i, v in enumerate(result.variables)}
    for var, descending in reversed(terms):
        i = index[var]
        rows.sort(key=lambda r, i=i: _term_key(r[i]), reverse=descending)  # type: ignore[misc]
    return rows

