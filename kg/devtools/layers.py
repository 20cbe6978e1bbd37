"""The package dependency graph of ``kg`` and ``webapp``, read from the import statements
(those inside functions too), and its cycles.

``python -m kg.devtools.layers`` prints one line per package with what it imports;
``tests/test_layers.py`` fails on any cycle and on any import against the layer order.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable
from pathlib import Path

import networkx as nx

__all__ = ["LAYERS", "package_graph", "package_of", "violations"]

#: The data flow, bottom to top: a package may import only packages of earlier layers
#: (and of its own layer where the layer lists several).
LAYERS: tuple[tuple[str, ...], ...] = (
    ("kg.errors", "kg.namespaces", "kg.i18n"),
    ("kg.config",),
    ("kg.io",),
    ("kg.cache",),
    ("kg.store",),
    ("kg.load",),
    ("kg.query",),
    ("kg.analytics",),
    ("kg.export",),
    ("kg.edit",),
    ("kg.ingest",),
    ("webapp",),
    ("kg.devtools", "kg.bench"),
    ("kg.cli",),
)
_ROOTS = ("kg", "webapp")


def package_of(module: str) -> str | None:
    """The layer unit a module belongs to: ``kg.<sub>`` for kg, ``webapp`` for the app.

    >>> package_of("kg.store.oxigraph"), package_of("webapp.views.home"), package_of("flask")
    ('kg.store', 'webapp', None)
    """
    parts = module.split(".")
    if parts[0] == "webapp":
        return "webapp"
    if parts[0] == "kg" and len(parts) > 1:
        return f"kg.{parts[1]}"
    return None


def _imports(path: Path) -> Iterable[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.module
            yield from (f"{node.module}.{a.name}" for a in node.names)


def package_graph(root: Path) -> nx.DiGraph:
    """Packages as nodes, "imports" as edges, from every ``.py`` file under ``root``."""
    graph = nx.DiGraph()
    for top in _ROOTS:
        for path in sorted((root / top).rglob("*.py")):
            rel = path.relative_to(root).with_suffix("")
            module = ".".join(p for p in rel.parts if p != "__init__")
            src = package_of(module) or module
            graph.add_node(src)
            for name in _imports(path):
                dst = package_of(name)
                if dst and dst != src and dst in _known(root):
                    graph.add_edge(src, dst)
    return graph


def _known(root: Path) -> set[str]:
    names = {"webapp"}
    for p in (root / "kg").iterdir():
        if p.suffix == ".py" and p.stem != "__init__":
            names.add(f"kg.{p.stem}")
        elif p.is_dir() and (p / "__init__.py").exists():
            names.add(f"kg.{p.name}")
    return names


def _rank(package: str) -> int:
    for i, layer in enumerate(LAYERS):
        if package in layer:
            return i
    return len(LAYERS)


def violations(graph: nx.DiGraph) -> list[str]:
    """Cycles, and imports of a package from a later layer, as readable lines."""
    found = [" -> ".join([*c, c[0]]) for c in nx.simple_cycles(graph)]
    found += [f"{a} imports {b} (a later layer)" for a, b in graph.edges
              if _rank(b) > _rank(a)]
    return sorted(found)


def main() -> None:
    root = Path(__file__).resolve().parents[2]
    graph = package_graph(root)
    for node in sorted(graph, key=lambda n: (_rank(n), n)):
        deps = sorted(graph.successors(node), key=lambda n: (_rank(n), n))
        print(f"{node:14} -> {', '.join(deps) or '-'}")
    bad = violations(graph)
    for line in bad:
        print("VIOLATION:", line)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
