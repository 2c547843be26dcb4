"""A report reads only its period's rows (filtered by the database) and its figures are exactly those worked out
from the whole archive; on SQLite and PostgreSQL.

The archive is fictional and seeded: families whose conferences run across year ends (a review's due date needs
the conference before it), plans that last years, repeat plans, unborn children, stood-down conferences,
transfers in, delay reasons and recommendations.
"""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, timedelta

import pandas as pd
import pytest
from sqlalchemy import delete, insert

from chair_app.reports.frames import TABLES as FRAME_TABLES
from chair_app.reports.frames import Frames
from chair_app.reports.measures import compute_all
from chair_app.reports.period import Period
from chair_app.services import reporting
from chair_app.store import models as rows

STAMP = {"version": 1, "created_at": datetime(2026, 1, 1, tzinfo=UTC), "updated_at": datetime(2026, 1, 1, tzinfo=UTC)}
ROLES = ["social_worker", "health_visitor", "school", "police", "gp", "housing", "probation"]
TABLES = {
    "family": rows.FamilyRow,
    "child": rows.ChildRow,
    "person": rows.PersonRow,
    "conference": rows.ConferenceRow,
    "conference_child": rows.ConferenceChildRow,
    "decision": rows.DecisionRow,
    "recommendation": rows.RecommendationRow,
    "plan_history": rows.PlanHistoryRow,
    "invitation": rows.InvitationRow,
    "delay_reason": rows.DelayReasonRow,
}


class Archive:
    """Rows for a fictional county, added a family at a time, written with Core statements."""

    def __init__(self, seed: int) -> None:
        self.rnd = random.Random(seed)
        self.data: dict[str, list[dict]] = {name: [] for name in TABLES}
        self.workers = [self._row("person", name=f"Worker {i}", role_code=r) for i, r in enumerate(ROLES * 3)]

    def _row(self, table: str, **values) -> dict:
        row = {"id": uuid.UUID(int=self.rnd.getrandbits(128)), **STAMP, **values}
        self.data[table].append(row)
        return row

    def family(
        self, first: date, meetings: int, *, plan: bool, earlier_plan: bool = False, still_open: bool = False
    ) -> uuid.UUID:
        rnd = self.rnd
        fam = self._row("family", name="Family")
        kids = []
        for _ in range(rnd.choice([1, 2, 3])):
            dob = first - timedelta(days=rnd.randrange(-100, 16 * 365))
            kids.append(
                self._row(
                    "child",
                    family_id=fam["id"],
                    forename="Child",
                    surname="Family",
                    date_of_birth=dob if dob <= first else None,
                    expected_date_of_birth=dob if dob > first else None,
                    sex=rnd.choice(["female", "male", "not_known"]),
                    ethnicity=rnd.choice(["WBRI", "WBRI", "AIND", "MWBC", "BAFR", "", "REFU"]),
                    disability=rnd.choice([True, False, False, None]),
                    local_child_id=f"L{len(self.data['child'])}",
                )
            )
        if earlier_plan:
            for kid in kids:
                start = first - timedelta(days=rnd.randrange(500, 1500))
                self._row(
                    "plan_history",
                    child_id=kid["id"],
                    started_on=start,
                    ended_on=start + timedelta(days=rnd.randrange(90, 400)),
                    initial_category="NEG",
                    latest_category="NEG",
                    conference_id=None,
                )
        parent = self._row("person", name="Parent", role_code="parent")
        held, prev, plans = first, None, {}
        for n in range(meetings):
            last = n == meetings - 1
            kind = (
                ("transfer_in" if rnd.random() < 0.1 else "initial")
                if n == 0
                else ("first_review" if n == 1 else "review")
            )
            status = rnd.choice(["held"] * 8 + ["stood_down", "in_progress"])
            conf = self._row(
                "conference",
                kind=kind,
                family_id=fam["id"],
                held_on=held,
                chair=f"IRO {rnd.randrange(4)}",
                strategy_discussion_on=held - timedelta(days=rnd.randrange(5, 30)) if kind == "initial" else None,
                transfer_notified_on=held - timedelta(days=rnd.randrange(5, 30)) if kind == "transfer_in" else None,
                previous_conference_id=prev,
                report_to_parents_on=rnd.choice([None, held, held - timedelta(days=2)]),
                report_to_chair_on=rnd.choice([None, held, held - timedelta(days=1)]),
                record_distributed_on=rnd.choice([None, held + timedelta(days=rnd.randrange(1, 30))]),
                plan_distributed_on=rnd.choice([None, held + timedelta(days=rnd.randrange(1, 10))]),
                status=status,
                quoracy_outcome="quorate",
                stood_down_reason="no_interpreter" if status == "stood_down" else "",
            )
            if rnd.random() < 0.3:
                self._row("delay_reason", conference_id=conf["id"], measure="conference", reason="Family unwell")
            for person in [parent, *rnd.sample(self.workers, 5)]:
                self._row(
                    "invitation",
                    conference_id=conf["id"],
                    person_id=person["id"],
                    status=rnd.choice(["attended", "attended", "apologies", "did_not_attend"]),
                    report_submitted=rnd.random() < 0.6,
                )
            for kid in kids:
                born = kid["date_of_birth"]
                code = None if born is None else rnd.choice(["PN0", "PN1", "PN2", "PN5", "PN6", "PN7", None])
                self._row("conference_child", conference_id=conf["id"], child_id=kid["id"], participation_code=code)
                outcome = (
                    ("plan" if plan else "no_plan") if n == 0 else ("end" if last and not still_open else "continue")
                )
                category = rnd.choice(["NEG", "EMO", "PHY", "SAB"]) if outcome in ("plan", "continue") else None
                if rnd.random() < 0.9:
                    self._row(
                        "decision",
                        conference_id=conf["id"],
                        child_id=kid["id"],
                        outcome=outcome,
                        initial_category=category,
                        latest_category=category,
                        decided_on=held + timedelta(days=rnd.randrange(0, 6)),
                    )
                self._row(
                    "recommendation",
                    conference_id=conf["id"],
                    child_id=kid["id"],
                    person_id=parent["id"],
                    outcome=outcome,
                    created_at=datetime.combine(held + timedelta(days=rnd.randrange(0, 4)), datetime.min.time(), UTC),
                )
                if n == 0 and plan:
                    plans[kid["id"]] = self._row(
                        "plan_history",
                        child_id=kid["id"],
                        started_on=held,
                        ended_on=None,
                        initial_category=category,
                        latest_category=category,
                        conference_id=conf["id"],
                    )
                if outcome == "end" and kid["id"] in plans:
                    plans[kid["id"]]["ended_on"] = held
            prev = conf["id"]
            held = held + timedelta(days=rnd.randrange(80, 100) if n == 0 else rnd.randrange(170, 200))
        return fam["id"]

    def store(self, db) -> None:
        with db.engine.begin() as conn:
            for name, row_cls in TABLES.items():
                records = self.data[name]
                keys = set().union(*(r.keys() for r in records))
                conn.execute(insert(row_cls.__table__), [{k: r.get(k) for k in keys} for r in records])


def as_before(db) -> Frames:
    """Every row of every table, read as the report read them before it filtered by period (pandas' own
    reader, one query per table, ids converted by ``Frames.from_frames``)."""
    with db.engine.connect() as connection:
        raw = {name: pd.read_sql_table(name, connection, columns=columns) for name, columns in FRAME_TABLES.items()}
    return Frames.from_frames(raw)


def assert_same_report(got: dict[str, pd.DataFrame], expected: dict[str, pd.DataFrame]) -> None:
    assert got.keys() == expected.keys()
    for key, table in expected.items():
        pd.testing.assert_frame_equal(got[key], table, obj=key)


def _county(db) -> None:
    archive = Archive(seed=17)
    rnd = archive.rnd
    for year in range(2019, 2027):
        for _ in range(12):
            first = date(year, 1, 1) + timedelta(days=rnd.randrange(365))
            plan = rnd.random() < 0.8
            archive.family(
                first, 1 + (rnd.choice([1, 2, 3, 5]) if plan else 0), plan=plan, earlier_plan=rnd.random() < 0.2
            )
    # Plans still open years later: the families' last reviews continued them.
    for first in (date(2019, 5, 4), date(2021, 2, 1), date(2023, 11, 20)):
        archive.family(first, 4, plan=True, still_open=True)
    archive.store(db)


@pytest.mark.parametrize(
    "period",
    [
        Period(date(2022, 1, 1), date(2022, 12, 31)),
        Period(date(2024, 4, 1), date(2025, 3, 31)),
        Period(date(2026, 1, 1), date(2026, 12, 31)),
        Period(date(2023, 7, 1), date(2023, 9, 30)),
        Period(date(2020, 1, 1), date(2026, 12, 31)),  # most of the archive: read by a plain scan
    ],
    ids=["calendar-2022", "financial-2024", "latest-2026", "quarter", "most-years"],
)
def test_a_period_report_equals_the_report_over_every_row(db, policy, period):
    _county(db)
    expected = compute_all(as_before(db), policy, period)  # every row, read as before
    got = reporting.measures(db, policy, period)
    assert_same_report(got, expected)
    assert expected["01_conference_timeliness"]["total"].sum() > 0  # the period is not empty


def test_the_period_read_leaves_out_other_years_rows(db, policy):
    _county(db)
    year = Period(date(2022, 1, 1), date(2022, 12, 31))
    every = reporting.load_frames(db)
    some = reporting.load_frames(db, reporting.measures_span(year))
    assert 0 < len(some.conference) < len(every.conference) / 2
    assert 0 < len(some.invitation) < len(every.invitation) / 2
    assert set(some.conference["id"]) <= set(every.conference["id"])
    whole = reporting.load_frames(db, reporting.measures_span(Period(date(2020, 1, 1), date(2026, 12, 31))))
    assert len(whole.conference) == len(every.conference)  # most of the archive: every row, by a scan


def test_a_year_report_over_an_archive_equals_the_report_over_only_that_years_conferences(db, policy):
    """Families whose conferences all fall in 2024 are reported the same whether or not the database also holds
    other years' families (each of their plans ended by a review before 2023, or started after 2024)."""
    archive = Archive(seed=4)
    rnd = archive.rnd
    ours = [
        archive.family(
            date(2024, 1, 2) + timedelta(days=rnd.randrange(150)), rnd.choice([1, 2, 3]), plan=rnd.random() < 0.8
        )
        for _ in range(20)
    ]
    others = [
        archive.family(date(year, 1, 2) + timedelta(days=rnd.randrange(150)), rnd.choice([2, 3]), plan=True)
        for year in (2018, 2019, 2020, 2021, 2025, 2026)
        for _ in range(6)
    ]
    archive.store(db)
    year = Period(date(2024, 1, 1), date(2024, 12, 31))
    with_others = reporting.measures(db, policy, year)

    with db.engine.begin() as conn:  # now only 2024's families remain
        c, cc = rows.ConferenceRow, rows.ConferenceChildRow
        theirs = [r["id"] for r in archive.data["conference"] if r["family_id"] in set(others)]
        kids = [r["id"] for r in archive.data["child"] if r["family_id"] in set(others)]
        for row_cls in (cc, rows.DecisionRow, rows.RecommendationRow, rows.InvitationRow, rows.DelayReasonRow):
            conn.execute(delete(row_cls).where(row_cls.conference_id.in_(theirs)))
        conn.execute(delete(rows.PlanHistoryRow).where(rows.PlanHistoryRow.child_id.in_(kids)))
        conn.execute(delete(c).where(c.id.in_(theirs)))
        conn.execute(delete(rows.ChildRow).where(rows.ChildRow.id.in_(kids)))
    assert {r[0] for r in reporting.load_frames(db).conference[["family_id"]].itertuples(index=False)} == {
        f.hex for f in ours
    }
    alone = reporting.measures(db, policy, year)
    assert_same_report(with_others, alone)
    assert alone["01_conference_timeliness"]["total"].sum() > 0
