"""Every list as a table (Datasette-like): ``/projekt``, ``/finansiering``,
``/organisationer``, ``/personer``, ``/nyheter``, ``/evenemang``.

The URL is the state: facets (``tema=``, ``status=``, ``finansiar=``, ``eu=ja`` ...; a
parameter given twice or with commas means either value), the period (``fran``, ``till``),
words in the name (``q``), the order (``ordning=kolumn`` or ``-kolumn``) and the page
(``sida``). The same URL with ``.json``, ``.csv`` or ``.xlsx`` gives the whole table with the
same filters (``.csv?avgransare=semikolon`` for Swedish Excel). Tables come from
:mod:`kg.query.tables`, files from :mod:`kg.export.tables`.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request

from kg.export.tables import LICENCE_URL, Download, file_name, to_csv, to_xlsx
from kg.query.tables import TABLES, Table, TableSpec, build_table, parse_filters
from kg.query.tables.model import Ref
from webapp.i18n import current_lang, t
from webapp.negotiation import advertise, wants_json
from webapp.params import page_param
from webapp.state import get_store
from webapp.urls import get_urls

__all__ = ["PER_PAGE", "bp", "download_info", "table_from_request"]

bp = Blueprint("tables", __name__)

PER_PAGE = 100
#: Parameters that are state but not filters.
_STATE = ("ordning", "sida", "lang", "avgransare")
_MEDIA = {
    "json": "application/json",
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def table_from_request(name: str) -> Table:
    """The table ``name`` with the request's filters and order.

    Raises:
        ParameterError: a bad filter or order (400).
    """
    args = {k: request.args.getlist(k) for k in request.args if k not in _STATE}
    filters = parse_filters(name, args)
    sort = request.args.get("ordning", "").strip()
    return build_table(get_store(), name, filters, lang=current_lang(), sort=sort)


def _params_in_words(table: Table) -> list[tuple[str, str]]:
    spec = TABLES[table.name]
    out: list[tuple[str, str]] = []
    for facet in table.facets:
        chosen = [v.label for v in facet.values if v.selected]
        if chosen:
            out.append((facet.title, ", ".join(chosen)))
    f = table.filters
    if f.has_period:
        out.append((t("entity.period"), f"{f.fran or ''}–{f.till or ''}"))
    if f.text:
        out.append((t("tables.words"), f.text))
    _ = spec
    return out


def download_info(table: Table) -> Download:
    """The source note of a download of this table."""
    store = get_store()
    path, _, query = get_urls().current(sida=None, avgransare=None).partition("?")
    page = path.rsplit(".", 1)[0] if path.endswith((".json", ".csv", ".xlsx")) else path
    return Download(table.title(), request.url_root.rstrip("/") + page + (
        f"?{query}" if query else ""), version=store.data_version(),
        params=_params_in_words(table), lang=current_lang())


def _download(table: Table, ext: str) -> Response:
    info = download_info(table)
    urls = get_urls()
    if ext == "json":
        doc = table.as_json()
        doc["source"] = {"title": info.title, "url": info.url, "licence": LICENCE_URL,
                         "data_version": info.version, "date": info.date.isoformat(),
                         "filters": dict(info.params)}
        body = json.dumps(doc, ensure_ascii=False, indent=1).encode("utf-8")
    elif ext == "csv":
        sep = ";" if request.args.get("avgransare") in ("semikolon", ";") else ","
        body = to_csv(table, info, sep=sep)
    else:
        root = request.url_root.rstrip("/")
        body = to_xlsx(table, info, entity_url=lambda iri: (
            root + urls.entity(iri) if urls.is_local(iri) else iri))
    resp = Response(body, content_type=_MEDIA[ext])
    if ext != "json":
        name = file_name(table.name, info.params, ext)
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    resp.headers["Access-Control-Allow-Origin"] = "*"
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return resp


def _link(**changes: Any) -> str:
    return get_urls().current(sida=None, **changes)


def _toggle(key: str, value: str) -> str:
    """The current URL with one facet value added or removed."""
    values = [v for raw in request.args.getlist(key) for v in raw.split(",") if v]
    values = [v for v in values if v != value] if value in values else [*values, value]
    return _link(**{key: values or None})


def _cell(value: Any) -> Any:
    urls = get_urls()
    if isinstance(value, Ref):
        return {"label": value.label, "href": urls.entity(value.iri), "lang": value.lang}
    if isinstance(value, list):
        return [_cell(v) for v in value]
    return value


def _page(spec: TableSpec, table: Table) -> dict[str, Any]:
    lang = current_lang()
    page = page_param()
    pages = max(1, -(-len(table.rows) // PER_PAGE))
    if page > pages:
        abort(404, description=t("tables.no_page", n=page))
    shown = table.rows[(page - 1) * PER_PAGE: page * PER_PAGE]
    hidden = set(spec.hidden)
    if spec.name == "projekt" and table.filters.get("deltagare"):
        hidden |= {"agare", "partner_antal", "tema"}
    columns = [c for c in table.columns if c.key not in hidden]
    current = table.sort.lstrip("-")
    heads = []
    for c in columns:
        descending = table.sort == f"-{c.key}"
        nxt = c.key if (c.key != current or descending) else f"-{c.key}"
        heads.append({"key": c.key, "title": c.title(lang), "kind": c.kind, "hint": c.hint(lang),
                      "href": _link(ordning=nxt),
                      "sorted": ("descending" if descending else "ascending")
                      if c.key == current else ""})
    facets = []
    for f in table.facets:
        values = [{"label": v.label, "count": v.count, "selected": v.selected, "lang": v.lang,
                   "href": _toggle(f.key, v.value) if v.value else None} for v in f.values]
        if values:
            facets.append({"key": f.key, "title": f.title, "values": values,
                           "open": any(v["selected"] for v in values)})
    chosen = [{"facet": f.title, "label": v.label, "href": _toggle(f.key, v.value)}
              for f in table.facets for v in f.values if v.selected]
    def rows(source: list[dict[str, Any]]) -> list[list[Any]]:
        return [[_cell(r.get(c.key)) for c in columns] for r in source]

    base = get_urls().current(sida=None, avgransare=None)
    path, _, query = base.partition("?")
    suffix = ("?" + query) if query else ""
    joiner = "&" if query else "?"
    return {
        "name": table.name, "title": table.title(lang), "count": table.total,
        "heads": heads, "rows": rows(shown),
        "undated": rows(table.undated) if page == pages else [],
        "undated_count": len(table.undated),
        "facets": facets, "chosen": chosen,
        "period": {"fran": table.filters.fran, "till": table.filters.till},
        "q": table.filters.text,
        "page": page, "pages": pages,
        "prev": get_urls().page(page - 1) if page > 1 else None,
        "next": get_urls().page(page + 1) if page < pages else None,
        "downloads": [
            {"label": "Excel", "href": f"{path}.xlsx{suffix}", "kind": "xlsx"},
            {"label": t("tables.csv_semicolon"),
             "href": f"{path}.csv{suffix}{joiner}avgransare=semikolon", "kind": "csv"},
            {"label": t("tables.csv_comma"), "href": f"{path}.csv{suffix}", "kind": "csv"},
            {"label": "JSON", "href": f"{path}.json{suffix}", "kind": "json"},
        ],
        "clear": path if query else None,
        "pack": _pack_link(table),
    }


def _pack_link(table: Table) -> str | None:
    chosen = table.filters.get("deltagare") or table.filters.get("kommun")
    if table.name != "projekt" or len(chosen) != 1:
        return None
    return "/underlag?" + urlencode({"organisation": chosen[0]})


def _twins() -> list[dict[str, str]]:
    """The data twins of the current table view (same filters)."""
    path, _, query = get_urls().current(sida=None).partition("?")
    tail = f"?{query}" if query else ""
    return [{"media_type": _MEDIA[e].split(";")[0], "href": f"{path}.{e}{tail}",
             "label": label} for e, label in (("json", "JSON"), ("csv", "CSV"),
                                              ("xlsx", "Excel"))]


def _view(name: str, ext: str | None) -> Response:
    if ext is not None and ext not in _MEDIA:
        abort(404)
    spec = TABLES[name]
    table = table_from_request(name)
    if ext is None and wants_json():
        ext = "json"
    if ext is not None:
        return _download(table, ext)
    twins = _twins()
    resp = Response(render_template("tables/table.html", page=_page(spec, table),
                                    alternates=twins), mimetype="text/html")
    resp.headers["X-Content-Type-Options"] = "nosniff"
    return advertise(resp, twins, negotiated=True)


def _route(name: str, path: str) -> None:
    def view(ext: str | None = None) -> Response:
        return _view(name, ext)

    view.__name__ = f"table_{name}"
    view.__doc__ = f"The table of {name} (HTML, or .json/.csv/.xlsx with the same filters)."
    bp.add_url_rule(path, view.__name__, view)
    bp.add_url_rule(f"{path}.<ext>", view.__name__, view)


for _name in TABLES:
    _route(_name, f"/{_name}")
