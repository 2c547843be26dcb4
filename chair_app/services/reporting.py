"""The manager's report: read the tables once, compute every measure, write CSVs, a workbook, charts and a PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from chair_app.domain.dates import uk_date
from chair_app.domain.errors import InvalidInput
from chair_app.reports.frames import TABLES, Frames
from chair_app.reports.measures import TITLES, Period, compute_all
from chair_app.rules.policy import Policy
from chair_app.store.engine import Database


def load_frames(db: Database) -> Frames:
    """Every table the measures need, read once (one query per table), all as of one moment."""
    from chair_app.store.transactions import snapshot

    with snapshot(db.engine) as connection:
        raw = {name: pd.read_sql_table(name, connection, columns=columns) for name, columns in TABLES.items()}
    return Frames.from_frames(raw)


def parse_period(start: str, end: str) -> Period:
    from chair_app.domain.dates import DateNotValid, parse_date

    days = []
    for name, text in (("--from", start), ("--to", end)):
        try:
            day = parse_date(text)
        except DateNotValid as exc:
            raise InvalidInput(f"{name}: {exc}") from None
        if day is None:
            raise InvalidInput(f"{name}: give a date as dd/mm/yyyy, e.g. 01/04/2026")
        days.append(day)
    first, last = days
    if last < first:
        raise InvalidInput("--to: the end of the period is before its start")
    return Period(first, last)


def measures(db: Database, policy: Policy, period: Period) -> dict[str, pd.DataFrame]:
    return compute_all(load_frames(db), policy, period)


@dataclass(frozen=True)
class ReportFiles:
    folder: Path
    csvs: tuple[Path, ...]
    workbook: Path
    charts: tuple[Path, ...]
    pdf: Path


def write_report(db: Database, policy: Policy, period: Period, out: Path) -> ReportFiles:
    from chair_app.documents.summary import TableData, summary_pdf
    from chair_app.exchange.cells import safe_frame
    from chair_app.reports.charts import CHARTS
    from chair_app.reports.labels import printed_table
    from chair_app.services.files import check_target, private_folder, write_file

    tables = measures(db, policy, period)
    private_folder(out)
    names = [f"{key}.csv" for key in tables] + [f"{key}.png" for key in CHARTS] + ["measures.xlsx", "summary.pdf"]
    for name in names:
        check_target(out / name)  # refuse before writing anything, not half-way through
    csvs = []
    for key, df in tables.items():
        path = out / f"{key}.csv"
        write_file(path, safe_frame(df).to_csv(index=False).encode("utf-8"))
        csvs.append(path)
    workbook = out / "measures.xlsx"
    book = io.BytesIO()
    with pd.ExcelWriter(book, engine="openpyxl") as writer:
        for key, df in tables.items():
            safe_frame(df).to_excel(writer, sheet_name=key[:31], index=False)
    write_file(workbook, book.getvalue())
    charts = {}
    for key, draw in CHARTS.items():
        png = draw(tables[key])
        write_file(out / f"{key}.png", png)
        charts[key] = png
    summary = [TableData(TITLES[key], *printed_table(df), charts.get(key)) for key, df in tables.items()]
    pdf = out / "summary.pdf"
    write_file(pdf, summary_pdf("Child protection conference measures", period.label, uk_date(date.today()), summary))
    return ReportFiles(out, tuple(csvs), workbook, tuple(out / f"{k}.png" for k in charts), pdf)


def chart_for(key: str):
    """The function that draws a measure's chart on a matplotlib figure, or None when it has no chart."""
    from chair_app.reports.charts import CHARTS

    return CHARTS.get(key)


__all__ = ["TITLES", "Period", "chart_for", "load_frames", "measures", "parse_period", "write_report"]
