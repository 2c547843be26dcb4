"""The demo county: deterministic, fictional, in the past, and varied enough that every measure has figures."""

from __future__ import annotations

from collections import Counter
from datetime import date

from chair_app.domain.enums import ConferenceStatus, MeetingKind, Outcome, RecordStatus
from chair_app.services import demo_county
from chair_app.services.demo_county import STORIES, build_county, first_conference_id

TODAY = date(2026, 11, 30)


def test_the_same_day_gives_the_same_county_and_its_first_id_is_fixed_whatever_the_day(policy):
    one, two = build_county(policy, TODAY), build_county(policy, TODAY)
    assert [b.conference.id for b in one] == [b.conference.id for b in two]
    assert [b.conference.held_on for b in one] == [b.conference.held_on for b in two]
    later = build_county(policy, date(2027, 3, 1))
    first = first_conference_id()
    assert first in {b.conference.id for b in one} and first in {b.conference.id for b in later}


def test_every_conference_is_in_the_past_and_covers_more_than_a_year(policy):
    county = build_county(policy, TODAY)
    days = [b.conference.held_on for b in county]
    assert max(days) < TODAY
    assert (TODAY - min(days)).days > 365 * 2 - 30


def test_the_county_has_every_kind_of_meeting_outcome_and_stand_down(policy):
    county = build_county(policy, TODAY)
    kinds = Counter(b.conference.kind for b in county)
    for kind in (
        MeetingKind.INITIAL,
        MeetingKind.INITIAL_PRE_BIRTH,
        MeetingKind.TRANSFER_IN,
        MeetingKind.FIRST_REVIEW,
        MeetingKind.REVIEW,
    ):
        assert kinds[kind] > 0, kind
    outcomes = Counter(d.outcome for b in county for d in b.decisions)
    assert all(outcomes[o] > 0 for o in Outcome)
    stood = [b.conference for b in county if b.conference.status is ConferenceStatus.STOOD_DOWN]
    assert {c.stood_down_reason for c in stood} <= set(policy.stood_down_reasons)
    assert len(stood) >= 3
    assert any(b.delay_reasons for b in county)
    codes = {cc.participation_code for b in county for cc in b.conference_children if cc.participation_code}
    assert {c.value for c in codes} == {f"PN{i}" for i in range(8)}
    # Repeat plans: children with a plan that ended before the county began.
    earlier = [p for b in county for p in b.plan_history if p.conference_id is None and p.ended_on]
    assert len({p.id for p in earlier}) == sum(1 for s in STORIES if s.earlier_plan_ended is not None)
    assert any(b.conference.record_status is RecordStatus.FINALISED for b in county)
    assert len({b.conference.chair for b in county}) >= 4


def test_every_name_is_invented_and_every_email_is_on_the_reserved_example_domain(policy):
    county = build_county(policy, TODAY)
    emails = {p.email for b in county for p in b.people if p.email}
    assert emails and all(e.endswith("@example.org.uk") for e in emails)
    assert all(b.family.name.endswith(" family") for b in county)
    assert len({b.family.id for b in county}) == len(STORIES)


def test_demo_is_refused_on_a_database_holding_conferences_unless_it_is_the_demo_database(sqlite_db, policy):
    import pytest

    from chair_app.domain.errors import InvalidInput
    from chair_app.services.demo import create_demo

    demo_county.refuse_real_database(sqlite_db, demo=False)  # empty: allowed
    create_demo(sqlite_db, policy, TODAY, county=True)
    with pytest.raises(InvalidInput, match="chair-app --demo demo"):
        demo_county.refuse_real_database(sqlite_db, demo=False)
    demo_county.refuse_real_database(sqlite_db, demo=True)
    assert demo_county.add_county(sqlite_db, policy, TODAY) == 0  # the county is there: not added twice


# ---------------------------------------------------------------------------------------------------------
# Every measure has figures over the demo county


def assert_every_measure_has_figures(tables) -> None:
    import math

    def rows(key):
        return tables[key].to_dict("records")

    for r in rows("01_conference_timeliness"):
        assert r["total"] > 0 and r["within_timescale"] > 0, r
    before = [r for r in rows("02_reports_before_conference") if r["received"] == "Before the conference"]
    assert len(before) == 4 and all(r["count"] > 0 for r in before), before
    total = rows("03_icpc_children_by_month")[-1]
    assert total["subject_of_plan"] > 0 and total["no_plan_required"] > 0, total
    assert all(r["count"] > 0 for r in rows("04_plans")), rows("04_plans")
    assert rows("05a_repeat_plan_rate")[0]["repeat_plans"] > 0
    assert rows("05b_repeat_plans_by_age_and_time")[-1]["Grand total"] > 0
    assert all(r["count"] > 0 for r in rows("06_category_at_plan_start")), rows("06_category_at_plan_start")
    dims = {r["characteristic"] for r in rows("07_characteristics_at_period_end") if r["count"] > 0}
    assert dims == {"Age band", "Gender", "Ethnicity group", "Disability"}
    late = rows("08_out_of_timescale_or_stood_down")
    assert late[-1]["conferences"] > 0 and len(late) >= 3, late
    codes = {r["code"]: r["children"] for r in rows("09_participation")}
    assert codes["Participation rate (PN1-PN6 of PN1-PN7)"] > 0 and codes["PN0"] > 0
    assert sum(1 for c in (f"PN{i}" for i in range(1, 8)) if codes[c] > 0) >= 5, codes
    assert all(r["within_timescale"] > 0 for r in rows("10_distribution_and_decisions"))
    agencies = rows("11_agency_attendance")
    assert len(agencies) >= 4 and all(r["invited"] > 0 and r["attended"] > 0 for r in agencies), agencies
    chairs = rows("12_chair_consistency")[0]
    assert chairs["families"] > 0 and chairs["families_with_two_or_more_conferences"] > 0
    for r in rows("13_year_on_year"):
        figures = [v for k, v in r.items() if k not in ("measure", "change")]
        assert all(isinstance(v, float | int) and not math.isnan(v) for v in figures), r
        if r["measure"] == "Children subject to a plan at the period end":
            assert all(v > 0 for v in figures), r


def test_every_measure_has_figures_over_the_last_year_of_the_demo_county_on_any_day(tmp_path, policy):
    from datetime import timedelta

    from chair_app.reports.measures import Period
    from chair_app.services.demo import create_demo
    from chair_app.services.reporting import measures
    from chair_app.store.engine import open_database, sqlite_url

    for n, today in enumerate((date(2026, 1, 5), date(2026, 5, 18), date(2026, 9, 1), date(2027, 2, 28))):
        db = open_database(sqlite_url(tmp_path / f"demo{n}.db"))
        try:
            create_demo(db, policy, today, county=True)
            assert_every_measure_has_figures(measures(db, policy, Period(today - timedelta(days=364), today)))
        finally:
            db.dispose()


def test_chair_app_demo_report_over_the_demo_county_gives_figures_for_every_measure(tmp_path, monkeypatch):
    """`chair-app --demo demo`, then `chair-app --demo report` for the last year: every measure has figures."""
    from datetime import timedelta

    import pandas as pd

    from chair_app.cli import main

    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))  # where --demo keeps its database
    assert main(["--demo", "demo"]) == 0
    today = date.today()
    first, last = (today - timedelta(days=364)).strftime("%d/%m/%Y"), today.strftime("%d/%m/%Y")
    assert main(["--demo", "report", "--from", first, "--to", last, "--out", str(tmp_path / "report")]) == 0
    assert (tmp_path / "data" / "chair-app" / "demo.db").is_file()
    tables = {p.stem: pd.read_csv(p) for p in sorted((tmp_path / "report").glob("*.csv"))}
    assert len(tables) == 14
    assert_every_measure_has_figures(tables)
