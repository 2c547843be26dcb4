"""Working days: weekdays that are neither a UK bank holiday (from `holidays`) nor a local closure day.

Counting convention (the DfE CIN census one for ``InitialCPCtarget``): the starting day is day 0 whatever
it is; day 1 is the first working day after it. So 15 working days from a strategy discussion on Monday
1 June 2026 is Monday 22 June 2026.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from functools import cached_property

import holidays

from chair_app.rules.policy import Policy


@dataclass(frozen=True)
class WorkingCalendar:
    subdivision: str = "ENG"
    closures: frozenset[date] = frozenset()

    @classmethod
    def from_policy(cls, policy: Policy) -> WorkingCalendar:
        return cls(policy.subdivision, frozenset(policy.local_closure_days))

    @cached_property
    def _bank_holidays(self) -> holidays.HolidayBase:
        return holidays.country_holidays("GB", subdiv=self.subdivision)

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
        """
        if end >= start:
            first, last, sign = start + timedelta(days=1), end, 1  # (start, end]
        else:
            first, last, sign = end, start - timedelta(days=1), -1  # [end, start)
        days = (first + timedelta(days=i) for i in range((last - first).days + 1))
        return sign * sum(1 for day in days if self.is_working_day(day))

    def non_working_weekdays(self, first_year: int, last_year: int) -> list[date]:
        """Bank holidays and closures from ``first_year`` to ``last_year``: for vectorised working-day sums."""
        days = set(self.closures)
        for year in range(first_year, last_year + 1):
            days |= set(holidays.country_holidays("GB", subdiv=self.subdivision, years=year))
        return sorted(d for d in days if d.weekday() < 5)

    def roll(self, day: date, direction: str) -> date:
        """Move ``day`` to the nearest working day ``before`` or ``after`` it (itself if it is one)."""
        step = -1 if direction == "before" else 1
        while not self.is_working_day(day):
            day += timedelta(days=step)
        return day
