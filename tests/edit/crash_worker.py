"""Saves changesets in a loop until killed (run by test_crash.py as a separate process).

Usage: python -m tests.edit.crash_worker STORE_DIR JOURNAL_DIR BASE
"""

from __future__ import annotations

import sys
from pathlib import Path

from rdflib import Literal, URIRef

from kg.edit.journal import Journal
from kg.edit.model import Source
from kg.edit.service import Actor, EditService
from kg.namespaces import FOAF, RDF, RDFS
from kg.store.delta import Delta
from kg.store.handle import StoreHandle

BIG = 2000  # triples per changeset: applying one takes long enough to be killed in the middle


def main() -> None:
    store_dir, journal_dir, base = sys.argv[1], sys.argv[2], sys.argv[3]
    handle = StoreHandle(spec=f"oxigraph:{store_dir}")
    service = EditService(handle, Journal(Path(journal_dir), base), base=base,
                          shapes=Path("ontology/shapes.ttl"))
    actor = Actor("bo", "Bo Berg", "granskare")
    source = Source("informant", informant="Test")
    print("ready", flush=True)
    n = 0
    while True:
        n += 1
        person = URIRef(f"{base}id/person/krasch-{n}-{id(handle)}")
        adds = [(person, RDF.type, FOAF.Person, None), (person, RDFS.label, Literal(f"Krasch {n}", lang="sv"), None)]
        adds += [(person, RDFS.comment, Literal(f"rad {i}"), None) for i in range(BIG)]
        service.create(Delta(add=tuple(adds)), author=actor, reason="krocktest", source=source,
                       entities=[str(person)], validate=False)


if __name__ == "__main__":
    main()
