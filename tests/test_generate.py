"""The synthetic graph: deterministic, of the size asked, shaped like ours, valid SHACL."""

from __future__ import annotations

import io
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

from kg.config import Settings
from kg.devtools.generate import Generator, Vocabulary, generate, sizes
from kg.load.loader import ontology_files
from kg.load.validate import validate_files
from kg.namespaces import PREFIXES

VOCAB = Settings.load(environ={}).ontology_dir / "vocabularies.ttl"


def _bytes(n: int, seed: int) -> bytes:
    out = io.BytesIO()
    Generator(n, seed, Vocabulary.load(VOCAB)).write(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def graph() -> ox.Store:
    store = ox.Store()
    store.load(_bytes(20_000, 3), format=ox.RdfFormat.N_TRIPLES)
    return store


def _count(store: ox.Store, sparql: str) -> list[int]:
    return [int(row[0].value) for row in store.query(sparql, prefixes=PREFIXES)]  # type: ignore[index, union-attr]


def test_same_seed_same_bytes_other_seed_other_bytes() -> None:
    assert _bytes(5_000, 1) == _bytes(5_000, 1)
    assert _bytes(5_000, 1) != _bytes(5_000, 2)


@pytest.mark.parametrize("n", [1_000, 10_000, 50_000])
def test_size_is_what_was_asked(n: int) -> None:
    lines = _bytes(n, 1).count(b"\n")
    assert n <= lines < n + 400  # whole projects only: at most one project more


def test_every_organisation_type_and_swedish_letters(graph: ox.Store) -> None:
    used = {row[0].value.rsplit("/", 1)[-1]  # type: ignore[index, union-attr]
            for row in graph.query("SELECT DISTINCT ?t WHERE { ?o org:classification ?t }",
                                   prefixes=PREFIXES)}
    assert used == set(Vocabulary.load(VOCAB).schemes["organisationstyp"])
    labels = " ".join(row[0].value for row in graph.query(  # type: ignore[index, union-attr]
        "SELECT ?l WHERE { ?s rdfs:label ?l FILTER(lang(?l) = 'sv') }", prefixes=PREFIXES))
    assert {"å", "ä", "ö"} <= set(labels)


def test_projects_have_2_to_12_partners_and_1_to_3_grants(graph: ox.Store) -> None:
    partners = _count(graph, "SELECT (COUNT(?m) AS ?n) WHERE { ?m a kfv:Participation ; "
                             "org:organization ?p } GROUP BY ?p")
    grants = _count(graph, "SELECT (COUNT(?g) AS ?n) WHERE { ?g schema:fundedItem ?p } GROUP BY ?p")
    projects = _count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?p a schema:Project }")[0]
    assert len(partners) == projects == len(grants)
    assert min(partners) == 2 and max(partners) == 12
    assert min(grants) == 1 and max(grants) == 3
    owners = _count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?m org:role projektroll:projektagare }")
    assert owners == [projects]


def test_people_have_posts_and_a_hub_exists(graph: ox.Store) -> None:
    posts = _count(graph, "SELECT (COUNT(?a) AS ?n) WHERE { ?a a kfv:Appointment ; "
                          "org:member ?p } GROUP BY ?p")
    people = _count(graph, "SELECT (COUNT(*) AS ?n) WHERE { ?p a foaf:Person }")[0]
    assert len(posts) == people and min(posts) >= 1
    links = _count(graph, "SELECT (COUNT(?m) AS ?n) WHERE { ?m org:member ?o } GROUP BY ?o "
                          "ORDER BY DESC(?n) LIMIT 2")
    assert links[0] >= links[1] and links[0] > 100  # the association: a hub


def test_output_is_valid_turtle_too(tmp_path: Path) -> None:
    path = tmp_path / "g.ttl"
    report = generate(2_000, path, seed=5, vocabulary=VOCAB)
    assert len(list(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE))) == report.triples


def test_conforms_to_our_shapes(tmp_path: Path) -> None:
    settings = Settings.load(environ={})
    path = tmp_path / "g.nt"
    generate(3_000, path, seed=2, vocabulary=VOCAB)
    assert validate_files([*ontology_files(settings), path],
                          settings.ontology_dir / "shapes.ttl") == []


@pytest.mark.slow
def test_conforms_to_our_shapes_at_10k(tmp_path: Path) -> None:
    settings = Settings.load(environ={})
    path = tmp_path / "g.nt"
    generate(10_000, path, seed=1, vocabulary=VOCAB)
    assert validate_files([*ontology_files(settings), path],
                          settings.ontology_dir / "shapes.ttl") == []


def test_cli_generate(tmp_path: Path) -> None:
    from kg.cli import cli

    out = tmp_path / "x.nt"
    result = CliRunner().invoke(cli, ["generate", "--triples", "1500", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.exists() and "tripler" in result.output
    bad = CliRunner().invoke(cli, ["generate", "--triples", "5", "--out", str(out)])
    assert bad.exit_code == 2


def test_sizes() -> None:
    assert sizes("10k,100k,1M,5M") == [10_000, 100_000, 1_000_000, 5_000_000]
    assert Counter(sizes("1k,1k")) == Counter({1000: 2})
