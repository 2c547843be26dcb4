"""The journal: every change to the store, who made it, when, on which device, and what each field was before.

One append-only table, ``journal``. An entry is one operation (one user action, one unit of work): its name,
who, when (UTC), the device (a random per-installation id, never a person's or a machine's name), the
conference it concerns, and for each record it touched the fields before (``old_values``) and after
(``new_values``), as JSON keyed ``"table/uuid"``. A record added has ``null`` before; one removed has ``null``
after. Entries with no field changes are the audit trail: a conference opened, previewed, printed, exported.

Typing: a run of keystrokes in one field is one entry, as it is one undo step. The entry is written *open*
(``closed`` false) and while the same device goes on typing in the same field (same operation, record and
field, and the stored value still the one the entry ended with) only its ``new_values`` and ``last_at`` are
updated. Anything else the device writes closes it, as does another device writing that field. A closed
entry never changes again; the database's guards (``store/guards.py``) allow exactly this and no more.

The entry is collected by one SQLAlchemy ``after_flush`` listener from the ORM's own attribute history, and
written by ``Database.unit_of_work`` just before it commits, in the same transaction: no operation writes its
own journal code. Core statements (the conference-file import) bypass the ORM, so they ``note`` their entry.

Also here: the snapshot a conference keeps of its shared records (family, children, people, plan history) when
it is finalised, so that a family's later changes never alter a finalised record.
"""

from __future__ import annotations

import functools
import getpass
import json
import os
import threading
import typing
import uuid
import weakref
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import Enum
from pathlib import Path
from typing import Any

from sqlalchemy import bindparam, func, insert, select, update
from sqlalchemy import inspect as sa_inspect
from sqlalchemy.orm import Session
from sqlalchemy.orm.base import NO_VALUE

from chair_app.domain import model as m
from chair_app.domain.enums import RecordStatus
from chair_app.domain.values import json_value as encode
from chair_app.store import models as rows

JOURNAL = rows.JournalTable
SNAPSHOT = rows.SnapshotTable

#: Columns every row carries that say nothing about the record itself: never journaled.
BOOKKEEPING = frozenset({"version", "created_at", "updated_at", "updated_by"})
#: Operations whose single-field text edits are keystrokes (merged into one entry per run).
TYPING_OPERATIONS = frozenset({"set_fields"})
#: The audit trail's operations: entries that change nothing but say who saw or sent the record.
AUDIT_OPERATIONS = ("open", "show", "preview", "print", "save", "export", "import")

DEVICE_ENV = "CHAIR_DEVICE_ID"
USER_ENV = "CHAIR_USER"
_INFO_KEY = "chair_journal"


# ---------------------------------------------------------------------------------------------------------
# Who and which device


def current_user() -> str:
    """Who is using this installation: CHAIR_USER, else the operating system's login name."""
    name = os.environ.get(USER_ENV)
    if name:
        return name
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        return "unknown"


_device: str | None = None


def device_id(folder: Path | None = None) -> str:
    """This installation's id: a random UUID kept in the user's data folder (no personal data in it)."""
    global _device
    env = os.environ.get(DEVICE_ENV)
    if env:
        return env
    if _device is not None:
        return _device
    if folder is None:
        import platformdirs

        folder = Path(platformdirs.user_data_dir("chair-app", appauthor=False))
    path = folder / "device-id"
    try:
        _device = str(uuid.UUID(path.read_text(encoding="ascii").strip()))
    except (OSError, ValueError):
        _device = str(uuid.uuid4())
        try:
            folder.mkdir(parents=True, exist_ok=True)
            path.write_text(_device + "\n", encoding="ascii")
        except OSError:  # a read-only home: the id holds for this run
            pass
    return _device


# ---------------------------------------------------------------------------------------------------------
# Values


def _decode(tp: Any, value: Any) -> Any:
    if value is None:
        return None
    if typing.get_origin(tp) is list:
        (item,) = typing.get_args(tp) or (Any,)
        return [_decode(item, v) for v in value]
    if tp is uuid.UUID:
        return uuid.UUID(value)
    if tp is datetime:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(UTC)
    if tp is date:
        return date.fromisoformat(value)
    if tp is time:
        return time.fromisoformat(value)
    if isinstance(tp, type) and issubclass(tp, Enum):
        return tp(value)
    return value


def record_from_json(cls: type[m.Record], data: dict[str, Any]) -> m.Record:
    types = m.field_types(cls)  # a field added since the snapshot was taken keeps its default
    return cls(**{name: _decode(types[name][0], data[name]) for name in types if name in data})


def record_json(record: m.Record) -> dict[str, Any]:
    return {name: encode(getattr(record, name)) for name in m.field_types(type(record))}


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


# ---------------------------------------------------------------------------------------------------------
# The operation in hand and what it changed


@dataclass
class Operation:
    """What a unit of work is doing, as the journal names it."""

    name: str
    who: str | None = None
    device: str | None = None
    typing: bool | None = None  # None: a keystroke when the operation is one of TYPING_OPERATIONS
    conference_id: uuid.UUID | None = None
    event: bool = False  # write an entry even when nothing changed (the audit trail)
    detail: str = ""
    # Collected by the listener: "table/uuid" -> [fields before or None, fields after or None].
    changes: dict[str, list[dict[str, Any] | None]] = field(default_factory=dict)
    touched_conferences: dict[uuid.UUID, str] = field(default_factory=dict)  # id -> updated_by
    notes: list[dict[str, Any]] = field(default_factory=list)  # entries written by Core statements
    row_conferences: set[uuid.UUID] = field(default_factory=set)  # conferences of changed rows (not their own)
    entry: uuid.UUID | None = None  # the uid of the entry written or continued (set by ``write``)
    versions: dict[uuid.UUID, int] = field(default_factory=dict)  # each row written: its version after


def begin(session: Session, operation: Operation) -> None:
    session.info[_INFO_KEY] = operation


def operation_of(session: Session) -> Operation | None:
    return session.info.get(_INFO_KEY)


@functools.cache
def _column_names(cls) -> tuple[str, ...]:
    return tuple(c.key for c in sa_inspect(cls).column_attrs if c.key not in BOOKKEEPING)


def _columns(obj) -> tuple[str, ...]:
    return _column_names(type(obj))


def collect(session: Session, _flush_context) -> None:
    """The ``after_flush`` listener: fold every new, changed and removed row's fields into the operation."""
    op = session.info.get(_INFO_KEY)
    if op is None:
        return
    for obj in session.new:
        if not isinstance(obj, rows.Base):
            continue
        state = sa_inspect(obj)
        op.versions[state.dict.get("id")] = state.dict.get("version")
        key = f"{obj.__tablename__}/{state.dict.get('id')}"
        after = {name: encode(state.dict.get(name)) for name in _columns(obj)}
        entry = op.changes.setdefault(key, [None, {}])
        entry[1] = after
    for obj in session.dirty:
        if not isinstance(obj, rows.Base):
            continue
        state = sa_inspect(obj)
        op.versions[state.dict.get("id")] = state.dict.get("version")
        if isinstance(obj, rows.ConferenceRow):
            op.touched_conferences[obj.id] = state.dict.get("updated_by") or ""
        elif state.dict.get("conference_id") is not None and op.conference_id is None:
            op.row_conferences.add(state.dict["conference_id"])
        key = f"{obj.__tablename__}/{state.dict.get('id')}"
        columns = _columns(obj)
        # committed_state holds the original value of exactly the attributes changed since the last flush
        for name, original in list(state.committed_state.items()):
            if name not in columns:
                continue
            old = None if original is NO_VALUE else encode(original)
            new = encode(state.dict.get(name))
            if old == new:
                continue
            entry = op.changes.setdefault(key, [{}, {}])
            if entry[0] is not None and name not in entry[0]:
                entry[0][name] = old
            entry[1][name] = new
            if entry[0] is not None and entry[0].get(name) == new:  # changed and changed back
                del entry[0][name], entry[1][name]
                if not entry[1]:
                    del op.changes[key]
    for obj in session.deleted:
        if not isinstance(obj, rows.Base):
            continue
        state = sa_inspect(obj)
        op.versions.pop(state.dict.get("id"), None)
        key = f"{obj.__tablename__}/{state.dict.get('id')}"
        before = {name: encode(state.dict.get(name)) for name in _columns(obj)}
        entry = op.changes.get(key)
        if entry is not None and entry[0] is None:  # added and removed in one operation: nothing happened
            del op.changes[key]
        elif entry is not None:
            entry[0] = {**before, **entry[0]}
            entry[1] = None
        else:
            op.changes[key] = [before, None]


def note(session: Session, *, conference_id: uuid.UUID | None, changes: dict, detail: str = "") -> None:
    """An entry for changes written with Core statements (which the listener cannot see)."""
    op = session.info.get(_INFO_KEY)
    if op is not None:
        op.notes.append({"conference_id": conference_id, "changes": changes, "detail": detail})


# ---------------------------------------------------------------------------------------------------------
# Writing the entry


def _conference_of(op: Operation, changes: dict) -> uuid.UUID | None:
    if op.conference_id is not None:
        return op.conference_id
    for key, (before, after) in changes.items():
        table, _, rid = key.partition("/")
        if table == "conference":
            return uuid.UUID(rid)
        for values in (after, before):
            if values and values.get("conference_id"):
                return uuid.UUID(values["conference_id"])
    if len(op.touched_conferences) == 1:
        return next(iter(op.touched_conferences))
    if len(op.row_conferences) == 1:  # a row that names its conference, changed without touching the conference
        return next(iter(op.row_conferences))
    return None


def _typing_key(op: Operation) -> str | None:
    """The record and field of a keystroke (``table/uuid#field``), when this operation is one."""
    typing = op.typing if op.typing is not None else op.name in TYPING_OPERATIONS
    if not typing or op.notes or len(op.changes) != 1:
        return None
    ((key, (before, after)),) = op.changes.items()
    if before is None or after is None or len(after) != 1:
        return None
    ((name, value),) = after.items()
    if not isinstance(value, str) or not isinstance(before.get(name), str | None):
        return None
    return f"{key}#{name}"


_J = JOURNAL.c
# A keystroke that continues this device's run: one statement, refused (no row) unless the entry is still open
# and still ends with the value the keystroke started from. Built once: SQLAlchemy compiles it once.
_CONTINUE = (
    update(JOURNAL)
    .where(_J.uid == bindparam("b_uid"), _J.closed.is_(False), _J.new_values == bindparam("b_expected"))
    .values(new_values=bindparam("b_new"), last_at=bindparam("b_at"))
)
# PostgreSQL: the same, telling listening windows which conference changed in the same statement (one round trip
# fewer for every keystroke: the notice is sent when the transaction commits, and only if the row was updated).
_CONTINUE_NOTIFY = _CONTINUE.returning(func.pg_notify(bindparam("b_channel"), bindparam("b_cid")))
_OPEN_OF_DEVICE = select(_J.id, _J.uid, _J.who, _J.operation, _J.typing_key, _J.new_values).where(
    _J.device == bindparam("b_device"), _J.closed.is_(False)
)
# Per database and device, the run of typing this process last wrote: (uid, typing key, operation, new_values,
# who). A run is one person's: another person typing on the same device (a second window) starts their own.
# Only a hint: the database's own check in _CONTINUE decides.
_runs: weakref.WeakKeyDictionary[Any, dict[str, tuple[uuid.UUID, str, str, str, str]]] = weakref.WeakKeyDictionary()


def write(session: Session) -> None:
    """Append (or continue) this operation's journal entry: called by the unit of work before it commits."""
    op = session.info.get(_INFO_KEY)
    if op is None or not (op.changes or op.notes or op.event):
        return
    conn = session.connection()
    now = m.utcnow()
    device = (op.device or device_id())[:36]
    op.name = op.name[:64]  # (the column's width: a derived name may be a long function name)
    who = op.who or next((w for w in op.touched_conferences.values() if w), "") or current_user()
    j = _J
    typing_key = _typing_key(op)
    runs = _runs.setdefault(conn.engine, {})
    if typing_key is not None:
        ((key, (before, after)),) = op.changes.items()
        ((name, value),) = after.items()
        expected, new = dumps({key: {name: before.get(name)}}), dumps({key: {name: value}})
        run = runs.get(device)
        if run is not None and run[1:] == (typing_key, op.name, expected, who):
            params = {"b_uid": run[0], "b_expected": expected, "b_new": new, "b_at": now}
            if _continue(conn, params, _conference_of(op, op.changes)):
                runs[device] = (run[0], typing_key, op.name, new, who)
                op.entry = run[0]
                return
    if op.changes:
        open_rows = conn.execute(_OPEN_OF_DEVICE, {"b_device": device}).all()
        if typing_key is not None:
            for row in open_rows:
                if row.typing_key != typing_key or row.operation != op.name or row.who != who:
                    continue
                ended_with = json.loads(row.new_values).get(key, {}).get(name)
                if ended_with != before.get(name):  # somebody changed the field in between: not this run
                    continue
                params = {"b_uid": row.uid, "b_expected": row.new_values, "b_new": new, "b_at": now}
                if not _continue(conn, params, _conference_of(op, op.changes)):
                    continue  # another window of this device closed it since it was read
                runs[device] = (row.uid, typing_key, op.name, new, who)
                op.entry = row.uid
                _close(conn, [r.id for r in open_rows if r.id != row.id])
                return
        # Anything else this device does ends its runs of typing (another window of the device may be closing
        # the same ones at this moment: only those still open are closed, as the journal's guard requires).
        _close(conn, [r.id for r in open_rows])
        touched = [f"{key}#{name}" for key, (b, a) in op.changes.items() for name in (a or b or {})]
        for start in range(0, len(touched), 500):  # another device's run in these fields ends here
            conn.execute(
                update(JOURNAL)
                .where(j.closed.is_(False), j.typing_key.in_(touched[start : start + 500]))
                .values(closed=True)
            )
    runs.pop(device, None)
    entries = []
    if op.changes or op.event:
        entries.append(
            {
                "conference_id": _conference_of(op, op.changes),
                "changes": op.changes,
                "detail": op.detail,
                "typing_key": typing_key,
            }
        )
    entries += op.notes
    for e in entries:
        e["uid"] = uuid.uuid4()
        e["new_values"] = dumps({k: v[1] for k, v in e["changes"].items()})
        if e.get("typing_key"):
            runs[device] = (e["uid"], e["typing_key"], op.name, e["new_values"], who)
    op.entry = entries[0]["uid"] if entries else None
    _notify(conn, [e["conference_id"] for e in entries if e["changes"]])
    conn.execute(
        insert(JOURNAL),
        [
            {
                "uid": e["uid"],
                "at": now,
                "last_at": now,
                "who": who,
                "device": device,
                "operation": op.name,
                "conference_id": e["conference_id"],
                "detail": e["detail"],
                "typing_key": e.get("typing_key"),
                "old_values": dumps({k: v[0] for k, v in e["changes"].items()}),
                "new_values": e["new_values"],
                "closed": e.get("typing_key") is None,
            }
            for e in entries
        ],
    )


def _close(conn, ids: list[int]) -> None:
    if ids:
        conn.execute(update(JOURNAL).where(_J.id.in_(ids), _J.closed.is_(False)).values(closed=True))


def _continue(conn, params: dict, conference_id: uuid.UUID | None) -> bool:
    """Continue an open entry (``_CONTINUE``) and say which conference changed; False if the entry was not
    continued (closed, or no longer ending with the value the keystroke started from)."""
    if conn.dialect.name == "postgresql" and conference_id is not None:
        notified = {"b_channel": CHANNEL, "b_cid": str(conference_id)}
        return len(conn.execute(_CONTINUE_NOTIFY, {**params, **notified}).all()) == 1
    if conn.execute(_CONTINUE, params).rowcount != 1:
        return False
    _notify(conn, [conference_id])
    return True


def _notify(conn, conference_ids: list[uuid.UUID | None]) -> None:
    """PostgreSQL: tell listening windows (services/changes.py) which conferences changed, when this commits.

    The conference row is no longer touched by edits to its other records (its trigger of revision 0006 would
    say nothing of them), so the journal says it, for every change it records."""
    if conn.dialect.name != "postgresql":
        return
    for cid in dict.fromkeys(c for c in conference_ids if c is not None):
        conn.execute(select(func.pg_notify(CHANNEL, str(cid))))


CHANNEL = "chair_changes"  # as in db/versions/0006_change_notify.py and services/changes.py

# The entry the calling thread's last writing unit of work wrote (None: it changed nothing).
_last = threading.local()


def finished(op: Operation) -> None:
    """Called by the unit of work after it commits: remember its entry (None: it wrote none) for ``last_entry``,
    and the versions of the rows it wrote for ``last_versions``."""
    _last.uid, _last.versions = op.entry, op.versions


def last_versions() -> dict[uuid.UUID, int]:
    """Each row the calling thread's last unit of work added or changed: its version now. What a window passes
    as ``seen`` next, after a rule operation (``services/recording``) that returns no ``Written``."""
    return dict(getattr(_last, "versions", {}))


def last_entry() -> uuid.UUID | None:
    """The uid of the journal entry the calling thread's last unit of work wrote or continued (None: it changed
    nothing, or only read). Ask right after the operation: any later unit of work of the thread replaces it."""
    return getattr(_last, "uid", None)


def last_change(session: Session, table: str, record_id: uuid.UUID) -> tuple[str, datetime] | None:
    """Who last changed one record, and when (UTC): the newest journal entry naming it."""
    key = dumps(f"{table}/{record_id}")  # as the key appears in an entry's JSON: "table/uuid"
    j = JOURNAL.c
    stmt = (
        select(j.who, j.last_at)
        .where((j.new_values.contains(key)) | (j.old_values.contains(key)))
        .order_by(j.id.desc())
        .limit(1)
    )
    found = session.connection().execute(stmt).first()
    return (found.who, found.last_at) if found is not None else None


def close_open_entries(session: Session, device: str | None = None) -> int:
    """End this device's run of typing (the window calls this when typing stops being one undo step)."""
    j = JOURNAL.c
    result = session.connection().execute(
        update(JOURNAL).where(j.device == (device or device_id())[:36], j.closed.is_(False)).values(closed=True)
    )
    return result.rowcount


# ---------------------------------------------------------------------------------------------------------
# Reading it


@dataclass(frozen=True)
class Entry:
    id: int
    at: datetime
    last_at: datetime
    who: str
    device: str
    operation: str
    conference_id: uuid.UUID | None
    detail: str
    closed: bool
    old_values: dict[str, dict[str, Any] | None]
    new_values: dict[str, dict[str, Any] | None]

    @property
    def changes(self) -> bool:
        return bool(self.new_values)


def entries(session: Session, conference_id: uuid.UUID) -> list[Entry]:
    """A conference's journal, oldest first."""
    j = JOURNAL.c
    stmt = select(JOURNAL).where(j.conference_id == conference_id).order_by(j.id)
    return [
        Entry(
            r.id,
            r.at,
            r.last_at,
            r.who,
            r.device,
            r.operation,
            r.conference_id,
            r.detail,
            r.closed,
            json.loads(r.old_values),
            json.loads(r.new_values),
        )
        for r in session.connection().execute(stmt)
    ]


# ---------------------------------------------------------------------------------------------------------
# The snapshot taken at sign-off

SNAPSHOT_LISTS = (("children", m.Child), ("people", m.Person), ("plan_history", m.PlanHistory))


def write_snapshot(session: Session, bundle: m.ConferenceBundle) -> None:
    """Keep the shared records as the finalised record shows them today (written once, never changed)."""
    document = {"family": record_json(bundle.family)}
    for name, _cls in SNAPSHOT_LISTS:
        document[name] = [record_json(r) for r in sorted(getattr(bundle, name), key=lambda r: str(r.id))]
    session.connection().execute(
        insert(SNAPSHOT).values(conference_id=bundle.conference.id, taken_at=m.utcnow(), document=dumps(document))
    )


def has_snapshot(session: Session, conference_id: uuid.UUID) -> bool:
    stmt = select(SNAPSHOT.c.conference_id).where(SNAPSHOT.c.conference_id == conference_id)
    return session.connection().execute(stmt).first() is not None


def apply_snapshot(session: Session, bundle: m.ConferenceBundle) -> bool:
    """A finalised conference's shared records as they were at sign-off, in place of today's (when kept)."""
    if bundle.conference.record_status is not RecordStatus.FINALISED:
        return False
    stmt = select(SNAPSHOT.c.document).where(SNAPSHOT.c.conference_id == bundle.conference.id)
    text = session.connection().execute(stmt).scalar()
    if text is None:  # finalised before snapshots were kept (revision 0004 keeps one for those it finds)
        return False
    document = json.loads(text)
    bundle.family = record_from_json(m.Family, document["family"])
    for name, cls in SNAPSHOT_LISTS:
        setattr(bundle, name, [record_from_json(cls, data) for data in document[name]])
    return True
