"""Issue 20, point 5: standing down asks for the new date, checked against the policy's working days for a
re-convened conference, and for the interim arrangement."""

from __future__ import annotations

from datetime import date

from chair_app.domain.enums import MeetingKind
from chair_app.rules.policy import default_policy_path, parse_policy
from chair_app.rules.standdown import stand_down_problems
from chair_app.rules.timescales import reconvene_by

MONDAY = date(2026, 6, 1)
INTERIM = "The safety plan from the strategy discussion stays in place."


def changed(*pairs):
    text = default_policy_path().read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new)
    return parse_policy(text, "changed")


def test_an_initial_conference_is_re_convened_within_10_working_days(policy):
    assert reconvene_by(MONDAY, MeetingKind.INITIAL, policy) == date(2026, 6, 15)
    assert stand_down_problems(MeetingKind.INITIAL, MONDAY, "not_quorate", date(2026, 6, 15), INTERIM, policy) == []
    late = stand_down_problems(MeetingKind.INITIAL, MONDAY, "not_quorate", date(2026, 6, 16), INTERIM, policy)
    assert late == [
        "new date: an initial conference is re-convened within 10 working days, so by 15/06/2026; choose a date by then"
    ]


def test_a_review_is_re_convened_within_20_working_days(policy):
    assert reconvene_by(MONDAY, MeetingKind.REVIEW, policy) == date(2026, 6, 29)
    assert stand_down_problems(MeetingKind.REVIEW, MONDAY, "parent_unable", date(2026, 6, 29), INTERIM, policy) == []


def test_the_new_date_and_the_interim_arrangement_are_asked_for(policy):
    found = stand_down_problems(MeetingKind.INITIAL, MONDAY, "not_quorate", None, " ", policy)
    assert found[0] == (
        "new date: say when the conference is re-convened; an initial conference is re-convened within "
        "10 working days, so by 15/06/2026"
    )
    assert found[1].startswith("interim arrangement: say what keeps the child safe")
    same_day = stand_down_problems(MeetingKind.INITIAL, MONDAY, "not_quorate", MONDAY, INTERIM, policy)
    assert same_day == ["new date: choose a day after 01/06/2026, the day it was stood down"]


def test_a_conference_that_should_have_been_a_transfer_in_elsewhere_needs_no_new_date(policy):
    assert stand_down_problems(MeetingKind.INITIAL, MONDAY, "should_be_transfer_in", None, INTERIM, policy) == []


def test_an_authority_with_other_working_days_and_no_interim_rule():
    other = changed(
        ("reconvened_initial_working_days = 10", "reconvened_initial_working_days = 5"),
        ("interim_arrangement_required = true", "interim_arrangement_required = false"),
    )
    assert reconvene_by(MONDAY, MeetingKind.INITIAL, other) == date(2026, 6, 8)
    assert stand_down_problems(MeetingKind.INITIAL, MONDAY, "not_quorate", date(2026, 6, 8), "", other) == []
    assert stand_down_problems(MeetingKind.INITIAL, MONDAY, "not_quorate", date(2026, 6, 9), "", other)[0].startswith(
        "new date: an initial conference is re-convened within 5 working days, so by 08/06/2026"
    )
