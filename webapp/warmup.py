"""Warming the per-version caches: at start, and whenever a new data version goes live.

Everything a page computes once per data version (statistics, the label index, the sources
table, analytics, ...) sits in :mod:`kg.cache`. :func:`start` fills it by asking the app
for the pages that need it, exactly as a visitor would, so the first visitor after a start
or a rebuild does not pay for it; a watcher thread notices a new version within
:data:`WATCH_EVERY` seconds and warms again in the background while the previous version's
values keep answering.
"""

from __future__ import annotations

import logging
import threading
import time

from flask import Flask

from kg.cache import give_back_memory
from kg.errors import KgError
from kg.store.handle import StoreHandle

__all__ = ["QUICK", "SLOW", "WATCH_EVERY", "start", "warm"]

log = logging.getLogger(__name__)

#: Pages whose per-version values are cheap: warmed before the server takes requests.
QUICK = ("/api/sok?q=kommun", "/fragor", "/sparql?format=json&query=ASK%7B%7D")
#: Pages whose values take long on a large graph: warmed in the background, the previous
#: version's values answering meanwhile. The home page first (its "most connected" is a
#: whole-graph count: about 3 s at 1 M triples), then the list tables (at 1 M triples /projekt reads its facts for
#: about 17 s, the others 1–4 s each; then a view answers in well under a second), then
#: analytics (about 100 s at 1 M); last the saved queries whose default result is kept
#: (:func:`library_pages`).
SLOW = ("/", "/projekt", "/finansiering", "/organisationer", "/personer", "/nyheter",
        "/evenemang", "/analys", "/graf", "/dataset")
#: Seconds between looks for a new data version.
WATCH_EVERY = 2.0
#: Classes of which a few entity pages are warmed with the quick pages (their template,
#: the sources table, the label index), so that the first visitor of any entity page gets
#: it about as fast as the next ones.
SAMPLE_CLASSES = ("schema:Project", "org:Organization", "foaf:Person")


def entity_pages(app: Flask, per_class: int = 1) -> tuple[str, ...]:
    """Paths of a few entity pages of the served graph (one per class of
    :data:`SAMPLE_CLASSES`), to warm the code every entity page runs."""
    from kg.query.stats import sample_entities
    from webapp.urls import get_urls

    handle: StoreHandle = app.extensions["kg_store"]
    try:
        iris = sample_entities(handle.current(), SAMPLE_CLASSES, per_class)
    except KgError as exc:
        log.warning("no entity pages to warm: %s", exc)
        return ()
    with app.app_context():
        urls = get_urls()
        paths = [urls.entity(iri) for iri in iris if urls.is_local(iri)]
    return tuple(paths)


def warm(app: Flask, paths: tuple[str, ...]) -> None:
    """Request each path once through the app (errors are logged, never raised)."""
    client = app.test_client()
    for path in paths:
        started = time.perf_counter()
        try:
            status = client.get(path).status_code
        except KgError as exc:  # a page that cannot be warmed is computed on demand
            log.warning("warming %s failed: %s", path, exc)
            continue
        log.info("warmed %s (%s) in %.2f s", path, status, time.perf_counter() - started)
    give_back_memory()  # what the pages' queries freed, back to the system


def start(app: Flask, *, block: bool = True) -> threading.Thread:
    """Warm the caches now (the quick ones before returning when ``block``) and keep them
    warm: a daemon thread warms again after every new data version."""
    if block:
        warm(app, QUICK + entity_pages(app))
    thread = threading.Thread(target=_watch, args=(app, not block), name="kg-warmup",
                              daemon=True)
    thread.start()
    return thread


def library_pages() -> tuple[str, ...]:
    """The saved queries whose default result is kept per data version (``#+ keep:``),
    warmed after the slow pages (about 15 s at 1 M triples together)."""
    from webapp.views.queries import kept_pages

    return kept_pages()


def _watch(app: Flask, quick_first: bool) -> None:
    handle: StoreHandle = app.extensions["kg_store"]
    warm(app, (QUICK + entity_pages(app) if quick_first else ()) + SLOW + library_pages())
    seen = handle.version()
    while True:
        time.sleep(WATCH_EVERY)
        try:
            version = handle.version()
        except KgError as exc:
            log.warning("cannot read the data version: %s", exc)
            continue
        if version != seen:
            log.info("data version %s is live; warming the caches", version)
            warm(app, QUICK + entity_pages(app) + SLOW + library_pages())
            seen = version
