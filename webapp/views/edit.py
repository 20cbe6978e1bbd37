"""Edit forms: add and change projects, organisations, people and their relations.

``/redigera`` lists what can be added; ``/redigera/ny/<kind>`` and ``/redigera/<path>`` (the
path of an entity page, ``id/projekt/x``) show the form derived from the SHACL shapes and
take its POST. A save goes view → :class:`kg.edit.service.EditService` → store; this module
never writes SPARQL. ``/redigera/api/entiteter`` is the type-ahead behind entity fields.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request
from rdflib import URIRef

from kg.edit.forms import Edit, FormData, Minter, parse_posted, plan_edit, read_form
from kg.edit.lookup import Lookup
from kg.edit.model import APPROVED, Source
from kg.edit.service import ConflictError, EditError
from kg.edit.shapes import FormSpec
from kg.errors import ValidationError
from kg.i18n import Message, localized
from kg.namespaces import curie
from kg.query.search import fold
from kg.store.delta import Delta
from webapp.auth import current_actor, require
from webapp.edit_pages import conflict_rows, decode_original, encode_original, form_page, source_from_form
from webapp.editing import get_service
from webapp.i18n import current_lang, t
from webapp.urls import get_urls

__all__ = ["bp"]

bp = Blueprint("edit", __name__)


@bp.get("/redigera")
@require("redaktör")
def index() -> Any:
    """What can be added (every kind of entity with a form)."""
    service = get_service()
    lang = current_lang()
    kinds = [{"key": f.key, "label": f.label.get(lang) or f.label.get("sv")} for f in service.forms.top]
    order = ["projekt", "organisation", "person"]
    kinds.sort(key=lambda k: (order.index(k["key"]) if k["key"] in order else 9, k["label"]))
    return render_template("edit/index.html", kinds=kinds, pending=len(service.pending()))


@bp.get("/redigera/api/entiteter")
@require("redaktör")
def suggest() -> Response:
    """Type-ahead: entities of the given classes whose names match ``q`` (JSON)."""
    q = request.args.get("q", "")[:100]
    classes = tuple(c for c in request.args.get("klass", "").split() if c.startswith(("http://", "https://")))
    lookup = Lookup(get_service().store, current_lang())
    hits = lookup.suggest(q, classes, limit=12) if q.strip() else []
    labels = [fold(h.label) for h in hits]
    out = []
    for h in hits:
        item = h.as_dict()
        item["value"] = h.label if labels.count(fold(h.label)) == 1 else f"{h.label} ({curie(h.iri)})"
        out.append(item)
    return jsonify({"hits": out})


def _spec_or_404(key: str) -> FormSpec:
    spec = get_service().forms.by_key.get(key)
    if spec is None:
        abort(404, t("edit.err.no_form", form=key))
    return spec


@bp.route("/redigera/ny/<key>", methods=["GET", "POST"])
@require("redaktör")
def new(key: str) -> Any:
    """The form for a new entity of a kind."""
    spec = _spec_or_404(key)
    if request.method == "POST":
        return _save(spec, "")
    return _render(spec, FormData(), {}, base_version="", original="")


@bp.route("/redigera/<path:path>", methods=["GET", "POST"])
@require("redaktör")
def edit(path: str) -> Any:
    """The form of an existing entity (``path`` as on its page: ``id/projekt/x``)."""
    service = get_service()
    iri = get_urls().iri_for_path(path)
    spec = service.spec_for(iri)
    if spec is None:
        abort(404, t("edit.err.not_editable"))
    if request.method == "POST":
        return _save(spec, iri)
    data = read_form(service.store, spec, iri, Lookup(service.store, current_lang()))
    return _render(spec, data, {}, base_version=service.version_of(iri), original=encode_original(data))


def _label(spec: FormSpec, data: FormData) -> str:
    name = spec.name_field
    if name is None:
        return spec.label.get(current_lang()) or spec.label.get("sv", "")
    values = data.values.get(f"{name.key}.sv") or data.values.get(name.key) or [""]
    return values[0]


def _render(spec: FormSpec, data: FormData, errors: dict[str, str], *, base_version: str, original: str,
            source: Source | None = None, reason: str = "", conflict: list[dict[str, Any]] | None = None,
            status: int = 200) -> Response:
    service = get_service()
    pending = len([c for c in service.pending() if data.iri and data.iri in c.entities]) if data.iri else 0
    errors = {name: localized(message, current_lang()) for name, message in errors.items()}
    page = form_page(service.store, spec, data, errors, base_version=base_version, original=original,
                     label=_label(spec, data), source=source, reason=reason, pending=pending)
    page["conflict"] = conflict
    actor = current_actor()
    page["can_publish"] = bool(actor and actor.can_review) or not service.review
    page["page_url"] = request.path
    html = render_template("edit/form.html", page=page)
    return Response(html, status=status, mimetype="text/html")


def _violations_to_fields(exc: ValidationError, edit: Edit, spec: FormSpec) -> dict[str, str]:
    errors: dict[str, str] = {}
    lang = current_lang()
    for v in exc.violations:
        prefix = "f." if v.focus == edit.iri else edit.row_names.get(v.focus, "")
        form = spec if prefix == "f." else next((g.form for g in spec.groups if prefix.startswith(f"g.{g.key}.")), None)
        field = form.field(v.path) if form is not None and v.path else None
        if field is not None and prefix:
            lang = f".{field.required_lang or 'sv'}" if field.widget in ("lang", "longlang") else ""
            name = prefix + field.key + lang
            errors.setdefault(name, localized(v.message, lang))
        else:
            errors["form"] = (errors.get("form", "") + " " + localized(v.message, lang)).strip()
    return errors


def _save(spec: FormSpec, iri: str) -> Any:
    service = get_service()
    actor = current_actor()
    assert actor is not None
    form = {k: request.form.getlist(k) for k in request.form}
    posted = parse_posted(form, spec, iri)
    source = source_from_form()
    reason = request.form.get("anledning", "").strip()
    base = request.form.get("version", "")
    original = request.form.get("original", "")
    lookup = Lookup(service.store, current_lang())
    if iri and base and base != service.version_of(iri):
        return _conflict(spec, iri, posted, source, reason, original)
    errors: dict[str, str] = {}
    try:
        source = service.prepare_source(source)
    except EditError as exc:
        errors["source"] = exc.as_message()
    if not reason:
        errors["reason"] = Message("edit.err.no_reason")
    edit = plan_edit(service.store, spec, posted, lookup, Minter(service.store, service.base),
                     URIRef(source.iri) if source.iri else None)
    errors.update(edit.errors)
    if errors:
        return _render(spec, posted, errors, base_version=base, original=original, source=source, reason=reason,
                       status=400)
    label = _label(spec, posted) or curie(edit.iri)
    verb = "Nytt" if not iri else "Ändrat"
    summary = f"{verb} {spec.label.get('sv', spec.key).lower()}: {label}"
    publish = (actor.can_review and not request.form.get("bara_forslag")) or not service.review
    try:
        cs = service.create(
            Delta(remove=tuple((s, p, o, None) for s, p, o in edit.removes),
                  add=tuple((s, p, o, None) for s, p, o in edit.adds)),
            author=actor, reason=reason, source=source, entities=edit.nodes,
            base_versions=[(iri, base)] if iri and base else [], summary=summary, publish=publish)
    except ValidationError as exc:
        errors = _violations_to_fields(exc, edit, spec)
        return _render(spec, posted, errors, base_version=base, original=original, source=source, reason=reason,
                       status=400)
    except ConflictError:
        return _conflict(spec, iri, posted, source, reason, original)
    except EditError as exc:
        return _render(spec, posted, {"form": exc.as_message()}, base_version=base, original=original, source=source,
                       reason=reason, status=400)
    if cs.state == APPROVED:
        flash(t("edit.saved_published"))
        return redirect(get_urls().entity(edit.iri))
    flash(t("edit.saved_proposed"))
    return redirect(f"/andringar/{cs.id}")


def _conflict(spec: FormSpec, iri: str, mine: FormData, source: Source, reason: str, original: str) -> Response:
    """The entity changed under the editor: show what changed; offer the current state with
    the editor's own changes on top (nothing is written)."""
    service = get_service()
    lookup = Lookup(service.store, current_lang())
    now = read_form(service.store, spec, iri, lookup)
    then = decode_original(original) or now
    table = conflict_rows(service.store, spec, then, now, mine)
    merged = FormData(iri, dict(now.values), {k: list(v) for k, v in now.rows.items()})
    for key, value in mine.values.items():
        if sorted(value) != sorted(then.values.get(key, [])):
            merged.values[key] = value
    for key, rows in mine.rows.items():
        merged.rows.setdefault(key, []).extend(r for r in rows if not r.iri and not r.empty())
    return _render(spec, merged, {}, base_version=service.version_of(iri), original=encode_original(now),
                   source=source, reason=reason, conflict=table or [{"field": "–", "then": "", "now": "", "mine": ""}],
                   status=409)
