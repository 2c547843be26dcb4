"""Opening a database: SQLite on the laptop by default, PostgreSQL on a unit server when asked.

SQLite is opened in WAL mode with foreign keys on and ``synchronous=FULL``: every committed edit is on disk
before the commit returns, so a power cut loses at most the edit in flight.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError

from chair_app.domain.errors import ChairError, Conflict, RecordFinalised

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

ENV_URL = "CHAIR_DB_URL"
FINALISED_MARK = "chair: record finalised"


def default_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir("chair-app", appauthor=False))


def default_url() -> str:
    """The database in force: CHAIR_DB_URL, else a SQLite file in the user's data folder."""
    url = os.environ.get(ENV_URL)
    if url:
        return url
    return sqlite_url(default_data_dir() / "chair.db")


def sqlite_url(path: Path) -> str:
    return f"sqlite:///{path}"


def _on_sqlite_connect(dbapi_connection, _record) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


def make_engine(url: str) -> Engine:
    if url.startswith("sqlite"):
        path = url.split("///", 1)[-1]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, pool_pre_ping=True)


@dataclass
class Database:
    engine: Engine
    _sessions: sessionmaker[Session] | None = None

    @property
    def sessions(self) -> sessionmaker[Session]:
        """Made on first use: a command that reads with Core (`chair-app list`) never imports the ORM."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        return self._sessions

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @contextmanager
    def unit_of_work(self) -> Iterator[Session]:
        """One session for one user action: committed when the block ends, rolled back on any error.

        Storage refusals are turned into errors the user can act on: a finalised record, or a record
        someone else changed since it was read.
        """
        from sqlalchemy.orm.exc import StaleDataError

        session = self.sessions()
        try:
            yield session
            session.commit()
        except StaleDataError as exc:
            session.rollback()
            raise Conflict("this record was changed elsewhere since you opened it: reopen it and try again") from exc
        except (IntegrityError, DBAPIError) as exc:
            session.rollback()
            if FINALISED_MARK in str(exc.orig):
                raise RecordFinalised(
                    "this conference record is finalised and cannot be changed: add an amendment instead"
                ) from exc
            raise
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()


def open_database(url: str | None = None, *, migrate: bool = True) -> Database:
    """Open (creating if need be) the database at ``url`` and bring its schema to this version's head."""
    url = url or default_url()
    try:
        engine = make_engine(url)
    except Exception as exc:  # bad URL syntax, unknown driver
        raise ChairError(f"--db: cannot use database URL ({type(exc).__name__}); check its form") from exc
    if migrate:
        from chair_app.store.migrate import upgrade_to_head

        upgrade_to_head(engine)
    return Database(engine)
