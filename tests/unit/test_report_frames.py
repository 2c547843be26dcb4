"""Vectorised working days agree with the rules' own calendar on every date pair tried."""

from __future__ import annotations

from datetime import date

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from chair_app.reports.frames import WorkingDays
from chair_app.rules.calendar import WorkingCalendar

CAL = WorkingCalendar("ENG")
WD = WorkingDays(CAL)
days = st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 12, 31))


@given(st.lists(st.tuples(days, st.integers(-40, 40)), min_size=1, max_size=30))
@settings(max_examples=150, deadline=None)
def test_add_agrees_with_the_rules(pairs):
    starts = pd.Series(pd.to_datetime([d for d, _ in pairs]))
    for n in {n for _, n in pairs}:
        got = WD.add(starts, n)
        assert [g.date() for g in got] == [CAL.add_working_days(d, n) for d, _ in pairs]


@given(st.lists(st.tuples(days, days), min_size=1, max_size=30))
@settings(max_examples=150, deadline=None)
def test_between_agrees_with_the_rules(pairs):
    a = pd.Series(pd.to_datetime([x for x, _ in pairs]))
    b = pd.Series(pd.to_datetime([y for _, y in pairs]))
    assert list(WD.between(a, b).astype(int)) == [CAL.working_days_between(x, y) for x, y in pairs]


def test_missing_dates_stay_missing():
    s = pd.Series([pd.Timestamp("2026-06-01"), pd.NaT])
    out = WD.add(s, 15)
    assert out[0] == pd.Timestamp("2026-06-22") and pd.isna(out[1])
