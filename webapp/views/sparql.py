"""``/sparql``: the SPARQL 1.1 Protocol endpoint, and the query editor for browsers.

The protocol handler is the reusable blueprint of :mod:`webapp.sparql_protocol`; this module
only mounts it and gives it the editor as its HTML view. A browser that opens
``/sparql?query=...`` gets the editor with the query run and its result as a sortable
table, so every query has a shareable URL; a program gets the protocol answer.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

from flask import render_template, url_for
from flask.typing import ResponseReturnValue

from kg.cache import per_version
from kg.errors import KgError, QuerySyntaxError
from kg.namespaces import PREFIXES
from kg.store.base import AskResult, GraphResult, QueryResult, query_form
from webapp.i18n import current_lang
from webapp.querying import (
    HTML_ROWS,
    fetch_labels,
    get_runner,
    result_table,
)
from webapp.sparql_protocol import sparql_blueprint
from webapp.state import get_settings, get_store
from webapp.urls import get_urls

__all__ = ["EXAMPLES", "bp", "editor_page", "graph_counts"]


#: Prefixes written at the top of a new query (all of ``kg.namespaces.PREFIXES`` are known).
EDITOR_PREFIXES = ("rdfs", "skos", "foaf", "org", "schema", "dcterms", "xsd", "kfv", "projekt",
                   "organisation", "person", "tema", "status", "projektroll",
                   "organisationsroll")


def prologue() -> str:
    """PREFIX lines for the editor's starting text."""
    return "".join(f"PREFIX {p}: <{PREFIXES[p]}>\n" for p in EDITOR_PREFIXES)


#: Example queries: (Swedish title, English title, query body without prefixes).
EXAMPLES: tuple[tuple[str, str, str], ...] = (
    ("Projekt med status och period", "Projects with status and period", """\
SELECT ?projekt ?namn ?status ?start ?slut WHERE {
  ?projekt a schema:Project ; rdfs:label ?namn .
  FILTER(lang(?namn) = "sv")
  OPTIONAL { ?projekt kfv:status/skos:prefLabel ?status FILTER(lang(?status) = "sv") }
  OPTIONAL { ?projekt schema:startDate ?start }
  OPTIONAL { ?projekt schema:endDate ?slut }
}
ORDER BY ?namn
LIMIT 100
"""),
    ("Deltagare och roller i eSamverkan", "Partners and roles in eSamverkan", """\
SELECT ?organisation ?roll WHERE {
  ?d a kfv:Participation ;
     org:organization projekt:esamverkan ;
     org:member ?organisation ;
     org:role ?roll .
}
ORDER BY ?roll
"""),
    ("Finansiering med belopp", "Funding with amounts", """\
SELECT ?projekt ?finansiar ?belopp ?ar WHERE {
  ?bidrag a schema:MonetaryGrant ;
          schema:fundedItem ?projekt ;
          schema:funder ?finansiar .
  OPTIONAL { ?bidrag schema:amount ?belopp }
  OPTIONAL { ?bidrag kfv:year ?ar }
}
ORDER BY DESC(?belopp)
"""),
    ("Förbundets representanter", "The association's representatives", """\
SELECT ?person ?organ ?roll WHERE {
  ?uppdrag a kfv:Appointment ;
           kfv:appointedBy organisation:kommunforbundet-vasternorrland ;
           org:member ?person ;
           org:organization ?organ ;
           org:role ?roll .
}
ORDER BY ?organ
"""),
    ("Källa till varje uppgift om TEO", "Source of each fact about TEO", """\
SELECT ?egenskap ?varde ?kalla WHERE {
  GRAPH ?kalla { projekt:teo ?egenskap ?varde }
}
ORDER BY ?kalla ?egenskap
"""),
    ("Grafen kring ett projekt (CONSTRUCT)", "The graph around a project (CONSTRUCT)", """\
CONSTRUCT { ?d org:member ?org ; org:role ?roll ; org:organization projekt:hav . }
WHERE {
  ?d org:organization projekt:hav ; org:member ?org ; org:role ?roll .
}
"""),
    ("Finns det ansökningar som inte beviljades? (ASK)", "Were applications not granted? (ASK)",
     """\
ASK { ?projekt kfv:status status:ej-beviljad }
"""),
)

DEFAULT_QUERY = prologue() + "\n" + EXAMPLES[0][2]


def graph_counts() -> list[tuple[str, int]]:
    """(graph IRI, triples) of each named graph, computed once per data version."""
    store = get_store()

    def compute() -> list[tuple[str, int]]:
        res = store.select("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } "
                           "GROUP BY ?g ORDER BY ?g")
        return [(str(g), int(n.toPython())) for g, n in res.rows if g is not None and n]

    return per_version(store, "sparql-graph-counts", compute)


def _link(query: str, **params: str) -> str:
    return url_for("sparql.endpoint") + "?" + urlencode({"query": query, **params})


def _downloads(query: str, form: str) -> list[dict[str, str]]:
    names = (("turtle", "Turtle"), ("jsonld", "JSON-LD"), ("ntriples", "N-Triples"),
             ("rdfxml", "RDF/XML")) if form in ("CONSTRUCT", "DESCRIBE") else (
        ("csv", "CSV"), ("tsv", "TSV"), ("json", "JSON"), ("xml", "XML"), ("xlsx", "Excel"))
    return [{"label": label, "href": _link(query, format=name, download="1")}
            for name, label in names]


def _result_page(result: QueryResult, lang: str) -> dict[str, Any]:
    if isinstance(result, AskResult):
        return {"kind": "ASK", "value": bool(result), "truncated": False, "count": 1}
    labels = fetch_labels(result, lang)
    table = result_table(result, labels, get_urls().entity, lang)
    kind = "CONSTRUCT" if isinstance(result, GraphResult) else "SELECT"
    return {"kind": kind, "table": table, "count": len(table.rows),
            "truncated": result.truncated}


def _error(exc: KgError) -> tuple[dict[str, Any], int]:
    from webapp.sparql_protocol import _status

    status, _ = _status(exc)
    err: dict[str, Any] = {"message": str(exc), "status": status}
    if isinstance(exc, QuerySyntaxError):
        err.update(message=exc.message, line=exc.line, column=exc.column)
    return err, status


def editor_page(query: str | None) -> tuple[dict[str, Any], int]:
    """The editor's data, with the result of ``query`` when one is given."""
    settings = get_settings()
    lang = current_lang()
    page: dict[str, Any] = {
        "query": query if query is not None else DEFAULT_QUERY,
        "examples": [{"title": en if lang == "en" else sv, "href": _link(prologue() + body)}
                     for sv, en, body in EXAMPLES],
        "prefixes": sorted(PREFIXES.items()),
        "timeout": settings.query_timeout,
        "limit": settings.result_limit,
        "html_rows": min(HTML_ROWS, settings.result_limit),
        "endpoint": url_for("sparql.endpoint", _external=True),
    }
    if not (query or "").strip():
        return page, 200
    assert query is not None
    started = time.perf_counter()
    try:
        result = get_runner().query(query, limit=page["html_rows"])
    except KgError as exc:
        page["error"], status = _error(exc)
        return page, status
    page["ms"] = round((time.perf_counter() - started) * 1000)
    page["result"] = _result_page(result, lang)
    page["share"] = _link(query)
    page["downloads"] = _downloads(query, query_form(query))
    return page, 200


def editor(query: str | None) -> ResponseReturnValue:
    """The HTML view of ``/sparql``: the editor, with the query's result when given."""
    page, status = editor_page(query)
    return render_template("sparql/editor.html", page=page), status


bp = sparql_blueprint(get_runner, graph_counts, html=editor)
