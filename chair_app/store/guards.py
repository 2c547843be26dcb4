"""Storage-level immutability of finalised conference records.

Triggers refuse any INSERT, UPDATE or DELETE that touches a finalised conference or a row of its record,
whichever program sends it: the UI, the CLI, an import or a hand-typed SQL statement. The refusal's
message carries ``FINALISED_MARK`` so the store can turn it into a one-line error for the user.

For revision authors: on SQLite a batch operation that rebuilds a guarded table (dropping or retyping a column
of ``conference`` or of a frozen table) must drop the guards first and install them again after, as
revision 0002's downgrade does; the triggers name the tables and SQLite refuses the rename otherwise.
Since revision 0004 that means both sets: ``drop_journal_guards`` then ``drop_finalised_guards`` before the
rebuild, ``install_finalised_guards`` then ``install_journal_guards`` after (they also guard ``conference``,
``amendment``, ``document_record``, ``plan_history``, ``journal`` and ``record_snapshot``), and since 0010 the
row guards of later tables too: ``with lifted_for_rebuild(bind, row_tables):`` around the rebuild does all of
it. A revision that adds a table calls ``grant_app_role`` at its end so the app's PostgreSQL role may use it.

Revision 0004 closes the ways round the first guards:

- SQLite's ``INSERT OR REPLACE`` deletes the row it replaces without firing a delete trigger, so every guarded
  table also refuses an INSERT whose id is already held by a finalised record's row.
- Amendments and document records of a finalised conference are appended, never changed or removed.
- Plan history started by a finalised conference keeps what that conference recorded (child, start, first
  category, conference); a later conference may still record how the plan ended.
- The journal is append-only: no DELETE; an UPDATE only of an open entry, and only of ``new_values``,
  ``last_at`` and ``closed`` (a run of typing going on, then closed). The sign-off snapshot never changes.
- On PostgreSQL the app connects as a role that owns nothing (``create_app_role``/``grant_app_role``): it
  cannot TRUNCATE, ALTER or DROP TRIGGER, has no UPDATE or DELETE on the snapshot and no DELETE on the
  journal, and may UPDATE only the three columns of the journal an open entry may change.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from sqlalchemy import text

from chair_app.store.engine import FINALISED_MARK, JOURNAL_MARK

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


_SQLITE_REFUSE = f"SELECT RAISE(ABORT, '{FINALISED_MARK}');"
_SQLITE_FINALISED = "(SELECT record_status FROM conference WHERE id = {}) = 'finalised'"


def _sqlite_replace_guard(table: str) -> str:
    """SQLite's INSERT OR REPLACE deletes the row it replaces without firing a delete trigger: refuse an insert
    whose id is already held by a row of a finalised record."""
    held_by = f"(SELECT conference_id FROM {table} WHERE id = NEW.id)"
    return f"""CREATE TRIGGER guard_{table}_replace BEFORE INSERT ON {table}
        WHEN {_SQLITE_FINALISED.format(held_by)} BEGIN {_SQLITE_REFUSE} END"""


def _pg_row_trigger(table: str) -> str:
    return (
        f"CREATE TRIGGER guard_{table} BEFORE INSERT OR UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION chair_guard_record_row()"
    )


def _sqlite_statements(tables: Iterable[str]) -> list[str]:
    raise_ = _SQLITE_REFUSE
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
            bind.execute(text(_pg_row_trigger(table)))
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


# ---------------------------------------------------------------------------------------------------------
# Revision 0004: the ways round, the journal and the snapshot

#: Tables whose rows belong to one conference and are guarded with it (since 0001, plus those appended to).
GUARDED_ROWS = (
    "invitation",
    "conference_child",
    "mapping_item",
    "danger_goal_pair",
    "scale_score",
    "recommendation",
    "decision",
    "plan_action",
    "delay_reason",
)
APPENDED_ROWS = ("amendment", "document_record")
# What a plan history row started by a finalised conference keeps for ever.
PLAN_HISTORY_KEPT = ("id", "child_id", "started_on", "initial_category", "conference_id")
JOURNAL_KEPT = ("id", "uid", "at", "who", "device", "operation", "conference_id", "detail", "typing_key", "old_values")


def _sqlite_journal_statements() -> list[str]:
    refuse = _SQLITE_REFUSE
    refuse_journal = f"SELECT RAISE(ABORT, '{JOURNAL_MARK}');"
    finalised = _SQLITE_FINALISED
    out = [
        f"""CREATE TRIGGER guard_conference_insert BEFORE INSERT ON conference
            WHEN EXISTS (SELECT 1 FROM conference WHERE id = NEW.id AND record_status = 'finalised')
            BEGIN {refuse} END""",
    ]
    out += [_sqlite_replace_guard(table) for table in (*GUARDED_ROWS, *APPENDED_ROWS)]
    for table in APPENDED_ROWS:
        out += [
            f"""CREATE TRIGGER guard_{table}_update BEFORE UPDATE ON {table}
                WHEN {finalised.format("OLD.conference_id")} OR {finalised.format("NEW.conference_id")}
                BEGIN {refuse} END""",
            f"""CREATE TRIGGER guard_{table}_delete BEFORE DELETE ON {table}
                WHEN {finalised.format("OLD.conference_id")} BEGIN {refuse} END""",
        ]
    kept = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in PLAN_HISTORY_KEPT)
    out += [
        _sqlite_replace_guard("plan_history"),
        f"""CREATE TRIGGER guard_plan_history_update BEFORE UPDATE ON plan_history
            WHEN {finalised.format("OLD.conference_id")} AND ({kept}) BEGIN {refuse} END""",
        f"""CREATE TRIGGER guard_plan_history_delete BEFORE DELETE ON plan_history
            WHEN {finalised.format("OLD.conference_id")} BEGIN {refuse} END""",
    ]
    kept = " OR ".join(f"NEW.{c} IS NOT OLD.{c}" for c in JOURNAL_KEPT)
    out += [
        f"""CREATE TRIGGER guard_journal_insert BEFORE INSERT ON journal
            WHEN EXISTS (SELECT 1 FROM journal WHERE id = NEW.id OR uid = NEW.uid) BEGIN {refuse_journal} END""",
        f"""CREATE TRIGGER guard_journal_update BEFORE UPDATE ON journal
            WHEN OLD.closed OR {kept} BEGIN {refuse_journal} END""",
        f"CREATE TRIGGER guard_journal_delete BEFORE DELETE ON journal BEGIN {refuse_journal} END",
        f"""CREATE TRIGGER guard_record_snapshot_insert BEFORE INSERT ON record_snapshot
            WHEN EXISTS (SELECT 1 FROM record_snapshot WHERE conference_id = NEW.conference_id)
            BEGIN {refuse} END""",
        f"CREATE TRIGGER guard_record_snapshot_update BEFORE UPDATE ON record_snapshot BEGIN {refuse} END",
        f"CREATE TRIGGER guard_record_snapshot_delete BEFORE DELETE ON record_snapshot BEGIN {refuse} END",
    ]
    return out


def _sqlite_journal_trigger_names() -> list[str]:
    names = ["guard_conference_insert"]
    names += [f"guard_{t}_replace" for t in (*GUARDED_ROWS, *APPENDED_ROWS, "plan_history")]
    names += [f"guard_{t}_{op}" for t in (*APPENDED_ROWS, "plan_history") for op in ("update", "delete")]
    names += [f"guard_journal_{op}" for op in ("insert", "update", "delete")]
    names += [f"guard_record_snapshot_{op}" for op in ("insert", "update", "delete")]
    return names


def _pg_journal_functions() -> str:
    raise_ = f"RAISE EXCEPTION '{FINALISED_MARK}' USING ERRCODE = 'integrity_constraint_violation'"
    raise_journal = f"RAISE EXCEPTION '{JOURNAL_MARK}' USING ERRCODE = 'integrity_constraint_violation'"
    plan_kept = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in PLAN_HISTORY_KEPT)
    journal_kept = " OR ".join(f"NEW.{c} IS DISTINCT FROM OLD.{c}" for c in JOURNAL_KEPT)
    return f"""
CREATE OR REPLACE FUNCTION chair_guard_appended_row() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM conference WHERE id = OLD.conference_id AND record_status = 'finalised')
     OR (TG_OP = 'UPDATE' AND EXISTS (
         SELECT 1 FROM conference WHERE id = NEW.conference_id AND record_status = 'finalised')) THEN
    {raise_};
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chair_guard_plan_history() RETURNS trigger AS $$
BEGIN
  IF EXISTS (SELECT 1 FROM conference WHERE id = OLD.conference_id AND record_status = 'finalised')
     AND (TG_OP = 'DELETE' OR {plan_kept}) THEN
    {raise_};
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chair_guard_journal() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' OR OLD.closed OR {journal_kept} THEN
    {raise_journal};
  END IF;
  RETURN NEW;
END $$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION chair_guard_snapshot() RETURNS trigger AS $$
BEGIN
  {raise_};
END $$ LANGUAGE plpgsql;
"""


_PG_JOURNAL_TRIGGERS = (
    *((f"guard_{t}_appended", t, "UPDATE OR DELETE", "chair_guard_appended_row") for t in APPENDED_ROWS),
    ("guard_plan_history", "plan_history", "UPDATE OR DELETE", "chair_guard_plan_history"),
    ("guard_journal", "journal", "UPDATE OR DELETE", "chair_guard_journal"),
    ("guard_record_snapshot", "record_snapshot", "UPDATE OR DELETE", "chair_guard_snapshot"),
)


def install_journal_guards(bind) -> None:
    """Revision 0004's guards (see the module's note): the ways round, the journal, the snapshot."""
    if bind.dialect.name == "sqlite":
        for statement in _sqlite_journal_statements():
            bind.execute(text(statement))
    elif bind.dialect.name == "postgresql":
        bind.execute(text(_pg_journal_functions()))
        for name, table, ops, function in _PG_JOURNAL_TRIGGERS:
            bind.execute(
                text(f"CREATE TRIGGER {name} BEFORE {ops} ON {table} FOR EACH ROW EXECUTE FUNCTION {function}()")
            )
    else:  # pragma: no cover
        raise NotImplementedError(bind.dialect.name)


def drop_journal_guards(bind) -> None:
    if bind.dialect.name == "sqlite":
        for name in _sqlite_journal_trigger_names():
            bind.execute(text(f"DROP TRIGGER IF EXISTS {name}"))
    else:
        for name, table, _ops, _function in _PG_JOURNAL_TRIGGERS:
            bind.execute(text(f"DROP TRIGGER IF EXISTS {name} ON {table}"))
        for function in (
            "chair_guard_appended_row",
            "chair_guard_plan_history",
            "chair_guard_journal",
            "chair_guard_snapshot",
        ):
            bind.execute(text(f"DROP FUNCTION IF EXISTS {function}()"))


# ---------------------------------------------------------------------------------------------------------
# PostgreSQL: the app's own role, which owns nothing

APP_ROLE = "chair_app"
#: Written once and never changed or removed, by anyone but the owner.
APPEND_ONLY = ("record_snapshot",)
#: Of the journal the app may change only what an open entry may change.
JOURNAL_UPDATABLE = ("new_values", "last_at", "closed")


def _role_name(role: str) -> str:
    if not role.replace("_", "").isalnum() or not role[0].isalpha():
        raise ValueError(f"role: {role!r} is not a plain role name; use letters, digits and _")
    return role


def role_exists(bind, role: str = APP_ROLE) -> bool:
    return bind.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": role}).first() is not None


def create_app_role(bind, role: str = APP_ROLE) -> bool:
    """Create the app's login role (no superuser, no role or database creation) if missing; grant it.

    Run by the tables' owner (the one who runs migrations). Returns whether the role was created. Give it a
    password, or the server's own authentication, outside Chair: ``ALTER ROLE chair_app PASSWORD '...'``.
    """
    role = _role_name(role)
    created = False
    if not role_exists(bind, role):
        bind.execute(text(f"CREATE ROLE {role} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE NOINHERIT"))
        created = True
    grant_app_role(bind, role)
    return created


def grant_app_role(bind, role: str = APP_ROLE) -> None:
    """What the app's role may do with each table; a no-op on SQLite or where the role does not exist."""
    if bind.dialect.name != "postgresql" or not role_exists(bind, role):
        return
    from chair_app.store.models import Base

    role = _role_name(role)
    # Only the tables this revision has made: an early revision (0004) grants before later ones add tables.
    present = set(bind.execute(text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")).scalars())
    names = [t.name for t in Base.metadata.sorted_tables if t.name in present]
    bind.execute(text(f"REVOKE ALL ON {', '.join([*names, 'alembic_version'])} FROM {role}"))
    ordinary = [n for n in names if n not in (*APPEND_ONLY, "journal")]
    bind.execute(text(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {', '.join(ordinary)} TO {role}"))
    bind.execute(text(f"GRANT SELECT, INSERT ON {', '.join([*APPEND_ONLY, 'journal'])} TO {role}"))
    bind.execute(text(f"GRANT UPDATE ({', '.join(JOURNAL_UPDATABLE)}) ON journal TO {role}"))
    bind.execute(text(f"GRANT USAGE, SELECT ON SEQUENCE journal_id_seq TO {role}"))
    bind.execute(text(f"GRANT SELECT ON alembic_version TO {role}"))


# ---------------------------------------------------------------------------------------------------------
# Tables a later revision adds to a conference's record (0010_audience onwards): the same guards as the
# record's other rows, without re-creating the conference's own (already installed).


def _sqlite_row_statements(tables: Iterable[str]) -> list[str]:
    tables = tuple(tables)
    without_conference = _sqlite_statements(tables)[2:]  # the conference's own two are installed already
    return without_conference + [_sqlite_replace_guard(table) for table in tables]


def install_row_guards(bind, tables: Iterable[str]) -> None:
    """Guard the rows of new tables owned by a conference: refused once their conference is finalised."""
    tables = tuple(tables)
    if bind.dialect.name == "sqlite":
        for statement in _sqlite_row_statements(tables):
            bind.execute(text(statement))
    elif bind.dialect.name == "postgresql":
        bind.execute(text(_PG_FUNCTIONS))
        for table in tables:
            bind.execute(text(_pg_row_trigger(table)))
    else:  # pragma: no cover - only SQLite and PostgreSQL are supported
        raise NotImplementedError(bind.dialect.name)


def drop_row_guards(bind, tables: Iterable[str]) -> None:
    for table in tables:
        if bind.dialect.name == "sqlite":
            for op in ("insert", "update", "delete", "replace"):
                bind.execute(text(f"DROP TRIGGER IF EXISTS guard_{table}_{op}"))
        else:
            bind.execute(text(f"DROP TRIGGER IF EXISTS guard_{table} ON {table}"))


@contextmanager
def lifted_for_rebuild(bind, row_tables: Iterable[str] = ()) -> Iterator[None]:
    """Lift every guard around a SQLite batch rebuild and install them again after.

    SQLite copies a table to drop or retype a column (or to add one with a CHECK constraint); its triggers name
    the tables, so the rename back is refused while they stand. ``row_tables`` are the tables a revision after
    0009 guards row by row (``install_row_guards``) that exist at the revision calling this. PostgreSQL alters
    tables in place and keeps its triggers: there this does nothing.
    """
    if bind.dialect.name != "sqlite":
        yield
        return
    row_tables = tuple(row_tables)
    drop_journal_guards(bind)
    drop_finalised_guards(bind, GUARDED_ROWS)
    drop_row_guards(bind, row_tables)
    yield
    install_finalised_guards(bind, GUARDED_ROWS)
    install_row_guards(bind, row_tables)
    install_journal_guards(bind)


def drop_columns_in_place(table: str, *columns: str) -> None:
    """A revision's downgrade dropping plain columns (no CHECK constraint, index already dropped) without
    rebuilding the table.

    On SQLite a batch rebuild drops and re-creates the table, and with foreign keys on (as every Chair connection
    has them) dropping a table the others refer to deletes their rows (ON DELETE CASCADE: a rebuilt ``conference``
    took every invitation, map item and decision with it) or is refused (RESTRICT). SQLite 3.35 and later drop a
    plain column in place, and the triggers naming the table stay. PostgreSQL always alters in place.
    """
    from alembic import op

    for column in columns:
        if op.get_bind().dialect.name == "sqlite":
            op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
        else:
            op.drop_column(table, column)
