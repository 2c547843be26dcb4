"""Undo and redo of any journal entry, as service operations checked like any edit.

An entry (``store/journal.py``) holds, for each row it touched, the fields before and after. Undo applies the
inverse: a changed field gets its value before again, a row the entry added is deleted, a row it removed is
inserted again with its original id and fields. Redo applies the entry once more. What an operation wrote is
therefore never restated anywhere: the window keeps a stack of entry uids and knows nothing else.

Checked like any edit, in one unit of work: every field undo would restore must still hold the value the entry
left (for redo: the value it found), a row to delete must still be there as the entry left it, a row to insert
again must not be there. Otherwise nothing is written and ``UndoRefused`` names who changed it since, and when.
A finalised conference refuses (the database's guards too). The undo is itself a journal entry: operation
``undo`` (or ``redo``), its detail the original entry's uid, so the history shows it and it can be undone.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.enums import RecordStatus
from chair_app.domain.errors import Conflict, NotFound, RecordFinalised, UndoRefused
from chair_app.domain.values import json_value
from chair_app.services.workspace import Written, field_labels
from chair_app.store import journal
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database
from chair_app.store.transactions import retry_transient

_CLASSES: dict[str, type[m.Record]] = {row.__tablename__: cls for cls, row in repo.RECORD_ROWS.items()}
# Parents before children: rows are inserted in this order and deleted in the reverse.
_ORDER = {table.name: n for n, table in enumerate(rows.Base.metadata.sorted_tables)}

last_entry = journal.last_entry
last_versions = journal.last_versions


def _words(cls: type[m.Record]) -> str:
    return "".join(" " + ch.lower() if ch.isupper() else ch for ch in cls.__name__).strip().lower()


def _field_words(cls: type[m.Record], name: str) -> str:
    label = field_labels(cls).get(name)
    return label[0].lower() + label[1:] if label else name.replace("_", " ")


def _clock(at: datetime) -> str:
    return at.astimezone().strftime("%H:%M")


def _decode(cls: type[m.Record], values: dict[str, Any]) -> dict[str, Any]:
    types = m.field_types(cls)
    return {name: journal._decode(types[name][0], value) for name, value in values.items() if name in types}


def _load_entry(session: Session, entry: uuid.UUID) -> Any:
    j = journal.JOURNAL.c
    found = session.connection().execute(select(journal.JOURNAL).where(j.uid == entry)).first()
    if found is None:
        raise NotFound("undo: that change is not in this database's journal")
    return found


def _refuse(session: Session, verb: str, table: str, record_id: uuid.UUID, what: str) -> UndoRefused:
    last = journal.last_change(session, table, record_id)
    who, at = last if last is not None else ("someone", m.utcnow())
    return UndoRefused(f"Cannot {verb}: {who or 'someone'} changed {what} at {_clock(at)} since", who=who, at=at)


@retry_transient
def _apply(db: Database, entry: uuid.UUID, *, who: str, forward: bool) -> Written:
    verb = "redo" if forward else "undo"
    with db.unit_of_work(verb, who=who, typing=False, detail=str(entry)) as session:
        found = _load_entry(session, entry)
        db.authorise(found.operation)  # undoing a decision is the decision-maker's: the entry's own roles apply
        olds, news = json.loads(found.old_values), json.loads(found.new_values)
        op = journal.operation_of(session)
        op.conference_id = found.conference_id
        if found.conference_id is not None:
            conf = session.get(rows.ConferenceRow, found.conference_id)
            if conf is not None and conf.record_status is RecordStatus.FINALISED:
                raise RecordFinalised(
                    "this conference record is finalised and cannot be changed: add an amendment instead"
                )
        # What the store must hold now (``expect``) and what it is to hold after (``want``), per row.
        plan = []
        for key in news:
            table, _, rid = key.partition("/")
            cls = _CLASSES.get(table)
            if cls is None:
                raise NotFound(f"{verb}: the change touched {table}, which {verb} cannot restore")
            expect, want = (olds.get(key), news[key]) if forward else (news[key], olds.get(key))
            plan.append((table, uuid.UUID(rid), cls, expect, want))
        versions: dict[uuid.UUID, int] = {}
        # Check everything first: nothing is written unless all of it still stands as the entry left it.
        for table, rid, cls, expect, want in plan:
            row = session.get(repo.RECORD_ROWS[cls], rid)
            words = _words(cls)
            if expect is None:  # to insert again: it must not be there
                if row is not None:
                    raise _refuse(session, verb, table, rid, f"the {words}")
                continue
            if row is None:
                raise _refuse(session, verb, table, rid, f"the {words} (it was removed)")
            names = expect if want is None else want  # a deletion: every field; an update: those it changes
            for name in names:
                if name in expect and json_value(getattr(row, name)) != expect[name]:
                    raise _refuse(session, verb, table, rid, f"the {_field_words(cls, name)}")
        # Inserts (parents first), then updates, then deletes (children first), each flushed in turn.
        for _table, rid, cls, expect, want in sorted(plan, key=lambda p: _ORDER.get(p[0], 0)):
            if expect is None and want is not None:
                record = cls(**_decode(cls, want))
                row = repo.to_row(record)
                session.add(row)
                session.flush()
                versions[rid] = row.version
        for _table, rid, cls, expect, want in plan:
            if expect is not None and want is not None:
                row = session.get(repo.RECORD_ROWS[cls], rid)
                for name, value in _decode(cls, want).items():
                    setattr(row, name, value)
                session.flush()
                versions[rid] = row.version
        for _table, rid, cls, expect, want in sorted(plan, key=lambda p: -_ORDER.get(p[0], 0)):
            if want is None and expect is not None:
                session.delete(session.get(repo.RECORD_ROWS[cls], rid))
                session.flush()
    return Written(journal.last_entry(), versions)


def _checked(db: Database, entry: uuid.UUID, *, who: str, forward: bool) -> Written:
    try:
        return _apply(db, entry, who=who, forward=forward)
    except Conflict:
        # Someone wrote one of its rows between the check and the UPDATE (whose WHERE version found no row):
        # the check, run again, names them.
        return _apply(db, entry, who=who, forward=forward)


def undo(db: Database, entry: uuid.UUID, *, who: str) -> Written:
    """Apply the inverse of a journal entry; ``UndoRefused`` when anything it would restore changed since."""
    return _checked(db, entry, who=who, forward=False)


def redo(db: Database, entry: uuid.UUID, *, who: str) -> Written:
    """Apply a journal entry again (after its undo); ``UndoRefused`` when anything it would change changed since."""
    return _checked(db, entry, who=who, forward=True)
