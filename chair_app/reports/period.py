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
    return Period(period.start.replace(year=period.start.year - 1), period.end.replace(year=period.end.year - 1))


def spanning(*periods: Period) -> Period:
    """The shortest period that holds every one given."""
    return Period(min(p.start for p in periods), max(p.end for p in periods))


def parse_period(start: str, end: str) -> Period:
    try:
        first = date.fromisoformat(start) if "-" in start[:5] else _uk(start)
        last = date.fromisoformat(end) if "-" in end[:5] else _uk(end)
    except ValueError:
        raise InvalidInput("--from/--to: give dates as dd/mm/yyyy (or yyyy-mm-dd)") from None
    if last < first:
        raise InvalidInput("--to: the end of the period is before its start")
    return Period(first, last)


def _uk(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))
