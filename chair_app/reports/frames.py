"""The tables measures are computed from, as pandas DataFrames, and working days over whole columns.

Reading the tables is the service's job; everything here works on frames it is given.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from chair_app.rules.calendar import WorkingCalendar

TABLES = {
    "conference": [
        "id",
        "kind",
        "family_id",
        "held_on",
        "chair",
        "strategy_discussion_on",
        "transfer_notified_on",
        "previous_conference_id",
        "report_to_parents_on",
        "report_to_chair_on",
        "record_distributed_on",
        "plan_distributed_on",
        "status",
        "quoracy_outcome",
        "stood_down_reason",
        "rearranged_from_id",
    ],
    "child": [
        "id",
        "family_id",
        "date_of_birth",
        "expected_date_of_birth",
        "sex",
        "ethnicity",
        "disability",
        "local_child_id",
        "upn",
        "merged_into_id",
    ],
    "conference_child": ["conference_id", "child_id", "participation_code"],
    "decision": [
        "conference_id",
        "child_id",
        "outcome",
        "initial_category",
        "latest_category",
        "decided_on",
        "end_reason",
        "secondary_category",
    ],
    "plan_history": [
        "id",
        "child_id",
        "started_on",
        "ended_on",
        "initial_category",
        "latest_category",
        "conference_id",
    ],
    "invitation": ["conference_id", "person_id", "status", "report_submitted"],
    "person": ["id", "role_code"],
    "delay_reason": ["conference_id", "measure", "reason"],
    "recommendation": ["conference_id", "child_id", "created_at"],
    # Decision letters (issue 20) and distribution (issue 14): each document that reached a recipient, and when.
    "document_record": ["conference_id", "kind", "recipient", "distributed_on", "produced_at"],
    # Core groups (issue 13): the first one held after a conference, judged on the review it reports to.
    "core_group": ["conference_id", "held_on"],
}
DATE_COLUMNS = {
    "held_on",
    "strategy_discussion_on",
    "transfer_notified_on",
    "report_to_parents_on",
    "report_to_chair_on",
    "record_distributed_on",
    "plan_distributed_on",
    "date_of_birth",
    "expected_date_of_birth",
    "decided_on",
    "started_on",
    "ended_on",
    "distributed_on",
}


@dataclass
class Frames:
    conference: pd.DataFrame
    child: pd.DataFrame
    conference_child: pd.DataFrame
    decision: pd.DataFrame
    plan_history: pd.DataFrame
    invitation: pd.DataFrame
    person: pd.DataFrame
    delay_reason: pd.DataFrame
    recommendation: pd.DataFrame
    document_record: pd.DataFrame
    core_group: pd.DataFrame

    @classmethod
    def from_frames(cls, frames: dict[str, pd.DataFrame]) -> Frames:
        """Normalise what was read: ids as text, dates as datetime64 (NaT when missing)."""
        out = {}
        for name, columns in TABLES.items():
            # A table or column added later (document_record, secondary_category) may be absent from frames
            # built by hand.
            given = frames.get(name)
            df = (given if given is not None else pd.DataFrame(columns=columns)).reindex(columns=columns).copy()
            for col in columns:
                if col in DATE_COLUMNS:
                    df[col] = pd.to_datetime(df[col])
                elif is_id(col):
                    df[col] = id_text(df[col])
            out[name] = df
        return cls(**_one_record_per_child(out))


CHILD_TABLES = ("conference_child", "decision", "plan_history", "recommendation")


def _one_record_per_child(frames: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """A child the register merged into another record counts as that record (issue 13): every table names
    the record kept, and the merged one leaves the child table, so a child is counted once and their plans
    (a repeat plan) are one history."""
    child = frames["child"]
    merged = child[child["merged_into_id"].notna()]
    if merged.empty:
        return frames
    into = dict(zip(merged["id"], merged["merged_into_id"], strict=True))

    def kept(child_id):
        seen = {child_id}
        while child_id in into and into[child_id] not in seen:
            child_id = into[child_id]
            seen.add(child_id)
        return child_id

    final = {k: kept(k) for k in into}
    out = dict(frames)
    for name in CHILD_TABLES:
        df = frames[name].copy()
        df["child_id"] = df["child_id"].map(lambda i: final.get(i, i))
        out[name] = df
    out["conference_child"] = out["conference_child"].drop_duplicates(["conference_id", "child_id"])
    out["child"] = child[child["merged_into_id"].isna()]
    return out


def is_id(column: str) -> bool:
    return column == "id" or column.endswith("_id")


def id_text(ids: pd.Series) -> pd.Series:
    """Ids as 32 hex digits (UUIDs or their text, with or without hyphens), None where missing; over the whole
    column at once (a Python call per value cost a second for a ten-year archive)."""
    present = ids.notna()
    out = pd.Series(None, index=ids.index, dtype=object)
    if present.any():
        values = ids[present]
        if pd.api.types.infer_dtype(values, skipna=False) != "string":
            values = values.astype(str)
        out[present] = values.str.replace("-", "", regex=False)
    return out


class WorkingDays:
    """Working-day arithmetic over whole columns: numpy's business days with the policy's holidays.

    Same convention as rules.calendar (start day is day 0): tests hold the two equal.
    """

    def __init__(self, calendar: WorkingCalendar, first_year: int = 2000, last_year: int = 2045) -> None:
        self.holidays = np.array(calendar.non_working_weekdays(first_year, last_year), dtype="datetime64[D]")

    def add(self, days: pd.Series, n: int | pd.Series) -> pd.Series:
        """``days`` + n working days (NaT stays NaT)."""
        mask = days.notna()
        out = pd.Series(pd.NaT, index=days.index, dtype="datetime64[ns]")
        if not mask.any():
            return out
        start = days[mask].to_numpy().astype("datetime64[D]")
        offset = np.broadcast_to(np.asarray(n if np.isscalar(n) else n[mask]), start.shape)
        forward = offset >= 0
        result = np.where(
            offset == 0,
            start,  # day 0 is the start itself, working day or not
            np.where(
                forward,
                np.busday_offset(start, np.where(forward, offset, 0), roll="backward", holidays=self.holidays),
                np.busday_offset(start, np.where(forward, 0, offset), roll="forward", holidays=self.holidays),
            ),
        )
        out[mask] = pd.to_datetime(result)
        return out

    def between(self, start: pd.Series, end: pd.Series) -> pd.Series:
        """Working days after ``start`` up to and including ``end`` (negative when end is earlier)."""
        mask = start.notna() & end.notna()
        out = pd.Series(np.nan, index=start.index)
        a = start[mask].to_numpy().astype("datetime64[D]")
        b = end[mask].to_numpy().astype("datetime64[D]")
        one = np.timedelta64(1, "D")
        fwd = np.busday_count(a + one, b + one, holidays=self.holidays)
        back = -np.busday_count(b, a, holidays=self.holidays)
        out[mask] = np.where(b >= a, fwd, back)
        return out


def in_period(series: pd.Series, start: date, end: date) -> pd.Series:
    return series.notna() & (series >= pd.Timestamp(start)) & (series <= pd.Timestamp(end))
