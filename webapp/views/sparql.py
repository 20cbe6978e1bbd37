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
from kg.query.examples import EXAMPLES, prologue
from kg.query.stats import named_graph_sizes
from kg.store.base import AskResult, GraphResult, QueryContext, QueryResult, query_form
from webapp.i18n import current_lang
from webapp.querying import (
    HTML_ROWS,
    client_id,
    fetch_labels,
    get_runner,
    result_table,
)
from webapp.sparql_protocol import sparql_blueprint
from webapp.state import get_settings, get_store
from webapp.urls import get_urls

__all__ = ["EXAMPLES", "bp", "editor_page", "graph_counts"]


DEFAULT_QUERY = prologue() + "\n" + EXAMPLES[0][2]


def graph_counts() -> tuple[int, list[tuple[str, int]]]:
    """Triples of the default graph (the merge, without duplicates) and (graph IRI, triples)
    of each named graph, computed once per data version."""
    store = get_store()
    return per_version(store, "sparql-graph-counts",
                       lambda: (store.count(), named_graph_sizes(store)))


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
        result = get_runner().query(query, limit=page["html_rows"], client=client_id(),
                                    context=QueryContext(base=settings.base_iri))
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


bp = sparql_blueprint(get_runner, graph_counts, html=editor,
                      base_iri=lambda: get_settings().base_iri, client=client_id)
