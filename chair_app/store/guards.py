"""Storage-level immutability of finalised conference records.

Triggers refuse any INSERT, UPDATE or DELETE that touches a finalised conference or a row of its record,
whichever program sends it: the UI, the CLI, an import or a hand-typed SQL statement. The refusal's
message carries ``FINALISED_MARK`` so the store can turn it into a one-line error for the user.

For revision authors: on SQLite a batch operation that rebuilds a guarded table (dropping or retyping a column
of ``conference`` or of a frozen table) must drop the guards first and install them again after, as
revision 0002's downgrade does; the triggers name the tables and SQLite refuses the rename otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import text

from chair_app.store.engine import FINALISED_MARK

_PG_FUNCTIONS = f"""
CREATE OR REPLACE FUNCTION chair_guard_conference() RETURNS trigger AS $$
BEGIN
  IF OLD.record_status = 'finalised' THEN
    RAISE EXCEPTION '{FINALISED_MARK}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chair_guard_record_row() RETURNS trigger AS $$
DECLARE cid uuid;
BEGIN
  IF TG_OP = 'INSERT' THEN cid := NEW.conference_id; ELSE cid := OLD.conference_id; END IF;
  IF EXISTS (SELECT 1 FROM conference WHERE id = cid AND record_status = 'finalised')
     OR (TG_OP = 'UPDATE' AND EXISTS (
         SELECT 1 FROM conference WHERE id = NEW.conference_id AND record_status = 'finalised')) THEN
    RAISE EXCEPTION '{FINALISED_MARK}' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;
"""


def _sqlite_statements(tables: Iterable[str]) -> list[str]:
    raise_ = f"SELECT RAISE(ABORT, '{FINALISED_MARK}');"
    out = [
        f"""CREATE TRIGGER guard_conference_update BEFORE UPDATE ON conference
            WHEN OLD.record_status = 'finalised' BEGIN {raise_} END""",
        f"""CREATE TRIGGER guard_conference_delete BEFORE DELETE ON conference
            WHEN OLD.record_status = 'finalised' BEGIN {raise_} END""",
    ]
    finalised = "(SELECT record_status FROM conference WHERE id = {}.conference_id) = 'finalised'"
    for table in tables:
        out += [
            f"""CREATE TRIGGER guard_{table}_insert BEFORE INSERT ON {table}
                WHEN {finalised.format("NEW")} BEGIN {raise_} END""",
            f"""CREATE TRIGGER guard_{table}_update BEFORE UPDATE ON {table}
                WHEN {finalised.format("OLD")} OR {finalised.format("NEW")} BEGIN {raise_} END""",
            f"""CREATE TRIGGER guard_{table}_delete BEFORE DELETE ON {table}
                WHEN {finalised.format("OLD")} BEGIN {raise_} END""",
        ]
    return out


def install_finalised_guards(bind, tables: Iterable[str]) -> None:
    if bind.dialect.name == "sqlite":
        for statement in _sqlite_statements(tables):
            bind.execute(text(statement))
    elif bind.dialect.name == "postgresql":
        bind.execute(text(_PG_FUNCTIONS))
        bind.execute(
            text(
                "CREATE TRIGGER guard_conference BEFORE UPDATE OR DELETE ON conference "
                "FOR EACH ROW EXECUTE FUNCTION chair_guard_conference()"
            )
        )
        for table in tables:
            bind.execute(
                text(
                    f"CREATE TRIGGER guard_{table} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
                    "FOR EACH ROW EXECUTE FUNCTION chair_guard_record_row()"
                )
            )
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(bind.dialect.name)


def drop_finalised_guards(bind, tables: Iterable[str]) -> None:
    if bind.dialect.name == "sqlite":
        names = ["guard_conference_update", "guard_conference_delete"]
        names += [f"guard_{t}_{op}" for t in tables for op in ("insert", "update", "delete")]
        for name in names:
            bind.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    else:
        for table in ("conference", *tables):
            bind.execute(text(f"DROP TRIGGER IF EXISTS guard_{table} ON {table}"))
        bind.execute(text("DROP FUNCTION IF EXISTS chair_guard_conference()"))
        bind.execute(text("DROP FUNCTION IF EXISTS chair_guard_record_row()"))
