"""Decisions that need a second person (issue 14): ending a plan at the first review needs a manager's agreement."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from chair_app.domain.enums import MeetingKind, Outcome, RecordStatus
from chair_app.domain.errors import InvalidInput
from chair_app.exchange import conference_file
from chair_app.rules.access import NotAllowed
from chair_app.rules.policy import default_policy_path, parse_policy
from chair_app.services import accounts, conferences, readiness, signoff
from chair_app.services.agreements import agreements_missing, give_agreement
from chair_app.services.demo import create_demo
from chair_app.store import models as rows
from tests.conftest import dump

TODAY = date(2026, 11, 23)
PASSWORD = "correct horse battery"


def _first_review_ending_a_plan(db, policy):
    """The demo conference, made a first review at which one child's plan ends."""
    bundle = create_demo(db, policy, TODAY)
    with db.unit_of_work() as session:
        session.get(rows.ConferenceRow, bundle.conference.id).kind = MeetingKind.FIRST_REVIEW
        decision = session.scalars(
            select(rows.DecisionRow).where(rows.DecisionRow.conference_id == bundle.conference.id)
        ).first()
        decision.outcome, decision.end_reason = Outcome.END, "safety_achieved"
        child = session.get(rows.ChildRow, decision.child_id)
        name = f"{child.forename} {child.surname}".strip()
    return bundle.conference.ref, name


def test_finalising_is_refused_naming_whose_agreement_is_missing_and_nothing_changes(db, policy):
    ref, child = _first_review_ending_a_plan(db, policy)
    before = dump(db)
    with pytest.raises(
        InvalidInput, match=f"ending a plan at the first review for {child} needs a manager's agreement"
    ):
        signoff.finalise(db, ref, who="Helen Marsh")
    assert dump(db) == before
    assert agreements_missing(db, ref, policy) == [
        f"Decision: ending a plan at the first review for {child} needs a manager's agreement; none recorded yet"
    ]


def test_the_close_step_checklist_names_the_missing_agreement(db, policy):
    ref, child = _first_review_ending_a_plan(db, policy)
    gaps = readiness.gaps_before_sign_off(conferences.load(db, ref), policy, TODAY)
    found = [g for g in gaps if "agreement" in g.text]
    assert [(g.text, g.step) for g in found] == [
        (
            f"Decision: ending a plan at the first review for {child} needs a manager's agreement; none recorded yet",
            "decision",
        )
    ]


def test_a_manager_agrees_and_the_record_can_then_be_signed_off_but_not_by_the_manager(db, policy):
    ref, child = _first_review_ending_a_plan(db, policy)
    accounts.first_administrator(db, policy, name="admin", full_name="", password=PASSWORD)
    accounts.create_account(db, name="manager", full_name="Mo Manager", roles=["manager"], password=PASSWORD)
    accounts.create_account(db, name="chair", full_name="Helen Marsh", roles=["chair"], password=PASSWORD)
    try:
        accounts.sign_in(db, policy, "chair", PASSWORD)
        with pytest.raises(NotAllowed, match="give_agreement: chair signs in as a chair; only a manager"):
            give_agreement(db, ref, policy)
        accounts.sign_in(db, policy, "manager", PASSWORD)
        assert give_agreement(db, ref, policy, on=TODAY) == [child]
        assert agreements_missing(db, ref, policy) == []
        with pytest.raises(NotAllowed, match="finalise: manager signs in as a manager; only a chair"):
            signoff.finalise(db, ref, who="Mo Manager")
        accounts.sign_in(db, policy, "chair", PASSWORD)
        assert signoff.finalise(db, ref, who="Helen Marsh").record_status is RecordStatus.FINALISED
        decision = next(d for d in conferences.load(db, ref).decisions if d.outcome is Outcome.END)
        assert (decision.agreed_by, decision.agreed_on, decision.agreed_outcome) == ("Mo Manager", TODAY, "end")
    finally:
        db.signed_in, db._accounts_in_force = None, None  # the PostgreSQL database object is shared


def test_an_agreement_holds_only_for_the_outcome_agreed(db, policy):
    ref, _child = _first_review_ending_a_plan(db, policy)
    give_agreement(db, ref, policy, who="Mo Manager")
    with db.unit_of_work() as session:  # the chair changes the decision, then back to ending the plan
        d = session.scalars(select(rows.DecisionRow).where(rows.DecisionRow.outcome == Outcome.END)).first()
        d.outcome = Outcome.CONTINUE
    assert agreements_missing(db, ref, policy) == []  # nothing ends now: nothing to agree
    give_agreement_refused = pytest.raises(InvalidInput, match="no decision of this conference is waiting")
    with give_agreement_refused:
        give_agreement(db, ref, policy, who="Mo Manager")
    with db.unit_of_work() as session:  # an agreement given to another outcome than the one recorded now
        d = session.scalars(select(rows.DecisionRow).where(rows.DecisionRow.outcome == Outcome.CONTINUE)).first()
        d.outcome, d.agreed_outcome = Outcome.END, "continue"
    assert len(agreements_missing(db, ref, policy)) == 1


def test_a_policy_asking_for_no_agreement_lets_the_record_be_signed_off(db, policy):
    text = default_policy_path().read_text(encoding="utf-8")
    relaxed = parse_policy(text.replace('end_plan_at_first_review = ["manager"]', "end_plan_at_first_review = []"), "p")
    ref, _child = _first_review_ending_a_plan(db, policy)
    assert agreements_missing(db, ref, relaxed) == []


def test_the_agreement_travels_in_the_conference_file_and_an_older_file_without_it_still_reads(db, policy, tmp_path):
    ref, _child = _first_review_ending_a_plan(db, policy)
    give_agreement(db, ref, policy, who="Mo Manager", on=TODAY)
    doc = json.loads(conference_file.dumps(conference_file.bundle_to_document(conferences.load(db, ref))))
    again = conference_file.document_to_bundle(json.loads(json.dumps(doc)), policy, TODAY)
    agreed = next(d for d in again.decisions if d.outcome is Outcome.END)
    assert (agreed.agreed_by, agreed.agreed_on, agreed.agreed_outcome) == ("Mo Manager", TODAY, "end")
    for d in doc["decisions"]:  # a file written before revision 0008
        for key in ("agreed_by", "agreed_on", "agreed_outcome"):
            del d[key]
    older = conference_file.document_to_bundle(doc, policy, TODAY)
    assert all(d.agreed_by == "" and d.agreed_on is None and d.agreed_outcome == "" for d in older.decisions)


def _a_child_with_a_decision(db, policy):
    bundle = create_demo(db, policy, TODAY)
    loaded = conferences.load(db, bundle.conference.ref)
    return loaded, loaded.decisions[0].child_id


def test_an_escalated_dissent_is_recorded_with_its_route_and_clock(db, policy):
    from chair_app.rules.calendar import WorkingCalendar
    from chair_app.services.agreements import record_dissent

    bundle, child_id = _a_child_with_a_decision(db, policy)
    held = bundle.conference.held_on
    raised = held + timedelta(days=1)
    clock = record_dissent(
        db,
        bundle.conference.ref,
        policy,
        child_id=child_id,
        by="Dr A. Okoye, paediatrics",
        text="Disagrees with the category: neglect, not emotional abuse",
        route="escalated",
        raised_on=raised,
    )
    assert clock.raise_by == held + timedelta(days=3)  # 72 hours
    assert clock.answer_by == WorkingCalendar.from_policy(policy).add_working_days(raised, 5)
    d = next(x for x in conferences.load(db, bundle.conference.ref).decisions if x.child_id == child_id)
    assert (d.dissent_by, d.dissent_route, d.dissent_raised_on) == ("Dr A. Okoye, paediatrics", "escalated", raised)
    doc = json.loads(
        conference_file.dumps(conference_file.bundle_to_document(conferences.load(db, bundle.conference.ref)))
    )
    again = conference_file.document_to_bundle(doc, policy, TODAY)
    assert next(x for x in again.decisions if x.child_id == child_id).dissent_route == "escalated"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(raised_days=4), "the policy allows it up to"),
        (dict(raised_days=-1), "cannot be before the conference"),
        (dict(by=""), "say who dissents"),
        (dict(route="shouted"), "dissent route: choose recorded or escalated"),
        (dict(text=""), "write what they disagree with"),
    ],
)
def test_a_dissent_outside_the_policy_or_incomplete_is_refused_and_changes_nothing(db, policy, change, message):
    from chair_app.services.agreements import record_dissent

    bundle, child_id = _a_child_with_a_decision(db, policy)
    given = dict(by="PC Neil Parr", text="Wants a plan for the baby too", route="recorded", raised_days=0) | change
    before = dump(db)
    with pytest.raises(InvalidInput, match=message):
        record_dissent(
            db,
            bundle.conference.ref,
            policy,
            child_id=child_id,
            by=given["by"],
            text=given["text"],
            route=given["route"],
            raised_on=bundle.conference.held_on + timedelta(days=given["raised_days"]),
        )
    assert dump(db) == before
