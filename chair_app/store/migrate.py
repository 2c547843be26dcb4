"""Runs the alembic revisions in ``db/`` when a database is opened."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from chair_app.domain.errors import ChairError
from chair_app.paths import MIGRATIONS

#: The newest revision in db/versions. A database already there is opened without loading alembic at all,
#: which keeps start-up fast; a test holds this equal to alembic's own idea of the head.
SCHEMA_HEAD = "0014_dissent_answer"


def alembic_config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def stored_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except (OperationalError, ProgrammingError) as exc:
        if "alembic_version" in str(exc.orig):  # a new, empty database
            return None
        raise ChairError(f"database: cannot open it ({exc.orig.__class__.__name__}); check the path or server") from exc


def upgrade_to_head(engine: Engine) -> None:
    """Apply any revision the database lacks; refuse a database written by a newer version of the app.

    Any number of Chairs may open a new database at the same moment (a unit's first morning on the server):
    the check and the upgrade run under a lock, so one of them builds the schema while the others wait,
    then find it built. PostgreSQL: an advisory lock held by the upgrading transaction. SQLite: a lock on a
    small file beside the database (``<name>.migrate-lock``), taken before the first statement.
    """
    if stored_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    try:
        with _sqlite_file_lock(engine), engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # No time limits while waiting for another Chair to finish building, or while building.
                connection.execute(text("SET LOCAL lock_timeout = 0"))
                connection.execute(text("SET LOCAL statement_timeout = 0"))
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK_KEY})
            current = MigrationContext.configure(connection).get_current_revision()
            if current == head:
                return
            if current is None:  # read under the lock: another Chair building the schema has finished or not begun
                from sqlalchemy import inspect

                from chair_app.store.engine import FOREIGN

                others = [name for name in inspect(connection).get_table_names() if name != "alembic_version"]
                if others:  # tables but no Chair revision: another program's database, never added to
                    raise ChairError(FOREIGN.format(count=len(others)))
            if current is not None and current not in {r.revision for r in script.walk_revisions()}:
                raise ChairError(
                    f"database: schema revision {current} is newer than this version of Chair knows; "
                    "update Chair on this computer"
                )
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise ChairError(f"database: cannot open it ({exc.orig.__class__.__name__}); check the path or server") from exc


#: The advisory lock key for schema upgrades: any constant shared by every Chair ("CHAIRMIG" in ASCII).
MIGRATION_LOCK_KEY = 0x43484149524D4947


@contextmanager
def _sqlite_file_lock(engine: Engine) -> Iterator[None]:
    """Hold an exclusive lock on ``<database>.migrate-lock`` (SQLite files only; nothing for a server)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    lock_path = Path(path).with_name(Path(path).name + ".migrate-lock")
    with open(lock_path, "a+b") as fh:
        if sys.platform == "win32":
            import msvcrt

            fh.seek(0)
            while True:
                try:
                    msvcrt.locking(fh.fileno(), msvcrt.LK_LOCK, 1)  # retries for 10 s, then raises
                    break
                except OSError:
                    continue
            try:
                yield
            finally:
                fh.seek(0)
                msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)
        else:
            import fcntl

            fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(fh.fileno(), fcntl.LOCK_UN)
