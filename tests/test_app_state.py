"""The app's store follows a rebuild and a load of the embedded store without a restart."""

from __future__ import annotations

from kg.config import Settings
from kg.load.loader import add_files, build, open_handle
from webapp import create_app
from webapp.state import get_store

TTL = """@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
<https://data.kfvn.se/id/projekt/p> rdfs:label "{label}"@sv .
"""


def test_rebuild_is_picked_up(scratch_settings: Settings) -> None:
    data = scratch_settings.data_dir / "a.ttl"
    data.write_text(TTL.format(label="Före"), encoding="utf-8")
    build(scratch_settings)
    app = create_app(scratch_settings)
    q = 'ASK { ?s rdfs:label "{}"@sv }'
    with app.app_context():
        before = get_store().data_version()
        assert get_store().ask(q.replace("{}", "Före"))
    data.write_text(TTL.format(label="Efter"), encoding="utf-8")
    build(scratch_settings)
    with app.app_context():
        store = get_store()
        assert store.data_version() != before
        assert store.ask(q.replace("{}", "Efter"))
        assert not store.ask(q.replace("{}", "Före"))


def test_load_makes_a_new_version(scratch_settings: Settings, tmp_path) -> None:  # type: ignore[no-untyped-def]
    (scratch_settings.data_dir / "a.ttl").write_text(TTL.format(label="Före"), encoding="utf-8")
    build(scratch_settings)
    app = create_app(scratch_settings)
    with app.app_context():
        before = get_store().data_version()
    extra = tmp_path / "extra.ttl"
    extra.write_text(TTL.format(label="Tillagd"), encoding="utf-8")
    report = add_files(open_handle(scratch_settings), [extra], scratch_settings)
    with app.app_context():
        store = get_store()
        assert store.data_version() == report.version != before
        assert store.ask('ASK { ?s rdfs:label "Tillagd"@sv }')
        assert "https://data.kfvn.se/graph/extra" in store.graphs()
