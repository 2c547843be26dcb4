"""How the measures read on paper: one mapping from the tables' stable column names to the words a manager
reads, and the formatting of each value (counts as whole numbers, percentages to one place).

The CSVs and the workbook keep the column names (they are an interface); the summary PDF, and anything else a
person reads, takes its headings and cells from here.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import pandas as pd

COLUMN_LABELS: dict[str, str] = {
    "measure": "Measure",
    "within_timescale": "Within timescale",
    "total": "Total",
    "percent": "%",
    "text": "Result",
    "cannot_tell": "Cannot tell (no due date)",
    "not_yet_due": "Not yet due",
    "working_days": "Timescale (working days)",
    "conference_type": "Conference",
    "recipient": "Report to",
    "received": "Received",
    "count": "Number",
    "as_secondary": "Named as secondary",
    "month": "Month",
    "subject_of_plan": "Subject of a plan",
    "no_plan_required": "No plan required",
    "no_decision_recorded": "No decision recorded",
    "plan_percent": "Plan (%)",
    "no_plan_percent": "No plan (%)",
    "repeat_plans": "Repeat plans",
    "plans_started": "Plans started",
    "age_at_repeat_plan_start": "Age at repeat plan start",
    "category": "Category",
    "characteristic": "Characteristic",
    "value": "Group",
    "reason": "Reason",
    "conferences": "Conferences",
    "percent_of_all": "Of conferences held (%)",
    "conferences_held": "Conferences held",
    "stood_down_meetings": "Meetings stood down",
    "code": "Code",
    "children": "Children",
    "agency": "Agency",
    "invited": "Invited",
    "attended": "Attended",
    "report_provided": "Report provided",
    "attended_percent": "Attended (%)",
    "report_percent": "Report provided (%)",
    "families": "Families with the same chair",
    "families_with_two_or_more_conferences": "Families with two or more conferences",
    "change": "Change",
}


def column_label(name: object) -> str:
    """The heading for a column: from the mapping, else the name itself (already words, e.g. "Over 2 years",
    or a period, "01/04/2025 to 31/03/2026"), else its underscores as spaces."""
    text = str(name)
    return COLUMN_LABELS.get(text, text.replace("_", " ").capitalize() if "_" in text else text)


def _is_percent(column: str, row_measure: str) -> bool:
    return "percent" in column or row_measure.endswith("(%)")


def cell_text(value: object, *, percent: bool) -> str:
    """A value as printed: blank for nothing, a whole number for a count, one decimal place for a percentage."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, int | float) or hasattr(value, "dtype"):
        number = float(value)  # numpy scalars too
        if percent:
            return f"{number:.1f}"
        return f"{round(number):d}" if number == round(number) else f"{number:.1f}"
    return str(value)


def printed_table(df: pd.DataFrame) -> tuple[list[str], list[list[str]]]:
    """The headings and rows of a measure's table as a person reads them."""
    columns = [str(c) for c in df.columns]
    measures: Sequence[str] = [str(m) for m in df["measure"]] if "measure" in df.columns else [""] * len(df)
    rows = []
    for measure, values in zip(measures, df.itertuples(index=False, name=None), strict=True):
        rows.append([cell_text(v, percent=_is_percent(c, measure)) for c, v in zip(columns, values, strict=True)])
    return [column_label(c) for c in df.columns], rows
