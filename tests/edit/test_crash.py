"""A save killed with SIGKILL leaves the journal and the store each with the whole
changeset or without it; the service then applies what the journal has and the store lacks."""

from __future__ import annotations

import gc
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kg.config import REPO_ROOT, Settings
from kg.edit.journal import Journal
from kg.edit.model import changeset_graph
from kg.edit.service import EditService
from kg.load.loader import build
from kg.store.base import Store
from kg.store.handle import StoreHandle

pytestmark = pytest.mark.slow


def _graph_size(store: Store, graph: str) -> int:
    return int(store.select(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}").rows[0][0])


def test_sigkill_during_saves_leaves_whole_changesets(tmp_path: Path, settings: Settings) -> None:
    s = settings.with_(store=f"oxigraph:{tmp_path / 'store'}", journal_dir=tmp_path / "journal",
                       cache_dir=tmp_path / "cache")
    build(s)
    rng = random.Random(12)
    killed_mid_apply = 0
    for _round in range(4):
        proc = subprocess.Popen([sys.executable, "-m", "tests.edit.crash_worker", str(tmp_path / "store"),
                                 str(s.journal_dir), s.base_iri], cwd=REPO_ROOT, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, text=True)
        assert proc.stdout is not None
        assert proc.stdout.readline().strip() == "ready", proc.stderr.read() if proc.stderr else ""
        time.sleep(rng.uniform(0.3, 1.5))
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
        journal = Journal(s.journal_dir, s.base_iri)
        published = journal.published()  # every record parses: none is half-written
        assert published
        handle = StoreHandle(spec=f"oxigraph:{tmp_path / 'store'}")
        store = handle.current()
        sizes = [_graph_size(store, str(changeset_graph(cs.id, s.base_iri))) for cs in published]
        for cs, size in zip(published, sizes, strict=True):
            # whole or nothing: the data and the provenance, or no trace
            assert size == 0 or size >= len(cs.adds), (cs.id, size, len(cs.adds))
        missing = [cs.id for cs, size in zip(published, sizes, strict=True) if size == 0]
        assert missing in ([], [published[-1].id]), missing  # journal first, then the store
        killed_mid_apply += len(missing)
        service = EditService(handle, journal, base=s.base_iri, shapes=s.ontology_dir / "shapes.ttl")
        assert service.recover() == missing
        store = handle.current()
        assert all(_graph_size(store, str(changeset_graph(cs.id, s.base_iri))) >= len(cs.adds) for cs in published)
        assert store.head() == published[-1].id  # the store knows the last change it has
        del store, service, handle
        gc.collect()  # release the store's lock for the next round
    print(f"killed between journal and store {killed_mid_apply} time(s) in 4 rounds")
