"""Merging a conference file into a stored conference by the journal (issue 11, "Files merge").

A conference file carries its conference's journal. The entries in the file that this database does not hold
are *theirs*; the entries here that the file does not hold are *mine*; what both hold is common history. An
import's own entries are left out of both: they only repeat entries that came with a file and are now held on
both sides. Per record and field, with M the stored value and T the file's:

- M == T: nothing to do.
- only theirs changed the field: T lands; only mine changed it: M stays.
- both changed it: a conflict, listed with who and when on each side and left for a person to choose; except
  document records (printing), where the later change stands.
- neither side's journal explains the difference (files or data from before the journal): for the records the
  family shares between its conferences (family, children, people, plan history) the newer record version
  wins, as it always did; for the conference's own records it is a conflict.

Records added on one side are added; a record removed on one side is removed unless the other side changed it
since, which is a conflict (the whole record). The changes are made through the ORM, so the journal records
the import as one entry per conference; the file's new entries are appended with their own uid, who, when and
device. Nothing here opens a unit of work: ``services.conferences.import_files`` does.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field, fields
from datetime import datetime
from enum import Enum
from typing import Any, Literal

from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.enums import RecordStatus
from chair_app.domain.errors import ChairError, InvalidInput, RecordFinalised
from chair_app.domain.history import IMPORT_OPERATION, CarriedEntry
from chair_app.exchange.conference_file import ConferenceFile
from chair_app.store import journal
from chair_app.store import journal_exchange as jx
from chair_app.store import repository as repo

Choice = Literal["mine", "theirs"]
CHOICES: tuple[Choice, ...] = ("mine", "theirs")

_TABLES = {cls: row.__tablename__ for cls, row in repo.RECORD_ROWS.items()}
_CLASSES = {name: cls for cls, name in _TABLES.items()}
SHARED_TABLES = frozenset({"family", "child", "person", "plan_history"})
#: Printing and saving add document records; both sides' copies are kept and never listed as conflicts.
NEVER_CONFLICT = frozenset({"document_record"})
#: Records a finalised conference may still be given (its guards allow appending these, nothing else).
APPENDABLE_WHEN_FINAL = frozenset({"document_record", "amendment"})
_ORDER = ["conference", "family", *(_TABLES[cls] for _, cls in m.BUNDLE_LISTS)]
_IGNORED = journal.BOOKKEEPING | {"id"}


# ---------------------------------------------------------------------------------------------------------
# What a merge found


@dataclass(frozen=True)
class Side:
    """One side of a conflict: the value (None for a record removed or absent) and who changed it, when."""

    value: Any
    who: str
    at: datetime | None
    removed: bool = False


@dataclass
class MergeConflict:
    number: int  # as printed, and as given back to --resolve (numbered across one import)
    conference_ref: str
    key: str  # "table/uuid"
    field: str | None  # None: the whole record (removed on one side, changed on the other)
    mine: Side
    theirs: Side

    @property
    def record(self) -> str:
        table, _, rid = self.key.partition("/")
        return f"{table.replace('_', ' ')} {rid[:8]}"

    @property
    def kind(self) -> Any:
        """The field's type (str, date, an enum...), or None for a whole record."""
        if self.field is None:
            return None
        cls = _CLASSES.get(self.key.partition("/")[0])
        return m.field_types(cls).get(self.field, (None, False))[0] if cls else None

    @property
    def field_words(self) -> str:
        return "whole record" if self.field is None else self.field.replace("_", " ")


class MergeConflicts(ChairError):
    """The same fields were changed differently on both sides: nothing imported until someone chooses."""

    def __init__(self, conflicts: list[MergeConflict], unknown: list[str] = ()) -> None:
        self.conflicts = conflicts
        count = len(conflicts)
        super().__init__(
            f"import: {count} conflict{'s' if count != 1 else ''} (the same field changed differently here and in "
            "the file), so nothing was imported; choose with --resolve ID=mine|theirs or --resolve-all mine|theirs"
        )


@dataclass
class Plan:
    """What merging one file into its stored conference would do."""

    conference_id: uuid.UUID
    ref: str
    stored: m.ConferenceBundle
    incoming: m.ConferenceBundle
    assign: dict[str, dict[str, Any]] = field(default_factory=dict)  # key -> field -> the file's value
    add: dict[str, m.Record] = field(default_factory=dict)  # key -> the file's record
    remove: set[str] = field(default_factory=set)
    conflicts: list[MergeConflict] = field(default_factory=list)
    append: list[CarriedEntry] = field(default_factory=list)  # the file's entries this database lacks
    # The file's record was signed off and this copy is a draft: what this copy changed since would change a
    # signed-off record, so it is a conflict too (keep the record as signed off, or this copy's change).
    signed_off_there: bool = False

    @property
    def changes(self) -> bool:
        return bool(self.assign or self.add or self.remove)


# ---------------------------------------------------------------------------------------------------------
# Reading the stored side


def load_stored(
    session: Session, ids: list[uuid.UUID], incoming: list[m.ConferenceBundle] = ()
) -> dict[uuid.UUID, m.ConferenceBundle]:
    """Stored conferences as ``repository.load_bundle`` gives them, read with one query per table for them all.

    (A clerk's thousand files: a few dozen Core queries, not fifteen thousand ORM loads.) A stored row at the
    same version and time stamp as the same record in ``incoming`` (the files) is that record: it is taken
    from the file and only the rows that differ are read whole.
    """
    known = {r.id: r for b in incoming for r in _records(b).values()}
    out: dict[uuid.UUID, m.ConferenceBundle] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        confs = _rows(session, m.Conference, "id", chunk, known)
        families = {f.id: f for f in _rows(session, m.Family, "id", list({c.family_id for c in confs}), known)}
        bundles = {c.id: m.ConferenceBundle(conference=c, family=families[c.family_id]) for c in confs}
        for name, cls in m.BUNDLE_LISTS:
            if name in repo.OWNED_LISTS:
                for record in _rows(session, cls, "conference_id", chunk, known):
                    getattr(bundles[record.conference_id], name).append(record)
        children: dict[uuid.UUID, list[m.Child]] = {}
        for child in _rows(session, m.Child, "family_id", list(families), known):
            children.setdefault(child.family_id, []).append(child)
        plans: dict[uuid.UUID, list[m.PlanHistory]] = {}
        child_ids = [c.id for group in children.values() for c in group]
        for plan_ in _rows(session, m.PlanHistory, "child_id", child_ids, known):
            plans.setdefault(plan_.child_id, []).append(plan_)
        wanted: dict[uuid.UUID, set[uuid.UUID]] = {}
        for b in bundles.values():
            b.children = list(children.get(b.family.id, []))
            b.plan_history = [p for c in b.children for p in plans.get(c.id, [])]
            who = {i.person_id for i in b.invitations} | {r.person_id for r in b.recommendations}
            who |= {x.said_by for x in b.mapping_items if x.said_by} | {s.person_id for s in b.scores if s.person_id}
            wanted[b.conference.id] = who
        everyone = list(set().union(*wanted.values()))
        people = {p.id: p for p in _rows(session, m.Person, "id", everyone, known)}
        for cid, b in bundles.items():
            b.people = [people[p] for p in wanted[cid] if p in people]
            journal.apply_snapshot(session, b)  # a finalised record shows the family as it was at sign-off
        out.update(bundles)
    return out


def _rows(session: Session, cls: type[m.Record], column: str, values: list, known: dict | None = None) -> list:
    """Records of ``cls`` whose ``column`` is one of ``values``; those in ``known`` at the same version and time
    stamp (to the millisecond, as files carry them) are taken from there, the rest read whole."""
    from sqlalchemy import select

    table = repo.RECORD_ROWS[cls].__table__
    conn = session.connection()
    found, whole = [], []
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        if not known:
            stmt = select(table).where(table.c[column].in_(chunk))
            found += [cls(**row._mapping) for row in conn.execute(stmt)]
            continue
        stmt = select(table.c.id, table.c.version, table.c.updated_at).where(table.c[column].in_(chunk))
        for rid, version, stamp in conn.execute(stmt):
            record = known.get(rid)
            if type(record) is cls and record.version == version and _ms(record.updated_at) == _ms(stamp):
                found.append(record)
            else:
                whole.append(rid)
    for start in range(0, len(whole), 500):
        stmt = select(table).where(table.c.id.in_(whole[start : start + 500]))
        found += [cls(**row._mapping) for row in conn.execute(stmt)]
    return found


def _ms(stamp: datetime | None) -> datetime | None:
    return stamp.replace(microsecond=stamp.microsecond // 1000 * 1000) if stamp is not None else None


# ---------------------------------------------------------------------------------------------------------
# Working it out


def _records(bundle: m.ConferenceBundle) -> dict[str, m.Record]:
    out: dict[str, m.Record] = {f"conference/{bundle.conference.id}": bundle.conference}
    out[f"family/{bundle.family.id}"] = bundle.family
    for name, _cls in m.BUNDLE_LISTS:
        for record in getattr(bundle, name):
            out[f"{_TABLES[type(record)]}/{record.id}"] = record
    return out


def _values(record: m.Record) -> dict[str, Any]:
    return {k: v for k, v in journal.record_json(record).items() if k not in _IGNORED}


@dataclass
class _Changed:
    """What one side's entries changed since the common history: the last entry per field and per record."""

    fields: dict[str, dict[str, CarriedEntry]] = field(default_factory=dict)
    records: dict[str, CarriedEntry] = field(default_factory=dict)  # any change at all to the record
    removed: dict[str, CarriedEntry] = field(default_factory=dict)
    ever: dict[str, dict[str, CarriedEntry]] = field(default_factory=dict)  # the same over all entries
    base: dict[str, dict[str, Any]] = field(default_factory=dict)  # each field's value before the first change

    @classmethod
    def of(cls, entries: list[CarriedEntry]) -> _Changed:
        changed = cls()
        for entry in entries:
            if entry.operation == IMPORT_OPERATION:
                continue
            for key, (names, _added, removed) in entry.touched().items():
                per_field = changed.fields.setdefault(key, {})
                before = entry.old_values.get(key)
                base = changed.base.setdefault(key, {})
                for name in names:
                    per_field[name] = entry
                    if before is not None and name in before:
                        base.setdefault(name, before[name])
                changed.records[key] = entry
                if removed:
                    changed.removed[key] = entry
                else:
                    changed.removed.pop(key, None)
        return changed


def _side(value: Any, entry: CarriedEntry | None, record: m.Record | None, removed: bool = False) -> Side:
    if entry is not None:
        return Side(value, entry.who, entry.last_at, removed)
    who = getattr(record, "updated_by", "") or "not recorded"
    return Side(value, who, getattr(record, "updated_at", None), removed)


def plan(session: Session, incoming: ConferenceFile, stored: m.ConferenceBundle) -> Plan:
    """Compare a file (with its journal) and the stored conference, field by field; change nothing."""
    assert incoming.journal is not None
    theirs_bundle = incoming.bundle
    cid = stored.conference.id
    out = Plan(cid, m.short_ref(cid), stored, theirs_bundle)
    mine_entries = jx.conference_entries(session, cid)
    held = jx.held_uids(session, [e.uid for e in incoming.journal])
    in_file = {e.uid: e.last_at for e in incoming.journal}
    theirs_new = [e for e in incoming.journal if e.uid not in held or held[e.uid] < e.last_at]
    out.append = [e for e in incoming.journal if e.uid not in held]
    mine_new = [e for e in mine_entries if e.uid not in in_file or in_file[e.uid] < e.last_at]
    mine, theirs = _Changed.of(mine_new), _Changed.of(theirs_new)
    # Who last wrote each field on each side at all: named in a conflict neither side's new entries explain
    # (two copies that each kept their own value in an earlier conflict, or data from before the journal).
    mine.ever, theirs.ever = _Changed.of(mine_entries).fields, _Changed.of(incoming.journal).fields

    out.signed_off_there = (
        theirs_bundle.conference.record_status is RecordStatus.FINALISED
        and stored.conference.record_status is not RecordStatus.FINALISED
    )
    here, there = _records(stored), _records(theirs_bundle)
    for key in sorted(here.keys() | there.keys(), key=lambda k: (_ORDER.index(k.partition("/")[0]), k)):
        table = key.partition("/")[0]
        m_rec, t_rec = here.get(key), there.get(key)
        if m_rec is not None and t_rec is not None:
            _compare(out, key, table, m_rec, t_rec, mine, theirs)
        elif t_rec is not None:  # only in the file
            if key in mine.removed and key in theirs.records:
                out.conflicts.append(
                    MergeConflict(
                        0,
                        out.ref,
                        key,
                        None,
                        _side(None, mine.removed[key], None, removed=True),
                        _side(_values(t_rec), theirs.records[key], t_rec),
                    )
                )
            elif key not in mine.removed:
                out.add[key] = t_rec
            elif out.signed_off_there and table not in SHARED_TABLES:  # removed here, kept in the signed-off one
                out.conflicts.append(
                    MergeConflict(
                        0,
                        out.ref,
                        key,
                        None,
                        _side(None, mine.removed[key], None, removed=True),
                        _side(_values(t_rec), theirs.ever.get(key, {}).get("id"), t_rec),
                    )
                )
        elif m_rec is not None and table not in SHARED_TABLES and key in theirs.removed:  # only here
            if key in mine.records:
                out.conflicts.append(
                    MergeConflict(
                        0,
                        out.ref,
                        key,
                        None,
                        _side(_values(m_rec), mine.records[key], m_rec),
                        _side(None, theirs.removed[key], None, removed=True),
                    )
                )
            else:
                out.remove.add(key)
        elif m_rec is not None and out.signed_off_there and _own_final(table) and key in mine.records:
            out.conflicts.append(  # added (or changed) here, not in the record as signed off
                MergeConflict(
                    0,
                    out.ref,
                    key,
                    None,
                    _side(_values(m_rec), mine.records[key], m_rec),
                    _side(None, None, theirs_bundle.conference, removed=True),
                )
            )
    return out


@functools.cache
def _compared(cls: type[m.Record]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name not in _IGNORED)


def _compare(out: Plan, key: str, table: str, m_rec, t_rec, mine: _Changed, theirs: _Changed) -> None:
    if m_rec is t_rec:  # stored at the file's version and time stamp (see load_stored)
        return
    differ = [n for n in _compared(type(m_rec)) if getattr(m_rec, n) != getattr(t_rec, n)]  # native values: cheap
    if not differ:
        return
    m_vals, t_vals = _values(m_rec), _values(t_rec)
    mine_f, theirs_f = mine.fields.get(key, {}), theirs.fields.get(key, {})
    for name in differ:
        if m_vals[name] == t_vals.get(name):
            continue
        m_by, t_by = mine_f.get(name), theirs_f.get(name)
        # a field changed and changed back on one side is not that side's change
        if m_by is not None and name in mine.base.get(key, {}) and mine.base[key][name] == m_vals[name]:
            m_by = None
        if t_by is not None and name in theirs.base.get(key, {}) and theirs.base[key][name] == t_vals.get(name):
            t_by = None
        if t_by is not None and m_by is None:
            take = True
        elif m_by is not None and t_by is None:
            if out.signed_off_there and _own_final(table):  # this copy's change to a record signed off there
                out.conflicts.append(
                    MergeConflict(
                        0,
                        out.ref,
                        key,
                        name,
                        _side(m_vals[name], m_by, m_rec),
                        _side(t_vals[name], theirs.ever.get(key, {}).get(name), t_rec),
                    )
                )
                continue
            take = False
        elif m_by is not None and t_by is not None:
            if table not in NEVER_CONFLICT:
                out.conflicts.append(
                    MergeConflict(
                        0, out.ref, key, name, _side(m_vals[name], m_by, m_rec), _side(t_vals.get(name), t_by, t_rec)
                    )
                )
                continue
            take = t_by.last_at > m_by.last_at  # printing on both sides: the later note of it stands
        elif table in SHARED_TABLES or table in NEVER_CONFLICT:
            take = t_rec.version > m_rec.version  # changed through another conference, or before the journal
        else:
            m_by, t_by = mine.ever.get(key, {}).get(name), theirs.ever.get(key, {}).get(name)
            out.conflicts.append(
                MergeConflict(0, out.ref, key, name, _side(m_vals[name], m_by, m_rec), _side(t_vals[name], t_by, t_rec))
            )
            continue
        if take:
            out.assign.setdefault(key, {})[name] = getattr(t_rec, name)


def number(plans: list[Plan]) -> list[MergeConflict]:
    """Number every conflict of an import, in file order, from 1: the IDs a person gives back to choose."""
    every = [c for p in plans for c in p.conflicts]
    for i, conflict in enumerate(every, start=1):
        conflict.number = i
    return every


def parse_resolutions(
    texts: list[str] | None, every: Choice | str | None, conflicts: list[MergeConflict]
) -> dict[int, Choice]:
    """``--resolve ID=mine|theirs`` (repeatable) and ``--resolve-all``: each conflict's choice, checked."""
    chosen: dict[int, Choice] = {}
    if every is not None:
        if every not in CHOICES:
            raise InvalidInput(f"--resolve-all: give mine or theirs, not {every!r}")
        chosen = {c.number: every for c in conflicts}  # type: ignore[misc]
    numbers = {c.number for c in conflicts}
    for text in texts or []:
        ident, sep, choice = text.partition("=")
        ident, choice = ident.strip(), choice.strip().lower()
        if not sep or choice not in CHOICES or not ident.isdigit():
            raise InvalidInput(f"--resolve: give ID=mine or ID=theirs with an ID as listed, not {text!r}")
        if int(ident) not in numbers:
            raise InvalidInput(
                f"--resolve: there is no conflict {ident} (this import has {len(numbers)}); import without "
                "--resolve to see the list"
            )
        chosen[int(ident)] = choice  # type: ignore[assignment]
    return chosen


# ---------------------------------------------------------------------------------------------------------
# Applying it


def resolve(out: Plan, chosen: dict[int, Choice]) -> None:
    """Fold the chosen side of each conflict into the plan; refuse while any is left unchosen."""
    open_ = [c for c in out.conflicts if c.number not in chosen]
    if open_:
        raise MergeConflicts(open_)
    there = _records(out.incoming)
    for conflict in out.conflicts:
        if chosen[conflict.number] == "mine":
            continue
        if conflict.field is not None:
            out.assign.setdefault(conflict.key, {})[conflict.field] = getattr(there[conflict.key], conflict.field)
        elif conflict.theirs.removed:
            out.remove.add(conflict.key)
        else:
            out.add[conflict.key] = there[conflict.key]


def _own_final(table: str) -> bool:
    """Whether a change to a row of this table changes a finalised record (not shared, not appendable)."""
    return table not in SHARED_TABLES and table not in APPENDABLE_WHEN_FINAL


def _finalised_refusal(out: Plan) -> None:
    if out.stored.conference.record_status is not RecordStatus.FINALISED:
        return
    touched = [(k, n) for k, names in out.assign.items() for n in names if k.partition("/")[0] not in SHARED_TABLES]
    touched += [(k, None) for k in out.remove]
    touched += [(k, None) for k in out.add if k.partition("/")[0] not in SHARED_TABLES | APPENDABLE_WHEN_FINAL]
    if touched:
        key, name = touched[0]
        table, _, rid = key.partition("/")
        what = f"{table.replace('_', ' ')} {rid[:8]}" + (f", {name.replace('_', ' ')}" if name else "")
        raise RecordFinalised(
            f"import: conference {out.ref} is finalised here and the file changes it ({what}); finalised "
            "records are changed only by amendments, so nothing was imported"
        )


def apply(session: Session, out: Plan) -> bool:
    """Make the plan's changes through the ORM (journaled as one import entry) and append the file's entries.

    Returns whether any record changed. The caller resolved the conflicts first (``resolve``).
    """
    _finalised_refusal(out)
    rows_of = repo.RECORD_ROWS
    finalising = False
    shared = [k for k in (*out.add, *out.assign) if k.partition("/")[0] in SHARED_TABLES]
    for key in sorted(set(shared), key=lambda k: _ORDER.index(k.partition("/")[0])):
        table, _, rid = key.partition("/")
        row = session.get(rows_of[_CLASSES[table]], uuid.UUID(rid))
        if key in out.add:
            record = out.add[key]
            if row is None:
                session.add(repo.to_row(record))
            elif record.version > row.version:  # stored for another conference of the family
                for name, value in repo.values_of(record).items():
                    if name not in _IGNORED:
                        setattr(row, name, value)
        elif row is not None:
            for name, value in out.assign[key].items():
                setattr(row, name, value)
        session.flush()
    for key in sorted(out.remove, key=lambda k: -_ORDER.index(k.partition("/")[0])):
        table, _, rid = key.partition("/")
        row = session.get(rows_of[_CLASSES[table]], uuid.UUID(rid))
        if row is not None:
            session.delete(row)
            session.flush()
    for key, values in out.assign.items():
        table, _, rid = key.partition("/")
        if table in SHARED_TABLES:
            continue
        row = session.get(rows_of[_CLASSES[table]], uuid.UUID(rid))
        for name, value in values.items():
            if table == "conference" and name == "record_status" and value is RecordStatus.FINALISED:
                finalising = True  # last: the guards refuse changes to a finalised record's rows
                continue
            setattr(row, name, value)
    session.flush()
    for key in sorted(out.add, key=lambda k: _ORDER.index(k.partition("/")[0])):
        if key.partition("/")[0] not in SHARED_TABLES:
            session.add(repo.to_row(out.add[key]))
            session.flush()
    if finalising:
        row = session.get(rows_of[m.Conference], out.conference_id)
        if not journal.has_snapshot(session, out.conference_id):
            journal.write_snapshot(session, out.incoming)  # the shared records as the signed-off file shows them
        row.record_status = RecordStatus.FINALISED
        session.flush()
    op = journal.operation_of(session)
    changed = out.changes
    if op is not None:  # this conference's share of the import: its own entry, whatever else the import does
        changes, op.changes = op.changes, {}
        detail = f"merged {len(out.append)} entries from a file" + (", changes applied" if changed else "")
        journal.note(session, conference_id=out.conference_id, changes=changes, detail=detail)
    jx.append_entries(session, out.conference_id, out.append)
    return changed


# ---------------------------------------------------------------------------------------------------------
# As text (the CLI's refusal)


def shown_value(side: Side, limit: int = 60, kind: Any = None) -> str:
    """A conflict's value on one line, as a person reads it: text quoted and cut to ``limit``, dates as
    dd/mm/yyyy, yes or no, codes as words. ``kind`` is the field's type (see ``MergeConflict.kind``)."""
    from datetime import date as day

    from chair_app.domain.dates import uk_date

    if side.removed:
        return "(removed)"
    value = side.value
    if isinstance(value, dict):
        return "(the whole record, changed)"
    if value is None or value in ("", []):
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        text = ", ".join(str(v) for v in value)
    elif kind is day and isinstance(value, str):
        text = uk_date(day.fromisoformat(value))
    elif isinstance(kind, type) and issubclass(kind, Enum):
        text = str(value).replace("_", " ")
    elif kind is datetime and isinstance(value, str):
        text = f"{datetime.fromisoformat(value.replace('Z', '+00:00')):%d/%m/%Y %H:%M} UTC"
    else:
        text = str(value)
    text = "".join(ch if ch.isprintable() else " " for ch in text)
    if len(text) > limit:
        text = text[: limit - 3] + "..."
    quoted = isinstance(value, str) and kind in (None, str)
    return f'"{text}"' if quoted else text


def shown_by(side: Side) -> str:
    who = "".join(ch if ch.isprintable() else "?" for ch in side.who)[:60]
    return f"{who}, {side.at:%d/%m/%Y %H:%M} UTC" if side.at else who


def conflict_lines(conflicts: list[MergeConflict]) -> list[str]:
    """The list a refused import prints: ID, conference, record and field, then mine and theirs with who, when."""
    lines = ["Conflicts (the same field changed differently here and in the file):"]
    for c in conflicts:
        lines.append(f"  {c.number:>3}  {c.conference_ref}  {c.record}, {c.field_words}")
        lines.append(f"         mine:   {shown_value(c.mine, kind=c.kind)}  ({shown_by(c.mine)})")
        lines.append(f"         theirs: {shown_value(c.theirs, kind=c.kind)}  ({shown_by(c.theirs)})")
    return lines
