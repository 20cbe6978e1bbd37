"""Building the edit form page from a form description (:mod:`kg.edit.shapes`) and a form's
values (:mod:`kg.edit.forms`): labels in the UI language, value lists from the SKOS schemes,
hints, errors on their fields, and the conflict table."""

from __future__ import annotations

import base64
import json
from typing import Any

from flask import request

from kg.cache import per_version
from kg.edit.forms import FormData, Row
from kg.edit.model import Source
from kg.edit.shapes import FieldSpec, FormSpec
from kg.query.labels import pick_label
from kg.query.vocabulary import concepts_by_scheme
from kg.query.vocabulary import documents as source_documents
from kg.store.base import Store
from webapp.i18n import current_lang, t

__all__ = ["conflict_rows", "decode_original", "encode_original", "form_page", "source_from_form",
           "sv_key"]

_SV_ORDER = str.maketrans({"å": "{", "ä": "|", "ö": "}", "Å": "{", "Ä": "|", "Ö": "}", "é": "e", "É": "e"})


def sv_key(text: str) -> str:
    """Swedish alphabetical order (å, ä, ö after z)."""
    return text.lower().translate(_SV_ORDER)


def concept_options(store: Store, scheme: str) -> list[dict[str, str]]:
    """The concepts of a scheme as options, in Swedish order of their labels."""
    table = per_version(store, "edit-concepts", lambda: concepts_by_scheme(store))
    lang = current_lang()
    opts = [{"value": c, "label": pick_label(labels, lang, c)} for c, labels in table.get(scheme, [])]
    return sorted(opts, key=lambda o: sv_key(o["label"]))


def documents(store: Store) -> list[dict[str, str]]:
    """Source documents already in the graph, for the source section."""
    lang = current_lang()
    table = per_version(store, "edit-docs", lambda: source_documents(store))
    docs = [{"value": d, "label": pick_label(labels, lang, d)} for d, labels in table]
    return sorted(docs, key=lambda o: sv_key(o["label"]))


def _hint(f: FieldSpec) -> str:
    if f.widget == "date":
        return t("edit.date_hint")
    if f.widget == "decimal":
        return t("edit.amount_hint")
    if f.widget in ("entity", "iri"):
        return t("edit.typeahead")
    return ""


def _placeholder(f: FieldSpec) -> str:
    key = {"date": "edit.placeholder.date", "year": "edit.placeholder.year", "decimal": "edit.placeholder.decimal",
           "entity": "edit.placeholder.entity", "iri": "edit.placeholder.entity"}.get(f.widget)
    return t(key) if key else ""


def _field(store: Store, f: FieldSpec, values: dict[str, list[str]], errors: dict[str, str], prefix: str,
           new_row: bool) -> dict[str, Any]:
    lang = current_lang()
    out: dict[str, Any] = {
        "key": f.key, "name": prefix + f.key, "id": (prefix + f.key).replace(".", "-"),
        "label": f.label.get(lang) or f.label.get("sv", f.key), "widget": f.widget,
        "required": f.required, "multiple": f.multiple, "hint": _hint(f),
        "classes": " ".join(f.classes), "error": errors.get(prefix + f.key, ""),
        "placeholder": _placeholder(f), "in_row": prefix != "f.",
    }
    if f.widget in ("lang", "longlang"):
        out["langs"] = [{"lang": code, "name": f"{prefix}{f.key}.{code}",
                         "id": f"{prefix}{f.key}-{code}".replace(".", "-"),
                         "value": (values.get(f"{f.key}.{code}") or [""])[0],
                         "required": code == f.required_lang,
                         "error": errors.get(f"{prefix}{f.key}.{code}", "")} for code in f.langs]
        out["error"] = next((x["error"] for x in out["langs"] if x["error"]), out["error"])
        return out
    current = list(values.get(f.key, []))
    if f.widget == "concept":
        out["options"] = concept_options(store, f.scheme)
        out["values"] = current
        return out
    if not current and new_row and f.pattern.startswith("^") and f.pattern.endswith("$") and f.pattern[1:-1].isalpha():
        current = [f.pattern[1:-1]]  # a fixed value such as the currency SEK
    out["values"] = current + ([""] if (f.multiple and current) or not current else [])
    return out


def _fields(store: Store, spec: FormSpec, values: dict[str, list[str]], errors: dict[str, str],
            prefix: str, skip: str = "", new_row: bool = False) -> list[dict[str, Any]]:
    return [_field(store, f, values, errors, prefix, new_row) for f in spec.fields if f.path != skip]


def form_page(store: Store, spec: FormSpec, data: FormData, errors: dict[str, str], *,
              base_version: str, original: str, label: str, source: Source | None, reason: str,
              pending: int = 0) -> dict[str, Any]:
    """Everything the form template needs."""
    lang = current_lang()
    groups = []
    for group in spec.groups:
        rows = list(data.rows.get(group.key, []))
        blanks = (2 if group.key == "deltagande" else 1) if not data.iri and not rows else 1
        if not any(not r.iri for r in rows):
            rows += [Row() for _ in range(blanks)]
        skip = group.link if group.inverse else ""
        groups.append({
            "key": group.key, "label": group.label.get(lang) or group.label.get("sv", group.key),
            "rows": [{"n": n, "iri": r.iri, "delete": r.delete, "error": errors.get(f"g.{group.key}.{n}.iri", ""),
                      "fields": _fields(store, group.form, r.values, errors, f"g.{group.key}.{n}.", skip, not r.iri)}
                     for n, r in enumerate(rows)],
            "template": _fields(store, group.form, {}, {}, f"g.{group.key}.__n__.", skip, True),
        })
    src = source or Source("document")
    return {
        "kind": spec.key, "kind_label": spec.label.get(lang) or spec.label.get("sv"), "iri": data.iri,
        "label": label, "fields": _fields(store, spec, data.values, errors, "f."), "groups": groups,
        "errors": errors, "form_error": errors.get("form", ""), "source_error": errors.get("source", ""),
        "base_version": base_version, "original": original, "documents": documents(store),
        "source": {"kind": src.kind, "iri": src.iri if src.kind == "document" else "", "title": src.title,
                   "url": src.url, "date": src.date, "informant": src.informant, "quote": src.quote},
        "reason": reason, "reason_error": errors.get("reason", ""), "pending": pending,
    }


def source_from_form() -> Source:
    """The source section of a posted form."""
    f = request.form
    kind = f.get("kalla", "document")
    if kind not in ("document", "new-document", "informant"):
        kind = "document"
    return Source(kind, iri=f.get("kalla_dokument", "") if kind == "document" else "",  # type: ignore[arg-type]
                  title=f.get("kalla_titel", "").strip(), url=f.get("kalla_adress", "").strip(),
                  date=f.get("kalla_datum", "").strip(), informant=f.get("kalla_person", "").strip(),
                  quote=f.get("kalla_citat", "").strip())


def encode_original(data: FormData) -> str:
    raw = {"v": data.values, "r": {k: [[r.iri, r.values] for r in rows] for k, rows in data.rows.items()}}
    return base64.urlsafe_b64encode(json.dumps(raw, ensure_ascii=False).encode()).decode()


def decode_original(text: str) -> FormData | None:
    try:
        raw = json.loads(base64.urlsafe_b64decode(text.encode()))
        return FormData("", {k: list(v) for k, v in raw["v"].items()},
                        {k: [Row(i, dict(v)) for i, v in rows] for k, rows in raw["r"].items()})
    except (ValueError, KeyError, TypeError):
        return None


def conflict_rows(store: Store, spec: FormSpec, then: FormData, now: FormData,
                  mine: FormData) -> list[dict[str, Any]]:
    """Fields whose value changed between ``then`` (when the editor opened the form) and
    ``now``, with the editor's own value beside them."""
    lang = current_lang()
    out = []
    for f in spec.fields:
        keys = [f"{f.key}.{c}" for c in f.langs] if f.widget in ("lang", "longlang") else [f.key]
        names = {o["value"]: o["label"] for o in concept_options(store, f.scheme)} if f.widget == "concept" else {}

        def show(values: list[str], names: dict[str, str] = names) -> str:
            return ", ".join(names.get(v, v) for v in values) or "–"

        for key in keys:
            a, b, c = then.values.get(key, []), now.values.get(key, []), mine.values.get(key, [])
            if sorted(a) != sorted(b):
                name = (f.label.get(lang) or f.label.get("sv", f.key)).capitalize()
                if "." in key:
                    name += f" ({t('edit.' + key.rsplit('.', 1)[1])})"
                out.append({"field": name, "then": show(a), "now": show(b), "mine": show(c)})
    for group in spec.groups:
        a_rows = {r.iri: r for r in then.rows.get(group.key, [])}
        b_rows = {r.iri: r for r in now.rows.get(group.key, [])}
        if set(a_rows) != set(b_rows) or any(a_rows[k].values != b_rows[k].values for k in a_rows if k in b_rows):
            out.append({"field": group.label.get(lang) or group.label.get("sv", group.key),
                        "then": f"{len(a_rows)} rader", "now": f"{len(b_rows)} rader", "mine": ""})
    return out
