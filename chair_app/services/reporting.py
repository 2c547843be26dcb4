"""The manager's report: read the tables once, compute every measure, write CSVs, a workbook, charts and a PDF."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from chair_app.domain.dates import uk_date
from chair_app.reports.frames import TABLES, Frames, is_id
from chair_app.reports.measures import TITLES, compute_all
from chair_app.reports.period import Period, parse_period, spanning, year_before
from chair_app.rules.policy import Policy
from chair_app.store.engine import Database


def load_frames(db: Database, period: Period | None = None) -> Frames:
    """The rows the measures need, read once (one query per table), all as of one moment.

    With a ``period``, only the rows the measures for any part of that period can use: its conferences and
    what hangs off them, the conferences they follow on from, the plans open at some time in it and every plan
    of a child whose plan started in it, and the children and people those name. The filtering is done by the
    database, so a year's report reads a year's rows however long the archive. Without one, or when the period
    holds most of the archive's conferences (a plain scan is then quicker than index look-ups), every row: the
    measures are the same either way (tests/integration/test_report_period.py).
    """
    from sqlalchemy import Date, Enum, String, and_, cast, func, or_, select, type_coerce
    from sqlalchemy.orm import aliased

    db.authorise("measures")  # read with Core: the role is checked here (rules/access.py)

    from chair_app.domain.enums import ConferenceStatus
    from chair_app.store import models as rows

    tables = {
        "conference": rows.ConferenceRow,
        "child": rows.ChildRow,
        "conference_child": rows.ConferenceChildRow,
        "decision": rows.DecisionRow,
        "plan_history": rows.PlanHistoryRow,
        "invitation": rows.InvitationRow,
        "person": rows.PersonRow,
        "delay_reason": rows.DelayReasonRow,
        "recommendation": rows.RecommendationRow,
        "document_record": rows.DocumentRecordRow,
        "core_group": rows.CoreGroupRow,
    }
    sqlite = db.dialect == "sqlite"

    def column(table, name: str):
        col = table.__table__.c[name]
        if is_id(name):
            # As text, converted by the database: SQLite stores 32 hex digits; PostgreSQL's text has hyphens.
            return (type_coerce(col, String) if sqlite else func.replace(cast(col, String), "-", "")).label(name)
        if sqlite and isinstance(col.type, Date):
            return type_coerce(col, String).label(name)  # ISO text, parsed a column at a time by pandas
        if isinstance(col.type, Enum):
            return type_coerce(col, String).label(name)  # the stored code, not the Python enum
        return col

    where = {}
    if period is not None:
        c, ph, cc, inv = rows.ConferenceRow, rows.PlanHistoryRow, rows.ConferenceChildRow, rows.InvitationRow
        held = select(c.id).where(c.held_on.between(period.start, period.end))
        # Every earlier conference the period's conferences follow on from, however far back (a review's due
        # date needs the one before; measure 12, chair consistency, the whole linked history): a recursive
        # query, each step on the primary key. UNION, not UNION ALL, so a cycle of links ends.
        earlier = (
            select(c.previous_conference_id.label("id"))
            .where(c.held_on.between(period.start, period.end), c.previous_conference_id.is_not(None))
            .cte("earlier", recursive=True)
        )
        back = aliased(c)
        earlier = earlier.union(
            select(back.previous_conference_id).where(back.id == earlier.c.id, back.previous_conference_id.is_not(None))
        )
        followed = select(earlier.c.id)
        ch = rows.ChildRow
        # Children the register merged, and the records they were merged into: every plan of either, so that a
        # merged child's plans are one history (few rows: merges are rare).
        merged = or_(
            ch.merged_into_id.is_not(None),
            ch.id.in_(select(ch.merged_into_id).where(ch.merged_into_id.is_not(None))),
        )
        merging = select(ch.id).where(merged)
        started = select(ph.child_id).where(ph.started_on.between(period.start, period.end))
        plans = or_(  # each term on one index, so the database unions index lookups
            and_(ph.ended_on.is_(None), ph.started_on <= period.end),  # open
            and_(ph.ended_on >= period.start, ph.started_on <= period.end),  # open at some time in the period
            ph.started_on.between(period.start, period.end),
            ph.ended_on.between(period.start, period.end),
            ph.child_id.in_(started),  # every plan of a child whose plan started in it: repeat plans
            ph.child_id.in_(merging),
        )
        # Stood-down meetings of the families met in the period: the history of the conferences held in it,
        # whenever they were stood down (measure 08 counts a conference in the period it was held).
        families = select(c.family_id).where(c.held_on.between(period.start, period.end))
        stood_down = and_(c.status == ConferenceStatus.STOOD_DOWN, c.family_id.in_(families))
        where = {
            "conference": or_(c.held_on.between(period.start, period.end), c.id.in_(followed), stood_down),
            "plan_history": plans,
            "child": or_(
                rows.ChildRow.id.in_(select(cc.child_id).where(cc.conference_id.in_(held))),
                rows.ChildRow.id.in_(select(ph.child_id).where(plans)),
                merged,
            ),
            "person": rows.PersonRow.id.in_(select(inv.person_id).where(inv.conference_id.in_(held))),
        }
        for name in ("conference_child", "decision", "invitation", "delay_reason", "recommendation", "document_record"):
            where[name] = tables[name].conference_id.in_(held)
        where["core_group"] = rows.CoreGroupRow.conference_id.in_(held)
    from chair_app.store.transactions import snapshot

    raw = {}
    with snapshot(db.engine) as connection:  # every table as of one moment, even while others import
        if period is not None and _most_of_the_archive(connection, rows.ConferenceRow, period):
            where = {}  # a scan of every row is quicker than index look-ups for most of them; the same answer
        for name, columns in TABLES.items():
            stmt = select(*(column(tables[name], col) for col in columns))
            if name in where:
                stmt = stmt.where(where[name])
            found = connection.execute(stmt).all()
            # Column by column: given rows, pandas asks each one whether it is a named tuple (a slow miss on
            # SQLAlchemy's Row, a second for a ten-year archive).
            values = zip(*found, strict=True) if found else ([] for _ in columns)
            raw[name] = pd.DataFrame(dict(zip(columns, values, strict=True)), columns=columns)
    return Frames.from_frames(raw)


def _most_of_the_archive(connection, conference, period: Period) -> bool:
    """Whether the period holds more than half the stored conferences (two counts on indexes)."""
    from sqlalchemy import func, select

    total = connection.execute(select(func.count()).select_from(conference)).scalar_one()
    held = select(func.count()).where(conference.held_on.between(period.start, period.end))
    return total > 0 and 2 * connection.execute(held).scalar_one() > total


def measures_span(period: Period, previous: Period | None = None) -> Period:
    """The dates whose rows ``compute_all`` reads for ``period`` and its year-on-year comparison."""
    return spanning(period, previous or year_before(period))


def measures(db: Database, policy: Policy, period: Period) -> dict[str, pd.DataFrame]:
    return compute_all(load_frames(db, measures_span(period)), policy, period)


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


__all__ = ["TITLES", "Period", "chart_for", "load_frames", "measures", "measures_span", "parse_period", "write_report"]
