"""Conference > Merge child records…: a child recorded twice in one family (issue 13).

The form is a Qt Designer file, ui/merge_children.ui, loaded with QUiLoader; this module keeps the behaviour. It
lists the pairs of records in the chosen conference's family that the register says may be one child (after a
family merge, each child typed in both records; or a child typed twice), the older record first: that one is
kept and the later one is recorded as the same child (both stay stored; the measures count one child). Nothing
is merged until the person says yes to a question naming both records; "Undo the last merge" takes it back. A
refusal (two different local child IDs, a record merged already) is the service's one line in the form, and
nothing is stored.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel, QListWidget, QListWidgetItem

from chair_app.domain.dates import uk_date
from chair_app.domain.errors import ChairError
from chair_app.gui.merge_form import MergeForm, add_merge_action

if TYPE_CHECKING:
    from chair_app.domain import model as m
    from chair_app.services.register import ChildMatch
    from chair_app.store.engine import Database


def _born(day: date | None) -> str:
    """ "born 15/05/2023", or "due 04/06/2027" for a child not yet born."""
    if day is None:
        return "date of birth not recorded"
    return f"{'due' if day > date.today() else 'born'} {uk_date(day)}"


def _record(child: m.Child) -> str:
    ident = f", local child ID {child.local_child_id}" if child.local_child_id else ""
    return f"{child.full_name} ({_born(child.date_of_birth or child.expected_date_of_birth)}{ident})"


def _match(match: ChildMatch) -> str:
    ident = f", local child ID {match.local_child_id}" if match.local_child_id else ""
    return f"{match.name} ({_born(match.date_of_birth)}{ident}), {match.family}"


class MergeChildrenDialog(MergeForm):
    FORM = "merge_children.ui"
    TITLE = "Merge child records"
    NAME = "mergeChildren"
    SIZE = (640, 360)

    def __init__(self, db: Database, ref: str, who: str, parent=None) -> None:
        super().__init__(db, ref, who, parent)
        self.merged: list[tuple[str, uuid.UUID]] = []  # (the child's name, the later record's id), newest last
        self.form.findChild(QLabel, "intro").setText(
            "A child recorded twice in one family (typed in two family records that were merged, or typed twice) "
            "can be recorded as one child: the older record is kept, the later one is marked as the same child. "
            "Both stay stored, and the measures count the child once."
        )
        self.pairs = self.form.findChild(QListWidget, "pairs")
        self.fill()

    def done_line(self) -> str | None:
        return "Child records merged: the measures count each child once" if self.merged else None

    def fill(self) -> None:
        """The register's pairs as they are now (a merge removes its pair; an undo brings it back)."""
        from chair_app.services.register import children_twice

        self.pairs.clear()
        try:
            found = children_twice(self.db, self.ref)
        except ChairError as exc:
            self.say(str(exc))
            found = []
        for child, match in found:
            item = QListWidgetItem(f"{_record(child)}\nand {_match(match)}: {match.how}")
            item.setData(Qt.ItemDataRole.UserRole, (child, match))
            self.pairs.addItem(item)
        if found:
            self.pairs.setCurrentRow(0)
        elif not self.message.text():
            self.say("No child in this family seems to be recorded twice")
        self.merge_button.setEnabled(bool(found))

    def chosen(self) -> tuple[m.Child, ChildMatch] | None:
        item = self.pairs.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item is not None else None

    def merge(self) -> None:
        from chair_app.services.register import merge_children

        pair = self.chosen()
        if pair is None:
            self.say("Children who seem to be recorded twice: choose the pair to merge")
            return
        kept, match = pair
        question = (
            f"Record {_match(match)} as the same child as {_record(kept)}?\n\n"
            f"The register matched them: {match.how}. The older record is kept; it can be undone."
        )
        if not self.ask(question):
            self.say("Nothing was changed")
            return
        try:
            merge_children(self.db, kept.id, match.child_id, who=self.who)
        except ChairError as exc:
            self.say(str(exc))
            return
        self.merged.append((match.name, match.child_id))
        self.say(f"Merged: the later record of {match.name} now counts as the same child as the older one")
        self.undo_button.setEnabled(True)
        self.fill()

    def undo(self) -> None:
        from chair_app.services.register import undo_merge

        if not self.merged:
            return
        name, child_id = self.merged[-1]
        try:
            undo_merge(self.db, child_id, who=self.who)
        except ChairError as exc:
            self.say(str(exc))
            return
        self.merged.pop()
        self.say(f"The merge is undone: the later record of {name} is a child of its own again")
        self.undo_button.setEnabled(bool(self.merged))
        self.fill()


def add_child_merge_action(window, menu) -> None:
    """Conference > Merge child records… (the chosen conference's family)."""
    add_merge_action(
        window,
        menu,
        text="Merge &child records…",
        name="mergeChildrenAction",
        tip="A child recorded twice in one family: record the two as one child",
        attribute="merge_children",
        dialog=MergeChildrenDialog,
    )
