"""A found connection in words: one step in the reading direction, a path as a sentence, and
the answer to "how are A and B connected" (shared projects, else the nearest connection).

Every text is built from the catalogue (:mod:`kg.i18n`, ``path.*``), so Swedish and English
read naturally. Sentences come as *parts*, a list of ``{"text": ...}`` and
``{"node": {...}}`` items, so a page can link the names and a JSON client can join them.

>>> step({"kind": "participation", "from_first": True,
...       "roles": [{"label_sv": "samverkanspartner", "label_en": "partner"}]}, "sv")
'är samverkanspartner i'
>>> step({"kind": "participation", "from_first": False,
...       "roles": [{"label_sv": "projektägare", "label_en": "project owner"}]}, "en")
'has project owner'
>>> step({"kind": "funding", "from_first": False, "roles": []}, "sv")
'finansieras av'
"""

from __future__ import annotations

from string import Formatter
from typing import Any

from kg.i18n import translate

__all__ = ["answer", "chain", "parts_text", "step", "step_texts"]

Part = dict[str, Any]


def _lang(lang: str) -> str:
    return "en" if lang == "en" else "sv"


def _and(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + translate("path.and", _lang(lang)) + items[-1]


def step(rel: dict[str, Any], lang: str = "sv") -> str:
    """One relation read from the left entity to the right one."""
    lang = _lang(lang)
    roles = [r["label_en"] if lang == "en" else r["label_sv"] for r in rel.get("roles", [])]
    way = "fwd" if rel.get("from_first") else "back"
    if roles:
        key = f"path.rel.{rel['kind']}.{way}"
        text = translate(key, lang, roles=_and(roles, lang))
        if text != key:
            return text
    return translate(f"path.rel.{rel['kind']}.{way}_plain", lang)


def step_texts(links: list[dict[str, Any]], lang: str = "sv") -> str:
    """Every relation of one step, joined ("är projektägare i och finansierar")."""
    texts = list(dict.fromkeys(step(r, lang) for r in links))
    return _and(texts, lang)


def _label(node: dict[str, Any], lang: str) -> str:
    return str(node.get("label") or (node["label_en"] if lang == "en" else node["label_sv"]))


def chain(path: dict[str, Any], lang: str = "sv") -> list[Part]:
    """A path as one sentence: "A är samverkanspartner i P, som har projektägare B"."""
    nodes, links = path["nodes"], path["links"]
    parts: list[Part] = [{"node": nodes[0]}]
    for i, rels in enumerate(links):
        if i:
            who = "path.which_person" if nodes[i]["type"] == "person" else "path.which"
            parts.append({"text": translate(who, _lang(lang))})
        parts.append({"text": " " + step_texts(rels, lang) + " "})
        parts.append({"node": nodes[i + 1]})
    return parts


def _fill(template: str, values: dict[str, list[Part] | str]) -> list[Part]:
    """A catalogue text with ``{name}`` fields filled by parts (or plain strings)."""
    out: list[Part] = []
    for literal, field, _spec, _conv in Formatter().parse(template):
        if literal:
            out.append({"text": literal})
        if field is not None:
            value = values[field]
            out.extend([{"text": value}] if isinstance(value, str) else value)
    return out


def _nodes_list(nodes: list[dict[str, Any]], lang: str) -> list[Part]:
    parts: list[Part] = []
    for i, node in enumerate(nodes):
        if i:
            sep = "path.and" if i == len(nodes) - 1 else "path.comma"
            parts.append({"text": translate(sep, _lang(lang))})
        parts.append({"node": node})
    return parts


def answer(result: dict[str, Any], lang: str = "sv") -> list[Part]:
    """The answer to "how are A and B connected", as sentence parts.

    Shared projects first ("A och B deltar båda i P"); a direct link ("A finansierar B");
    else that they share no project and what the nearest connection is, and, when only
    ownership or membership connects them, that too.
    """
    lang = _lang(lang)
    a, b = {"node": result["from"]}, {"node": result["to"]}
    if result.get("shared"):
        n = len(result["shared"])
        key = "path.answer.shared_one" if n == 1 else "path.answer.shared_many"
        return _fill(translate(key, lang), {"a": [a], "b": [b], "n": str(n),
                                            "projects": _nodes_list(result["shared"], lang)})
    paths = result.get("paths") or []
    if paths and result["length"] == 1:
        return [*chain(paths[0], lang), {"text": "."}]
    if paths:
        key = "path.answer.nearest_all" if result.get("include_all") else "path.answer.nearest"
        return _fill(translate(key, lang), {"a": [a], "b": [b], "steps": str(result["length"]),
                                            "chain": chain(paths[0], lang)})
    fallback = result.get("fallback")
    if fallback and fallback.get("paths"):
        return _fill(translate("path.answer.only_membership", lang),
                     {"a": [a], "b": [b], "steps": str(fallback["length"]),
                      "chain": chain(fallback["paths"][0], lang)})
    return _fill(translate("path.answer.none", lang), {"a": [a], "b": [b]})


def parts_text(parts: list[Part], lang: str = "sv") -> str:
    """Sentence parts as plain text."""
    return "".join(p["text"] if "text" in p else _label(p["node"], lang) for p in parts)
