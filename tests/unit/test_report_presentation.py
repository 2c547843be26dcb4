"""The measures as a manager reads them: words for headings, whole numbers for counts, integer chart axes, and
"none due yet" and children with no code said out loud."""

from __future__ import annotations

import re
from datetime import date

import matplotlib.pyplot as plt
import pandas as pd
import pytest

from chair_app.reports import charts
from chair_app.reports.labels import COLUMN_LABELS, cell_text, column_label, printed_table
from chair_app.reports.measures import compute_all
from chair_app.rules.policy import load_policy
from tests.unit.test_measures import PERIOD, build


@pytest.fixture(scope="module")
def tables():
    return compute_all(build(), load_policy(), PERIOD, as_of=date(2026, 6, 1))


def test_every_column_of_every_measure_has_a_heading_in_words(tables):
    for key, df in tables.items():
        header, _ = printed_table(df)
        for name, label in zip(df.columns, header, strict=True):
            assert "_" not in label, (key, name)
            if re.fullmatch(r"[a-z_]+", str(name)):  # an identifier, not words or a period
                assert str(name) in COLUMN_LABELS, (key, name)  # from the one mapping, not guessed
    assert column_label("within_timescale") == "Within timescale"
    assert column_label("01/04/2025 to 31/03/2026") == "01/04/2025 to 31/03/2026"


def test_counts_print_as_whole_numbers_and_percentages_to_one_place(tables):
    assert cell_text(3.0, percent=False) == "3" and cell_text(0.0, percent=False) == "0"
    assert cell_text(66.66, percent=True) == "66.7" and cell_text(float("nan"), percent=True) == ""
    header, rows = printed_table(tables["13_year_on_year"])
    plans_row = next(r for r in rows if r[0] == "Children subject to a plan at the period end")
    assert plans_row[1:3] == ["2", "5"]  # counts in the year-on-year table, not "2.0" / "5.0"
    for key in ("01_conference_timeliness", "10_distribution_and_decisions", "11_agency_attendance"):
        header, rows = printed_table(tables[key])
        for column in ("Within timescale", "Total", "Invited", "Attended"):
            if column in header:
                assert all("." not in r[header.index(column)] for r in rows), (key, column)


def test_records_not_yet_due_are_neither_met_nor_missed():
    frames = build()
    # c9 (held 15/12/2025) has no record distributed: as of the next day it is not yet due; a month later it is late.
    early = compute_all(frames, load_policy(), PERIOD, as_of=date(2025, 12, 16))["10_distribution_and_decisions"]
    late = compute_all(frames, load_policy(), PERIOD, as_of=date(2026, 6, 1))["10_distribution_and_decisions"]
    e = early.set_index("measure").loc["Records distributed within timescale"]
    lt = late.set_index("measure").loc["Records distributed within timescale"]
    assert e.not_yet_due >= 1 and lt.not_yet_due == 0
    assert e.total == lt.total - e.not_yet_due and e.within_timescale == lt.within_timescale


def test_none_due_yet_is_said_in_words():
    frames = build()
    only_c9 = frames.conference["id"] == "c9"
    frames.conference = frames.conference[only_c9 | (frames.conference["held_on"] < pd.Timestamp("2025-04-01"))]
    out = compute_all(frames, load_policy(), PERIOD, as_of=date(2025, 12, 16))["10_distribution_and_decisions"]
    records = out.set_index("measure").loc["Records distributed within timescale"]
    assert (records.total, records.text) == (0, "none due yet")


def test_participation_says_how_many_children_have_no_code():
    frames = build()
    frames.conference_child.loc[frames.conference_child.index[0], "participation_code"] = None
    rate = compute_all(frames, load_policy(), PERIOD)["09_participation"].iloc[-1]
    assert "1 child with no code recorded, not counted" in rate.text


@pytest.mark.parametrize("key", sorted(charts.CHARTS))
def test_chart_count_axes_have_whole_number_ticks(tables, key, monkeypatch):
    monkeypatch.setattr(charts, "_png", lambda fig: fig)
    fig = charts.CHARTS[key](tables[key])
    try:
        ax = fig.axes[0]
        counts = (
            ax.get_xticks()
            if key in ("06_category_at_plan_start", "08_out_of_timescale_or_stood_down")
            else (ax.get_yticks())
        )
        assert len(counts) >= 2
        assert all(float(t).is_integer() and t >= 0 for t in counts), counts
    finally:
        plt.close(fig)


def test_summary_columns_are_never_narrower_than_their_longest_word(tables):
    from reportlab.lib.units import mm

    from chair_app.documents.page import styles
    from chair_app.documents.parts import CELL_PADDING, unbroken_width
    from chair_app.documents.summary import column_widths

    st = styles(9)
    width = 210 * mm - 30 * mm
    for key, df in tables.items():
        header, rows = printed_table(df)
        widths = column_widths(header, rows, st, width)
        assert abs(sum(widths) - width) < 0.01, key
        for i, w in enumerate(widths):
            longest = max([unbroken_width(header[i], st.cell_bold), *(unbroken_width(r[i], st.cell) for r in rows)])
            assert w >= longest + CELL_PADDING, (key, header[i])
