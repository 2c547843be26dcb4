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


def test_measure_1_counts_first_core_groups_on_the_reviews_held_in_the_period_as_the_rule_judges_them(policy):
    """By hand, the initial conferences on Monday 02/03/2026, first core groups due by 16/03/2026: r1's first
    core group on 16/03 (its later one does not matter) is within; r2's on 17/03 is not; r3 recorded none; r4
    follows no conference known here (cannot tell); r5 is held after the period. 1 of 3."""
    import pandas as pd

    from chair_app.reports.frames import TABLES, Frames
    from chair_app.reports.measures import Context, timeliness
    from chair_app.reports.period import Period

    raw = {name: pd.DataFrame(columns=columns) for name, columns in TABLES.items()}
    base = dict.fromkeys(TABLES["conference"]) | dict(status="held", quoracy_outcome="quorate", stood_down_reason="")

    def conf(cid, kind, held, prev=None):
        return (
            base
            | dict(id=cid, kind=kind, family_id=f"F{cid[-1]}", held_on=pd.Timestamp(held), chair="X")
            | dict(previous_conference_id=prev)
        )

    raw["conference"] = pd.DataFrame(
        [conf(f"i{n}", "initial", "2026-03-02") for n in (1, 2, 3, 5)]
        + [conf(f"r{n}", "first_review", "2026-06-01", f"i{n}") for n in (1, 2, 3)]
        + [conf("r4", "review", "2026-06-01"), conf("r5", "first_review", "2026-07-20", "i5")]
    )
    raw["core_group"] = pd.DataFrame(
        [
            dict(conference_id="r1", held_on=pd.Timestamp("2026-04-27")),
            dict(conference_id="r1", held_on=pd.Timestamp("2026-03-16")),
            dict(conference_id="r2", held_on=pd.Timestamp("2026-03-17")),
            dict(conference_id="r5", held_on=pd.Timestamp("2026-03-10")),
        ]
    )
    period = Period(date(2026, 4, 1), date(2026, 6, 30))
    row = timeliness(Context(Frames.from_frames(raw), policy, period)).set_index("measure").loc["First core groups"]
    assert (row.within_timescale, row.total, row.cannot_tell, row.text) == (1, 3, 1, "33.3% (1 of 3)")
