"""Dates as English users read them: dd/mm/yyyy."""

from __future__ import annotations

from datetime import date

UK_DATE = "%d/%m/%Y"


def uk_date(day: date | None, missing: str = "") -> str:
    """``day`` as dd/mm/yyyy, or ``missing`` when there is no date."""
    return day.strftime(UK_DATE) if day else missing
