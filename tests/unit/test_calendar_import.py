"""The working calendar imports only the United Kingdom's module of `holidays`, and its holidays are exactly those
`holidays.country_holidays("GB")` gives."""

from __future__ import annotations

import subprocess
import sys
from datetime import date

import holidays
import pytest

from chair_app.rules.calendar import WorkingCalendar


def test_counting_working_days_imports_one_country_module():
    code = (
        "import sys; from datetime import date; from chair_app.rules.calendar import WorkingCalendar; "
        "c = WorkingCalendar('ENG'); c.add_working_days(date(2026, 12, 20), 10); c.non_working_weekdays(2020, 2030); "
        "print(sorted(m for m in sys.modules if m.startswith('holidays.countries')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "['holidays.countries.united_kingdom']"


@pytest.mark.parametrize("subdivision", ["ENG", "WLS", "SCT", "NIR"])
def test_bank_holidays_are_the_libraries_own(subdivision):
    calendar = WorkingCalendar(subdivision)
    expected: set[date] = set()
    for year in range(2010, 2041):
        expected |= set(holidays.country_holidays("GB", subdiv=subdivision, years=year))
    assert calendar.non_working_weekdays(2010, 2040) == sorted(d for d in expected if d.weekday() < 5)
    for day in sorted(expected):
        assert calendar.holiday_name(day) == holidays.country_holidays("GB", subdiv=subdivision).get(day)


def test_where_the_countries_are_not_files_the_ordinary_import_gives_the_same_calendar(tmp_path):
    """In the laptop bundle, `holidays` lives in PyInstaller's archive, not as .py files: the calendar falls
    back to the ordinary import instead of failing (it did: `chair-app demo` in the bundle, FileNotFoundError)."""
    code = f"""
import importlib.util, sys
from types import SimpleNamespace
real = importlib.util.find_spec
importlib.util.find_spec = lambda name, *a: (
    SimpleNamespace(submodule_search_locations=[{str(tmp_path)!r}]) if name == "holidays.countries" else real(name, *a)
)
from chair_app.rules.calendar import country_calendar
import holidays
assert country_calendar() is holidays.countries.united_kingdom.GB
print("ordinary import")
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-800:]
    assert done.stdout.strip() == "ordinary import"
