"""The app's store follows a rebuild of the embedded store without a restart."""

from __future__ import annotations

import time

from kg.config import Settings
from kg.load.loader import build
from webapp import create_app
from webapp.state import StoreHolder, get_store

TTL = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://data.kfvn.se/id/projekt/p> rdfs:label "{label}"@sv .
"""


def test_rebuild_is_picked_up(scratch_settings: Settings, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    data = scratch_settings.data_dir / "a.ttl"
    data.write_text(TTL.format(label="Före"), encoding="utf-8")
    app = create_app(scratch_settings)
    monkeypatch.setattr(StoreHolder, "CHECK_EVERY", 0.0)
    q = 'ASK { ?s rdfs:label "{}"@sv }'
    with app.app_context():
        assert get_store().ask(q.replace("{}", "Före"))
    time.sleep(0.05)
    data.write_text(TTL.format(label="Efter"), encoding="utf-8")
    build(scratch_settings)
    with app.app_context():
        store = get_store()
        assert store.ask(q.replace("{}", "Efter"))
        assert not store.ask(q.replace("{}", "Före"))
