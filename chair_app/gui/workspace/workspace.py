"""The conference workspace: a step navigator that follows the meeting, and can be moved through freely.

Steps: Before, Welcome and attendance, Mapping, Child's voice, Recommendations and decision, Plan, Close.
Every edit in every step goes through the one ``EditSession`` (stored at once, undoable across the whole
workspace). The step shown is remembered on every move, so reopening after a crash returns to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QHBoxLayout,
    QLabel,
    QListView,
    QListWidget,
    QListWidgetItem,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import RecordStatus
from chair_app.gui.workspace.common import Notice

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession

STEPS: tuple[tuple[str, str], ...] = (
    ("before", "Before"),
    ("welcome", "Welcome and attendance"),
    ("mapping", "Mapping"),
    ("voice", "Child's voice"),
    ("decision", "Recommendations and decision"),
    ("plan", "Plan"),
    ("close", "Close"),
)
STEP_KEYS = tuple(key for key, _ in STEPS)
# What a step is called when the window is too narrow for the full names (a 1024x768 screen).
SHORT_STEPS = {"welcome": "Welcome", "voice": "Voice", "decision": "Decision"}


class _UndoKeysToWorkspace(QObject):
    """Ctrl+Z in a text box undoes the workspace's last edit, not only the box's own typing."""

    def eventFilter(self, obj, event) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride and (
            event.matches(QKeySequence.StandardKey.Undo) or event.matches(QKeySequence.StandardKey.Redo)
        ):
            event.ignore()
            return True
        return False


class ConferenceWorkspace(QWidget):
    #: The step shown changed (its key): the main window remembers it.
    sig_step = Signal(str)
    #: The chair asked to go back to the conference list.
    sig_back = Signal()
    #: Presentation mode was asked for.
    sig_present = Signal()
    #: The documents were asked for (the Close step, or Ctrl+P): the document's key, or "" for the first.
    sig_documents = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        from chair_app.gui.workspace import steps as pages

        self.setObjectName("workspace")
        self.session: EditSession | None = None
        self.binders: list = []
        self._undo_keys = _UndoKeysToWorkspace(self)

        self.title = QLabel()
        self.title.setObjectName("workspaceTitle")
        self.title.setWordWrap(True)
        self.problem_line = Notice("Last message")
        self.problem_line.hide()

        self.nav = QListWidget()
        self.nav.setObjectName("stepNavigator")
        self.nav.setAccessibleName("Steps of the conference")
        for number, (key, label) in enumerate(STEPS, start=1):
            item = QListWidgetItem(f"{number}  {label}")
            item.setData(Qt.ItemDataRole.UserRole, key)
            self.nav.addItem(item)
        self.nav.setFlow(QListView.Flow.LeftToRight)
        self.nav.setWrapping(False)
        self.nav.setSpacing(2)
        self.nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.nav.setFixedHeight(self.nav.fontMetrics().height() * 2 + 22)
        self.stack = QStackedWidget()
        self.pages = {
            "before": pages.BeforePage(self),
            "welcome": pages.WelcomePage(self),
            "mapping": pages.MappingPage(self),
            "voice": pages.VoicePage(self),
            "decision": pages.DecisionPage(self),
            "plan": pages.PlanPage(self),
            "close": pages.ClosePage(self),
        }
        for key in STEP_KEYS:
            self.stack.addWidget(self.pages[key])
        self.nav.currentRowChanged.connect(self._show_step)

        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        body = QVBoxLayout()
        body.addWidget(self.nav)
        body.addWidget(self.stack, 1)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(12, 8, 12, 8)
        lay.addLayout(header)
        lay.addWidget(self.problem_line)
        lay.addLayout(body, 1)
        self._actions()
        for widget in self.findChildren(QWidget):
            if widget.inherits("QLineEdit") or widget.inherits("QPlainTextEdit"):
                widget.installEventFilter(self._undo_keys)

    # Size ---------------------------------------------------------------------------------------------

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._fit_steps()

    def steps_fit(self, short: bool) -> bool:
        """Whether every step's tab fits the navigator's width with the full (or short) names."""
        metrics = self.nav.fontMetrics()
        padding = 2 * 12 + 2 * self.nav.spacing() + 4  # the theme's item padding, the spacing, a margin
        need = sum(
            metrics.horizontalAdvance(self._step_text(n, key, label, short)) + padding
            for n, (key, label) in enumerate(STEPS, start=1)
        )
        return need <= self.nav.width() - 2 * self.nav.frameWidth() - 8

    @staticmethod
    def _step_text(number: int, key: str, label: str, short: bool) -> str:
        return f"{number}  {SHORT_STEPS.get(key, label) if short else label}"

    def _fit_steps(self) -> None:
        """Every step's tab stays in view: the short names when the full ones do not fit, never a scrollbar."""
        short = not self.steps_fit(False)
        for n, (key, label) in enumerate(STEPS, start=1):
            item = self.nav.item(n - 1)
            item.setText(self._step_text(n, key, label, short))
            item.setToolTip(f"{label} (Alt+{n})")

    # Keyboard ----------------------------------------------------------------------------------------

    def _actions(self) -> None:
        def act(text: str, keys, slot, name: str) -> QAction:
            action = QAction(text, self)
            action.setObjectName(name)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(lambda _checked=False: slot())
            self.addAction(action)
            return action

        self.undo_action = act("Undo", ["Ctrl+Z"], self.undo, "undo")
        self.redo_action = act("Redo", ["Ctrl+Shift+Z", "Ctrl+Y"], self.redo, "redo")
        self.next_action = act("Next step", ["Ctrl+PgDown", "Alt+Right"], self.next_step, "nextStep")
        self.prev_action = act("Previous step", ["Ctrl+PgUp", "Alt+Left"], self.previous_step, "previousStep")
        act("Back to the list", ["Ctrl+L"], self.sig_back.emit, "backToList")
        act("Presentation mode", ["F5"], self.sig_present.emit, "present")
        for n, key in enumerate(STEP_KEYS, start=1):
            act(f"Go to step {n}", [f"Alt+{n}"], lambda _=False, k=key: self.go(k), f"step{n}")

    def undo(self) -> None:
        if self.session is not None:
            self.session.undo()  # through the services; refused (someone changed it since): one line says so

    def redo(self) -> None:
        if self.session is not None:
            self.session.redo()

    # Opening and moving ------------------------------------------------------------------------------

    def open(self, session: EditSession, step: str = "before") -> None:
        from chair_app.gui.workspace.conflict import ConflictAsker

        if self.session is not None:
            self.session.sig_changed.disconnect(self._changed)
            self.session.sig_problem.disconnect(self.problem)
        self.session = session
        session.sig_changed.connect(self._changed)
        session.sig_problem.connect(self.problem)
        self.conflicts = ConflictAsker(self, session)  # someone else's change met: ask (gui/workspace/conflict.py)
        self.problem_line.hide()
        for page in self.pages.values():
            page.opened()
        self._changed(None, None)
        self.go(step if step in STEP_KEYS else "before")

    def go(self, step: str) -> None:
        self.nav.setCurrentRow(STEP_KEYS.index(step))

    def jump(self, step: str, record=None, record_id=None) -> None:
        """Go to a step and to the record a checklist line names there, with the focus on it."""
        self.go(step)
        self.pages[step].show_record(record, record_id)

    def step(self) -> str:
        return STEP_KEYS[max(0, self.nav.currentRow())]

    def next_step(self) -> None:
        self.nav.setCurrentRow(min(self.nav.currentRow() + 1, len(STEPS) - 1))

    def previous_step(self) -> None:
        self.nav.setCurrentRow(max(self.nav.currentRow() - 1, 0))

    def _show_step(self, row: int) -> None:
        if row < 0:
            return
        self.end_typing()
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        page.shown()
        self.sig_step.emit(STEP_KEYS[row])

    # Edits -------------------------------------------------------------------------------------------

    def editable(self) -> bool:
        return self.session is not None and self.session.bundle.conference.record_status is not RecordStatus.FINALISED

    def refresh_binders(self, *targets) -> None:
        """Show again the fields that edit the record chosen by one of ``targets`` (a new row was chosen)."""
        for binder in self.binders:
            if binder.target in targets:
                binder.refresh()

    def end_typing(self) -> None:
        if self.session is not None:
            self.session.end_typing()

    def problem(self, text: str) -> None:
        """A refused edit: one line naming the field and the fix; the stored record is unchanged."""
        self.problem_line.say("warning", text)
        QApplication.beep()

    def clear_problem(self) -> None:
        self.problem_line.hide()

    def _changed(self, cls, record_id=None) -> None:
        """Show a change: only the binders and views that show records of that type."""
        if self.session is None:
            return
        if cls in (None, m.Conference, m.Family):
            b = self.session.bundle
            c = b.conference
            when = uk_date(c.held_on) + (c.start_time.strftime(" at %H:%M") if c.start_time else "")
            status = " (finalised: read only)" if not self.editable() else ""
            self.title.setText(f"{b.family.name}  ·  {c.kind.label}  ·  {when}  ·  {c.ref}{status}")
        for binder in self.binders:
            if cls is None or binder.kind is None or binder.kind is cls:
                binder.refresh()
        for page in self.pages.values():
            page.changed(cls, record_id)
