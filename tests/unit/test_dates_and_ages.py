"""The one date parser (CLI, window, files) and ages: impossible days named, 29 February birthdays on 1 March."""

from __future__ import annotations

import calendar
from dataclasses import replace
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chair_app.domain.dates import DateNotValid, parse_date, parse_iso_date
from chair_app.rules import participation
from chair_app.rules.ages import age_in_years, age_text, plan_age_band
from chair_app.rules.inputs import conference_date_problem


def test_the_issue_example_names_the_impossible_day():
    with pytest.raises(DateNotValid) as info:
        parse_date("31/02/2026")
    assert str(info.value) == "31/02/2026 is not a date: February 2026 has 28 days"


@pytest.mark.parametrize(
    "typed,message",
    [
        ("29/02/2027", "29/02/2027 is not a date: February 2027 has 28 days"),
        ("30/02/2024", "30/02/2024 is not a date: February 2024 has 29 days"),
        ("31/04/2026", "31/04/2026 is not a date: April 2026 has 30 days"),
        ("31/9/2026", "31/9/2026 is not a date: September 2026 has 30 days"),
        ("00/01/2026", "00/01/2026 is not a date: there is no day 0"),
        ("01/13/2026", "01/13/2026 is not a date: there is no month 13"),
        ("2026-02-29", "2026-02-29 is not a date: February 2026 has 28 days"),
        ("31.06.2026", "31.06.2026 is not a date: June 2026 has 30 days"),
        ("01/01/0001", "01/01/0001 is not a date this app can use: give a year from 1900 to 2200"),
        ("tomorrow", "type a date as dd/mm/yyyy, e.g. 07/03/2026"),
        ("\u0660\u0661/\u0660\u0661/\u0662\u0660\u0662\u0666", "type a date as dd/mm/yyyy, e.g. 07/03/2026"),
    ],
)
def test_impossible_and_unreadable_dates_are_named(typed, message):
    with pytest.raises(DateNotValid) as info:
        parse_date(typed)
    assert str(info.value) == message


def test_the_date_error_is_a_value_error_so_the_window_catches_it():
    assert issubclass(DateNotValid, ValueError)


@pytest.mark.parametrize(
    "typed,expected",
    [
        ("07/03/2026", date(2026, 3, 7)),
        (" 7/3/2026 ", date(2026, 3, 7)),
        ("07.03.2026", date(2026, 3, 7)),
        ("07/03/26", date(2026, 3, 7)),
        ("2026-03-07", date(2026, 3, 7)),
        ("29/02/2024", date(2024, 2, 29)),
        ("", None),
    ],
)
def test_the_forms_people_type_are_read(typed, expected):
    assert parse_date(typed) == expected


@given(st.dates(date(1900, 1, 1), date(2200, 12, 31)))
@settings(max_examples=300, deadline=None)
def test_every_real_day_reads_back_in_both_forms(day):
    assert parse_date(day.strftime("%d/%m/%Y")) == day
    assert parse_iso_date(day.isoformat()) == day


@given(st.integers(1900, 2200), st.integers(1, 12), st.integers(29, 31))
def test_every_day_past_the_end_of_a_month_is_named_with_the_month_length(year, month, day):
    days = calendar.monthrange(year, month)[1]
    if day <= days:
        return
    with pytest.raises(DateNotValid, match=f"{calendar.month_name[month]} {year} has {days} days"):
        parse_date(f"{day:02d}/{month:02d}/{year}")


def test_the_file_parser_asks_for_yyyy_mm_dd():
    with pytest.raises(DateNotValid, match="give a date as yyyy-mm-dd, not 12/03/2027"):
        parse_iso_date("12/03/2027")


# ---------------------------------------------------------------------------------------------------------
# Ages


def test_the_issue_example_a_29_february_child_is_not_10_on_28_february():
    assert age_in_years(date(2016, 2, 29), date(2026, 2, 28)) == 9
    assert age_in_years(date(2016, 2, 29), date(2026, 3, 1)) == 10
    assert age_in_years(date(2016, 2, 29), date(2024, 2, 29)) == 8  # a leap year: the day itself


def test_a_29_february_child_turns_five_on_1_march_in_a_common_year():
    dob = date(2016, 2, 29)
    assert age_in_years(dob, date(2021, 2, 28)) == 4
    assert plan_age_band(dob, date(2021, 2, 28)) == "0-4"
    assert age_in_years(dob, date(2021, 3, 1)) == 5
    assert plan_age_band(dob, date(2021, 3, 1)) == "5-9"


def test_advocacy_prompt_comes_on_1_march_for_a_29_february_child(policy):
    dob = date(2016, 2, 29)  # 10 in 2026, a common year
    assert policy.advocacy_age == 10
    assert not participation.advocacy_prompt(dob, date(2026, 2, 28), policy).due
    assert participation.advocacy_prompt(dob, date(2026, 3, 1), policy).due


def test_age_band_moves_on_1_march_for_a_29_february_child():
    dob = date(2016, 2, 29)
    assert plan_age_band(dob, date(2026, 2, 28)) == "5-9"
    assert plan_age_band(dob, date(2026, 3, 1)) == "10-15"
    assert age_text(dob, date(2026, 2, 28)) == "9 years"


def independent_age(dob: date, on: date) -> int:
    """Completed years by finding this year's birthday (1 March for 29 February in a common year)."""
    try:
        birthday = dob.replace(year=on.year)
    except ValueError:
        birthday = date(on.year, 3, 1)
    return on.year - dob.year - (1 if on < birthday else 0)


@given(st.dates(date(1990, 1, 1), date(2030, 12, 31)), st.dates(date(1990, 1, 1), date(2060, 12, 31)))
@settings(max_examples=2000, deadline=None)
def test_age_in_years_agrees_with_finding_this_years_birthday(dob, on):
    if on >= dob:
        assert age_in_years(dob, on) == independent_age(dob, on)


# ---------------------------------------------------------------------------------------------------------
# The conference date window (policy)


def test_a_conference_date_outside_the_policys_years_is_named(policy):
    today = date(2026, 11, 30)
    assert conference_date_problem(today, policy, today) is None
    assert "outside the dates the policy allows" in conference_date_problem(date(2062, 1, 1), policy, today)
    assert "30/11/2006 to 30/11/2028" in conference_date_problem(date(1990, 1, 1), policy, today)
    wider = replace(policy, conference_years_back=50)
    assert conference_date_problem(date(1990, 1, 1), wider, today) is None


def test_a_report_period_from_29_february_compares_with_28_february_the_year_before():
    from chair_app.reports.period import Period, parse_period, year_before

    period = parse_period("29/02/2028", "31/03/2028")
    assert year_before(period) == Period(date(2027, 2, 28), date(2027, 3, 31))
