"""``/underlag``: the funding-application pack of an organisation or municipality
(``?organisation=solleftea-kommun``) and the fact sheet of a project (``?projekt=teo``), as a
page and as ``/underlag.docx`` (Word) and ``/underlag.xlsx`` (Excel) with the same
parameters. Without a parameter: a form to choose one.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, abort, render_template, request

from kg.cache import per_version
from kg.export.pack import pack_docx, pack_xlsx
from kg.export.tables import Download, file_name
from kg.namespaces import PREFIXES
from kg.query.catalog import choice_options, parse_iri
from kg.query.tables.model import Ref, Table
from kg.query.tables.pack import OrganisationPack, ProjectSheet, organisation_pack, project_sheet
from webapp.i18n import current_lang, t
from webapp.state import get_store
from webapp.urls import get_urls
from webapp.views.tables import _cell

__all__ = ["bp"]

bp = Blueprint("pack", __name__)

_MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _iri(param: str, prefix: str) -> str:
    raw = request.args.get(param, "").strip()
    if not raw:
        return ""
    return str(parse_iri(raw if ":" in raw else f"{prefix}:{raw}"))


def _table(table: Table, lang: str) -> dict[str, Any]:
    columns = [c for c in table.columns if c.key not in ("start", "slut")]
    return {"title": table.title(lang), "count": table.total,
            "heads": [{"title": c.title(lang), "kind": c.kind, "key": c.key} for c in columns],
            "rows": [[_cell(r.get(c.key)) for c in columns] for r in table.all_rows()]}


def _choices(lang: str) -> dict[str, list[dict[str, str]]]:
    store = get_store()
    out = {}
    for name in ("municipalities", "partners", "projects"):
        def compute(n: str = name) -> list[tuple[str, str]]:
            return choice_options(store, n, lang)

        pairs: list[tuple[str, str]] = per_version(store, f"choices:{name}:{lang}", compute)
        out[name] = [{"value": iri.rsplit("/", 1)[-1], "label": label} for iri, label in pairs]
    return out


def _info(title: str, chosen: list[tuple[str, str]]) -> Download:
    return Download(title, request.url_root.rstrip("/") + get_urls().current(),
                    version=get_store().data_version(), params=chosen, lang=current_lang())


@bp.get("/underlag")
@bp.get("/underlag.<ext>")
def pack(ext: str | None = None) -> Response:
    """The pack of an organisation or the fact sheet of a project (page, .docx, .xlsx)."""
    if ext is not None and ext not in _MEDIA:
        abort(404)
    lang = current_lang()
    store = get_store()
    org = _iri("organisation", "organisation")
    project = _iri("projekt", "projekt")
    result: OrganisationPack | ProjectSheet | None = None
    if project:
        result = project_sheet(store, project, lang)
    elif org:
        result = organisation_pack(store, org, lang)
    if result is None:
        if ext is not None:
            abort(404)
        return Response(render_template("tables/pack.html", page={
            "choices": _choices(lang), "title": t("pack.title")}), mimetype="text/html")
    subject: Ref = result.org if isinstance(result, OrganisationPack) else result.project
    title = (t("pack.title_org", name=subject.label) if isinstance(result, OrganisationPack)
             else t("pack.title_project", name=subject.label))
    if ext is not None:
        # the selection in words ("Organisation: Sollefteå kommun"), not the URL's slug
        info = _info(title, [(t("entity.organisation") if isinstance(result, OrganisationPack)
                              else t("pack.project"), subject.label)])
        urls = get_urls()
        root = request.url_root.rstrip("/")
        body = pack_docx(result, info) if ext == "docx" else pack_xlsx(
            result, info, lambda iri: root + urls.entity(iri) if urls.is_local(iri) else iri)
        resp = Response(body, content_type=_MEDIA[ext])
        kind = "ansokningsunderlag" if isinstance(result, OrganisationPack) else "faktablad"
        name = file_name(kind, [("", subject.iri.rsplit("/", 1)[-1])], ext)
        resp.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return resp
    query = urlencode({k: v for k, v in request.args.items()})
    page: dict[str, Any] = {
        "title": title, "subject": {"label": subject.label,
                                    "href": get_urls().entity(subject.iri)},
        "kind": "org" if isinstance(result, OrganisationPack) else "project",
        "tables": [_table(tb, lang) for tb in result.tables()],
        "docx": f"/underlag.docx?{query}", "xlsx": f"/underlag.xlsx?{query}",
    }
    if isinstance(result, ProjectSheet):
        page["facts"] = [{"label": k, "value": _cell(v)} for k, v in result.facts]
        page["description"] = result.description
    else:
        slug = subject.iri[len(PREFIXES["organisation"]):]
        page["table_link"] = "/projekt?" + urlencode({"deltagare": slug})
    return Response(render_template("tables/pack.html", page=page), mimetype="text/html")
