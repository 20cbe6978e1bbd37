"""What an entity page adds to the facts: the profile (an organisation's projects, a project's
fact sheet; :mod:`kg.query.profile`), the links that answer the next question (the saved
queries filled in for this entity, the path finder, the tables and downloads), and the
"Länkar hit" without the plumbing of the dataset description.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from kg.errors import KgError
from kg.namespaces import PREFIXES, curie
from kg.query import profile as profiles
from kg.query.catalog import load_catalog
from kg.query.profile import organisation_profile, project_profile
from kg.store.base import Store

__all__ = ["PLUMBING", "add_profile"]

#: Properties that tie an entity into the dataset's own description (VoID, DCAT, PROV), not
#: facts about it: left out of "Länkar hit" (they stay in the RDF).
PLUMBING = frozenset({
    "http://rdfs.org/ns/void#exampleResource", "http://rdfs.org/ns/void#rootResource",
    "http://www.w3.org/ns/dcat#keyword", "http://www.w3.org/ns/prov#wasDerivedFrom",
    "http://www.w3.org/ns/prov#used", "http://purl.org/dc/terms/isPartOf",
    "http://www.w3.org/ns/dcat#theme",
})

#: Saved queries offered on a page: (query, its parameter, when) — ``when`` is checked on
#: the page dict: "municipality", "funder", "organisation", "project", "any".
_QUERIES = (
    ("kommunens-projekt", "kommun", "municipality"),
    ("samarbetspartner", "organisation", "organisation"),
    ("projekt-per-finansiar", "finansiar", "funder"),
    ("projektets-partner", "projekt", "project"),
    ("projektresultat", "projekt", "project"),
    ("nyheter-om", "entitet", "any"),
    ("kallor-for-entitet", "entitet", "any"),
)


def _applies(when: str, page: dict[str, Any]) -> bool:
    kind = page.get("kind")
    if when == "any":
        return kind in ("organisation", "projekt", "person")
    if when == "organisation":
        return kind == "organisation"
    if when == "project":
        return kind == "projekt"
    if when == "funder":
        return bool(page.get("fundings_given"))
    if when == "municipality":
        types = {c.get("iri") for f in page.get("key_facts", []) for c in f["values"]}
        return PREFIXES["organisationstyp"] + "kommun" in types
    return False


def _queries(page: dict[str, Any], lang: str) -> list[dict[str, str]]:
    catalog = load_catalog()
    out = []
    for name, param, when in _QUERIES:
        if name not in catalog or not _applies(when, page):
            continue
        query = catalog.get(name)
        out.append({"title": query.title(lang),
                    "url": f"/fragor/{name}?" + urlencode({param: curie(page["iri"])})})
    return out


def add_profile(page: dict[str, Any], store: Store, lang: str, *,
                html: bool = False) -> dict[str, Any]:
    """Add ``profile``, ``queries`` (saved queries filled in), ``path_url`` and
    ``incoming`` without plumbing to an entity page dict (in place; also returned).

    For the HTML page (``html``) an organisation's profile carries the rows the page
    shows (:data:`kg.query.profile.MAX_ROWS`), for the JSON twin every project."""
    iri = page["iri"]
    profile: dict[str, Any] | None = None
    try:
        if page.get("kind") == "organisation":
            profile = organisation_profile(store, iri, lang,
                                           rows=profiles.MAX_ROWS if html else None)
        elif page.get("kind") == "projekt":
            profile = project_profile(store, iri, lang)
    except KgError:  # a page must show even when a table cannot be made
        profile = None
    page["queries"] = _queries(page, lang)
    if page.get("kind") in ("organisation", "projekt", "person"):
        page["path_url"] = "/analys/vag?" + urlencode({"fran": iri})
    page["incoming"] = [g for g in page.get("incoming", []) if g["property"] not in PLUMBING]
    page["alt_names"] = _alt_names(page, lang)
    used = _source_keys({k: v for k, v in page.items() if k not in _NO_SOURCES})
    page["sources"] = [s for s in page.get("sources", []) if s["iri"] in used]
    page["profile"] = profile  # made from tables: it names no source keys
    return page


#: Parts of a page dict that hold no source keys (not walked by :func:`_source_keys`).
_NO_SOURCES = frozenset({"sources", "copartners", "types", "labels", "alt_labels",
                         "descriptions", "queries", "alt_names", "news"})


def _source_keys(value: Any) -> set[str]:
    """Every source key a page still shows (after the plumbing is left out)."""
    found: set[str] = set()
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "sources" and isinstance(item, list):
                found.update(str(x) for x in item if isinstance(x, str))
            else:
                found |= _source_keys(item)
    elif isinstance(value, list):
        for item in value:
            found |= _source_keys(item)
    return found


def _alt_names(page: dict[str, Any], lang: str) -> list[dict[str, str]]:
    """Other names of the entity (aliases, names in other languages), each with its language."""
    out: dict[str, str] = {}
    for source, skip_lang in ((page.get("labels", {}), lang), (page.get("alt_labels", {}), None)):
        for code, texts in source.items():
            if code == skip_lang:
                continue
            for text in texts:
                if text != page.get("label"):
                    out.setdefault(text, code)
    return [{"text": text, "lang": code} for text, code in out.items()]
