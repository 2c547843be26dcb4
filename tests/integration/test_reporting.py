"""The report and the statutory exports from stored conferences, on SQLite and PostgreSQL."""

from __future__ import annotations

import csv
from datetime import date

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from chair_app.domain.errors import ChairError, InvalidInput
from chair_app.exchange import cin
from chair_app.reports.measures import Period
from chair_app.services import conferences, reporting, statutory
from chair_app.services.demo import build_demo

YEAR = Period(date(2026, 4, 1), date(2027, 3, 31))


@pytest.fixture
def demo(db, policy):
    return conferences.add_conference(db, build_demo(policy, date(2026, 11, 23)))


def test_measures_from_the_store(db, policy, demo):
    out = reporting.measures(db, policy, YEAR)
    assert out["01_conference_timeliness"].iloc[0].text == "100.0% (1 of 1)"
    assert out["03_icpc_children_by_month"].set_index("month").loc["Total", "subject_of_plan"] == 3
    assert out["04_plans"].set_index("measure").loc["Children subject to a plan at the period end", "count"] == 3
    assert out["05a_repeat_plan_rate"].iloc[0].repeat_plans == 1  # Kayden
    agencies = set(out["11_agency_attendance"]["agency"])
    assert {"Children's social care", "Health", "Education", "Police", "Voluntary sector"} <= agencies


def test_report_files(db, policy, demo, tmp_path):
    files = reporting.write_report(db, policy, YEAR, tmp_path / "report")
    assert len(files.csvs) == 14 and len(files.charts) == 4
    with (tmp_path / "report" / "09_participation.csv").open() as fh:
        assert next(csv.reader(fh)) == ["code", "children", "percent", "text"]
    assert len(load_workbook(files.workbook).sheetnames) == 14
    text = " ".join(page.extract_text() for page in PdfReader(files.pdf).pages)
    assert "Child protection conference measures" in text and "OFFICIAL-SENSITIVE" in text
    assert "Repeat child protection plans" in text
    for png in files.charts:
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_cin_export_is_valid_and_omits_what_is_not_held(db, policy, demo, tmp_path):
    out = tmp_path / "cin.xml"
    message = statutory.cin_xml(db, policy, YEAR, out)
    assert "Wrote 3 children" in message
    xml = out.read_bytes()
    assert cin.schema_problems(xml) == []
    text = xml.decode()
    assert "<NumberOfPreviousCPP>1</NumberOfPreviousCPP>" in text  # Kayden's earlier plan
    assert "<ExpectedPersonBirthDate>" in text  # the unborn baby
    assert "<UPN>" not in text  # not held, so left out rather than invented
    assert "<InitialCPCtarget>" in text and "<CPPstartDate>2026-11-23</CPPstartDate>" in text


def test_cin_export_names_children_it_must_leave_out(db, policy, tmp_path):
    bundle = build_demo(policy, date(2026, 11, 23))
    bundle.children[0].local_child_id = ""
    conferences.add_conference(db, bundle)
    message = statutory.cin_xml(db, policy, YEAR, tmp_path / "cin.xml")
    assert "Wrote 2 children" in message and "Left out Kayden Hayes: no local child ID recorded" in message
    bundle2 = build_demo(policy, date(2026, 11, 23))
    bundle2.conference.cin_referral_date = None
    other = Period(date(2026, 11, 1), date(2026, 11, 30))
    conferences.add_conference(db, bundle2)
    assert "no CIN referral date" in statutory.cin_xml(db, policy, other, tmp_path / "cin2.xml")


def test_schema_check_catches_a_broken_message():
    good = cin.cin_message([], "855", date(2027, 3, 31), __import__("datetime").datetime(2027, 4, 1))
    assert cin.schema_problems(good) != []  # a message needs at least one child
    broken = good.replace(b"<Children />", b"<Children><Child><Nonsense/></Child></Children>")
    assert cin.schema_problems(broken)


def test_participation_export(db, policy, demo, tmp_path):
    out = tmp_path / "pn.csv"
    statutory.participation_csv(db, policy, YEAR, out)
    rows = list(csv.DictReader(out.open()))
    assert [r["REVIEW_CODE"] for r in rows] == ["PN5", "PN0"]  # the unborn baby has no row
    assert all(len(r["DOB"]) == 10 and r["DOB"][2] == "/" for r in rows)
    assert rows[0]["REVIEW"] == "23/11/2026"


def test_periods_are_checked():
    with pytest.raises(InvalidInput, match="dd/mm/yyyy"):
        reporting.parse_period("2026/13/45", "01/01/2027")
    with pytest.raises(InvalidInput, match="before its start"):
        reporting.parse_period("01/04/2027", "31/03/2027")
    assert reporting.parse_period("01/04/2026", "2027-03-31") == YEAR


def test_an_empty_period_gives_tables_not_errors(db, policy, demo, tmp_path):
    empty = Period(date(2010, 1, 1), date(2010, 12, 31))
    out = reporting.measures(db, policy, empty)
    assert out["01_conference_timeliness"].iloc[0].text == "no cases"
    with pytest.raises(ChairError, match="no child protection activity"):
        statutory.cin_xml(db, policy, empty, tmp_path / "x.xml")
