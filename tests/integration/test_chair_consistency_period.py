"""Measure 12 (and measure 01's first core groups) read a family's whole linked history even when the
report reads only its period's rows (issue 13): the earliest conference, years before the period, is read too; on
SQLite and PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

from sqlalchemy import insert

from chair_app.reports.measures import compute_all
from chair_app.reports.period import Period
from chair_app.services import reporting
from chair_app.store import models as rows
from tests.integration.test_report_period import STAMP, Archive, as_before, assert_same_report

PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))


def test_the_period_report_counts_a_chair_change_four_conferences_back_as_the_whole_archive_does(db, policy):
    archive = Archive(seed=5)
    family = archive.family(date(2023, 1, 9), 8, plan=True, still_open=True)  # reviews every six months or so
    runs = [r for r in archive.data["conference"] if r["family_id"] == family]
    runs.sort(key=lambda r: r["held_on"])
    assert [r["previous_conference_id"] for r in runs[1:]] == [r["id"] for r in runs[:-1]]
    in_period = [r for r in runs if PERIOD.start <= r["held_on"] <= PERIOD.end]
    assert in_period and runs.index(in_period[0]) >= 3  # the first conference is three or more links back
    for r in runs:
        r["chair"], r["status"], r["stood_down_reason"] = "IRO Same", "held", ""
    runs[0]["chair"] = "IRO Other"  # only the initial conference, long before the period, had another chair
    archive.store(db)
    with db.engine.begin() as conn:  # a first core group before every review: the period reads them too
        conn.execute(
            insert(rows.CoreGroupRow.__table__),
            [
                dict(STAMP, id=uuid.uuid4(), conference_id=r["id"], held_on=before["held_on"] + timedelta(days=n))
                for n, (before, r) in enumerate(zip(runs, runs[1:], strict=False))
            ],
        )
    got = reporting.measures(db, policy, PERIOD)
    assert_same_report(got, compute_all(as_before(db), policy, PERIOD))
    row = got["12_chair_consistency"].iloc[0]
    assert (row.families, row.families_with_two_or_more_conferences) == (0, 1)  # changed, from the history
    groups = got["01_conference_timeliness"].set_index("measure").loc["First core groups"]
    # the period's one review: its core group a few days after the conference before (under 10 working days)
    assert (len(in_period), groups.within_timescale, groups.total) == (1, 1, 1)
