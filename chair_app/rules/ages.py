"""Ages and the age bands the annual reports use, derived from dates, never typed."""

from __future__ import annotations

from datetime import date

from dateutil.relativedelta import relativedelta

from chair_app.domain.dates import uk_date


def age_in_years(date_of_birth: date, on: date) -> int:
    """Completed years on ``on``. A 29 February birthday is reached on 1 March in other years.

    (Counted by month and day, not with ``relativedelta``, which clips 29 February to the 28th and so would
    give the birthday, the advocacy prompt and the next age band a day early.)
    """
    before_birthday = (on.month, on.day) < (date_of_birth.month, date_of_birth.day)
    return on.year - date_of_birth.year - before_birthday


def age_text(date_of_birth: date | None, on: date, expected: date | None = None) -> str:
    """How an age is shown to a person: "7 years", "10 months", "unborn, due 03/02/2027"."""
    if date_of_birth is None or date_of_birth > on:
        due = expected or date_of_birth
        return f"unborn, due {uk_date(due)}" if due else "unborn"
    years = age_in_years(date_of_birth, on)
    if years >= 2:
        return f"{years} years"
    delta = relativedelta(on, date_of_birth)
    months = delta.years * 12 + delta.months
    if months >= 1:
        return f"{months} month{'s' if months != 1 else ''}"
    weeks = (on - date_of_birth).days // 7
    return f"{weeks} week{'s' if weeks != 1 else ''}"


def plan_age_band(date_of_birth: date | None, on: date) -> str:
    """Age bands of children subject to a plan: Unborn, 0-4, 5-9, 10-15, 16+."""
    if date_of_birth is None or date_of_birth > on:
        return "Unborn"
    age = age_in_years(date_of_birth, on)
    if age <= 4:
        return "0-4"
    if age <= 9:
        return "5-9"
    if age <= 15:
        return "10-15"
    return "16+"


def repeat_plan_age_band(date_of_birth: date | None, on: date) -> str:
    """The repeat-plan table's bands: 1-4, 5-9, 10-15, 16-17 (under-ones count with 1-4, as the table does)."""
    band = plan_age_band(date_of_birth, on)
    return {"Unborn": "1-4", "0-4": "1-4", "16+": "16-17"}.get(band, band)
