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

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QRadioButton

from chair_app.domain.errors import ChairError
from chair_app.gui.merge_form import MergeForm, add_merge_action

if TYPE_CHECKING:
    from chair_app.services.register import FamilyMerge, FamilySuggestion
    from chair_app.store.engine import Database


def _children(s: FamilySuggestion) -> str:
    return ", ".join(s.children) or "no children recorded"


class MergeFamilyDialog(MergeForm):
    FORM = "merge_family.ui"
    TITLE = "Merge family records"
    NAME = "mergeFamily"
    SIZE = (640, 340)

    def __init__(self, db: Database, ref: str, who: str, parent=None) -> None:
        super().__init__(db, ref, who, parent)
        from chair_app.services.register import families_like

        self.merged: FamilyMerge | None = None
        form = self.form
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
        self.message.hide()
        self.other.currentIndexChanged.connect(self._keep_the_finalised)
        self._keep_the_finalised()

    def done_line(self) -> str | None:
        return f"Merged {self.merged.dropped} into {self.merged.kept}" if self.merged is not None else None

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
    add_merge_action(
        window,
        menu,
        text="&Merge family records…",
        name="mergeFamilyAction",
        tip="Two records of one family: move one's conferences and children to the other",
        attribute="merge_family",
        dialog=MergeFamilyDialog,
    )
