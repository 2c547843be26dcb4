"""A chair's caseload and a family's timeline (issue 13, Build 6 and 1), on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chair_app.domain.errors import InvalidInput
from chair_app.services import conferences, recording
from chair_app.services.continuity import caseload, convene_review, rearrange
from chair_app.services.core_groups import record_core_group
from chair_app.services.demo import CHAIR, build_demo
from chair_app.services.register import family_timeline
from chair_app.store import models as rows

TODAY = date(2026, 11, 23)

INTERIM = "The safety plan from the strategy discussion continues"


def hayes_held(db, policy, days_ago: int):
    bundle = build_demo(policy, TODAY - timedelta(days=days_ago))
    bundle.conference.status = "held"
    return conferences.add_conference(db, bundle)


def test_the_caseload_prompts_at_9_months_whether_the_plan_can_end_and_shows_the_next_review(db, policy):
    initial = hayes_held(db, policy, 300)  # about 10 months ago
    review = convene_review(db, initial.conference.ref, policy, who=CHAIR, held_on=TODAY + timedelta(days=20))
    (row,) = caseload(db, "  helen   MARSH ", policy, TODAY)  # as recorded, whatever the case and spaces
    assert row.family == "Hayes family" and row.plan_started == initial.conference.held_on
    assert row.months_open == 9 and row.prompt == "9 months: can the plan end?"
    assert (row.next_review, row.next_ref) == (review.conference.held_on, review.conference.ref)
    assert set(row.children) == {c.full_name for c in initial.children}


def test_over_18_months_the_caseload_asks_why_the_plan_has_not_ended(db, policy):
    hayes_held(db, policy, 600)
    (row,) = caseload(db, CHAIR, policy, TODAY)
    assert row.prompt == "Over 18 months: why has the plan not ended?"


def test_a_family_whose_next_conference_another_chair_holds_is_not_on_this_chairs_caseload(db, policy):
    initial = hayes_held(db, policy, 100)
    review = convene_review(db, initial.conference.ref, policy, who=CHAIR, held_on=TODAY + timedelta(days=20))
    with db.unit_of_work() as session:
        session.get(rows.ConferenceRow, review.conference.id).chair = "Rob Okafor"
    assert caseload(db, CHAIR, policy, TODAY) == []
    assert [r.family for r in caseload(db, "Rob Okafor", policy, TODAY)] == ["Hayes family"]
    with pytest.raises(InvalidInput, match="^Chair: give the chair's name"):
        caseload(db, "  ", policy, TODAY)


def test_the_family_timeline_has_its_plans_conferences_stood_down_meetings_and_core_groups_in_order(db, policy):
    initial = hayes_held(db, policy, 100)
    review = convene_review(db, initial.conference.ref, policy, who=CHAIR, today=TODAY)
    recording.stand_down(
        db,
        review.conference.id,
        policy,
        "parent_unable",
        who=CHAIR,
        reconvene_on=review.conference.held_on + timedelta(days=7),
        interim_arrangement=INTERIM,
    )
    again = rearrange(db, review.conference.ref, review.conference.held_on + timedelta(days=7), policy, who=CHAIR)
    record_core_group(db, again.conference.ref, initial.conference.held_on + timedelta(days=10), policy, today=TODAY)
    family, entries = family_timeline(db, again.conference.ref, policy)
    assert family == "Hayes family"
    assert [e.on for e in entries] == sorted(e.on for e in entries)
    words = [(e.ref, e.what) for e in entries]
    assert (initial.conference.ref, f"Initial child protection conference (held), chair {CHAIR}") in words
    assert (review.conference.ref, "First review conference stood down: Parent or carer not able to attend") in words
    assert (again.conference.ref, f"First review conference (scheduled), chair {CHAIR}") in words
    assert (again.conference.ref, "Core group") in words
    assert ("", "Kayden Hayes: plan ends") in words  # his earlier plan, recorded before the app
    assert (initial.conference.ref, "Kayden Hayes: plan starts (emotional abuse)") in words
