"""Recording what happens at a conference: each edit checked by the rules, stored at once, in its own unit of work.

Every function here is one user action. Bad input is refused with one line naming the field and the fix, and
the store is left unchanged. Each edit is journaled in its unit of work (who, when, every row's fields before
and after: ``journal.last_entry()`` is its uid, which ``services/undo`` takes), and changes only the rows it
is about: each row's own version counts its changes, the conference row is not touched by edits elsewhere.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.orm import Session

from chair_app.domain import model as m
from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Category,
    ConferenceStatus,
    Outcome,
    ParticipationCode,
    QuoracyOutcome,
    RecordStatus,
)
from chair_app.domain.errors import InvalidInput, NotFound, RecordFinalised
from chair_app.rules import participation, quoracy
from chair_app.rules.decisions import all_problems, check_decision, no_outcome_problem, repeat_facts
from chair_app.rules.policy import Policy
from chair_app.rules.standdown import stand_down_problems
from chair_app.rules.timescales import next_dates
from chair_app.store import journal
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database

R = TypeVar("R", bound=rows.Base)


def _conference(session: Session, conference_id: uuid.UUID, who: str) -> rows.ConferenceRow:
    row = session.get(rows.ConferenceRow, conference_id)
    if row is None:
        raise NotFound(f"conference: {m.short_ref(conference_id)} is not in this database")
    if row.record_status is RecordStatus.FINALISED:
        raise RecordFinalised("this conference record is finalised and cannot be changed: add an amendment instead")
    op = journal.operation_of(session)
    if op is not None:  # the journal names who and which conference (the conference row is not touched)
        op.who = op.who or who
        op.conference_id = op.conference_id or conference_id
    return row


def _owned(session: Session, row_cls: type[R], row_id: uuid.UUID, missing: str, who: str) -> R:
    """A row of one conference's record, for editing: refused when absent or the record is finalised."""
    row = session.get(row_cls, row_id)
    if row is None:
        raise NotFound(missing)
    _conference(session, row.conference_id, who)
    return row


def _bundle(session: Session, conference_id: uuid.UUID) -> m.ConferenceBundle:
    return repo.load_bundle(session, conference_id)


# ---------------------------------------------------------------------------------------------------------
# Attendance and quoracy


def record_attendance(
    db: Database,
    invitation_id: uuid.UUID,
    status: AttendanceStatus,
    mode: AttendanceMode | None,
    *,
    who: str,
) -> None:
    if status is AttendanceStatus.ATTENDED and mode is None:
        raise InvalidInput("attendance: say how they attended (in person, video or phone)")
    with db.unit_of_work() as session:
        inv = _owned(
            session, rows.InvitationRow, invitation_id, "attendance: that invitee is not on this conference", who
        )
        inv.status = status
        inv.mode = mode if status is AttendanceStatus.ATTENDED else None


def assess_quoracy(db: Database, conference_id: uuid.UUID, policy: Policy) -> quoracy.QuoracyResult:
    with db.unit_of_work() as session:
        bundle = _bundle(session, conference_id)
        previous = (
            session.get(rows.ConferenceRow, bundle.conference.previous_conference_id)
            if bundle.conference.previous_conference_id
            else None
        )
    return quoracy.assess_conference(bundle, policy, previous.quoracy_outcome if previous else None)


def record_quorate(db: Database, conference_id: uuid.UUID, policy: Policy, *, who: str) -> None:
    result = assess_quoracy(db, conference_id, policy)
    if not result.quorate:
        raise InvalidInput(f"quoracy: {result.explanation} Proceed with a rationale or stand the conference down")
    with db.unit_of_work() as session:
        row = _conference(session, conference_id, who)
        row.quoracy_outcome = QuoracyOutcome.QUORATE
        row.quoracy_rationale = ""
        row.status = ConferenceStatus.IN_PROGRESS


def proceed_not_quorate(db: Database, conference_id: uuid.UUID, policy: Policy, rationale: str, *, who: str) -> None:
    """The chair proceeds although the conference is not quorate: the rationale is recorded and flagged."""
    if not rationale.strip():
        raise InvalidInput("rationale: say why the conference goes ahead without being quorate")
    result = assess_quoracy(db, conference_id, policy)
    if result.quorate:
        raise InvalidInput("quoracy: the conference is quorate; record it as quorate instead")
    if not result.may_proceed:
        raise InvalidInput(f"quoracy: {result.explanation}")
    with db.unit_of_work() as session:
        row = _conference(session, conference_id, who)
        row.quoracy_outcome = QuoracyOutcome.PROCEEDED_NOT_QUORATE
        row.quoracy_rationale = rationale.strip()
        row.status = ConferenceStatus.IN_PROGRESS


def stand_down(
    db: Database,
    conference_id: uuid.UUID,
    policy: Policy,
    reason: str,
    note: str = "",
    *,
    reconvene_on: date | None = None,
    interim_arrangement: str = "",
    who: str,
) -> None:
    """Stand the conference down with a reason, the date it is re-convened on (checked against the policy's
    working days) and the interim arrangement until then; every problem named at once."""
    if reason not in policy.stood_down_reasons:
        raise InvalidInput("reason: choose one of: " + "; ".join(policy.stood_down_reasons.values()))
    with db.unit_of_work() as session:
        row = _conference(session, conference_id, who)
        problems = stand_down_problems(row.kind, row.held_on, reason, reconvene_on, interim_arrangement, policy)
        if problems:
            raise InvalidInput(all_problems(problems))
        row.status = ConferenceStatus.STOOD_DOWN
        row.quoracy_outcome = QuoracyOutcome.STOOD_DOWN if reason == "not_quorate" else row.quoracy_outcome
        row.stood_down_reason = reason
        row.stood_down_note = note.strip()
        row.reconvene_on = reconvene_on
        row.interim_arrangement = interim_arrangement.strip()


# ---------------------------------------------------------------------------------------------------------
# Child's voice, decisions, scales, delay reasons


def record_participation(
    db: Database,
    conference_id: uuid.UUID,
    child_id: uuid.UUID,
    code: ParticipationCode | None,
    policy: Policy,
    *,
    advocacy_offered: bool | None = None,
    who: str,
) -> None:
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        child = session.get(rows.ChildRow, child_id)
        voice = session.scalars(
            select(rows.ConferenceChildRow).where(
                rows.ConferenceChildRow.conference_id == conference_id, rows.ConferenceChildRow.child_id == child_id
            )
        ).one_or_none()
        if child is None or voice is None:
            raise NotFound("child: not considered at this conference")
        if code is None:
            code = participation.derived_code(child.date_of_birth, conf.held_on)
        problem = participation.check_code(code, child.date_of_birth, conf.held_on)
        if problem:
            raise InvalidInput(problem)
        prompt = participation.advocacy_prompt(child.date_of_birth, conf.held_on, policy)
        if advocacy_offered is None and prompt.due and voice.advocacy_offered is None:
            raise InvalidInput(f"advocacy: {prompt.explanation}")
        disagreement = participation.check_advocacy(
            code, voice.advocacy_offered if advocacy_offered is None else advocacy_offered
        )
        if disagreement:
            raise InvalidInput(disagreement)
        voice.participation_code = code
        if advocacy_offered is not None:
            voice.advocacy_offered = advocacy_offered


def record_decision(
    db: Database,
    conference_id: uuid.UUID,
    child_id: uuid.UUID,
    outcome: Outcome | None,
    policy: Policy,
    *,
    category: Category | None = None,
    contributing: list[Category] | None = None,
    lead_agency: str = "",
    reasons: str = "",
    no_plan_next_step: str = "",
    end_reason: str = "",
    repeat_plan_analysis: str = "",
    dissent: str = "",
    secondary_category: Category | None = None,
    category_reason: str = "",
    decided_on: date,
    who: str,
) -> m.Decision:
    """Record (or replace) the chair's decision for one child; refused unless complete under the rules, naming
    every problem at once. ``outcome`` None: no decision chosen yet (refused, saying so)."""
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        if outcome is None:
            raise InvalidInput(no_outcome_problem(conf.kind))
        bundle = _bundle(session, conference_id)
        existing = next((d for d in bundle.decisions if d.child_id == child_id), None)
        if child_id not in {cc.child_id for cc in bundle.conference_children}:
            raise NotFound("child: not considered at this conference")
        decision = m.Decision(
            conference_id=conference_id,
            child_id=child_id,
            outcome=outcome,
            initial_category=category if outcome is Outcome.PLAN else (existing.initial_category if existing else None),
            latest_category=category if outcome in (Outcome.PLAN, Outcome.CONTINUE) else None,
            contributing_categories=list(contributing or []),
            lead_agency=lead_agency.strip(),
            reasons=reasons.strip(),
            no_plan_next_step=no_plan_next_step.strip(),
            end_reason=end_reason,
            repeat_plan_analysis=repeat_plan_analysis.strip(),
            dissent=dissent.strip(),
            decided_on=decided_on,
            secondary_category=secondary_category if outcome in (Outcome.PLAN, Outcome.CONTINUE) else None,
            category_reason=category_reason.strip() if outcome in (Outcome.PLAN, Outcome.CONTINUE) else "",
        )
        repeat = repeat_facts(bundle.plan_history, child_id, conf.held_on) if outcome is Outcome.PLAN else None
        problems = check_decision(decision, conf.kind, policy, repeat=repeat, held_on=conf.held_on)
        if problems:
            raise InvalidInput(all_problems(problems))
        if existing is not None:
            row = session.get_one(rows.DecisionRow, existing.id)
            for name in (
                "outcome",
                "initial_category",
                "latest_category",
                "contributing_categories",
                "lead_agency",
                "reasons",
                "no_plan_next_step",
                "end_reason",
                "repeat_plan_analysis",
                "dissent",
                "decided_on",
                "secondary_category",
                "category_reason",
            ):
                setattr(row, name, getattr(decision, name))
            decision.id = existing.id
        else:
            session.add(repo.to_row(decision))
        if outcome in (Outcome.PLAN, Outcome.CONTINUE) and conf.next_review_on is None:
            dates = next_dates(conf.held_on, conf.kind, policy)
            conf.first_core_group_on = dates.first_core_group
            conf.next_review_on = dates.next_review
        _keep_plan_history(session, conf, decision)
        voice = session.scalars(
            select(rows.ConferenceChildRow).where(
                rows.ConferenceChildRow.conference_id == conference_id, rows.ConferenceChildRow.child_id == child_id
            )
        ).one()
        voice.decision_draft = ""  # recorded: the draft has done its job
        return decision


def _keep_plan_history(session: Session, conf: rows.ConferenceRow, decision: m.Decision) -> None:
    """The child's plan history follows the decisions: a plan starts, its category changes, or it ends."""
    plans = session.scalars(select(rows.PlanHistoryRow).where(rows.PlanHistoryRow.child_id == decision.child_id)).all()
    started_here = next((p for p in plans if p.conference_id == conf.id), None)
    open_plan = next((p for p in plans if p.ended_on is None and p.conference_id != conf.id), None)
    if decision.outcome is Outcome.PLAN:
        if started_here is None:
            session.add(
                rows.PlanHistoryRow(
                    child_id=decision.child_id,
                    started_on=conf.held_on,
                    conference_id=conf.id,
                    initial_category=decision.initial_category,
                    latest_category=decision.initial_category,
                )
            )
        else:
            started_here.initial_category = started_here.latest_category = decision.initial_category
    elif decision.outcome is Outcome.NO_PLAN and started_here is not None:
        session.delete(started_here)  # the decision was changed from plan to no plan at the same conference
    elif decision.outcome is Outcome.CONTINUE and open_plan is not None:
        open_plan.latest_category = decision.latest_category or open_plan.latest_category
    elif decision.outcome is Outcome.END and open_plan is not None:
        open_plan.ended_on = conf.held_on
        open_plan.end_reason = decision.end_reason


def set_next_dates(
    db: Database,
    conference_id: uuid.UUID,
    first_core_group: date,
    next_review: date,
    reason: str,
    policy: Policy,
    *,
    who: str,
) -> None:
    """Change the suggested dates: a reason is required when they differ from what the rules suggest."""
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        suggested = next_dates(conf.held_on, conf.kind, policy)
        if (first_core_group, next_review) != (
            suggested.first_core_group,
            suggested.next_review,
        ) and not reason.strip():
            raise InvalidInput(f"reason: say why the dates differ from the rules' suggestion ({suggested.explanation})")
        if first_core_group <= conf.held_on or next_review <= conf.held_on:
            raise InvalidInput("dates: the core group and the review come after the conference")
        conf.first_core_group_on = first_core_group
        conf.next_review_on = next_review
        conf.next_dates_note = reason.strip()


def record_scale(db: Database, pair_id: uuid.UUID, score: int | None, *, who: str) -> None:
    if score is not None and not 0 <= score <= 10:
        raise InvalidInput("scale: a score is a whole number from 0 to 10")
    with db.unit_of_work() as session:
        pair = _owned(
            session, rows.DangerGoalPairRow, pair_id, "scale: that danger statement is not on this conference", who
        )
        pair.scale = score


def record_delay_reason(db: Database, conference_id: uuid.UUID, measure: str, reason: str, *, who: str) -> None:
    if not reason.strip():
        raise InvalidInput("reason for delay: say why the timescale was missed")
    with db.unit_of_work() as session:
        _conference(session, conference_id, who)
        existing = session.scalars(
            select(rows.DelayReasonRow).where(
                rows.DelayReasonRow.conference_id == conference_id, rows.DelayReasonRow.measure == measure
            )
        ).one_or_none()
        if existing:
            existing.reason = reason.strip()
        else:
            session.add(rows.DelayReasonRow(conference_id=conference_id, measure=measure, reason=reason.strip()))


def withdraw_decision(
    db: Database, conference_id: uuid.UUID, child_id: uuid.UUID, *, draft: str = "", who: str
) -> None:
    """Take back a child's decision (undo): the plan history it changed goes back to how it was, and the
    child's decision draft becomes ``draft`` (the form as it was when the decision was recorded)."""
    with db.unit_of_work() as session:
        conf = _conference(session, conference_id, who)
        voice = session.scalars(
            select(rows.ConferenceChildRow).where(
                rows.ConferenceChildRow.conference_id == conference_id, rows.ConferenceChildRow.child_id == child_id
            )
        ).one_or_none()
        if voice is not None:
            voice.decision_draft = draft
        row = session.scalars(
            select(rows.DecisionRow).where(
                rows.DecisionRow.conference_id == conference_id, rows.DecisionRow.child_id == child_id
            )
        ).one_or_none()
        if row is None:
            return
        plans = session.scalars(select(rows.PlanHistoryRow).where(rows.PlanHistoryRow.child_id == child_id)).all()
        for plan in plans:
            if plan.conference_id == conf.id:
                session.delete(plan)  # the plan this decision started
            elif row.outcome is Outcome.END and plan.ended_on == conf.held_on:
                plan.ended_on = None  # the plan this decision ended is open again
                plan.end_reason = ""
        session.delete(row)


def restore_decision(
    db: Database,
    conference_id: uuid.UUID,
    child_id: uuid.UUID,
    previous: m.Decision | None,
    policy: Policy,
    *,
    draft: str = "",
    who: str,
) -> None:
    """Put a child's decision back as it was before the last one was recorded (undo): ``previous``, or none
    (with ``draft`` as the child's decision draft again)."""
    if previous is None:
        withdraw_decision(db, conference_id, child_id, draft=draft, who=who)
        return
    record_decision(
        db,
        conference_id,
        child_id,
        previous.outcome,
        policy,
        decided_on=previous.decided_on or date.today(),
        category=previous.latest_category or previous.initial_category,
        contributing=previous.contributing_categories,
        lead_agency=previous.lead_agency,
        reasons=previous.reasons,
        no_plan_next_step=previous.no_plan_next_step,
        end_reason=previous.end_reason,
        repeat_plan_analysis=previous.repeat_plan_analysis,
        dissent=previous.dissent,
        secondary_category=previous.secondary_category,
        category_reason=previous.category_reason,
        who=who,
    )
