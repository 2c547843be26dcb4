"""The first core group held, not only suggested (issue 13, Build 5): judged on the review the core groups report
to, due the policy's working days after the conference before, with a reason for delay when missed."""

from __future__ import annotations

import dataclasses
from datetime import date

from chair_app.domain import model as m
from chair_app.domain.enums import ConferenceStatus, MeetingKind
from chair_app.rules.timescales import conference_timescales

TODAY = date(2026, 11, 23)
INITIAL_HELD = date(2026, 3, 2)  # a Monday: 10 working days later is Monday 16/03/2026


def review(*groups: date, reason: str = "") -> m.ConferenceBundle:
    family = m.Family(name="Quill family")
    conf = m.Conference(
        kind=MeetingKind.FIRST_REVIEW, family_id=family.id, held_on=date(2026, 6, 1), status=ConferenceStatus.HELD
    )
    b = m.ConferenceBundle(conference=conf, family=family)
    b.core_groups = [m.CoreGroup(conference_id=conf.id, held_on=d, position=i) for i, d in enumerate(groups)]
    if reason:
        b.delay_reasons = [m.DelayReason(conference_id=conf.id, measure="first_core_group", reason=reason)]
    return b


def first_core_group(b: m.ConferenceBundle, policy, previous=INITIAL_HELD, today=TODAY):
    return {t.key: t for t in conference_timescales(b, policy, today, previous)}["first_core_group"]


def test_the_first_core_group_held_within_10_working_days_is_met_whichever_is_recorded_first(policy):
    r = first_core_group(review(date(2026, 4, 20), date(2026, 3, 16)), policy)
    assert (r.due, r.actual, r.met, r.reason_required) == (date(2026, 3, 16), date(2026, 3, 16), True, False)


def test_a_late_first_core_group_is_missed_by_its_working_days_and_needs_a_reason_until_one_is_recorded(policy):
    late = first_core_group(review(date(2026, 3, 19)), policy)
    assert (late.met, late.working_days_late, late.reason_required) == (False, 3, True)
    given = first_core_group(review(date(2026, 3, 19), reason="Social worker off sick"), policy)
    assert (given.met, given.reason_required, given.reason) == (False, False, "Social worker off sick")


def test_no_core_group_recorded_is_overdue_after_the_due_date_and_not_yet_due_before_it(policy):
    overdue = first_core_group(review(), policy)
    assert (overdue.status_word, overdue.actual, overdue.reason_required) == ("Missed", None, True)
    assert "not done yet" in overdue.explanation
    early = first_core_group(review(), policy, today=date(2026, 3, 10))
    assert (early.status_word, early.due) == ("Not yet due", date(2026, 3, 16))


def test_without_the_conference_before_it_cannot_tell_and_an_initial_conference_has_none(policy):
    assert first_core_group(review(), policy, previous=None).status_word == "Cannot tell"
    initial = review()
    initial.conference = dataclasses.replace(initial.conference, kind=MeetingKind.INITIAL)
    assert "first_core_group" not in {t.key for t in conference_timescales(initial, policy, TODAY, INITIAL_HELD)}


def test_the_working_days_come_from_the_policy(policy):
    longer = dataclasses.replace(policy, timescales=policy.timescales | {"first_core_group_working_days": 15})
    assert first_core_group(review(), longer).due == date(2026, 3, 23)
