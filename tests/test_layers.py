"""The package layers follow the data flow, with no import cycles (kg.devtools.layers)."""

from __future__ import annotations

from pathlib import Path

import networkx as nx

from kg.devtools.layers import LAYERS, package_graph, violations

ROOT = Path(__file__).resolve().parents[1]


def test_no_cycles_and_no_upward_imports() -> None:
    graph = package_graph(ROOT)
    assert violations(graph) == []


def test_every_package_has_a_layer() -> None:
    graph = package_graph(ROOT)
    placed = {p for layer in LAYERS for p in layer}
    assert set(graph) - {"kg"} <= placed


def test_a_cycle_is_caught() -> None:
    graph = nx.DiGraph([("kg.store", "kg.io"), ("kg.io", "kg.store")])
    assert any("->" in line for line in violations(graph))
    assert "kg.io imports kg.store (a later layer)" in violations(graph)


def test_no_sparql_in_the_web_layer() -> None:
    """All SPARQL text lives in kg/query (and the catalogue); views call functions."""
    import re

    query = re.compile(r"\b(SELECT|CONSTRUCT|DESCRIBE)\s+(\?|\*|DISTINCT|\{|\()|\bASK\s*\{")
    offenders = []
    for path in sorted((ROOT / "webapp").rglob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if query.search(line) and not line.lstrip().startswith(("#", ">>>", "...")):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert offenders == []
