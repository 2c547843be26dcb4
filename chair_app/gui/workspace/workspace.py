"""The conference workspace: a step navigator that follows the meeting, and can be moved through freely.

Steps: Before, Welcome and attendance, Mapping, Child's voice, Recommendations and decision, Plan, Close.
Every edit in every step goes through the one ``EditSession`` (stored at once, undoable across the whole
workspace). The step shown is remembered on every move, so reopening after a crash returns to it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
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
# Milliseconds between building one step's page and the next after a conference opens: a real timer, so that
# paints and keys are handled between them (zero-delay calls can run back to back in one pass of the loop).
BUILD_GAP_MS = 15
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


# Controls only some roles may use (issue 14): hidden from anyone signed in whose roles may not, as the main
# window hides its own (gui/signin.apply_roles); the services refuse the operation anyway.
ROLE_CONTROLS = {
    "quorate_button": "record_quorate",
    "proceed_button": "proceed_not_quorate",
    "stand_down_button": "stand_down",
    "record_button": "record_decision",
    "reveal_button": "reveal_scores",
    "sign_button": "finalise",
    "amend_button": "amend",
}


class _Pages(dict):
    """The steps' pages by key: a page not yet built is built when it is first asked for.

    Iterating (``values()``, ``items()``) sees only the pages built so far; ``pages[key]`` always gives one.
    """

    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__()
        self.workspace = workspace

    def __missing__(self, key: str) -> QWidget:
        if key not in STEP_KEYS:
            raise KeyError(key)
        return self.workspace._build_page(key)


class ConferenceWorkspace(QWidget):
    #: The step shown changed (its key): the main window remembers it.
    sig_step = Signal(str)
    #: The chair asked to go back to the conference list.
    sig_back = Signal()
    #: Presentation mode was asked for.
    sig_present = Signal()
    #: The documents were asked for (the Close step, or Ctrl+P): the document's key, or "" for the first.
    sig_documents = Signal(str)

    #: A step's page was built (the main window makes its buttons press on Enter).
    sig_page_built = Signal(QWidget)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("workspace")
        self.session: EditSession | None = None
        self.binders: list = []
        self._undo_keys = _UndoKeysToWorkspace(self)
        self.history_panel = None  # the History panel, made when first asked for (show_history)

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
        # Each step's page is built the first time it is needed (the step shown when a conference opens), and
        # the others one per turn of the event loop after that: building all seven at once froze the window
        # for about 0.2 s on the first open. Until then a step has an empty placeholder in the stack.
        self.pages = _Pages(self)
        for _key in STEP_KEYS:
            self.stack.addWidget(QWidget())
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
        self.item_amend_actions = []
        self._undo_keys_to_workspace(self)
        self._building = False
        self._rest_after_paint = False
        self._staging: dict[str, tuple[QWidget, int]] = {}  # pages being built a part at a time (prepare)

    # The steps' pages ---------------------------------------------------------------------------------

    def _undo_keys_to_workspace(self, root: QWidget) -> None:
        for widget in root.findChildren(QWidget):
            if widget.inherits("QLineEdit") or widget.inherits("QPlainTextEdit"):
                widget.installEventFilter(self._undo_keys)

    def _build_page(self, key: str) -> QWidget:
        """Build one step's page in its place in the stack, brought up to date with the open conference."""
        if key in self._staging:  # asked for while it was being built a part at a time (prepare): the rest now
            page, known = self._staging.pop(key)
            self._empty(page.build_rest)
        else:
            known = len(self.binders)
            page = self._empty(lambda: self._page_class(key)(self))
        return self._finish_page(key, page, known)

    @staticmethod
    def _page_class(key: str) -> type:
        from chair_app.gui.workspace import steps

        return {
            "before": steps.BeforePage,
            "welcome": steps.WelcomePage,
            "mapping": steps.MappingPage,
            "voice": steps.VoicePage,
            "decision": steps.DecisionPage,
            "plan": steps.PlanPage,
            "close": steps.ClosePage,
        }[key]

    def _empty(self, build):
        """``build()`` with no session: a page is built empty, then brought up to date (_finish_page)."""
        session, self.session = self.session, None
        try:
            return build()
        finally:
            self.session = session

    def _finish_page(self, key: str, page: QWidget, known: int) -> QWidget:
        dict.__setitem__(self.pages, key, page)
        index = STEP_KEYS.index(key)
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        self._undo_keys_to_workspace(page)
        self._amend_menus(page)
        self._apply_roles(page)
        self.sig_page_built.emit(page)
        if self.session is not None:
            page.opened()
            for binder in self.binders[known:]:
                binder.refresh()
            page.changed(None, None)
        return page

    def prepare(self, step: str, then: Callable[[], None]) -> None:
        """Build ``step``'s page before the workspace shows it, then call ``then()``. A page that can be built a
        part at a time (the Before step) is built one part per turn of the event loop, so the window answers
        between the parts; asked for meanwhile (``pages[step]``), it is finished at once."""
        key = step if step in STEP_KEYS else "before"
        if key in self.pages or key in self._staging or not getattr(self._page_class(key), "STAGED", False):
            self.pages[key]
            then()
            return
        known = len(self.binders)
        page = self._empty(lambda: self._page_class(key)(self, staged=True))
        self._staging[key] = (page, known)

        def next_part() -> None:
            if self._staging.get(key, (None,))[0] is not page:  # finished meanwhile: it was asked for
                then()
                return
            if self._empty(page.build_next):
                for part in page.body.children():  # polished now, not all at once when the page is first shown
                    if part.isWidgetType():
                        part.ensurePolished()
                QTimer.singleShot(0, self, next_part)  # dropped if the workspace is gone
                return
            del self._staging[key]
            self._finish_page(key, page, known)
            then()

        QTimer.singleShot(0, self, next_part)

    def may(self, operation: str) -> bool:
        """Whether the person signed in may perform ``operation`` (a database without accounts: anyone may)."""
        from chair_app.gui.signin import may

        return self.session is None or may(self.session.db, operation)

    def _apply_roles(self, page: QWidget) -> None:
        for name, operation in ROLE_CONTROLS.items():
            control = getattr(page, name, None)
            if control is not None and not self.may(operation):
                control.hide()

    def build_all_pages(self) -> None:
        """Every step's page now (the F1 sheet lists every step's keys)."""
        for key in STEP_KEYS:
            self.pages[key]

    def _build_next_page(self) -> None:
        """Build the next step not yet built, then come back on a later turn of the event loop for the next."""
        missing = [key for key in STEP_KEYS if key not in self.pages]
        if not missing:
            self._building = False
            return
        self.pages[missing[0]]
        QTimer.singleShot(BUILD_GAP_MS, self._build_next_page)

    def _build_the_rest_soon(self) -> None:
        """The other steps' pages, one per turn, starting once the workspace has been painted (or after 250 ms,
        for a workspace never painted): building one before that delayed the first paint of the step shown."""
        if not self._building:
            self._building = True
            self._rest_after_paint = True
            QTimer.singleShot(250, self, self._start_the_rest)

    def paintEvent(self, event) -> None:
        super().paintEvent(event)
        if self._rest_after_paint:
            QTimer.singleShot(BUILD_GAP_MS, self, self._start_the_rest)

    def _start_the_rest(self) -> None:
        if self._rest_after_paint:
            self._rest_after_paint = False
            self._build_next_page()

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
        # Issue 11: the History panel, and an amendment of the item selected (a signed-off record only).
        self.history_action = act("History of changes and who saw it", ["Ctrl+H"], self.show_history, "history")
        self.amend_action = act("Amend the selected item (signed-off record)", ["Ctrl+Shift+M"], self.amend, "amend")
        for n, key in enumerate(STEP_KEYS, start=1):
            act(f"Go to step {n}", [f"Alt+{n}"], lambda _=False, k=key: self.go(k), f"step{n}")

    def _amend_menus(self, page: QWidget) -> None:
        """Every table of records on a step's page gets "Amend this item…" on its right-click menu (shown for
        a signed-off record only)."""
        from PySide6.QtWidgets import QTableView

        from chair_app.gui.workspace.common import selected_id

        for view in page.findChildren(QTableView):
            action = QAction("Amend this item…", view)
            action.setObjectName("amendItem")
            action.triggered.connect(lambda _=False, v=view: self.amend(selected_id(v)))
            action.setVisible(self.session is not None and not self.editable())
            view.addAction(action)
            view.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            self.item_amend_actions.append(action)

    def show_history(self) -> None:
        """The History panel (gui/workspace/history.py), beside the workspace, following this conference."""
        from chair_app.gui.workspace.history import HistoryPanel

        if self.session is None:
            return
        if self.history_panel is None:
            self.history_panel = HistoryPanel(self.window())
        self.history_panel.attach(self.session)
        self.history_panel.show()
        self.history_panel.raise_()
        self.history_panel.activateWindow()

    def amend(self, record_id=None) -> bool:
        """Amend the signed-off record (gui/workspace/signoff_dialogs.py), starting at the item selected in the
        table that has the focus (or ``record_id``). True when an amendment was added."""
        from PySide6.QtWidgets import QTableView

        from chair_app.gui.workspace.common import selected_id
        from chair_app.gui.workspace.signoff_dialogs import AmendDialog

        if self.session is None or self.editable():
            if self.session is not None:
                self.problem("Amend: the record is not signed off yet; change it in its step")
            return False
        if record_id is None:
            focus = QApplication.focusWidget()
            while focus is not None and not isinstance(focus, QTableView) and focus is not self:
                focus = focus.parentWidget()
            record_id = selected_id(focus) if isinstance(focus, QTableView) else None
        dialog = AmendDialog(self.session, self, record_id)
        if not dialog.exec():
            return False
        self.session.reload()
        return True

    def undo(self) -> None:
        if self.session is not None:
            self.session.undo()  # through the services; refused (someone changed it since): one line says so

    def redo(self) -> None:
        if self.session is not None:
            self.session.redo()

    # Opening and moving ------------------------------------------------------------------------------

    def open(self, session: EditSession, step: str = "before") -> None:
        """Show ``session``'s conference at ``step``: that step's page is built now, the others one at a time after."""
        from chair_app.gui.workspace.conflict import ConflictAsker

        if self.session is not None:
            self.session.sig_changed.disconnect(self._changed)
            self.session.sig_problem.disconnect(self.problem)
        self.session = session
        session.sig_changed.connect(self._changed)
        session.sig_problem.connect(self.problem)
        self.conflicts = ConflictAsker(self, session)  # someone else's change met: ask (gui/workspace/conflict.py)
        self.problem_line.hide()
        for page in list(self.pages.values()):
            page.opened()
            self._apply_roles(page)
        self._changed(None, None)
        self.go(step if step in STEP_KEYS else "before")
        self._build_the_rest_soon()

    def settling(self) -> bool:
        """True while the other steps' pages are still to be built."""
        return self._building or bool(self._staging)

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
        page = self.pages[STEP_KEYS[row]]
        self.stack.setCurrentWidget(page)
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
            for action in self.item_amend_actions:
                action.setVisible(not self.editable())
            self.title.setText(f"{b.family.name}  ·  {c.kind.label}  ·  {when}  ·  {c.ref}{status}")
        for binder in self.binders:
            if cls is None or binder.kind is None or binder.kind is cls:
                binder.refresh()
        for page in list(self.pages.values()):
            page.changed(cls, record_id)
