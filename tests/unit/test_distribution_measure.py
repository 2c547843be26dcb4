"""Measure 10 computed from distribution (issue 14), on an example counted by hand."""

from __future__ import annotations

from datetime import date

import pandas as pd

from chair_app.reports.frames import TABLES, Frames
from chair_app.reports.measures import Context, distribution_and_decisions
from chair_app.reports.period import Period
from chair_app.rules import distribution as rules
from chair_app.rules.calendar import WorkingCalendar

# Held Monday 03/03/2025. The record's target is 5 working days (Monday 10/03/2025) and its ceiling, reported
# apart, 10 working days (Monday 17/03/2025); no bank holiday between.
HELD = "2025-03-03"


def _conference(cid: str, record_on: str | None = None) -> dict:
    row = dict.fromkeys(TABLES["conference"])
    row.update(id=cid, kind="initial", held_on=pd.Timestamp(HELD), status="held", record_distributed_on=record_on)
    return row


def _frames() -> Frames:
    conference = pd.DataFrame(
        [
            _conference("c1"),  # sent to A on 05/03 and B on 14/03: everyone by 14/03, within
            _conference("c2"),  # A on 04/03, B on 20/03 (late); a corrected copy to A on 25/03 changes nothing
            _conference("c3", "2025-03-10"),  # nothing recorded as distribution: its own date, 10/03, within
            _conference("c4"),  # nothing at all, and due long ago: not within
            _conference("c5", "2025-03-07"),  # distribution recorded (21/03, late) wins over the conference's date
        ]
    )
    sent = [
        ("c1", "record", "A", "2025-03-05"),
        ("c1", "record", "B", "2025-03-14"),
        ("c2", "record", "A", "2025-03-04"),
        ("c2", "record", "B", "2025-03-20"),
        ("c2", "record", "A", "2025-03-25"),
        ("c5", "record", "A", "2025-03-21"),
        ("c1", "handout", "C", None),  # printed at the meeting for nobody present: not distribution
    ]
    document_record = pd.DataFrame(
        [dict(conference_id=c, kind=k, recipient=r, distributed_on=d) for c, k, r, d in sent]
    )
    empty = {name: pd.DataFrame(columns=cols) for name, cols in TABLES.items()}
    return Frames.from_frames({**empty, "conference": conference, "document_record": document_record})


def test_records_within_timescale_are_counted_from_distribution_by_hand(policy):
    """By 10/03 (the target): only c3 (10/03). By 17/03 (the ceiling): c1 (everyone by 14/03) and c3. c2's last
    recipient had it on 20/03, c4 never, c5 on 21/03 (its recorded distribution wins over its own 07/03)."""
    ctx = Context(_frames(), policy, Period(date(2025, 3, 1), date(2025, 3, 31)), as_of=date(2025, 6, 1))
    rows = distribution_and_decisions(ctx).set_index("measure")
    target, ceiling = (
        rows.loc["Records distributed within timescale"],
        rows.loc["Records distributed within the ceiling"],
    )
    assert (target["within_timescale"], target["total"], target["percent"]) == (1, 5, 20.0)
    assert (ceiling["within_timescale"], ceiling["total"], ceiling["percent"]) == (2, 5, 40.0)


def test_a_record_not_yet_due_is_neither_within_nor_missed(policy):
    ctx = Context(_frames(), policy, Period(date(2025, 3, 1), date(2025, 3, 31)), as_of=date(2025, 3, 10))
    records = distribution_and_decisions(ctx).set_index("measure").loc["Records distributed within the ceiling"]
    # As of 10/03 the ceiling's due day (17/03) is ahead: c4, sent to nobody, is pending; the others were sent
    assert records["not_yet_due"] == 1


def test_sent_on_is_the_day_the_last_person_on_the_list_had_it():
    given = [("A", date(2025, 3, 5)), ("B", date(2025, 3, 14)), ("A", date(2025, 3, 2))]
    assert rules.sent_on(given, ["A", "B"]) == date(2025, 3, 14)
    assert rules.sent_on(given, ["A", "B", "C"]) is None
    assert rules.sent_on(given, []) == date(2025, 3, 2)
    assert rules.missing(given, ["A", "B", "C"]) == ["C"]


def test_due_dates_read_the_policy_timescales_by_name(policy):
    cal = WorkingCalendar.from_policy(policy)
    due = rules.due_dates(policy, cal, date(2025, 3, 3), plan=True)
    t = policy.timescales
    assert due[rules.DocumentKind.RECORD] == cal.add_working_days(
        date(2025, 3, 3), t["record_distribution_working_days"]
    )
    assert due[rules.DocumentKind.CP_PLAN] == cal.add_working_days(
        date(2025, 3, 3), t["plan_distribution_working_days"]
    )
    assert rules.DocumentKind.CP_PLAN not in rules.due_dates(policy, cal, date(2025, 3, 3), plan=False)
