"""The app's edit service: one :class:`kg.edit.service.EditService` per app, over the
app's store handle and the journal. Views get it with :func:`get_service`."""

from __future__ import annotations

from flask import Flask, current_app

from kg.config import Settings
from kg.edit.journal import Journal
from kg.edit.service import EditService
from kg.edit.storeshim import Delta, StoreHandle
from kg.store.base import Store

__all__ = ["get_service", "register"]


class _HolderHandle(StoreHandle):
    """The served store as the edit service sees it (stand-in until kg.store.handle lands)."""

    def __init__(self, holder: object) -> None:
        self._holder = holder
        super().__init__(holder.get())  # type: ignore[attr-defined]

    def current(self) -> Store:
        store: Store = self._holder.get()  # type: ignore[attr-defined]
        self._store = store
        return store

    def apply(self, delta: Delta) -> str:
        self.current()
        return super().apply(delta)


def register(app: Flask, settings: Settings) -> None:
    """Make the edit service of ``app``; apply what the journal has and the store lacks."""
    handle = _HolderHandle(app.extensions["kg_store"])
    service = EditService(handle, Journal(settings.journal_dir, settings.base_iri), base=settings.base_iri,
                          shapes=settings.ontology_dir / "shapes.ttl", review=settings.review)
    app.extensions["kg_edit"] = service

    def entity_history(iri: str, limit: int | None = None) -> list[dict[str, object]]:
        from webapp.views.changes import entity_history as history

        return history(iri, limit)

    app.jinja_env.globals["entity_history"] = entity_history
    app.jinja_env.globals["can_edit"] = lambda iri: service.spec_for(iri) is not None


def get_service() -> EditService:
    service: EditService = current_app.extensions["kg_edit"]
    return service
