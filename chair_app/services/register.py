"""The register of families and children (issue 13): finding a child already known, and merging two records of
the same child.

A new conference and an import look for each child first: by the local child ID (the same ID is the same
child), otherwise by surname and date of birth with a forename that agrees (shown as a suggestion). Nothing is
ever merged silently: the clerk confirms a suggestion, and ``merge_children`` records it (``merge_families``
for two records of one family: its conferences and children move to the family kept). A merge keeps both
records (the later-found one names the one it was merged into, ``merged_into_id``), so records already
finalised still name the child as they did, the measures count one child, and ``undo_merge`` takes it back.
Each is one unit of work, so the journal records who merged or unmerged which records, and when.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import RecordStatus
from chair_app.domain.errors import InvalidInput, NotFound
from chair_app.store import journal
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database
from chair_app.store.journal import current_user

BY_ID = "same local child ID"
BY_NAME = "same name and date of birth"
BY_SURNAME = "same surname and date of birth"


@dataclass(frozen=True)
class ChildMatch:
    child_id: uuid.UUID
    name: str
    date_of_birth: date | None
    family: str
    local_child_id: str
    how: str  # BY_ID, BY_NAME or BY_SURNAME: why it may be the same child

    @property
    def line(self) -> str:
        born = uk_date(self.date_of_birth, "date of birth not recorded")
        ident = f", local child ID {self.local_child_id}" if self.local_child_id else ""
        return f"{self.name} (born {born}{ident}), {self.family}: {self.how}"


@dataclass(frozen=True)
class Wanted:
    """A child as typed or imported: what the register is searched with."""

    forename: str
    surname: str
    date_of_birth: date | None = None
    local_child_id: str = ""
    expected_date_of_birth: date | None = None
    child_id: uuid.UUID | None = None  # the record itself, when it is stored: never its own match


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


def forenames_agree(a: str, b: str) -> bool:
    """Forenames that may be one child's: the same, or one the start of the other ("Sam", "Samuel")."""
    a, b = _fold(a), _fold(b)
    return bool(a and b) and (a == b or a.startswith(b) or b.startswith(a))


def _matches(session: Session, wanted: Wanted) -> list[ChildMatch]:
    c, f = rows.ChildRow, rows.FamilyRow
    terms = []
    ident = wanted.local_child_id.strip()
    if ident:
        terms.append(c.local_child_id == ident)
    # On the indexed dates and ID (every term on an index, so the database unions index look-ups), then the
    # names in Python: a handful of rows, whatever the register's size.
    for born in {wanted.date_of_birth, wanted.expected_date_of_birth} - {None}:
        terms += [c.date_of_birth == born, c.expected_date_of_birth == born]
    if not terms:
        return []
    # Merged records are left out in Python: "merged_into_id IS NULL" in the query leads SQLite's planner to
    # that column's index, which holds nearly every child (a scan of the register).
    stmt = (
        select(
            c.id,
            c.forename,
            c.surname,
            c.date_of_birth,
            c.expected_date_of_birth,
            c.local_child_id,
            f.name,
            c.merged_into_id,
        )
        .join(f, f.id == c.family_id)
        .where(or_(*terms))
    )
    if wanted.child_id is not None:
        stmt = stmt.where(c.id != wanted.child_id)
    out = []
    for cid, forename, surname, dob, edd, local_id, family, merged in session.execute(stmt):
        if merged is not None:
            continue
        if ident and local_id == ident:
            how = BY_ID
        elif ident and local_id:
            continue  # both have a local child ID and they differ: two children
        elif _fold(surname) != _fold(wanted.surname):
            continue
        elif forenames_agree(forename, wanted.forename):
            how = BY_NAME
        elif _fold(forename) == "baby" or _fold(wanted.forename) == "baby":  # an unborn child named since
            how = BY_SURNAME
        else:
            continue
        out.append(ChildMatch(cid, f"{forename} {surname}".strip(), dob or edd, family, local_id, how))
    order = {BY_ID: 0, BY_NAME: 1, BY_SURNAME: 2}
    return sorted(out, key=lambda x: (order[x.how], x.name))


def find_child(db: Database, wanted: Wanted) -> list[ChildMatch]:
    """Stored children who may be ``wanted``, surest first; none merged into another record."""
    with db.unit_of_work() as session:
        return _matches(session, wanted)


def find_children(db: Database, wanted: Iterable[Wanted]) -> list[tuple[Wanted, list[ChildMatch]]]:
    """Each child's possible matches, in one read (a new conference's children, an import's)."""
    with db.unit_of_work() as session:
        return [(w, _matches(session, w)) for w in wanted]


@dataclass(frozen=True)
class FamilyMatch:
    family_id: uuid.UUID
    name: str
    children: tuple[str, ...]


def find_family(db: Database, name: str, children: Iterable[Wanted] = ()) -> list[FamilyMatch]:
    """Families of the same name, and families of any child matched: the family a new conference may be for."""
    with db.unit_of_work() as session:
        ids = set(
            session.scalars(select(rows.FamilyRow.id).where(func.lower(rows.FamilyRow.name) == name.strip().lower()))
        )
        for w in children:
            for match in _matches(session, w):
                ids.add(session.get_one(rows.ChildRow, match.child_id).family_id)
        out = []
        for fid in ids:
            family = session.get_one(rows.FamilyRow, fid)
            if family.merged_into_id is not None:  # merged into another family: that one is found instead
                continue
            kids = session.scalars(select(rows.ChildRow).where(rows.ChildRow.family_id == fid))
            names = tuple(f"{k.forename} {k.surname}".strip() for k in kids if k.merged_into_id is None)
            out.append(FamilyMatch(fid, family.name, names))
        return sorted(out, key=lambda x: x.name)


def imported_matches(db: Database, bundles: list[m.ConferenceBundle]) -> list[tuple[m.Child, list[ChildMatch]]]:
    """After an import: each imported child that may be the same child as a record of another family's, for the
    clerk to confirm (nothing is merged by the import)."""
    out = []
    with db.unit_of_work() as session:
        for child in (c for b in bundles for c in b.children if c.merged_into_id is None):
            wanted = Wanted(
                child.forename,
                child.surname,
                child.date_of_birth,
                child.local_child_id,
                child.expected_date_of_birth,
                child.id,
            )
            others = [
                x
                for x in _matches(session, wanted)
                if session.get_one(rows.ChildRow, x.child_id).family_id != child.family_id
            ]
            if others:
                out.append((child, others))
    return out


# ---------------------------------------------------------------------------------------------------------
# Merging


def _child(session: Session, child_id: uuid.UUID, label: str) -> rows.ChildRow:
    row = session.get(rows.ChildRow, child_id)
    if row is None:
        raise NotFound(f"{label}: no child record {child_id}")
    return row


def merge_children(db: Database, keep_id: uuid.UUID, duplicate_id: uuid.UUID, *, who: str | None = None) -> None:
    """Record that ``duplicate_id`` is the same child as ``keep_id``: the duplicate names the record kept, both
    stay stored. Refused (changing nothing) for a record merged already, or into itself."""
    if keep_id == duplicate_id:
        raise InvalidInput("merge: the two records are the same record; choose two different children")
    with db.unit_of_work("merge_children", who=who or current_user()) as session:
        keep = _child(session, keep_id, "keep")
        duplicate = _child(session, duplicate_id, "duplicate")
        for row, label in ((keep, "keep"), (duplicate, "duplicate")):
            if row.merged_into_id is not None:
                raise InvalidInput(
                    f"{label}: {row.forename} {row.surname} is already merged into another record; "
                    "merge into that one, or undo that merge first"
                )
        if keep.local_child_id and duplicate.local_child_id and keep.local_child_id != duplicate.local_child_id:
            raise InvalidInput(
                f"merge: the local child IDs differ ({keep.local_child_id}, {duplicate.local_child_id}), "
                "so these are two children; correct the ID first if one is wrong"
            )
        duplicate.merged_into_id = keep.id


def undo_merge(db: Database, duplicate_id: uuid.UUID, *, who: str | None = None) -> None:
    """Take a merge back: the record is a child of its own again."""
    with db.unit_of_work("undo_merge", who=who or current_user()) as session:
        row = _child(session, duplicate_id, "child")
        if row.merged_into_id is None:
            raise InvalidInput(f"child: {row.forename} {row.surname} is not merged into another record")
        row.merged_into_id = None


def merged_children(db: Database) -> dict[uuid.UUID, uuid.UUID]:
    """Every merged record and the record it now counts as (following merges of merges)."""
    with db.unit_of_work() as session:
        pairs = dict(
            session.execute(
                select(rows.ChildRow.id, rows.ChildRow.merged_into_id).where(rows.ChildRow.merged_into_id.isnot(None))
            ).all()
        )
    return {k: canonical(k, pairs) for k in pairs}


def canonical(child_id: uuid.UUID, merged: dict[uuid.UUID, uuid.UUID]) -> uuid.UUID:
    seen = {child_id}
    while child_id in merged and merged[child_id] not in seen:
        child_id = merged[child_id]
        seen.add(child_id)
    return child_id


# ---------------------------------------------------------------------------------------------------------
# Merging two records of one family


@dataclass(frozen=True)
class FamilyMerge:
    """What ``merge_families`` did: the journal entry (``services.undo.undo`` takes it back) and what moved."""

    entry: uuid.UUID
    kept: str
    dropped: str
    conferences: int
    children: int

    @property
    def line(self) -> str:
        """In words, e.g. "Merged Hayes family (typed again) into Hayes family: 1 conference and 3 children moved"."""
        confs = f"{self.conferences} conference{'s' if self.conferences != 1 else ''}"
        kids = f"{self.children} child{'ren' if self.children != 1 else ''}"
        return f"Merged {self.dropped} into {self.kept}: {confs} and {kids} moved"


def _family_of(session: Session, ref: str, label: str) -> rows.FamilyRow:
    try:
        conf = repo.get_conference_row(session, ref)
    except NotFound:
        raise InvalidInput(
            f"{label}: no conference {ref[:40]!r}; give a conference of the family (as list shows it)"
        ) from None
    return session.get_one(rows.FamilyRow, conf.family_id)


def family_merge_preview(db: Database, keep_ref: str, drop_ref: str) -> tuple[FamilyMatch, FamilyMatch]:
    """The two families a merge of ``keep_ref``'s and ``drop_ref``'s families would join, for the person to confirm."""
    with db.unit_of_work() as session:
        out = []
        for ref, label in ((keep_ref, "KEEP"), (drop_ref, "DROP")):
            family = _family_of(session, ref, label)
            kids = session.scalars(select(rows.ChildRow).where(rows.ChildRow.family_id == family.id))
            names = tuple(f"{k.forename} {k.surname}".strip() for k in kids if k.merged_into_id is None)
            out.append(FamilyMatch(family.id, family.name, names))
        return out[0], out[1]


@dataclass(frozen=True)
class FamilySuggestion:
    """Another family record that may be the same family as a conference's: for the person to confirm."""

    ref: str  # its latest conference (the merge names families by a conference of each)
    name: str
    children: tuple[str, ...]
    finalised: int  # its finalised conferences: a family with any is the one to keep
    how: str  # why it may be the same family

    @property
    def line(self) -> str:
        kids = ", ".join(self.children) or "no children recorded"
        return f"{self.name} ({kids}; latest conference {self.ref}): {self.how}"


def families_like(db: Database, ref: str) -> tuple[FamilySuggestion, list[FamilySuggestion]]:
    """Conference ``ref``'s family, and the other family records the register suggests are the same family: the
    same name, or a child matched (local child ID, else name and date of birth). Merged records are left out."""
    c = rows.ConferenceRow
    with db.unit_of_work() as session:

        def described(family: rows.FamilyRow, how: str) -> FamilySuggestion:
            confs = session.scalars(select(c).where(c.family_id == family.id).order_by(c.held_on.desc())).all()
            kids = session.scalars(select(rows.ChildRow).where(rows.ChildRow.family_id == family.id)).all()
            names = tuple(f"{k.forename} {k.surname}".strip() for k in kids if k.merged_into_id is None)
            final = sum(x.record_status is RecordStatus.FINALISED for x in confs)
            return FamilySuggestion(m.short_ref(confs[0].id) if confs else "", family.name, names, final, how)

        this = _family_of(session, ref, "REF")
        why: dict[uuid.UUID, str] = {}
        f = rows.FamilyRow
        for fid in session.scalars(select(f.id).where(func.lower(f.name) == this.name.strip().lower())):
            why.setdefault(fid, "same family name")
        kids = session.scalars(
            select(rows.ChildRow).where(rows.ChildRow.family_id == this.id).order_by(rows.ChildRow.forename)
        ).all()
        surest = {BY_ID: 0, BY_NAME: 1, BY_SURNAME: 2}
        found: dict[uuid.UUID, ChildMatch] = {}
        for k in kids:  # each family's surest match names why (the same local child ID before a name)
            wanted = Wanted(k.forename, k.surname, k.date_of_birth, k.local_child_id, k.expected_date_of_birth, k.id)
            for match in _matches(session, wanted):
                fid = session.get_one(rows.ChildRow, match.child_id).family_id
                if fid not in found or surest[match.how] < surest[found[fid].how]:
                    found[fid] = match
        for fid, match in found.items():
            why.setdefault(fid, f"{match.name}: {match.how}")
        why.pop(this.id, None)
        others = [session.get_one(f, fid) for fid in why]
        out = [described(x, why[x.id]) for x in others if x.merged_into_id is None]
        return described(this, ""), sorted((x for x in out if x.ref), key=lambda x: (x.name, x.ref))


def merge_families(db: Database, keep_ref: str, drop_ref: str, *, who: str | None = None) -> FamilyMerge:
    """Record that the family of conference ``drop_ref`` is the same family as that of ``keep_ref``: every
    conference and child record of the dropped family moves to the family kept (a conference's network, sharing
    restrictions and invitees are its own rows, so they move with it), and the dropped family record stays,
    naming the one kept (``merged_into_id``), so its id is still found. One unit of work, journaled: undone and
    redone by ``services.undo`` with the entry returned.

    Finalised records never change, so the dropped family must have no finalised conference (its conference rows
    would have to name the other family): refused, changing nothing, with a line saying to keep that family
    instead. The family kept is not changed at all, so its finalised conferences are no obstacle."""
    with db.unit_of_work("merge_families", who=who or current_user()) as session:
        keep, drop = _family_of(session, keep_ref, "KEEP"), _family_of(session, drop_ref, "DROP")
        if keep.id == drop.id:
            raise InvalidInput(f"merge: {keep_ref} and {drop_ref} are conferences of one family ({keep.name}) already")
        for row, label in ((keep, "KEEP"), (drop, "DROP")):
            if row.merged_into_id is not None:
                raise InvalidInput(f"{label}: {row.name} is already merged into another family; undo that first")
        c = rows.ConferenceRow
        confs = session.scalars(select(c).where(c.family_id == drop.id).order_by(c.held_on)).all()
        final = [x for x in confs if x.record_status is RecordStatus.FINALISED]
        if final:
            kept_final = session.scalar(
                select(func.count()).where(c.family_id == keep.id, c.record_status == RecordStatus.FINALISED)
            )
            how = (
                "both families have finalised conferences, so they cannot be merged"
                if kept_final
                else f"keep {drop.name} and merge {keep.name} into it (swap KEEP and DROP)"
            )
            raise InvalidInput(
                f"DROP: {drop.name} has a finalised conference ({m.short_ref(final[0].id)}), whose record cannot "
                f"change; {how}"
            )
        kids = session.scalars(select(rows.ChildRow).where(rows.ChildRow.family_id == drop.id)).all()
        for row in [*confs, *kids]:
            row.family_id = keep.id
        drop.merged_into_id = keep.id
        names, counts = (keep.name, drop.name), (len(confs), len(kids))
    entry = journal.last_entry()
    assert entry is not None  # the unit of work above changed rows, so it wrote an entry
    return FamilyMerge(entry, *names, *counts)


def children_twice(db: Database, ref: str) -> list[tuple[m.Child, ChildMatch]]:
    """Children of conference ``ref``'s family recorded twice in it (after a family merge, each child typed in both
    records): each pair once, the older record first, for the person to merge with ``merge_children``."""
    with db.unit_of_work() as session:
        family = _family_of(session, ref, "REF")
        kids = session.scalars(select(rows.ChildRow).where(rows.ChildRow.family_id == family.id)).all()
        kids = sorted((k for k in kids if k.merged_into_id is None), key=lambda k: (k.created_at, str(k.id)))
        ours = {k.id: n for n, k in enumerate(kids)}
        out = []
        for n, k in enumerate(kids):
            wanted = Wanted(k.forename, k.surname, k.date_of_birth, k.local_child_id, k.expected_date_of_birth, k.id)
            for match in _matches(session, wanted):
                if ours.get(match.child_id, -1) > n:  # the same family, a later record: a pair not yet listed
                    out.append((repo.to_record(k, m.Child), match))
        return out


def undo_family_merge(db: Database, entry: uuid.UUID, *, who: str | None = None) -> None:
    """Take a family merge back (``services.undo`` with its entry), refusing an entry that is not a merge."""
    from chair_app.services import undo

    with db.unit_of_work() as session:
        j = journal.JOURNAL.c
        op = session.connection().execute(select(j.operation).where(j.uid == entry)).scalar()
    if op != "merge_families":
        raise InvalidInput("ENTRY: that is not a family merge; give the id merge-family printed")
    undo.undo(db, entry, who=who or current_user())


def merged_families(db: Database) -> dict[uuid.UUID, uuid.UUID]:
    """Every merged family record and the family it now is (following merges of merges)."""
    f = rows.FamilyRow
    with db.unit_of_work() as session:
        pairs = dict(session.execute(select(f.id, f.merged_into_id).where(f.merged_into_id.isnot(None))).all())
    return {k: canonical(k, pairs) for k in pairs}


def child_record(db: Database, child_id: uuid.UUID) -> m.Child:
    with db.unit_of_work() as session:
        return repo.to_record(_child(session, child_id, "child"), m.Child)


# ---------------------------------------------------------------------------------------------------------
# A family's story: its conferences, plans and core groups as a timeline


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    what: str  # in words, e.g. "Initial child protection conference (held), chair Helen Marsh"
    ref: str  # the conference it belongs to ("" for a plan recorded before the app)


def family_timeline(db: Database, ref: str, policy) -> tuple[str, list[TimelineEntry]]:
    """The family of conference ``ref``: its name, and everything that happened to it, oldest first."""
    from chair_app.domain.enums import ConferenceStatus

    c = rows.ConferenceRow
    with db.unit_of_work() as session:
        family_id = repo.get_conference_row(session, ref).family_id
        family = session.get_one(rows.FamilyRow, family_id).name
        out = []
        confs = session.scalars(select(c).where(c.family_id == family_id)).all()
        for conf in confs:
            r = m.short_ref(conf.id)
            if conf.status is ConferenceStatus.STOOD_DOWN:
                reason = policy.stood_down_reasons.get(conf.stood_down_reason, conf.stood_down_reason)
                out.append(TimelineEntry(conf.held_on, f"{conf.kind.label} stood down: {reason or 'no reason'}", r))
            else:
                chair = f", chair {conf.chair}" if conf.chair else ""
                state = conf.status.value.replace("_", " ")
                out.append(TimelineEntry(conf.held_on, f"{conf.kind.label} ({state}){chair}", r))
        ids = [x.id for x in confs]
        for g in session.scalars(select(rows.CoreGroupRow).where(rows.CoreGroupRow.conference_id.in_(ids))):
            came = ", ".join(x.strip() for x in g.who_came.splitlines() if x.strip())
            out.append(
                TimelineEntry(g.held_on, "Core group" + (f": {came}" if came else ""), m.short_ref(g.conference_id))
            )
        kids = {
            k.id: f"{k.forename} {k.surname}".strip()
            for k in session.scalars(select(rows.ChildRow).where(rows.ChildRow.family_id == family_id))
            if k.merged_into_id is None
        }
        for p in session.scalars(select(rows.PlanHistoryRow).where(rows.PlanHistoryRow.child_id.in_(list(kids)))):
            by = m.short_ref(p.conference_id) if p.conference_id else ""
            cat = f" ({p.initial_category.label.lower()})" if p.initial_category else ""
            out.append(TimelineEntry(p.started_on, f"{kids[p.child_id]}: plan starts{cat}", by))
            if p.ended_on:
                out.append(TimelineEntry(p.ended_on, f"{kids[p.child_id]}: plan ends", ""))
    order = {"Core group": 1}
    return family, sorted(out, key=lambda e: (e.on, order.get(e.what.split(":")[0], 0), e.what))


# ---------------------------------------------------------------------------------------------------------
# A new conference for children already in the register


def use_registered(
    db: Database,
    bundle: m.ConferenceBundle,
    registered: list[uuid.UUID | None],
    family_id: uuid.UUID | None = None,
) -> None:
    """Put the register's records in a new conference's bundle in place of the ones typed, where the clerk
    confirmed a match (``registered[i]`` for the i-th child; None: a new record). The conference is then for
    the registered children's family (their family record, not a new one), and a child typed as new joins it.
    ``family_id``: the register's family the clerk confirmed (for a new child of a known family). Refused when
    the confirmed children belong to different families, or to another family than the one confirmed."""
    with db.unit_of_work() as session:
        found = {i: session.get(rows.ChildRow, cid) for i, cid in enumerate(registered) if cid is not None}
        missing = [i for i, row in found.items() if row is None or row.merged_into_id is not None]
        if missing:
            raise InvalidInput("Children: a child chosen from the register is no longer there; add the child again")
        families = {row.family_id for row in found.values()} | ({family_id} if family_id else set())
        if family_id is not None and session.get(rows.FamilyRow, family_id) is None:
            raise InvalidInput("Family: the family chosen from the register is no longer there; choose again")
        if len(families) > 1:
            raise InvalidInput(
                "Children: the children chosen from the register are in different families; a conference is for "
                "one family (choose the records of one family, or add the others as new)"
            )
        (family_id,) = families
        family = repo.to_record(session.get_one(rows.FamilyRow, family_id), m.Family)
        stored = {i: repo.to_record(row, m.Child) for i, row in found.items()}
    typed = list(bundle.children)
    bundle.family = family
    bundle.conference.family_id = family.id
    bundle.children = []
    for i, child in enumerate(typed):
        record = stored.get(i)
        if record is None:
            child.family_id = family.id
            record = child
        else:
            for cc in bundle.conference_children:
                if cc.child_id == child.id:
                    cc.child_id = record.id
        bundle.children.append(record)
