"""Presentation mode: the map on the projector or a second screen, large and high-contrast, updating live.

It shows what the room may see. ``room_map`` decides that, from the record alone: no contact details at all,
a person whose name is withheld shown by their role, blank items left out, and private scores shown only
once revealed (before that, only how many are in). Body text is 22 pt (readable at 3 m), dark on white.

Typing changes one paragraph, not the whole screen: a keystroke in an item re-lays out that item's paragraph
only, so projecting costs the chair little speed; anything else (an item added, moved or removed) redraws.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QGuiApplication,
    QKeySequence,
    QShortcut,
    QTextBlockFormat,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextBrowser, QVBoxLayout, QWidget

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import MappingColumn
from chair_app.gui.workspace.steps.base import person_name
from chair_app.gui.workspace.steps.mapping import COLUMN_ORDER, SECTION_ORDER, items_of, pairs_of

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession

BODY_PT = 22
HEAD_PT = 26
TITLE_PT = 30
BULLET_INDENT = 30  # pixels: the hanging indent after a bullet


@dataclass
class RoomColumn:
    title: str
    parts: list[tuple[str, list[tuple[uuid.UUID, str]]]] = field(default_factory=list)  # (heading, items)


@dataclass
class RoomMap:
    title: str
    columns: list[RoomColumn]
    footer: list[str]


def item_line(bundle: m.ConferenceBundle, item: m.MappingItem) -> str:
    who = person_name(bundle, item.said_by, public=True)
    return item.text.strip() + (f" ({who})" if who else "")


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


def room_map(bundle: m.ConferenceBundle) -> RoomMap:
    """Everything the room sees, as plain text, in the order it is shown."""
    c = bundle.conference
    columns = []
    for column in COLUMN_ORDER:
        col = RoomColumn(column.label)
        for section in (s for s in SECTION_ORDER if s.column is column):
            col.parts.append(
                (section.label, [(i.id, item_line(bundle, i)) for i in items_of(bundle, section) if i.text.strip()])
            )
        if column is MappingColumn.WORRIED:
            col.parts.append(
                (
                    "Danger statements",
                    [(p.id, p.danger_statement.strip()) for p in pairs_of(bundle) if p.danger_statement.strip()],
                )
            )
        if column is MappingColumn.NEEDS_TO_HAPPEN:
            goals = []
            for p in pairs_of(bundle):
                if p.safety_goal.strip() or p.scale is not None:
                    goals.append((p.id, goal_line(p)))
                    if scores_line(bundle, p.id):
                        goals.append((uuid.uuid5(p.id, "scores"), scores_line(bundle, p.id)))
            col.parts.append(("Safety goals", goals))
        columns.append(col)
    footer = []
    if c.overall_scale is not None:
        footer.append(f"Overall safety scale: {c.overall_scale} / 10")
    if scores_line(bundle, None):
        footer.append(scores_line(bundle, None).replace("Scores:", "Scores on the overall scale:", 1))
    return RoomMap(f"{bundle.family.name} · {c.kind.label} · {uk_date(c.held_on)}", columns, footer)


def room_text(room: RoomMap) -> str:
    lines = [room.title]
    for col in room.columns:
        lines.append(col.title)
        for heading, items in col.parts:
            lines.append(heading)
            lines += [text for _id, text in items] or ["Nothing yet"]
    return "\n".join(lines + room.footer)


class PresentationWindow(QWidget):
    """A second top-level window: full screen on a second screen when there is one. Esc or F5 closes it.

    Each column is one text document, one paragraph per item, so a keystroke re-lays out one paragraph.
    """

    def __init__(self, session: EditSession) -> None:
        super().__init__(None, Qt.WindowType.Window)
        self.setWindowTitle("Chair: presentation")
        self.setObjectName("presentation")
        self.setAccessibleName("Presentation of the map")
        self.setStyleSheet(
            "QWidget#presentation, QTextBrowser { background: #ffffff; border: none; }"
            f"QLabel {{ color: #111111; font-size: {BODY_PT}pt; background: #ffffff; }}"
            f"QLabel#roomTitle {{ font-size: {TITLE_PT}pt; font-weight: 700; }}"
            "QLabel#roomFooter { font-weight: 700; }"
        )
        self.title = QLabel()
        self.title.setObjectName("roomTitle")
        self.title.setWordWrap(True)
        self.columns = []
        row = QHBoxLayout()
        row.setSpacing(28)
        for column in COLUMN_ORDER:
            browser = QTextBrowser()
            browser.setAccessibleName(column.label)
            browser.setFrameShape(QTextBrowser.Shape.NoFrame)
            self.columns.append(browser)
            row.addWidget(browser, 1)
        self.footer = QLabel()
        self.footer.setObjectName("roomFooter")
        self.footer.setWordWrap(True)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(24, 12, 24, 12)
        lay.addWidget(self.title)
        lay.addLayout(row, 1)
        lay.addWidget(self.footer)
        self.session = session
        self.blocks: dict[uuid.UUID, tuple[QTextDocument, int]] = {}
        self.room: RoomMap | None = None
        self._formats()
        session.sig_changed.connect(self._changed)
        for key in ("Esc", "F5"):
            QShortcut(QKeySequence(key), self, activated=self.close)
        self.render()

    def _formats(self) -> None:
        self.head = QTextCharFormat()
        self.head.setFontPointSize(HEAD_PT)
        self.head.setFontWeight(QFont.Weight.Bold)
        self.head.setForeground(QColor("#0b2f5c"))
        self.part = QTextCharFormat()
        self.part.setFontPointSize(BODY_PT + 1)
        self.part.setFontWeight(QFont.Weight.Bold)
        self.part.setForeground(QColor("#111111"))
        self.body = QTextCharFormat()
        self.body.setFontPointSize(BODY_PT)
        self.body.setForeground(QColor("#111111"))
        self.none = QTextCharFormat(self.body)
        self.none.setFontItalic(True)
        self.none.setForeground(QColor("#444444"))
        self.part_block = QTextBlockFormat()
        self.part_block.setTopMargin(14)
        self.item_block = QTextBlockFormat()
        self.item_block.setTopMargin(6)
        self.item_block.setLeftMargin(BULLET_INDENT)
        self.item_block.setTextIndent(-BULLET_INDENT)

    def attach(self, session: EditSession) -> None:
        self.session.sig_changed.disconnect(self._changed)
        self.session = session
        session.sig_changed.connect(self._changed)
        self.render()

    def text(self) -> str:
        """What the room can read now (for tests and for the screen reader)."""
        parts = [self.title.text()] + [b.toPlainText() for b in self.columns] + [self.footer.text()]
        return "\n".join(parts).replace("\u2028", " ")

    def _changed(self, cls, record_id=None) -> None:
        if cls not in (None, m.MappingItem, m.DangerGoalPair, m.ScaleScore, m.Conference, m.Person, m.Family):
            return
        room = room_map(self.session.bundle)
        if record_id is not None and record_id in self.blocks and self._shape(room) == self._shape(self.room):
            self._update_texts(room)  # a keystroke in one item: that paragraph only
        else:
            self._build(room)

    @staticmethod
    def _shape(room: RoomMap | None):
        if room is None:
            return None
        return (
            [[(h, [i for i, _t in items]) for h, items in col.parts] for col in room.columns],
            room.footer,
            room.title,
        )

    @staticmethod
    def _line(text: str) -> str:
        return "•\t" + text.replace("\n", "\u2028")

    def _update_texts(self, room: RoomMap) -> None:
        old = {i: t for col in self.room.columns for _h, items in col.parts for i, t in items} if self.room else {}
        for col in room.columns:
            for _heading, items in col.parts:
                for item_id, text in items:
                    if old.get(item_id) != text and item_id in self.blocks:
                        doc, number = self.blocks[item_id]
                        cursor = QTextCursor(doc.findBlockByNumber(number))
                        cursor.movePosition(QTextCursor.MoveOperation.EndOfBlock, QTextCursor.MoveMode.KeepAnchor)
                        cursor.insertText(self._line(text), self.body)
        self.room = room

    def render(self) -> None:
        self._build(room_map(self.session.bundle))

    def _build(self, room: RoomMap) -> None:
        self.title.setText(room.title)
        self.footer.setText("\n".join(room.footer))
        self.footer.setVisible(bool(room.footer))
        self.blocks = {}
        for browser, col in zip(self.columns, room.columns, strict=True):
            at = browser.verticalScrollBar().value()
            doc = QTextDocument(browser)
            doc.setDocumentMargin(6)
            option = doc.defaultTextOption()
            option.setTabStopDistance(BULLET_INDENT)
            doc.setDefaultTextOption(option)
            cursor = QTextCursor(doc)
            cursor.setCharFormat(self.head)
            cursor.insertText(col.title)
            for heading, items in col.parts:
                cursor.insertBlock(self.part_block, self.part)
                cursor.insertText(heading)
                if not items:
                    cursor.insertBlock(self.item_block, self.none)
                    cursor.insertText("Nothing yet")
                for item_id, text in items:
                    cursor.insertBlock(self.item_block, self.body)
                    cursor.insertText(self._line(text))
                    self.blocks[item_id] = (doc, cursor.block().blockNumber())
            browser.setDocument(doc)
            browser.verticalScrollBar().setValue(at)
        self.room = room

    def show_on_best_screen(self) -> None:
        screens = QGuiApplication.screens()
        primary = QGuiApplication.primaryScreen()
        target = next((s for s in screens if s is not primary), None) or primary
        self.setGeometry(target.geometry())
        self.showFullScreen()

    def closeEvent(self, event) -> None:
        try:
            self.session.sig_changed.disconnect(self._changed)
        except (RuntimeError, TypeError):
            pass
        super().closeEvent(event)
