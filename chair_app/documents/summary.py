"""The measures' PDF summary: each table, and the charts, on marked and numbered pages.

Headings and cells arrive as words already (``reports.labels``). Each column is at least as wide as its longest
word, so no heading is broken mid-word; what is left is shared by how much text each column holds.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Image, KeepTogether, Spacer

from chair_app.documents.page import PageSpec, build_pdf, styles
from chair_app.documents.parts import CELL_PADDING, cells, p, table, unbroken_width


@dataclass
class TableData:
    title: str
    header: list[str]
    rows: list[list[str]]
    chart: bytes | None = None  # a PNG


def column_widths(header: list[str], rows: list[list[str]], st, width: float) -> list[float]:
    """Widths that never break a word (while the words fit the page at all), the rest shared by text length."""
    n = max(1, len(header))
    columns = [[header[i], *(r[i] for r in rows)] for i in range(n)]
    floor = [
        max(
            unbroken_width(header[i], st.cell_bold),
            max((unbroken_width(t, st.cell) for t in columns[i][1:]), default=0),
        )
        + CELL_PADDING
        + 1
        for i in range(n)
    ]
    if sum(floor) >= width:  # too many long words for the page: shrink in proportion (a word may then break)
        return [width * f / sum(floor) for f in floor]
    # Room beyond the floors goes to the columns that hold the most text (up to a line's worth each).
    want = [max(stringWidth(t, st.cell.fontName, st.cell.fontSize) for t in col) + CELL_PADDING + 1 for col in columns]
    extra = [max(0.0, w - f) for w, f in zip(want, floor, strict=True)]
    spare = width - sum(floor)
    if sum(extra) <= spare:  # everything fits on one line: give the rest out evenly
        return [f + e + (spare - sum(extra)) / n for f, e in zip(floor, extra, strict=True)]
    return [f + spare * e / sum(extra) for f, e in zip(floor, extra, strict=True)]


def summary_pdf(title: str, period: str, produced_on: str, tables: list[TableData]) -> bytes:
    spec = PageSpec(title=f"{title}: {period}", dated=f"Service-wide report · produced {produced_on}", draft=False)
    st = styles(9)
    width = spec.pagesize[0] - 30 * mm
    story = [p(title, st.h1), p(f"Period: {period}. Produced {produced_on} from the conference records.", st.body)]
    for t in tables:
        block = [p(t.title, st.h2)]
        rows = [cells(t.header, st.cell_bold), *[cells(r, st.cell) for r in t.rows]]
        block.append(table(rows, column_widths(t.header, t.rows, st, width)))
        story.append(KeepTogether(block) if len(t.rows) < 25 else block[0])
        if len(t.rows) >= 25:
            story.append(block[1])
        if t.chart:
            image = Image(io.BytesIO(t.chart))
            scale = min(1.0, width / image.drawWidth)
            image.drawWidth *= scale
            image.drawHeight *= scale
            story += [Spacer(1, 3 * mm), image]
        story.append(Spacer(1, 4 * mm))
    return build_pdf(spec, story)
