"""Recording services: the rules are enforced when an edit is stored, and a refusal changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chair_app.domain import model as m
from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Category,
    Outcome,
    ParticipationCode,
    QuoracyOutcome,
)
from chair_app.domain.errors import InvalidInput, RecordFinalised
from chair_app.services import conferences, recording
from chair_app.services import journal as journal_service
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from tests.conftest import dump

TODAY = date(2026, 11, 23)
WHO = "Helen Marsh"


@pytest.fixture
def demo(db, policy):
    return conferences.add_conference(db, build_demo(policy, TODAY))


def child(bundle, forename):
    return next(c for c in bundle.children if c.forename == forename)


def test_an_edit_bumps_its_own_record_only_and_the_journal_names_who(db, demo):
    pair = demo.pairs[0]
    recording.record_scale(db, pair.id, 6, who="Paul Greaves")
    again = conferences.load(db, demo.conference.ref)
    assert again.conference.version == demo.conference.version  # per-record versions: the conference row untouched
    stored = next(p for p in again.pairs if p.id == pair.id)
    assert stored.scale == 6 and stored.version == pair.version + 1
    assert [e.who for e in journal_service.history(db, demo.conference.id)][-1] == "Paul Greaves"


def test_refused_edits_change_nothing(db, demo, policy):
    before = dump(db)
    kayden, lily = child(demo, "Kayden"), child(demo, "Lily-Mae")
    cid = demo.conference.id
    refusals = [
        (lambda: recording.record_scale(db, demo.pairs[0].id, 11, who=WHO), "scale: a score is a whole number"),
        (
            lambda: recording.record_participation(db, cid, lily.id, ParticipationCode.PN1, policy, who=WHO),
            "a child under 4 is recorded as PN0",
        ),
        (
            lambda: recording.record_participation(db, cid, kayden.id, ParticipationCode.PN0, policy, who=WHO),
            "PN0 is only for a child under 4",
        ),
        (
            lambda: recording.record_participation(
                db, cid, child(demo, "Baby").id, ParticipationCode.PN7, policy, who=WHO
            ),
            "unborn",
        ),
        (
            lambda: recording.record_decision(
                db,
                cid,
                kayden.id,
                Outcome.PLAN,
                policy,
                category=Category.NEG,
                lead_agency="CSC",
                decided_on=TODAY,
                who=WHO,
            ),
            "repeat-plan analysis",
        ),
        (
            lambda: recording.record_decision(db, cid, lily.id, Outcome.NO_PLAN, policy, decided_on=TODAY, who=WHO),
            "reasons:",
        ),
        (
            lambda: recording.record_decision(db, cid, lily.id, Outcome.END, policy, decided_on=TODAY, who=WHO),
            "at this kind of conference",
        ),
        (lambda: recording.stand_down(db, cid, policy, "bored", who=WHO), "reason: choose one of"),
        (lambda: recording.proceed_not_quorate(db, cid, policy, "  ", who=WHO), "rationale:"),
        (
            lambda: recording.record_attendance(db, demo.invitations[0].id, AttendanceStatus.ATTENDED, None, who=WHO),
            "how they attended",
        ),
        (lambda: recording.record_delay_reason(db, cid, "conference", "", who=WHO), "reason for delay"),
    ]
    for action, expected in refusals:
        with pytest.raises(InvalidInput) as info:
            action()
        assert expected in str(info.value) and "\n" not in str(info.value)
    assert dump(db) == before


def test_pn0_is_filled_in_for_an_under_four_and_advocacy_is_asked_from_ten(db, demo, policy):
    lily = child(demo, "Lily-Mae")
    recording.record_participation(db, demo.conference.id, lily.id, None, policy, who=WHO)
    stored = conferences.load(db, demo.conference.ref)
    assert (
        next(v for v in stored.conference_children if v.child_id == lily.id).participation_code is ParticipationCode.PN0
    )


def test_roll_call_then_quoracy(db, demo, policy):
    cid = demo.conference.id
    people = {p.id: p for p in demo.people}
    # Everyone but the social worker and the school sends apologies: not quorate.
    for inv in demo.invitations:
        code = people[inv.person_id].role_code
        status = (
            AttendanceStatus.ATTENDED if code in ("social_worker", "school", "parent") else AttendanceStatus.APOLOGIES
        )
        recording.record_attendance(
            db, inv.id, status, AttendanceMode.IN_PERSON if status is AttendanceStatus.ATTENDED else None, who=WHO
        )
    result = recording.assess_quoracy(db, cid, policy)
    assert not result.quorate and "Health or Police" in result.explanation
    with pytest.raises(InvalidInput, match="Proceed with a rationale"):
        recording.record_quorate(db, cid, policy, who=WHO)
    # The health visitor joins by video: quorate.
    hv = next(i for i in demo.invitations if people[i.person_id].role_code == "health_visitor")
    recording.record_attendance(db, hv.id, AttendanceStatus.ATTENDED, AttendanceMode.VIDEO, who=WHO)
    assert recording.assess_quoracy(db, cid, policy).quorate
    recording.record_quorate(db, cid, policy, who=WHO)
    assert conferences.load(db, demo.conference.ref).conference.quoracy_outcome is QuoracyOutcome.QUORATE


def test_stand_down_with_a_reason_from_the_policy(db, demo, policy):
    from chair_app.rules.timescales import reconvene_by

    new_date = reconvene_by(demo.conference.held_on, demo.conference.kind, policy)
    recording.stand_down(
        db,
        demo.conference.id,
        policy,
        "no_interpreter",
        "Polish interpreter did not arrive",
        reconvene_on=new_date,
        interim_arrangement="The safety plan from the strategy discussion stays in place.",
        who=WHO,
    )
    stored = conferences.load(db, demo.conference.ref).conference
    assert stored.status.value == "stood_down" and stored.stood_down_reason == "no_interpreter"
    assert stored.reconvene_on == new_date and stored.interim_arrangement.startswith("The safety plan")


def test_a_complete_decision_sets_next_dates_and_changing_them_needs_a_reason(db, demo, policy):
    kayden = child(demo, "Kayden")
    with db.unit_of_work() as s:
        s.get_one(rows.ConferenceRow, demo.conference.id).next_review_on = None
    recording.record_decision(
        db,
        demo.conference.id,
        kayden.id,
        Outcome.PLAN,
        policy,
        category=Category.MUL,
        contributing=[Category.NEG, Category.EMO],
        lead_agency="Children and Family Services",
        repeat_plan_analysis="Same pattern as the last plan.",
        category_reason="Neglect and the children's fear at home are both serious; neither is secondary.",
        decided_on=TODAY,
        who=WHO,
    )
    stored = conferences.load(db, demo.conference.ref)
    decision = next(d for d in stored.decisions if d.child_id == kayden.id)
    assert decision.initial_category is Category.MUL and decision.contributing_categories == [
        Category.NEG,
        Category.EMO,
    ]
    assert decision.category_reason.startswith("Neglect and the children's fear")
    assert stored.conference.next_review_on == date(2027, 2, 23)
    later = stored.conference.next_review_on + timedelta(days=7)
    with pytest.raises(InvalidInput, match="reason: say why"):
        recording.set_next_dates(
            db, demo.conference.id, stored.conference.first_core_group_on, later, "", policy, who=WHO
        )
    recording.set_next_dates(
        db,
        demo.conference.id,
        stored.conference.first_core_group_on,
        later,
        "Chair on leave that week",
        policy,
        who=WHO,
    )
    assert conferences.load(db, demo.conference.ref).conference.next_dates_note == "Chair on leave that week"


def test_nothing_is_recorded_on_a_finalised_record(db, demo, policy):
    with db.unit_of_work() as s:
        s.get_one(rows.ConferenceRow, demo.conference.id).record_status = "finalised"
    with pytest.raises(RecordFinalised):
        recording.record_scale(db, demo.pairs[0].id, 5, who=WHO)


def test_show_flags_a_plan_open_nine_months_at_a_review(db, policy):
    from chair_app.domain import model as m
    from chair_app.domain.enums import MeetingKind
    from chair_app.services.overview import conference_overview, overview_lines

    bundle = build_demo(policy, TODAY)
    bundle.conference.kind = MeetingKind.REVIEW
    kayden = child(bundle, "Kayden")
    bundle.plan_history.append(
        m.PlanHistory(child_id=kayden.id, started_on=date(2026, 2, 20), initial_category=Category.EMO)
    )
    conferences.add_conference(db, bundle)
    text = "\n".join(overview_lines(conference_overview(db, bundle.conference.ref, policy, TODAY)))
    assert "Plan open 9 months: 9 months reached, hold an exit-planning review." in text


def test_decisions_keep_the_plan_history(db, policy):
    from chair_app.domain.enums import MeetingKind

    bundle = build_demo(policy, TODAY)
    bundle.decisions = []
    conferences.add_conference(db, bundle)
    lily = child(bundle, "Lily-Mae")
    recording.record_decision(
        db,
        bundle.conference.id,
        lily.id,
        Outcome.PLAN,
        policy,
        category=Category.NEG,
        lead_agency="CSC",
        decided_on=TODAY,
        who=WHO,
    )
    plans = [p for p in conferences.load(db, bundle.conference.ref).plan_history if p.child_id == lily.id]
    assert [(p.started_on, p.initial_category, p.ended_on) for p in plans] == [(TODAY, Category.NEG, None)]

    review = build_demo(policy, TODAY + timedelta(days=90))
    review.family, review.children = bundle.family, bundle.children
    review.conference.family_id = bundle.family.id
    review.conference.kind = MeetingKind.FIRST_REVIEW
    review.conference.held_on = TODAY + timedelta(days=90)
    review.people, review.plan_history, review.decisions, review.recommendations = [], [], [], []
    review.invitations, review.mapping_items, review.scores = [], [], []
    review.network, review.restrictions, review.audience = [], [], []  # they name the demo's own people
    review.conference_children = [m.ConferenceChild(conference_id=review.conference.id, child_id=lily.id)]
    conferences.add_conference(db, review)
    recording.record_decision(
        db,
        review.conference.id,
        lily.id,
        Outcome.END,
        policy,
        end_reason="safety_achieved",
        decided_on=review.conference.held_on,
        who=WHO,
    )
    plans = [p for p in conferences.load(db, review.conference.ref).plan_history if p.child_id == lily.id]
    assert [(p.ended_on, p.end_reason) for p in plans] == [(review.conference.held_on, "safety_achieved")]


def test_a_decision_keeps_its_primary_and_secondary_category_and_the_reason_for_the_pair(db, demo, policy):
    kayden = child(demo, "Kayden")
    values = dict(
        category=Category.NEG,
        secondary_category=Category.EMO,
        lead_agency="Children and Family Services",
        repeat_plan_analysis="Same pattern as the last plan.",
        decided_on=TODAY,
        who=WHO,
    )
    with pytest.raises(InvalidInput, match="category reason: why neglect with emotional abuse"):
        recording.record_decision(db, demo.conference.id, kayden.id, Outcome.PLAN, policy, **values)
    recording.record_decision(
        db, demo.conference.id, kayden.id, Outcome.PLAN, policy, category_reason="Both are serious", **values
    )
    decision = next(d for d in conferences.load(db, demo.conference.ref).decisions if d.child_id == kayden.id)
    assert (decision.initial_category, decision.secondary_category, decision.category_reason) == (
        Category.NEG,
        Category.EMO,
        "Both are serious",
    )
