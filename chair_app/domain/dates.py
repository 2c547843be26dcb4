"""Dates as English users read them: dd/mm/yyyy, and the one parser every entry point uses.

A date typed in the window, given on the command line or read from a conference file goes through
``parse_date`` (or ``parse_iso_date``), so an impossible day is named the same way everywhere:
"31/02/2026 is not a date: February 2026 has 28 days".
"""

from __future__ import annotations

import calendar
import re
from datetime import date

from chair_app.domain.errors import InvalidInput

UK_DATE = "%d/%m/%Y"
EARLIEST_YEAR = 1900  # no conference, birth or plan in this app is older
LATEST_YEAR = 2200

_UK = re.compile(r"^([0-9]{1,2})[/.]([0-9]{1,2})[/.]([0-9]{4}|[0-9]{2})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{2})-([0-9]{2})$")


class DateNotValid(InvalidInput, ValueError):
    """A date that cannot be read, or a day that does not exist. The message has no field name: the caller
    puts its own in front ("Date of birth: ...", "--from: ...")."""


def uk_date(day: date | None, missing: str = "") -> str:
    """``day`` as dd/mm/yyyy, or ``missing`` when there is no date."""
    return day.strftime(UK_DATE) if day else missing


def _shown(text: str) -> str:
    text = text if len(text) <= 24 else text[:21] + "..."
    return "".join(ch if ch.isprintable() else "?" for ch in text)


def make_date(year: int, month: int, day: int, typed: str) -> date:
    """The date, or a refusal that names what is impossible about it."""
    if not 1 <= month <= 12:
        raise DateNotValid(f"{typed} is not a date: there is no month {month}")
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        raise DateNotValid(f"{typed} is not a date this app can use: give a year from {EARLIEST_YEAR} to {LATEST_YEAR}")
    days = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days:
        name = calendar.month_name[month]
        if day == 0:
            raise DateNotValid(f"{typed} is not a date: there is no day 0")
        raise DateNotValid(f"{typed} is not a date: {name} {year} has {days} days")
    return date(year, month, day)


def parse_date(text: str) -> date | None:
    """A date typed by a person: dd/mm/yyyy (also d/m/yy, dd.mm.yyyy) or yyyy-mm-dd; None when blank.

    Two-digit years are read as this century (as Python's ``%y`` did, 69 and over as 19xx).
    """
    text = text.strip()
    if not text:
        return None
    found = _UK.match(text)
    if found:
        day, month, year = (int(g) for g in found.groups())
        if len(found.group(3)) == 2:
            year += 1900 if year >= 69 else 2000
        return make_date(year, month, day, text)
    found = _ISO.match(text)
    if found:
        year, month, day = (int(g) for g in found.groups())
        return make_date(year, month, day, text)
    raise DateNotValid("type a date as dd/mm/yyyy, e.g. 07/03/2026")


def parse_iso_date(text: str) -> date:
    """A date stored in a file (yyyy-mm-dd), named the same way when it is impossible."""
    found = _ISO.match(text) if isinstance(text, str) else None
    if not found:
        raise DateNotValid(f"give a date as yyyy-mm-dd, not {_shown(str(text))}")
    year, month, day = (int(g) for g in found.groups())
    return make_date(year, month, day, text)
