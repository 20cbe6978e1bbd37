"""Node positions computed on the server, so the browser never has to run physics.

Small graphs (up to :data:`EXACT_MAX` nodes) use networkx's ``spring_layout``. Larger ones
use the same Fruchterman–Reingold forces, vectorised with numpy, with the repulsion of each
step estimated from a random sample of nodes: O(n·s) per step instead of O(n²), which keeps
a 2,000-node graph to about a second. Positions are scaled so the mean distance between
neighbours is roughly constant whatever the size, in vis-network's pixel units.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Hashable
from typing import Any

import networkx as nx
import numpy as np

__all__ = ["EXACT_MAX", "LAYOUT_VERSION", "layout"]

log = logging.getLogger(__name__)

#: Part of the cache key of stored layouts: bump it when positions would change.
LAYOUT_VERSION = 3
#: Up to this many nodes, networkx's exact spring layout is used.
EXACT_MAX = 300
_SPACING = 90.0  # pixels per unit of sqrt(n)


def _sampled_spring(H: nx.Graph, seed: int, iterations: int, sample: int) -> np.ndarray:
    nodes = list(H)
    n = len(nodes)
    index = {v: i for i, v in enumerate(nodes)}
    edges = np.array([(index[u], index[v]) for u, v in H.edges() if u != v], dtype=np.int64)
    edges = edges.reshape(-1, 2)
    rng = np.random.default_rng(seed)
    pos = rng.random((n, 2))
    k = math.sqrt(1.0 / n)
    m = min(n, sample)
    temperature = 0.1
    cool = temperature / (iterations + 1)
    for _ in range(iterations):
        picked = rng.choice(n, size=m, replace=False)
        delta = pos[:, None, :] - pos[None, picked, :]
        dist2 = np.maximum((delta ** 2).sum(-1), 1e-6)
        disp = (delta * (k * k / dist2)[..., None]).sum(1) * (n / m)
        if len(edges):
            d = pos[edges[:, 0]] - pos[edges[:, 1]]
            pull = d * (np.sqrt((d ** 2).sum(1)) / k)[:, None]
            np.add.at(disp, edges[:, 0], -pull)
            np.add.at(disp, edges[:, 1], pull)
        length = np.maximum(np.sqrt((disp ** 2).sum(1)), 1e-6)
        pos += disp * (np.minimum(length, temperature) / length)[:, None]
        temperature -= cool
    return pos


def _scaled(nodes: list[Hashable], arr: np.ndarray) -> dict[Any, tuple[float, float]]:
    arr = arr - arr.mean(0)
    extent = float(np.abs(arr).max()) or 1.0
    scale = _SPACING * math.sqrt(len(nodes)) / extent
    return {v: (round(float(x) * scale, 1), round(float(y) * scale, 1))
            for v, (x, y) in zip(nodes, arr, strict=True)}


def _component(H: nx.Graph, seed: int, iterations: int,
               sample: int) -> dict[Any, tuple[float, float]]:
    nodes = list(H)
    if len(nodes) == 1:
        return {nodes[0]: (0.0, 0.0)}
    if len(nodes) <= EXACT_MAX:
        raw = nx.spring_layout(H, seed=seed, iterations=iterations)
        arr = np.array([raw[v] for v in nodes])
    else:
        arr = _sampled_spring(H, seed, iterations, sample)
    return _scaled(nodes, arr)


def _box(pos: dict[Any, tuple[float, float]]) -> tuple[float, float, float, float]:
    xs = [x for x, _ in pos.values()]
    ys = [y for _, y in pos.values()]
    return min(xs), min(ys), max(xs), max(ys)


def _pack(parts: list[dict[Any, tuple[float, float]]],
          gap: float = 60.0) -> dict[Any, tuple[float, float]]:
    """The largest part in the middle, the others in rows beneath it (shelf packing)."""
    main = parts[0]
    x0, _y0, x1, y1 = _box(main)
    sizes = [(b[2] - b[0] + gap, b[3] - b[1] + gap) for b in map(_box, parts[1:])]
    area = sum(w * h for w, h in sizes)
    width = max(x1 - x0, math.sqrt(area) * 1.5, 400.0)
    out = dict(main)
    left, x, y, row = -width / 2, 0.0, y1 + gap * 2, 0.0
    for part, (w, h) in zip(parts[1:], sizes, strict=True):
        if x > 0 and x + w > width:
            x, y, row = 0.0, y + row, 0.0
        bx0, by0, _bx1, _by1 = _box(part)
        dx, dy = left + x - bx0 + gap / 2, y - by0 + gap / 2
        out.update({v: (round(px + dx, 1), round(py + dy, 1)) for v, (px, py) in part.items()})
        x += w
        row = max(row, h)
    return out


def layout(H: nx.Graph, *, seed: int = 7, center: Hashable | None = None,
           iterations: int = 60, sample: int = 160) -> dict[Any, tuple[float, float]]:
    """Positions for every node of ``H`` in pixels, centred on ``center`` when given.

    Each connected component is laid out on its own; the largest sits in the middle and the
    smaller ones are packed in rows beneath it, so islands do not fly to the edges.

    >>> pos = layout(nx.path_graph(3))
    >>> sorted(pos) == [0, 1, 2] and all(len(p) == 2 for p in pos.values())
    True
    """
    if H.number_of_nodes() == 0:
        return {}
    comps = sorted(nx.connected_components(H), key=lambda c: (-len(c), sorted(map(str, c))))
    parts = [_component(H.subgraph(c), seed, iterations, sample) for c in comps]
    pos = parts[0] if len(parts) == 1 else _pack(parts)
    if center is not None and center in pos:
        cx, cy = pos[center]
        pos = {v: (round(x - cx, 1), round(y - cy, 1)) for v, (x, y) in pos.items()}
    return pos


def radial_layout(H: nx.Graph, center: Hashable, *, spacing: float = 90.0,
                  min_radius: float = 220.0) -> dict[Any, tuple[float, float]]:
    """An ego-centred layout: ``center`` in the middle, its neighbours on a ring around it,
    nodes two steps out on an outer ring near the neighbour that leads to them.

    Deterministic, overlap-free for the rings and instant, which suits a neighbourhood
    graph far better than a force layout (where labels pile up around hubs).

    >>> pos = radial_layout(nx.star_graph(4), 0)
    >>> pos[0]
    (0.0, 0.0)
    >>> sorted({round((x * x + y * y) ** 0.5) for n, (x, y) in pos.items() if n})
    [220]
    """
    if center not in H:
        return layout(H)
    dist = nx.single_source_shortest_path_length(H, center)
    ring1 = sorted((v for v, d in dist.items() if d == 1), key=str)
    pos: dict[Any, tuple[float, float]] = {center: (0.0, 0.0)}
    r1 = max(min_radius, spacing * len(ring1) / (2 * math.pi))
    angle = {v: 2 * math.pi * i / max(len(ring1), 1) for i, v in enumerate(ring1)}
    for v, a in angle.items():
        pos[v] = (round(r1 * math.cos(a), 1), round(r1 * math.sin(a), 1))
    # outer ring: group the rest under the first ring-1 node that reaches them
    children: dict[Any, list[Any]] = {v: [] for v in ring1}
    rest = sorted((v for v in H if v not in pos), key=lambda v: (dist.get(v, 99), str(v)))
    orphans: list[Any] = []
    for v in rest:
        parents = sorted((u for u in H.neighbors(v) if u in children), key=str)
        (children[parents[0]] if parents else orphans).append(v)
    outer = [v for p in ring1 for v in children[p]] + orphans
    if outer:
        r2 = r1 + max(min_radius, spacing * len(outer) / (2 * math.pi) - r1)
        step = 2 * math.pi / len(outer)
        # start the outer ring where the first parent sits, so children stay near parents
        start = angle.get(ring1[0], 0.0) - step * (len(children.get(ring1[0], [])) - 1) / 2 if ring1 else 0.0
        for i, v in enumerate(outer):
            a = start + i * step
            pos[v] = (round(r2 * math.cos(a), 1), round(r2 * math.sin(a), 1))
    return pos
