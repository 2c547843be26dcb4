"""Presentation mode: the map on the projector or a second screen, large and high-contrast, updating live.

It shows what the room may see. ``room_map`` decides that, from the record alone: no contact details at all,
a person whose name is withheld shown by their role, blank items left out, and private scores shown only
once revealed (before that, only how many are in).

The room reads the whole map. Two views: the map (the three columns) and the danger statements with their
safety goals and scales. Each view's type is fitted to the screen: as large as lets the view fit on one
page (up to ``MAX_LINE_FRACTION`` of the screen's height), down to a readable floor (``MIN_LINE_FRACTION``),
and below that floor the view is paged rather than shrunk. Each column is laid out once as one long
document and ``page_starts`` decides where its pages begin: an item is never split (unless it is taller
than a page), a part's heading stays with its first item, and every page repeats the columns' titles. The
room view follows the item the chair is typing in (it turns to that view and to the page of the item's last
line); PgUp/PgDn (or Alt+PgUp/Alt+PgDn, which work inside a text box too) turn pages and F6 switches
between the map and the danger statements, from the chair's window.

The window never takes the keyboard: it is shown without activation and refuses focus, so what the chair
types (text, Ctrl+3) keeps going to the conference window, also when both are on one screen (a laptop
mirrored to a projector), where a slim strip at the foot says so and which keys turn pages.

Typing changes one paragraph, not the whole screen: a keystroke in an item re-lays out that item's paragraph
and repaints its column from there down; anything else (an item added, moved or removed), or a keystroke
that makes a view fitted to one page need a second, lays out and fits again (about 40 ms for 300 items).
"""

from __future__ import annotations

import bisect
import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QRect, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QAction,
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QApplication, QLabel, QVBoxLayout, QWidget

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.gui.workspace.steps.base import person_name
from chair_app.gui.workspace.steps.mapping import COLUMN_ORDER, SECTION_ORDER, items_of, pairs_of
from chair_app.rules import audience

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession
    from chair_app.rules.policy import Policy

BODY_PT = 22  # the body size a 1366x768 screen gets for a short map (readable at 3 m); see fitting below
MIN_LINE_FRACTION = 1 / 40  # the floor: body text at least 1/40 of the screen's height (19 px at 768)
MAX_LINE_FRACTION = 1 / 18  # the ceiling for a short map
COLUMN_GAP = 28  # pixels between columns
BULLET_INDENT = 1.4  # the hanging indent after a bullet, in body text heights
MAP, STATEMENTS = "map", "statements"
VIEW_NAMES = {MAP: "The map", STATEMENTS: "Danger statements, safety goals and scales"}
KEYS = (  # (keys, what, slot name): on the chair's window while presenting; the room window never has focus
    (("PgDown", "Alt+PgDown"), "Presentation: next page", "next_page"),
    (("PgUp", "Alt+PgUp"), "Presentation: previous page", "previous_page"),
    (("F6",), "Presentation: the map, or the danger statements and scales", "toggle_view"),
)


@dataclass
class RoomColumn:
    title: str
    parts: list[tuple[str, list[tuple[uuid.UUID, str]]]] = field(default_factory=list)  # (heading, items)


@dataclass
class RoomMap:
    title: str
    columns: list[RoomColumn]  # the map: what we are worried about, what is working well, what needs to happen
    footer: list[str]
    statements: list[RoomColumn] = field(default_factory=list)  # danger statements, goals and scales: one column


def item_line(bundle: m.ConferenceBundle, item: m.MappingItem, names: dict | None = None) -> str:
    """The item as the room reads it; ``names`` memoises who said it across one map (a keystroke rebuilds it)."""
    if names is None:
        who = person_name(bundle, item.said_by, public=True)
    elif item.said_by in names:
        who = names[item.said_by]
    else:
        who = names[item.said_by] = person_name(bundle, item.said_by, public=True)
    return item.text.strip() + m.last_time_words(item) + (f" ({who})" if who else "")  # issue 13: last time


def scores_line(bundle: m.ConferenceBundle, pair_id: uuid.UUID | None) -> str:
    own = [s for s in bundle.scores if s.pair_id == pair_id]
    if not own:
        return ""
    parts = [f"{person_name(bundle, s.person_id, public=True) or s.label}: {s.score}" for s in own if s.revealed]
    hidden = sum(not s.revealed for s in own)
    if hidden:
        parts.append(f"{hidden} score(s) given, not yet revealed")
    return "Scores: " + "; ".join(parts)


def goal_line(pair: m.DangerGoalPair) -> str:
    scale = f" Scale: {pair.scale} / 10." if pair.scale is not None else ""
    return pair.safety_goal.strip() + scale


def goal_id(pair_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(pair_id, "goal")


def scores_id(pair_id: uuid.UUID) -> uuid.UUID:
    return uuid.uuid5(pair_id, "scores")


def earlier_scales(session) -> dict[uuid.UUID, str]:
    """Each danger statement's scale at the earlier conferences, in words ("Earlier scales: 2 (01/04/2026)"),
    for a review whose statements continue the last map's; nothing otherwise (no read of the store)."""
    bundle = session.bundle
    if not any(p.carried_from_id for p in bundle.pairs):
        return {}
    from chair_app.services.continuity import scale_histories

    out = {}
    for pair_id, points in scale_histories(session.db, session.conference_id).items():
        shown = ", ".join(f"{'-' if s.scale is None else s.scale} ({uk_date(s.held_on)})" for s in points[:-1])
        if shown:
            out[pair_id] = f"Earlier scales: {shown}"
    return out


#: What the room is told when something is not projected because someone present may not see it.
HELD_BACK = "Some items are not shown on this screen."


def room_map(
    bundle: m.ConferenceBundle, policy: Policy | None = None, earlier: dict[uuid.UUID, str] | None = None
) -> RoomMap:
    """Everything the room sees, as plain text, in the order it is shown. ``earlier``: each danger statement's
    scale at the earlier conferences, in words (issue 13), when the map continues an earlier one.

    With the policy in force, only what every person recorded as present may see (``rules.audience``, the
    rule every document follows): an item one of them may not see is not projected, and the footer says that
    some items are held back, without saying which.
    """
    held_back = False
    if policy is not None:
        copy = audience.for_readers(bundle, audience.present(bundle), policy)
        shown = {i.id for i in bundle.mapping_items if i.text.strip()} | {p.id for p in bundle.pairs}
        shown |= {i.said_by for i in bundle.mapping_items if i.said_by}
        shown |= {s.person_id for s in bundle.scores if s.person_id}
        held_back = any(r.subject_id in shown and not r.part for r in copy.removed)
        bundle = copy.bundle
    c = bundle.conference
    columns = []
    names: dict = {}
    for column in COLUMN_ORDER:
        col = RoomColumn(column.label)
        for section in (s for s in SECTION_ORDER if s.column is column):
            col.parts.append(
                (
                    section.label,
                    [(i.id, item_line(bundle, i, names)) for i in items_of(bundle, section) if i.text.strip()],
                )
            )
        columns.append(col)
    statements = RoomColumn(VIEW_NAMES[STATEMENTS])
    number = 0
    for p in pairs_of(bundle):
        lines: list[tuple[uuid.UUID, str]] = []
        if p.danger_statement.strip():
            lines.append((p.id, p.danger_statement.strip()))
        if p.safety_goal.strip() or p.scale is not None:
            lines.append((goal_id(p.id), "Safety goal: " + goal_line(p)))
        if scores_line(bundle, p.id):
            lines.append((scores_id(p.id), scores_line(bundle, p.id)))
        if earlier and earlier.get(p.id):
            lines.append((uuid.uuid5(p.id, "earlier"), earlier[p.id]))
        if lines:
            number += 1
            statements.parts.append((f"Danger statement {number}", lines))
    if not statements.parts:
        statements.parts.append(("Danger statements", []))
    footer = []
    if c.overall_scale is not None:
        footer.append(f"Overall safety scale: {c.overall_scale} / 10")
    if scores_line(bundle, None):
        footer.append(scores_line(bundle, None).replace("Scores:", "Scores on the overall scale:", 1))
    if held_back:
        footer.append(HELD_BACK)
    return RoomMap(f"{bundle.family.name} · {c.kind.label} · {uk_date(c.held_on)}", columns, footer, [statements])


def room_text(room: RoomMap) -> str:
    lines = [room.title]
    for col in room.columns + room.statements:
        lines.append(col.title)
        for heading, items in col.parts:
            lines.append(heading)
            lines += [text for _id, text in items] or ["Nothing yet"]
    return "\n".join(lines + room.footer)


HEADING = 1  # a block's user state: a part's heading, kept on the page of the item that follows it


def _layout_top(layout, block) -> float:
    """Where a block's lines start in the document (below its top margin), once it is laid out."""
    layout.blockBoundingRect(block)  # lays the document out up to this block if it is not yet
    return block.layout().position().y()


def page_starts(doc: QTextDocument, height: float) -> list[float]:
    """Where each page of a document (laid out as one long column) starts: an item that fits on a page is
    never split, a heading goes with the item after it, and only an item taller than a page is broken,
    between lines."""
    layout = doc.documentLayout()
    starts = [0.0]
    heading_top: float | None = None  # the heading just before, still on the current page
    block = doc.begin()
    while block.isValid():
        top = _layout_top(layout, block)
        lines = block.layout()
        n = lines.lineCount()
        if n:
            last = lines.lineAt(n - 1)
            bottom = top + last.y() + last.height()
            if bottom - starts[-1] > height:
                if bottom - top <= height:  # the whole item on the next page, with its heading
                    start = heading_top if heading_top is not None and bottom - heading_top <= height else top
                    starts.append(max(start - 2, starts[-1] + 1))
                else:  # taller than a page: break between lines
                    for i in range(n):
                        line = lines.lineAt(i)
                        if top + line.y() + line.height() - starts[-1] > height:
                            starts.append(top + line.y())
            heading_top = top if block.userState() == HEADING else None
        block = block.next()
    return starts


class _Pages(QWidget):
    """Paints one page of each column's document side by side (documents laid out in pages), under the
    columns' titles, which every page repeats so that the room always knows which column it reads."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.docs: list[QTextDocument] = []
        self.starts: list[list[float]] = []  # per document, where each of its pages starts
        self.titles: list[str] = []
        self.title_font = QFont()
        self.header = 0  # pixels above the documents, for the titles
        self.page = 0
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

    def column_width(self, n: int, width: int | None = None) -> float:
        width = self.width() if width is None else width
        return max(50.0, (width - COLUMN_GAP * (n - 1)) / max(1, n))

    def page_height(self) -> int:
        return self.page_height_for(self.header)

    def page_height_for(self, header: int) -> int:
        return max(50, self.height() - header)

    def span(self, n: int, page: int) -> tuple[float, float] | None:
        """(top, bottom) in document ``n`` of page ``page``, or None when it has no such page."""
        starts = self.starts[n] if n < len(self.starts) else [0.0]
        if page >= len(starts):
            return None
        end = starts[page + 1] if page + 1 < len(starts) else starts[page] + self.page_height()
        return starts[page], min(end, starts[page] + self.page_height())

    def paintEvent(self, event) -> None:
        painter = QPainter(self)
        painter.fillRect(event.rect(), QColor("#ffffff"))
        if not self.docs:
            return
        w = self.column_width(len(self.docs))
        h = self.page_height()
        painter.setFont(self.title_font)
        for n, doc in enumerate(self.docs):
            x = n * (w + COLUMN_GAP)
            if x > event.rect().right() or x + w < event.rect().left():
                continue  # a keystroke repaints its own column only
            span = self.span(n, self.page)
            title = self.titles[n] if n < len(self.titles) else ""
            if self.page and span is not None:
                title += " (continued)"
            painter.setPen(QColor("#0b2f5c"))
            painter.drawText(QRectF(x + 4, 0, w - 4, self.header), int(Qt.TextFlag.TextWordWrap), title)
            if span is None:
                continue
            start, end = span
            # Only what the event asks for: a keystroke repaints from its paragraph down, in its column.
            top = max(start, start + event.rect().top() - self.header)
            bottom = min(end, start + event.rect().bottom() + 1 - self.header, start + h)
            if bottom <= top:
                continue
            painter.save()
            painter.translate(x, self.header - start)
            doc.drawContents(painter, QRectF(0, top, w, bottom - top))
            painter.restore()
        painter.end()


class PresentationWindow(QWidget):
    """A second top-level window: full screen on a screen other than the chair's when there is one, else on
    the chair's own screen. It never takes the keyboard. F5 in the conference window closes it."""

    def __init__(self, session: EditSession, keys_from: QWidget | None = None) -> None:
        flags = Qt.WindowType.Window | Qt.WindowType.WindowDoesNotAcceptFocus
        super().__init__(None, flags)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setWindowTitle("Chair: presentation")
        self.setObjectName("presentation")
        self.earlier = earlier_scales(session)  # issue 13: read once, as the window opens
        self.setAccessibleName("Presentation of the map")
        self.setStyleSheet(
            "QWidget#presentation { background: #ffffff; }"
            "QLabel { color: #111111; background: #ffffff; }"
            "QLabel#presenterStrip { color: #ffffff; background: #0b2f5c; padding: 4px 10px; }"
        )
        self.title = QLabel()
        self.title.setObjectName("roomTitle")
        self.title.setWordWrap(True)
        self.area = _Pages(self)
        self.footer = QLabel()
        self.footer.setObjectName("roomFooter")
        self.footer.setWordWrap(True)
        self.page_label = QLabel()
        self.page_label.setObjectName("roomPage")
        self.page_label.setAlignment(Qt.AlignmentFlag.AlignRight)
        self.strip = QLabel()
        self.strip.setObjectName("presenterStrip")
        self.strip.hide()
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 12, 24, 8)
        lay.setSpacing(6)
        lay.addWidget(self.title)
        lay.addWidget(self.area, 1)
        lay.addWidget(self.footer)
        lay.addWidget(self.page_label)
        lay.addWidget(self.strip)
        for widget in self.findChildren(QWidget):
            widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.session = session
        self.view = MAP
        self.pages = {MAP: 0, STATEMENTS: 0}
        self.body_pt = {MAP: float(BODY_PT), STATEMENTS: float(BODY_PT)}
        self.docs: dict[str, list[QTextDocument]] = {MAP: [], STATEMENTS: []}
        self.titles: dict[str, list[str]] = {MAP: [], STATEMENTS: []}
        self.starts: dict[str, list[list[float]]] = {MAP: [], STATEMENTS: []}
        self.heads: dict[str, tuple[QFont, int]] = {MAP: (QFont(), 0), STATEMENTS: (QFont(), 0)}
        self.blocks: dict[uuid.UUID, tuple[QTextDocument, int]] = {}
        self.block_view: dict[uuid.UUID, str] = {}
        self.room: RoomMap | None = None
        self._size_built: tuple[int, int] | None = None
        self.one_screen = False
        self.chair: QWidget | None = None  # the chair's window, which keeps the keyboard
        session.sig_changed.connect(self._changed)
        self.actions_on: list[tuple[QWidget, QAction]] = []
        if keys_from is not None:
            self.install_keys(keys_from)
        QApplication.instance().focusChanged.connect(self._focus_moved)
        self.render()

    # Keys, on the chair's window ---------------------------------------------------------------------

    def install_keys(self, widget: QWidget) -> None:
        """Page and switch views from the chair's window: the room's window never has the keyboard."""
        for keys, text, slot in KEYS:
            action = QAction(text, widget)
            action.setObjectName(f"present_{slot}")
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(getattr(self, slot))
            widget.addAction(action)
            self.actions_on.append((widget, action))

    def _remove_keys(self) -> None:
        for widget, action in self.actions_on:
            try:
                widget.removeAction(action)
                action.deleteLater()
            except RuntimeError:  # the window went first
                pass
        self.actions_on = []

    def next_page(self) -> None:
        self.turn_to(self.view, self.pages[self.view] + 1)

    def previous_page(self) -> None:
        self.turn_to(self.view, self.pages[self.view] - 1)

    def toggle_view(self) -> None:
        self.show_view(STATEMENTS if self.view == MAP else MAP)

    def show_view(self, view: str) -> None:
        if view != self.view or self.area.docs is not self.docs[view]:
            self.view = view
            self._show_page()

    def turn_to(self, view: str, page: int) -> None:
        page = max(0, min(page, self.page_count(view) - 1))
        if (view, page) == (self.view, self.area.page) and self.area.docs is self.docs[view]:
            return  # already there (typing goes on in the item shown)
        self.view = view
        self.pages[view] = page
        self._show_page()

    def page_count(self, view: str | None = None) -> int:
        return max((len(s) for s in self.starts[view or self.view]), default=1)

    def _show_page(self) -> None:
        self.area.docs = self.docs[self.view]
        self.area.starts = self.starts[self.view]
        self.area.titles = self.titles[self.view]
        self.area.title_font, self.area.header = self.heads[self.view]
        self.area.page = min(self.pages[self.view], self.page_count() - 1)
        self.pages[self.view] = self.area.page
        total = self.page_count()
        other = "danger statements and scales" if self.view == MAP else "the map"
        where = f"{VIEW_NAMES[self.view]}: page {self.area.page + 1} of {total}" if total > 1 else VIEW_NAMES[self.view]
        self.page_label.setText(f"{where}   ·   F6: {other}")
        self.area.update()

    def _focus_moved(self, _old, new) -> None:
        if self.one_screen:
            self._strip_text(new)

    def _strip_text(self, focus: QWidget | None = None) -> None:
        focus = focus or QApplication.focusWidget()
        name = focus.accessibleName() if focus is not None else ""
        typing = f"Typing goes to the conference window ({name})" if name else "Typing goes to the conference window"
        self.strip.setText(f"{typing}. F5: back to it · PgUp/PgDn (or Alt+PgUp/PgDn): pages · F6: statements")

    # What the room reads ------------------------------------------------------------------------------

    def text(self) -> str:
        """What the room can read, in both views (for tests and for the screen reader)."""
        docs = [
            f"{title}\n{d.toPlainText()}"
            for view in (MAP, STATEMENTS)
            for title, d in zip(self.titles[view], self.docs[view], strict=True)
        ]
        parts = [self.title.text(), *docs, self.footer.text()]
        return "\n".join(parts).replace("\u2028", " ")

    def page_text(self, column: int | None = None) -> str:
        """The text on the page the room sees now (whole lines only), of every column or of one."""
        out = []
        for n, doc in enumerate(self.area.docs):
            span = self.area.span(n, self.area.page)
            if (column is not None and n != column) or span is None:
                continue
            layout = doc.documentLayout()
            block = doc.begin()
            while block.isValid():
                top = _layout_top(layout, block)
                lines = block.layout()
                for i in range(lines.lineCount()):
                    line = lines.lineAt(i)
                    if span[0] <= top + line.y() and top + line.y() + line.height() <= span[1] + 0.5:
                        out.append(block.text()[line.textStart() : line.textStart() + line.textLength()])
                block = block.next()
        return "\n".join(out).replace("\u2028", " ")

    # Changes --------------------------------------------------------------------------------------------

    def _changed(self, cls, record_id=None) -> None:
        if cls not in (
            None,
            m.MappingItem,
            m.DangerGoalPair,
            m.ScaleScore,
            m.Conference,
            m.Person,
            m.Family,
            m.Invitation,  # who is in the room decides what it may see
            m.AudienceMark,
        ):
            return
        room = room_map(self.session.bundle, self.session.policy, self.earlier)
        if record_id is not None and record_id in self.blocks and self._shape(room) == self._shape(self.room):
            pages = {view: self.page_count(view) for view in (MAP, STATEMENTS)}
            self._update_texts(room)  # a keystroke in one item: that paragraph only
            grew = [v for v in pages if self.page_count(v) > pages[v]]
            if any(self.body_pt[v] > self.type_range()[0] + 0.01 for v in grew):
                self._build(room)  # it no longer fits on one page: fit again, with smaller type
            elif grew:
                self._show_page()
        else:
            self._build(room)
        if record_id is not None:
            self.follow(record_id)

    def follow(self, record_id: uuid.UUID) -> None:
        """Turn to the view and page that show this record (the one the chair is editing): the page of its
        last line, where typing usually goes on."""
        found = self.blocks.get(record_id)
        if found is not None:
            doc, number = found
            view = self.block_view[record_id]
            self.show_view(view)
            block = doc.findBlockByNumber(number)
            lines = block.layout()
            top = _layout_top(doc.documentLayout(), block)
            if lines.lineCount():
                top += lines.lineAt(lines.lineCount() - 1).y()
            starts = self.starts[view][self.docs[view].index(doc)]
            self.turn_to(view, bisect.bisect_right(starts, top) - 1)

    @staticmethod
    def _shape(room: RoomMap | None):
        if room is None:
            return None
        return (
            [[(h, [i for i, _t in items]) for h, items in col.parts] for col in room.columns + room.statements],
            room.footer,
            room.title,
        )

    @staticmethod
    def _line(text: str) -> str:
        return "•\t" + text.replace("\n", "\u2028")

    def _update_texts(self, room: RoomMap) -> None:
        old = self.room
        before = {i: t for col in old.columns + old.statements for _h, items in col.parts for i, t in items}
        for col in room.columns + room.statements:
            for _heading, items in col.parts:
                for item_id, text in items:
                    if before.get(item_id) != text and item_id in self.blocks:
                        doc, number = self.blocks[item_id]
                        cursor = QTextCursor(doc.findBlockByNumber(number))
                        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                        view = self.block_view[item_id]
                        cursor.insertText(self._line(text), self._formats(self.body_pt[view])[2])
                        index = self.docs[view].index(doc)
                        self.starts[view][index] = page_starts(doc, self.area.page_height())
                        if doc in self.area.docs:  # repaint that column from the paragraph down
                            n = self.area.docs.index(doc)
                            w = self.area.column_width(len(self.area.docs))
                            at = _layout_top(doc.documentLayout(), doc.findBlockByNumber(number))
                            span = self.area.span(n, self.area.page)
                            y = max(0, int(self.area.header + at - span[0]) - 2) if span else 0
                            self.area.update(int(n * (w + COLUMN_GAP)), y, int(w) + 1, self.area.height() - y)
        self.room = room

    def render(self) -> None:
        self._build(room_map(self.session.bundle, self.session.policy, self.earlier))

    # Laying out: fit the type, then page ---------------------------------------------------------------

    def _screen_height(self) -> int:
        screen = self.screen() or QGuiApplication.primaryScreen()
        return screen.geometry().height() if self.isFullScreen() or not self.isVisible() else self.height()

    def type_range(self) -> tuple[float, float]:
        """(floor, ceiling) for body text in points, from the height of the screen (or window) shown on."""
        height = max(300, self._screen_height())
        to_pt = 72 / max(1, self.logicalDpiY())
        return height * MIN_LINE_FRACTION * to_pt, height * MAX_LINE_FRACTION * to_pt

    def _formats(self, pt: float):
        head = QTextCharFormat()
        head.setFontPointSize(pt * 1.15)
        head.setFontWeight(QFont.Weight.Bold)
        head.setForeground(QColor("#0b2f5c"))
        part = QTextCharFormat()
        part.setFontPointSize(pt * 1.04)
        part.setFontWeight(QFont.Weight.Bold)
        part.setForeground(QColor("#111111"))
        body = QTextCharFormat()
        body.setFontPointSize(pt)
        body.setForeground(QColor("#111111"))
        none = QTextCharFormat(body)
        none.setFontItalic(True)
        none.setForeground(QColor("#444444"))
        return head, part, body, none

    def _document(self, col: RoomColumn, pt: float, width: float, height: float, blocks: dict) -> QTextDocument:
        _head, part, body, none = self._formats(pt)
        px = pt * self.logicalDpiY() / 72
        doc = QTextDocument(self)
        doc.setDocumentMargin(4)
        doc.setTextWidth(width)  # one long column: page_starts() decides where pages begin
        option = doc.defaultTextOption()
        option.setTabStopDistance(px * BULLET_INDENT)
        doc.setDefaultTextOption(option)
        part_block = QTextBlockFormat()
        part_block.setTopMargin(px * 0.6)
        item_block = QTextBlockFormat()
        item_block.setTopMargin(px * 0.25)
        item_block.setLeftMargin(px * BULLET_INDENT)
        item_block.setTextIndent(-px * BULLET_INDENT)
        cursor = QTextCursor(doc)
        for number, (heading, items) in enumerate(col.parts):
            if number:
                cursor.insertBlock(part_block, part)
            else:  # the first block is there already; the column's title is painted above, on every page
                cursor.setBlockFormat(QTextBlockFormat())
                cursor.setCharFormat(part)
            cursor.insertText(heading)
            cursor.block().setUserState(HEADING)
            if not items:
                cursor.insertBlock(item_block, none)
                cursor.insertText("Nothing yet")
            for item_id, text in items:
                cursor.insertBlock(item_block, body)
                cursor.insertText(self._line(text))
                blocks[item_id] = (doc, cursor.block().blockNumber())
        return doc

    def _title_font(self, pt: float) -> QFont:
        font = QFont(self.font())
        font.setPointSizeF(pt * 1.15)
        font.setBold(True)
        return font

    def _header(self, columns: list[RoomColumn], pt: float) -> int:
        """Pixels for the columns' titles at this size (they may wrap)."""
        metrics = QFontMetrics(self._title_font(pt))
        width = int(self.area.column_width(len(columns))) - 4
        flags = int(Qt.TextFlag.TextWordWrap)
        tallest = max(metrics.boundingRect(QRect(0, 0, width, 10_000), flags, c.title).height() for c in columns)
        return tallest + round(metrics.height() * 0.3)

    def _lay_out(self, columns: list[RoomColumn], pt: float, blocks: dict) -> list[QTextDocument]:
        width = self.area.column_width(len(columns))
        height = max(50, self.area.height() - self._header(columns, pt))
        return [self._document(col, pt, width, height, blocks) for col in columns]

    def _fit(self, columns: list[RoomColumn]) -> tuple[float, list[QTextDocument], dict]:
        """The largest body size (within the floor and ceiling) at which every column fits one page; at the
        floor, as many pages as it takes."""
        low, high = self.type_range()

        def attempt(pt: float):
            blocks: dict = {}
            docs = self._lay_out(columns, pt, blocks)
            height = self.area.page_height_for(self._header(columns, pt))
            return docs, blocks, all(d.size().height() <= height for d in docs)

        docs, blocks, fits = attempt(high)
        if fits:
            return high, docs, blocks
        docs, blocks, fits = attempt(low)
        best = (low, docs, blocks)
        if not fits:
            return best
        for _ in range(6):  # halve the interval: within 2% of the largest size that fits
            mid = (low + high) / 2
            docs, blocks, fits = attempt(mid)
            if fits:
                low, best = mid, (mid, docs, blocks)
            else:
                high = mid
        return best

    def _build(self, room: RoomMap) -> None:
        self.title.setText(room.title)
        self.footer.setText("\n".join(room.footer))
        self.footer.setVisible(bool(room.footer))
        self.blocks, self.block_view = {}, {}
        for view, columns in ((MAP, room.columns), (STATEMENTS, room.statements)):
            pt, docs, blocks = self._fit(columns)
            height = self.area.page_height_for(self._header(columns, pt))
            self.starts[view] = [page_starts(doc, height) for doc in docs]
            self.body_pt[view], self.docs[view] = pt, docs
            self.titles[view] = [c.title for c in columns]
            self.heads[view] = (self._title_font(pt), self._header(columns, pt))
            self.blocks.update(blocks)
            self.block_view.update(dict.fromkeys(blocks, view))
        pt = self.body_pt[MAP]
        for label, scale in ((self.title, 1.2), (self.footer, 1.0), (self.page_label, 0.6), (self.strip, 0.55)):
            font = label.font()
            font.setPointSizeF(pt * scale)
            font.setBold(label is not self.page_label and label is not self.strip)
            label.setFont(font)
        self.room = room
        self._size_built = (self.area.width(), self.area.height())
        self._show_page()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        if self.room is not None and self._size_built != (self.area.width(), self.area.height()):
            self._build(self.room)

    # Showing --------------------------------------------------------------------------------------------

    def attach(self, session: EditSession) -> None:
        self.session.sig_changed.disconnect(self._changed)
        self.session = session
        session.sig_changed.connect(self._changed)
        self.render()

    def show_on_best_screen(self, chair: QWidget | None = None) -> None:
        """Full screen on a screen the chair's window is not on; on the chair's own screen when there is only
        one (with the strip that says where typing goes). The keyboard stays with the chair's window."""
        from chair_app.gui.placement import projector_area

        area, own = projector_area(chair)
        self.one_screen = own
        self.strip.setVisible(own)
        if own:
            self._strip_text()
        self.chair = chair.window() if chair is not None else None
        self.setGeometry(area)
        # Not showFullScreen(): that also calls activateWindow(). Shown without activation, refusing focus.
        self.setWindowState(self.windowState() | Qt.WindowState.WindowFullScreen)
        self.setVisible(True)

    def changeEvent(self, event) -> None:
        """A platform that activates every window shown (Qt's offscreen one does, whatever the flags say):
        hand the keyboard straight back to the chair's window, whose focus returns to where it was."""
        super().changeEvent(event)
        if event.type() is QEvent.Type.ActivationChange and self.isActiveWindow() and self.chair is not None:
            QTimer.singleShot(0, self.chair.activateWindow)

    def closeEvent(self, event) -> None:
        try:
            self.session.sig_changed.disconnect(self._changed)
        except (RuntimeError, TypeError):
            pass
        try:
            QApplication.instance().focusChanged.disconnect(self._focus_moved)
        except (RuntimeError, TypeError):
            pass
        self._remove_keys()
        super().closeEvent(event)
