"""The app's edit service: one :class:`kg.edit.service.EditService` per app, over the
app's store handle (:class:`kg.store.handle.StoreHandle`) and the journal. Views get it with
:func:`get_service`; entity pages get ``entity_history`` and ``can_edit``."""

from __future__ import annotations

from flask import Flask, current_app

from kg.config import Settings
from kg.edit.journal import Journal
from kg.edit.service import EditService

__all__ = ["get_service", "register"]


def register(app: Flask, settings: Settings) -> None:
    """Make the edit service of ``app`` over the store handle the app serves."""
    service = EditService(app.extensions["kg_store"], Journal(settings.journal_dir, settings.base_iri),
                          base=settings.base_iri, shapes=settings.ontology_dir / "shapes.ttl",
                          review=settings.review)
    app.extensions["kg_edit"] = service

    def entity_history(iri: str, limit: int | None = None) -> list[dict[str, object]]:
        from webapp.views.changes import entity_history as history

        return history(iri, limit)

    app.jinja_env.globals["entity_history"] = entity_history
    app.jinja_env.globals["can_edit"] = lambda iri: service.spec_for(iri) is not None


def get_service() -> EditService:
    service: EditService = current_app.extensions["kg_edit"]
    return service
