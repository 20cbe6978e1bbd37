"""The footer of every page: who publishes the data, under which licence, and what it
covers (:func:`kg.query.dataset.dataset_summary`, read once per data version)."""

from __future__ import annotations

import logging
from typing import Any

from flask import Flask

from kg.errors import KgError
from kg.query.dataset import dataset_summary, labelled

__all__ = ["register"]

log = logging.getLogger(__name__)


def _dataset_facts() -> dict[str, Any] | None:
    from webapp.i18n import current_lang
    from webapp.state import get_settings, get_store

    try:
        summary = dataset_summary(get_store(), get_settings().base_iri)
    except KgError:  # the footer must never break a page (e.g. the store is down)
        log.warning("no dataset summary for the footer", exc_info=True)
        return None
    return labelled(summary, current_lang())


def register(app: Flask) -> None:
    """Install the Jinja global ``dataset_facts()``."""
    app.jinja_env.globals["dataset_facts"] = _dataset_facts
