"""Safe data loading: XML entity bombs refused at once, a (nearly) empty build refused, data
validated before it goes live, a byte-order mark accepted, exact error lines, and IRIs that
no browser should follow flagged by `kg validate`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.config import REPO_ROOT, Settings
from kg.errors import LoadError
from kg.io.parse import read_ox_quads
from kg.load.loader import add_files, build
from kg.store import open_store


def billion_laughs(path: Path) -> Path:
    """1 KB of RDF/XML whose label expands to 10**9 * 20 characters (20 GB)."""
    ents = ['<!ENTITY a0 "hahahahahahahahahaha">']
    ents += [f'<!ENTITY a{i} "' + f"&a{i - 1};" * 10 + '">' for i in range(1, 10)]
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n' + "\n".join(ents) + "\n]>\n"
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        'xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#">\n'
        '<rdf:Description rdf:about="https://data.kfvn.se/id/projekt/skratt">'
        "<rdfs:label>&a9;</rdfs:label></rdf:Description>\n</rdf:RDF>\n", encoding="utf-8")
    return path


def test_billion_laughs_is_refused_at_once(tmp_path: Path, scratch_settings: Settings) -> None:
    bomb = billion_laughs(tmp_path / "skratt.rdf")
    assert bomb.stat().st_size < 1100
    started = time.perf_counter()
    with pytest.raises(LoadError) as info:
        read_ox_quads(bomb)
    assert time.perf_counter() - started < 1.0
    assert info.value.line == 4 and "billion laughs" in info.value.message
    with pytest.raises(LoadError):
        build(scratch_settings, [bomb])
    with pytest.raises(LoadError):
        add_files(open_store("oxigraph:"), [bomb], scratch_settings)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_billion_laughs_costs_little_memory(tmp_path: Path) -> None:
    """In a process of its own, so its peak memory can be read (before: 1.8 GB and an abort
    under a 3 GB limit; 12 GB for `kg validate` without one)."""
    bomb = billion_laughs(tmp_path / "skratt.rdf")
    code = ("import sys; from pathlib import Path; from kg.io.parse import read_ox_quads\n"
            "from kg.errors import LoadError\n"
            "try:\n    read_ox_quads(Path(sys.argv[1]))\nexcept LoadError as e:\n    print(e)\n"
            "print([l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM')][0])\n")
    done = subprocess.run([sys.executable, "-c", code, str(bomb)], capture_output=True, text=True,
                          timeout=120, cwd=REPO_ROOT, check=True)
    assert "billion laughs" in done.stdout
    # the peak of this process's own memory (VmHWM; ru_maxrss would carry the parent's over exec)
    peak_mb = int(done.stdout.split()[-1]) / 1024
    assert 10 < peak_mb < 300, peak_mb


def test_plain_entities_of_owl_files_still_load(tmp_path: Path) -> None:
    f = tmp_path / "owl.rdf"
    f.write_text('<?xml version="1.0"?><!DOCTYPE rdf:RDF [<!ENTITY x "https://x/">]>'
                 '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
                 'xmlns:p="https://x/"><rdf:Description rdf:about="&x;a"><p:p>1</p:p>'
                 "</rdf:Description></rdf:RDF>", encoding="utf-8")
    assert str(read_ox_quads(f)[0].subject) == "<https://x/a>"


@pytest.mark.parametrize("suffix,text", [
    (".ttl", '@prefix r: <http://www.w3.org/2000/01/rdf-schema#> .\n<https://x/a> r:label "å" .\n'),
    (".nt", '<https://x/a> <http://www.w3.org/2000/01/rdf-schema#label> "å" .\n'),
])
def test_a_byte_order_mark_is_accepted(tmp_path: Path, scratch_settings: Settings, suffix: str,
                                       text: str) -> None:
    f = tmp_path / f"bom{suffix}"
    f.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert len(read_ox_quads(f)) == 1
    build(scratch_settings, [f])
    assert open_store(scratch_settings.store).ask('ASK { <https://x/a> ?p "å" }')


def test_ntriples_errors_name_the_exact_line(tmp_path: Path) -> None:
    f = tmp_path / "fel.nt"
    f.write_text('<https://x/a> <https://x/p> "1" .\n<https://x/b> <https://x/p> "2 .\n'
                 '<https://x/c> <https://x/p> "3" .\n', encoding="utf-8")
    with pytest.raises(LoadError) as info:
        read_ox_quads(f)
    assert info.value.line == 2, str(info.value)


def _cli(settings: Settings, *args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["--store", settings.store, *args])
    return res.exit_code, res.output


def test_an_empty_build_is_refused_unless_asked(tmp_path: Path, scratch_settings: Settings) -> None:
    good = tmp_path / "bra.ttl"
    good.write_text('@prefix r: <http://www.w3.org/2000/01/rdf-schema#> .\n'
                    + "".join(f'<https://x/p{i}> r:label "p{i}" .\n' for i in range(50)), encoding="utf-8")
    code, out = _cli(scratch_settings, "build", "--no-validate", str(good))
    assert code == 0, out
    empty = tmp_path / "tom.ttl"
    empty.write_text("# nothing yet\n", encoding="utf-8")
    code, out = _cli(scratch_settings, "build", "--no-validate", str(empty))
    assert code == 1 and "--allow-empty" in out, out
    count = open_store(scratch_settings.store).count()
    assert count > 100  # the old store, as it was (the ontology and the 50 labels twice)
    small = tmp_path / "liten.ttl"
    small.write_text('<https://x/p0> <http://www.w3.org/2000/01/rdf-schema#label> "p0" .\n',
                     encoding="utf-8")
    code, out = _cli(scratch_settings, "build", "--no-validate", str(small))
    assert code == 1 and "refused" in out, out  # the ontology plus one triple is not the graph
    assert open_store(scratch_settings.store).count() == count
    code, out = _cli(scratch_settings, "build", "--no-validate", "--allow-empty", str(empty))
    assert code == 0, out


INVALID = """@prefix schema: <https://schema.org/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://data.kfvn.se/id/projekt/utan-namn> a schema:Project .
<https://data.kfvn.se/id/finansiering/fel> a schema:MonetaryGrant ;
    schema:amount "abc"^^xsd:decimal ; schema:fundedItem <https://data.kfvn.se/id/projekt/utan-namn> .
"""


@pytest.mark.slow
def test_load_and_build_validate_before_anything_changes(tmp_path: Path, settings: Settings) -> None:
    store = tmp_path / "store"
    data = tmp_path / "data"
    data.mkdir()
    for p in (REPO_ROOT / "data").glob("*.ttl"):
        (data / p.name).write_bytes(p.read_bytes())
    s = settings.with_(store=f"oxigraph:{store}", data_dir=str(data), cache_dir=str(tmp_path / "c"),
                       journal_dir=str(tmp_path / "j"))
    build(s)
    before = open_store(s.store).count()
    bad = tmp_path / "ogiltig.ttl"
    bad.write_text(INVALID, encoding="utf-8")
    for args in (["load", str(bad)], ["build", *map(str, sorted(data.glob("*.ttl"))), str(bad)]):
        res = CliRunner().invoke(cli, ["--store", s.store, *args],
                                 env={"KG_DATA_DIR": str(data), "KG_JOURNAL_DIR": str(tmp_path / "j")})
        assert res.exit_code == 1, (args, res.output)
        assert "utan-namn" in res.output and "Inget ändrades" in res.output, res.output
        assert open_store(s.store).count() == before
    res = CliRunner().invoke(cli, ["--store", s.store, "load", "--no-validate", str(bad)],
                             env={"KG_DATA_DIR": str(data), "KG_JOURNAL_DIR": str(tmp_path / "j")})
    assert res.exit_code == 0, res.output
    assert open_store(s.store).count() > before


def test_validate_flags_iris_no_browser_should_follow(tmp_path: Path, settings: Settings) -> None:
    from kg.load.validate import validate_files

    f = tmp_path / "js.ttl"
    f.write_text('@prefix schema: <https://schema.org/> .\n\n'
                 '<https://data.kfvn.se/id/projekt/x> schema:sameAs <javascript:alert(1)> .\n',
                 encoding="utf-8")
    found = [v for v in validate_files([f], settings.ontology_dir / "shapes.ttl")
             if v.value == "javascript:alert(1)"]
    assert found and found[0].line == 3 and "javascript" in found[0].message
