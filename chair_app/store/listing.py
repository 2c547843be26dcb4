"""The conference list and reference look-up, as Core queries that need no ORM objects.

`chair-app list` and the window's list read only the columns they show, so they need neither SQLAlchemy's ORM
nor the mapped classes of store/models.py (building them is about a quarter of a short command's time). The
tables are named here as lightweight table clauses; tests/integration run every query here on both databases,
so a column renamed in the schema fails them.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from sqlalchemy import Date, Select, String, Text, Time, Uuid, column, func, or_, select, table, type_coerce

from chair_app.domain import model as m
from chair_app.domain.enums import ConferenceStatus, MeetingKind, RecordStatus
from chair_app.domain.errors import ChairError, NotFound

conference = table(
    "conference",
    column("id", Uuid),
    column("family_id", Uuid),
    column("held_on", Date),
    column("start_time", Time),
    column("kind", String),
    column("status", String),
    column("record_status", String),
    column("chair", Text),
)
family = table("family", column("id", Uuid), column("name", Text))
child = table("child", column("family_id", Uuid), column("forename", Text), column("surname", Text))


def find_conference_id(connection, ref: str) -> uuid.UUID:
    """The id of the conference ``ref`` names: its UUID, its short reference (C-1A2B3C) or a unique prefix of
    its UUID. ``connection`` is a Connection or a Session."""
    text = ref.strip()
    c = conference.c
    try:
        whole = uuid.UUID(text)
    except ValueError:
        whole = None
    if whole is not None and connection.execute(select(c.id).where(c.id == whole)).first() is not None:
        return whole
    prefix = text.upper().removeprefix("C-").replace("-", "").lower()
    if not 4 <= len(prefix) <= 32 or any(ch not in "0123456789abcdef" for ch in prefix):
        raise NotFound(f"REF: no conference {ref!r}; use the reference shown by `chair-app list`")
    matches = connection.execute(_with_prefix(prefix).limit(2)).scalars().all()
    if not matches:
        raise NotFound(f"REF: no conference {ref!r}; use the reference shown by `chair-app list`")
    if len(matches) > 1:
        count = connection.execute(select(func.count()).select_from(_with_prefix(prefix).subquery())).scalar()
        raise NotFound(f"REF: {ref!r} matches {count} conferences; give more of the reference")
    return matches[0]


def _with_prefix(prefix: str) -> Select:
    """Conference ids starting with the hex digits ``prefix``, as a range on the primary key's index: UUIDs
    sort as their hex digits on both databases (SQLite stores the 32 digits as text; PostgreSQL compares the
    16 bytes in order), so the ids with a prefix are those from prefix-000... to prefix-fff... ."""
    c = conference.c
    low, high = uuid.UUID(prefix.ljust(32, "0")), uuid.UUID(prefix.ljust(32, "f"))
    return select(c.id).where(c.id >= low, c.id <= high).order_by(c.id)


@dataclass(frozen=True)
class ListRow:
    """One conference as the list shows it: only the columns the list needs."""

    id: uuid.UUID
    held_on: date
    start_time: time | None
    kind: MeetingKind
    chair: str
    status: ConferenceStatus
    record_status: RecordStatus
    family: str
    children: tuple[str, ...]

    @property
    def ref(self) -> str:
        return m.short_ref(self.id)


_WHOLE_AGGREGATE = 2000  # families in a list above which one pass over every child is cheaper than lookups
_NAME_SEP = "\x1f"  # between children's names in the aggregated column: never typed into a name


def list_conferences(
    connection,
    search: str = "",
    *,
    from_day: date | None = None,
    before_day: date | None = None,
    newest_first: bool = False,
    limit: int | None = None,
    offset: int = 0,
) -> list[ListRow]:
    """Conferences with their family name and children's names, soonest first, filtered by ``search``.

    Reads only the listed columns; the children's names are aggregated by the database (group_concat on
    SQLite, string_agg on PostgreSQL) for the families on the page only. ``from_day``, ``before_day``,
    ``newest_first``, ``limit`` and ``offset`` read one page (the list shows today's and the latest first, then
    fetches the rest). ``connection`` is a Connection or a Session.
    """
    c, f, k = conference.c, family.c, child.c
    raw = [type_coerce(col, String) for col in (c.id, c.held_on, c.start_time, c.kind, c.status, c.record_status)]
    base = select(*raw, c.chair, f.name, type_coerce(c.family_id, String)).join(family, f.id == c.family_id)
    stmt = base
    needle = search.strip()
    if needle:
        like = f"%{needle}%"
        child_match = select(k.family_id).where(or_(k.forename.ilike(like), k.surname.ilike(like)))
        stmt = stmt.where(or_(f.name.ilike(like), c.chair.ilike(like), f.id.in_(child_match)))
    if from_day is not None:
        stmt = stmt.where(c.held_on >= from_day)
    if before_day is not None:
        stmt = stmt.where(c.held_on < before_day)
    order = (c.held_on, c.start_time, c.id)
    stmt = stmt.order_by(*(o.desc() for o in order) if newest_first else order).offset(offset or None).limit(limit)
    result = connection.execute(stmt).all()
    if needle and not result:
        # A reference typed into the search box.
        try:
            found = find_conference_id(connection, needle)
        except ChairError:
            return []
        result = connection.execute(base.where(c.id == found)).all()
    families = {family_id for *_, family_id in result}
    names = _children_names(connection, families, whole=len(families) > _WHOLE_AGGREGATE)
    # Converted here rather than by the column types: ten times faster for a list of 10,000 (see performance.md).
    return [
        ListRow(
            _as(uuid.UUID, cid),
            _as(date.fromisoformat, held_on),
            _as(time.fromisoformat, start) if start is not None else None,
            MeetingKind(kind),
            chair or "",
            ConferenceStatus(status),
            RecordStatus(record_status),
            family_name,
            names.get(family_id, ()),
        )
        for cid, held_on, start, kind, status, record_status, chair, family_name, family_id in result
    ]


def _children_names(connection, family_ids: set, *, whole: bool) -> dict[Any, tuple[str, ...]]:
    """Each family's children's names (sorted), aggregated by the database over the given families only, found
    through the index on ``child.family_id``; ``whole`` (a long list, usually most families) aggregates every
    family in one pass instead."""
    k = child.c
    stmt = select(type_coerce(k.family_id, String), func.aggregate_strings(k.forename + " " + k.surname, _NAME_SEP))
    if whole:
        found = connection.execute(stmt.group_by(k.family_id)).all()
    else:
        found = []
        ids = sorted(family_ids, key=str)
        for first in range(0, len(ids), 500):
            keys = [uuid.UUID(i) if isinstance(i, str) else i for i in ids[first : first + 500]]
            found += connection.execute(stmt.where(k.family_id.in_(keys)).group_by(k.family_id)).all()
    return {family_id: tuple(sorted(kids.split(_NAME_SEP))) for family_id, kids in found if kids}


def _as(parse, value):
    """A value read as text (SQLite) parsed, or one the driver already typed (PostgreSQL) kept."""
    return parse(value) if isinstance(value, str) else value
