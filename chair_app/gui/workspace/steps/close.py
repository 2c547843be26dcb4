"""Step 7, Close: what is missing before sign-off, and the documents."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel

from chair_app.gui.workspace.common import Notice, button
from chair_app.gui.workspace.steps.base import Page

if TYPE_CHECKING:
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


class ClosePage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Close",
            "What is still missing before the record goes for sign-off, and the documents: the mapping handout "
            "for everyone in the room, the plan, the record and the letter.",
        )
        self.checklist = QLabel()
        self.checklist.setObjectName("checklist")
        self.checklist.setWordWrap(True)
        self.checklist.setTextFormat(Qt.TextFormat.PlainText)
        self.status = Notice("Ready for sign-off")
        self.lay.addWidget(self.status)
        self.lay.addWidget(self.checklist)
        row = QHBoxLayout()
        self.document_buttons = {}
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

    def changed(self, cls, record_id=None) -> None:
        if self.ws.stack.currentWidget() is self:
            self._check()

    def _check(self) -> None:
        from chair_app.services.readiness import missing_before_sign_off

        previous = self.s.previous
        gaps = missing_before_sign_off(self.bundle, self.s.policy, date.today(), previous.held_on if previous else None)
        if gaps:
            self.status.say(
                "warning", f"{len(gaps)} thing(s) still missing before sign-off. The handout can be printed now."
            )
            self.checklist.setText("\n".join(f"•  {g}" for g in gaps))
            self.checklist.show()
        else:
            self.status.say("ok", "Nothing missing: the record is ready for sign-off.")
            self.checklist.setText("")
            self.checklist.hide()
