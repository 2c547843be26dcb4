"""One family's story across conferences (issue 13): the next meeting convened from the last one.

"Convene review" makes the next conference of the right kind after one that was held and left a child on a
plan; "Rearrange" makes the conference held instead of a meeting that was stood down. Either way the new
conference is linked to the one before (``previous_conference_id``; a rearrangement also names the meeting
it replaces, ``rearranged_from_id``), so its due dates come from the rules, and it has the same family,
children, invitees and chair: nobody is retyped, and the chair stays with the family.

A rearranged conference is the same conference: the stood-down meetings are its history (measure 08 counts
it once). Each operation is one unit of work; the journal records the new conference as the operation's.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import ConferenceStatus, MeetingKind, Outcome
from chair_app.domain.errors import InvalidInput
from chair_app.rules import inputs
from chair_app.rules.policy import Policy
from chair_app.rules.timescales import born_since, conference_due_date, linked_timescales, next_dates
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database
from chair_app.store.journal import current_user
from chair_app.store.transactions import retry_transient

HELD = (ConferenceStatus.HELD, ConferenceStatus.IN_PROGRESS)
ON_PLAN = (Outcome.PLAN, Outcome.CONTINUE)
NOT_QUORATE_REASON = "not_quorate"  # the stood-down reason (policy key) after which an initial is re-convened


def _conference(session: Session, ref: str) -> m.Conference:
    return repo.to_record(repo.get_conference_row(session, ref), m.Conference)


def _owned(session: Session, cls: type, conference_id: uuid.UUID) -> list:
    row_cls = repo.RECORD_ROWS[cls]
    stmt = select(row_cls).where(row_cls.conference_id == conference_id)
    found = [repo.to_record(r, cls) for r in session.scalars(stmt)]
    return sorted(found, key=lambda r: getattr(r, "position", 0))


def _followed_by(session: Session, column, conference_id: uuid.UUID) -> m.Conference | None:
    """The latest conference whose ``column`` names ``conference_id``."""
    c = rows.ConferenceRow
    row = session.scalars(select(c).where(column == conference_id).order_by(c.held_on.desc()).limit(1)).first()
    return repo.to_record(row, m.Conference) if row is not None else None


def _copy(
    session: Session, earlier: m.Conference, conference: m.Conference, child_ids: list[uuid.UUID]
) -> m.ConferenceBundle:
    """The new conference with the earlier one's children (``child_ids``, in its order) and invitees: the same
    people, invited afresh (attendance, reports and exclusions are the new meeting's own)."""
    bundle = m.ConferenceBundle(
        conference=conference, family=repo.to_record(session.get_one(rows.FamilyRow, earlier.family_id), m.Family)
    )
    bundle.conference_children = [
        m.ConferenceChild(conference_id=conference.id, child_id=child_id, position=position)
        for position, child_id in enumerate(child_ids)
    ]
    bundle.invitations = [
        m.Invitation(
            conference_id=conference.id,
            person_id=inv.person_id,
            position=inv.position,
            core_group_member=inv.core_group_member,
        )
        for inv in _owned(session, m.Invitation, earlier.id)
    ]
    # The family network and what is not to be shared with whom are the family's, not one meeting's (issue 12):
    # they come to the next meeting as they stood, for the chair to review, never to be typed again.
    cid = conference.id
    bundle.network = [
        replace(x, id=m.new_id(), conference_id=cid, version=1) for x in _owned(session, m.NetworkLink, earlier.id)
    ]
    bundle.restrictions = [
        replace(x, id=m.new_id(), conference_id=cid, version=1)
        for x in _owned(session, m.SharingRestriction, earlier.id)
    ]
    return bundle


def _carry_who_may_read(
    session: Session, earlier: m.Conference, bundle: m.ConferenceBundle, carried: dict[uuid.UUID, uuid.UUID]
) -> None:
    """Who may read what comes back from the earlier meeting: each mark on a record carried over (``carried``:
    earlier id -> new id), on a person, on an invitee's contribution or on a paragraph of the record comes too,
    with the restriction it carries out; a mark on something not carried over (an action done) stays behind."""
    ids = dict(carried)
    ids[earlier.id] = bundle.conference.id
    by_person = {i.person_id: i.id for i in bundle.invitations}
    ids |= {
        inv.id: by_person[inv.person_id]
        for inv in _owned(session, m.Invitation, earlier.id)
        if inv.person_id in by_person
    }

    def same(r: m.SharingRestriction) -> tuple:
        return (r.about_id, r.person_id, r.details, r.reason)

    now = {same(r): r.id for r in bundle.restrictions}
    restrictions = {r.id: now.get(same(r)) for r in _owned(session, m.SharingRestriction, earlier.id)}
    people = {i.person_id for i in bundle.invitations}
    bundle.audience = []
    for mark in _owned(session, m.AudienceMark, earlier.id):
        subject = ids.get(mark.subject_id, mark.subject_id if mark.subject_id in people else None)
        if subject is None:
            continue
        bundle.audience.append(
            replace(
                mark,
                id=m.new_id(),
                conference_id=bundle.conference.id,
                subject_id=subject,
                restriction_id=restrictions.get(mark.restriction_id) if mark.restriction_id else None,
                version=1,
            )
        )


def _carry_forward(session: Session, earlier: m.Conference, bundle: m.ConferenceBundle) -> None:
    """The review's map and plan start from the earlier conference's: each item comes back as "last time" for
    the chair to mark, each danger statement with its safety goal (its scale to be judged afresh, its history
    kept), each plan action for its progress."""
    cid = bundle.conference.id
    bundle.mapping_items = [
        m.MappingItem(
            conference_id=cid,
            section=x.section,
            text=x.text,
            position=x.position,
            said_by=x.said_by,
            child_id=x.child_id,
            carried_from_id=x.id,
            earlier_text=x.text,
        )
        for x in _owned(session, m.MappingItem, earlier.id)
        if x.last_time != "no_longer"  # a worry gone last time does not come back
    ]
    bundle.pairs = [
        m.DangerGoalPair(
            conference_id=cid,
            danger_statement=p.danger_statement,
            safety_goal=p.safety_goal,
            position=p.position,
            carried_from_id=p.id,
        )
        for p in _owned(session, m.DangerGoalPair, earlier.id)
    ]
    bundle.actions = [
        m.PlanAction(
            conference_id=cid,
            what=a.what,
            who=a.who,
            by_when=a.by_when,
            how_we_know=a.how_we_know,
            position=a.position,
            child_id=a.child_id,
            carried_from_id=a.id,
        )
        for a in _owned(session, m.PlanAction, earlier.id)
        if a.progress != "done"  # done at the last review: not asked about again
    ]
    carried = {r.carried_from_id: r.id for r in (*bundle.mapping_items, *bundle.pairs, *bundle.actions)}
    _carry_who_may_read(session, earlier, bundle, carried)


def _copy_as_is(session: Session, stood: m.Conference, bundle: m.ConferenceBundle) -> None:
    """A rearranged conference keeps what its stood-down meeting had prepared (the map brought forward, marks
    already made): the same records, new ids."""
    cid = bundle.conference.id
    carried: dict[uuid.UUID, uuid.UUID] = {}
    for name, cls in (("mapping_items", m.MappingItem), ("pairs", m.DangerGoalPair), ("actions", m.PlanAction)):
        copies = []
        for r in _owned(session, cls, stood.id):
            copies.append(replace(r, id=m.new_id(), conference_id=cid, version=1))
            carried[r.id] = copies[-1].id
        setattr(bundle, name, copies)
    _carry_who_may_read(session, stood, bundle, carried)


def _store(session: Session, bundle: m.ConferenceBundle) -> None:
    """Only the new conference and the records it owns: the family, children and people are already stored
    and are not written again (a finalised earlier conference shows them as at its sign-off)."""
    session.add(repo.to_row(bundle.conference))
    session.flush()
    for name in (
        "conference_children",
        "invitations",
        "mapping_items",
        "pairs",
        "actions",
        "network",
        "restrictions",
        "audience",
    ):
        session.add_all(repo.to_row(r) for r in getattr(bundle, name))


def _check_date(held_on: date, policy: Policy, today: date, label: str) -> None:
    problem = inputs.conference_date_problem(held_on, policy, today)
    if problem:
        raise InvalidInput(f"{label}: {problem}")


def _meeting(earlier: m.Conference, **changes) -> m.Conference:
    """A new conference like ``earlier``: the same family, chair, minute-taker, venue and time."""
    return m.Conference(
        family_id=earlier.family_id,
        start_time=earlier.start_time,
        venue=earlier.venue,
        remote=earlier.remote,
        chair=earlier.chair,
        minute_taker=earlier.minute_taker,
        **changes,
    )


def review_kind(earlier: MeetingKind) -> MeetingKind:
    """The review that follows a conference: the first review after an initial one, a review after a review."""
    return MeetingKind.FIRST_REVIEW if earlier.is_initial else MeetingKind.REVIEW


@retry_transient
def convene_review(
    db: Database,
    ref: str,
    policy: Policy,
    *,
    who: str | None = None,
    held_on: date | None = None,
    today: date | None = None,
) -> m.ConferenceBundle:
    """The review after conference ``ref``: for the children who are on a plan after it, on ``held_on`` or
    else the review date the conference set, else the date the rules make it due by."""
    today, who = today or date.today(), who or current_user()
    with db.unit_of_work("convene_review", who=who) as session:
        earlier = _conference(session, ref)
        if earlier.status is ConferenceStatus.STOOD_DOWN:
            raise InvalidInput(
                f"REF: {earlier.ref} was stood down, so there is no review to convene after it; "
                f"rearrange it instead: chair-app rearrange {earlier.ref} --date dd/mm/yyyy"
            )
        if earlier.status not in HELD:
            raise InvalidInput(f"REF: {earlier.ref} has not been held yet; convene its review once it has been held")
        c = rows.ConferenceRow
        after = _followed_by(session, c.previous_conference_id, earlier.id)
        if after is not None:
            raise InvalidInput(
                f"REF: {earlier.ref} is already followed by {after.ref} on {uk_date(after.held_on)}; "
                f"open that one (or rearrange it if it was stood down)"
            )
        decisions = _owned(session, m.Decision, earlier.id)
        on_plan = {d.child_id for d in decisions if d.outcome in ON_PLAN}
        if not on_plan:
            raise InvalidInput(
                f"REF: no child is on a plan after {earlier.ref}; a review follows a decision of plan or continue "
                "(record the decisions first)"
            )
        considered = [cc.child_id for cc in _owned(session, m.ConferenceChild, earlier.id)]
        conference = _meeting(
            earlier,
            kind=review_kind(earlier.kind),
            held_on=held_on or earlier.held_on,  # set below, once the children are known
            previous_conference_id=earlier.id,
            updated_by=who,
        )
        bundle = _copy(session, earlier, conference, [i for i in considered if i in on_plan])
        _carry_forward(session, earlier, bundle)
        if held_on is None:
            bundle.children = [
                repo.to_record(session.get_one(rows.ChildRow, cc.child_id), m.Child)
                for cc in bundle.conference_children
            ]
            due = conference_due_date(bundle, policy, earlier.held_on)
            suggested = earlier.next_review_on or next_dates(earlier.held_on, earlier.kind, policy).next_review
            conference.held_on = min(suggested, due) if due else suggested
        _check_date(conference.held_on, policy, today, "--date")
        if conference.held_on <= earlier.held_on:
            raise InvalidInput(
                f"--date: {uk_date(conference.held_on)} is not after {earlier.ref} on {uk_date(earlier.held_on)}; "
                "give a later date"
            )
        _store(session, bundle)
        new_id = conference.id
    return _load(db, new_id)


@retry_transient
def rearrange(
    db: Database, ref: str, held_on: date, policy: Policy, *, who: str | None = None, today: date | None = None
) -> m.ConferenceBundle:
    """The conference held instead of the stood-down meeting ``ref``, on ``held_on``: the same conference
    (same kind, children, invitees, chair, and the facts its due date is counted from), linked to the meeting.
    An initial conference stood down as not quorate is re-convened: due within the policy's working days of
    it, and it is the re-convened conference's previous one (so quoracy knows the last one was not quorate)."""
    today, who = today or date.today(), who or current_user()
    with db.unit_of_work("rearrange", who=who) as session:
        stood = _conference(session, ref)
        if stood.status is not ConferenceStatus.STOOD_DOWN:
            raise InvalidInput(
                f"REF: {stood.ref} was not stood down; only a stood-down meeting is rearranged "
                "(record it as stood down first)"
            )
        again = _followed_by(session, rows.ConferenceRow.rearranged_from_id, stood.id)
        if again is not None:
            raise InvalidInput(
                f"REF: {stood.ref} is already rearranged as {again.ref} on {uk_date(again.held_on)}; "
                f"rearrange {again.ref} if that one was stood down too"
            )
        _check_date(held_on, policy, today, "--date")
        if held_on <= stood.held_on:
            raise InvalidInput(
                f"--date: {uk_date(held_on)} is not after the stood-down meeting on {uk_date(stood.held_on)}; "
                "give a later date"
            )
        reconvene = (
            stood.kind in (MeetingKind.INITIAL, MeetingKind.RECONVENED_INITIAL)
            and stood.stood_down_reason == NOT_QUORATE_REASON
        )
        conference = _meeting(
            stood,
            kind=MeetingKind.RECONVENED_INITIAL if reconvene else stood.kind,
            held_on=held_on,
            previous_conference_id=stood.id if reconvene else stood.previous_conference_id,
            rearranged_from_id=stood.id,
            strategy_discussion_on=stood.strategy_discussion_on,
            transfer_notified_on=stood.transfer_notified_on,
            requested_on=stood.requested_on,
            cin_referral_date=stood.cin_referral_date,
            referral_source=stood.referral_source,
            report_to_parents_on=stood.report_to_parents_on,
            report_to_chair_on=stood.report_to_chair_on,
            updated_by=who,
        )
        considered = [cc.child_id for cc in _owned(session, m.ConferenceChild, stood.id)]
        bundle = _copy(session, stood, conference, considered)
        _copy_as_is(session, stood, bundle)
        _store(session, bundle)
        new_id = conference.id
    return _load(db, new_id)


def _load(db: Database, conference_id: uuid.UUID) -> m.ConferenceBundle:
    with db.unit_of_work() as session:
        return repo.load_bundle(session, conference_id)


# ---------------------------------------------------------------------------------------------------------
# What `chair-app show` prints about the earlier meetings


@dataclass(frozen=True)
class Link:
    ref: str
    kind: MeetingKind
    held_on: date
    status: ConferenceStatus
    stood_down_reason: str


@dataclass(frozen=True)
class Continuity:
    previous: Link | None  # the conference this one follows on from
    stood_down: tuple[Link, ...]  # the meetings this conference was rearranged from, earliest first
    next_meeting: Link | None  # the conference convened after this one, when there is one
    due: tuple[str, ...] = ()  # the due dates counted from the earlier meeting, in words
    review: tuple[str, ...] = ()  # what came back from the last conference: marks, scale histories, progress
    core_groups: tuple[str, ...] = ()  # the core groups before this review, with their due dates


def _link(c: m.Conference) -> Link:
    return Link(c.ref, c.kind, c.held_on, c.status, c.stood_down_reason)


def linked_due(bundle: m.ConferenceBundle, previous: m.Conference | None, policy: Policy) -> tuple[str, ...]:
    """The due dates of ``bundle``'s conference that are counted from the earlier meeting, in words."""
    c = bundle.conference
    if previous is None:
        return ()
    t = policy.timescales
    out = []
    if not c.kind.is_initial:
        due = conference_due_date(bundle, policy, previous.held_on)
        months = t["first_review_months"] if c.kind is MeetingKind.FIRST_REVIEW else t["review_months"]
        after = f"{months} months after {previous.ref} ({uk_date(previous.held_on)})"
        why = f"within {after}"
        born = born_since(bundle, previous.held_on) if c.kind is MeetingKind.FIRST_REVIEW else None
        if born is not None:
            wd = t["pre_birth_first_review_working_days_after_birth"]
            why = f"the earlier of {after} and {wd} working days after the birth ({uk_date(born)})"
        out.append(f"  Conference due by {uk_date(due)}: {why}")
    out += [f"  {r.explanation}" for r in linked_timescales(bundle, policy, date.today(), previous.held_on)]
    return tuple(out)


def _counted(marks: list[str], words: dict[str, str]) -> str:
    parts = [f"{marks.count(k)} {w.lower()}" for k, w in words.items() if marks.count(k)]
    if marks.count(""):
        parts.append(f"{marks.count('')} not marked yet")
    return ", ".join(parts)


def _review_lines(bundle: m.ConferenceBundle) -> tuple[str, ...]:
    items = [x.last_time for x in bundle.mapping_items if x.carried_from_id]
    actions = [a.progress for a in bundle.actions if a.carried_from_id]
    out = []
    if items:
        out.append(
            f"  From the last map: {len(items)} item{'s' if len(items) != 1 else ''} ({_counted(items, m.LAST_TIME)})"
        )
    if actions:
        out.append(
            f"  From the last plan: {len(actions)} action{'s' if len(actions) != 1 else ''} "
            f"({_counted(actions, m.PROGRESS)})"
        )
    return tuple(out)


def continuity(db: Database, ref: str, policy: Policy | None = None) -> Continuity:
    with db.unit_of_work() as session:
        conf = _conference(session, ref)
        previous = session.get(rows.ConferenceRow, conf.previous_conference_id) if conf.previous_conference_id else None
        due, review, groups = (), (), ()
        if policy is not None:
            before = repo.to_record(previous, m.Conference) if previous is not None else None
            bundle = repo.load_bundle(session, conf.id)
            due = linked_due(bundle, before, policy)
            review = _review_lines(bundle)
            if not conf.kind.is_initial and before is not None:
                from chair_app.services.core_groups import core_group_lines, numbered_actions

                groups = tuple(
                    x for x in (*core_group_lines(bundle, before.held_on, policy), numbered_actions(bundle)) if x
                )
        history: list[Link] = []
        seen: set[uuid.UUID] = {conf.id}
        step = conf.rearranged_from_id
        while step is not None and step not in seen:  # a chain of stood-down meetings, never a circle
            seen.add(step)
            row = session.get(rows.ConferenceRow, step)
            if row is None:  # on another laptop: the link is kept, the meeting is not here
                break
            history.append(_link(repo.to_record(row, m.Conference)))
            step = row.rearranged_from_id
        after = _followed_by(session, rows.ConferenceRow.previous_conference_id, conf.id)
        found = Continuity(
            _link(repo.to_record(previous, m.Conference)) if previous is not None else None,
            tuple(reversed(history)),
            _link(after) if after is not None and after.id != conf.id else None,
            due,
            review,
            groups,
        )
        statements = {p.id: p.danger_statement for p in _owned(session, m.DangerGoalPair, conf.id)}
    scales = [
        f"  Scale, {_short(statements[pid])}: {scale_line(points)}"
        for pid, points in scale_histories(db, conf.id).items()
        if len(points) > 1
    ]
    return replace(found, review=found.review + tuple(scales))


def _short(text: str, n: int = 50) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if len(text) <= n else f'"{text[: n - 3]}..."'


def continuity_lines(found: Continuity, policy: Policy) -> list[str]:
    """The earlier and later meetings, as `chair-app show` prints them (nothing when there are none)."""
    out = []
    if found.previous:
        p = found.previous
        out.append(f"  Follows on from {p.ref}, {p.kind.short_label.lower()} on {uk_date(p.held_on)}")
    for s in found.stood_down:
        reason = policy.stood_down_reasons.get(s.stood_down_reason, s.stood_down_reason) or "reason not recorded"
        out.append(f"  Rearranged from {s.ref}, stood down on {uk_date(s.held_on)}: {reason}")
    out += found.due
    out += found.review
    if found.next_meeting:
        n = found.next_meeting
        out.append(f"  Next: {n.ref}, {n.kind.short_label.lower()} on {uk_date(n.held_on)}")
    groups = ["", "Core groups", *found.core_groups] if found.core_groups else []
    return (["", "Earlier and later meetings", *out] if out else []) + groups


# ---------------------------------------------------------------------------------------------------------
# The review's map and plan: marks on what came back from the last conference


def mark_item(
    db: Database, item_id: uuid.UUID, mark: str, new_text: str = "", *, who: str | None = None
) -> m.MappingItem:
    """The chair's mark on an item brought forward from the last map: still true, changed (with the new
    wording, which becomes the item's text) or no longer a worry; "" takes the mark back."""
    if mark and mark not in m.LAST_TIME:
        raise InvalidInput("Last time: choose one of: " + "; ".join(m.LAST_TIME.values()))
    if mark == "changed" and not new_text.strip():
        raise InvalidInput("Changed: give the new wording of the item")
    with db.unit_of_work("mark_item", who=who or current_user()) as session:
        row = session.get(rows.MappingItemRow, item_id)
        if row is None:
            raise InvalidInput("Item: it is no longer on the map; refresh and try again")
        if row.carried_from_id is None:
            raise InvalidInput(
                "Last time: this item is new at this conference; only items from the last map are marked"
            )
        _touch(session, row.conference_id, who)
        row.last_time = mark
        row.text = new_text.strip() if mark == "changed" else row.earlier_text
        return repo.to_record(row, m.MappingItem)


def record_progress(
    db: Database, action_id: uuid.UUID, progress: str, note: str = "", *, who: str | None = None
) -> m.PlanAction:
    """How far an action of the last plan got: done, partly done or not done, with a note."""
    if progress and progress not in m.PROGRESS:
        raise InvalidInput("Progress: choose one of: " + "; ".join(m.PROGRESS.values()))
    with db.unit_of_work("record_progress", who=who or current_user()) as session:
        row = session.get(rows.PlanActionRow, action_id)
        if row is None:
            raise InvalidInput("Action: it is no longer in the plan; refresh and try again")
        if row.carried_from_id is None:
            raise InvalidInput("Progress: this action is new in this plan; progress is recorded at the next review")
        _touch(session, row.conference_id, who)
        row.progress, row.progress_note = progress, note.strip()
        return repo.to_record(row, m.PlanAction)


def _touch(session: Session, conference_id: uuid.UUID, who: str | None) -> None:
    """An edit of a conference's record is an edit of the conference (its version counts it; refused when
    finalised), as services.recording does."""
    from chair_app.services.recording import _conference as editable

    editable(session, conference_id, who or current_user())


@dataclass(frozen=True)
class ScalePoint:
    ref: str
    held_on: date
    scale: int | None


def scale_histories(db: Database, conference_id: uuid.UUID) -> dict[uuid.UUID, tuple[ScalePoint, ...]]:
    """Each danger statement's scale across the family's conferences, earliest first, ending with this one's
    (for example 2, 4, 6): followed back through the pairs it continues."""
    with db.unit_of_work() as session:
        out = {}
        for pair in _owned(session, m.DangerGoalPair, conference_id):
            points, step, seen = [], pair, set()
            while step is not None and step.id not in seen:
                seen.add(step.id)
                conf = session.get(rows.ConferenceRow, step.conference_id)
                points.append(ScalePoint(m.short_ref(conf.id), conf.held_on, step.scale))
                row = session.get(rows.DangerGoalPairRow, step.carried_from_id) if step.carried_from_id else None
                step = repo.to_record(row, m.DangerGoalPair) if row is not None else None
            out[pair.id] = tuple(reversed(points))
        return out


def scale_line(points: tuple[ScalePoint, ...]) -> str:
    """A scale history in words: "2 (01/04/2026), 4 (01/07/2026), 6 (01/01/2027)"."""
    return ", ".join(f"{'-' if p.scale is None else p.scale} ({uk_date(p.held_on)})" for p in points)


# ---------------------------------------------------------------------------------------------------------
# A chair's caseload (issue 13, Build 6)


@dataclass(frozen=True)
class CaseloadRow:
    family_id: uuid.UUID
    family: str
    children: tuple[str, ...]  # on a plan now
    plan_started: date
    months_open: int
    last_ref: str
    last_held_on: date
    next_review: date | None  # the review convened, else the date the last conference set
    next_ref: str
    prompt: str  # at 9 months: can the plan end?  over 18: why not?


def caseload(db: Database, chair: str, policy: Policy, today: date | None = None) -> list[CaseloadRow]:
    """The families whose last conference this chair chaired (or whose next one they will), with a child on a
    plan: how long the plan has been open, the next review, and the prompts the policy's months give."""
    from chair_app.rules.timescales import plan_length

    today = today or date.today()
    who = " ".join(chair.split()).casefold()
    if not who:
        raise InvalidInput("Chair: give the chair's name as it is recorded on conferences")
    c = rows.ConferenceRow
    with db.unit_of_work() as session:
        mine = select(c.family_id).where(func.lower(c.chair) == who).distinct()
        meetings = session.scalars(
            select(c).where(c.family_id.in_(mine), c.status != ConferenceStatus.STOOD_DOWN).order_by(c.held_on)
        ).all()
        by_family: dict[uuid.UUID, list] = {}
        for row in meetings:
            by_family.setdefault(row.family_id, []).append(row)
        out = []
        for family_id, confs in by_family.items():
            held = [x for x in confs if x.status in HELD]
            coming = [x for x in confs if x.status not in HELD and x.held_on >= today]
            current = coming[0] if coming else (held[-1] if held else None)
            if current is None or " ".join(current.chair.split()).casefold() != who or not held:
                continue
            family_kids = session.scalars(select(rows.ChildRow).where(rows.ChildRow.family_id == family_id)).all()
            kids = [k for k in family_kids if k.merged_into_id is None]  # (not in SQL: see services.register)
            plans = session.scalars(
                select(rows.PlanHistoryRow).where(
                    rows.PlanHistoryRow.child_id.in_([k.id for k in kids]), rows.PlanHistoryRow.ended_on.is_(None)
                )
            ).all()
            open_plans = [p for p in plans if p.started_on <= today]
            if not open_plans:
                continue
            started = min(p.started_on for p in open_plans)
            names = {k.id: f"{k.forename} {k.surname}".strip() for k in kids}
            flag = plan_length(started, today, policy)
            t = policy.timescales
            prompt = (
                f"Over {t['long_plan_months']} months: why has the plan not ended?"
                if flag.long_plan
                else f"{t['exit_planning_review_months']} months: can the plan end?"
                if flag.exit_planning_review
                else ""
            )
            last = held[-1]
            out.append(
                CaseloadRow(
                    family_id,
                    session.get_one(rows.FamilyRow, family_id).name,
                    tuple(sorted({names[p.child_id] for p in open_plans})),
                    started,
                    flag.months_open,
                    m.short_ref(last.id),
                    last.held_on,
                    coming[0].held_on if coming else last.next_review_on,
                    m.short_ref(coming[0].id) if coming else "",
                    prompt,
                )
            )
        return sorted(out, key=lambda r: (r.next_review or date.max, r.family))
