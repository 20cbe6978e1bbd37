"""The benchmark: ``kg bench`` generates graphs of our shape at several sizes and measures,
for each, bulk loading and every user-facing operation through the real app, side by side
with the raw engine doing the same queries (and rdflib in memory where it finishes).

Modules: :mod:`~kg.bench.stats` (timing and memory), :mod:`~kg.bench.recording` (the queries
a page runs, replayed on the raw store), :mod:`~kg.bench.operations` (the operations),
:mod:`~kg.bench.loading` (bulk loads, each in its own process), :mod:`~kg.bench.endpoint`
(the ``/sparql`` mix over HTTP against Oxigraph's own server), :mod:`~kg.bench.browser`
(the graph view in headless Chromium), :mod:`~kg.bench.report` (tables and targets) and
:mod:`~kg.bench.runner` (the whole run).
"""

from __future__ import annotations

from kg.bench.runner import BenchConfig, run_bench

__all__ = ["BenchConfig", "run_bench"]
