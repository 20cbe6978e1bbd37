"""The query library: named, documented, parameterised SPARQL queries kept as ``.rq`` files.

Each file in ``kg/query/library/`` is one query. Its metadata sits in a comment header at
the top, one ``#+ key: value`` line each (the decorator style of grlc), so that the file
stays a valid SPARQL query that any tool can run::

    #+ title_sv: Projekt per finansiär och period
    #+ title_en: Projects by funder and period
    #+ description_sv: Beviljad och sökt finansiering med belopp, ...
    #+ description_en: Granted and applied-for funding with amounts, ...
    #+ param: funder | iri | optional | choices=funders | label_sv=Finansiär | label_en=Funder
    #+ param: from | year | optional | hide | label_sv=Från år | label_en=From year
    #+ tags: finansiering, projekt
    #+ order: 10
    #+ column: projekt | Projekt | Project | label=projektnamn
    #+ column: belopp | Belopp (kr) | Amount (SEK) | kind=amount

A key given on several lines is joined with spaces (long descriptions). A ``param`` line is
``name | type`` followed by options: ``optional`` (may be left empty: the variable stays
unbound), ``hide`` (a parameter-only column, dropped from the result), ``default=VALUE``,
``choices=LIST`` (a list from :data:`CHOICES`, filled from the graph), ``label_sv=``,
``label_en=``. Types: ``iri`` (full IRI or CURIE with a known prefix), ``string``,
``integer``, ``year`` (bound as ``xsd:integer``) and ``date`` (``xsd:date``).

``tags``: comma-separated; the library page groups queries by their first tag. ``order``: a
whole number, lower first (the queries staff use most get the lowest), default 100.
``column``: a result column's titles for people (:mod:`kg.query.columns`). ``keep``: why the
result with default parameters is kept per data version and warmed when the data changes
(a whole-graph report too slow for a visitor to wait for at 1 M triples); free text.

Parameters are bound as a ``VALUES`` block at the top of the outer ``WHERE``
(:meth:`SavedQuery.bound_text`), written from validated terms: Oxigraph plans with the
values (a substituted value is only applied after every match of its pattern has been read).
Every engine gives the same answers when the library follows three rules, checked when the
catalog loads or by the tests: every query is a ``SELECT``; every parameter variable is in its projection
(Oxigraph requires it); parameters are used only in the top-level group, never inside a
subquery or ``BOUND()`` (write ``COALESCE(?x >= ?from, STR(?from) = "", true)`` for an
optional bound instead).

>>> cat = load_catalog()
>>> len(cat) >= 15
True
>>> q = cat.get("projektets-partner")
>>> q.params[0].name, q.params[0].type
('projekt', 'iri')
>>> q.bind({"projekt": "projekt:esamverkan"})["projekt"]
rdflib.term.URIRef('https://data.kfvn.se/id/projekt/esamverkan')
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from kg.errors import LoadError, NotFoundError, QueryError
from kg.io.sparqltext import mask_sparql
from kg.io.terms import is_iri
from kg.namespaces import PREFIXES
from kg.query.columns import ColumnSpec, order_by, parse_column

if TYPE_CHECKING:
    from kg.store.base import QueryResult, SelectResult, Store

__all__ = [
    "CHOICES",
    "PARAM_TYPES",
    "Catalog",
    "Param",
    "ParameterError",
    "SavedQuery",
    "load_catalog",
    "parse_iri",
]

log = logging.getLogger(__name__)

LIBRARY_DIR = Path(__file__).resolve().parent / "library"
PARAM_TYPES = ("iri", "string", "integer", "year", "date")
_HEADER = re.compile(r"^#\+\s*([A-Za-z_]+)\s*:\s?(.*)$")
_TEXT_KEYS = {"title_sv", "title_en", "description_sv", "description_en", "tags", "keep"}
_CURIE = re.compile(r"^([A-Za-z][\w.-]*)?:([^\s]*)$")


class ParameterError(QueryError):
    """A parameter value is missing, unknown or not of its type (a 400 on the web)."""


def parse_iri(value: str) -> URIRef:
    """An IRI from a full IRI or a CURIE with a known prefix, checked for unsafe characters.

    >>> parse_iri("organisation:skolverket")
    rdflib.term.URIRef('https://data.kfvn.se/id/organisation/skolverket')
    >>> parse_iri("<https://schema.org/Project>")
    rdflib.term.URIRef('https://schema.org/Project')
    >>> parse_iri("https://x.org/a> } #")
    Traceback (most recent call last):
    ...
    kg.query.catalog.ParameterError: inte en giltig IRI: 'https://x.org/a> } #'

    Raises:
        ParameterError: spaces, ``< > " { } | \\ ^ `` characters, or no scheme/prefix.
    """
    text = value.strip()
    if text.startswith("<") and text.endswith(">"):
        text = text[1:-1]
    m = _CURIE.match(text)
    if m and (m.group(1) or "") in PREFIXES and not text.startswith(("http:", "https:", "urn:")):
        text = PREFIXES[m.group(1) or ""] + m.group(2)
    if not is_iri(text):
        raise ParameterError.of("error.query.iri", value=value)
    return URIRef(text)


def _convert(kind: str, raw: str, name: str) -> Node:
    """A raw text value as an rdflib term of the parameter's type."""
    text = raw.strip()
    try:
        if kind == "iri":
            return parse_iri(text)
        if kind == "integer":
            return Literal(int(text), datatype=XSD.integer)
        if kind == "year":
            year = int(text)
            if not 1000 <= year <= 2999:
                raise ValueError(text)
            return Literal(year, datatype=XSD.integer)
        if kind == "date":
            return Literal(dt.date.fromisoformat(text), datatype=XSD.date)
    except ValueError as exc:
        raise ParameterError.of(f"error.query.bad_{kind}", name=name, value=raw) from exc
    return Literal(raw)


@dataclass(frozen=True)
class Param:
    """One parameter of a saved query."""

    name: str
    type: str
    optional: bool = False
    hide: bool = False
    default: str | None = None
    choices: str | None = None
    label_sv: str = ""
    label_en: str = ""

    def label(self, lang: str = "sv") -> str:
        """The parameter's label in ``lang`` (falls back to the other language, the name)."""
        first, second = (self.label_en, self.label_sv) if lang == "en" else (
            self.label_sv, self.label_en)
        return first or second or self.name

    def convert(self, raw: str | Node) -> Node:
        """A value (text, or already an rdflib term) as a term of this parameter's type.

        Raises:
            ParameterError: the value is not of the type.
        """
        if isinstance(raw, Node):
            return raw
        return _convert(self.type, raw, self.name)

    def options(self, store: Store, lang: str = "sv") -> list[tuple[str, str]]:
        """The values to choose from, as (value, label), sorted by label; empty without
        a ``choices`` list."""
        if not self.choices:
            return []
        return choice_options(store, self.choices, lang)


@dataclass(frozen=True)
class SavedQuery:
    """A named, documented, parameterised query of the library."""

    name: str
    path: Path
    text: str
    title_sv: str
    title_en: str
    description_sv: str
    description_en: str
    params: tuple[Param, ...] = ()
    tags: tuple[str, ...] = field(default_factory=tuple)
    columns: tuple[ColumnSpec, ...] = ()
    order: int = 100
    #: Why the result with default parameters is kept per data version (``#+ keep:``),
    #: or empty: a whole-graph report the engine cannot answer within a second at 1 M
    #: triples, computed when the data changes instead of on a visitor's request.
    keep: str = ""

    def title(self, lang: str = "sv") -> str:
        return self.title_en if lang == "en" and self.title_en else self.title_sv

    def description(self, lang: str = "sv") -> str:
        return self.description_en if lang == "en" and self.description_en else (
            self.description_sv)

    def column(self, name: str) -> ColumnSpec | None:
        """The declared titles of a result column, if the header has them."""
        for c in self.columns:
            if c.name == name:
                return c
        return None

    def column_title(self, name: str, lang: str = "sv") -> str:
        """A result column's title for people (the variable name when none is declared)."""
        spec = self.column(name)
        return spec.title(lang) if spec else name

    @property
    def label_columns(self) -> tuple[str, ...]:
        """Variables that only carry the name of another column's entity (``label=``)."""
        return tuple(c.label for c in self.columns if c.label)

    def order_by(self) -> list[tuple[str, bool]] | None:
        """The outer ``ORDER BY`` as (variable, descending) pairs (None: an expression)."""
        return order_by(self.text)

    def param(self, name: str) -> Param:
        for p in self.params:
            if p.name == name:
                return p
        raise ParameterError(f"query {self.name} has no parameter {name!r}")

    def bind(self, values: Mapping[str, str | Node] | None = None) -> dict[str, Node]:
        """Typed terms for the given raw values; defaults filled in; empty optional values
        left out (unbound).

        Raises:
            ParameterError: an unknown name, a bad value, a required value missing.
        """
        values = dict(values or {})
        unknown = sorted(set(values) - {p.name for p in self.params})
        if unknown:
            raise ParameterError(f"query {self.name} has no parameter(s): {', '.join(unknown)}")
        bound: dict[str, Node] = {}
        for p in self.params:
            raw = values.get(p.name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                raw = p.default
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if not p.optional:
                    raise ParameterError.of("error.query.required", name=p.name, query=self.name)
                continue
            bound[p.name] = p.convert(raw)
        return bound

    @property
    def hidden(self) -> tuple[str, ...]:
        """Columns that only carry parameter values and are dropped from results."""
        return tuple(p.name for p in self.params if p.hide)

    def finish(self, result: QueryResult) -> QueryResult:
        """Drop the hidden parameter columns from a result of this query."""
        from kg.store.base import SelectResult

        if not isinstance(result, SelectResult) or not self.hidden:
            return result
        keep = [i for i, v in enumerate(result.variables) if v not in self.hidden]
        rows = [tuple(row[i] for i in keep) for row in result.rows]
        return replace(result, variables=[result.variables[i] for i in keep], rows=rows)

    def run(
        self,
        store: Store,
        values: Mapping[str, str | Node] | None = None,
        *,
        limit: int | None = None,
        timeout: float | None = None,
    ) -> SelectResult:
        """Run the query on a store with parameters bound by the engine.

        >>> from kg.store import open_store
        >>> load_catalog().get("projektets-partner").run(open_store("memory")).rows
        []

        Raises:
            ParameterError: bad parameter values.
            QueryError: the store could not answer.
        """
        from kg.store.base import SelectResult

        result = store.query(self.bound_text(values), limit=limit, timeout=timeout)
        if not isinstance(result, SelectResult):  # the loader only accepts SELECT
            raise QueryError(f"query {self.name} did not return a table")
        finished: SelectResult = self.finish(result)  # type: ignore[assignment]
        return finished

    def editor_text(self, values: Mapping[str, str | Node] | None = None) -> str:
        """The query as one standalone text for the SPARQL editor: the header becomes a
        comment and the chosen values a ``VALUES`` block at the top of the outer ``WHERE``.

        The terms are written from validated rdflib terms (``n3()``), so the text is exact;
        it is only ever shown to a person or run by the read-only endpoint.
        """
        lines = [f"# {self.title_sv} / {self.title_en}"]
        lines += [f"# {w}" for w in _wrap(self.description_sv)]
        return "\n".join(lines) + "\n" + self.bound_text(values).lstrip("\n")

    def bound_text(self, values: Mapping[str, str | Node] | None = None) -> str:
        """The query's text with the chosen values as a ``VALUES`` block at the top of the
        outer ``WHERE`` (the header left out): what :meth:`run` and the app run.

        Oxigraph plans a query without looking at substituted values, so a parameter bound
        by substitution is applied after the engine has read every match of its patterns
        (seconds at 1 M triples); a ``VALUES`` block is a one-row table the planner starts
        from. The terms come from :meth:`bind` (validated rdflib terms written with
        ``n3()``), so nothing a visitor types reaches the text unchecked.

        >>> q = load_catalog().get("projektets-partner")
        >>> "VALUES (?projekt) { (<https://data.kfvn.se/id/projekt/esamverkan>) }" in q.bound_text()
        True
        """
        bound = self.bind(values)
        body = "\n".join(ln for ln in self.text.splitlines() if not ln.startswith("#+"))
        if bound:
            names = " ".join(f"?{k}" for k in bound)
            terms = " ".join(t.n3() for t in bound.values())
            block = f"\n  VALUES ({names}) {{ ({terms}) }}"
            m = _outer_where(body)
            body = body[: m] + block + body[m:]
        return body


def _wrap(text: str, width: int = 90) -> list[str]:
    out: list[str] = []
    line = ""
    for word in text.split():
        if line and len(line) + len(word) + 1 > width:
            out.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return [*out, line] if line else out


def _outer_where(body: str) -> int:
    """Offset just after the ``{`` of the outer ``WHERE``."""
    m = re.search(r"\bWHERE\s*\{", mask_sparql(body), re.IGNORECASE)
    if not m:
        raise QueryError("a library query must spell out its outer WHERE {")
    return m.end()


def projection(text: str) -> set[str]:
    """Variables named in the outer SELECT clause (before the first WHERE).

    >>> sorted(projection("PREFIX a: <x:>\\nSELECT ?a (COUNT(*) AS ?n) WHERE { ?a ?b ?c }"))
    ['a', 'n']
    """
    masked = mask_sparql(text)
    m = re.search(r"\bSELECT\b(.*?)\bWHERE\b", masked, re.IGNORECASE | re.S)
    return set(re.findall(r"[?$](\w+)", m.group(1))) if m else set()


class Catalog:
    """The saved queries by name, in a stable order."""

    def __init__(self, queries: Mapping[str, SavedQuery]) -> None:
        self._queries = dict(sorted(queries.items()))

    def __iter__(self) -> Iterator[SavedQuery]:
        return iter(self._queries.values())

    def __len__(self) -> int:
        return len(self._queries)

    def __contains__(self, name: object) -> bool:
        return name in self._queries

    def names(self) -> list[str]:
        return list(self._queries)

    def get(self, name: str) -> SavedQuery:
        """The query called ``name``.

        Raises:
            NotFoundError: no such query (the message lists the known ones).
        """
        try:
            return self._queries[name]
        except KeyError:
            known = ", ".join(self._queries)
            raise NotFoundError.of("error.query.unknown", name=name, known=known) from None


def _parse_param(spec: str, path: Path, line: int) -> Param:
    parts = [p.strip() for p in spec.split("|")]
    if len(parts) < 2 or not re.fullmatch(r"\w+", parts[0]) or parts[1] not in PARAM_TYPES:
        raise LoadError(path, f"param must be 'name | type | options' with a type among "
                              f"{', '.join(PARAM_TYPES)}: {spec!r}", line)
    kw: dict[str, str | bool] = {}
    for opt in parts[2:]:
        key, eq, value = opt.partition("=")
        key = key.strip()
        if key in ("optional", "hide") and not eq:
            kw[key] = True
        elif key in ("default", "choices", "label_sv", "label_en") and eq:
            kw[key] = value.strip()
        else:
            raise LoadError(path, f"unknown param option {opt!r}", line)
    if isinstance(kw.get("choices"), str) and kw["choices"] not in CHOICES:
        raise LoadError(path, f"unknown choices list {kw['choices']!r}; known: "
                              f"{', '.join(CHOICES)}", line)
    return Param(parts[0], parts[1], **kw)  # type: ignore[arg-type]


def parse_query_file(path: Path) -> SavedQuery:
    """Read one ``.rq`` file of the library.

    Raises:
        LoadError: a malformed header, or a query that breaks the library's rules.
    """
    text = path.read_text(encoding="utf-8")
    meta: dict[str, list[str]] = {}
    params: list[Param] = []
    columns: list[ColumnSpec] = []
    order = 100
    for i, line in enumerate(text.splitlines(), start=1):
        m = _HEADER.match(line)
        if not m:
            continue
        key, value = m.group(1), m.group(2).strip()
        if key == "param":
            params.append(_parse_param(value, path, i))
        elif key == "column":
            columns.append(parse_column(value, path, i))
        elif key == "order":
            if not re.fullmatch(r"-?\d+", value):
                raise LoadError(path, f"order must be a whole number: {value!r}", i)
            order = int(value)
        elif key in _TEXT_KEYS:
            meta.setdefault(key, []).append(value)
        else:
            raise LoadError(path, f"unknown header key {key!r}", i)
    got = {k: " ".join(v) for k, v in meta.items()}
    for key in ("title_sv", "title_en", "description_sv", "description_en"):
        if not got.get(key):
            raise LoadError(path, f"missing header '#+ {key}:'")
    query = SavedQuery(
        name=path.stem, path=path, text=text, title_sv=got["title_sv"],
        title_en=got["title_en"], description_sv=got["description_sv"],
        description_en=got["description_en"], params=tuple(params),
        tags=tuple(t.strip() for t in got.get("tags", "").split(",") if t.strip()),
        columns=tuple(columns), order=order, keep=got.get("keep", ""),
    )
    _check_rules(query)
    return query


def _check_rules(query: SavedQuery) -> None:
    from kg.store.base import query_form

    if query_form(query.text) != "SELECT":
        raise LoadError(query.path, "library queries must be SELECT queries")
    projected = projection(query.text)
    for p in query.params:
        if p.name not in projected:
            raise LoadError(query.path, f"parameter ?{p.name} must be in the SELECT "
                                        "projection (engine substitution requires it)")
        if re.search(rf"\bBOUND\s*\(\s*[?$]{p.name}\b", mask_sparql(query.text), re.IGNORECASE):
            raise LoadError(query.path, f"BOUND(?{p.name}) behaves differently per engine; "
                                        "use COALESCE")
    _outer_where(query.text)
    names = [c.name for c in query.columns]
    for c in query.columns:
        if names.count(c.name) > 1:
            raise LoadError(query.path, f"column {c.name!r} is declared twice")
        for var in (c.name, c.label):
            if var and var not in projected:  # shown by its name; tests/sparql checks it
                log.warning("%s: column ?%s is not in the SELECT projection", query.path, var)


@lru_cache(maxsize=4)
def load_catalog(folder: Path | None = None) -> Catalog:
    """Every query of the library folder (default ``kg/query/library``), parsed once.

    Raises:
        LoadError: a query file is malformed.
    """
    folder = folder or LIBRARY_DIR
    queries = {p.stem: parse_query_file(p) for p in sorted(folder.glob("*.rq"))}
    log.debug("loaded %d saved queries from %s", len(queries), folder)
    return Catalog(queries)


# -- choices: lists of values for parameter forms, filled from the graph ------------------

_LABELS = """
  OPTIONAL { ?value rdfs:label|skos:prefLabel|foaf:name ?sv FILTER(lang(?sv) = "sv") }
  OPTIONAL { ?value rdfs:label|skos:prefLabel ?en FILTER(lang(?en) = "en") }
  OPTIONAL { ?value rdfs:label|skos:prefLabel|foaf:name ?any }
"""

#: Named lists of choices: a graph pattern binding ``?value``.
CHOICES: dict[str, str] = {
    "projects": "?value a schema:Project .",
    "organisations": "?value a org:Organization .",
    "municipalities": "?value org:classification organisationstyp:kommun .",
    "funders": "?grant a schema:MonetaryGrant ; schema:funder|kfv:fund|kfv:fundingProgramme ?value .",
    "partners": "?part a kfv:Participation ; org:member ?value .",
    "people": "?value a foaf:Person .",
    "bodies": "?post a kfv:Appointment ; org:organization ?value .",
    "themes": "?value skos:inScheme <https://data.kfvn.se/def/tema> .",
    "statuses": "?value skos:inScheme <https://data.kfvn.se/def/status> .",
    "project-roles": "?value skos:inScheme <https://data.kfvn.se/def/projektroll> .",
    "post-roles": "?value skos:inScheme <https://data.kfvn.se/def/organisationsroll> .",
    "org-types": "?value skos:inScheme <https://data.kfvn.se/def/organisationstyp> .",
    "places": "?value a schema:Place .",
    "events": "?value a schema:Event .",
    "entities": "{ ?value a schema:Project } UNION { ?value a org:Organization } "
                "UNION { ?value a foaf:Person } UNION { ?value a schema:Event } "
                "UNION { ?value a kfv:Programme } UNION { ?value a kfv:Plan }",
}


def choice_options(store: Store, name: str, lang: str = "sv") -> list[tuple[str, str]]:
    """(IRI, label) pairs of a choices list, sorted by label in Swedish collation order.

    Raises:
        ParameterError: no such list.
    """
    if name not in CHOICES:
        raise ParameterError(f"no choices list {name!r}")
    sparql = (f"SELECT DISTINCT ?value ?sv ?en ?any WHERE {{ {CHOICES[name]} {_LABELS} "
              "FILTER(isIRI(?value)) }")
    best: dict[str, str] = {}
    for row in store.select(sparql).rows:
        value, sv, en, anyl = (None if t is None else str(t) for t in row)
        label = (en if lang == "en" and en else None) or sv or en or anyl or value or ""
        if value and (value not in best or label < best[value]):
            best[value] = label
    return sorted(best.items(), key=lambda kv: _sort_key(kv[1]))


def _sort_key(text: str) -> bytes:
    """Swedish alphabetical order (å, ä, ö after z), by ICU (:mod:`kg.query.collation`).

    >>> sorted(["Örnsköldsvik", "Ånge", "Timrå", "Sundsvall"], key=_sort_key)
    ['Sundsvall', 'Timrå', 'Ånge', 'Örnsköldsvik']
    """
    from kg.query.collation import sort_key

    return sort_key(text)
