"""``/fragor``: the query library. The saved queries grouped by tag, the ones staff use most
first, searchable with ``?q=`` (and ``?tagg=``) with or without JavaScript; a page per query
with a form for its parameters (choices filled from the graph), the result as a sortable
table with the column titles the query declares (names linked to their pages, lists in
Swedish order), downloads as Excel and CSV written like the list tables'
(:mod:`kg.export.tables`) and JSON; the SPARQL, the command line and the variable names
only in a folded "SPARQL" section.

Every page has a stable URL: ``/fragor/<name>?<param>=<value>``; the downloads are the same
URL with ``.xlsx``, ``.csv`` (``?avgransare=semikolon`` for Swedish Excel) or ``.json``.
Parameter values are written into the query as a ``VALUES`` block from validated terms
(:meth:`kg.query.catalog.SavedQuery.bound_text`), never pasted as typed. A query whose header
says ``#+ keep:`` (a whole-graph report) has its result with default parameters kept per
data version: computed once, single-flight, and warmed when the data changes
(:mod:`webapp.warmup`), so no visitor waits for it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Mapping
from dataclasses import replace
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request, url_for
from flask.typing import ResponseReturnValue
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg.cache import per_version
from kg.errors import KgError
from kg.export.tables import Download, file_name, to_csv, to_xlsx
from kg.namespaces import curie
from kg.query.catalog import Param, ParameterError, SavedQuery, load_catalog
from kg.query.saved_tables import concept_names, datatype_of, saved_table
from kg.query.search import fold, index_for
from kg.query.tables.model import Ref, Table
from kg.store.base import SelectResult
from webapp.i18n import current_lang, t
from webapp.querying import HTML_ROWS, client_id, fetch_labels, get_runner
from webapp.state import get_settings, get_store
from webapp.urls import get_urls, is_web_link

__all__ = ["bp", "curie", "kept_pages", "library_groups", "query_page", "run_saved"]

bp = Blueprint("queries", __name__)

DOWNLOADS = ("xlsx", "csv", "json")
#: Seconds a kept default result may take to compute (in the background).
KEPT_TIMEOUT = 300.0
_MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
_NUMERIC_KINDS = ("number", "amount", "year")


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
    if query.keep and query.bind(values) == query.bind({}):
        store, cap = get_store(), get_runner().cap(None)
        # app work, not a visitor's query: on the store itself with a longer limit (at 5 M
        # triples some take longer than the public 10 s); a visitor waits at most the public
        # limit, then gets "come back shortly" while it goes on in the background
        kept: SelectResult = per_version(
            store, f"library:{query.name}",
            lambda: query.run(store, {}, limit=cap, timeout=KEPT_TIMEOUT),
            wait=get_settings().query_timeout)
        if limit is None or len(kept.rows) <= limit:
            return kept
        return replace(kept, rows=kept.rows[:limit], truncated=True)
    return _run_saved(query, values, limit)


def _run_saved(query: SavedQuery, values: Mapping[str, str], limit: int | None
               ) -> SelectResult:
    result = get_runner().query(query.bound_text(values), limit=limit, client=client_id())
    finished = query.finish(result)
    if not isinstance(finished, SelectResult):
        raise ParameterError(f"query {query.name} did not return a table")
    return finished


def kept_pages() -> tuple[str, ...]:
    """The downloads whose default result is kept per data version, for the warm-up."""
    return tuple(f"/fragor/{q.name}.json" for q in load_catalog() if q.keep)


# -- the library page --------------------------------------------------------------------

def _tag_title(tag: str, lang: str) -> str:
    key = "queries.tag." + fold(tag).replace(" ", "_")
    text = t(key)
    return tag[:1].upper() + tag[1:] if text == key else text


def _haystack(query: SavedQuery) -> str:
    parts = [query.name, query.title_sv, query.title_en, query.description_sv,
             query.description_en, *query.tags]
    parts += [c.sv for c in query.columns] + [c.en for c in query.columns]
    parts += [p.label_sv for p in query.params] + [p.label_en for p in query.params]
    return fold(" ".join(parts))


def library_groups(words: str = "", tag: str = "", lang: str = "sv") -> list[dict[str, Any]]:
    """The queries grouped by their first tag, groups and queries in the order staff use
    them (``#+ order:``), kept when every word of ``words`` is in the query's titles,
    description, tags or column titles (case and accents ignored) and it has ``tag``."""
    wanted = fold(words).split()
    queries = sorted(load_catalog(), key=lambda q: (q.order, fold(q.title(lang))))
    groups: dict[str, dict[str, Any]] = {}
    for q in queries:
        if tag and tag not in q.tags:
            continue
        hay = _haystack(q)
        if any(w not in hay for w in wanted):
            continue
        first = q.tags[0] if q.tags else ""
        group = groups.setdefault(first, {"tag": first, "title": _tag_title(first, lang)
                                          if first else t("queries.other"), "queries": []})
        group["queries"].append({
            "name": q.name, "title": q.title(lang), "description": q.description(lang),
            "params": [p.label(lang) for p in q.params],
            "columns": [c.title(lang) for c in q.columns if c.name not in
                        {p.name for p in q.params if not p.optional}],
            "tags": [{"tag": x, "title": _tag_title(x, lang),
                      "href": url_for("queries.index", tagg=x)} for x in q.tags],
            "url": url_for("queries.page", name=q.name),
        })
    return list(groups.values())


@bp.get("/fragor")
def index() -> ResponseReturnValue:
    """The library: groups by tag, the most used first; ``?q=`` words, ``?tagg=`` a tag."""
    lang = current_lang()
    words = request.args.get("q", "").strip()[:200]
    tag = request.args.get("tagg", "").strip()[:50]
    groups = library_groups(words, tag, lang)
    # topics: every group's tag, and tags shared by several queries
    uses: dict[str, int] = {}
    for q in load_catalog():
        for x in q.tags:
            uses[x] = uses.get(x, 0) + (2 if x == q.tags[0] else 1)
    all_tags: dict[str, str] = {}
    for q in sorted(load_catalog(), key=lambda q: q.order):
        for x in q.tags:
            if uses[x] >= 2 or x == tag:
                all_tags.setdefault(x, _tag_title(x, lang))
    page = {
        "groups": groups, "q": words, "tag": tag,
        "tag_title": _tag_title(tag, lang) if tag else "",
        "count": sum(len(g["queries"]) for g in groups), "total": len(load_catalog()),
        "tags": [{"tag": k, "title": v, "href": url_for("queries.index", tagg=k),
                  "selected": k == tag} for k, v in all_tags.items()],
    }
    return render_template("queries/index.html", page=page)


# -- one query ---------------------------------------------------------------------------

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


def _url(query: SavedQuery, values: Mapping[str, str], ext: str | None = None,
         **extra: str) -> str:
    path = url_for("queries.page", name=query.name) + (f".{ext}" if ext else "")
    clean = {k: v for k, v in values.items() if v}
    clean.update(extra)
    if current_lang() != "sv" and ext:
        clean["lang"] = current_lang()
    return path + ("?" + urlencode(clean) if clean else "")


def _names() -> Any:
    """A name → the IRI of the one entity with exactly that name (else None)."""
    index = index_for(get_store())

    def lookup(text: str) -> str | None:
        found = index.named(text)
        return found[0].iri if len(found) == 1 else None

    return lookup


def _table(query: SavedQuery, values: Mapping[str, str], result: SelectResult,
           lang: str) -> Table:
    return saved_table(query, result, lang=lang, labels=fetch_labels(result, lang),
                       names=_names(), bound=set(query.bind(values)),
                       concepts=concept_names(get_store(), lang))


def _href(iri: str) -> str | None:
    urls = get_urls()
    if urls.is_local(iri):
        return urls.entity(iri)
    return iri if is_web_link(iri) else None


def _cell(value: Any) -> Any:
    if isinstance(value, Ref):
        href = _href(value.iri)
        return {"label": value.label, "href": href} if href else value.label
    if isinstance(value, list):
        return [_cell(v) for v in value]
    return value


def _sort_text(value: Any) -> str:
    if isinstance(value, Ref):
        return value.label
    if isinstance(value, list):
        return "; ".join(_sort_text(v) for v in value)
    return "" if value is None else str(value)


def _html_table(table: Table, lang: str) -> dict[str, Any]:
    heads = [{"key": c.key, "title": c.title(lang), "kind": c.kind, "hint": c.hint(lang)}
             for c in table.columns]
    rows = [[{"value": _cell(r.get(c.key)), "sort": _sort_text(r.get(c.key)),
              "kind": c.kind, "numeric": c.kind in _NUMERIC_KINDS} for c in table.columns]
            for r in table.rows]
    return {"heads": heads, "rows": rows}


def _developer(query: SavedQuery, values: Mapping[str, str], result: SelectResult | None,
               lang: str) -> dict[str, Any]:
    """What only those who open "SPARQL" see: variables, datatypes, the command line."""
    columns = []
    if result is not None:
        for i, var in enumerate(result.variables):
            spec = query.column(var)
            owner = next((c for c in query.columns if c.label == var), None)
            title = spec.title(lang) if spec else (
                t("queries.name_of", col=owner.title(lang)) if owner else "")
            columns.append({"var": var, "title": title,
                            "datatype": datatype_of([row[i] for row in result.rows])})
    return {
        "sparql": query.text, "columns": columns,
        "cli": "kg query --saved " + query.name + "".join(
            f" --param {k}={v}" for k, v in values.items() if v),
    }


def query_page(query: SavedQuery, values: Mapping[str, str]) -> tuple[dict[str, Any], int]:
    """The data of a library page: the query's description, form and result."""
    lang = current_lang()
    page: dict[str, Any] = {
        "name": query.name, "title": query.title(lang), "description": query.description(lang),
        "fields": _form(query, values, lang),
        "tags": [{"title": _tag_title(x, lang), "href": url_for("queries.index", tagg=x)}
                 for x in query.tags],
        "html_rows": min(HTML_ROWS, get_settings().result_limit),
        "xlsx_action": url_for("queries.page", name=query.name) + ".xlsx",
    }
    status = 200
    result: SelectResult | None = None
    try:
        page["editor"] = url_for("sparql.endpoint") + "?" + urlencode(
            {"query": query.editor_text(values)})
        started = time.perf_counter()
        result = run_saved(query, values, limit=page["html_rows"])
        table = _table(query, values, result, lang)
        page["ms"] = round((time.perf_counter() - started) * 1000)
        page["result"] = {"table": _html_table(table, lang), "count": len(table.rows),
                          "truncated": result.truncated}
        page["downloads"] = [
            {"label": "Excel", "href": _url(query, values, "xlsx"), "kind": "xlsx"},
            {"label": t("tables.csv_semicolon"),
             "href": _url(query, values, "csv", avgransare="semikolon"), "kind": "csv"},
            {"label": t("tables.csv_comma"), "href": _url(query, values, "csv"),
             "kind": "csv"},
            {"label": "JSON", "href": _url(query, values, "json"), "kind": "json"},
        ]
        page["share"] = _url(query, values)
    except KgError as exc:
        from webapp.sparql_protocol import _status

        status = _status(exc)[0]
        page["error"] = exc.text(lang)
    page["developer"] = _developer(query, values, result, lang)
    return page, status


# -- downloads ---------------------------------------------------------------------------

def _plain(t_: Node | None) -> Any:
    if t_ is None:
        return None
    if isinstance(t_, Literal):
        value = t_.toPython()
        if isinstance(value, bool | int | float):
            return value
        if type(value).__name__ == "Decimal":
            return float(value) if value != int(value) else int(value)
        return str(t_)
    return str(t_)


def to_plain_json(query: SavedQuery, values: Mapping[str, str], result: SelectResult) -> bytes:
    """A friendly JSON document: the query, its parameters, the column titles and one
    object per row (keys are the variable names, values plain)."""
    lang = current_lang()
    doc = {
        "query": query.name,
        "title": query.title(lang),
        "parameters": {k: str(v) for k, v in query.bind(values).items()},
        "columns": result.variables,
        "titles": {v: query.column_title(v, lang) for v in result.variables},
        "rows": [{v: _plain(x) for v, x in zip(result.variables, row, strict=True)}
                 for row in result.rows],
        "truncated": result.truncated,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")


def _params_in_words(query: SavedQuery, values: Mapping[str, str],
                     lang: str) -> list[tuple[str, str]]:
    """The parameters as (label, value) for the source note and the file name."""
    index = index_for(get_store())
    out = []
    for name, term in query.bind(values).items():
        if isinstance(term, URIRef):
            entry = index.get(str(term))
            text = entry.label(lang) if entry else curie(str(term))
        else:
            text = str(term)
        out.append((query.param(name).label(lang), text))
    return out


def _download(query: SavedQuery, values: Mapping[str, str], ext: str) -> Response:
    result = run_saved(query, values)
    lang = current_lang()
    params = _params_in_words(query, values, lang)
    if ext == "json":
        body = to_plain_json(query, values, result)
    else:
        table = _table(query, values, result, lang)
        page = request.url_root.rstrip("/") + _url(query, values)
        note = [(t("queries.truncated_label"), t("results.truncated", n=len(result.rows)))] \
            if result.truncated else []
        info = Download(query.title(lang), page, version=get_store().data_version(),
                        params=params + note, lang=lang)
        if ext == "csv":
            sep = ";" if request.args.get("avgransare") in ("semikolon", ";") else ","
            body = to_csv(table, info, sep=sep)
        else:
            urls = get_urls()
            root = request.url_root.rstrip("/")
            body = to_xlsx(table, info, entity_url=lambda iri: (
                root + urls.entity(iri) if urls.is_local(iri) else iri))
    resp = Response(body, content_type=_MEDIA[ext])
    name = file_name(query.name, params, ext)
    resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["X-KG-Truncated"] = "true" if result.truncated else "false"
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


@bp.get("/fragor/<name>")
def page(name: str) -> ResponseReturnValue:
    """One saved query: ``/fragor/<name>`` (HTML) or ``/fragor/<name>.xlsx|.csv|.json``."""
    stem, dot, ext = name.rpartition(".")
    if dot and ext in DOWNLOADS:
        query = _get(stem)
        return _download(query, _values(query, request.args), ext)
    query = _get(name)
    data, status = query_page(query, _values(query, request.args))
    return render_template("queries/query.html", page=data), status
