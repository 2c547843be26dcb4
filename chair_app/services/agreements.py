"""A second person's agreement to a decision (issue 14; the rules are rules/agreements.py).

``give_agreement`` is the manager's operation (the policy's ``[access.operations]`` says who; on a database
with accounts the signed-in account's full name is what the record keeps). ``require_agreements`` is the one
call finalising makes: it refuses, in one line naming whose agreement is missing, while any is.
"""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select

from chair_app.domain import model as m
from chair_app.domain.errors import InvalidInput
from chair_app.rules import agreements as rules
from chair_app.rules.policy import Policy, load_policy
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database


def agreements_missing(db: Database, ref: str, policy: Policy) -> list[str]:
    with db.unit_of_work("agreements_missing") as session:
        row = repo.get_conference_row(session, ref)
        bundle = repo.load_bundle(session, row.id)
    return rules.missing(bundle, policy)


def give_agreement(
    db: Database, ref: str, policy: Policy, *, child_id: uuid.UUID | None = None, who: str = "", on: date | None = None
) -> list[str]:
    """Agree to the decisions of this conference that need it (or the one child's), as the signed-in account
    (else ``who``). Returns the children's names agreed for."""
    from chair_app.services.accounts import who_signs

    name = who_signs(db) or who.strip()
    if not name:
        raise InvalidInput("agreed by: give the name of the person agreeing")
    with db.unit_of_work("give_agreement") as session:
        row = repo.get_conference_row(session, ref)
        bundle = repo.load_bundle(session, row.id)
        wanted = [n for n in rules.needed(bundle, policy) if not n.given]
        if child_id is not None:
            wanted = [n for n in wanted if n.decision.child_id == child_id]
        if not wanted:
            raise InvalidInput("agreement: no decision of this conference is waiting for an agreement")
        ids = [n.decision.id for n in wanted]
        for d in session.scalars(select(rows.DecisionRow).where(rows.DecisionRow.id.in_(ids))):
            d.agreed_by = name
            d.agreed_on = on or date.today()
            d.agreed_outcome = d.outcome.value
        row.updated_by = name  # the record's version counts the agreement, like every edit
    return [n.child for n in wanted]


def require_agreements(session, conference_id: uuid.UUID, policy: Policy | None = None) -> None:
    """Refuse sign-off while an agreement the policy asks for is missing (inside finalise's unit of work). The
    policy in force is the caller's when given, else CHAIR_POLICY or the bundled one (finalise takes none)."""
    rules.refuse_if_missing(repo.load_bundle(session, conference_id), policy or load_policy())


def record_dissent(
    db: Database,
    ref: str,
    policy: Policy,
    *,
    child_id: uuid.UUID,
    by: str,
    text: str,
    route: str,
    raised_on: date,
    who: str = "",
) -> rules.DissentClock:
    """Note a professional's dissent from a child's decision, its route and the day it was raised; returns its
    clock (the last day to raise one, and for an escalated one the day the answer is due). Refused, with nothing
    changed, outside the policy's hours or on a finalised record (the answer then goes in as an amendment)."""
    from chair_app.rules.calendar import WorkingCalendar

    with db.unit_of_work("record_dissent", who=who or None) as session:
        row = repo.get_conference_row(session, ref)
        d = session.scalars(
            select(rows.DecisionRow).where(
                rows.DecisionRow.conference_id == row.id, rows.DecisionRow.child_id == child_id
            )
        ).first()
        if d is None:
            raise InvalidInput("dissent: record the decision for this child first")
        proposed = repo.to_record(d, m.Decision)
        proposed.dissent_by, proposed.dissent, proposed.dissent_route = by.strip(), text.strip(), route
        proposed.dissent_raised_on = raised_on
        cal = WorkingCalendar.from_policy(policy)
        rules.check_dissent(proposed, row.held_on, policy, cal)
        d.dissent_by, d.dissent, d.dissent_route, d.dissent_raised_on = by.strip(), text.strip(), route, raised_on
        if who:
            row.updated_by = who
    return rules.dissent_clock(proposed, row.held_on, policy, cal)


# The dissent form and the Close step (issue 14) ---------------------------------------------------------------


def dissent_clock_for(decision: m.Decision, held_on: date, policy: Policy) -> rules.DissentClock:
    """The clock of a dissent as it stands (or as it is being typed): the last day to raise it, and for an
    escalated one the day its answer is due (the policy's working days, with the policy's holidays)."""
    from chair_app.rules.calendar import WorkingCalendar

    return rules.dissent_clock(decision, held_on, policy, WorkingCalendar.from_policy(policy))


def dissent_lines(bundle: m.ConferenceBundle, policy: Policy, today: date | None = None) -> list[str]:
    """One line per dissent recorded on this conference's decisions, escalated ones waiting for the senior
    chair's answer first, with the day the answer is due and whether that day has passed; then those answered
    (the day, who, and the answer's first words) and those recorded."""
    today = today or date.today()
    children = {c.id: c.full_name for c in bundle.children}
    waiting, recorded = [], []
    for d in bundle.decisions:
        if not d.dissent_by.strip() or d.dissent_raised_on is None:
            continue
        who, child = d.dissent_by.strip(), children.get(d.child_id, "a child")
        raised = f"{d.dissent_raised_on:%d/%m/%Y}"
        if d.dissent_route == "escalated" and d.dissent_answered_on is not None:
            from chair_app.services.signoff import shorten

            answer = shorten(d.dissent_answer, 80)
            recorded.append(
                f"Dissent by {who} from the decision for {child}: escalated on {raised}; answered on "
                f"{d.dissent_answered_on:%d/%m/%Y} by {d.dissent_answered_by.strip()}: {answer}"
            )
        elif d.dissent_route == "escalated":
            due = dissent_clock_for(d, bundle.conference.held_on, policy).answer_by
            late = " (overdue)" if due is not None and due < today else ""
            waiting.append(
                f"Dissent by {who} from the decision for {child}: escalated on {raised}; "
                f"the answer is due by {due:%d/%m/%Y}{late}"
            )
        else:
            recorded.append(f"Dissent by {who} from the decision for {child}: raised on {raised}, recorded")
    return waiting + recorded
