"""Opening a database: SQLite on the laptop by default, PostgreSQL on a unit server when asked.

SQLite is opened in WAL mode with foreign keys on and ``synchronous=FULL``: every committed edit is on disk
before the commit returns, so a power cut loses at most the edit in flight.
"""

from __future__ import annotations

import os
import sys
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from chair_app.domain.errors import ChairError, Conflict, RecordFinalised

ENV_URL = "CHAIR_DB_URL"
FINALISED_MARK = "chair: record finalised"
JOURNAL_MARK = "chair: journal is append-only"


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
    sessions: sessionmaker[Session]

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    def unit_of_work(
        self,
        operation: str | None = None,
        *,
        who: str | None = None,
        device: str | None = None,
        typing: bool | None = None,
        conference_id: uuid.UUID | None = None,
        event: bool = False,
        detail: str = "",
    ) -> AbstractContextManager[Session]:
        """One session for one user action: committed when the block ends, rolled back on any error.

        Everything the action changes is journaled in the same transaction (``store/journal.py``): the
        operation is named by ``operation``, else by the calling function's name (``set_fields``); ``who``
        defaults to the ``updated_by`` the action wrote on its conference, else the login name; ``typing``
        marks a keystroke (default: the ``set_fields`` of one text field). ``event`` writes an entry even
        when nothing changed: the audit trail of opening, previewing, printing, exporting.

        Storage refusals are turned into errors the user can act on: a finalised record, or a record
        someone else changed since it was read.
        """
        from chair_app.store import journal

        if operation is None:  # the service function's own name: set_fields, record_decision
            operation = sys._getframe(1).f_code.co_name.strip("_")
            if not operation.isidentifier():  # a lambda or comprehension
                operation = "edit"
        return self._unit_of_work(
            journal.Operation(
                operation,
                who=who,
                device=device,
                typing=typing,
                conference_id=conference_id,
                event=event,
                detail=detail,
            )
        )

    @contextmanager
    def _unit_of_work(self, operation) -> Iterator[Session]:
        from chair_app.store import journal

        session = self.sessions()
        journal.begin(session, operation)
        try:
            yield session
            session.flush()
            journal.write(session)
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
            if JOURNAL_MARK in str(exc.orig):
                raise ChairError("journal: its entries are never changed or removed; nothing was written") from exc
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
    return Database(engine, sessionmaker(engine, expire_on_commit=False))


def _journal_listener(session: Session, flush_context) -> None:
    from chair_app.store.journal import collect

    collect(session, flush_context)


# One hook for every unit of work: whatever a flush writes through the ORM is collected into the journal entry.
event.listen(Session, "after_flush", _journal_listener)
