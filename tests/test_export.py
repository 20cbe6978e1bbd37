"""Exports: every RDF format round-trips to an isomorphic graph; result tables are right."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.compare import isomorphic

from kg.export.dumps import dump_bytes, dump_to
from kg.io.atomic import atomic_write
from kg.io.formats import RDF_FORMATS, rdf_format, result_format
from kg.io.results import serialize_result
from kg.store.base import SelectResult, Store


def _union(store: Store) -> Graph:
    g = Graph()
    for t in store.construct("CONSTRUCT WHERE { ?s ?p ?o }").triples:
        g.add(t)
    return g


@pytest.mark.parametrize("fmt", [f for f in RDF_FORMATS], ids=lambda f: f.name)
def test_dump_round_trips(ox_store: Store, fmt, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / f"dump.{fmt.extension}"
    dump_to(ox_store, out, fmt)
    if fmt.quads:
        ds = Dataset()
        ds.parse(out, format=fmt.rdflib)
        back = Graph()
        for s, p, o, _g in ds.quads((None, None, None, None)):
            back.add((s, p, o))
        graphs = {str(c.identifier) for c in ds.graphs() if len(c)}
        assert set(ox_store.graphs()) <= graphs
    else:
        back = Graph().parse(out, format=fmt.rdflib)
    assert len(back) > 0
    assert isomorphic(back, _union(ox_store))


def test_memory_backend_dumps_the_same(ox_store: Store, mem_store: Store) -> None:
    fmt = rdf_format("nt")
    a = Graph().parse(data=dump_bytes(ox_store, fmt), format="nt")
    b = Graph().parse(data=dump_bytes(mem_store, fmt), format="nt")
    assert isomorphic(a, b)


def test_atomic_write_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "x.ttl"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_write(target) as fh:
        fh.write(b"half")
        raise RuntimeError("boom")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.ttl"]


RESULT = SelectResult(
    ["namn", "belopp", "iri"],
    [(Literal("Kramfors kommun", lang="sv"), Literal(3000000), URIRef("https://data.kfvn.se/id/x")),
     (Literal('=HYPERLINK("x")'), None, URIRef("https://data.kfvn.se/id/y"))],
)


def test_csv_and_tsv() -> None:
    rows = list(csv.reader(io.StringIO(serialize_result(RESULT, result_format("csv")).decode())))
    assert rows[0] == ["namn", "belopp", "iri"]
    assert rows[1] == ["Kramfors kommun", "3000000", "https://data.kfvn.se/id/x"]
    tsv = serialize_result(RESULT, result_format("tsv")).decode().splitlines()
    assert tsv[0] == "?namn\t?belopp\t?iri"
    assert tsv[1].startswith('"Kramfors kommun"@sv\t')


def test_sparql_json() -> None:
    data = json.loads(serialize_result(RESULT, result_format("json")))
    assert data["head"]["vars"] == ["namn", "belopp", "iri"]
    first = data["results"]["bindings"][0]
    assert first["namn"] == {"type": "literal", "value": "Kramfors kommun", "xml:lang": "sv"}
    assert first["belopp"]["datatype"].endswith("#integer")
    assert "belopp" not in data["results"]["bindings"][1]


def test_xlsx_numbers_and_no_formulas() -> None:
    wb = load_workbook(io.BytesIO(serialize_result(RESULT, result_format("xlsx"))))
    ws = wb.active
    assert [c.value for c in ws[1]] == ["namn", "belopp", "iri"]
    assert ws["B2"].value == 3000000
    assert ws["A3"].value.startswith("'=")
