"""Step 7, Close: what is missing before sign-off, and the documents."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QListWidget, QListWidgetItem

from chair_app.gui.workspace.common import Notice, button
from chair_app.gui.workspace.steps.base import Page

if TYPE_CHECKING:
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


class Checklist(QListWidget):
    """The missing things, one line each; Enter (or a double click) on one goes to it."""

    def text(self) -> str:
        """The lines as plain text, one per line."""
        return "\n".join(self.item(row).text() for row in range(self.count()))


class ClosePage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Close",
            "What is still missing before the record goes for sign-off, and the documents: the mapping handout "
            "for everyone in the room, the plan, the record and the letter.",
        )
        self.checklist = Checklist()
        self.checklist.setObjectName("checklist")
        self.checklist.setAccessibleName("Still missing before sign-off: Enter goes to the thing named")
        self.checklist.setWordWrap(True)
        self.checklist.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.checklist.setMinimumHeight(160)
        self.checklist.itemActivated.connect(self._go_to)
        self.status = Notice("Ready for sign-off")
        self.lay.addWidget(self.status)
        self.lay.addWidget(self.checklist)
        row = QHBoxLayout()
        self.document_buttons = {}
        self.gaps = []
        for key, text, tip in (
            ("handout-copies", "&Handouts for everyone…", "A personalised mapping handout for each attendee"),
            ("plan", "Child protection &plan…", "The outline child protection plan"),
            ("record", "Conference &record…", "The record of the conference"),
            ("letter", "Decision &letters…", "The letter to each parent or carer"),
        ):
            b = button(
                text, tip + ": preview, print or save (Ctrl+P)", lambda _=False, k=key: workspace.sig_documents.emit(k)
            )
            self.document_buttons[key] = b
            row.addWidget(b)
        self.lay.addLayout(row)
        self.lay.addStretch(1)

    def shown(self) -> None:
        self._check()
        if self.gaps:
            self.checklist.setFocus()

    def changed(self, cls, record_id=None) -> None:
        if self.ws.stack.currentWidget() is self:
            self._check()

    def _check(self) -> None:
        from chair_app.services.readiness import gaps_before_sign_off

        previous = self.s.previous
        self.gaps = gaps_before_sign_off(
            self.bundle,
            self.s.policy,
            date.today(),
            previous.held_on if previous else None,
            previous.quoracy_outcome if previous else None,
        )
        chosen = self.checklist.currentRow()
        self.checklist.clear()
        if self.gaps:
            n = len(self.gaps)
            self.status.say(
                "warning",
                ("One thing is" if n == 1 else f"{n} things are") + " still missing before sign-off (Enter on "
                "one goes to it). The handout can be printed now.",
            )
            for gap in self.gaps:
                item = QListWidgetItem(gap.text)
                item.setData(Qt.ItemDataRole.UserRole, self.gaps.index(gap))
                self.checklist.addItem(item)
            self.checklist.setCurrentRow(min(max(chosen, 0), n - 1))
            self.checklist.show()
        else:
            self.status.say("ok", "Nothing missing: the record is ready for sign-off.")
            self.checklist.hide()

    def _go_to(self, item: QListWidgetItem) -> None:
        gap = self.gaps[item.data(Qt.ItemDataRole.UserRole)]
        self.ws.jump(gap.step, gap.record, gap.record_id)

    def show_record(self, record, record_id) -> None:
        self.checklist.setFocus()
