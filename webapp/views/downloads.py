"""Downloads: full dumps in every RDF format, and the VoID/DCAT description of the dataset.

Dumps are written once per data version into ``cache_dir/dumps/<version>/`` (atomically:
temp file, then rename) and served from there with their media types.
"""

from __future__ import annotations

import hashlib
import logging
import re
import shutil
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, request, send_file
from rdflib import Graph, Literal, URIRef

from kg.cache import per_version
from kg.errors import NotFoundError
from kg.export.dumps import dump_to
from kg.export.void import dataset_counts, dataset_iri, void_graph
from kg.io.formats import RDF_FORMATS, RdfFormatInfo
from kg.namespaces import curie
from kg.query.dataset import dataset_summary, labelled
from kg.query.labels import local_name, pick_label
from kg.query.search import Entry, index_for
from kg.store.base import Store
from webapp.i18n import current_lang
from webapp.negotiation import ENTITY_OFFERS, HTML, JSON, RDF_OFFERS
from webapp.render import respond
from webapp.state import get_settings, get_store
from webapp.urls import get_urls

__all__ = ["bp", "downloads_page", "dump_file"]

log = logging.getLogger(__name__)
bp = Blueprint("downloads", __name__)
DUMP_NAME = "samverkansgrafen"
#: The VoID well-known address answers RDF (Turtle) unless HTML is asked for.
VOID_OFFERS = (*RDF_OFFERS, HTML, JSON)


def _version_dir(store: Store) -> Path:
    version = store.data_version()
    if not store.durable_version:  # a count is no name for the content: keep stores apart
        version += "-" + hashlib.sha256(store.lineage.encode()).hexdigest()[:8]
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", version)[:80] or "v"
    return get_settings().cache_dir / "dumps" / safe


def dump_file(store: Store, fmt: RdfFormatInfo) -> Path:
    """The dump of the current data version in ``fmt``, written once (kg.cache makes
    concurrent first requests wait for that one write)."""
    folder = _version_dir(store)
    path = folder / f"{DUMP_NAME}.{fmt.extension}"

    def write() -> str:
        if not path.exists():
            log.info("writing %s", path)
            dump_to(store, path, fmt)
            for old in folder.parent.iterdir():
                if old.is_dir() and old != folder:
                    shutil.rmtree(old, ignore_errors=True)
        return str(path)

    if path.exists():
        return path
    return Path(per_version(store, f"dump-{fmt.name}", write))


def _human_size(n: int) -> str:
    for unit in ("B", "kB", "MB", "GB"):
        if n < 1024 or unit == "GB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024  # type: ignore[assignment]
    return str(n)


def downloads_page() -> dict[str, Any]:
    """The downloads page's data: one row per format, with size once generated."""
    store, urls = get_store(), get_urls()
    folder = _version_dir(store)
    rows = []
    for fmt in RDF_FORMATS:
        path = folder / f"{DUMP_NAME}.{fmt.extension}"
        rows.append({
            "format": fmt.name,
            "label": fmt.label,
            "media_type": fmt.media_type,
            "url": urls.dump(fmt.extension),
            "quads": fmt.quads,
            "size": _human_size(path.stat().st_size) if path.exists() else None,
        })
    counts = dataset_counts(store)
    return {"dumps": rows, "triples": counts.triples, "entities": counts.entities,
            "version": store.data_version(),
            "sparql": "/sparql" if urls.exists("/sparql") else None}


@bp.get("/nedladdning")
@bp.get("/nedladdning.<ext>")
def downloads(ext: str | None = None) -> Response:
    """The downloads page."""
    return respond(downloads_page, "downloads/index.html", offers=(HTML, JSON),
                   data_url="/nedladdning", extension=ext)


@bp.get(f"/dump/{DUMP_NAME}.<ext>")
def dump(ext: str) -> Response:
    """A full dump: Turtle, N-Triples, JSON-LD, RDF/XML (one merged graph), TriG, N-Quads
    (with the named graphs)."""
    fmt = next((f for f in RDF_FORMATS if f.extension == ext), None)
    if fmt is None:
        names = ", ".join(f"{DUMP_NAME}.{f.extension}" for f in RDF_FORMATS)
        raise NotFoundError.of("error.no_dump", names=names)
    path = dump_file(get_store(), fmt)
    return send_file(path, mimetype=fmt.media_type, download_name=path.name, conditional=True,
                     max_age=3600)


def _literals(g: Graph, subject: str) -> dict[str, dict[str, list[str]]]:
    """Literal values of a subject by property local name, then by language."""
    out: dict[str, dict[str, list[str]]] = {}
    for p, o in g.predicate_objects(subject=URIRef(subject)):
        if isinstance(o, Literal):
            key = local_name(str(p))
            out.setdefault(key, {}).setdefault(o.language or "", []).append(str(o))
    return out


def _label_lang(entry: Entry | None, lang: str) -> str:
    return entry.label_lang(lang) if entry is not None else ""


def dataset_page() -> dict[str, Any]:
    """The dataset description as a dict: title, description, counts, classes, dumps."""
    store, settings, lang, urls = get_store(), get_settings(), current_lang(), get_urls()
    ds = dataset_iri(settings.base_iri)
    texts = _literals(void_graph(store, settings.base_iri), ds)
    counts = dataset_counts(store)
    index = index_for(store)

    def class_label(iri: str) -> str:
        entry = index.get(iri)
        return entry.label(lang) if entry else curie(iri)  # an unlabelled term: its CURIE

    return {
        **labelled(dataset_summary(store, settings.base_iri), lang),
        "iri": ds,
        "title": pick_label(texts.get("title", {}), lang, ds),
        "description": pick_label(texts.get("description", {}), lang),
        "triples": counts.triples,
        "entities": counts.entities,
        "properties": counts.properties,
        "graphs": counts.graphs,
        "classes": [{"class": c, "label": class_label(c), "entities": n,
                     "label_lang": _label_lang(index.get(c), lang)}
                    for c, n in counts.classes],
        "dumps": [{"label": f.label, "media_type": f.media_type, "url": urls.dump(f.extension)}
                  for f in RDF_FORMATS],
    }


def _dataset_rdf(fmt: RdfFormatInfo) -> bytes:
    g = void_graph(get_store(), get_settings().base_iri)
    data = g.serialize(format=fmt.rdflib)
    return data.encode("utf-8") if isinstance(data, str) else data


@bp.get("/dataset")
@bp.get("/dataset.<ext>")
def dataset(ext: str | None = None) -> Response:
    """The dataset node (its IRI dereferences here): HTML, JSON or RDF."""
    return respond(dataset_page, "downloads/dataset.html", offers=ENTITY_OFFERS,
                   data_url="/dataset", extension=ext, rdf=_dataset_rdf)


@bp.get("/.well-known/void")
def well_known_void() -> Response:
    """VoID's well-known address: Turtle by default, HTML for browsers."""
    accept = request.headers.get("Accept", "")
    offers = ENTITY_OFFERS if "text/html" in accept else VOID_OFFERS
    return respond(dataset_page, "downloads/dataset.html", offers=offers,
                   data_url="/dataset", rdf=_dataset_rdf)
