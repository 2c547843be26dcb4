"""The journal entries a conference file carries, read from and appended to the store (issue 11, files merge).

Kept beside ``store/journal.py`` rather than in it: that module writes the entries of this database's own
operations; this one reads a conference's entries for a file and appends entries that came in a file, each
with the uid, who, when and device it was written with (they are the record's history, not this import's).
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from chair_app.domain.history import CarriedEntry
from chair_app.store.journal import JOURNAL, dumps

_J = JOURNAL.c


def conference_entries(session: Session, conference_id: uuid.UUID) -> list[CarriedEntry]:
    """A conference's journal as a file carries it, oldest first (open runs of typing as they stand)."""
    stmt = select(
        _J.uid, _J.at, _J.last_at, _J.who, _J.device, _J.operation, _J.detail, _J.old_values, _J.new_values
    ).where(_J.conference_id == conference_id)
    return [
        CarriedEntry(r.uid, r.at, r.last_at, r.who, r.device, r.operation, r.detail, *_values(r))
        for r in session.connection().execute(stmt.order_by(_J.id))
    ]


def _values(row) -> tuple[dict, dict]:
    return json.loads(row.old_values), json.loads(row.new_values)


def held_uids(session: Session, uids: list[uuid.UUID]) -> dict[uuid.UUID, datetime]:
    """Which of these entries this database holds, with the last moment each covers."""
    found: dict[uuid.UUID, datetime] = {}
    for start in range(0, len(uids), 500):
        stmt = select(_J.uid, _J.last_at).where(_J.uid.in_(uids[start : start + 500]))
        found.update((uid, last_at) for uid, last_at in session.connection().execute(stmt))
    return found


def append_entries(session: Session, conference_id: uuid.UUID, entries: list[CarriedEntry]) -> None:
    """Append entries that came in a file, closed, keeping their uid, who, when, device and operation."""
    if not entries:
        return
    session.connection().execute(
        insert(JOURNAL),
        [
            {
                "uid": e.uid,
                "at": e.at,
                "last_at": e.last_at,
                "who": e.who,
                "device": e.device[:36],
                "operation": e.operation[:64],
                "conference_id": conference_id,
                "detail": e.detail,
                "typing_key": None,
                "old_values": dumps(e.old_values),
                "new_values": dumps(e.new_values),
                "closed": True,
            }
            for e in entries
        ],
    )
