"""Core groups (issue 13, Build 4), on SQLite and PostgreSQL: each meeting recorded on the review it reports to
(date, who came, progress per action, concerns), due dates from the policy, refusals that change nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chair_app.domain.errors import InvalidInput, RecordFinalised
from chair_app.rules.calendar import WorkingCalendar
from chair_app.services import conferences
from chair_app.services.continuity import continuity, continuity_lines, convene_review
from chair_app.services.core_groups import ActionProgress, core_group_dates, plan_actions, record_core_group
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from tests.conftest import dump

TODAY = date(2026, 11, 23)
WHO = "Paul Greaves"


@pytest.fixture
def review(db, policy):
    initial = conferences.add_conference(db, build_demo(policy, TODAY - timedelta(days=60)))
    return initial, convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)


def test_two_core_groups_are_recorded_on_the_review_with_who_came_progress_and_concerns(db, policy, review):
    initial, rv = review
    actions = plan_actions(rv)
    first_day, second_day = initial.conference.held_on + timedelta(days=9), initial.conference.held_on + timedelta(40)
    record_core_group(
        db,
        rv.conference.ref,
        first_day,
        policy,
        who_came="Danielle Hayes\nAmira Shah",
        concerns="Ryan missed his first appointment.",
        progress=[ActionProgress(actions[0].id, "partly", "Two of four sessions"), ActionProgress(actions[1].id, "")],
        who=WHO,
        today=TODAY,
    )
    record_core_group(
        db, rv.conference.ref, second_day, policy, progress=[ActionProgress(actions[0].id, "done")], today=TODAY
    )
    stored = conferences.load(db, rv.conference.ref)
    assert sorted(g.held_on for g in stored.core_groups) == [first_day, second_day]
    first = next(g for g in stored.core_groups if g.held_on == first_day)
    assert (first.who_came, first.concerns) == ("Danielle Hayes\nAmira Shah", "Ryan missed his first appointment.")
    marks = {(p.core_group_id == first.id, p.action_id, p.progress, p.note) for p in stored.core_group_progress}
    assert marks == {(True, actions[0].id, "partly", "Two of four sessions"), (False, actions[0].id, "done", "")}
    lines = "\n".join(continuity_lines(continuity(db, rv.conference.ref, policy), policy))
    assert f"Core group {first_day:%d/%m/%Y}: came: Danielle Hayes, Amira Shah" in lines
    assert f"{actions[0].what}: Partly done (Two of four sessions)" in lines
    assert "Concerns: Ryan missed his first appointment." in lines


def test_the_first_core_group_is_due_within_10_working_days_and_later_ones_6_weeks_after_the_last(db, policy, review):
    initial, rv = review
    cal = WorkingCalendar.from_policy(policy)
    held = initial.conference.held_on
    dates = core_group_dates(rv, held, policy)
    assert (dates.first_due, dates.first_held, dates.next_due) == (
        cal.add_working_days(held, 10),
        None,
        dates.first_due,
    )
    day = cal.add_working_days(held, 12)  # two working days late
    record_core_group(db, rv.conference.ref, day, policy, today=TODAY)
    stored = conferences.load(db, rv.conference.ref)
    dates = core_group_dates(stored, held, policy)
    assert dates.first_held == day and dates.next_due == cal.roll(day + timedelta(weeks=6), policy.meeting_roll)
    lines = "\n".join(continuity_lines(continuity(db, rv.conference.ref, policy), policy))
    assert f"held {day:%d/%m/%Y}, missed." in lines


def test_a_core_group_in_the_future_with_an_unknown_mark_or_on_no_review_is_refused(db, policy, review):
    initial, rv = review
    before = dump(db)
    with pytest.raises(InvalidInput, match="^Date: .* is in the future"):
        record_core_group(db, rv.conference.ref, TODAY + timedelta(days=1), policy, today=TODAY)
    with pytest.raises(InvalidInput, match="^Progress: choose one of"):
        progress = [ActionProgress(rv.actions[0].id, "nearly")]
        record_core_group(db, rv.conference.ref, TODAY, policy, progress=progress, today=TODAY)
    with pytest.raises(InvalidInput, match="convene the review first"):
        record_core_group(db, initial.conference.ref, TODAY, policy, today=TODAY)
    assert dump(db) == before


def test_a_core_group_cannot_be_added_to_a_finalised_review(db, policy, review):
    _initial, rv = review
    with db.unit_of_work() as session:
        session.get(rows.ConferenceRow, rv.conference.id).record_status = "finalised"
    before = dump(db)
    with pytest.raises(RecordFinalised):
        record_core_group(db, rv.conference.ref, TODAY, policy, today=TODAY)
    assert dump(db) == before


def test_the_database_itself_refuses_a_core_group_row_under_a_finalised_review(db, policy, review):
    from chair_app.domain import model as m
    from chair_app.store import repository as repo

    _initial, rv = review
    with db.unit_of_work() as session:
        session.get(rows.ConferenceRow, rv.conference.id).record_status = "finalised"
    with pytest.raises(RecordFinalised), db.unit_of_work() as session:
        session.add(repo.to_row(m.CoreGroup(conference_id=rv.conference.id, held_on=TODAY)))
