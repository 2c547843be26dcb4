"""Runs the alembic revisions in ``db/`` when a database is opened."""

from __future__ import annotations

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError, ProgrammingError

from chair_app.domain.errors import ChairError
from chair_app.paths import MIGRATIONS

#: The newest revision in db/versions. A database already there is opened without loading alembic at all,
#: which keeps start-up fast; a test holds this equal to alembic's own idea of the head.
SCHEMA_HEAD = "0004_perf"


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
    """Apply any revision the database lacks; refuse a database written by a newer version of the app."""
    if stored_revision(engine) == SCHEMA_HEAD:
        return
    from alembic import command
    from alembic.runtime.migration import MigrationContext
    from alembic.script import ScriptDirectory

    cfg = alembic_config()
    script = ScriptDirectory.from_config(cfg)
    head = script.get_current_head()
    try:
        with engine.begin() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
            if current == head:
                return
            if current is not None and current not in {r.revision for r in script.walk_revisions()}:
                raise ChairError(
                    f"database: schema revision {current} is newer than this version of Chair knows; "
                    "update Chair on this computer"
                )
            cfg.attributes["connection"] = connection
            command.upgrade(cfg, "head")
    except OperationalError as exc:
        raise ChairError(f"database: cannot open it ({exc.orig.__class__.__name__}); check the path or server") from exc
