"""Reading and writing whole conferences, and the lookups services need.

Rows and domain records share their field names, so one pair of functions maps between them; the table
``RECORD_ROWS`` is the single place that says which row class stores which record.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.enums import RecordStatus
from chair_app.domain.errors import NotFound
from chair_app.store import journal, listing
from chair_app.store import models as rows
from chair_app.store.transactions import ConcurrentWrite

R = TypeVar("R", bound=m.Record)

RECORD_ROWS: dict[type[m.Record], type[rows.Base]] = {
    m.Family: rows.FamilyRow,
    m.Child: rows.ChildRow,
    m.Person: rows.PersonRow,
    m.Conference: rows.ConferenceRow,
    m.PlanHistory: rows.PlanHistoryRow,
    m.Invitation: rows.InvitationRow,
    m.ConferenceChild: rows.ConferenceChildRow,
    m.MappingItem: rows.MappingItemRow,
    m.DangerGoalPair: rows.DangerGoalPairRow,
    m.ScaleScore: rows.ScaleScoreRow,
    m.Recommendation: rows.RecommendationRow,
    m.Decision: rows.DecisionRow,
    m.PlanAction: rows.PlanActionRow,
    m.DelayReason: rows.DelayReasonRow,
    m.DocumentRecord: rows.DocumentRecordRow,
    m.Amendment: rows.AmendmentRow,
    m.NetworkLink: rows.NetworkLinkRow,
    m.SharingRestriction: rows.SharingRestrictionRow,
    m.AudienceMark: rows.AudienceMarkRow,
    m.CoreGroup: rows.CoreGroupRow,
    m.CoreGroupProgress: rows.CoreGroupProgressRow,
}

# The bundle lists a conference owns outright (they carry its id), against those it shares with others.
OWNED_LISTS = tuple(
    name
    for name, cls in m.BUNDLE_LISTS
    if "conference_id" in {f.name for f in fields(cls)} and cls is not m.PlanHistory
)
SHARED_LISTS = ("children", "people", "plan_history")


@functools.cache
def _names(cls: type[m.Record]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


def to_record(row: rows.Base, cls: type[R]) -> R:
    return cls(**{name: getattr(row, name) for name in _names(cls)})


def values_of(record: m.Record) -> dict[str, Any]:
    return {name: getattr(record, name) for name in _names(type(record))}


def to_row(record: m.Record) -> rows.Base:
    return RECORD_ROWS[type(record)](**values_of(record))


def get_conference_row(session: Session, ref: str) -> rows.ConferenceRow:
    """Find a conference by its UUID, its short reference (C-1A2B3C) or a unique prefix of its UUID."""
    return session.get_one(rows.ConferenceRow, listing.find_conference_id(session, ref))


def _owned(session: Session, cls: type[R], conference_id: uuid.UUID) -> list[R]:
    row_cls = RECORD_ROWS[cls]
    stmt: Select = select(row_cls).where(row_cls.conference_id == conference_id)  # type: ignore[attr-defined]
    return [to_record(r, cls) for r in session.scalars(stmt)]


def load_bundle(session: Session, conference_id: uuid.UUID) -> m.ConferenceBundle:
    conf_row = session.get(rows.ConferenceRow, conference_id)
    if conf_row is None:
        raise NotFound(f"REF: no conference {m.short_ref(conference_id)}")
    conference = to_record(conf_row, m.Conference)
    family = to_record(session.get_one(rows.FamilyRow, conference.family_id), m.Family)
    bundle = m.ConferenceBundle(conference=conference, family=family)
    for name, cls in m.BUNDLE_LISTS:
        if name in OWNED_LISTS:
            setattr(bundle, name, _owned(session, cls, conference_id))
    bundle.children = [
        to_record(r, m.Child)
        for r in session.scalars(select(rows.ChildRow).where(rows.ChildRow.family_id == family.id))
    ]
    child_ids = [c.id for c in bundle.children]
    bundle.plan_history = [
        to_record(r, m.PlanHistory)
        for r in session.scalars(select(rows.PlanHistoryRow).where(rows.PlanHistoryRow.child_id.in_(child_ids)))
    ]
    person_ids = {i.person_id for i in bundle.invitations}
    person_ids |= {r.person_id for r in bundle.recommendations}
    person_ids |= {x.said_by for x in bundle.mapping_items if x.said_by}
    person_ids |= {s.person_id for s in bundle.scores if s.person_id}
    person_ids |= {n.person_id for n in bundle.network}  # the family network may name people not invited
    bundle.people = [
        to_record(r, m.Person) for r in session.scalars(select(rows.PersonRow).where(rows.PersonRow.id.in_(person_ids)))
    ]
    journal.apply_snapshot(session, bundle)  # a finalised record shows the family as it was at sign-off
    return bundle


def add_bundle(session: Session, bundle: m.ConferenceBundle) -> None:
    """Store a new conference built in memory (the demo, a new conference): the ORM sets versions."""
    session.merge(to_row(bundle.family))
    for name in SHARED_LISTS:
        for record in getattr(bundle, name):
            session.merge(to_row(record))
    session.add(to_row(bundle.conference))
    session.flush()
    for name in OWNED_LISTS:
        session.add_all(to_row(r) for r in getattr(bundle, name))


def replace_bundle(session: Session, bundle: m.ConferenceBundle) -> None:
    """Write an imported conference exactly as the file has it: its versions and timestamps kept."""
    replace_bundles(session, [bundle])


def replace_bundles(
    session: Session,
    bundles: list[m.ConferenceBundle],
    shared_from: list[m.ConferenceBundle] = (),
    *,
    checked: set[uuid.UUID] | None = None,
) -> None:
    """Write imported conferences exactly as their files have them: their versions and timestamps kept.

    Core statements, not the ORM, so that the files' version counters are stored as they are, and one
    statement per table for the whole batch (a clerk's thousand files are a dozen ``executemany`` calls, not
    twenty thousand statements). Shared records (family, children, people, plan history) are written with the
    database's own insert-or-update, only overwriting an older version; the newest copy in the batch wins, and
    two imports writing the same shared records at once both succeed (see ``_upsert_newer``).

    ``checked``: the conferences the caller found stored (and locked, with ``lock_conferences``) and compared
    with their files. A conference another import stored since then, found now or at its insert, raises
    ``ConcurrentWrite``: the caller runs the whole import again, and then finds it stored and judges it by
    the usual rules (unchanged, newer, or refused), rather than overwriting what it never compared.

    ``shared_from``: conferences stored unchanged whose files bring newer shared records; only those are
    written, in the same pass (one pass in one order keeps concurrent imports from deadlocking).
    """
    if not bundles and not shared_from:
        return
    conn = session.connection()  # Core on the session's own transaction: no ORM bookkeeping needed here
    every = [*bundles, *shared_from]
    _upsert_newer(conn, [b.family for b in every])
    _upsert_newer(conn, [c for b in every for c in b.children])
    _upsert_newer(conn, [p for b in every for p in b.people])
    table = rows.ConferenceRow.__table__
    ids = [b.conference.id for b in bundles]
    existing = set()
    for chunk in _chunks(ids):
        existing |= set(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    if checked is not None and existing - checked:
        raise ConcurrentWrite("import: another import stored the same conferences at the same moment")
    replaced = [i for i in ids if i in existing]
    before = _journal_values(conn, replaced)
    for name in reversed(OWNED_LISTS):
        owned = RECORD_ROWS[dict(m.BUNDLE_LISTS)[name]].__table__
        for chunk in _chunks(replaced):
            conn.execute(delete(owned).where(owned.c.conference_id.in_(chunk)))
    # A finalised conference is written as a draft, its rows after it, and finalised last (the guards refuse
    # rows of a record already finalised): so a finalised file goes into a database that never held it.
    finalised = [b for b in bundles if b.conference.record_status is RecordStatus.FINALISED]
    draft = {"record_status": RecordStatus.DRAFT.value}
    for bundle in bundles:
        if bundle.conference.id in existing:
            values = {**values_of(bundle.conference), **draft}
            conn.execute(update(table).where(table.c.id == bundle.conference.id).values(**values))
    new = sorted((b.conference for b in bundles if b.conference.id not in existing), key=lambda c: c.id)
    if new:
        # Insert-if-missing: a conference another import stored a moment ago is left alone, and noticed.
        stmt = _dialect_insert(conn, table).on_conflict_do_nothing(index_elements=["id"]).returning(table.c.id)
        stored = set(conn.execute(stmt, [{**values_of(c), **draft} for c in new]).scalars())
        if len(stored) != len(new):
            raise ConcurrentWrite("import: another import stored the same conferences at the same moment")
    for name in OWNED_LISTS:
        records = [r for b in bundles for r in getattr(b, name)]
        if records:
            conn.execute(insert(RECORD_ROWS[type(records[0])].__table__), [values_of(r) for r in records])
    _upsert_newer(conn, [p for b in every for p in b.plan_history])
    for bundle in finalised:  # (the file's own timestamp kept: an update would stamp it now)
        conn.execute(
            update(table)
            .where(table.c.id == bundle.conference.id)
            .values(record_status=RecordStatus.FINALISED.value, updated_at=bundle.conference.updated_at)
        )
    for bundle in finalised:
        if not journal.has_snapshot(session, bundle.conference.id):
            journal.write_snapshot(session, bundle)  # the shared records as the file's record shows them
    for bundle in bundles:  # one journal entry per conference imported
        cid = bundle.conference.id
        after = {k: v for k, v in journal.record_json(bundle.conference).items() if k not in journal.BOOKKEEPING}
        old = before.get(cid)
        if old is not None:
            after = {k: v for k, v in after.items() if old.get(k) != v}
            old = {k: old.get(k) for k in after}
        journal.note(
            session,
            conference_id=cid,
            changes={f"conference/{cid}": [old, after]},
            detail=f"{'updated' if cid in existing else 'added'} at version {bundle.conference.version}",
        )


def _journal_values(conn: Connection, ids: list[uuid.UUID]) -> dict[uuid.UUID, dict[str, Any]]:
    """The stored conferences' fields as the journal writes them (what an import replaces)."""
    out: dict[uuid.UUID, dict[str, Any]] = {}
    cols = [c for c in rows.ConferenceRow.__table__.c]
    for chunk in _chunks(ids):
        for row in conn.execute(select(*cols).where(rows.ConferenceRow.__table__.c.id.in_(chunk))):
            out[row.id] = {k: journal.encode(v) for k, v in row._mapping.items()}
    return out


def lock_conferences(session: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Start an import's transaction: which of these conferences are stored, locked until it ends.

    PostgreSQL: the stored rows are locked (``FOR UPDATE``, in id order so that two imports never wait on
    each other in a circle), so nobody changes them between the import's comparison and its write.
    SQLite: the transaction takes the database's write lock first (``BEGIN IMMEDIATE``), waiting for another
    writer for up to ``IMPORT_WAIT_MS``: one writer at a time is how SQLite works anyway. PostgreSQL waits
    as long for another import's locks.
    """
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # Waiting for another import of the same conferences is expected, and may take as long as that import:
        # longer limits than an edit's (engine.SERVER_POOL), for this transaction only.
        conn.exec_driver_sql(f"SET LOCAL lock_timeout = {IMPORT_WAIT_MS}")
        conn.exec_driver_sql(f"SET LOCAL statement_timeout = {IMPORT_WAIT_MS}")
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA busy_timeout={IMPORT_WAIT_MS}")
        try:
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        finally:
            conn.exec_driver_sql(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    table = rows.ConferenceRow.__table__
    found: set[uuid.UUID] = set()
    for chunk in _chunks(sorted(ids)):
        stmt = select(table.c.id).where(table.c.id.in_(chunk)).order_by(table.c.id).with_for_update()
        found |= set(conn.execute(stmt).scalars())
    return found


#: How long an import waits for another writer (a big import can take a minute or two), and SQLite's usual
#: wait (engine.py sets it on every connection).
IMPORT_WAIT_MS = 300_000
SQLITE_BUSY_MS = 5_000


def stored_conference_ids(session: Session, ids: list[uuid.UUID]) -> set[uuid.UUID]:
    """Which of these conferences are stored already."""
    table = rows.ConferenceRow.__table__
    found: set[uuid.UUID] = set()
    for chunk in _chunks(ids):
        found |= set(session.connection().execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    return found


def _chunks(items: list, size: int = 500):
    """Bound the parameters of one ``IN (...)``: SQLite and drivers have limits."""
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _dialect_insert(conn: Connection, table):
    """The dialect's own INSERT, which knows ``ON CONFLICT`` (SQLite 3.24+ and PostgreSQL alike)."""
    if conn.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as dialect_insert
    else:
        from sqlalchemy.dialects.sqlite import insert as dialect_insert
    return dialect_insert(table)


def _upsert_newer(conn: Connection, records: list[m.Record]) -> None:
    """Insert the records not stored yet and overwrite those stored at an older version.

    The newest copy of each record in the batch is kept. Records not stored are inserted with
    ``INSERT ... ON CONFLICT (id) DO NOTHING``; then every record stored at an older version (found before,
    or inserted meanwhile by another import) is overwritten by ``UPDATE ... WHERE version < incoming``, which
    the database evaluates row by row under its own lock: two imports writing the same family at once both
    succeed and the newest version wins whichever commits first. Rows go in id order, so concurrent imports
    lock shared rows in the same order and never deadlock on each other.

    Not one ``ON CONFLICT DO UPDATE``: on SQLite that statement fires the guards' BEFORE INSERT trigger for a
    row already held by a finalised record (the guard that stops ``INSERT OR REPLACE``), even when nothing
    would change; a plain UPDATE that matches no row fires nothing.
    """
    if not records:
        return
    newest: dict[uuid.UUID, m.Record] = {}
    for record in records:  # the same child or person may come in several files of one batch
        if record.id not in newest or record.version > newest[record.id].version:
            newest[record.id] = record
    table = RECORD_ROWS[type(records[0])].__table__
    ids = sorted(newest)
    stored = _stored_versions(conn, table, ids)
    fresh = [key for key in ids if key not in stored]
    if fresh:
        stmt = _dialect_insert(conn, table).on_conflict_do_nothing(index_elements=["id"])
        conn.execute(stmt, [values_of(newest[key]) for key in fresh])
        stored |= {k: v for k, v in _stored_versions(conn, table, fresh).items() if v < newest[k].version}
    older = [key for key in ids if key in stored and stored[key] < newest[key].version]
    if older:
        names = [c.name for c in table.columns if c.name != "id"]
        stmt = (
            update(table)
            .where(table.c.id == bindparam("_id"), table.c.version < bindparam("_version"))
            .values({name: bindparam(f"_v_{name}") for name in names})
        )
        rows_ = []
        for key in older:
            values = values_of(newest[key])
            rows_.append({"_id": key, "_version": values["version"], **{f"_v_{n}": values[n] for n in names}})
        conn.execute(stmt, rows_)


def _stored_versions(conn: Connection, table, ids: list[uuid.UUID]) -> dict[uuid.UUID, int]:
    found: dict[uuid.UUID, int] = {}
    for chunk in _chunks(ids):
        for key, version in conn.execute(select(table.c.id, table.c.version).where(table.c.id.in_(chunk))):
            found[key] = version
    return found


# The conference list and reference look-ups are Core queries in store/listing.py: no ORM objects needed.
ListRow = listing.ListRow
list_conferences = listing.list_conferences
