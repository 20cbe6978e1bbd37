"""Changes as pages: "Senaste ändringar" (and its Atom feed), one changeset with its diff,
the review queue, an entity's history; and the reviewers' actions (approve, reject, revert).

Published changes are public (who, when, why, source); proposals and rejections are shown
only to signed-in editors. Every POST needs a granskare and a CSRF token.
"""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

from flask import Blueprint, Response, abort, flash, jsonify, redirect, render_template, request

from kg.edit.diff import readable
from kg.edit.model import APPROVED, PROPOSED, Changeset
from kg.edit.service import ConflictError, EditError
from kg.errors import NotFoundError
from kg.namespaces import curie
from kg.query.search import index_for
from webapp.auth import current_actor, require
from webapp.editing import get_service
from webapp.i18n import current_lang, t
from webapp.urls import get_urls

__all__ = ["bp", "entity_history"]

bp = Blueprint("changes", __name__)
FEED_SIZE = 50


_NAME_PROPS = ("http://www.w3.org/2000/01/rdf-schema#label", "http://xmlns.com/foaf/0.1/name",
               "https://schema.org/name", "https://schema.org/headline")


def _namers(cs: Changeset | None = None) -> tuple[Any, Any]:
    """Display names of entities (the search index, then names the changeset itself adds)
    and of properties (the field names of the subject's form, in the UI language)."""
    service = get_service()
    index = index_for(service.store)
    lang = current_lang()
    forms = service.forms
    generic: dict[str, str] = {}
    for form in forms.by_class.values():
        for f in form.fields:
            generic.setdefault(f.path, f.label.get(lang) or f.label.get("sv", f.key))
    generic.setdefault(_NAME_PROPS[0], "namn")
    generic.setdefault("http://purl.org/dc/terms/source", "källa")
    own: dict[str, str] = {}
    if cs is not None and cs.source.iri and cs.source.kind != "document":
        own[cs.source.iri] = cs.source.label()
    types: dict[str, set[str]] = {}
    for s, p, o, _g in (*(cs.adds if cs else ()), *(cs.removes if cs else ())):
        if str(p) in _NAME_PROPS and str(s) not in own and getattr(o, "language", None) in (None, "sv", lang):
            own[str(s)] = str(o)
        if str(p) == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type":
            types.setdefault(str(s), set()).add(str(o))

    def name_of(iri: str) -> str:
        entry = index.get(iri)
        return entry.label(lang) if entry is not None else own.get(iri) or curie(iri)

    def prop_of(subject: str, prop: str) -> str:
        entry = index.get(subject)
        form = forms.for_types(types.get(subject) or (entry.types if entry else set()))
        field = form.field(prop) if form is not None else None
        if field is not None:
            return field.label.get(lang) or field.label.get("sv", field.key)
        return generic.get(prop) or curie(prop)

    return name_of, prop_of


def _ref(service: Any, cs_id: str) -> dict[str, str]:
    """A link to another changeset, named by its summary ("Nytt projekt: …"), not its id."""
    try:
        other = service.get(cs_id)
    except NotFoundError:  # a journal without it still links by id
        return {"id": cs_id, "url": f"/andringar/{cs_id}"}
    return {"id": other.summary or cs_id, "url": f"/andringar/{cs_id}"}


def _card(cs: Changeset, *, diff: bool = False) -> dict[str, Any]:
    service = get_service()
    urls = get_urls()
    name_of, prop_of = _namers(cs)
    review = cs.review
    reverted = service.reverted_by(cs.id)
    out: dict[str, Any] = {
        "id": cs.id, "url": f"/andringar/{cs.id}", "summary": cs.summary or t("changes.changeset", id=cs.id),
        "author": cs.author_name or cs.author, "created": cs.created, "published": cs.published_at,
        "reason": cs.reason, "state": cs.state, "state_label": t(f"changes.state.{cs.state}"),
        "source": {"label": cs.source.label() if cs.source.kind != "document" else name_of(cs.source.iri),
                   "url": urls.entity(cs.source.iri) if cs.source.iri else "", "quote": cs.source.quote,
                   "link": cs.source.url if cs.source.url.startswith(("http://", "https://")) else ""},
        "entities": [{"label": name_of(e), "url": urls.entity(e)} for e in cs.entities[:8]],
        "reviewer": (review.reviewer_name or review.reviewer) if review else "",
        "review_note": review.note if review else "", "reviewed": review.time if review else "",
        "reverts": _ref(service, cs.reverts) if cs.reverts else None,
        "reverted_by": ({"id": reverted.summary or reverted.id, "url": f"/andringar/{reverted.id}"}
                        if reverted else None),
    }
    if diff:
        removes = review.removes if review is not None and review.removes else None
        groups = readable(cs, name_of, prop_of, removes)
        for g in groups:
            g["url"] = urls.entity(g["iri"])
        out["diff"] = groups
    return out


def _visible(cs: Changeset) -> bool:
    return cs.state == APPROVED or current_actor() is not None


@bp.get("/andringar")
def recent() -> Any:
    """The latest published changes (signed-in editors also see proposals and rejections)."""
    service = get_service()
    actor = current_actor()
    states = ("approved", "proposed", "rejected") if actor and request.args.get("alla") else ("approved",)
    items = [_card(c) for c in service.recent(100, states=states)]
    if request.args.get("format") == "json" or request.accept_mimetypes.best == "application/json":
        return jsonify({"changes": items})
    return render_template("changes/recent.html", items=items, pending=len(service.pending()) if actor else 0,
                           everything=len(states) > 1)


@bp.get("/andringar.atom")
def feed() -> Response:
    """Atom feed of published changes."""
    service = get_service()
    root = request.url_root.rstrip("/")
    items = service.recent(FEED_SIZE)
    updated = items[0].published_at if items else "1970-01-01T00:00:00Z"
    entries = []
    for cs in items:
        card = _card(cs)
        text = f"{card['reason']} — Källa: {card['source']['label']}"
        entries.append(
            "<entry>"
            f"<id>{escape(service.base)}id/andring/{escape(cs.id)}</id>"
            f"<title>{escape(card['summary'])}</title>"
            f"<updated>{escape(cs.published_at)}</updated>"
            f"<author><name>{escape(card['author'])}</name></author>"
            f'<link rel="alternate" type="text/html" href="{escape(root)}/andringar/{escape(cs.id)}"/>'
            f'<summary type="text">{escape(text)}</summary>'
            "</entry>")
    body = ('<?xml version="1.0" encoding="utf-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="sv">'
            f"<id>{escape(service.base)}andringar</id><title>Samverkansgrafen: senaste ändringar</title>"
            f"<updated>{escape(updated)}</updated>"
            f'<link rel="self" href="{escape(root)}/andringar.atom"/>'
            f'<link rel="alternate" type="text/html" href="{escape(root)}/andringar"/>'
            + "".join(entries) + "</feed>")
    return Response(body, mimetype="application/atom+xml")


@bp.get("/andringar/<cs_id>")
def detail(cs_id: str) -> Any:
    """One changeset: who, when, why, source, state and the readable diff."""
    service = get_service()
    cs = service.get(cs_id)  # NotFoundError -> 404
    if not _visible(cs):
        abort(404)
    return render_template("changes/detail.html", cs=_card(cs, diff=True), raw=cs)


@bp.get("/granskning")
@require("redaktör")
def queue() -> Any:
    """Proposals waiting for review, each with its diff."""
    service = get_service()
    return render_template("changes/queue.html", items=[_card(c, diff=True) for c in service.pending()])


def _target() -> Changeset:
    cs_id = request.view_args.get("cs_id", "") if request.view_args else ""
    return get_service().get(cs_id)


@bp.post("/andringar/<cs_id>/godkann")
@require("granskare")
def approve(cs_id: str) -> Any:
    """Publish a proposal."""
    actor = current_actor()
    assert actor is not None
    try:
        get_service().approve(cs_id, actor, force=bool(request.form.get("anda")))
    except ConflictError:
        flash(t("review.conflict"), "conflict")
        return redirect(f"/andringar/{cs_id}")
    except EditError as exc:
        flash(exc.text(current_lang()), "error")
        return redirect(f"/andringar/{cs_id}")
    flash(t("review.approved"))
    return redirect(f"/andringar/{cs_id}")


@bp.post("/andringar/<cs_id>/avsla")
@require("granskare")
def reject(cs_id: str) -> Any:
    """Turn a proposal down, with a reason."""
    actor = current_actor()
    assert actor is not None
    try:
        get_service().reject(cs_id, actor, request.form.get("motivering", ""))
    except EditError as exc:
        flash(exc.text(current_lang()), "error")
        return redirect(f"/andringar/{cs_id}")
    flash(t("review.rejected"))
    return redirect("/granskning")


@bp.post("/andringar/<cs_id>/aterstall")
@require("granskare")
def revert(cs_id: str) -> Any:
    """Undo a published changeset with a new one."""
    actor = current_actor()
    assert actor is not None
    try:
        new = get_service().revert(cs_id, actor, request.form.get("motivering", "").strip())
    except (ConflictError, EditError) as exc:
        flash(exc.text(current_lang()), "error")
        return redirect(f"/andringar/{cs_id}")
    flash(t("changes.reverted"))
    return redirect(f"/andringar/{new.id}")


def entity_history(iri: str, limit: int | None = None) -> list[dict[str, Any]]:
    """Published changesets that touched an entity, newest first (for its page)."""
    items = get_service().history(iri)
    return [_card(c) for c in (items[:limit] if limit else items)]


@bp.get("/historik/<path:path>")
def history(path: str) -> Any:
    """Every published change of one entity, with diffs."""
    service = get_service()
    urls = get_urls()
    iri = urls.iri_for_path(path)
    name_of, _ = _namers()
    cards = [_card(c, diff=True) for c in service.history(iri)]
    actor = current_actor()
    if actor is not None:
        cards += [_card(c, diff=True) for c in service.pending() if iri in c.entities]
    return render_template("changes/history.html", items=cards, label=name_of(iri), iri=iri,
                           url=urls.entity(iri), pending=[c for c in cards if c["state"] == PROPOSED])
