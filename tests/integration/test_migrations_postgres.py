"""The alembic revisions on PostgreSQL: down to nothing and up again leaves the same tables, columns and guards.

(tests/unit/test_migrations.py does the same on SQLite, where a rebuild must lift the guards around it.)
"""

from __future__ import annotations

import uuid

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text

from chair_app.store.engine import open_database
from chair_app.store.migrate import alembic_config

pytestmark = pytest.mark.postgres


def _new_database(cluster) -> str:
    name = f"chair_{uuid.uuid4().hex[:12]}"
    admin = create_engine(cluster.url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f"CREATE DATABASE {name}"))
    admin.dispose()
    return cluster.url.rsplit("/", 1)[0] + f"/{name}"


def _schema(db) -> tuple[dict[str, list[str]], list[tuple[str, str]]]:
    insp = inspect(db.engine)
    columns = {t: sorted(c["name"] for c in insp.get_columns(t)) for t in insp.get_table_names()}
    with db.engine.connect() as conn:
        triggers = sorted(
            (r[0], r[1])
            for r in conn.execute(text("SELECT tgname, tgrelid::regclass::text FROM pg_trigger WHERE NOT tgisinternal"))
        )
    return columns, triggers


def test_downgrade_to_base_and_upgrade_again_leaves_the_same_schema_and_guards(pg_cluster):
    url = _new_database(pg_cluster)
    db = open_database(url)
    before = _schema(db)
    assert ("guard_conference", "conference") in before[1]
    assert ("guard_core_group", "core_group") in before[1]
    cfg = alembic_config()
    with db.engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "base")
    assert set(inspect(db.engine).get_table_names()) == {"alembic_version"}
    db.dispose()
    db = open_database(url)
    try:
        assert _schema(db) == before
    finally:
        db.dispose()
