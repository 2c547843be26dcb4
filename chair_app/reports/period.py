"""A reporting period: plain dates, no pandas, so that services and the window can name one cheaply.

``reports.measures`` re-exports it; importing this module alone imports neither pandas nor numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chair_app.domain.dates import uk_date
from chair_app.domain.errors import InvalidInput


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    @property
    def label(self) -> str:
        return f"{uk_date(self.start)} to {uk_date(self.end)}"


def year_before(period: Period) -> Period:
    """The same dates a year earlier: the year-on-year summary's default comparison."""
    return Period(_a_year_earlier(period.start), _a_year_earlier(period.end))


def _a_year_earlier(day: date) -> date:
    """The same date a year earlier; 29 February becomes 28 February in a common year."""
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def spanning(*periods: Period) -> Period:
    """The shortest period that holds every one given."""
    return Period(min(p.start for p in periods), max(p.end for p in periods))


def parse_period(start: str, end: str) -> Period:
    from chair_app.domain.dates import DateNotValid, parse_date

    days = []
    for name, text in (("--from", start), ("--to", end)):
        try:
            day = parse_date(text)
        except DateNotValid as exc:
            raise InvalidInput(f"{name}: {exc}") from None
        if day is None:
            raise InvalidInput(f"{name}: give a date as dd/mm/yyyy, e.g. 01/04/2026")
        days.append(day)
    first, last = days
    if last < first:
        raise InvalidInput("--to: the end of the period is before its start")
    return Period(first, last)
