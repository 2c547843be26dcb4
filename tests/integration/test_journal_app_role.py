"""PostgreSQL: the app connects as a role that owns nothing, so the guards cannot be lifted from the app."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from chair_app.domain import model as m
from chair_app.rules.policy import load_policy
from chair_app.services import conferences, signoff, workspace
from chair_app.services import journal as history
from chair_app.services.demo import create_demo
from chair_app.store.engine import open_database
from chair_app.store.guards import APP_ROLE, create_app_role
from tests.conftest import _empty_postgres

POLICY = load_policy()  # set_fields and add_records take the policy in force

pytestmark = pytest.mark.postgres

TODAY = date(2026, 11, 23)


@pytest.fixture
def app_db(pg_cluster, pg_database):
    """The session's PostgreSQL emptied, the app role set up by the owner, and the app connected as that role."""
    _empty_postgres(pg_database)
    with pg_database.engine.begin() as conn:
        create_app_role(conn)
    db = open_database(f"postgresql+psycopg://{APP_ROLE}@127.0.0.1:{pg_cluster.port}/postgres")
    yield db
    db.dispose()


def _denied(db, statement: str, *words: str) -> str:
    with pytest.raises(DBAPIError) as info, db.engine.begin() as conn:
        conn.execute(text(statement))
    message = str(info.value.orig)
    assert any(w in message for w in words), message
    return message


def test_the_app_role_does_its_work_and_journals_it(app_db, policy):
    with app_db.engine.connect() as conn:
        assert conn.execute(text("SELECT current_user")).scalar() == APP_ROLE
    bundle = create_demo(app_db, policy, TODAY)
    cid, item = bundle.conference.id, bundle.mapping_items[0]
    for ch in "abc":  # the open entry's after values are updated: the column grant allows exactly that
        item.text += ch
        workspace.set_fields(
            app_db, cid, m.MappingItem, item.id, {"text": item.text}, who="Helen Marsh", policy=POLICY, seen=None
        )
    history.close_typing(app_db)
    signoff.finalise(app_db, bundle.conference.ref, who="Helen Marsh")
    signoff.amend(app_db, bundle.conference.ref, who="Clerk", reason="Typo", text="Meadowbank")
    assert [e.operation for e in history.history(app_db, cid)] == ["add_conference", "set_fields", "finalise", "amend"]
    assert conferences.load(app_db, bundle.conference.ref).amendments[0].text == "Meadowbank"


def test_the_app_role_cannot_truncate_drop_a_trigger_or_rewrite_the_journal(app_db, policy):
    bundle = create_demo(app_db, policy, TODAY)
    signoff.finalise(app_db, bundle.conference.ref, who="Helen Marsh")
    denied = ("permission denied", "must be owner")
    for table in ("journal", "conference", "record_snapshot", "amendment"):
        _denied(app_db, f"TRUNCATE {table} CASCADE", *denied)
    _denied(app_db, "DROP TRIGGER guard_journal ON journal", *denied)
    _denied(app_db, "DROP TRIGGER guard_conference ON conference", *denied)
    _denied(app_db, "ALTER TABLE journal DISABLE TRIGGER ALL", *denied)
    _denied(app_db, "DELETE FROM journal", *denied)
    _denied(app_db, "UPDATE journal SET who = 'Someone else'", *denied)  # not a column it may update
    _denied(app_db, "UPDATE journal SET new_values = '{}'", "journal is append-only")  # entries are closed
    _denied(app_db, "UPDATE record_snapshot SET document = '{}'", *denied)
    _denied(app_db, "DELETE FROM record_snapshot", *denied)
    _denied(app_db, "UPDATE conference SET record_status = 'draft'", "record finalised")


def test_setting_the_role_up_twice_is_harmless_and_a_bad_name_is_refused(pg_database):
    with pg_database.engine.begin() as conn:
        create_app_role(conn)
        assert create_app_role(conn) is False
        with pytest.raises(ValueError, match="role"):
            create_app_role(conn, "chair; DROP TABLE journal")
