"""The measurement on a small slice of the news list, with minimum figures (the full run is
`kg bench ingest`, by hand), and `kg ingest` as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from kg.cli import cli
from kg.config import Settings
from kg.ingest.measure import measure_news
from kg.load.loader import open_built_store

from .files import docx_file

SLICE = [1, 3, 4, 5, 7, 16, 20, 28, 35, 37, 38, 45, 46]
#: kind → (least precision, least recall) on the slice; measured 2026-11: see README "Ingest".
MINIMUM = {
    "entitetslänkar": (0.85, 0.70),
    "nya entiteter": (0.80, 0.55),
    "roller": (0.60, 0.12),
    "finansieringar": (0.50, 0.50),
    "belopp": (0.90, 0.90),
    "uppdrag": (0.80, 0.80),
    "resultat": (0.80, 0.60),
}


def test_news_slice_meets_minimum_figures(settings: Settings) -> None:
    scores = measure_news(settings, SLICE)
    low = []
    for kind, (p_min, r_min) in MINIMUM.items():
        s = scores[kind]
        if (s.precision or 0) < p_min or (s.recall or 0) < r_min:
            low.append(f"{kind}: precision {s.precision}, recall {s.recall}")
    assert not low, low


def _run(settings: Settings, *args: str, stdin: bytes | None = None) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["--store", settings.store, *args], input=stdin)
    return res.exit_code, res.output


def test_kg_ingest_prints_a_table_and_publishes_nothing(settings: Settings, tmp_path: Path) -> None:
    store = open_built_store(settings, rebuild_if_stale=False)
    before = (store.data_version(), store.count())
    store.close()
    f = tmp_path / "nyhet.docx"
    f.write_bytes(docx_file(["Tillväxtverket har beviljat Kommunförbundet Västernorrland 3 MSEK för projektet "
                             "”Smarta byar” tillsammans med Kramfors kommun och Ånge kommun."], title="Smarta byar"))
    code, out = _run(settings, "ingest", str(f))
    assert code == 0, out
    assert "Omnämnda entiteter i grafen" in out and "organisation:tillvaxtverket" in out
    assert "Nytt projekt: Smarta byar" in out and "3 000 000 kr" in out
    assert "finansiering:smarta-byar--tillvaxtverket" in out
    store = open_built_store(settings, rebuild_if_stale=False)
    assert (store.data_version(), store.count()) == before
    store.close()


def test_kg_ingest_json_from_stdin(settings: Settings) -> None:
    code, out = _run(settings, "ingest", "--json", "-",
                     stdin="Peder Björk, kommunalråd i Sundsvalls kommun, tar över ordförandeskapet.".encode())
    assert code == 0, out
    data = json.loads(out)
    assert {"title", "mentions", "proposals"} <= set(data)
    post = next(p for p in data["proposals"] if p["kind"] == "uppdrag")
    assert post["sentence"].startswith("Peder Björk") and post["triples"]


def test_kg_ingest_bad_file_is_a_clear_message(settings: Settings, tmp_path: Path) -> None:
    f = tmp_path / "trasig.pdf"
    f.write_bytes(b"\x89PNG not a pdf")
    exe = Path(sys.executable).parent / "kg"
    res = subprocess.run([str(exe), "--store", settings.store, "ingest", str(f)], capture_output=True, text=True,
                         timeout=60, check=False)
    assert res.returncode == 1
    assert "heter .pdf men är ingen PDF-fil" in res.stderr


def test_kg_bench_ingest_prints_the_table_and_checks_minimums(settings: Settings) -> None:
    code, out = _run(settings, "bench", "ingest", "--items", "28,38", "--min", "uppdrag:0.5:0.5")
    assert code == 0, out
    assert "| slag | precision | recall |" in out and "| belopp | 100 % | 100 % |" in out
    code, out = _run(settings, "bench", "ingest", "--items", "28", "--min", "roller:1.0:1.0")
    assert code == 1
