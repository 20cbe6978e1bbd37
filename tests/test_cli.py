"""The `kg` command as a user runs it: a real subprocess for the entry point, CliRunner else."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner
from rdflib import Graph

from kg.cli import cli
from kg.config import Settings


def _run(settings: Settings, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["--store", settings.store, *args])
    return res.exit_code, res.output


def test_console_script_runs() -> None:
    exe = Path(sys.executable).parent / "kg"
    out = subprocess.run([str(exe), "--help"], capture_output=True, text=True, check=True)
    for cmd in ("build", "validate", "query", "export", "stats", "serve"):
        assert cmd in out.stdout


def test_stats_counts_classes(settings: Settings) -> None:
    code, out = _run(settings, "stats")
    assert code == 0, out
    assert "Projekt" in out and "Evenemang" in out and "Organisationer" in out
    assert "Mest sammankopplade" in out


def test_query_outputs(settings: Settings) -> None:
    q = "SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g"
    code, out = _run(settings, "query", "-o", "json", q)
    assert code == 0, out
    graphs = [b["g"]["value"] for b in json.loads(out)["results"]["bindings"]]
    assert "https://data.kfvn.se/graph/kfv" in graphs
    code, out = _run(settings, "query", "-o", "csv", q)
    assert out.splitlines()[0] == "g"
    code, out = _run(settings, "query", q)
    assert "rad" in out.splitlines()[-1]


def test_query_from_file(settings: Settings, tmp_path: Path) -> None:
    f = tmp_path / "q.rq"
    f.write_text("ASK { ?s a owl:Ontology }", encoding="utf-8")
    code, out = _run(settings, "query", "-f", str(f), "-o", "json")
    assert code == 0 and json.loads(out)["boolean"] is True


def test_query_syntax_error_is_clear(settings: Settings) -> None:
    code, out = _run(settings, "query", "SELECT * WHERE {\n ?s ?p \n}")
    assert code == 1
    assert "SPARQL syntax error at line" in out


def test_update_refused(settings: Settings) -> None:
    code, out = _run(settings, "query", "INSERT DATA { <http://a> <http://b> <http://c> }")
    assert code == 1 and "read-only" in out


def test_export_to_file_is_complete(settings: Settings, tmp_path: Path) -> None:
    out_file = tmp_path / "dump.ttl"
    code, out = _run(settings, "export", "--format", "turtle", "--out", str(out_file))
    assert code == 0, out
    g = Graph().parse(out_file, format="turtle")
    assert len(g) > 100
    assert [p.name for p in tmp_path.iterdir()] == ["dump.ttl"]


def test_export_unknown_format(settings: Settings) -> None:
    code, out = _run(settings, "export", "--format", "docx")
    assert code == 1 and "unknown RDF format" in out


def test_validate_bundled_data(settings: Settings) -> None:
    code, out = _run(settings, "validate")
    assert code == 0, out
    assert out.startswith("OK")


def test_validate_reports_file_and_line(settings: Settings, tmp_path: Path) -> None:
    bad = tmp_path / "fel.ttl"
    bad.write_text(
        "@prefix schema: <https://schema.org/> .\n"
        "@prefix projekt: <https://data.kfvn.se/id/projekt/> .\n\n"
        "projekt:utan-namn a schema:Project .\n",
        encoding="utf-8",
    )
    code, out = _run(settings, "validate", str(bad))
    assert code == 1
    assert f"{bad}:4:" in out
    assert "utan-namn" in out
