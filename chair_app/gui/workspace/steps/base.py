"""What every step of the workspace shares: the page, its helpers, and how people and attendance read.

A page reacts to three calls from the workspace: ``opened()`` (a conference was opened), ``shown()`` (the
step became visible) and ``changed(cls, record_id)`` (records of that type changed; None: everything).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QBoxLayout, QFormLayout, QFrame, QLabel, QScrollArea, QVBoxLayout, QWidget

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceMode, AttendanceStatus
from chair_app.gui.workspace.common import heading

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


class Page(QScrollArea):
    """A step: its content scrolls when the window is small (1366x768), and never clips."""

    def __init__(self, workspace: ConferenceWorkspace, title: str, intro: str) -> None:
        super().__init__(workspace.stack)  # built in its place: reparenting re-polished every widget in it
        self.ws = workspace
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.body.setObjectName("page")
        self.setWidget(self.body)
        self.lay = QVBoxLayout(self.body)
        self.lay.setContentsMargins(16, 4, 8, 8)
        self.lay.setSpacing(10)
        self._rows: list[tuple[QBoxLayout, int]] = []  # rows that stack when the step is narrow
        self.lay.addWidget(heading(title))
        if intro:
            note = QLabel(intro)
            note.setObjectName("intro")
            note.setWordWrap(True)
            self.lay.addWidget(note)

    def side_by_side(self, at_least: int) -> QBoxLayout:
        """A row whose parts stand side by side when the step is at least ``at_least`` pixels wide, and one
        above the other when it is narrower (a 1024x768 screen): never a horizontal scrollbar."""
        row = QBoxLayout(QBoxLayout.Direction.LeftToRight)
        self._rows.append((row, at_least))
        return row

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        width = self.viewport().width()
        for row, at_least in self._rows:
            direction = QBoxLayout.Direction.LeftToRight if width >= at_least else QBoxLayout.Direction.TopToBottom
            if row.direction() != direction:
                row.setDirection(direction)

    @property
    def s(self) -> EditSession:
        assert self.ws.session is not None
        return self.ws.session

    @property
    def bundle(self) -> m.ConferenceBundle:
        return self.s.bundle

    def conf_target(self):
        return (m.Conference, self.s.conference_id) if self.ws.session else None

    def opened(self) -> None:
        pass

    def shown(self) -> None:
        pass

    def changed(self, cls, record_id=None) -> None:
        pass

    def show_record(self, record: type[m.Record] | None, record_id: uuid.UUID | None) -> None:
        """Show the record a checklist line names (or the step's first control) and put the focus on it."""
        self.body.focusNextChild()

    def shortcut(self, text: str, key: str, slot: Callable[[], None], name: str) -> QAction:
        """A shortcut that works while this step is shown (listed on the F1 sheet)."""
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action


def as_enum(cls, value):
    """A combo's item data back as its enum: Qt keeps a string enum as a plain string."""
    return cls(value) if value else None


def form() -> QFormLayout:
    f = QFormLayout()
    f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    f.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    f.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    return f


def person_name(bundle: m.ConferenceBundle, person_id: uuid.UUID | None, *, public: bool = False) -> str:
    person = bundle.person(person_id)
    if person is None:
        return ""
    if public and person.name_withheld:
        return person.role or "Withheld"
    return person.name


def role_label(person: m.Person | None) -> str:
    if person is None:
        return ""
    return ", ".join(x for x in (person.role, person.agency) if x)


ATTENDANCE_CHOICES: tuple[tuple[str, AttendanceStatus, AttendanceMode | None], ...] = (
    ("Not yet known", AttendanceStatus.INVITED, None),
    ("Present in person", AttendanceStatus.ATTENDED, AttendanceMode.IN_PERSON),
    ("Present by video", AttendanceStatus.ATTENDED, AttendanceMode.VIDEO),
    ("Present by phone", AttendanceStatus.ATTENDED, AttendanceMode.PHONE),
    ("Apologies", AttendanceStatus.APOLOGIES, None),
    ("Did not attend", AttendanceStatus.DID_NOT_ATTEND, None),
)


def attendance_words(inv: m.Invitation) -> str:
    for text, status, mode in ATTENDANCE_CHOICES:
        if inv.status is status and inv.mode is mode:
            return text
    return inv.status.value.replace("_", " ").capitalize()


def attendance_notes(inv: m.Invitation) -> str:
    notes = []
    if inv.arrived_at:
        notes.append(f"arrived {inv.arrived_at:%H:%M}")
    if inv.left_at:
        notes.append(f"left {inv.left_at:%H:%M}")
    if inv.excluded_from_part:
        notes.append("excluded for part")
    return ", ".join(notes)


def invitations_in_order(bundle: m.ConferenceBundle) -> list[m.Invitation]:
    return sorted(bundle.invitations, key=lambda i: (i.position, i.created_at))
