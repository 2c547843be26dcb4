"""Side-by-side columns that each flow on their own and continue on the next page.

The mapping's three columns are independent lists (worries, what's working well, what needs to happen). A
table would align them row by row and cannot split a cell; reportlab's BalancedColumns pours *one* list into
columns. This flowable keeps three lists side by side, splits each at the page end (paragraphs split between
lines), and repeats the column headings on every page it continues on.

Every flowable is measured once at the column width (heights are shared with the parts a split makes), so
a long mapping costs about what the same paragraphs cost in a single column.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph


class ParallelColumns(Flowable):
    def __init__(
        self,
        columns: list[list[Flowable]],
        headings: list[Flowable],
        *,
        gap: float = 8,
        rule_color=None,
        _heights: dict[tuple[int, float], tuple[Flowable, float]] | None = None,
    ) -> None:
        super().__init__()
        self.columns = columns
        self.headings = headings
        self.gap = gap
        self.rule_color = rule_color
        # (id(flowable), column width) -> (flowable, height): shared with the parts a split makes, so nothing is
        # measured twice. The flowable is kept in the entry so that its id cannot be reused while the cache lives.
        self._heights: dict[tuple[int, float], tuple[Flowable, float]] = {} if _heights is None else _heights
        self._col_width = 0.0
        self._head = 0.0

    # Measuring --------------------------------------------------------------------------------------------

    def _layout(self, avail_width: float) -> None:
        n = len(self.columns)
        self._col_width = (avail_width - self.gap * (n - 1)) / n
        self._head = max(self._h(h) for h in self.headings) + 4

    def _h(self, f: Flowable) -> float:
        key = (id(f), self._col_width)
        if key not in self._heights:
            self._heights[key] = (f, f.wrap(self._col_width, 1e9)[1])
        return self._heights[key][1]

    def _column_height(self, column: list[Flowable], limit: float = float("inf")) -> float:
        """As laid out: no space before the first flowable, none after the last; stops early past ``limit``."""
        total = 0.0
        last = len(column) - 1
        for i, f in enumerate(column):
            total += self._h(f) + (f.getSpaceBefore() if i else 0) + (f.getSpaceAfter() if i < last else 0)
            if total > limit:
                break
        return total

    def _take(self, column: list[Flowable], avail: float) -> tuple[list[Flowable], list[Flowable]]:
        """The flowables that fit in ``avail`` (splitting one between lines if it can be), and the rest."""
        taken: list[Flowable] = []
        used = 0.0
        for index, f in enumerate(column):
            before = f.getSpaceBefore() if taken else 0
            if used + before + self._h(f) <= avail:
                taken.append(f)
                used += before + self._h(f) + f.getSpaceAfter()
                continue
            room = avail - used - before
            parts = f.split(self._col_width, room) if room > 0 else []
            if len(parts) >= 2:
                taken.append(parts[0])
                return self._keep_headings(taken, [*parts[1:], *column[index + 1 :]])
            return self._keep_headings(taken, column[index:])
        return taken, []

    @staticmethod
    def _keep_headings(taken: list[Flowable], rest: list[Flowable]) -> tuple[list[Flowable], list[Flowable]]:
        """Headings (keepWithNext) at the foot of a column go over with what they head, unless that would leave
        nothing at all on this page."""
        cut = len(taken)
        while cut and taken[cut - 1].getKeepWithNext():
            cut -= 1
        if cut == 0:
            return taken, rest
        return taken[:cut], [*taken[cut:], *rest]

    # Flowable protocol ------------------------------------------------------------------------------------

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self._layout(avail_width)
        self.width = avail_width
        limit = avail_height - self._head - 4  # beyond this it does not fit: the frame will ask for a split
        self.height = self._head + max(self._column_height(c, limit) for c in self.columns) + 4
        return self.width, self.height

    def split(self, avail_width: float, avail_height: float) -> list[Flowable]:
        self._layout(avail_width)
        room = avail_height - self._head - 4
        if room < 40:  # not even a few lines: start on the next page
            return []
        fitted, rest = zip(*(self._take(c, room) for c in self.columns), strict=True)
        if not any(fitted):
            return []

        def make(cols: tuple[list[Flowable], ...]) -> ParallelColumns:
            return ParallelColumns(
                list(cols), self.headings, gap=self.gap, rule_color=self.rule_color, _heights=self._heights
            )

        return [make(fitted)] if not any(rest) else [make(fitted), make(rest)]

    def draw(self) -> None:
        canvas = self.canv
        top = self.height
        for i, (heading, column) in enumerate(zip(self.headings, self.columns, strict=True)):
            x = i * (self._col_width + self.gap)
            heading.wrap(self._col_width, 1e9)
            heading.drawOn(canvas, x, top - self._h(heading))
            y = top - self._head
            for j, f in enumerate(column):
                if j:
                    y -= f.getSpaceBefore()
                h = self._h(f)
                if isinstance(f, Paragraph) and not hasattr(f, "blPara"):
                    f.wrap(self._col_width, 1e9)  # a failed split discarded its lines: lay it out again
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
