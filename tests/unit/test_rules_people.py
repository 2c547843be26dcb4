"""Quoracy, participation codes, decisions, repeat plans, scales and age bands."""

from __future__ import annotations

import uuid
from datetime import date

import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceStatus, Category, MeetingKind, Outcome
from chair_app.domain.enums import ParticipationCode as PN
from chair_app.rules import participation, quoracy
from chair_app.rules.ages import age_text, plan_age_band, repeat_plan_age_band
from chair_app.rules.decisions import check_decision, read_scale, repeat_facts, time_since_band
from chair_app.rules.policy import default_policy_path, parse_policy

A = AttendanceStatus.ATTENDED


def who(*roles, status=A, remote=False, report=False):
    return [quoracy.Attendee(r, status, remote, report) for r in roles]


# ---------------------------------------------------------------------------------------------------------
# Quoracy


def test_csc_and_two_agencies_with_direct_contact_is_quorate(policy):
    result = quoracy.assess(who("social_worker", "health_visitor", "school", "parent"), MeetingKind.INITIAL, policy)
    assert result.quorate
    assert result.explanation == "Quorate: Children's social care, Health and Education present."


def test_the_issue_example_reads_aloud(policy):
    result = quoracy.assess(who("social_worker", "school"), MeetingKind.INITIAL, policy)
    assert not result.quorate and result.may_proceed
    assert result.explanation == (
        "Not quorate: Children's social care and Education present; another agency with direct contact with "
        "the child or family is needed, e.g. Health or Police."
    )


def test_without_childrens_social_care_it_is_never_quorate(policy):
    result = quoracy.assess(who("health_visitor", "school", "police", "gp"), MeetingKind.INITIAL, policy)
    assert not result.quorate and result.missing == ("csc",)
    assert "Children's social care must be present" in result.explanation


def test_two_roles_in_one_group_count_once_unless_policy_splits_them(policy):
    same = quoracy.assess(who("social_worker", "health_visitor", "school_nurse"), MeetingKind.INITIAL, policy)
    assert not same.quorate
    split_text = (
        default_policy_path()
        .read_text()
        .replace(
            'school_nurse = { label = "School nurse", group = "health"',
            'school_nurse = { label = "School nurse", group = "school_nursing"',
        )
        .replace('other = "Other"', 'other = "Other"\nschool_nursing = "School nursing"')
    )
    split = parse_policy(split_text, "split")
    assert quoracy.assess(who("social_worker", "health_visitor", "school_nurse"), MeetingKind.INITIAL, split).quorate


def test_family_advocates_and_interpreters_do_not_count(policy):
    result = quoracy.assess(
        who("social_worker", "advocate", "interpreter", "parent", "relative"), MeetingKind.INITIAL, policy
    )
    assert not result.quorate and result.others_needed == 2


def test_written_reports_and_remote_attendance_follow_policy(policy):
    people = who("social_worker", "school") + who("gp", status=AttendanceStatus.APOLOGIES, report=True)
    assert not quoracy.assess(people, MeetingKind.INITIAL, policy).quorate
    reports_count = parse_policy(
        default_policy_path().read_text().replace("written_report_counts = false", "written_report_counts = true"), "x"
    )
    assert quoracy.assess(people, MeetingKind.INITIAL, reports_count).quorate

    remote = who("social_worker") + who("school", "police", remote=True)
    assert quoracy.assess(remote, MeetingKind.INITIAL, policy).quorate
    in_person_only = parse_policy(
        default_policy_path()
        .read_text()
        .replace("remote_attendance_counts = true", "remote_attendance_counts = false"),
        "x",
    )
    assert not quoracy.assess(remote, MeetingKind.INITIAL, in_person_only).quorate


def test_pre_birth_exception(policy):
    people = who("social_worker", "midwife")
    assert not quoracy.assess(people, MeetingKind.INITIAL, policy).quorate
    result = quoracy.assess(people, MeetingKind.INITIAL_PRE_BIRTH, policy)
    assert result.quorate and "Pre-birth" in result.explanation


def test_a_second_inquorate_conference_must_stand_down_unless_policy_allows(policy):
    people = who("social_worker")
    assert quoracy.assess(people, MeetingKind.INITIAL, policy).may_proceed
    second = quoracy.assess(people, MeetingKind.INITIAL, policy, previous_was_inquorate=True)
    assert not second.may_proceed and "must be stood down" in second.explanation
    lenient = parse_policy(
        default_policy_path()
        .read_text()
        .replace("second_inquorate_may_proceed = false", "second_inquorate_may_proceed = true"),
        "x",
    )
    assert quoracy.assess(people, MeetingKind.INITIAL, lenient, previous_was_inquorate=True).may_proceed


ROLES = [
    "social_worker",
    "health_visitor",
    "school",
    "police",
    "gp",
    "midwife",
    "housing",
    "parent",
    "probation",
    "domestic_abuse_service",
    "school_nurse",
    "nursery",
    "team_manager",
    "unknown_role",
]
STATUSES = list(AttendanceStatus)
attendee = st.builds(quoracy.Attendee, st.sampled_from(ROLES), st.sampled_from(STATUSES), st.booleans(), st.booleans())


@given(st.lists(attendee, max_size=12), st.sampled_from(ROLES), st.booleans(), st.sampled_from(list(MeetingKind)))
@settings(max_examples=400, deadline=None)
def test_adding_an_attending_agency_never_makes_a_quorate_conference_inquorate(people, role, remote, kind):
    policy = parse_policy(default_policy_path().read_text(), "default")
    before = quoracy.assess(people, kind, policy)
    after = quoracy.assess([*people, quoracy.Attendee(role, A, remote)], kind, policy)
    if before.quorate:
        assert after.quorate
    assert after.others_needed <= before.others_needed


# ---------------------------------------------------------------------------------------------------------
# Participation


def test_fourth_birthday_on_the_conference_day(policy):
    dob = date(2022, 11, 23)
    assert participation.allowed_codes(dob, date(2026, 11, 22)) == (PN.PN0,)
    assert participation.derived_code(dob, date(2026, 11, 22)) is PN.PN0
    on_the_day = participation.allowed_codes(dob, date(2026, 11, 23))
    assert PN.PN0 not in on_the_day and PN.PN1 in on_the_day
    assert "PN0 is only for a child under 4" in participation.check_code(PN.PN0, dob, date(2026, 11, 23))
    assert participation.check_code(PN.PN5, dob, date(2026, 11, 22)) == (
        "participation code: a child under 4 is recorded as PN0, not PN5"
    )


def test_unborn_children_get_no_code(policy):
    assert participation.allowed_codes(None, date(2026, 11, 23)) == ()
    assert participation.allowed_codes(date(2027, 2, 1), date(2026, 11, 23)) == ()
    assert "unborn" in participation.check_code(PN.PN0, None, date(2026, 11, 23))
    assert participation.check_code(None, None, date(2026, 11, 23)) is None


def test_leap_day_birthday_turns_four_on_1_march_in_a_common_year():
    dob = date(2020, 2, 29)
    assert participation.derived_code(dob, date(2024, 2, 28)) is PN.PN0
    assert participation.derived_code(dob, date(2024, 2, 29)) is None  # 2024 is a leap year
    dob_2 = date(2024, 2, 29)
    assert participation.derived_code(dob_2, date(2028, 2, 28)) is PN.PN0
    assert participation.derived_code(dob_2, date(2028, 2, 29)) is None


def independent_age(dob: date, on: date) -> int:
    """Completed years by finding this year's birthday (1 March for 29 February in a common year)."""
    try:
        birthday = dob.replace(year=on.year)
    except ValueError:
        birthday = date(on.year, 3, 1)
    return on.year - dob.year - (1 if on < birthday else 0)


@given(
    st.dates(date(2005, 1, 1), date(2030, 12, 31)),
    st.dates(date(2010, 1, 1), date(2035, 12, 31)),
    st.sampled_from(list(PN)),
)
@settings(max_examples=1000, deadline=None)
def test_pn_rules_agree_with_an_independent_age_computation(dob, on, code):
    problem = participation.check_code(code, dob, on)
    if dob > on:
        assert problem is not None and participation.allowed_codes(dob, on) == ()
        return
    under_four = independent_age(dob, on) < 4
    assert (problem is None) == ((code is PN.PN0) == under_four)
    assert (participation.derived_code(dob, on) is PN.PN0) == under_four


def test_advocacy_is_prompted_from_the_policy_age(policy):
    assert participation.advocacy_prompt(date(2016, 11, 23), date(2026, 11, 23), policy).due
    assert not participation.advocacy_prompt(date(2016, 11, 24), date(2026, 11, 23), policy).due
    assert (
        "Children's Rights Service"
        in participation.advocacy_prompt(date(2010, 1, 1), date(2026, 1, 1), policy).explanation
    )


def test_the_2018_19_figures_give_86_6_percent():
    counts = {PN.PN1: 632, PN.PN2: 10, PN.PN3: 3, PN.PN4: 10, PN.PN5: 98, PN.PN6: 296, PN.PN7: 163}
    rate, took_part, eligible = participation.participation_rate(counts)
    assert (took_part, eligible) == (1049, 1212)
    assert round(rate, 1) == 86.6


# ---------------------------------------------------------------------------------------------------------
# Decisions, repeat plans, scales, ages


def decision(outcome, **kw):
    return m.Decision(conference_id=uuid.uuid4(), child_id=uuid.uuid4(), outcome=outcome, **kw)


def test_a_plan_needs_a_category_and_a_lead_agency(policy):
    problems = check_decision(decision(Outcome.PLAN), MeetingKind.INITIAL, policy)
    assert any(p.startswith("category:") for p in problems) and any(p.startswith("lead agency:") for p in problems)
    ok = decision(Outcome.PLAN, initial_category=Category.NEG, lead_agency="Children's social care")
    assert check_decision(ok, MeetingKind.INITIAL, policy) == []


def test_multiple_needs_its_contributing_categories(policy):
    d = decision(Outcome.PLAN, initial_category=Category.MUL, lead_agency="CSC", contributing_categories=[Category.NEG])
    assert any("at least two" in p for p in check_decision(d, MeetingKind.INITIAL, policy))
    d.contributing_categories = [Category.NEG, Category.EMO]
    d.category_reason = "Both harms are serious and neither is secondary"  # issue 20: multiple asks why
    assert check_decision(d, MeetingKind.INITIAL, policy) == []


def test_no_plan_needs_reasons_and_a_next_step(policy):
    problems = check_decision(decision(Outcome.NO_PLAN), MeetingKind.INITIAL, policy)
    assert [p.split(":")[0] for p in problems] == ["reasons", "next step"]


def test_review_outcomes_and_end_reasons(policy):
    assert "at this kind of conference" in check_decision(decision(Outcome.PLAN), MeetingKind.REVIEW, policy)[0]
    assert "end reason" in check_decision(decision(Outcome.END), MeetingKind.REVIEW, policy)[0]
    assert check_decision(decision(Outcome.END, end_reason="looked_after"), MeetingKind.REVIEW, policy) == []
    cont = decision(Outcome.CONTINUE, initial_category=Category.NEG, latest_category=Category.EMO)
    assert check_decision(cont, MeetingKind.REVIEW, policy) == []


def test_repeat_plan_facts_come_from_history_and_require_analysis(policy):
    child = uuid.uuid4()
    history = [
        m.PlanHistory(child_id=child, started_on=date(2021, 1, 4), ended_on=date(2022, 3, 1)),
        m.PlanHistory(child_id=child, started_on=date(2023, 5, 1), ended_on=date(2025, 12, 1)),
        m.PlanHistory(child_id=uuid.uuid4(), started_on=date(2022, 1, 1), ended_on=date(2022, 6, 1)),
    ]
    facts = repeat_facts(history, child, date(2026, 5, 1))
    assert facts.previous_plans == 2 and facts.last_ended_on == date(2025, 12, 1)
    assert facts.band == "Within 6 months"
    d = decision(Outcome.PLAN, initial_category=Category.NEG, lead_agency="CSC")
    assert any("repeat-plan analysis" in p for p in check_decision(d, MeetingKind.INITIAL, policy, repeat=facts))
    assert repeat_facts(history, uuid.uuid4(), date(2026, 5, 1)).previous_plans == 0


@pytest.mark.parametrize(
    "ended,started,band",
    [
        (date(2025, 1, 1), date(2025, 7, 1), "Within 6 months"),
        (date(2025, 1, 1), date(2025, 7, 2), "6 to 12 months"),
        (date(2025, 1, 1), date(2026, 1, 1), "6 to 12 months"),
        (date(2025, 1, 1), date(2026, 1, 2), "1 to 2 years"),
        (date(2025, 1, 1), date(2027, 1, 1), "1 to 2 years"),
        (date(2025, 1, 1), date(2027, 1, 2), "Over 2 years"),
    ],
)
def test_time_since_previous_plan_bands(ended, started, band):
    assert time_since_band(ended, started) == band


def test_scales_escalate_at_the_dangerous_end_whichever_way_round(policy):
    assert read_scale(2, policy).escalate and "consider escalating" in read_scale(2, policy).explanation
    assert not read_scale(3, policy).escalate
    reverse = parse_policy(
        default_policy_path().read_text().replace("higher_is_safer = true", "higher_is_safer = false"), "x"
    )
    assert read_scale(8, reverse).escalate and not read_scale(2, reverse).escalate
    with pytest.raises(ValueError):
        read_scale(11, policy)


@pytest.mark.parametrize(
    "dob,band,repeat_band",
    [
        (None, "Unborn", "1-4"),
        (date(2026, 1, 1), "0-4", "1-4"),
        (date(2021, 11, 24), "0-4", "1-4"),
        (date(2021, 11, 23), "5-9", "5-9"),
        (date(2016, 11, 23), "10-15", "10-15"),
        (date(2010, 11, 23), "16+", "16-17"),
    ],
)
def test_age_bands_are_derived(dob, band, repeat_band):
    on = date(2026, 11, 23)
    assert plan_age_band(dob, on) == band
    assert repeat_plan_age_band(dob, on) == repeat_band


def test_ages_as_people_read_them():
    on = date(2026, 11, 23)
    assert age_text(date(2017, 10, 14), on) == "9 years"
    assert age_text(on - relativedelta(months=10), on) == "10 months"
    assert age_text(on - relativedelta(weeks=3), on) == "3 weeks"
    assert age_text(None, on, date(2027, 2, 26)) == "unborn, due 26/02/2027"
