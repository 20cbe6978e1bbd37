"""Bulk loading, measured in a fresh process each time (so that peak memory is the load's
own): pyoxigraph's ``Store.bulk_load`` on the file, and our ``kg build`` of the same file.

    python -m kg.bench.loading raw|build|build-merged STORE_DIR FILE

prints one JSON line: ``{"seconds": ..., "peak_rss_mb": ..., "quads": ...}``.
"""

from __future__ import annotations

import json
import resource
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

from kg.errors import StoreError

__all__ = ["LoadResult", "measure_load"]

MODES = ("raw", "build", "build-merged")


@dataclass
class LoadResult:
    """One measured load."""

    mode: str
    seconds: float
    peak_rss_mb: float
    quads: int


def measure_load(mode: str, store_dir: Path, data: Path, timeout: float = 3600) -> LoadResult:
    """Load ``data`` into a new store at ``store_dir`` in a child process, and measure it.

    Modes: ``raw`` (pyoxigraph ``bulk_load`` into the default graph), ``build`` (``kg build``
    of the ontology and the file without provenance graphs: every fact once, in the default
    graph, which generated data needs) and ``build-merged`` (``kg build`` as for the bundled
    data: each file in its named graph *and* in the merged default graph).

    Raises:
        StoreError: the child failed.
    """
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}")
    shutil.rmtree(store_dir, ignore_errors=True)
    done = subprocess.run([sys.executable, "-m", "kg.bench.loading", mode, str(store_dir),
                           str(data)], capture_output=True, text=True, timeout=timeout,
                          check=False)
    if done.returncode != 0:
        raise StoreError(f"bulk load ({mode}) failed: {done.stderr[-2000:]}")
    out = json.loads(done.stdout.strip().splitlines()[-1])
    return LoadResult(mode, out["seconds"], out["peak_rss_mb"], out["quads"])


def _raw(store_dir: Path, data: Path) -> int:
    import pyoxigraph as ox

    store = ox.Store(str(store_dir))
    store.bulk_load(path=str(data), format=ox.RdfFormat.N_TRIPLES)
    store.flush()
    return len(store)


def _build(store_dir: Path, data: Path, provenance: bool) -> int:
    from kg.config import Settings
    from kg.load.loader import build, ontology_files

    settings = Settings.load(environ={}, store=f"oxigraph:{store_dir}")
    report = build(settings, [*ontology_files(settings), data], progress=False,
                   provenance=provenance)
    return report.quads


def main(argv: list[str]) -> int:
    mode, store_dir, data = argv[0], Path(argv[1]), Path(argv[2])
    if mode != "raw":
        import kg.load.loader  # noqa: F401 - imports are not part of the load time
    started = time.perf_counter()
    quads = (_raw(store_dir, data) if mode == "raw"
             else _build(store_dir, data, provenance=mode == "build-merged"))
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    sys.stdout.write(json.dumps({"seconds": seconds, "peak_rss_mb": peak, "quads": quads}) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
