"""The measures' PDF summary: each table, and the charts, on marked and numbered pages."""

from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.platypus import Image, KeepTogether, Spacer

from chair_app.documents.page import PageSpec, build_pdf, styles
from chair_app.documents.parts import cells, p, table


@dataclass
class TableData:
    title: str
    header: list[str]
    rows: list[list[str]]
    chart: bytes | None = None  # a PNG


def summary_pdf(title: str, period: str, produced_on: str, tables: list[TableData]) -> bytes:
    spec = PageSpec(title=f"{title}: {period}", dated=f"Service-wide report · produced {produced_on}", draft=False)
    st = styles(9)
    width = spec.pagesize[0] - 30 * mm
    story = [p(title, st.h1), p(f"Period: {period}. Produced {produced_on} from the conference records.", st.body)]
    for t in tables:
        n = max(1, len(t.header))
        block = [p(t.title, st.h2)]
        rows = [cells(t.header, st.cell_bold), *[cells(r, st.cell) for r in t.rows]]
        block.append(table(rows, [width / n] * n))
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
