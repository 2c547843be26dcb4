"""Opening a database: SQLite on the laptop by default, PostgreSQL on a unit server when asked.

SQLite is opened in WAL mode with foreign keys on and ``synchronous=FULL``: every committed edit is on disk
before the commit returns, so a power cut loses at most the edit in flight.
"""

from __future__ import annotations

import contextlib
import os
import stat
import sys
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.exc import DBAPIError, IntegrityError

from chair_app.domain.errors import ChairError, Conflict, RecordFinalised
from chair_app.paths import PRIVATE_FOLDER_MODE, make_private_folders

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from chair_app.rules.access import SignedIn

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
    # The wait first: on a new file, switching to WAL needs a moment alone, and another process opening
    # the same new file at the same moment would otherwise be told "database is locked" at once.
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()


SQLITE_HEADER = b"SQLite format 3\x00"
DB_FILE_MODE = 0o600
SQLITE_FILES = ("", "-wal", "-shm", "-journal")
DATA_FOLDER_MODE = PRIVATE_FOLDER_MODE


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite URL, or None for an in-memory database."""
    from sqlalchemy.engine import make_url

    database = make_url(url).database
    return Path(database) if database and database != ":memory:" else None


def private_data_folder(folder: Path) -> None:
    """Create the user's data folder (and any missing parents) so only they can open it: 0700."""
    make_private_folders(folder)


def _make_private(path: Path) -> None:
    """The user's own data folder and database, made by an older version with the umask's modes (0755,
    0644): closed to other users. Only what this user owns is changed; a failure changes nothing else."""
    uid = os.geteuid()
    for item, mode in ((path.parent, DATA_FOLDER_MODE), *((Path(f"{path}{s}"), DB_FILE_MODE) for s in SQLITE_FILES)):
        try:
            info = os.lstat(item)
            if info.st_uid == uid and not stat.S_ISLNK(info.st_mode) and stat.S_IMODE(info.st_mode) & 0o077:
                os.chmod(item, stat.S_IMODE(info.st_mode) & mode)
        except OSError:
            continue


def prepare_sqlite_file(path: Path, *, create_folder: bool) -> None:
    """Check a SQLite database file before SQLAlchemy opens it, and create a new one private (0600).

    Refused, with the fix: a folder, a file that is not a SQLite database (text, JSON, a PDF), and a file in
    a folder that does not exist (an explicit --db never creates folders: a typing mistake would otherwise
    leave an empty database somewhere unexpected). Only the default database creates its own folder.
    """
    if create_folder:
        private_data_folder(path.parent)
        _make_private(path)
    elif not path.parent.is_dir():
        raise ChairError(f"--db: folder {path.parent} does not exist; create it first or give another path")
    if path.is_dir():
        raise ChairError(f"--db: {path} is a folder: give a database file")
    try:
        with path.open("rb") as fh:
            head = fh.read(len(SQLITE_HEADER))
    except FileNotFoundError:
        head = None
    except OSError as exc:
        raise ChairError(f"--db: cannot read {path} ({exc.strerror}); check its permissions") from None
    if head is None:
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY | os.O_NOFOLLOW, DB_FILE_MODE))
            os.chmod(path, DB_FILE_MODE)
        except FileExistsError:
            pass
        except OSError as exc:
            raise ChairError(f"--db: cannot create {path} ({exc.strerror}); choose a folder you can write to") from None
    elif head and head != SQLITE_HEADER:
        raise ChairError(
            f"--db: {path} is not a SQLite database (it is some other kind of file); give a Chair database"
        )
    elif head:
        _refuse_a_foreign_sqlite_file(path)


def _refuse_a_foreign_sqlite_file(path: Path) -> None:
    """Read-only, before SQLAlchemy's connect hook switches the file to WAL (a write)."""
    import sqlite3

    try:
        with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
            names = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    except sqlite3.DatabaseError as exc:
        raise ChairError(
            f"--db: cannot read {path} as a database ({type(exc).__name__}); give a Chair database"
        ) from None
    if names - {"alembic_version"} and "alembic_version" not in names:
        raise ChairError(FOREIGN.format(count=len(names)))


def _on_sqlcipher_connect(dbapi_connection, record) -> None:
    # The key was given by the dialect just before; a wrong one must not print SQLCipher's log lines on stderr.
    from chair_app.store.keys import CIPHER_SETTINGS

    dbapi_connection.execute("PRAGMA cipher_log_level = NONE")
    for setting in CIPHER_SETTINGS:
        dbapi_connection.execute(setting.format(db=""))
    _on_sqlite_connect(dbapi_connection, record)


def make_engine(url: str, *, create_folder: bool = False, key: bytes | None = None) -> Engine:
    if key is not None:  # an encrypted laptop database (store/keys.py): SQLCipher with the unwrapped key
        from chair_app.store.keys import sqlcipher_url

        path = sqlite_path(url) if url.startswith("sqlite") else None
        if path is None or not path.is_file():
            raise ChairError(f"--db: the encrypted database {path} is missing; restore it with its .keys file")
        engine = create_engine(sqlcipher_url(path, key))
        event.listen(engine, "connect", _on_sqlcipher_connect)
        return engine
    if url.startswith("sqlite"):
        path = sqlite_path(url)
        if path is not None:
            prepare_sqlite_file(path, create_folder=create_folder)
        elif ":memory:" not in url:  # "sqlite://" or "sqlite:///": every change would vanish at exit
            raise ChairError("--db: the SQLite URL names no file; give sqlite:///path/to/chair.db")
        engine = create_engine(url)
        event.listen(engine, "connect", _on_sqlite_connect)
        return engine
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
    return create_engine(url, **SERVER_POOL)


#: A unit server (docs/unit-server.md): each running Chair keeps a few connections, checks one is alive before
#: using it (a server restarted overnight), and renews them every half hour. Each session is told to give up
#: on a statement after 60 s, on waiting for a row lock after 10 s, and on a transaction left open and idle
#: for 5 minutes (none should be: no transaction is held open while a person types, every edit is its own).
SERVER_POOL: dict = {
    "pool_size": 3,
    "max_overflow": 5,
    "pool_timeout": 30,
    "pool_recycle": 1800,
    "pool_pre_ping": True,
    "connect_args": {
        "connect_timeout": 10,
        "application_name": "chair",
        "options": "-c statement_timeout=60000 -c lock_timeout=10000 -c idle_in_transaction_session_timeout=300000",
    },
}


@dataclass
class Database:
    engine: Engine
    _sessions: sessionmaker[Session] | None = None
    #: The account signed in on this database (services/accounts.sign_in): every operation is checked against
    #: it (rules/access.py). None: no one is signed in, allowed only while the database has no accounts.
    signed_in: SignedIn | None = None
    _accounts_in_force: bool | None = None  # read once (store/accounts.py); set when the first account is made
    #: An encrypted laptop database's key, unwrapped at sign-in (store/keys.py); in memory only, never shown.
    database_key: bytes | None = field(default=None, repr=False)
    #: Who unwrapped that key, and a salted digest of the password they did it with (store/keys.unlock_proof):
    #: signing the same account in with the same password then needs no second argon2 check.
    unlock_proof: tuple[str, bytes, bytes] | None = field(default=None, repr=False)

    @property
    def sessions(self) -> sessionmaker[Session]:
        """Made on first use: a command that reads with Core (`chair-app list`) never imports the ORM."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = sessionmaker(self.engine, expire_on_commit=False)
            # One hook for every unit of work: what a flush writes through the ORM is collected into the journal.
            event.listen(self._sessions, "after_flush", _journal_listener)
        return self._sessions

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
        self.authorise(operation)
        if self.signed_in is not None:  # the journal names the account, whatever name the caller wrote
            who = self.signed_in.name
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

    def authorise(self, operation: str) -> None:
        """Refuse (``NotAllowed``, one line) an operation the signed-in account's roles may not perform, or any
        operation when the database has accounts and no one is signed in or the session has ended. Every unit of
        work passes here; a service that reads with Core on its own connection calls it first."""
        from chair_app.domain.model import utcnow
        from chair_app.rules.access import check

        check(operation, self.signed_in, accounts_in_force=self.accounts_in_force(), now=utcnow())

    def accounts_in_force(self) -> bool:
        if self._accounts_in_force is None:
            self._accounts_in_force = any_accounts(self.engine)
        return self._accounts_in_force

    @contextmanager
    def _unit_of_work(self, operation) -> Iterator[Session]:
        from sqlalchemy.orm.exc import StaleDataError

        from chair_app.store import journal

        session = self.sessions()
        journal.begin(session, operation)
        try:
            yield session
            session.flush()
            journal.write(session)
            session.commit()
            journal.finished(operation)
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


FOREIGN = (
    "--db: this database holds {count} table(s) of another program and no Chair data; "
    "give a Chair database, or a new file name to start one"
)


def open_database(
    url: str | None = None, *, migrate: bool = True, create_folder: bool | None = None, key: bytes | None = None
) -> Database:
    """Open (creating if need be) the database at ``url`` and bring its schema to this version's head.

    The database file may be created, but its folder only for the default database (``url`` None) or when
    ``create_folder`` says so.
    """
    if url is not None and not url.strip():
        raise ChairError(
            "--db: the database URL is empty; give one (e.g. sqlite:///path/to/chair.db) or leave --db out"
        )
    if create_folder is None:
        create_folder = url is None and not os.environ.get(ENV_URL)
    url = url or default_url()
    try:
        engine = make_engine(url, create_folder=create_folder, key=key)
    except ChairError:
        raise
    except Exception as exc:  # bad URL syntax, unknown driver
        raise ChairError(
            f"--db: not a database URL Chair can use ({type(exc).__name__}); "
            "give sqlite:///path/to/chair.db or postgresql://user@server/chair"
        ) from exc
    if migrate:
        from sqlalchemy.exc import DatabaseError, OperationalError

        from chair_app.store.migrate import upgrade_to_head

        try:
            upgrade_to_head(engine)  # refuses, under its lock, a database of another program
        except ChairError:
            engine.dispose()
            raise
        except (DatabaseError, OperationalError) as exc:
            engine.dispose()
            what = type(getattr(exc, "orig", None) or exc).__name__
            raise ChairError(
                f"--db: cannot open the database ({what}); check the URL, that the file is a Chair database "
                "and that the server is running"
            ) from exc
    return Database(engine, database_key=key)


def any_accounts(engine: Engine) -> bool:
    """Whether the database has ever had an account (store/accounts.py). Plain SQL: `chair-app list` asks this
    and builds no ORM; a database opened without migrating, at an older revision, has none."""
    from sqlalchemy import text
    from sqlalchemy.exc import OperationalError, ProgrammingError

    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT 1 FROM account LIMIT 1")).first() is not None
    except (OperationalError, ProgrammingError):
        return False


def _journal_listener(session: Session, flush_context) -> None:
    from chair_app.store.journal import collect

    collect(session, flush_context)
