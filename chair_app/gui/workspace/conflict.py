"""The conflict dialog: someone else changed a field this person was editing, and nothing is settled silently.

The services refuse an edit made from a stale copy (``StaleEdit``: the record's version is not the one the
person saw). The session keeps what was typed or chosen ("yours", ``EditSession.unsaved``) and emits
``sig_conflict``; ``ConflictAsker`` shows this dialog (layout: ui/conflict.ui, loaded with QUiLoader), which
says who changed the field and when (dd/mm/yyyy hh:mm, local time), their text and yours, and offers:

- Keep mine: yours is stored over theirs (``seen`` = the version that holds theirs, so a third change in the
  meantime is asked about again, never overwritten);
- Keep theirs: yours is dropped and the window shows the record as stored;
- Merge by hand: an editor prefilled with both; the text written there is stored as Keep mine is.

Closing the dialog without choosing (Decide later, Esc, the window's close button) stores nothing and reads
nothing: yours stays in the box, marked not saved (and Copy mine puts it on the clipboard first, if wanted).
The next keystroke in that box brings the dialog back, with what was typed meanwhile as yours.
"""

from __future__ import annotations

from datetime import date, datetime, time
from enum import Enum
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from chair_app.domain.dates import uk_date
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.create_dialog import load_form
from chair_app.paths import UI
from chair_app.services import workspace as ws

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import Conflict, EditSession

WIDGETS = (
    "headline",
    "who_when",
    "theirs",
    "yours",
    "merged_label",
    "merged",
    "message",
    "keep_mine",
    "keep_theirs",
    "merge",
    "save_merged",
    "copy_mine",
    "later",
)


def words(value: Any) -> str:
    """A value as the person reads it: text as it is, dates dd/mm/yyyy, choices by their label."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, datetime):
        return value.astimezone().strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return uk_date(value)
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, Enum):
        return getattr(value, "label", None) or str(value.value).replace("_", " ").capitalize()
    return str(value)


def when(at: datetime) -> str:
    """A moment in local time, dd/mm/yyyy hh:mm."""
    return at.astimezone().strftime("%d/%m/%Y %H:%M")


def _side(conflict: Conflict, values: dict[str, Any]) -> str:
    """One side of the conflict as text: a single field's value, or a line per field."""
    labels = ws.EDITABLE.get(conflict.cls, {})
    if len(conflict.yours) == 1:
        return words(values.get(next(iter(conflict.yours))))
    return "\n".join(f"{labels.get(name, name)}: {words(values.get(name))}" for name in conflict.yours)


class ConflictDialog(QDialog):
    """One conflict, asked about until the person chooses (or closes it: decide later)."""

    def __init__(self, session: EditSession, conflict: Conflict, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.session, self.conflict = session, conflict
        self.choice: str | None = None  # "mine", "theirs", "merged" once settled
        self.setObjectName("conflictDialog")
        self.setWindowTitle("Changed by someone else")
        self.setWindowModality(Qt.WindowModality.WindowModal)
        apply_theme(self)
        form = load_form(UI / "conflict.ui", self)
        lay = QVBoxLayout(self)
        lay.addWidget(form)
        for name in WIDGETS:
            widget = form.findChild(QWidget, name)
            if widget is None:
                raise RuntimeError(f"ui/conflict.ui: no widget named {name}")
            setattr(self, name, widget)
        self.headline: QLabel
        self.who_when: QLabel
        self.theirs: QPlainTextEdit
        self.yours: QPlainTextEdit
        self.merged: QPlainTextEdit
        self.message: QLabel
        self.keep_mine: QPushButton
        self.keep_theirs: QPushButton
        self.merge: QPushButton
        self.save_merged: QPushButton
        self.copy_mine: QPushButton
        self.later: QPushButton
        self.headline.setObjectName("dialogHeadline")
        self.merged_label.hide()
        self.merged.hide()
        self.save_merged.hide()
        self.message.hide()
        self.keep_mine.clicked.connect(self.choose_mine)
        self.keep_theirs.clicked.connect(self.choose_theirs)
        self.merge.clicked.connect(self.start_merge)
        self.save_merged.clicked.connect(self.choose_merged)
        self.copy_mine.clicked.connect(self.copy)
        self.later.clicked.connect(self.reject)
        for button in (self.keep_mine, self.keep_theirs, self.merge, self.save_merged, self.copy_mine, self.later):
            button.setAutoDefault(False)
        self.show_conflict()
        self.resize(760, 520)

    # What is shown -------------------------------------------------------------------------------------

    def show_conflict(self) -> None:
        """Fill the dialog from the conflict (again after the person typed on, or someone changed it again)."""
        c, stale = self.conflict, self.conflict.stale
        labels = ws.EDITABLE.get(c.cls, {})
        fields = ", ".join(labels.get(name, name) for name in c.yours)
        who = stale.who or "Someone"
        if stale.removed:
            by = f"{stale.who} removed it at {when(stale.at)}" if stale.who else "someone else removed it"
            self.who_when.setText(
                f"The record you were changing ({fields}) is no longer there: {by}, after you opened it. What you "
                "typed was not stored: copy it if you need it, then choose Keep theirs to accept the removal."
            )
        else:
            self.who_when.setText(
                f"{who} changed {fields} at {when(stale.at)}, after you opened it. Nothing has been overwritten: "
                "choose which text to keep."
            )
        self.theirs.setPlainText("(removed)" if stale.removed else _side(c, stale.theirs))
        self.yours.setPlainText(_side(c, c.yours))
        text_field = len(c.yours) == 1 and isinstance(next(iter(c.yours.values())), str)
        self.keep_mine.setEnabled(not stale.removed)
        self.merge.setEnabled(text_field and not stale.removed)
        self.merge.setVisible(text_field)

    def updated(self) -> None:
        """The person typed on, or a Keep mine met yet another change: show it, keeping a merge in hand."""
        self.show_conflict()
        if self.conflict.stale.removed:
            self.say("It has been removed since: your text was not stored.")

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # Choices -----------------------------------------------------------------------------------------

    def choose_mine(self) -> None:
        self._store(None, "mine")

    def start_merge(self) -> None:
        c = self.conflict
        name = next(iter(c.yours))
        theirs, yours = c.stale.theirs.get(name) or "", c.yours[name] or ""
        self.merged.setPlainText(f"{theirs}\n\n{yours}" if theirs and yours else theirs or yours)
        for widget in (self.merged_label, self.merged, self.save_merged):
            widget.show()
        self.merged.setFocus()

    def choose_merged(self) -> None:
        name = next(iter(self.conflict.yours))
        self._store({name: self.merged.toPlainText()}, "merged")

    def _store(self, values: dict[str, Any] | None, choice: str) -> None:
        before = self.conflict.stale
        if self.session.keep_mine(self.conflict, values):
            self.choice = choice
            self.accept()
        elif self.conflict.stale is not before:  # changed once more meanwhile: shown, and asked again
            again = self.conflict.stale
            self.say(f"{again.who or 'Someone'} changed it again at {when(again.at)}: look again, then choose.")
        else:  # refused for another reason (the session's one line is on the workspace): the dialog stays open
            self.say("That could not be stored; the line at the top of the workspace says why. Nothing was changed.")

    def choose_theirs(self) -> None:
        self.choice = "theirs"
        self.session.keep_theirs(self.conflict)
        self.accept()

    def copy(self) -> None:
        QApplication.clipboard().setText(self.yours.toPlainText())
        self.say("Your text is on the clipboard.")

    def reject(self) -> None:
        """Closed without a choice: nothing is stored, yours stays in the box marked not saved."""
        self.session.decide_later(self.conflict)
        super().reject()


class ConflictAsker(QObject):
    """Shows the conflict dialog for each conflict the workspace's session meets (one dialog per conflict)."""

    def __init__(self, workspace, session: EditSession) -> None:
        super().__init__(workspace)
        self.workspace, self.session = workspace, session
        self.dialogs: dict[int, ConflictDialog] = {}
        session.sig_conflict.connect(self.ask)
        session.sig_conflict_updated.connect(self.updated)
        session.destroyed.connect(self.deleteLater)

    def dialog(self) -> ConflictDialog | None:
        """The conflict dialog showing, if any."""
        return next((d for d in self.dialogs.values() if d.isVisible()), None)

    def ask(self, conflict: Conflict) -> None:
        if self.workspace.session is not self.session:
            return
        dialog = self.dialogs.get(id(conflict))
        if dialog is None:
            dialog = ConflictDialog(self.session, conflict, self.workspace.window())
            self.dialogs[id(conflict)] = dialog
            dialog.finished.connect(lambda _result, c=conflict, d=dialog: self._finished(c, d))
        else:
            dialog.updated()
        if not dialog.isVisible():
            dialog.open()

    def updated(self, conflict: Conflict) -> None:
        self.ask(conflict)

    def _finished(self, conflict: Conflict, dialog: ConflictDialog) -> None:
        self.dialogs.pop(id(conflict), None)
        stale = conflict.stale
        who = stale.who or "someone"
        if dialog.choice == "mine":
            self.workspace.problem_line.say("info", f"Your text was kept, in place of {who}'s.")
        elif dialog.choice == "merged":
            self.workspace.problem_line.say("info", f"The merged text was stored, in place of {who}'s.")
        elif dialog.choice == "theirs":
            self.workspace.problem_line.say("info", f"{who}'s text was kept; yours was dropped.")
        else:
            self.workspace.problem_line.say(
                "warning",
                f"Not saved: {who} changed this at {when(stale.at)}. Your text stays in the box, marked not "
                "saved; type in it to choose again.",
            )
        dialog.deleteLater()
