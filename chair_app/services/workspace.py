"""Editing a conference in the chair's workspace: small, checked, immediately durable edits.

The workspace stores every edit as it is made (a keystroke in a text box is one edit), so each operation
here is one short unit of work that changes one or a few rows, journaled in the same transaction
(``store/journal.py``). Every operation returns a ``Written``: the journal entry it wrote (what undo and redo
in ``services/undo.py`` take), and the version of each record after it. Every one refuses bad input with one
line naming the field and the fix *before* anything is written.

Per-record base versions: the person's copy of a record was read at some version (``seen``). An edit or a
removal is stored only if the record is still at that version, checked by the database in the same UPDATE
(SQLAlchemy's ``version_id_col``: ``... WHERE id = ? AND version = ?``). Otherwise nothing is written and
``StaleEdit`` names who changed it, when, and their values. Edits to different records never meet: the
conference row is not touched by edits to its other records. ``seen=None`` skips the check and is only for
callers that hold no copy (the command line, an import); the window always passes the version it read.

Which fields of which records the workspace may edit is written down in ``EDITABLE``: anything not listed
(identities, versions, record status, sign-off, the conference's status and quoracy) is changed only through
its own operation (``services/recording.py``), whose rules the generic editor cannot bypass.
"""

from __future__ import annotations

import functools
import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date, time
from typing import Any

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import AttendanceStatus, Audience, MeetingKind, Outcome, RecordStatus, Sex
from chair_app.domain.errors import Conflict, InvalidInput, NotFound, StaleEdit
from chair_app.rules import inputs, participation
from chair_app.rules.decisions import all_problems, check_decision, repeat_facts
from chair_app.rules.policy import Policy
from chair_app.rules.recommendations import recommendation_problem
from chair_app.rules.timescales import next_dates
from chair_app.services.recording import _conference
from chair_app.store import journal
from chair_app.store import repository as repo
from chair_app.store.engine import Database
from chair_app.store.transactions import retry_transient

MAX_TEXT = 20_000  # characters in one text field: a long danger statement is a few hundred
#: A decision's dissent and its answer: checked together (rules/agreements.check_dissent), by a role that may
#: record a dissent.
DISSENT_FIELDS = frozenset(
    {"dissent_by", "dissent_route", "dissent_raised_on", "dissent_answer", "dissent_answered_by", "dissent_answered_on"}
)

# What the workspace may edit, per record type, with the words a user sees for each field.
EDITABLE: dict[type[m.Record], dict[str, str]] = {
    m.Conference: {
        "kind": "Meeting",
        "held_on": "Date",
        "start_time": "Start time",
        "venue": "Venue",
        "remote": "Held remotely",
        "chair": "Chair",
        "minute_taker": "Minute-taker",
        "strategy_discussion_on": "Strategy discussion date",
        "transfer_notified_on": "Transfer notified on",
        "requested_on": "Conference requested on",
        "cin_referral_date": "CIN referral date",
        "referral_source": "Referral source",
        "report_to_parents_on": "Report shared with parents on",
        "report_to_chair_on": "Report shared with chair on",
        "overall_scale": "Overall safety scale",
        "contingency_plan": "Contingency plan",
        "parents_views": "Parents' views",
        "first_core_group_on": "First core group",
        "next_review_on": "Next review",
        "next_dates_note": "Reason the dates differ",
    },
    m.Family: {"name": "Family name", "address": "Address", "address_withheld": "Address withheld", "notes": "Notes"},
    m.Child: {
        "forename": "Forename",
        "surname": "Surname",
        "date_of_birth": "Date of birth",
        "expected_date_of_birth": "Expected date of birth",
        "sex": "Sex",
        "ethnicity": "Ethnicity code",
        "disability": "Disability",
        "local_child_id": "Local child ID",
        "upn": "UPN",
    },
    m.Person: {
        "name": "Name",
        "role": "Role",
        "role_code": "Role",
        "agency": "Agency",
        "phone": "Phone",
        "email": "Email",
        "relationship": "Relationship",
        "name_withheld": "Name withheld",
        "contact_withheld": "Contact details withheld from the family",
    },
    m.Invitation: {
        "status": "Attendance",
        "mode": "How they attended",
        "report_submitted": "Report submitted",
        "report_submitted_on": "Report received on",
        "report_shared_with_parents_on": "Report shared with parents on",
        "arrived_at": "Arrived at",
        "left_at": "Left at",
        "excluded_from_part": "Excluded from part",
        "exclusion_note": "Exclusion note",
        "core_group_member": "Core group member",
        "information_shared": "Information shared",
        "position": "Order",
        "views": "Their views",
    },
    m.ConferenceChild: {
        "views": "Child's views",
        "views_how": "How the views were given",
        "participation_code": "Participation code",
        "advocacy_offered": "Advocacy offered",
        "advocacy_note": "Advocacy note",
        "decision_draft": "Decision (not yet recorded)",
    },
    m.MappingItem: {
        "section": "Part of the map",
        "text": "Text",
        "position": "Order",
        "said_by": "Said by",
        "child_id": "About",
        "last_time": "Last time",  # issue 13: the chair's mark on an item from the last map
    },
    m.DangerGoalPair: {
        "danger_statement": "Danger statement",
        "safety_goal": "Safety goal",
        "position": "Order",
        "scale": "Agreed scale",
    },
    m.ScaleScore: {"person_id": "Who", "label": "Who", "score": "Score", "reason": "Reason"},
    m.Recommendation: {"outcome": "Recommendation", "category": "Category", "note": "Note", "dissent": "Dissent"},
    m.PlanAction: {
        "what": "What needs to happen",
        "who": "Who",
        "by_when": "By when",
        "how_we_know": "How we will know",
        "position": "Order",
        "child_id": "For",
        "progress": "Progress",  # issue 13: an action of the last plan, come back to the review
        "progress_note": "Progress note",
    },
    m.DelayReason: {"reason": "Reason for delay"},
    # A decision is made by services/recording.record_decision; its words can then be typed into at once.
    m.Decision: {
        "reasons": "Reasons",
        "dissent": "Recorded dissent",
        "repeat_plan_analysis": "Repeat-plan analysis",
        "lead_agency": "Lead agency",
        "category_reason": "Reason for the category",
        # Issue 14: a dissent's who, route and day (the dissent form); its role and clock are checked in set_fields
        "dissent_by": "Who dissents",
        "dissent_route": "Dissent route",
        "dissent_raised_on": "Dissent raised on",
        # the senior chair's answer to an escalated dissent (checked with the dissent)
        "dissent_answer": "Senior chair's answer",
        "dissent_answered_by": "Answered by",
        "dissent_answered_on": "Answered on",
    },
    # Issue 12: the family network, what is not to be shared with whom, and who may read each written thing.
    m.NetworkLink: {"relationship": "Relationship", "lives_with": "Lives with them"},
    m.SharingRestriction: {"details": "What is not to be shared", "reason": "Reason"},
    m.AudienceMark: {"audience": "Who may read it", "person_id": "Not for", "reason": "Reason"},
}

# Fields only a rule operation writes (undo restores them through the journal): refused here with the way to do it.
RULE_ONLY: dict[type[m.Record], dict[str, str]] = {
    m.Conference: {
        "status": "Status: record the conference as quorate, proceed with a rationale or stand it down",
        "quoracy_outcome": "Quoracy: record the conference as quorate, proceed with a rationale or stand it down",
        "quoracy_rationale": "Rationale: give it when proceeding although the conference is not quorate",
        "stood_down_reason": "Reason stood down: give it when standing the conference down",
        "stood_down_note": "Note: give it when standing the conference down",
        "reconvene_on": "New date: give it when standing the conference down",
        "interim_arrangement": "Interim arrangement: give it when standing the conference down",
        "record_status": "Record status: sign the record off with Finalise",
    },
    m.ScaleScore: {"revealed": "Revealed: reveal everyone's scores together with Reveal scores"},
}


def field_labels(cls: type[m.Record]) -> dict[str, str]:
    """The words a user sees for a record's fields: the editable ones, and those only rule operations write
    (for the history and undo's refusals)."""
    return {**{k: v.partition(":")[0] for k, v in RULE_ONLY.get(cls, {}).items()}, **EDITABLE.get(cls, {})}


# Records the workspace adds and removes (a conference's own rows, and the people and children it brings in).
ADDABLE = (
    m.MappingItem,
    m.DangerGoalPair,
    m.ScaleScore,
    m.PlanAction,
    m.Recommendation,
    m.Invitation,
    m.ConferenceChild,
    m.Person,
    m.Child,
    m.DelayReason,
    m.NetworkLink,
    m.SharingRestriction,
    m.AudienceMark,
)
SHARED = (m.Person, m.Child, m.Family)  # not owned by one conference: never removed by the workspace


def _check_value(cls: type[m.Record], name: str, value: Any) -> None:
    """Type and range of one value: one line naming the field and the fix."""
    label = EDITABLE[cls][name]
    kind, optional = m.field_types(cls)[name]
    if value is None:
        if not optional:
            raise InvalidInput(f"{label}: this cannot be left empty")
        return
    if (isinstance(value, bool) and kind is not bool) or not isinstance(value, kind):
        kinds = {date: "a date as dd/mm/yyyy", time: "a time as hh:mm", int: "a whole number", str: "text"}
        raise InvalidInput(f"{label}: give {kinds.get(kind, 'one of the choices offered')}")
    if isinstance(value, str) and len(value) > MAX_TEXT:
        raise InvalidInput(f"{label}: at most {MAX_TEXT:,} characters; split it into more than one item")
    problem = inputs.text_problem(name, value) if isinstance(value, str) else None
    if problem:
        raise InvalidInput(f"{label}: {problem}")
    if name in ("scale", "score", "overall_scale") and not 0 <= value <= 10:
        raise InvalidInput(f"{label}: a score is a whole number from 0 to 10")
    if name == "position" and value < 0:
        raise InvalidInput(f"{label}: a position is 0 or more")
    marks = {"last_time": m.LAST_TIME, "progress": m.PROGRESS}.get(name)
    if marks is not None and value and value not in marks:
        raise InvalidInput(f"{label}: choose one of: " + "; ".join(marks.values()))


def _check_texts(record: m.Record) -> None:
    """Every text field within its length, without control characters (a name: without line breaks)."""
    for f in fields(record):
        value = getattr(record, f.name)
        problem = inputs.text_problem(f.name, value) if isinstance(value, str) else None
        if problem:
            raise InvalidInput(f"{f.name.replace('_', ' ').capitalize()}: {problem}")


def _check_child(record: m.Child) -> None:
    """A child's own rules (none of them a local authority's policy)."""
    _check_texts(record)
    if record.date_of_birth is None and record.expected_date_of_birth is None:
        raise InvalidInput("Date of birth: give the date of birth, or the expected date for an unborn child")
    if record.date_of_birth and record.date_of_birth > date.today():
        raise InvalidInput("Date of birth: it is in the future; for an unborn child give the expected date")
    if not record.forename.strip():
        raise InvalidInput('Forename: give a name ("Baby" for an unborn child)')


def _check_record(record: m.Record, policy: Policy) -> None:
    """Rules that join fields of one record, checked on the record as it would be stored."""
    if isinstance(record, m.Invitation):
        if record.status is AttendanceStatus.ATTENDED and record.mode is None:
            raise InvalidInput("How they attended: choose in person, video or phone")
        if record.status is not AttendanceStatus.ATTENDED and record.mode is not None:
            raise InvalidInput("How they attended: only someone who attended has a way of attending")
    if isinstance(record, m.Person | m.Family):
        _check_texts(record)
    if isinstance(record, m.Child):
        _check_child(record)
    elif isinstance(record, m.Person):
        if not record.name.strip():
            raise InvalidInput("Name: give the person's name")
        if record.role_code and record.role_code not in policy.roles:
            raise InvalidInput("Role: choose one of the roles offered")
    elif isinstance(record, m.Family):
        if not record.name.strip():
            raise InvalidInput("Family name: give how the family is known")
    elif isinstance(record, m.SharingRestriction | m.AudienceMark):
        _check_audience(record)


def _check_audience(record: m.SharingRestriction | m.AudienceMark) -> None:
    """A restriction on what a reader receives always says why (issue 12); "except" names the person."""
    if not record.reason.strip():
        raise InvalidInput("Reason: say why this is kept from them (it is recorded with the restriction)")
    if isinstance(record, m.SharingRestriction) and record.about_id == record.person_id:
        raise InvalidInput("Not to be shared with: choose someone other than the person the details are about")
    if isinstance(record, m.AudienceMark) and record.audience is not Audience.PROFESSIONALS and not record.person_id:
        raise InvalidInput("Not for: choose the person who may not read it")


def _check_next_dates(conf: m.Conference, policy: Policy) -> None:
    """Suggested dates come from the rules; other dates need a reason, and both come after the conference."""
    for day, label in ((conf.first_core_group_on, "First core group"), (conf.next_review_on, "Next review")):
        if day is not None and day <= conf.held_on:
            raise InvalidInput(f"{label}: the date must come after the conference ({uk_date(conf.held_on)})")
    suggested = next_dates(conf.held_on, conf.kind, policy)
    differs = (conf.first_core_group_on not in (None, suggested.first_core_group)) or (
        conf.next_review_on not in (None, suggested.next_review)
    )
    if differs and not conf.next_dates_note.strip():
        raise InvalidInput(
            "Reason the dates differ: type it first, then change the date "
            f"(the rules suggest {uk_date(suggested.first_core_group)} and {uk_date(suggested.next_review)})"
        )


def _check_child_code(
    session: Session, voice: m.ConferenceChild, held_on: date, changed: set[str] | None = None
) -> None:
    # The code and the advocacy answer must agree when either is recorded (an edit of the child's views is not
    # held up by an older disagreement; `show` reports that).
    if changed is None or {"participation_code", "advocacy_offered"} & changed:
        disagreement = participation.check_advocacy(voice.participation_code, voice.advocacy_offered)
        if disagreement:
            raise InvalidInput(disagreement)
    if voice.participation_code is None:
        return
    child = session.get(repo.RECORD_ROWS[m.Child], voice.child_id)
    problem = participation.check_code(voice.participation_code, child.date_of_birth if child else None, held_on)
    if problem:
        raise InvalidInput(problem)


def _load(
    session: Session, cls: type[m.Record], record_id: uuid.UUID, conference_id: uuid.UUID, *, missing_ok: bool = False
) -> Any:
    row = session.get(repo.RECORD_ROWS[cls], record_id)
    if row is None and missing_ok:
        return None
    if row is None:
        raise NotFound(f"{cls.__name__}: that record is not in this database (it may have been removed)")
    owner = getattr(row, "conference_id", None)
    if owner is not None and owner != conference_id:
        raise NotFound(f"{cls.__name__}: that record belongs to another conference")
    return row


@dataclass(frozen=True)
class Written:
    """What a workspace operation wrote.

    ``entry``: the uid of the journal entry written or continued (a keystroke continuing a run of typing
    continues its entry), None when nothing changed; undo and redo take it. ``versions``: each record's version
    after the write (the window passes it as ``seen`` next time). ``old``: set_fields' values before.
    ``snapshots``: remove_records' removed records, in the order to add them back.
    """

    entry: uuid.UUID | None
    versions: dict[uuid.UUID, int]
    old: dict[str, Any] | None = None
    snapshots: list[m.Record] = field(default_factory=list)


def _words(cls: type[m.Record]) -> str:
    """A record type in a user's words: MappingItem -> "Mapping item"."""
    return "".join(" " + ch.lower() if ch.isupper() else ch for ch in cls.__name__).strip().capitalize()


def stale_edit(session: Session, cls: type[m.Record], row: Any, names: tuple[str, ...], label: str) -> StaleEdit:
    """The refusal of an edit made on an older copy of ``row``: who changed it last and when, from the journal."""
    last = journal.last_change(session, row.__tablename__, row.id)
    who, at = last if last is not None else (getattr(row, "updated_by", "") or "", row.updated_at)
    theirs = {name: getattr(row, name) for name in names}
    return StaleEdit(
        label=label,
        cls_name=cls.__name__,
        record_id=row.id,
        fields=names,
        theirs=theirs,
        who=who,
        at=at,
        version=row.version,
    )


def _label(cls: type[m.Record], names: tuple[str, ...]) -> str:
    labels = EDITABLE.get(cls, {})
    return labels.get(names[0], _words(cls)) if len(names) == 1 else _words(cls)


def _refused_late(db: Database, cls: type[m.Record], record_id: uuid.UUID, names: tuple[str, ...]) -> StaleEdit:
    """The refusal when another writer got in between this operation's read and its UPDATE (the database's
    version check in the UPDATE found no row): read the record again to say who and what."""
    with db.unit_of_work("read") as session:
        row = session.get(repo.RECORD_ROWS[cls], record_id)
        if row is None:
            return _removed(session, cls, record_id, names)
        return stale_edit(session, cls, row, names, _label(cls, names))


def _removed(session: Session, cls: type[m.Record], record_id: uuid.UUID, names: tuple[str, ...]) -> StaleEdit:
    """The refusal of an edit to a record someone removed since the person's copy was read."""
    last = journal.last_change(session, repo.RECORD_ROWS[cls].__tablename__, record_id)
    who, at = last if last is not None else ("", m.utcnow())
    return StaleEdit(
        label=_words(cls),
        cls_name=cls.__name__,
        record_id=record_id,
        fields=names,
        theirs={},
        who=who,
        at=at,
        version=0,
        removed=True,
    )


def _check_fields(cls: type[m.Record], values: dict[str, Any]) -> None:
    if cls not in EDITABLE:
        raise InvalidInput(f"{cls.__name__}: not editable here")
    for name, value in values.items():
        if name in RULE_ONLY.get(cls, {}):
            raise InvalidInput(RULE_ONLY[cls][name])
        if name not in EDITABLE[cls]:
            raise InvalidInput(f"{name}: not editable here")
        _check_value(cls, name, value)
    if cls is m.DelayReason and "reason" in values and not str(values["reason"]).strip():
        raise InvalidInput("Reason for delay: say why the timescale was missed")


@retry_transient
def set_fields(
    db: Database,
    conference_id: uuid.UUID,
    cls: type[m.Record],
    record_id: uuid.UUID,
    values: dict[str, Any],
    *,
    who: str,
    policy: Policy,
    seen: int | None,
) -> Written:
    """Change fields of one record, if it is still at version ``seen`` (the person's copy); else ``StaleEdit``.

    ``seen=None``: no copy to compare (the command line, an import), the stored record is changed as it is.
    Returns the entry written, the record's new version and the old values.
    """
    _check_fields(cls, values)
    names = tuple(values)
    keystroke = _keystroke_field(cls, record_id, conference_id, values)
    try:
        with db.unit_of_work("set_fields", who=who, conference_id=conference_id) as session:
            edit = (db, session, cls, record_id, conference_id, values, who, policy, seen)
            versions, old = _set_text(*edit, keystroke) if keystroke is not None else _set_record(*edit)
    except Conflict as exc:
        if isinstance(exc, StaleEdit) or seen is None:
            raise
        raise _refused_late(db, cls, record_id, names) from exc
    return Written(journal.last_entry(), versions, old=old)


def _set_record(
    db: Database,
    session: Session,
    cls: type[m.Record],
    record_id: uuid.UUID,
    conference_id: uuid.UUID,
    values: dict[str, Any],
    who: str,
    policy: Policy,
    seen: int | None,
) -> tuple[dict[uuid.UUID, int], dict[str, Any]]:
    """``set_fields`` for any edit: the record loaded as an ORM row, every rule checked on it as it would be."""
    names = tuple(values)
    conf = _conference(session, conference_id, who)
    row = (
        conf
        if cls is m.Conference and record_id == conference_id
        else _load(session, cls, record_id, conference_id, missing_ok=seen is not None)
    )
    if cls is m.Conference and record_id != conference_id:
        raise NotFound("conference: only the open conference can be edited here")
    if row is None:  # the person's copy has it: someone removed it since
        raise _removed(session, cls, record_id, names)
    if seen is not None and row.version != seen:
        raise stale_edit(session, cls, row, names, _label(cls, names))
    before = repo.to_record(row, cls)
    after = replace(before, **values)
    _check_record(after, policy)
    if cls is m.ConferenceChild:
        _check_child_code(session, after, conf.held_on, set(values))
        if "participation_code" in values and after.participation_code and after.advocacy_offered is None:
            # as record_participation: where advocacy is due, its answer comes with the code
            child = session.get(repo.RECORD_ROWS[m.Child], after.child_id)
            prompt = participation.advocacy_prompt(child.date_of_birth if child else None, conf.held_on, policy)
            if prompt.due:
                raise InvalidInput(f"advocacy: {prompt.explanation}")
    if cls is m.Decision:
        repeat = None
        if after.outcome is Outcome.PLAN:
            plan_rows = repo.RECORD_ROWS[m.PlanHistory]
            found = session.scalars(select(plan_rows).where(plan_rows.child_id == after.child_id))
            plans = [repo.to_record(p, m.PlanHistory) for p in found]
            repeat = repeat_facts(plans, after.child_id, conf.held_on)
        problems = check_decision(after, conf.kind, policy, repeat=repeat, held_on=conf.held_on)
        if problems:
            raise InvalidInput(all_problems(problems))
        if DISSENT_FIELDS & set(values):  # issue 14: as record_dissent
            from chair_app.rules.agreements import check_dissent
            from chair_app.rules.calendar import WorkingCalendar

            db.authorise("record_dissent")
            check_dissent(after, conf.held_on, policy, WorkingCalendar.from_policy(policy))
    if cls is m.Conference and "held_on" in values:
        problem = inputs.conference_date_problem(after.held_on, policy, date.today())
        if problem:
            raise InvalidInput(f"Date: {problem}")
    if cls is m.Conference and {"first_core_group_on", "next_review_on"} & set(values):
        _check_next_dates(after, policy)
    old = {name: getattr(before, name) for name in values}
    for name, value in values.items():
        setattr(row, name, value)
    session.flush()  # the UPDATE ... WHERE version = seen: another writer in between is found here
    return {record_id: row.version}, old


# Records whose edits need no rule beyond the record's own (``_check_record``): not a decision (``check_decision``),
# nor a child's code and advocacy, which read other tables. A keystroke in one of them is stored by ``_set_text``
# with two Core statements.
_PLAIN_TEXT_RECORDS = (m.MappingItem, m.DangerGoalPair, m.ScaleScore, m.Recommendation, m.PlanAction, m.DelayReason)


def _keystroke_field(
    cls: type[m.Record], record_id: uuid.UUID, conference_id: uuid.UUID, values: dict[str, Any]
) -> str | None:
    """The field, when this edit is a keystroke that no cross-field rule looks at: one text field of the open
    conference or of one of its plain records (the map, the plan, scores, recommendations). Else None."""
    if len(values) != 1:
        return None
    ((name, value),) = values.items()
    if not isinstance(value, str) or m.field_types(cls)[name][0] is not str:
        return None
    if cls is m.Conference:
        return name if record_id == conference_id else None
    return name if cls in _PLAIN_TEXT_RECORDS else None


@functools.cache
def _text_statements(cls: type[m.Record], name: str):
    """The read and the version-checked write of one text field, built once per record type and field."""
    from chair_app.store import models as rows

    table = repo.RECORD_ROWS[cls].__table__
    conf = rows.ConferenceRow.__table__
    if cls is m.Conference:
        read = select(table, table.c.record_status.label("conference_status"), table.c.id.label("owner"))
    else:  # the whole record (its rules are checked on it), and its conference's status
        read = select(table, conf.c.record_status.label("conference_status"), table.c.conference_id.label("owner"))
        read = read.select_from(table.outerjoin(conf, conf.c.id == table.c.conference_id))
    read = read.where(table.c.id == bindparam("b_id"))
    write = (
        update(table)
        .where(table.c.id == bindparam("b_id"), table.c.version == bindparam("b_version"))
        .values({name: bindparam("b_value"), "version": bindparam("b_next"), "updated_at": bindparam("b_at")})
    )
    return read, write


def _set_text(
    db: Database,
    session: Session,
    cls: type[m.Record],
    record_id: uuid.UUID,
    conference_id: uuid.UUID,
    values: dict[str, Any],
    who: str,
    policy: Policy,
    seen: int | None,
    name: str,
) -> tuple[dict[uuid.UUID, int], dict[str, Any]]:
    """A keystroke: what ``set_fields`` does for one text field, in two statements and no ORM objects.

    One read (the record and its conference's status together; the record's rules, ``_check_record``, checked
    on it as it would be stored), one UPDATE checked by version in
    its WHERE clause (as the ORM's ``version_id_col`` does), and the change handed to the journal as the
    listener would have collected it; the unit of work writes or continues the entry and commits. A record
    not found, of another conference or of a finalised one goes the full path, which refuses it in its words."""
    read, write = _text_statements(cls, name)
    conn = session.connection()
    found = conn.execute(read, {"b_id": record_id}).one_or_none()
    if found is None or found.owner != conference_id or found.conference_status == RecordStatus.FINALISED:
        return _set_record(db, session, cls, record_id, conference_id, values, who, policy, seen)
    op = journal.operation_of(session)
    if op is not None:  # as _conference: the journal names who and which conference
        op.who = op.who or who
        op.conference_id = op.conference_id or conference_id
    row_version = found.version
    if seen is not None and row_version != seen:
        row = session.get(repo.RECORD_ROWS[cls], record_id)
        raise stale_edit(session, cls, row, (name,), _label(cls, (name,)))
    record = repo.to_record(found, cls)
    _check_record(replace(record, **values), policy)  # the record's own rules, as the full path checks them
    value, before = values[name], getattr(record, name)
    if value == before:  # as the ORM: setting the value it has changes nothing and writes nothing
        return {record_id: row_version}, {name: before}
    params = {"b_id": record_id, "b_version": row_version, "b_next": row_version + 1, "b_value": value}
    if conn.execute(write, {**params, "b_at": m.utcnow()}).rowcount != 1:
        raise Conflict("this record was changed elsewhere since you opened it: reopen it and try again")
    if op is not None:
        table = repo.RECORD_ROWS[cls].__tablename__
        op.changes[f"{table}/{record_id}"] = [{name: journal.encode(before)}, {name: journal.encode(value)}]
        op.versions[record_id] = row_version + 1
    return {record_id: row_version + 1}, {name: before}


@retry_transient
def add_records(
    db: Database,
    conference_id: uuid.UUID,
    records: list[m.Record],
    *,
    who: str,
    policy: Policy,
    restoring: bool = False,
) -> Written:
    """Add records to the open conference (in the order given: a person before their invitation).

    A private score is added hidden, whenever it comes (a late score after the others were revealed too):
    it is shown only by revealing it. ``restoring``: records put back as they were (undoing a removal), which
    may include scores already revealed (the window's older undo; services/undo restores through the journal).
    """
    for record in records:
        if not isinstance(record, ADDABLE):
            raise InvalidInput(f"{type(record).__name__}: cannot be added here")
        if isinstance(record, m.ScaleScore) and record.revealed and not restoring:
            raise InvalidInput("Score: a new private score is stored hidden; reveal it with Reveal scores")
        if hasattr(record, "conference_id") and record.conference_id != conference_id:
            raise InvalidInput(f"{type(record).__name__}: belongs to another conference")
        for name in EDITABLE.get(type(record), {}):
            _check_value(type(record), name, getattr(record, name))
    versions: dict[uuid.UUID, int] = {}
    with db.unit_of_work("add_records", who=who, conference_id=conference_id) as session:
        conf = _conference(session, conference_id, who)
        for record in records:
            _check_record(record, policy)
            known = session.get(repo.RECORD_ROWS[type(record)], record.id) if isinstance(record, SHARED) else None
            if known is not None:
                versions[record.id] = known.version
                continue  # a person or child already known (restored by redo): keep the stored one
            if isinstance(record, m.Child) and record.family_id != conf.family_id:
                raise InvalidInput("child: belongs to another family")
            if isinstance(record, m.Recommendation) and not restoring:
                problem = recommendation_problem(record, repo.load_bundle(session, conference_id), policy)
                if problem:
                    raise InvalidInput(problem)  # issue 20: one per agency, professionals only
            row = repo.to_row(record)
            session.add(row)
            session.flush()
            versions[record.id] = row.version
            if isinstance(record, m.ConferenceChild):
                _check_child_code(session, record, conf.held_on)
    return Written(journal.last_entry(), versions)


@retry_transient
def remove_records(
    db: Database,
    conference_id: uuid.UUID,
    items: list[tuple[type[m.Record], uuid.UUID]],
    *,
    who: str,
    seen: dict[uuid.UUID, int] | None = None,
) -> Written:
    """Remove a conference's own records; ``Written.snapshots`` holds them in the order to add them back.

    A record listed in ``seen`` is removed only if it is still at that version (else ``StaleEdit``, nothing
    removed); ``seen`` None or a record not in it: no copy to compare (the command line). Removing a danger
    statement removes its private scores with it; removing a record already gone is not an error.
    """
    snapshots: list[m.Record] = []
    seen = seen or {}
    current: tuple[type[m.Record], uuid.UUID] | None = None
    try:
        with db.unit_of_work("remove_records", who=who, conference_id=conference_id) as session:
            _conference(session, conference_id, who)
            for cls, record_id in items:
                current = (cls, record_id)
                if cls in SHARED or cls not in ADDABLE:
                    raise InvalidInput(f"{cls.__name__}: cannot be removed here")
                row = session.get(repo.RECORD_ROWS[cls], record_id)
                if row is None:
                    continue
                if row.conference_id != conference_id:
                    raise NotFound(f"{cls.__name__}: that record belongs to another conference")
                if record_id in seen and row.version != seen[record_id]:
                    raise stale_edit(session, cls, row, (), _words(cls))
                snapshots.append(repo.to_record(row, cls))
                if cls is m.DangerGoalPair:
                    score_rows = repo.RECORD_ROWS[m.ScaleScore]
                    for score in session.query(score_rows).filter(score_rows.pair_id == record_id):
                        snapshots.append(repo.to_record(score, m.ScaleScore))
                        session.delete(score)
                    session.flush()
                session.delete(row)
                session.flush()  # DELETE ... WHERE version = the one read
    except Conflict as exc:
        if isinstance(exc, StaleEdit) or current is None or current[1] not in seen:
            raise
        raise _refused_late(db, current[0], current[1], ()) from exc
    return Written(journal.last_entry(), {}, snapshots=snapshots)


def reveal_scores(db: Database, conference_id: uuid.UUID, pair_id: uuid.UUID | None, *, who: str) -> list[uuid.UUID]:
    """Reveal everyone's private scores on one pair (or the overall scale) together; returns those revealed.
    (Its journal entry: ``journal.last_entry()``; undo it with ``services.undo.undo``.)"""
    score_rows = repo.RECORD_ROWS[m.ScaleScore]
    with db.unit_of_work("reveal_scores", who=who, conference_id=conference_id) as session:
        _conference(session, conference_id, who)
        match = score_rows.pair_id.is_(None) if pair_id is None else score_rows.pair_id == pair_id
        hidden = (
            session.query(score_rows)
            .filter(score_rows.conference_id == conference_id, match, score_rows.revealed.is_(False))
            .all()
        )
        for row in hidden:
            row.revealed = True
        return [row.id for row in hidden]


def hide_scores(db: Database, conference_id: uuid.UUID, score_ids: list[uuid.UUID], *, who: str) -> None:
    """Undo a reveal (the window's older undo; services/undo.undo of the reveal's entry does the same)."""
    with db.unit_of_work("hide_scores", who=who, conference_id=conference_id) as session:
        _conference(session, conference_id, who)
        for score_id in score_ids:
            row = _load(session, m.ScaleScore, score_id, conference_id)
            row.revealed = False


# ---------------------------------------------------------------------------------------------------------
# A new conference


@dataclass
class NewChild:
    forename: str
    surname: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None
    sex: Sex = Sex.NOT_KNOWN
    registered_id: uuid.UUID | None = None  # issue 13: the register's record of this child, as the clerk confirmed


@dataclass
class NewInvitee:
    name: str
    role_code: str
    agency: str = ""
    relationship: str = ""


@dataclass
class NewConference:
    kind: MeetingKind
    held_on: date
    family_name: str
    start_time: time | None = None
    venue: str = ""
    remote: bool = False
    chair: str = ""
    minute_taker: str = ""
    children: list[NewChild] = field(default_factory=list)
    invitees: list[NewInvitee] = field(default_factory=list)
    registered_family_id: uuid.UUID | None = None  # issue 13: the register's family, as the clerk confirmed


def new_child(family_id: uuid.UUID, c: NewChild) -> m.Child:
    """A child to add to a family, checked: refused with one line naming the field and the fix."""
    child = m.Child(
        family_id=family_id,
        forename=c.forename.strip(),
        surname=c.surname.strip(),
        date_of_birth=c.date_of_birth,
        expected_date_of_birth=c.expected_date_of_birth,
        sex=c.sex,
    )
    _check_child(child)
    return child


def build_new_conference(new: NewConference, policy: Policy) -> m.ConferenceBundle:
    """The bundle for a new conference, checked: refused with one line naming the field and the fix."""
    if not new.family_name.strip():
        raise InvalidInput('Family: give how the family is known, e.g. "Hayes family"')
    if not new.children:
        raise InvalidInput("Children: add at least one child (an unborn baby counts)")
    if new.kind is MeetingKind.INITIAL_PRE_BIRTH and not any(c.expected_date_of_birth for c in new.children):
        raise InvalidInput("Children: a pre-birth conference needs an unborn baby with an expected date of birth")
    problem = inputs.conference_date_problem(new.held_on, policy, date.today())
    if problem:
        raise InvalidInput(f"Date: {problem}")
    family = m.Family(name=new.family_name.strip())
    conference = m.Conference(
        kind=new.kind,
        family_id=family.id,
        held_on=new.held_on,
        start_time=new.start_time,
        venue=new.venue.strip(),
        remote=new.remote,
        chair=new.chair.strip(),
        minute_taker=new.minute_taker.strip(),
    )
    _check_record(family, policy)
    _check_texts(conference)
    bundle = m.ConferenceBundle(conference=conference, family=family)
    for position, c in enumerate(new.children):
        child = new_child(family.id, c)
        bundle.children.append(child)
        bundle.conference_children.append(
            m.ConferenceChild(conference_id=conference.id, child_id=child.id, position=position)
        )
    for position, p in enumerate(new.invitees):
        role = policy.role(p.role_code)
        person = m.Person(
            name=p.name.strip(),
            role_code=p.role_code,
            role=role.label if role else "",
            agency=p.agency.strip(),
            relationship=p.relationship.strip(),
        )
        _check_record(person, policy)
        bundle.people.append(person)
        bundle.invitations.append(m.Invitation(conference_id=conference.id, person_id=person.id, position=position))
    return bundle


def create_conference(db: Database, new: NewConference, policy: Policy, *, who: str) -> m.ConferenceBundle:
    from chair_app.services.conferences import add_conference

    bundle = build_new_conference(new, policy)
    bundle.conference.updated_by = who
    if new.registered_family_id or any(c.registered_id for c in new.children):  # issue 13: found in the register
        from chair_app.services.register import use_registered

        use_registered(db, bundle, [c.registered_id for c in new.children], new.registered_family_id)
    return add_conference(db, bundle)


def load(db: Database, conference_id: uuid.UUID) -> m.ConferenceBundle:
    from chair_app.services.signoff import amended

    with db.unit_of_work() as session:
        return amended(repo.load_bundle(session, conference_id))  # a finalised record shows its amendments


def open_conference(db: Database, conference_id: uuid.UUID) -> tuple[m.ConferenceBundle, m.Conference | None]:
    """What the workspace opens: the conference, and the one it follows on from when that is stored here
    (its date and quoracy matter to timescales and to quoracy)."""
    with db.unit_of_work("open", conference_id=conference_id, event=True) as session:
        from chair_app.services.signoff import amended

        bundle = amended(repo.load_bundle(session, conference_id))  # a finalised record shows its amendments
        prev_id = bundle.conference.previous_conference_id
        row = session.get(repo.RECORD_ROWS[m.Conference], prev_id) if prev_id else None
        return bundle, repo.to_record(row, m.Conference) if row is not None else None
