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


def test_a_0001_database_with_records_is_upgraded_in_place(tmp_path):
    """A laptop that last ran revision 0001 keeps its conferences when the new version opens it."""
    from sqlalchemy import create_engine

    url = sqlite_url(tmp_path / "old.db")
    engine = create_engine(url)
    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "0001")
        conn.execute(
            text(
                "INSERT INTO family (id, name, address, address_withheld, notes, version, created_at, "
                "updated_at) VALUES ('aa', 'Old family', '', 0, '', 3, '2026-01-01', '2026-01-01')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO conference (id, kind, family_id, held_on, venue, remote, chair, minute_taker, "
                "status, quoracy_outcome, quoracy_rationale, stood_down_reason, stood_down_note, "
                "next_dates_note, contingency_plan, parents_views, record_status, signed_off_by, updated_by, "
                "version, created_at, updated_at) VALUES ('bb', 'initial', 'aa', '2026-01-05', '', 0, 'Chair', "
                "'', 'held', 'quorate', '', '', '', '', '', '', 'finalised', '', '', 7, '2026-01-01', "
                "'2026-01-01')"
            )
        )
    engine.dispose()
    db = open_database(url)
    with db.engine.connect() as conn:
        row = conn.execute(
            text("SELECT version, record_status, referral_source, cin_referral_date FROM conference")
        ).one()
        assert tuple(row) == (7, "finalised", "", None)
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == SCHEMA_HEAD
    # The finalised record is still guarded after the upgrade.
    import pytest
    from sqlalchemy.exc import DBAPIError

    with pytest.raises(DBAPIError), db.engine.begin() as conn:
        conn.execute(text("UPDATE conference SET chair = 'Someone else'"))


def test_a_downgrade_keeps_every_row_of_the_tables_it_keeps(tmp_path):
    """A rebuild of a table the others refer to, with foreign keys on, deletes their rows (ON DELETE CASCADE) or is
    refused (RESTRICT): revision 0011's downgrade rebuilt conference and emptied every invitation, map item and
    decision. Down to 0001 with the demo conference in it, each table still there keeps its rows."""
    from datetime import date

    from chair_app.rules.policy import load_policy
    from chair_app.services.demo import create_demo

    db = open_database(sqlite_url(tmp_path / "m.db"))
    create_demo(db, load_policy(), date(2026, 11, 23))

    def counts(conn) -> dict[str, int]:
        names = [t for t in inspect(conn).get_table_names() if t != "alembic_version"]
        return {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in names}

    with db.engine.connect() as conn:
        before = counts(conn)
    assert before["invitation"] and before["scale_score"] and before["plan_history"] and before["decision"]
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "0001")
        after = counts(conn)
    assert after == {t: n for t, n in before.items() if t in after}
    db.dispose()
