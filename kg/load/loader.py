"""Building the store from files, atomically: nothing half-written, ever.

``build`` loads the ontology and every data file into a *new* Oxigraph folder beside the
target and swaps it in only when everything loaded; a syntax error leaves the old store as
it was. ``add_files`` parses extra files completely before adding them, as a new data version.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from tqdm import tqdm

from kg.config import Settings
from kg.errors import LoadError
from kg.io.formats import rdf_format_for_path
from kg.io.parse import load_error, read_ox_quads
from kg.io.terms import quad_from_ox
from kg.namespaces import graph_iri
from kg.store import OxigraphStore, Store, open_store
from kg.store.delta import next_version
from kg.store.folders import live_folder, new_version
from kg.store.handle import StoreHandle, disk_target
from kg.store.oxigraph import file_digest

__all__ = [
    "BuildReport",
    "add_files",
    "build",
    "bundled_files",
    "graph_for",
    "ontology_files",
    "open_built_store",
]

log = logging.getLogger(__name__)
RDF_SUFFIXES = {".ttl", ".trig", ".nt", ".nq", ".jsonld", ".rdf", ".owl"}
ONTOLOGY_FILES = ("kfv.ttl", "vocabularies.ttl")
PROGRESS_MIN_BYTES = 5_000_000
#: Below this total size files are parsed in Python and added in one transaction (which
#: keeps blank nodes shared between a source graph and the merged graph); above it,
#: Oxigraph's bulk loader is used.
BULK_MIN_BYTES = 20_000_000
#: ``kg build`` refuses data with fewer triples than this share of the data it replaces.
SHRINK_LIMIT = 0.1


@dataclass
class BuildReport:
    """What a build or load did."""

    files: list[Path] = field(default_factory=list)
    quads: int = 0
    seconds: float = 0.0
    version: str = ""
    store: str = ""


def ontology_files(settings: Settings) -> list[Path]:
    """The ontology and its vocabularies (the SHACL shapes are not loaded)."""
    return [settings.ontology_dir / n for n in ONTOLOGY_FILES if (settings.ontology_dir / n).exists()]


def bundled_files(settings: Settings) -> list[Path]:
    """The ontology (without shapes) and every RDF file in the data folder, in load order."""
    onto = ontology_files(settings)
    data = sorted(
        p for p in settings.data_dir.iterdir() if p.suffix in RDF_SUFFIXES and p.is_file()
    ) if settings.data_dir.is_dir() else []
    return onto + data


def graph_for(path: Path, settings: Settings) -> str:
    """The named graph a triple file goes into: ``<base>graph/<file stem>``."""
    return graph_iri(path.stem, settings.base_iri)


def _bar(files: Sequence[Path], show: bool | None) -> Any:
    total = sum(p.stat().st_size for p in files)
    if show is None:
        show = total >= PROGRESS_MIN_BYTES
    return tqdm(total=total, unit="B", unit_scale=True, desc="laddar", disable=not show)


def build(
    settings: Settings,
    files: Sequence[Path] | None = None,
    *,
    progress: bool | None = None,
    provenance: bool = True,
    then: Callable[[Store], object] | None = None,
    allow_empty: bool = True,
) -> BuildReport:
    """(Re)build the configured store from ``files`` (default: the bundled ontology and data).

    Each file goes into its own named graph (its provenance) and into the merged default
    graph. ``provenance=False`` loads only the default graph: half the work, for large
    generated graphs whose facts carry ``dcterms:source`` anyway. ``then(store)`` runs on
    the new store before it goes live (``kg build`` replays the edit journal with it:
    :func:`kg.edit.replay.replay`); it may apply changes, which give the build its version.

    With ``allow_empty=False`` (what ``kg build`` does unless told otherwise) a build is
    refused when its data files (all but the ontology) hold no triples, or when they hold
    less than :data:`SHRINK_LIMIT` of the triples of the data it replaces:
    a mistyped file name must not replace the whole graph with the ontology alone.

    Raises:
        LoadError: a file is missing or malformed, or the build is refused as (nearly)
            empty; the existing store is left untouched.
        StoreError: the store cannot be written.
    """
    bundled = files is None
    files = list(files) if files is not None else bundled_files(settings)
    for p in files:
        if not p.is_file():
            raise LoadError(p, "no such file")
    if not allow_empty:
        _refuse_empty(files, settings)
    started = time.perf_counter()
    version = file_digest(files, settings.base_iri)
    spec = settings.store
    if spec.startswith("oxigraph:") and spec != "oxigraph:":
        target = Path(spec.removeprefix("oxigraph:"))
        quads, version = _build_oxigraph_dir(
            target, files, settings, version, progress, bundled, provenance, then,
            allow_empty=allow_empty,
        )
    else:
        store = open_store(spec)
        quads = _load_into(store, files, settings, progress, replace=True, provenance=provenance)
        store.set_version(version)
        if then is not None:
            then(store)
            version = store.data_version()
        store.close()
    return BuildReport(files, quads, time.perf_counter() - started, version, spec)


def _build_oxigraph_dir(
    target: Path,
    files: Sequence[Path],
    settings: Settings,
    version: str,
    progress: bool | None,
    bundled: bool,
    provenance: bool,
    then: Callable[[Store], object] | None = None,
    *,
    allow_empty: bool = True,
) -> tuple[int, str]:
    """Build a new version folder beside the live one and swap it in (kg.store.folders)."""
    live = live_folder(target)
    meta = OxigraphStore.read_meta_at(live) if live is not None else {}
    before = int(meta.get("data_triples") or 0)
    onto = {p.resolve() for p in ontology_files(settings)}
    onto_quads = sum(len(read_ox_quads(p)) for p in files if p.resolve() in onto)
    with new_version(target) as work:
        store = OxigraphStore(work)
        quads = _load_into(store, files, settings, progress, replace=False,
                           provenance=provenance)
        data_triples = max(0, store.count() - onto_quads)  # the merged graph, less the ontology
        store.write_meta(
            {"version": version, "bundle": version, "bundled": bundled,
             "files": [str(p) for p in files], "quads": quads, "data_triples": data_triples,
             "built": time.strftime("%Y-%m-%dT%H:%M:%S")}
        )
        if then is not None:
            then(store)
            version = store.data_version()
        store.flush()
        del store
        if not allow_empty and before and data_triples < before * SHRINK_LIMIT:
            raise LoadError(target, (
                f"the new data has {data_triples} triples besides the ontology, the store it would "
                f"replace has {before}; refused (use --allow-empty to replace it anyway)"))
    return quads, version


def _refuse_empty(files: Sequence[Path], settings: Settings) -> None:
    """Refuse a build whose data files (not the ontology) hold no triples at all."""
    onto = {p.resolve() for p in ontology_files(settings)}
    data = [p for p in files if p.resolve() not in onto]
    if not data:
        raise LoadError(settings.data_dir, "no data files, only the ontology; refused "
                        "(use --allow-empty to build the ontology alone)")
    if sum(p.stat().st_size for p in data) > 1_000_000:
        return  # a megabyte of RDF holds triples; the parser will say if it does not
    if not any(read_ox_quads(p) for p in data):
        raise LoadError(data[0], "the data files hold no triples; refused (use --allow-empty "
                        "to build the ontology alone)")


def _load_into(
    store: Store,
    files: Sequence[Path],
    settings: Settings,
    progress: bool | None,
    *,
    replace: bool,
    provenance: bool = True,
) -> int:

    def graph(p: Path) -> str | None:
        return graph_for(p, settings) if provenance else None

    # with provenance graphs, small inputs take the parse path (it keeps blank nodes shared
    # between a source graph and the merge); a single target graph can always bulk-load
    small = provenance and sum(p.stat().st_size for p in files) < BULK_MIN_BYTES
    if replace or small or not isinstance(store, OxigraphStore):
        # parse everything first so that a bad file changes nothing
        parsed = [(p, read_ox_quads(p, None, graph(p))) for p in files]
        if replace:
            store.clear()
        total = 0
        for _p, quads in parsed:
            _add(store, quads)
            total += len(quads)
        return total
    bar = _bar(files, progress)
    try:
        for p in files:
            try:
                store.load_file(p, rdf_format_for_path(p), graph(p), progress=bar)
            except SyntaxError as exc:
                raise load_error(p, exc) from exc
    finally:
        bar.close()
    return store.count()


def _add(store: Store, quads: list[ox.Quad]) -> None:
    if isinstance(store, OxigraphStore):
        store.add_ox_quads(quads)
    else:
        store.add_quads(quad_from_ox(q) for q in quads)


def add_files(target: StoreHandle | Store, files: Sequence[Path], settings: Settings) -> BuildReport:
    """Add extra files to a store (or the store a handle serves), each into the graph named
    after it, as one new data version (readers, workers and caches follow it).

    Raises:
        LoadError: a file is missing or malformed; nothing was added.
    """
    started = time.perf_counter()
    for p in files:
        if not p.is_file():
            raise LoadError(p, "no such file")
    parsed = [read_ox_quads(p, None, graph_for(p, settings)) for p in files]
    n = sum(len(q) for q in parsed)
    digest = file_digest(files, settings.base_iri)

    def change(store: Store) -> None:
        previous = store.data_version()
        for quads in parsed:
            _add(store, quads)
        store.set_version(next_version(previous, digest))

    handle = target if isinstance(target, StoreHandle) else StoreHandle(target)
    version = handle.derive(change)
    return BuildReport(list(files), n, time.perf_counter() - started, version,
                       handle.current().kind)


def open_built_store(
    settings: Settings, *, rebuild_if_stale: bool = True, read_only: bool = True,
    then: Callable[[Store], object] | None = None,
) -> Store:
    """Open the configured store, building it first when it is missing or out of date.

    An embedded store is out of date when the bundled files changed since it was built
    (changes published since then are kept: a rebuild replays them). A ``memory`` store is
    always loaded from the bundled files. An embedded on-disk store is opened read-only
    unless ``read_only=False``, so that any number of readers (the server, `kg query`,
    tests) can use it at once.
    """
    spec = settings.store
    if spec == "memory" or spec == "oxigraph:":
        store = open_store(spec)
        _load_into(store, bundled_files(settings), settings, False, replace=True)
        store.set_version(file_digest(bundled_files(settings), settings.base_iri))
        if then is not None:
            then(store)
        return store
    target = disk_target(spec)
    if target is not None and rebuild_if_stale and is_stale(settings, target):
        log.info("store at %s is missing or stale; building it", target)
        build(settings, then=then)
    return open_store(spec, read_only=read_only)


def open_handle(settings: Settings, *, rebuild_if_stale: bool = True,
                then: Callable[[Store], object] | None = None) -> StoreHandle:
    """The handle a server or an editor uses: the configured store, built first when it is
    missing or stale (``then`` as for :func:`build`), following new versions (see
    :mod:`kg.store.handle`)."""
    target = disk_target(settings.store)
    if target is None:
        return StoreHandle(open_built_store(settings, then=then))
    if rebuild_if_stale and is_stale(settings, target):
        log.info("store at %s is missing or stale; building it", target)
        build(settings, then=then)
    return StoreHandle(spec=settings.store)


def is_stale(settings: Settings, target: Path) -> bool:
    """Whether the on-disk store is missing or was built from other bundled files."""
    folder = live_folder(target)
    if folder is None or not any(folder.iterdir()):
        return True
    meta = OxigraphStore.read_meta_at(folder)
    current = file_digest(bundled_files(settings), settings.base_iri)
    built_from = meta.get("bundle") or meta.get("version")
    return bool(meta.get("bundled", True)) and built_from != current
