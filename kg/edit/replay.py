"""Replaying the journal: the bundled data plus every published changeset, in publication
order, gives the store. ``kg build`` calls :func:`replay` on the store it is building, so
edits survive rebuilds and a fresh clone with a copy of ``var/journal/`` gets them back."""

from __future__ import annotations

import logging

from kg.config import Settings
from kg.edit.journal import Journal
from kg.edit.service import changeset_delta
from kg.store.base import Store

__all__ = ["replay"]

log = logging.getLogger(__name__)


def replay(store: Store, settings: Settings) -> int:
    """Apply every published changeset of the journal to ``store``; returns how many.

    Raises:
        JournalError: the journal cannot be read.
    """
    journal = Journal(settings.journal_dir, settings.base_iri)
    n = 0
    for cs in journal.published():
        store.apply(changeset_delta(cs, settings.base_iri), head=cs.id)
        n += 1
    if n:
        log.info("replayed %d published changeset(s) from %s", n, settings.journal_dir)
    return n
