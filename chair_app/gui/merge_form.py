"""What the two merge windows share (gui/family_merge.py, gui/child_merge.py).

Each is a Qt Designer form (ui/merge_family.ui, ui/merge_children.ui) with a message line, a Merge button, an
Undo button and Close. Nothing is merged until the person answers Yes to the question the window asks, naming
both records; a refusal is the service's one line in the message; closing the window refreshes the list and a
conference open in the workspace, and says in the status bar what was merged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QMessageBox, QPushButton, QVBoxLayout, QWidget

from chair_app.gui.theme import apply_theme
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.store.engine import Database


class MergeForm(QDialog):
    """The form loaded, its message, Merge and Undo wired to ``merge`` and ``undo``, and ``ask`` (a Yes/No
    question titled after the window; tests replace it with the person's answer). A window names its form,
    title, object name and size as class attributes."""

    FORM = ""
    TITLE = ""
    NAME = ""
    SIZE = (640, 340)

    def __init__(self, db: Database, ref: str, who: str, parent=None) -> None:
        super().__init__(parent)
        from chair_app.gui.workspace.create_dialog import load_form

        self.db, self.ref, self.who = db, ref, who
        self.setWindowTitle(self.TITLE)
        self.setObjectName(self.NAME)
        apply_theme(self)
        self.form: QWidget = load_form(UI / self.FORM, self)
        QVBoxLayout(self).addWidget(self.form)
        self.message = self.form.findChild(QLabel, "message")
        self.merge_button = self.form.findChild(QPushButton, "merge_button")
        self.undo_button = self.form.findChild(QPushButton, "undo_button")
        self.merge_button.clicked.connect(self.merge)
        self.undo_button.clicked.connect(self.undo)
        self.form.findChild(QDialogButtonBox, "buttons").rejected.connect(self.reject)
        self.ask = self._ask
        self.resize(*self.SIZE)

    def merge(self) -> None:
        raise NotImplementedError

    def undo(self) -> None:
        raise NotImplementedError

    def done_line(self) -> str | None:
        """What the status bar says when the window closes having merged something; None: nothing merged."""
        return None

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, f"{self.windowTitle()}?", question)
        return answer == QMessageBox.StandardButton.Yes


def add_merge_action(window, menu, *, text: str, name: str, tip: str, attribute: str, dialog: type[MergeForm]) -> None:
    """A Conference menu action opening ``dialog`` for the chosen conference's family, kept as
    ``window.<attribute>_action``; the open window is ``window.<attribute>_dialog``."""
    action = QAction(text, window)
    action.setObjectName(name)
    action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: open_merge(window, dialog, attribute))
    menu.addAction(action)
    setattr(window, f"{attribute}_action", action)


def open_merge(window, dialog: type[MergeForm], attribute: str) -> None:
    from chair_app.gui.continuity_dialog import chosen_family_ref

    ref = chosen_family_ref(window)
    if ref is None:
        return
    shown = dialog(window.db, ref, window.who(), window)
    setattr(window, f"{attribute}_dialog", shown)
    shown.finished.connect(lambda _result: _after(window, shown))
    shown.show()


def _after(window, dialog: MergeForm) -> None:
    """The list (and a conference open in the workspace) show the records as they now are."""
    line = dialog.done_line()
    if line:
        window.statusBar().showMessage(line)
    window.refresh()
    if window.in_workspace():
        window.session.reload()
