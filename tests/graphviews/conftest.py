"""One app over the small sample graph (tests/graphdata.py), shared by the graph and
analytics view tests."""

from __future__ import annotations

import pytest
from flask import Flask
from flask.testing import FlaskClient
from graphdata import sample_store

from kg.analytics.cache import clear_memory
from kg.config import Settings


@pytest.fixture(scope="module")
def sample_app(tmp_path_factory: pytest.TempPathFactory) -> Flask:
    from webapp import create_app

    clear_memory()
    settings = Settings.load(environ={}, cache_dir=str(tmp_path_factory.mktemp("cache")))
    app = create_app(settings, store=sample_store())
    app.config["TESTING"] = True
    return app


@pytest.fixture()
def gc(sample_app: Flask) -> FlaskClient:
    return sample_app.test_client()


@pytest.fixture()
def ac(sample_app: Flask) -> FlaskClient:
    return sample_app.test_client()
