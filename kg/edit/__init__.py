"""Editing the graph: changesets with sources, an append-only journal, review, history, revert.

The public API (the web forms and ingest use the same):

- :class:`kg.edit.service.EditService` — ``create(delta, author=, reason=, source=, entities=,
  base_versions=, publish=)``, ``approve(id, reviewer)``, ``reject(id, reviewer, note)``,
  ``revert(id, reviewer, reason)``, ``history(iri)``, ``recent()``, ``pending()``,
  ``version_of(iri)``, ``prepare_source(source)``, ``recover()``.
- :class:`kg.edit.model.Changeset`, :class:`kg.edit.model.Source`,
  :class:`kg.edit.service.Actor` — the records and who acts.
- :class:`kg.edit.journal.Journal` — the append-only record (``var/journal/``).
- :func:`kg.edit.replay.replay` — apply the published changesets to a store (``kg build``).
- :mod:`kg.edit.shapes`, :mod:`kg.edit.forms` — forms derived from the SHACL shapes.
- :mod:`kg.edit.export` — the published changes as TriG or Turtle.
"""
