"""The alembic revisions: one head, and down then up again leaves the same schema."""

from __future__ import annotations

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, text

from chair_app.store.engine import open_database, sqlite_url
from chair_app.store.migrate import SCHEMA_HEAD, alembic_config


def test_one_head_and_a_linear_chain():
    script = ScriptDirectory.from_config(alembic_config())
    assert script.get_heads() == [SCHEMA_HEAD], "set SCHEMA_HEAD in chair_app/store/migrate.py to the new head"
    assert all(len(r._all_down_revisions) <= 1 for r in script.walk_revisions())


def test_downgrade_and_upgrade_round_trip(tmp_path):
    db = open_database(sqlite_url(tmp_path / "m.db"))

    def schema():
        insp = inspect(db.engine)
        with db.engine.connect() as conn:
            triggers = sorted(r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='trigger'")))
        return {t: sorted(c["name"] for c in insp.get_columns(t)) for t in insp.get_table_names()}, triggers

    before = schema()
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
    db.dispose()
    db = open_database(sqlite_url(tmp_path / "m.db"))
    assert schema() == before
