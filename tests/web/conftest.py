"""Fixtures of the web-app tests: HTML parsing and an app over a graph with hostile labels."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from kg.config import Settings
from kg.load.loader import add_files, bundled_files
from kg.store import open_store
from kg.store.base import Store

from .webtools import ATTR, IMG, SCRIPT  # type: ignore[import-not-found]

ATTR_TTL = ATTR.replace('"', '\\"')

HOSTILE_TTL = f"""
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix org: <http://www.w3.org/ns/org#> .
@prefix schema: <https://schema.org/> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix kfv: <https://data.kfvn.se/def/kfv#> .
@prefix projekt: <https://data.kfvn.se/id/projekt/> .
@prefix organisation: <https://data.kfvn.se/id/organisation/> .
@prefix deltagande: <https://data.kfvn.se/id/deltagande/> .
@prefix finansiering: <https://data.kfvn.se/id/finansiering/> .
@prefix nyhet: <https://data.kfvn.se/id/nyhet/> .

projekt:xss a schema:Project , org:OrganizationalCollaboration ;
    rdfs:label "{SCRIPT} projekt"@sv , "{ATTR_TTL} project"@en ;
    skos:altLabel "{IMG}"@sv ;
    schema:description "Beskrivning {SCRIPT} {IMG}"@sv ;
    schema:url "javascript:alert(1)" ;
    schema:startDate "2019"^^xsd:gYear ;
    schema:subjectOf nyhet:xss .

organisation:xss a org:Organization ;
    rdfs:label "{ATTR_TTL} organisation"@sv ;
    schema:description "{IMG}"@sv .

deltagande:xss--xss a kfv:Participation , org:Membership ;
    rdfs:label "{SCRIPT}"@sv ;
    org:member organisation:xss ;
    org:organization projekt:xss ;
    org:role <https://data.kfvn.se/def/projektroll/deltagare> .

finansiering:xss--xss a schema:MonetaryGrant ;
    schema:funder organisation:xss ;
    schema:fundedItem projekt:xss ;
    schema:amount "1000"^^xsd:decimal ;
    schema:description "{SCRIPT}"@sv .

<javascript:alert(3)> a org:Organization ;
    rdfs:label "JS-organisation"@sv .

deltagande:xss--js a kfv:Participation , org:Membership ;
    rdfs:label "JS-deltagande"@sv ;
    org:member <javascript:alert(3)> ;
    org:organization projekt:xss ;
    org:role <https://data.kfvn.se/def/projektroll/deltagare> .

projekt:xss schema:sameAs <javascript:alert(2)> , <data:text/html,hej> .

nyhet:xss a schema:NewsArticle ;
    schema:headline "{SCRIPT} nyhet"@sv ;
    schema:about projekt:xss .
"""


@pytest.fixture(scope="session")
def hostile_store(settings: Settings, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """An in-memory Oxigraph store with the bundled data plus a file of hostile labels."""
    folder = tmp_path_factory.mktemp("hostile")
    extra = folder / "xss.ttl"
    extra.write_text(HOSTILE_TTL, encoding="utf-8")
    store = open_store("oxigraph:")
    add_files(store, [*bundled_files(settings), extra], settings)
    yield store
    store.close()


@pytest.fixture(scope="session")
def hostile_app(settings: Settings, hostile_store: Store, tmp_path_factory: pytest.TempPathFactory
                ) -> Any:
    """The real app over the hostile store (own cache folder)."""
    from webapp import create_app

    cache = Path(tmp_path_factory.mktemp("hostile-cache"))
    flask_app = create_app(settings.with_(cache_dir=str(cache)), store=hostile_store)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture()
def hostile_client(hostile_app: Any) -> Any:
    return hostile_app.test_client()
