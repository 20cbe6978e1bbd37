"""igraph behind the analytics functions where networkx is too slow on a large graph.

networkx is kept for small graphs (exact, and fast enough there); above a size the same
functions hand the work to igraph (C, the same algorithms): sampled betweenness is 100–300×
faster and Louvain communities about 50× faster at 1 M triples (README: Benchmarks). This
module only converts: a networkx graph becomes an igraph graph with the node names kept,
and igraph's random numbers come from a seeded generator so results are stable.

>>> import networkx as nx
>>> g, names = to_igraph(nx.path_graph(["a", "b", "c"]))
>>> g.vcount(), names
(3, ['a', 'b', 'c'])
"""

from __future__ import annotations

import contextlib
import random
import threading
from collections.abc import Iterator

import igraph as ig
import networkx as nx

__all__ = ["seeded", "to_igraph"]

_RNG_LOCK = threading.Lock()


def to_igraph(G: nx.Graph, weight: str | None = None) -> tuple[ig.Graph, list[str]]:
    """A simple undirected igraph copy of ``G`` and the node names by igraph vertex id.

    With ``weight``, the edge attribute of that name becomes igraph's ``weight`` (1 when
    missing).
    """
    names = list(G.nodes)
    index = {n: i for i, n in enumerate(names)}
    edges = [(index[u], index[v]) for u, v in G.edges()]
    g = ig.Graph(n=len(names), edges=edges, directed=False)
    if weight is not None:
        g.es["weight"] = [d.get(weight, 1) for _, _, d in G.edges(data=True)]
    return g, names


@contextlib.contextmanager
def seeded(seed: int) -> Iterator[None]:
    """Run igraph's randomised algorithms with a generator seeded by ``seed``."""
    with _RNG_LOCK:
        ig.set_random_number_generator(random.Random(seed))
        try:
            yield
        finally:
            ig.set_random_number_generator(random)
