"""The manager's report: read the tables once, compute every measure, write CSVs, a workbook, charts and a PDF."""

from __future__ import annotations

import math
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
    try:
        first = date.fromisoformat(start) if "-" in start[:5] else _uk(start)
        last = date.fromisoformat(end) if "-" in end[:5] else _uk(end)
    except ValueError:
        raise InvalidInput("--from/--to: give dates as dd/mm/yyyy (or yyyy-mm-dd)") from None
    if last < first:
        raise InvalidInput("--to: the end of the period is before its start")
    return Period(first, last)


def _uk(text: str) -> date:
    day, month, year = text.split("/")
    return date(int(year), int(month), int(day))


def measures(db: Database, policy: Policy, period: Period) -> dict[str, pd.DataFrame]:
    return compute_all(load_frames(db), policy, period)


def _cell(value) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    if isinstance(value, float):
        return f"{value:.1f}"
    return str(value)


@dataclass(frozen=True)
class ReportFiles:
    folder: Path
    csvs: tuple[Path, ...]
    workbook: Path
    charts: tuple[Path, ...]
    pdf: Path


def write_report(db: Database, policy: Policy, period: Period, out: Path) -> ReportFiles:
    from chair_app.documents.summary import TableData, summary_pdf
    from chair_app.reports.charts import CHARTS

    if out.exists() and not out.is_dir():
        raise InvalidInput(f"--out: {out} is a file; give a folder for the report")
    out.mkdir(parents=True, exist_ok=True)
    tables = measures(db, policy, period)
    csvs = []
    for key, df in tables.items():
        path = out / f"{key}.csv"
        df.to_csv(path, index=False)
        csvs.append(path)
    workbook = out / "measures.xlsx"
    with pd.ExcelWriter(workbook, engine="openpyxl") as writer:
        for key, df in tables.items():
            df.to_excel(writer, sheet_name=key[:31], index=False)
    charts = {}
    for key, draw in CHARTS.items():
        png = draw(tables[key])
        (out / f"{key}.png").write_bytes(png)
        charts[key] = png
    summary = [
        TableData(
            TITLES[key], [str(c) for c in df.columns], [[_cell(v) for v in row] for row in df.values], charts.get(key)
        )
        for key, df in tables.items()
    ]
    pdf = out / "summary.pdf"
    pdf.write_bytes(summary_pdf("Child protection conference measures", period.label, uk_date(date.today()), summary))
    return ReportFiles(out, tuple(csvs), workbook, tuple(out / f"{k}.png" for k in charts), pdf)


def chart_for(key: str):
    """The function that draws a measure's chart on a matplotlib figure, or None when it has no chart."""
    from chair_app.reports.charts import CHARTS

    return CHARTS.get(key)


__all__ = ["TITLES", "Period", "chart_for", "load_frames", "measures", "parse_period", "write_report"]
