"""Side-by-side columns that each flow on their own and continue on the next page.

The mapping's three columns are independent lists (worries, what's working well, what needs to happen). A
table would align them row by row and cannot split a cell; reportlab's BalancedColumns pours *one* list into
columns. This flowable keeps three lists side by side, splits each at the page end (paragraphs split between
lines), and repeats the column headings on every page it continues on.
"""

from __future__ import annotations

from reportlab.platypus import Flowable


def _height(flowables: list[Flowable], width: float) -> float:
    """Height of a column: as _take counts it (no space before the first, none after the last)."""
    total = 0.0
    for i, f in enumerate(flowables):
        _, h = f.wrap(width, 1e9)
        total += h + (f.getSpaceBefore() if i else 0) + (f.getSpaceAfter() if i < len(flowables) - 1 else 0)
    return total


def _take(flowables: list[Flowable], width: float, avail: float) -> tuple[list[Flowable], list[Flowable]]:
    """The flowables of one column that fit in ``avail`` (splitting one if it can be), and the rest."""
    taken: list[Flowable] = []
    used = 0.0
    for index, f in enumerate(flowables):
        before = f.getSpaceBefore() if taken else 0
        _, h = f.wrap(width, avail - used - before)
        if used + before + h <= avail:
            taken.append(f)
            used += before + h + f.getSpaceAfter()
            continue
        parts = f.split(width, avail - used - before) if avail - used - before > 0 else []
        if len(parts) >= 2:
            taken.append(parts[0])
            return taken, [*parts[1:], *flowables[index + 1 :]]
        return taken, flowables[index:]
    return taken, []


class ParallelColumns(Flowable):
    def __init__(
        self,
        columns: list[list[Flowable]],
        headings: list[Flowable],
        *,
        gap: float = 8,
        rule_color=None,
        continued: bool = False,
    ) -> None:
        super().__init__()
        self.columns = columns
        self.headings = headings
        self.gap = gap
        self.rule_color = rule_color
        self.continued = continued
        self._col_width = 0.0
        self._head = 0.0

    def _layout(self, avail_width: float) -> None:
        n = len(self.columns)
        self._col_width = (avail_width - self.gap * (n - 1)) / n
        self._head = max(h.wrap(self._col_width, 1e9)[1] for h in self.headings) + 4

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._layout(avail_width)
        self.width = avail_width
        self.height = self._head + max(_height(c, self._col_width) for c in self.columns) + 4
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self._layout(avail_width)
        room = avail_height - self._head - 4
        if room < 40:  # not even a few lines: start on the next page
            return []
        fitted, rest = zip(*(_take(c, self._col_width, room) for c in self.columns), strict=True)
        if not any(fitted):
            return []
        first = ParallelColumns(
            list(fitted), self.headings, gap=self.gap, rule_color=self.rule_color, continued=self.continued
        )
        if not any(rest):
            return [first]
        second = ParallelColumns(list(rest), self.headings, gap=self.gap, rule_color=self.rule_color, continued=True)
        return [first, second]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        for i, (heading, column) in enumerate(zip(self.headings, self.columns, strict=True)):
            x = i * (self._col_width + self.gap)
            _, hh = heading.wrap(self._col_width, 1e9)
            heading.drawOn(canvas, x, top - hh)
            y = top - self._head
            for j, f in enumerate(column):
                if j:
                    y -= f.getSpaceBefore()
                _, h = f.wrap(self._col_width, 1e9)
                f.drawOn(canvas, x, y - h)
                y -= h + f.getSpaceAfter()
        if self.rule_color is not None:
            canvas.saveState()
            canvas.setStrokeColor(self.rule_color)
            canvas.setLineWidth(0.5)
            canvas.line(0, top - self._head + 2, self.width, top - self._head + 2)
            for i in range(1, len(self.columns)):
                x = i * (self._col_width + self.gap) - self.gap / 2
                canvas.line(x, 0, x, top)
            canvas.restoreState()
