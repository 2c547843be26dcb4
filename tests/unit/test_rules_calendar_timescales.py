"""Working days, timescales and next dates: properties and real cases."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chair_app.domain import model as m
from chair_app.domain.enums import ConferenceStatus, DocumentKind, MeetingKind, Outcome
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import default_policy_path, parse_policy
from chair_app.rules.timescales import conference_due_date, conference_timescales, next_dates, plan_length

CAL = WorkingCalendar("ENG")
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@given(days, st.integers(min_value=-60, max_value=60))
@settings(max_examples=300, deadline=None)
def test_adding_then_counting_working_days_round_trips(start, n):
    assert CAL.working_days_between(start, CAL.add_working_days(start, n)) == n


@given(days, st.integers(min_value=1, max_value=60))
@settings(max_examples=300, deadline=None)
def test_a_date_n_working_days_away_is_a_working_day(start, n):
    assert CAL.is_working_day(CAL.add_working_days(start, n))
    assert CAL.is_working_day(CAL.add_working_days(start, -n))


@given(days, st.sampled_from(["before", "after"]))
@settings(max_examples=300, deadline=None)
def test_rolling_lands_on_the_nearest_working_day(day, direction):
    rolled = CAL.roll(day, direction)
    assert CAL.is_working_day(rolled)
    between = [day + timedelta(days=i) for i in range(min(0, (rolled - day).days), max(0, (rolled - day).days))]
    assert not any(CAL.is_working_day(d) for d in between if d != rolled)


@given(days, st.sampled_from(list(MeetingKind)))
@settings(max_examples=200, deadline=None)
def test_suggested_next_dates_never_fall_on_a_non_working_day(held_on, kind):
    policy = parse_policy(default_policy_path().read_text(), "default")
    dates = next_dates(held_on, kind, policy)
    assert CAL.is_working_day(dates.first_core_group) and CAL.is_working_day(dates.next_review)


JUBILEE_CASES = [
    (date(2022, 5, 31), 1, date(2022, 6, 1)),
    (date(2022, 6, 1), 1, date(2022, 6, 6)),  # Thu 2 and Fri 3 June 2022 are bank holidays, then the weekend
    (date(2022, 6, 1), -1, date(2022, 5, 31)),
    (date(2022, 6, 6), -1, date(2022, 6, 1)),
    # Christmas and New Year 2026-27: Fri 25 Dec, Mon 28 Dec (Boxing Day substitute), Fri 1 Jan.
    (date(2026, 12, 24), 1, date(2026, 12, 29)),
    (date(2026, 12, 31), 1, date(2027, 1, 4)),
    (date(2026, 12, 23), 5, date(2027, 1, 4)),
    # Leap day 2028 is a Tuesday and an ordinary working day.
    (date(2028, 2, 28), 1, date(2028, 2, 29)),
    (date(2028, 2, 25), 15, date(2028, 3, 17)),
]


@pytest.mark.parametrize("start,n,expected", JUBILEE_CASES)
def test_real_calendar_cases(start, n, expected):
    assert CAL.add_working_days(start, n) == expected


def test_bank_holidays_come_from_the_holidays_package_with_their_names():
    assert CAL.holiday_name(date(2022, 6, 3)) == "Platinum Jubilee of Elizabeth II"
    assert "Christmas" in CAL.holiday_name(date(2026, 12, 25))
    assert CAL.is_working_day(date(2026, 3, 17))  # St Patrick's Day: Northern Ireland only
    assert not WorkingCalendar("NIR").is_working_day(date(2026, 3, 17))


def test_local_closure_days_come_from_the_policy(policy):
    text = default_policy_path().read_text().replace("local_closure_days = []", 'local_closure_days = ["2026-12-29"]')
    closed = parse_policy(text, "test")
    cal = WorkingCalendar.from_policy(closed)
    assert not cal.is_working_day(date(2026, 12, 29))
    assert cal.holiday_name(date(2026, 12, 29)) == "Local closure day"
    assert cal.add_working_days(date(2026, 12, 24), 1) == date(2026, 12, 30)


def test_initial_conference_target_uses_the_cin_census_convention(policy):
    # Strategy discussion Monday 1 June 2026 is day 0; the 15th working day after it is Monday 22 June.
    bundle = _bundle(MeetingKind.INITIAL, held_on=date(2026, 6, 22), strategy=date(2026, 6, 1))
    assert conference_due_date(bundle, policy) == date(2026, 6, 22)
    result = _result(bundle, policy, "conference", today=date(2026, 7, 1))
    assert result.met is True and not result.reason_required


def _bundle(kind, *, held_on, strategy=None, notified=None, status=ConferenceStatus.HELD):
    family = m.Family(name="Test family")
    conference = m.Conference(
        kind=kind,
        family_id=family.id,
        held_on=held_on,
        strategy_discussion_on=strategy,
        transfer_notified_on=notified,
        status=status,
    )
    return m.ConferenceBundle(conference=conference, family=family)


def _result(bundle, policy, key, today, previous=None):
    return next(r for r in conference_timescales(bundle, policy, today, previous) if r.key == key)


def test_a_late_initial_conference_counts_working_days_missed_and_needs_a_reason(policy):
    bundle = _bundle(MeetingKind.INITIAL, held_on=date(2026, 6, 25), strategy=date(2026, 6, 1))
    late = _result(bundle, policy, "conference", today=date(2026, 7, 1))
    assert late.met is False and late.working_days_late == 3 and late.reason_required
    assert "missed by 3 working days" in late.explanation and "22/06/2026" in late.explanation
    bundle.delay_reasons.append(
        m.DelayReason(
            conference_id=bundle.conference.id, measure="conference", reason="Late request from the social work team"
        )
    )
    assert not _result(bundle, policy, "conference", today=date(2026, 7, 1)).reason_required


def test_transfer_in_counts_from_notification(policy):
    bundle = _bundle(MeetingKind.TRANSFER_IN, held_on=date(2026, 3, 2), notified=date(2026, 2, 9))
    assert conference_due_date(bundle, policy) == date(2026, 3, 2)


def test_reviews_fall_due_three_then_six_months_later_moved_before_a_non_working_day(policy):
    first = _bundle(MeetingKind.FIRST_REVIEW, held_on=date(2026, 8, 28))
    # Three months after Tuesday 26 May 2026 is Wednesday 26 August 2026.
    assert conference_due_date(first, policy, previous_held_on=date(2026, 5, 26)) == date(2026, 8, 26)
    later = _bundle(MeetingKind.REVIEW, held_on=date(2026, 12, 1))
    # Six months after Thursday 25 June 2026 is Friday 25 December: moved back to Thursday 24 December.
    assert conference_due_date(later, policy, previous_held_on=date(2026, 6, 25)) == date(2026, 12, 24)
    assert _result(later, policy, "conference", date(2027, 1, 5), date(2026, 6, 25)).met is True
    unknown = _bundle(MeetingKind.REVIEW, held_on=date(2026, 12, 1))
    assert _result(unknown, policy, "conference", date(2027, 1, 5)).status_word == "Cannot tell"


def test_reports_are_due_working_days_before_initial_and_review(policy):
    initial = _bundle(
        MeetingKind.INITIAL, held_on=date(2026, 6, 22), strategy=date(2026, 6, 1), status=ConferenceStatus.SCHEDULED
    )
    initial.conference.report_to_parents_on = date(2026, 6, 22)  # on the day: late
    r = _result(initial, policy, "report_to_parents", today=date(2026, 6, 22))
    assert r.due == date(2026, 6, 19) and r.met is False and r.working_days_late == 1
    review = _bundle(MeetingKind.REVIEW, held_on=date(2026, 6, 22))
    assert _result(review, policy, "report_to_chair", today=date(2026, 6, 1)).due == date(2026, 6, 17)


def test_distribution_and_decisions_after_the_conference(policy):
    bundle = _bundle(MeetingKind.INITIAL, held_on=date(2026, 6, 22), strategy=date(2026, 6, 1))
    child = m.Child(family_id=bundle.family.id, forename="A", surname="B", date_of_birth=date(2020, 1, 1))
    bundle.decisions.append(
        m.Decision(
            conference_id=bundle.conference.id, child_id=child.id, outcome=Outcome.PLAN, decided_on=date(2026, 6, 30)
        )
    )
    bundle.conference.record_distributed_on = date(2026, 7, 6)
    bundle.documents.append(
        m.DocumentRecord(
            conference_id=bundle.conference.id, kind=DocumentKind.DECISION_LETTER, distributed_on=date(2026, 6, 24)
        )
    )
    letter = _result(bundle, policy, "decision_letter", date(2026, 7, 10))
    assert letter.due == date(2026, 6, 23) and letter.met is False and letter.working_days_late == 1
    late = _result(bundle, policy, "record_distributed", date(2026, 7, 10))
    assert late.due == date(2026, 6, 29) and late.met is False and late.reason_required
    ceiling = _result(bundle, policy, "record_ceiling", date(2026, 7, 10))
    assert ceiling.due == date(2026, 7, 6) and ceiling.met is True and not ceiling.reason_required
    overdue = _result(bundle, policy, "plan_distributed", date(2026, 7, 10))
    assert overdue.due == date(2026, 6, 29) and overdue.met is False and overdue.working_days_late == 9
    assert "decisions_recorded" not in {r.key for r in conference_timescales(bundle, policy, date(2026, 7, 10))}


def test_next_dates_after_an_initial_conference(policy):
    dates = next_dates(date(2026, 9, 25), MeetingKind.INITIAL, policy)
    assert dates.first_core_group == date(2026, 10, 9)
    assert dates.next_review == date(2026, 12, 24)  # 25 December is Christmas Day: the day before
    assert "Christmas" in dates.explanation


def test_plan_length_flags_nine_and_eighteen_months(policy):
    start = date(2025, 1, 15)
    assert not plan_length(start, date(2025, 10, 14), policy).exit_planning_review
    nine = plan_length(start, date(2025, 10, 15), policy)
    assert nine.exit_planning_review and not nine.long_plan and "exit-planning" in nine.explanation
    assert not plan_length(start, date(2026, 7, 15), policy).long_plan
    assert plan_length(start, date(2026, 7, 16), policy).long_plan
