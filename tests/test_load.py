"""Loading: bad files are reported with file and line, and nothing is half-written."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.config import Settings
from kg.errors import LoadError
from kg.load.loader import add_files, build, open_built_store
from kg.store import open_store

GOOD = """@prefix ex: <https://data.kfvn.se/id/projekt/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
ex:testprojekt rdfs:label "Testprojekt"@sv .
"""
BAD = """@prefix ex: <https://data.kfvn.se/id/projekt/> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .

ex:trasig rdfs:label "ingen punkt på slutet"@sv
ex:annan rdfs:label "x" .
"""


def test_syntax_error_names_file_and_line(tmp_path: Path, scratch_settings: Settings) -> None:
    bad = tmp_path / "trasig.ttl"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(LoadError) as info:
        build(scratch_settings, [bad])
    err = info.value
    assert err.path == bad
    assert err.line == 5, str(err)
    assert str(err).startswith(f"{bad}:5:")


def test_failed_build_leaves_old_store_untouched(tmp_path: Path, scratch_settings: Settings) -> None:
    good = tmp_path / "bra.ttl"
    good.write_text(GOOD, encoding="utf-8")
    build(scratch_settings, [good])
    bad = tmp_path / "trasig.ttl"
    bad.write_text(BAD, encoding="utf-8")
    with pytest.raises(LoadError):
        build(scratch_settings, [good, bad])
    store = open_store(scratch_settings.store)
    assert store.ask('ASK { ?s rdfs:label "Testprojekt"@sv }')
    assert store.count() == 1
    store_dir = Path(scratch_settings.store.removeprefix("oxigraph:"))
    leftovers = [p.name for p in store_dir.parent.iterdir() if ".building-" in p.name]
    assert leftovers == []


def test_add_files_is_all_or_nothing(tmp_path: Path, scratch_settings: Settings) -> None:
    good = tmp_path / "bra.ttl"
    good.write_text(GOOD, encoding="utf-8")
    bad = tmp_path / "trasig.ttl"
    bad.write_text(BAD, encoding="utf-8")
    store = open_store("oxigraph:")
    with pytest.raises(LoadError):
        add_files(store, [good, bad], scratch_settings)
    assert store.count() == 0
    add_files(store, [good], scratch_settings)
    graphs = store.graphs()
    assert graphs == ["https://data.kfvn.se/graph/bra"]


@pytest.mark.parametrize("suffix,text", [
    (".nt", '<https://x/a> <https://x/p> "1" .\n'),
    (".nq", '<https://x/a> <https://x/p> "1" <https://x/g> .\n'),
    (".jsonld", '{"@id": "https://x/a", "https://x/p": "1"}'),
    (".rdf", '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
             'xmlns:x="https://x/"><rdf:Description rdf:about="https://x/a"><x:p>1</x:p>'
             '</rdf:Description></rdf:RDF>'),
    (".trig", '<https://x/g> { <https://x/a> <https://x/p> "1" . }'),
])
def test_every_rdf_format_loads(tmp_path: Path, scratch_settings: Settings, suffix: str,
                                text: str) -> None:
    f = tmp_path / f"extra{suffix}"
    f.write_text(text, encoding="utf-8")
    for spec in ("oxigraph:", "memory"):
        store = open_store(spec)
        add_files(store, [f], scratch_settings)
        assert store.ask('ASK { <https://x/a> <https://x/p> "1" }'), (spec, suffix)


def test_unknown_suffix_is_a_clear_error(tmp_path: Path, scratch_settings: Settings) -> None:
    f = tmp_path / "data.xyz"
    f.write_text("x", encoding="utf-8")
    with pytest.raises(LoadError, match="unknown file type"):
        add_files(open_store("oxigraph:"), [f], scratch_settings)


def test_cli_build_reports_bad_file(tmp_path: Path, scratch_settings: Settings) -> None:
    bad = tmp_path / "trasig.ttl"
    bad.write_text(BAD, encoding="utf-8")
    res = CliRunner().invoke(cli, ["--store", scratch_settings.store, "build", str(bad)])
    assert res.exit_code == 1
    assert f"{bad}:5" in res.output


def test_stale_store_is_rebuilt(scratch_settings: Settings) -> None:
    data = scratch_settings.data_dir
    (data / "a.ttl").write_text(GOOD, encoding="utf-8")
    store = open_built_store(scratch_settings)
    assert store.ask('ASK { ?s rdfs:label "Testprojekt"@sv }')
    del store
    (data / "a.ttl").write_text(GOOD.replace("Testprojekt", "Nytt namn"), encoding="utf-8")
    store = open_built_store(scratch_settings)
    assert store.ask('ASK { ?s rdfs:label "Nytt namn"@sv }')


def test_base_iri_is_part_of_the_data_not_a_setting(tmp_path: Path) -> None:
    """The base of the IRIs belongs to the data (kg.namespaces.BASE); a settings file that
    still names it gets a clear message instead of a half-working rebase."""
    from kg.errors import KgError
    from kg.namespaces import BASE

    assert Settings().base_iri == BASE
    f = tmp_path / "kg.toml"
    f.write_text('base_iri = "http://localhost:5000/"\n', encoding="utf-8")
    with pytest.raises(KgError, match="base_iri är ingen inställning"):
        Settings.load(f, environ={})
    with pytest.raises(KgError, match="base_iri är ingen inställning"):
        Settings.load(environ={"KG_BASE_IRI": "http://x/"})
