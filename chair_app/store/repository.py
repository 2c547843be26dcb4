"""Reading and writing whole conferences, and the lookups services need.

Rows and domain records share their field names, so one pair of functions maps between them; the table
``RECORD_ROWS`` is the single place that says which row class stores which record.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Connection, Select, delete, insert, select, update
from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.errors import NotFound
from chair_app.store import listing
from chair_app.store import models as rows

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
    bundle.people = [
        to_record(r, m.Person) for r in session.scalars(select(rows.PersonRow).where(rows.PersonRow.id.in_(person_ids)))
    ]
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


def replace_bundles(session: Session, bundles: list[m.ConferenceBundle]) -> None:
    """Write imported conferences exactly as their files have them: their versions and timestamps kept.

    Core statements, not the ORM, so that the files' version counters are stored as they are, and one
    statement per table for the whole batch (a clerk's thousand files are a dozen ``executemany`` calls, not
    twenty thousand statements). Shared records (family, children, people, plan history) are only
    overwritten by a newer version; the newest copy in the batch wins.
    """
    if not bundles:
        return
    conn = session.connection()  # Core on the session's own transaction: no ORM bookkeeping needed here
    _upsert_newer(conn, [b.family for b in bundles])
    _upsert_newer(conn, [c for b in bundles for c in b.children])
    _upsert_newer(conn, [p for b in bundles for p in b.people])
    table = rows.ConferenceRow.__table__
    ids = [b.conference.id for b in bundles]
    existing = set()
    for chunk in _chunks(ids):
        existing |= set(conn.execute(select(table.c.id).where(table.c.id.in_(chunk))).scalars())
    replaced = [i for i in ids if i in existing]
    for name in reversed(OWNED_LISTS):
        owned = RECORD_ROWS[dict(m.BUNDLE_LISTS)[name]].__table__
        for chunk in _chunks(replaced):
            conn.execute(delete(owned).where(owned.c.conference_id.in_(chunk)))
    for bundle in bundles:
        if bundle.conference.id in existing:
            conn.execute(update(table).where(table.c.id == bundle.conference.id).values(**values_of(bundle.conference)))
    new = [values_of(b.conference) for b in bundles if b.conference.id not in existing]
    if new:
        conn.execute(insert(table), new)
    for name in OWNED_LISTS:
        records = [r for b in bundles for r in getattr(b, name)]
        if records:
            conn.execute(insert(RECORD_ROWS[type(records[0])].__table__), [values_of(r) for r in records])
    _upsert_newer(conn, [p for b in bundles for p in b.plan_history])


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


def _upsert_newer(conn: Connection, records: list[m.Record]) -> None:
    """Insert the records not stored yet and overwrite those stored at an older version, in few statements."""
    if not records:
        return
    newest: dict[uuid.UUID, m.Record] = {}
    for record in records:  # the same child or person may come in several files of one batch
        if record.id not in newest or record.version > newest[record.id].version:
            newest[record.id] = record
    table = RECORD_ROWS[type(records[0])].__table__
    stored: dict[uuid.UUID, int] = {}
    for chunk in _chunks(list(newest)):
        stored.update(conn.execute(select(table.c.id, table.c.version).where(table.c.id.in_(chunk))).all())
    new = [values_of(r) for r in newest.values() if r.id not in stored]
    if new:
        conn.execute(insert(table), new)
    for record in newest.values():
        if record.id in stored and record.version > stored[record.id]:
            conn.execute(update(table).where(table.c.id == record.id).values(**values_of(record)))


# The conference list and reference look-ups are Core queries in store/listing.py: no ORM objects needed.
ListRow = listing.ListRow
list_conferences = listing.list_conferences
