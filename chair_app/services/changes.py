"""Hearing of colleagues' changes: what an open window needs to keep its list and open conference current.

Every change to a conference's record is journaled, and on PostgreSQL the journal (store/journal.py) sends
the conference's id on the channel ``chair_changes`` in the writing transaction (as a trigger of revision
0006 does for the conference row itself), so a listener hears of a change when, and only if, it is
committed; a ``Watcher`` holds one connection of its own that LISTENs. SQLite has no channel: the watcher
asks the database file's change counter (``PRAGMA data_version``, which moves when any other connection
commits) four times a second, which costs microseconds, and reports "something changed" without saying what.
The PostgreSQL triggers also say whether a change alters what the conference list shows, so a window showing
the list reads it again only then, not for every keystroke typed into someone's map.

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

CHANNEL = "chair_changes"  # as in db/versions/0006_change_notify.py
POLL_SECONDS = 0.25  # SQLite: how often the change counter is read
RECONNECT_SECONDS = 2.0  # PostgreSQL: how long to wait before listening again after the server went away


@dataclass(frozen=True)
class Heard:
    """What changed, as far as the database said."""

    #: Conferences whose record changed.
    conferences: frozenset[uuid.UUID] = frozenset()
    #: Something the conference list shows changed (a date, a chair, a status, a family or child's name...).
    list_changed: bool = False
    #: Something changed, not known what (SQLite; or a listener that reconnected and may have missed some).
    unknown: bool = False

    def __bool__(self) -> bool:
        return bool(self.conferences) or self.list_changed or self.unknown

    def __or__(self, other: Heard) -> Heard:
        return Heard(
            self.conferences | other.conferences, self.list_changed or other.list_changed, self.unknown or other.unknown
        )

    def touches(self, conference_id: uuid.UUID) -> bool:
        """Whether this conference may have changed."""
        return self.unknown or conference_id in self.conferences

    def touches_list(self) -> bool:
        return self.unknown or self.list_changed


NOTHING = Heard()
SOMETHING = Heard(unknown=True)


def parse(payloads: list[str]) -> Heard:
    """Payloads sent by the triggers of revision 0006: "<id>", "<id> list" or "* list"."""
    ids: set[uuid.UUID] = set()
    listed = unknown = False
    for payload in payloads:
        what, _, flag = payload.partition(" ")
        listed = listed or flag == "list"
        if what != "*":
            try:
                ids.add(uuid.UUID(what))
            except ValueError:
                unknown = True
    return Heard(frozenset(ids), listed, unknown)


class Watcher(Protocol):
    def wait(self, timeout: float) -> Heard:
        """Block until something changes or ``timeout`` seconds pass; what changed (falsy: nothing)."""
        ...

    def close(self) -> None: ...


def watch(db: Database) -> Watcher:
    """A watcher of this database: LISTEN/NOTIFY on PostgreSQL, the change counter on SQLite."""
    if db.dialect == "postgresql":
        return PostgresWatcher(db.engine.url.set(drivername="postgresql").render_as_string(hide_password=False))
    return SqliteWatcher(db.engine.url.database or ":memory:", key=db.database_key)


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

    def wait(self, timeout: float) -> Heard:
        import psycopg

        if self._conn is None or self._conn.closed:
            try:
                self._connect()
            except psycopg.OperationalError:
                time.sleep(min(timeout, RECONNECT_SECONDS))
                return NOTHING
            self._missed = True
        try:
            conn = self._conn
            notes = list(conn.notifies(timeout=timeout, stop_after=1))
            if notes:  # and whatever else arrived with it (an import stores hundreds in one commit)
                notes += list(conn.notifies(timeout=0.02, stop_after=100_000))
        except psycopg.OperationalError:
            self.close()
            return SOMETHING
        heard = parse([n.payload for n in notes])
        if self._missed:
            self._missed = False
            heard = heard | SOMETHING
        return heard

    def close(self) -> None:
        if self._conn is not None:
            try:
                self._conn.close()
            finally:
                self._conn = None


class SqliteWatcher:
    def __init__(self, path: str, key: bytes | None = None) -> None:
        import sqlite3

        if key is not None:  # an encrypted laptop database (issue 14): read through SQLCipher with its key
            from pathlib import Path

            from chair_app.store.keys import sqlcipher_connection

            self._conn = sqlcipher_connection(Path(path), key, check_same_thread=False, isolation_level=None)
        else:
            self._conn = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._conn.execute("PRAGMA busy_timeout=5000")
        self._last = self._counter()

    def _counter(self) -> int:
        return self._conn.execute("PRAGMA data_version").fetchone()[0]

    def wait(self, timeout: float) -> Heard:
        end = time.monotonic() + timeout
        while True:
            now = self._counter()
            if now != self._last:
                self._last = now
                return SOMETHING
            left = end - time.monotonic()
            if left <= 0:
                return NOTHING
            time.sleep(min(POLL_SECONDS, left))

    def close(self) -> None:
        self._conn.close()


@dataclass(frozen=True)
class Stamp:
    """Who last changed a conference's record, and a number that grows with every change (the journal's)."""

    version: int
    updated_by: str
    updated_at: datetime


def stamp(db: Database, conference_id: uuid.UUID) -> Stamp | None:
    """The conference's last change, from the journal (None: it is no longer in the database).

    Edits to a conference's records no longer touch the conference row (per-record versions), so the journal
    says who changed the record last: ``version`` is that entry's number (a run of typing is one entry).
    """
    from chair_app.store.journal import JOURNAL

    c, j = rows.ConferenceRow, JOURNAL.c
    with db.unit_of_work() as session:
        found = session.execute(select(c.version, c.updated_by, c.updated_at).where(c.id == conference_id)).first()
        if found is None:
            return None
        last = session.execute(
            select(j.id, j.who, j.last_at)
            .where(j.conference_id == conference_id, j.new_values != "{}")
            .order_by(j.id.desc())
            .limit(1)
        ).first()
    if last is None:
        return Stamp(0, found.updated_by or "", found.updated_at)
    return Stamp(last.id, last.who, last.last_at)
