"""Plain data types for one conference and everything around it.

These are what rules, documents and the conference file work on. They carry no behaviour that needs a
database or a screen. Every record has a UUID, a version counter and UTC timestamps so that it can move between
a laptop and the unit server; the store keeps them, the conference file carries them.

Field names are the storage column names, so the store maps a row to a record by name.
"""

from __future__ import annotations

import functools
import types
import typing
import uuid
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time

from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Audience,
    Category,
    ConferenceStatus,
    DocumentKind,
    MappingSection,
    MeetingKind,
    Outcome,
    ParticipationCode,
    QuoracyOutcome,
    RecordStatus,
    Relationship,
    Sex,
)


def new_id() -> uuid.UUID:
    return uuid.uuid4()


def utcnow() -> datetime:
    """Now, in UTC, to the millisecond (what every store keeps exactly)."""
    now = datetime.now(UTC)
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


@dataclass(kw_only=True)
class Record:
    """What every stored record carries."""

    id: uuid.UUID = field(default_factory=new_id)
    version: int = 1
    created_at: datetime = field(default_factory=utcnow)
    updated_at: datetime = field(default_factory=utcnow)


@dataclass(kw_only=True)
class Family(Record):
    name: str  # how the family is known, e.g. "Hayes family"
    address: str = ""
    address_withheld: bool = False  # withheld from some recipients' copies
    notes: str = ""
    # The register (issue 13): this record was found to be the same family as another and merged into it (its
    # conferences and children moved there). Kept, so its id stays findable, and undone with the merge.
    merged_into_id: uuid.UUID | None = None


@dataclass(kw_only=True)
class Child(Record):
    family_id: uuid.UUID
    forename: str  # "Baby" for an unborn child until named
    surname: str
    date_of_birth: date | None = None
    expected_date_of_birth: date | None = None  # set for an unborn child
    sex: Sex = Sex.NOT_KNOWN
    ethnicity: str = ""  # DfE ethnicity code, e.g. WBRI
    disability: bool | None = None  # None: not recorded
    local_child_id: str = ""
    upn: str = ""
    # The register (issue 13): this record was found to be the same child as another and merged into it.
    # Kept (never deleted, so finalised records still name it) and undone by clearing it.
    merged_into_id: uuid.UUID | None = None

    @property
    def full_name(self) -> str:
        return f"{self.forename} {self.surname}".strip()


@dataclass(kw_only=True)
class Person(Record):
    """Anyone invited to a conference: a parent, a relative, a professional."""

    name: str
    role: str = ""  # as the person describes it, e.g. "Class teacher"
    role_code: str = ""  # the policy's role key, e.g. "school", "health_visitor", "parent"
    agency: str = ""  # organisation name, e.g. "Meadowbank Primary School"
    phone: str = ""
    email: str = ""
    address: str = ""
    relationship: str = ""  # to the children, for family members, e.g. "Mother"
    name_withheld: bool = False  # e.g. a new partner: left out of other recipients' copies
    contact_withheld: bool = False  # phone, email and address withheld from the family


@dataclass(kw_only=True)
class PlanHistory(Record):
    """One child protection plan a child has had: the history repeat-plan facts are derived from."""

    child_id: uuid.UUID
    started_on: date
    ended_on: date | None = None
    initial_category: Category | None = None
    latest_category: Category | None = None
    end_reason: str = ""
    conference_id: uuid.UUID | None = None  # the conference that started it, when held in this app


@dataclass(kw_only=True)
class Invitation(Record):
    conference_id: uuid.UUID
    person_id: uuid.UUID
    position: int = 0
    status: AttendanceStatus = AttendanceStatus.INVITED
    mode: AttendanceMode | None = None
    report_submitted: bool = False
    report_submitted_on: date | None = None
    report_shared_with_parents_on: date | None = None
    arrived_at: time | None = None  # local wall-clock time, for late arrivals
    left_at: time | None = None  # for early departures
    excluded_from_part: bool = False
    exclusion_note: str = ""
    core_group_member: bool = False
    information_shared: str = ""  # what the agency told the conference
    views: str = ""  # a family member's own views (a parent, a carer), recorded apart from recommendations


@dataclass(kw_only=True)
class ConferenceChild(Record):
    """A child considered at a conference: their voice and participation."""

    conference_id: uuid.UUID
    child_id: uuid.UUID
    position: int = 0
    views: str = ""  # in the child's own words
    views_how: str = ""  # how they were given: in person, Mind of My Own, advocate, ...
    participation_code: ParticipationCode | None = None
    advocacy_offered: bool | None = None  # None: not recorded yet
    advocacy_note: str = ""
    # The chair's decision for this child as drafted before it is recorded (JSON of the decision form), so
    # that a crash never loses it; emptied when the decision is recorded. Nothing counts or prints it.
    decision_draft: str = ""


@dataclass(kw_only=True)
class MappingItem(Record):
    conference_id: uuid.UUID
    section: MappingSection
    text: str
    position: int = 0
    said_by: uuid.UUID | None = None  # a Person
    child_id: uuid.UUID | None = None  # when it is about one child only
    # A review's map starts from the last map (issue 13): the item it continues, what it said last time, and
    # the chair's mark, one of LAST_TIME ("" until marked).
    carried_from_id: uuid.UUID | None = None
    earlier_text: str = ""
    last_time: str = ""


@dataclass(kw_only=True)
class DangerGoalPair(Record):
    """A danger statement and the safety goal that answers it, judged on a 0-10 scale."""

    conference_id: uuid.UUID
    danger_statement: str
    safety_goal: str = ""
    position: int = 0
    scale: int | None = None  # the conference's agreed judgement
    carried_from_id: uuid.UUID | None = None  # the pair of the earlier conference it continues (scale history)


@dataclass(kw_only=True)
class ScaleScore(Record):
    """One person's private score, on a pair (pair_id) or on the overall scale (pair_id None)."""

    conference_id: uuid.UUID
    pair_id: uuid.UUID | None = None
    person_id: uuid.UUID | None = None
    label: str = ""  # who, when not an invitee (e.g. "Parents jointly")
    score: int
    revealed: bool = False
    reason: str = ""


@dataclass(kw_only=True)
class Recommendation(Record):
    conference_id: uuid.UUID
    child_id: uuid.UUID
    person_id: uuid.UUID
    outcome: Outcome
    category: Category | None = None
    note: str = ""
    dissent: str = ""  # a colleague from the same agency who sees it differently, and why (one per agency)


@dataclass(kw_only=True)
class Decision(Record):
    conference_id: uuid.UUID
    child_id: uuid.UUID
    outcome: Outcome
    initial_category: Category | None = None
    latest_category: Category | None = None
    contributing_categories: list[Category] = field(default_factory=list)  # with MUL
    lead_agency: str = ""
    reasons: str = ""
    no_plan_next_step: str = ""  # e.g. "Child in need plan"
    end_reason: str = ""  # policy key, e.g. "looked_after"
    repeat_plan_analysis: str = ""
    dissent: str = ""
    decided_on: date | None = None  # when the decision was recorded
    # Issue 20: the primary category is initial_category / latest_category; beside it a secondary one, and the
    # reason a multiple category (or a pair the policy asks about, e.g. emotional abuse with neglect) is used.
    secondary_category: Category | None = None
    category_reason: str = ""
    decided_on: date | None = None  # when the decision was recorded, for the 5-working-day measure
    # A second person's agreement where the policy asks for one (issue 14, rules/agreements.py): who agreed,
    # when, and to which outcome (a changed decision needs agreeing again).
    agreed_by: str = ""
    agreed_on: date | None = None
    agreed_outcome: str = ""
    # A professional's dissent from the decision, with its route and clock (issue 14, rules/agreements.py): who
    # dissents, the route ("recorded" or "escalated"), and the day it was raised.
    dissent_by: str = ""
    dissent_route: str = ""
    dissent_raised_on: date | None = None
    # The senior chair's answer to an escalated dissent (rules/agreements.check_dissent): what they decided, who
    # answered, and the day (revision 0014).
    dissent_answer: str = ""
    dissent_answered_by: str = ""
    dissent_answered_on: date | None = None


@dataclass(kw_only=True)
class PlanAction(Record):
    conference_id: uuid.UUID
    what: str
    who: str = ""
    by_when: date | None = None
    how_we_know: str = ""
    position: int = 0
    child_id: uuid.UUID | None = None
    # An action of the last plan come back to the review (issue 13): the action it was, and how far it got,
    # one of PROGRESS ("" until recorded), with a note.
    carried_from_id: uuid.UUID | None = None
    progress: str = ""
    progress_note: str = ""


# The chair's marks on what comes back from the last conference (issue 13), with the words a user reads.
LAST_TIME = {"still_true": "Still true", "changed": "Changed", "no_longer": "No longer a worry"}
PROGRESS = {"done": "Done", "partly": "Partly done", "not_done": "Not done"}
# How a marked item from the last map reads on the projector and the handout, in plain words.
LAST_TIME_WORDS = {
    "still_true": "still true from last time",
    "changed": "changed since last time",
    "no_longer": "no longer a worry",
}


def last_time_words(item: MappingItem) -> str:
    """ " (changed since last time)" after an item the chair marked; nothing for a new or unmarked item."""
    words = LAST_TIME_WORDS.get(item.last_time) if item.carried_from_id else None
    return f" ({words})" if words else ""


@dataclass(kw_only=True)
class CoreGroup(Record):
    """A core group meeting between conferences (issue 13), recorded on the review it reports to: when, who
    came and what worries the group; progress against each action is a CoreGroupProgress."""

    conference_id: uuid.UUID  # the review conference the core group reports to
    held_on: date
    who_came: str = ""  # names, one a line
    concerns: str = ""
    position: int = 0


@dataclass(kw_only=True)
class CoreGroupProgress(Record):
    """How far one action of the plan had got at a core group meeting: one of PROGRESS, with a note."""

    conference_id: uuid.UUID
    core_group_id: uuid.UUID
    action_id: uuid.UUID  # a PlanAction of the review (an action of the last plan, come back)
    progress: str = ""
    note: str = ""


@dataclass(kw_only=True)
class DelayReason(Record):
    """Why a timescale was missed: the service's out-of-date log."""

    conference_id: uuid.UUID
    measure: str  # a timescale key, e.g. "initial_conference"
    reason: str


@dataclass(kw_only=True)
class DocumentRecord(Record):
    conference_id: uuid.UUID
    kind: DocumentKind
    recipient: str = ""
    produced_at: datetime = field(default_factory=utcnow)
    document_version: int = 1
    distributed_on: date | None = None
    method: str = ""  # printed, saved (by the app); handed out, secure email, post
    queue: str = ""  # the print queue a printed copy was sent to
    job_id: str = ""  # the print system's id for the job
    pages: int | None = None  # pages handed to the queue or written to the file


@dataclass(kw_only=True)
class Amendment(Record):
    """A change to a finalised record: the record itself never changes, the amendment is appended."""

    conference_id: uuid.UUID
    made_by: str
    reason: str
    text: str
    # A correction of one field of the finalised record (revision 0008): which record (its table and id), which
    # field, and the text before and after. All empty for an amendment that is a note only.
    record_kind: str = ""
    record_id: uuid.UUID | None = None
    field_name: str = ""
    old_value: str = ""
    new_value: str = ""


# The family network, what is not to be shared with whom, and who may read each written thing (issue 12).


@dataclass(kw_only=True)
class NetworkLink(Record):
    """One person's relationship to one child, and whether the child lives with them."""

    conference_id: uuid.UUID
    person_id: uuid.UUID
    child_id: uuid.UUID
    relationship: Relationship
    lives_with: bool = False


@dataclass(kw_only=True)
class SharingRestriction(Record):
    """Details of one person (``about_id``) are not to be shared with another (``person_id``), for a reason."""

    conference_id: uuid.UUID
    about_id: uuid.UUID  # whose details, e.g. Danielle
    person_id: uuid.UUID  # not to be shared with, e.g. Ryan
    details: str = ""  # what, in words: "her support and where she would go to be safe"
    reason: str


@dataclass(kw_only=True)
class AudienceMark(Record):
    """Who may read one written thing, when not everyone may: professionals only, or everyone but one person.

    ``subject_id`` is the record marked (a map item, danger statement, child's views, plan action, person,
    invitation, or the conference itself for one of its paragraphs); ``part`` says which part of it, when not
    the whole: "contact" (a person's phone, email and address), "information_shared" (an invitee's
    contribution), "contingency_plan" or "parents_views" (paragraphs of the conference).
    """

    conference_id: uuid.UUID
    subject_id: uuid.UUID
    part: str = ""
    audience: Audience
    person_id: uuid.UUID | None = None  # the person who may not read it (EXCEPT, EXCLUDED_PART)
    reason: str
    restriction_id: uuid.UUID | None = None  # the "not to be shared with" restriction this mark carries out


@dataclass(kw_only=True)
class Conference(Record):
    kind: MeetingKind
    family_id: uuid.UUID
    held_on: date
    start_time: time | None = None
    venue: str = ""
    remote: bool = False
    chair: str = ""
    minute_taker: str = ""
    # Timeliness facts.
    strategy_discussion_on: date | None = None
    transfer_notified_on: date | None = None
    requested_on: date | None = None
    cin_referral_date: date | None = None  # the referral that began this child in need episode (CIN census)
    referral_source: str = ""  # its DfE code, e.g. "6" for the police
    previous_conference_id: uuid.UUID | None = None
    report_to_parents_on: date | None = None
    report_to_chair_on: date | None = None
    record_distributed_on: date | None = None
    plan_distributed_on: date | None = None
    # Outcome of the meeting.
    status: ConferenceStatus = ConferenceStatus.SCHEDULED
    quoracy_outcome: QuoracyOutcome = QuoracyOutcome.NOT_ASSESSED
    quoracy_rationale: str = ""
    stood_down_reason: str = ""  # a policy key
    stood_down_note: str = ""
    reconvene_on: date | None = None  # stood down: the date it is re-convened on (issue 20)
    interim_arrangement: str = ""  # stood down: what keeps the child safe until then
    overall_scale: int | None = None
    first_core_group_on: date | None = None
    next_review_on: date | None = None
    next_dates_note: str = ""  # why the suggested dates were changed
    contingency_plan: str = ""
    parents_views: str = ""
    # Record life.
    record_status: RecordStatus = RecordStatus.DRAFT
    signed_off_by: str = ""
    finalised_at: datetime | None = None
    updated_by: str = ""
    # Continuity (issue 13): the stood-down meeting this one was rearranged from. A rearranged conference is
    # the same conference; its stood-down meetings are its history (measure 08 counts it once).
    rearranged_from_id: uuid.UUID | None = None

    @property
    def ref(self) -> str:
        """The short human reference shown in lists: derived from the UUID, so laptops never clash."""
        return short_ref(self.id)


def short_ref(conference_id: uuid.UUID) -> str:
    return "C-" + conference_id.hex[:6].upper()


@dataclass(kw_only=True)
class ConferenceBundle:
    """One conference, complete: what a conference file carries and what documents are built from."""

    conference: Conference
    family: Family
    children: list[Child] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    plan_history: list[PlanHistory] = field(default_factory=list)
    invitations: list[Invitation] = field(default_factory=list)
    conference_children: list[ConferenceChild] = field(default_factory=list)
    mapping_items: list[MappingItem] = field(default_factory=list)
    pairs: list[DangerGoalPair] = field(default_factory=list)
    scores: list[ScaleScore] = field(default_factory=list)
    recommendations: list[Recommendation] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)
    actions: list[PlanAction] = field(default_factory=list)
    delay_reasons: list[DelayReason] = field(default_factory=list)
    documents: list[DocumentRecord] = field(default_factory=list)
    amendments: list[Amendment] = field(default_factory=list)
    network: list[NetworkLink] = field(default_factory=list)
    restrictions: list[SharingRestriction] = field(default_factory=list)
    audience: list[AudienceMark] = field(default_factory=list)
    core_groups: list[CoreGroup] = field(default_factory=list)  # issue 13
    core_group_progress: list[CoreGroupProgress] = field(default_factory=list)

    # Lookups used by rules and documents.
    def person(self, person_id: uuid.UUID | None) -> Person | None:
        return next((p for p in self.people if p.id == person_id), None)

    def child(self, child_id: uuid.UUID) -> Child:
        return next(c for c in self.children if c.id == child_id)

    def considered_children(self) -> list[Child]:
        order = {cc.child_id: cc.position for cc in self.conference_children}
        return sorted((c for c in self.children if c.id in order), key=lambda c: order[c.id])


# The bundle's list fields in a fixed order, with the record type each holds: the store, the conference
# file and its schema all walk this one table.
BUNDLE_LISTS: tuple[tuple[str, type[Record]], ...] = (
    ("children", Child),
    ("people", Person),
    ("plan_history", PlanHistory),
    ("invitations", Invitation),
    ("conference_children", ConferenceChild),
    ("mapping_items", MappingItem),
    ("pairs", DangerGoalPair),
    ("scores", ScaleScore),
    ("recommendations", Recommendation),
    ("decisions", Decision),
    ("actions", PlanAction),
    ("delay_reasons", DelayReason),
    ("documents", DocumentRecord),
    ("amendments", Amendment),
    ("network", NetworkLink),
    ("restrictions", SharingRestriction),
    ("audience", AudienceMark),
    ("core_groups", CoreGroup),  # issue 13: core groups, recorded on the review they report to
    ("core_group_progress", CoreGroupProgress),
)


def optional_type(tp: typing.Any) -> tuple[typing.Any, bool]:
    """A field type without its ``| None``, and whether it had one (record fields are ``X`` or ``X | None``)."""
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0], True
    return tp, False


@functools.cache
def field_types(cls: type[Record]) -> dict[str, tuple[typing.Any, bool]]:
    """Each field of a record class: its type and whether it may be None, worked out once per class."""
    return {name: optional_type(tp) for name, tp in typing.get_type_hints(cls).items()}
