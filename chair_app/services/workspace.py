"""Editing a conference in the chair's workspace: small, checked, immediately durable edits.

The workspace stores every edit as it is made (a keystroke in a text box is one edit), so each operation
here is one short unit of work that changes one or a few rows. Every operation returns what an undo needs
(the old values, or snapshots of removed records), and every one refuses bad input with one line naming the
field and the fix *before* anything is written.

Which fields of which records the workspace may edit is written down in ``EDITABLE``: anything not listed
(identities, versions, record status, sign-off) is changed only through its own operation.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field, fields, replace
from datetime import date, time
from typing import Any

from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import AttendanceStatus, MeetingKind, Sex
from chair_app.domain.errors import InvalidInput, NotFound
from chair_app.rules import inputs, participation
from chair_app.rules.decisions import all_problems, check_decision
from chair_app.rules.policy import Policy
from chair_app.rules.timescales import next_dates
from chair_app.services.recording import _conference
from chair_app.store import repository as repo
from chair_app.store.engine import Database
from chair_app.store.transactions import retry_transient

MAX_TEXT = 20_000  # characters in one text field: a long danger statement is a few hundred

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
        # Restored by undo only: moved forward by the quoracy operations in services/recording.
        "status": "Status",
        "quoracy_outcome": "Quoracy",
        "quoracy_rationale": "Rationale",
        "stood_down_reason": "Reason stood down",
        "stood_down_note": "Note",
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
    m.ScaleScore: {"person_id": "Who", "label": "Who", "score": "Score", "revealed": "Revealed", "reason": "Reason"},
    m.Recommendation: {"outcome": "Recommendation", "category": "Category", "note": "Note"},
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
    },
}

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


def _check_record(record: m.Record, policy: Policy | None) -> None:
    """Rules that join fields of one record, checked on the record as it would be stored."""
    if isinstance(record, m.Invitation):
        if record.status is AttendanceStatus.ATTENDED and record.mode is None:
            raise InvalidInput("How they attended: choose in person, video or phone")
        if record.status is not AttendanceStatus.ATTENDED and record.mode is not None:
            raise InvalidInput("How they attended: only someone who attended has a way of attending")
    if isinstance(record, m.Child | m.Person | m.Family):
        _check_texts(record)
    if isinstance(record, m.Child):
        if record.date_of_birth is None and record.expected_date_of_birth is None:
            raise InvalidInput("Date of birth: give the date of birth, or the expected date for an unborn child")
        if record.date_of_birth and record.date_of_birth > date.today():
            raise InvalidInput("Date of birth: it is in the future; for an unborn child give the expected date")
        if not record.forename.strip():
            raise InvalidInput('Forename: give a name ("Baby" for an unborn child)')
    elif isinstance(record, m.Person):
        if not record.name.strip():
            raise InvalidInput("Name: give the person's name")
        if policy is not None and record.role_code and record.role_code not in policy.roles:
            raise InvalidInput("Role: choose one of the roles offered")
    elif isinstance(record, m.Family):
        if not record.name.strip():
            raise InvalidInput("Family name: give how the family is known")


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


def _load(session: Session, cls: type[m.Record], record_id: uuid.UUID, conference_id: uuid.UUID) -> Any:
    row = session.get(repo.RECORD_ROWS[cls], record_id)
    if row is None:
        raise NotFound(f"{cls.__name__}: that record is not in this database (it may have been removed)")
    owner = getattr(row, "conference_id", None)
    if owner is not None and owner != conference_id:
        raise NotFound(f"{cls.__name__}: that record belongs to another conference")
    return row


@retry_transient
def set_fields(
    db: Database,
    conference_id: uuid.UUID,
    cls: type[m.Record],
    record_id: uuid.UUID,
    values: dict[str, Any],
    *,
    who: str,
    policy: Policy | None = None,
) -> dict[str, Any]:
    """Change fields of one record; returns their old values (what undo puts back)."""
    if cls not in EDITABLE:
        raise InvalidInput(f"{cls.__name__}: not editable here")
    for name, value in values.items():
        if name not in EDITABLE[cls]:
            raise InvalidInput(f"{name}: not editable here")
        _check_value(cls, name, value)
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        row = (
            conf
            if cls is m.Conference and record_id == conference_id
            else _load(session, cls, record_id, conference_id)
        )
        if cls is m.Conference and record_id != conference_id:
            raise NotFound("conference: only the open conference can be edited here")
        before = repo.to_record(row, cls)
        after = replace(before, **values)
        _check_record(after, policy)
        if cls is m.ConferenceChild:
            _check_child_code(session, after, conf.held_on, set(values))
        if cls is m.Decision and policy is not None:
            problems = check_decision(after, conf.kind, policy)
            if problems:
                raise InvalidInput(all_problems(problems))
        if cls is m.Conference and "held_on" in values and policy is not None:
            problem = inputs.conference_date_problem(after.held_on, policy, date.today())
            if problem:
                raise InvalidInput(f"Date: {problem}")
        if cls is m.Conference and {"first_core_group_on", "next_review_on"} & set(values) and policy is not None:
            _check_next_dates(after, policy)
        old = {name: getattr(before, name) for name in values}
        for name, value in values.items():
            setattr(row, name, value)
        _touch(conf)
        return old


def _touch(conf) -> None:
    """Every edit to a conference's record counts on the conference's own version counter."""
    conf.updated_at = m.utcnow()


@retry_transient
def add_records(
    db: Database,
    conference_id: uuid.UUID,
    records: list[m.Record],
    *,
    who: str,
    policy: Policy | None = None,
    restoring: bool = False,
) -> None:
    """Add records to the open conference (in the order given: a person before their invitation).

    A private score is added hidden, whenever it comes (a late score after the others were revealed too):
    it is shown only by revealing it. ``restoring``: records put back as they were (undoing a removal), which
    may include scores already revealed.
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
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        for record in records:
            _check_record(record, policy)
            if isinstance(record, SHARED) and session.get(repo.RECORD_ROWS[type(record)], record.id) is not None:
                continue  # a person or child already known (restored by redo): keep the stored one
            if isinstance(record, m.Child) and record.family_id != conf.family_id:
                raise InvalidInput("child: belongs to another family")
            session.add(repo.to_row(record))
            session.flush()
            if isinstance(record, m.ConferenceChild):
                _check_child_code(session, record, conf.held_on)
        _touch(conf)


@retry_transient
def remove_records(
    db: Database, conference_id: uuid.UUID, items: list[tuple[type[m.Record], uuid.UUID]], *, who: str
) -> list[m.Record]:
    """Remove a conference's own records; returns snapshots, in the order to add them back (undo).

    Removing a danger statement removes its private scores with it; removing a record already gone is not an
    error (an undo after the row went another way).
    """
    snapshots: list[m.Record] = []
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        for cls, record_id in items:
            if cls in SHARED or cls not in ADDABLE:
                raise InvalidInput(f"{cls.__name__}: cannot be removed here")
            row = session.get(repo.RECORD_ROWS[cls], record_id)
            if row is None:
                continue
            if row.conference_id != conference_id:
                raise NotFound(f"{cls.__name__}: that record belongs to another conference")
            snapshots.append(repo.to_record(row, cls))
            if cls is m.DangerGoalPair:
                score_rows = repo.RECORD_ROWS[m.ScaleScore]
                for score in session.query(score_rows).filter(score_rows.pair_id == record_id):
                    snapshots.append(repo.to_record(score, m.ScaleScore))
                    session.delete(score)
                session.flush()
            session.delete(row)
            session.flush()
        _touch(conf)
    return snapshots


def reveal_scores(db: Database, conference_id: uuid.UUID, pair_id: uuid.UUID | None, *, who: str) -> list[uuid.UUID]:
    """Reveal everyone's private scores on one pair (or the overall scale) together; returns those revealed."""
    score_rows = repo.RECORD_ROWS[m.ScaleScore]
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        match = score_rows.pair_id.is_(None) if pair_id is None else score_rows.pair_id == pair_id
        hidden = (
            session.query(score_rows)
            .filter(score_rows.conference_id == conference_id, match, score_rows.revealed.is_(False))
            .all()
        )
        for row in hidden:
            row.revealed = True
        _touch(conf)
        return [row.id for row in hidden]


def hide_scores(db: Database, conference_id: uuid.UUID, score_ids: list[uuid.UUID], *, who: str) -> None:
    """Undo a reveal."""
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        for score_id in score_ids:
            row = _load(session, m.ScaleScore, score_id, conference_id)
            row.revealed = False
        _touch(conf)


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
    _check_record(child, None)
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
    with db.unit_of_work() as session:
        return repo.load_bundle(session, conference_id)


def open_conference(db: Database, conference_id: uuid.UUID) -> tuple[m.ConferenceBundle, m.Conference | None]:
    """What the workspace opens: the conference, and the one it follows on from when that is stored here
    (its date and quoracy matter to timescales and to quoracy)."""
    with db.unit_of_work("open", conference_id=conference_id, event=True) as session:
        bundle = repo.load_bundle(session, conference_id)
        prev_id = bundle.conference.previous_conference_id
        row = session.get(repo.RECORD_ROWS[m.Conference], prev_id) if prev_id else None
        return bundle, repo.to_record(row, m.Conference) if row is not None else None
