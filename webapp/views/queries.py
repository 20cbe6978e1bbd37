"""``/fragor``: the query library. A list of the saved queries, a page per query with a
form for its parameters (choices filled from the graph), the result as a sortable table,
downloads as CSV, JSON and Excel, and a link that opens the query in the SPARQL editor.

Every page has a stable URL: ``/fragor/<name>?<param>=<value>``; the downloads are the same
URL with ``.csv``, ``.json`` or ``.xlsx``. Parameter values are bound by the engine
(:mod:`kg.query.catalog`), never pasted into the query text.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from rdflib import Literal
from rdflib.term import Node

from kg.cache import per_version
from kg.errors import KgError
from kg.io.results import to_csv, to_xlsx
from kg.namespaces import curie
from kg.query.catalog import Param, ParameterError, SavedQuery, load_catalog
from kg.store.base import SelectResult
from webapp.i18n import current_lang
from webapp.querying import HTML_ROWS, fetch_labels, get_runner, result_table
from webapp.state import get_settings, get_store
from webapp.urls import get_urls

__all__ = ["bp", "curie", "query_page", "run_saved"]

bp = Blueprint("queries", __name__)

DOWNLOADS = (("csv", "CSV"), ("json", "JSON"), ("xlsx", "Excel"))


def _get(name: str) -> SavedQuery:
    catalog = load_catalog()
    if name not in catalog:
        abort(404, description=f"no saved query {name!r}")
    return catalog.get(name)


def _values(query: SavedQuery, args: Mapping[str, str]) -> dict[str, str]:
    """The request's values for the query's parameters (other arguments, like ``lang``,
    are not parameters and are ignored)."""
    names = {p.name for p in query.params}
    return {k: v for k, v in args.items() if k in names}


def run_saved(query: SavedQuery, values: Mapping[str, str], limit: int | None = None
              ) -> SelectResult:
    """Run a saved query through the app's runner (time limit, cap, worker processes).

    Raises:
        ParameterError: bad values (400).
        QueryError: the query failed.
    """
    bound = query.bind(values)
    result = get_runner().query(query.text, bindings=bound, limit=limit)
    finished = query.finish(result)
    if not isinstance(finished, SelectResult):
        raise ParameterError(f"query {query.name} did not return a table")
    return finished


def _options(param: Param, lang: str) -> list[dict[str, str]]:
    if not param.choices:
        return []
    store = get_store()
    pairs: list[tuple[str, str]] = per_version(
        store, f"choices:{param.choices}:{lang}", lambda: param.options(store, lang))
    return [{"value": curie(iri), "label": label} for iri, label in pairs]


def _form(query: SavedQuery, values: Mapping[str, str], lang: str) -> list[dict[str, Any]]:
    fields = []
    for p in query.params:
        current = values.get(p.name, p.default or "")
        options = _options(p, lang)
        if current and options and current not in {o["value"] for o in options}:
            options.append({"value": current, "label": current})
        fields.append({"name": p.name, "label": p.label(lang), "type": p.type,
                       "optional": p.optional, "value": current, "options": options})
    return fields


def _url(query: SavedQuery, values: Mapping[str, str], ext: str | None = None) -> str:
    path = url_for("queries.page", name=query.name) + (f".{ext}" if ext else "")
    clean = {k: v for k, v in values.items() if v}
    return path + ("?" + urlencode(clean) if clean else "")


def query_page(query: SavedQuery, values: Mapping[str, str]) -> tuple[dict[str, Any], int]:
    """The data of a library page: the query's description, form and result."""
    lang = current_lang()
    page: dict[str, Any] = {
        "name": query.name, "title": query.title(lang), "description": query.description(lang),
        "fields": _form(query, values, lang), "sparql": query.text, "tags": query.tags,
        "html_rows": min(HTML_ROWS, get_settings().result_limit),
        "cli": "kg query --saved " + query.name + "".join(
            f" --param {k}={v}" for k, v in values.items() if v),
    }
    status = 200
    try:
        page["editor"] = url_for("sparql.endpoint") + "?" + urlencode(
            {"query": query.editor_text(values)})
        started = time.perf_counter()
        result = run_saved(query, values, limit=page["html_rows"])
        page["ms"] = round((time.perf_counter() - started) * 1000)
        table = result_table(result, fetch_labels(result, lang), get_urls().entity, lang,
                             merge_labels=True)
        page["result"] = {"kind": "SELECT", "table": table, "count": len(table.rows),
                          "truncated": result.truncated}
        page["downloads"] = [{"label": label, "href": _url(query, values, ext)}
                             for ext, label in DOWNLOADS]
        page["share"] = _url(query, values)
    except KgError as exc:
        from webapp.sparql_protocol import _status

        status = _status(exc)[0]
        page["error"] = exc.text(lang)
    return page, status


def _plain(t: Node | None) -> Any:
    if t is None:
        return None
    if isinstance(t, Literal):
        value = t.toPython()
        if isinstance(value, bool | int | float):
            return value
        if type(value).__name__ == "Decimal":
            return float(value) if value != int(value) else int(value)
        return str(t)
    return str(t)


def to_plain_json(query: SavedQuery, values: Mapping[str, str], result: SelectResult) -> bytes:
    """A friendly JSON document: the query, its parameters and one object per row."""
    doc = {
        "query": query.name,
        "title": query.title(current_lang()),
        "parameters": {k: str(v) for k, v in query.bind(values).items()},
        "columns": result.variables,
        "rows": [{v: _plain(t) for v, t in zip(result.variables, row, strict=True)}
                 for row in result.rows],
        "truncated": result.truncated,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _download(query: SavedQuery, values: Mapping[str, str], ext: str) -> Response:
    result = run_saved(query, values)
    if ext == "csv":
        body, mime = to_csv(result), "text/csv; charset=utf-8"
    elif ext == "json":
        body, mime = to_plain_json(query, values, result), "application/json"
    else:
        body = to_xlsx(result, title=query.name)
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    resp = Response(body, content_type=mime)
    resp.headers["Content-Disposition"] = f'attachment; filename="{query.name}.{ext}"'
    resp.headers["X-KG-Truncated"] = "true" if result.truncated else "false"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    return resp


@bp.get("/fragor")
def index() -> ResponseReturnValue:
    """The list of saved queries."""
    lang = current_lang()
    items = [{"name": q.name, "title": q.title(lang), "description": q.description(lang),
              "params": [p.label(lang) for p in q.params], "tags": q.tags,
              "url": url_for("queries.page", name=q.name)} for q in load_catalog()]
    return render_template("queries/index.html", page={"queries": items})


@bp.get("/fragor/<name>")
def page(name: str) -> ResponseReturnValue:
    """One saved query: ``/fragor/<name>`` (HTML) or ``/fragor/<name>.csv|.json|.xlsx``."""
    stem, dot, ext = name.rpartition(".")
    if dot and ext in {e for e, _ in DOWNLOADS}:
        query = _get(stem)
        return _download(query, _values(query, request.args), ext)
    query = _get(name)
    data, status = query_page(query, _values(query, request.args))
    return render_template("queries/query.html", page=data), status

