"""Conference > Merge family records…: two records of one family (issue 13).

The form is a Qt Designer file, ui/merge_family.ui, loaded with QUiLoader; this module keeps the behaviour. It
shows the chosen conference's family and the other family records the register suggests may be the same family
(or a conference reference typed), and which record is kept: by default the one with finalised conferences,
whose records cannot change. Nothing is merged until the person says yes to a question naming both families and
their children; the merge is one journal entry, and "Undo the merge" takes it back. A refusal is shown in the
form as the service's one line, and nothing is stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
)

from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.services.register import FamilyMerge, FamilySuggestion
    from chair_app.store.engine import Database


def _children(s: FamilySuggestion) -> str:
    return ", ".join(s.children) or "no children recorded"


class MergeFamilyDialog(QDialog):
    def __init__(self, db: Database, ref: str, who: str, parent=None) -> None:
        super().__init__(parent)
        from chair_app.gui.workspace.create_dialog import load_form
        from chair_app.services.register import families_like

        self.db, self.ref, self.who = db, ref, who
        self.merged: FamilyMerge | None = None
        self.setWindowTitle("Merge family records")
        self.setObjectName("mergeFamily")
        apply_theme(self)
        form = load_form(UI / "merge_family.ui", self)
        QVBoxLayout(self).addWidget(form)
        self.this, self.suggestions = families_like(db, ref)
        form.findChild(QLabel, "this_family").setText(
            f"<b>{self.this.name}</b> ({_children(self.this)}). Two records of one family (made by two New "
            "conference actions, or by an import) can be merged into one: all the conferences and children of "
            "the record not kept move to the one kept. The register suggests:"
        )
        self.other = form.findChild(QComboBox, "other")
        for s in self.suggestions:
            self.other.addItem(s.line, s.ref)
        if not self.suggestions:
            self.other.addItem("No other family record looks the same: type a conference of it below", "")
        self.other_ref = form.findChild(QLineEdit, "other_ref")
        self.keep_this = form.findChild(QRadioButton, "keep_this")
        self.keep_other = form.findChild(QRadioButton, "keep_other")
        self.message = form.findChild(QLabel, "message")
        self.message.hide()
        self.merge_button = form.findChild(QPushButton, "merge_button")
        self.undo_button = form.findChild(QPushButton, "undo_button")
        self.merge_button.clicked.connect(self.merge)
        self.undo_button.clicked.connect(self.undo)
        self.other.currentIndexChanged.connect(self._keep_the_finalised)
        form.findChild(QDialogButtonBox, "buttons").rejected.connect(self.reject)
        self.ask = self._ask  # replaced in tests by the person's answer
        self._keep_the_finalised()
        self.resize(640, 340)

    def _keep_the_finalised(self) -> None:
        """The record with finalised conferences is the one kept: its records cannot change."""
        i = self.other.currentIndex()
        chosen = self.suggestions[i] if 0 <= i < len(self.suggestions) else None
        if chosen is not None and chosen.finalised and not self.this.finalised:
            self.keep_other.setChecked(True)
            self.say(f"{chosen.name} has a signed-off conference, so its record is the one kept")
        else:
            self.keep_this.setChecked(True)
            self.message.hide()

    def other_choice(self) -> str:
        return self.other_ref.text().strip() or (self.other.currentData() or "")

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def _ask(self, question: str) -> bool:
        answer = QMessageBox.question(self, "Merge family records?", question)
        return answer == QMessageBox.StandardButton.Yes

    def merge(self) -> None:
        from chair_app.services.register import family_merge_preview, merge_families

        other = self.other_choice()
        if not other:
            self.say("The same family as: choose a family record, or type a conference of it")
            return
        keep, drop = (self.ref, other) if self.keep_this.isChecked() else (other, self.ref)
        try:
            kept, dropped = family_merge_preview(self.db, keep, drop)
            question = (
                f"Merge {dropped.name} ({', '.join(dropped.children) or 'no children recorded'}) into "
                f"{kept.name} ({', '.join(kept.children) or 'no children recorded'})?\n\n"
                f"All conferences and children of {dropped.name} will be in {kept.name}. It can be undone."
            )
            if kept.family_id != dropped.family_id and not self.ask(question):
                self.say("Nothing was changed")
                return
            self.merged = merge_families(self.db, keep, drop, who=self.who)
        except ChairError as exc:
            self.say(str(exc))
            return
        from chair_app.services.register import children_twice

        twice = [child.full_name for child, _match in children_twice(self.db, self.ref)]
        next_step = " (merge their records next: Conference > Merge child records…)"
        self.say(self.merged.line + (f". Recorded twice, it seems: {', '.join(twice)}{next_step}" if twice else ""))
        self.merge_button.setEnabled(False)
        self.undo_button.setEnabled(True)

    def undo(self) -> None:
        from chair_app.services.register import undo_family_merge

        if self.merged is None:
            return
        try:
            undo_family_merge(self.db, self.merged.entry, who=self.who)
        except ChairError as exc:
            self.say(str(exc))
            return
        self.say(f"The merge is undone: {self.merged.dropped} and {self.merged.kept} are separate again")
        self.merged = None
        self.merge_button.setEnabled(True)
        self.undo_button.setEnabled(False)


def add_family_merge_action(window, menu) -> None:
    """Conference > Merge family records… (the chosen conference's family and another record of it)."""
    action = QAction("&Merge family records…", window)
    action.setObjectName("mergeFamilyAction")
    action.setStatusTip("Two records of one family: move one's conferences and children to the other")
    action.triggered.connect(lambda _checked=False: open_family_merge(window))
    menu.addAction(action)
    window.merge_family_action = action


def open_family_merge(window) -> None:
    from chair_app.gui.continuity_dialog import chosen_family_ref

    ref = chosen_family_ref(window)
    if ref is None:
        return
    window.merge_family_dialog = MergeFamilyDialog(window.db, ref, window.who(), window)
    window.merge_family_dialog.finished.connect(lambda _result: _after(window))
    window.merge_family_dialog.show()


def _after(window) -> None:
    """The list (and a conference open in the workspace) show the families as they now are."""
    if window.merge_family_dialog.merged is not None:
        window.statusBar().showMessage(
            f"Merged {window.merge_family_dialog.merged.dropped} into {window.merge_family_dialog.merged.kept}"
        )
    window.refresh()
    if window.in_workspace():
        window.session.reload()
