"""Runs the alembic revisions in ``db/`` when a database is opened."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from chair_app.domain.errors import ChairError
from chair_app.paths import MIGRATIONS


def alembic_config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    return cfg


def upgrade_to_head(engine: Engine) -> None:
    """Apply any revision the database lacks; refuse a database written by a newer version of the app."""
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
