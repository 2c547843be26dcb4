"""Hearing of colleagues' changes: what an open window needs to keep its list and open conference current.

Every change to a conference's record touches the conference row (its version counts every edit; imports
write it too). On PostgreSQL a trigger (revision 0004_server) sends the conference's id on the channel
``chair_changes`` in the writing transaction, so a listener hears of a change when, and only if, it is
committed; a ``Watcher`` holds one connection of its own that LISTENs. SQLite has no channel: the watcher
asks the database file's change counter (``PRAGMA data_version``, which moves when any other connection
commits) four times a second, which costs microseconds, and reports "something changed" without saying what.

A watcher blocks in ``wait`` and is meant for a thread of its own (gui/changes.py runs one). ``stamp`` reads
who last changed one conference, so an open conference can tell a colleague's change from its own.
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import select

from chair_app.store import models as rows
from chair_app.store.engine import Database

CHANNEL = "chair_changes"  # as in db/versions/0004_server_notify.py
POLL_SECONDS = 0.25  # SQLite: how often the change counter is read
RECONNECT_SECONDS = 2.0  # PostgreSQL: how long to wait before listening again after the server went away

#: In a set of changes: something changed, but not known which conference (SQLite; or a listener that was
#: reconnected and may have missed some).
UNKNOWN = None


class Watcher(Protocol):
    def wait(self, timeout: float) -> set[uuid.UUID | None]:
        """Block until something changes or ``timeout`` seconds pass; the ids of the conferences changed."""
        ...

    def close(self) -> None: ...


def watch(db: Database) -> Watcher:
    """A watcher of this database: LISTEN/NOTIFY on PostgreSQL, the change counter on SQLite."""
    if db.dialect == "postgresql":
        return PostgresWatcher(db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    return SqliteWatcher(db.engine.url.database or ":memory:")


class PostgresWatcher:
    def __init__(self, conninfo: str) -> None:
        self._conninfo = conninfo
        self._conn = None
        self._missed = False  # reconnected: changes may have been missed meanwhile
        self._connect()

    def _connect(self) -> None:
        import psycopg

        self._conn = psycopg.connect(
            self._conninfo, autocommit=True, connect_timeout=10, application_name="chair-changes"
        )
        self._conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout: float) -> set[uuid.UUID | None]:
        import psycopg

        if self._conn is None or self._conn.closed:
            try:
                self._connect()
            except psycopg.OperationalError:
                time.sleep(min(timeout, RECONNECT_SECONDS))
                return set()
            self._missed = True
        found: set[uuid.UUID | None] = set()
        try:
            conn = self._conn
            first = list(conn.notifies(timeout=timeout, stop_after=1))
            if first:  # and whatever else arrived with it (an import stores hundreds in one commit)
                first += list(conn.notifies(timeout=0.02, stop_after=100_000))
        except psycopg.OperationalError:
            self.close()
            return {UNKNOWN}
        for note in first:
            try:
                found.add(uuid.UUID(note.payload))
            except ValueError:
                found.add(UNKNOWN)
        if self._missed:
            self._missed = False
            found.add(UNKNOWN)
        return found

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


class SqliteWatcher:
    def __init__(self, path: str) -> None:
        import sqlite3

        self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._last = self._counter()

    def _counter(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def wait(self, timeout: float) -> set[uuid.UUID | None]:
        end = time.monotonic() + timeout
        while True:
            now = self._counter()
            if now != self._last:
                self._last = now
                return {UNKNOWN}
            left = end - time.monotonic()
            if left <= 0:
                return set()
            time.sleep(min(POLL_SECONDS, left))

    def close(self) -> None:
        self._conn.close()


@dataclass(frozen=True)
class Stamp:
    """Who last changed a conference's record, and its version then."""

    version: int
    updated_by: str
    updated_at: datetime


def stamp(db: Database, conference_id: uuid.UUID) -> Stamp | None:
    """The conference's version and last editor (None: it is no longer in the database)."""
    c = rows.ConferenceRow
    with db.unit_of_work() as session:
        found = session.execute(select(c.version, c.updated_by, c.updated_at).where(c.id == conference_id)).first()
    return Stamp(found.version, found.updated_by or "", found.updated_at) if found else None
