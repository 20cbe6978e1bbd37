"""Fixes for rdflib's SPARQL engine where it departs from the standard, applied once.

rdflib 7 raises ``NotBoundError`` from ``COUNT(DISTINCT ?x)``, ``GROUP_CONCAT(DISTINCT ?x)``
and the other ``DISTINCT`` aggregates when ``?x`` is unbound in some row (typically from an
``OPTIONAL``), where SPARQL 1.1 (section 18.5) says an aggregate skips the rows whose
expression is an error. And ``SAMPLE(?x)`` over a group where ``?x`` is never bound sets
the result to Python ``None`` instead of leaving it unbound, which then breaks ``SUM`` in an
outer query. Oxigraph follows the standard; so does rdflib after :func:`apply`, and the two
backends then agree on the query library.

>>> apply()
>>> from kg.store.memory import MemoryStore
>>> MemoryStore().select(
...     "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { VALUES ?s { 1 } OPTIONAL { ?s ?p ?o } }"
... ).rows[0][0].toPython()
0
>>> MemoryStore().select(
...     "SELECT (SUM(?x) AS ?t) WHERE { { SELECT ?s (SAMPLE(?o) AS ?x) "
...     "WHERE { VALUES ?s { 1 } OPTIONAL { ?s ?p ?o } } GROUP BY ?s } }"
... ).rows[0][0].toPython()
0
"""

from __future__ import annotations

from typing import Any

from rdflib.plugins.sparql import aggregates
from rdflib.plugins.sparql.evalutils import _eval
from rdflib.plugins.sparql.sparql import NotBoundError

__all__ = ["apply"]

_APPLIED = False


def _use_row(self: Any, row: Any) -> bool:
    """Distinct test of an accumulator that skips rows where the expression is unbound."""
    try:
        return _eval(self.expr, row) not in self.seen
    except NotBoundError:
        return False


def _sample_set_value(self: Any, bindings: Any) -> None:
    """A SAMPLE that never saw a value leaves its variable unbound."""


def apply() -> None:
    """Install the fixes (idempotent)."""
    global _APPLIED
    if not _APPLIED:
        aggregates.Accumulator.use_row = _use_row  # type: ignore[method-assign]
        aggregates.Sample.set_value = _sample_set_value  # type: ignore[method-assign]
        _APPLIED = True
