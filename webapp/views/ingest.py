"""Reading a document for review ("Läs in dokument"): paste a text or upload a file, see the
document with what it mentions highlighted and the proposed facts as a list, accept (as
proposed or with fields changed), reject or leave each, and send the accepted ones as ONE
changeset with the document as its source. Signed-in redaktör or granskare only; every form
carries a CSRF token (Flask-WTF, installed by :mod:`webapp.auth`).

View → :mod:`kg.ingest` (reading, proposals, the changeset plan) → edit service → store;
nothing here writes SPARQL, and nothing is published before a granskare approves it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request

from kg.config import Settings
from kg.edit.service import EditError
from kg.errors import IngestError, NotFoundError, ValidationError
from kg.i18n import localized
from kg.ingest.accept import ACCEPT, REJECT, concept_choices, submit
from kg.ingest.extract import MAX_BYTES, extract
from kg.ingest.inbox import Inbox, Stored
from kg.ingest.model import Mention, Proposal
from kg.ingest.pipeline import analyse
from kg.namespaces import KFV, ORG, RDFS, SCHEMA, curie
from webapp.auth import current_actor, require
from webapp.editing import get_service
from webapp.i18n import current_lang, t
from webapp.security import UPLOAD_BYTES, large_body

__all__ = ["bp"]

bp = Blueprint("ingest", __name__)

#: Properties an editor may change on the review page, in the order shown.
EDITABLE = (str(RDFS.label), str(ORG.role), str(ORG.member), str(ORG.organization), str(SCHEMA.funder),
            str(SCHEMA.fundedItem), str(SCHEMA.amount), str(KFV.year), str(KFV.status), str(SCHEMA.startDate),
            str(SCHEMA.endDate), str(SCHEMA.value), str(SCHEMA.unitText), str(SCHEMA.name))
_SCHEMES = {str(ORG.role): ("projektroll", "organisationsroll"), str(KFV.status): ("status",)}
_ORDER = ("entitet", "finansiering", "roll", "uppdrag", "status", "period", "resultat")


def _inbox() -> Inbox:
    settings: Settings = current_app.config["KG_SETTINGS"]
    return Inbox(settings.ingest_dir)


def _concepts(schemes: tuple[str, ...]) -> dict[str, str]:
    service = get_service()
    return concept_choices(service.store, service.base, schemes)


@dataclass
class Field:
    name: str
    label: str
    value: str
    options: dict[str, str] = field(default_factory=dict)


@dataclass
class Row:
    proposal: Proposal
    kind_label: str
    fields: list[Field]
    decision: str
    error: str = ""


def _options(stored: Stored) -> dict[str, dict[str, dict[str, str]]]:
    """For every proposal, the choices of each entity or concept field."""
    result = stored.result
    concepts = {prop: _concepts(schemes) for prop, schemes in _SCHEMES.items()}
    new = {p.subject: p.subject_label for p in result.proposals if p.kind == "entitet"}
    out: dict[str, dict[str, dict[str, str]]] = {}
    for p in result.proposals:
        per: dict[str, dict[str, str]] = {}
        near = [m for m in result.mentions if p.start <= m.start < p.end]
        for prop, values in p.values.items():
            if prop not in EDITABLE or not values or not values[0].iri:
                continue
            current = values[0]
            if prop in concepts:
                scheme = current.value.rsplit("/", 2)[-2]
                per[prop] = {k: v for k, v in concepts[prop].items() if f"/{scheme}/" in k} or concepts[prop]
                continue
            choices = {current.value: current.label or current.value}
            kinds = {c.kind for m in near for c in m.candidates if c.iri == current.value} or {"organisation"}
            for m in near:
                for c in m.candidates:
                    if c.kind in kinds:
                        choices.setdefault(c.iri, c.label + (t("ingest.new_suffix") if c.iri in new else ""))
            per[prop] = choices
        out[p.id] = per
    return out


def _rows(stored: Stored, errors: dict[str, str], edits: dict[str, dict[str, str]]) -> list[Row]:
    options = _options(stored)
    rows = []
    for p in sorted(stored.result.proposals, key=lambda x: (_ORDER.index(x.kind) if x.kind in _ORDER else 9,
                                                            int(x.id[1:]))):
        fields = []
        for prop in EDITABLE:
            values = p.values.get(prop)
            if not values or ((p.kind == "roll" and prop in (str(ORG.organization),)) and False):
                continue
            v = values[0]
            shown = edits.get(p.id, {}).get(prop, v.value)
            local = prop.replace("#", "/").rsplit("/", 1)[-1]
            fields.append(Field(f"e-{p.id}-{curie(prop)}", t(f"ingest.field.{local}"), shown,
                                options.get(p.id, {}).get(prop, {})))
        rows.append(Row(p, t(f"ingest.proposal_kind.{p.kind}"), fields,
                        stored.decisions.get(p.id, "leave"), localized(errors.get(p.id, ""), current_lang())))
    return rows


def _segments(text: str, mentions: list[Mention]) -> list[list[dict[str, Any]]]:
    """The document as paragraphs of plain and highlighted pieces (escaped by the template)."""
    chosen: list[Mention] = []
    end = -1
    for m in sorted(mentions, key=lambda x: (x.start, -(x.end - x.start))):
        if m.start >= end:
            chosen.append(m)
            end = m.end
    paragraphs: list[list[dict[str, Any]]] = [[]]
    pos = 0

    def plain(chunk: str) -> None:
        parts = chunk.split("\n\n")
        for i, part in enumerate(parts):
            if i:
                paragraphs.append([])
            if part:
                paragraphs[-1].append({"text": part})

    for m in chosen:
        plain(text[pos:m.start])
        cands = m.candidates if m.group else m.candidates[:4]
        title = "; ".join(f"{c.label} ({curie(c.iri)}, {c.score:.2f})" for c in cands)
        state = "ny" if m.new else ("saker" if m.certain else "osaker")
        paragraphs[-1].append({"text": text[m.start:m.end], "kind": m.kind, "state": state, "title": title,
                               "id": m.id})
        pos = m.end
    plain(text[pos:])
    return [p for p in paragraphs if p]


def _review_page(stored: Stored, errors: dict[str, str] | None = None, edits: dict[str, dict[str, str]] | None = None,
                 message: str = "", status: int = 200, reason: str = "") -> Any:
    errors = errors or {}
    actor = current_actor()
    result = stored.result
    rows = _rows(stored, errors, edits or {})
    counts = {k: sum(1 for r in rows if r.proposal.kind == k) for k in _ORDER}
    kinds = {"projekt": 0, "organisation": 0, "person": 0, "plats": 0, "tema": 0}
    for m in result.mentions:
        kinds[m.kind] = kinds.get(m.kind, 0) + 1
    return render_template(
        "ingest/review.html", stored=stored, result=result, rows=rows, counts=counts, errors=errors,
        paragraphs=_segments(result.text, result.mentions), message=message, reason=reason,
        can_publish=(actor is not None and actor.can_review) or not get_service().review,
        mention_counts=kinds, certain=sum(1 for m in result.mentions if m.certain and not m.new),
        uncertain=sum(1 for m in result.mentions if not m.certain and not m.new),
    ), status


@bp.get("/redigera/inlasning")
@require("redaktör")
def start() -> Any:
    """The form: paste a text or upload a file; the latest documents read."""
    return render_template("ingest/start.html", recent=_inbox().recent(15), error="", text="", url="", title="",
                           max_mb=MAX_BYTES // 1024 // 1024)


@bp.post("/redigera/inlasning")
@large_body(UPLOAD_BYTES)
@require("redaktör")
def read() -> Any:
    """Read the pasted text or the uploaded file; keep it and show the review page."""
    def again(message: str, status: int) -> Any:
        return render_template("ingest/start.html", recent=_inbox().recent(15), error=message,
                               text=request.form.get("text", "")[:200_000], url=request.form.get("url", ""),
                               title=request.form.get("title", "")[:200],
                               max_mb=MAX_BYTES // 1024 // 1024), status

    length = request.content_length or 0
    if length > MAX_BYTES + 1024 * 1024:
        return again(t("ingest.too_large", size=f"{length / 1024 / 1024:.1f}", mb=MAX_BYTES // 1024 // 1024), 413)
    upload = request.files.get("fil")
    text = request.form.get("text", "")
    try:
        if upload is not None and upload.filename:
            data = upload.stream.read(MAX_BYTES + 1)
            name: str | None = upload.filename
            if len(data) > MAX_BYTES:
                return again(t("ingest.too_large", size=f"{len(data) / 1024 / 1024:.1f}",
                                 mb=MAX_BYTES // 1024 // 1024), 413)
        elif text.strip():
            data, name = text.encode("utf-8"), None
        else:
            return again(t("ingest.nothing_given"), 400)
        doc = extract(data, name)
        title = " ".join(request.form.get("title", "").split())[:200]
        if title:
            doc.title = title
        result = analyse(get_service().store, doc)
    except IngestError as exc:
        return again(exc.text(current_lang()), 400)
    actor = current_actor()
    stored = _inbox().add(data, name, result, actor.username if actor else "", url=request.form.get("url", "")[:500])
    return redirect(f"/redigera/inlasning/{stored.id}", 303)


def _stored(doc_id: str) -> Stored:
    try:
        return _inbox().get(doc_id)
    except NotFoundError as exc:
        abort(404, exc.text(current_lang()))


@bp.get("/redigera/inlasning/<doc_id>")
@require("redaktör")
def review(doc_id: str) -> Any:
    """The document with its mentions highlighted and the proposals to decide on."""
    return _review_page(_stored(doc_id))


@bp.post("/redigera/inlasning/<doc_id>")
@require("redaktör")
def decide(doc_id: str) -> Any:
    """Record the decisions; make one changeset of the accepted proposals."""
    stored = _stored(doc_id)
    if stored.changeset:
        flash(t("ingest.already_done", id=stored.changeset))
        return redirect(f"/andringar/{stored.changeset}", 303)
    ids = {p.id for p in stored.result.proposals}
    decisions = {pid: request.form.get(f"d-{pid}", "leave") for pid in ids}
    decisions = {k: v for k, v in decisions.items() if v in (ACCEPT, REJECT)}
    edits: dict[str, dict[str, str]] = {}
    for p in stored.result.proposals:
        for prop in EDITABLE:
            given = request.form.get(f"e-{p.id}-{curie(prop)}")
            if given is not None and prop in p.values and given != p.values[prop][0].value:
                edits.setdefault(p.id, {})[prop] = given[:500]
    stored.decisions = decisions
    reason = request.form.get("reason", "")[:1000]
    actor = current_actor()
    assert actor is not None
    try:
        cs, plan = submit(get_service(), actor, stored, decisions, edits, _options(stored), reason,
                          url=request.form.get("url", "") or stored.url)
    except ValidationError as exc:
        msgs = "; ".join(localized(v.message, current_lang()) for v in exc.violations[:5])
        return _review_page(stored, {}, edits, t("ingest.breaks_model", messages=msgs), 400, reason)
    except EditError as exc:
        _inbox().save(stored)
        return _review_page(stored, {}, edits, exc.text(current_lang()), 400, reason)
    if cs is None:
        return _review_page(stored, plan.errors, edits, t("ingest.fix_marked"), 400, reason)
    stored.changeset = cs.id
    _inbox().save(stored)
    taken = [stored.result.proposal(pid) for pid in plan.added_because_needed]
    extra = t("ingest.also_needed", names=", ".join(p.subject_label for p in taken if p)) if taken else ""
    key = "ingest.done_published" if cs.published else "ingest.done_proposed"
    flash(t(key, n=len(plan.proposals), extra=extra))
    return redirect(f"/andringar/{cs.id}", 303)


@bp.get("/redigera/inlasning/<doc_id>/fil")
@require("redaktör")
def original(doc_id: str) -> Any:
    """The file as it was read, as a download (never shown as a page of this site)."""
    from flask import send_file

    stored = _stored(doc_id)
    response = send_file(stored.file_path, as_attachment=True, download_name=stored.file,
                         mimetype="application/octet-stream")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
