"""Rules behind the chair's desk: a recorded quoracy outcome that attendance has overtaken, quoracy's words,
decisions dated before their conference, and escalation for every score at or below the threshold."""

from __future__ import annotations

from chair_app.domain.enums import AttendanceStatus, MeetingKind, QuoracyOutcome
from chair_app.rules import quoracy

A = AttendanceStatus.ATTENDED


def who(*roles, status=A):
    return [quoracy.Attendee(r, status) for r in roles]


QUORATE = who("social_worker", "health_visitor", "school")
NOT_QUORATE = who("social_worker", "school")


def test_a_quorate_outcome_goes_stale_when_attendance_makes_the_conference_not_quorate(policy):
    now = quoracy.assess(NOT_QUORATE, MeetingKind.INITIAL, policy)
    stale = quoracy.recorded_outcome_stale(QuoracyOutcome.QUORATE, now)
    assert stale.startswith("Recorded as quorate, but attendance has changed since")
    assert "record the outcome again" in stale


def test_a_quorate_outcome_stays_current_while_the_conference_is_still_quorate(policy):
    now = quoracy.assess(QUORATE, MeetingKind.INITIAL, policy)
    assert quoracy.recorded_outcome_stale(QuoracyOutcome.QUORATE, now) == ""
    assert quoracy.recorded_outcome_stale(QuoracyOutcome.NOT_ASSESSED, now) == ""


def test_proceeding_without_quorum_goes_stale_when_the_conference_becomes_quorate(policy):
    now = quoracy.assess(QUORATE, MeetingKind.INITIAL, policy)
    assert "now quorate: record it as quorate" in quoracy.recorded_outcome_stale(
        QuoracyOutcome.PROCEEDED_NOT_QUORATE, now
    )
    still = quoracy.assess(NOT_QUORATE, MeetingKind.INITIAL, policy)
    assert quoracy.recorded_outcome_stale(QuoracyOutcome.PROCEEDED_NOT_QUORATE, still) == ""


def test_standing_down_as_not_quorate_goes_stale_only_when_that_was_the_reason(policy):
    now = quoracy.assess(QUORATE, MeetingKind.INITIAL, policy)
    assert quoracy.recorded_outcome_stale(QuoracyOutcome.STOOD_DOWN, now, stood_down_not_quorate=True)
    assert quoracy.recorded_outcome_stale(QuoracyOutcome.STOOD_DOWN, now, stood_down_not_quorate=False) == ""


def test_two_agencies_needed_read_are_needed_and_one_reads_is_needed(policy):
    two = quoracy.assess(who("social_worker"), MeetingKind.INITIAL, policy)
    assert "two more agencies with direct contact with the child or family are needed" in two.explanation
    assert " is needed" not in two.explanation
    one = quoracy.assess(NOT_QUORATE, MeetingKind.INITIAL, policy)
    assert "another agency with direct contact with the child or family is needed" in one.explanation


def test_a_decision_dated_before_its_conference_is_refused_alongside_every_other_problem(policy):
    import uuid
    from datetime import date

    from chair_app.domain import model as m
    from chair_app.domain.enums import Outcome
    from chair_app.rules.decisions import check_decision

    decision = m.Decision(
        conference_id=uuid.uuid4(), child_id=uuid.uuid4(), outcome=Outcome.PLAN, decided_on=date(2026, 11, 1)
    )
    problems = check_decision(decision, MeetingKind.INITIAL, policy, held_on=date(2026, 11, 2))
    assert problems[0] == "date: the conference is on 02/11/2026; a decision cannot be recorded before it is held"
    assert any(p.startswith("category:") for p in problems) and any(p.startswith("lead agency:") for p in problems)
    on_the_day = m.Decision(
        conference_id=uuid.uuid4(), child_id=uuid.uuid4(), outcome=Outcome.PLAN, decided_on=date(2026, 11, 2)
    )
    assert not any(
        p.startswith("date:")
        for p in check_decision(on_the_day, MeetingKind.INITIAL, policy, held_on=date(2026, 11, 2))
    )


def test_every_score_at_or_beyond_the_threshold_prompts_escalation_naming_the_most_dangerous(policy):
    from chair_app.rules.decisions import escalation

    t = policy.escalation_threshold
    assert policy.higher_is_safer
    assert escalation([t + 1, 10], policy) is None
    assert escalation([], policy) is None
    at = escalation([t + 3, t], policy)
    assert at is not None and at.score == t and at.explanation == policy.escalation_prompt.format(score=t)
    assert escalation([t, 0, t + 1], policy).score == 0
