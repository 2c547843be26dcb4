"""Working days: weekdays that are neither a UK bank holiday (from `holidays`) nor a local closure day.

Counting convention (the DfE CIN census one for ``InitialCPCtarget``): the starting day is day 0 whatever
it is; day 1 is the first working day after it. So 15 working days from a strategy discussion on Monday
1 June 2026 is Monday 22 June 2026.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

from chair_app.rules.policy import Policy

if TYPE_CHECKING:
    from holidays import HolidayBase

# The country whose bank holidays the policy's subdivisions (ENG, WLS, SCT, NIR) belong to, and the module of
# `holidays` that defines it.
COUNTRY, COUNTRY_MODULE = "GB", "united_kingdom"


def country_calendar(code: str = COUNTRY, module: str = COUNTRY_MODULE) -> type[HolidayBase]:
    """The `holidays` class for one country, importing that country's module only.

    ``holidays.country_holidays`` imports ``holidays.countries``, whose ``__init__`` imports all 250 countries
    (60 ms and 8 MiB on every command that counts working days); the country's own module needs none of them.
    """
    name = f"holidays.countries.{module}"
    loaded = sys.modules.get(name)
    if loaded is None:
        package = importlib.util.find_spec("holidays.countries")  # imports `holidays` (lazy), not the package
        if package is None or not package.submodule_search_locations:
            raise ImportError(f"the holidays library has no countries package for {code}")
        path = Path(package.submodule_search_locations[0]) / f"{module}.py"
        if not path.is_file():  # not a folder of .py files (a frozen bundle's archive): the ordinary import
            return getattr(importlib.import_module(name), code)
        spec = importlib.util.spec_from_file_location(name, path)
        if spec is None or spec.loader is None:
            raise ImportError(f"the holidays library has no module {module} for {code}")
        loaded = importlib.util.module_from_spec(spec)
        sys.modules[name] = loaded
        try:
            spec.loader.exec_module(loaded)
        except BaseException:
            del sys.modules[name]
            raise
    return getattr(loaded, code)


@dataclass(frozen=True)
class WorkingCalendar:
    subdivision: str = "ENG"
    closures: frozenset[date] = frozenset()

    @classmethod
    def from_policy(cls, policy: Policy) -> WorkingCalendar:
        return cls(policy.subdivision, frozenset(policy.local_closure_days))

    @cached_property
    def _bank_holidays(self) -> HolidayBase:
        return country_calendar()(subdiv=self.subdivision)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and day not in self._bank_holidays and day not in self.closures

    def holiday_name(self, day: date) -> str | None:
        if day in self.closures:
            return "Local closure day"
        return self._bank_holidays.get(day)

    def add_working_days(self, start: date, n: int) -> date:
        """The n-th working day after ``start`` (n < 0: before it). n == 0 gives ``start`` itself."""
        step = 1 if n >= 0 else -1
        day, left = start, abs(n)
        while left:
            day += timedelta(days=step)
            if self.is_working_day(day):
                left -= 1
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Working days after ``start`` up to and including ``end`` (negative when ``end`` is earlier).

        The inverse of :meth:`add_working_days`: ``working_days_between(d, add_working_days(d, n)) == n``.
        Counted, not walked: the weekdays in the range less the bank holidays and closures on weekdays in it
        (a plan's length in working days spans years, and the window works these out as a conference opens).
        """
        if end >= start:
            first, last, sign = start + timedelta(days=1), end, 1  # (start, end]
        else:
            first, last, sign = end, start - timedelta(days=1), -1  # [end, start)
        if last < first:
            return 0
        days = (last - first).days + 1
        weeks, rest = divmod(days, 7)
        weekdays = weeks * 5 + sum(1 for i in range(rest) if (first.weekday() + i) % 7 < 5)
        years = range(first.year, last.year + 1)
        off = sum(1 for year in years for d in self._off_weekdays(year) if first <= d <= last)
        return sign * (weekdays - off)

    def _off_weekdays(self, year: int) -> frozenset[date]:
        """The bank holidays and closure days of ``year`` that fall on a weekday (read once a year)."""
        cache = self.__dict__.setdefault("_off_by_year", {})
        if year not in cache:
            days = {d for d in self.closures if d.year == year}
            days |= set(country_calendar()(subdiv=self.subdivision, years=year))
            cache[year] = frozenset(d for d in days if d.weekday() < 5)
        return cache[year]

    def non_working_weekdays(self, first_year: int, last_year: int) -> list[date]:
        """Bank holidays and closures from ``first_year`` to ``last_year``: for vectorised working-day sums."""
        days = set(self.closures)
        days |= set(country_calendar()(subdiv=self.subdivision, years=range(first_year, last_year + 1)))
        return sorted(d for d in days if d.weekday() < 5)

    def roll(self, day: date, direction: str) -> date:
        """Move ``day`` to the nearest working day ``before`` or ``after`` it (itself if it is one)."""
        step = -1 if direction == "before" else 1
        while not self.is_working_day(day):
            day += timedelta(days=step)
        return day
