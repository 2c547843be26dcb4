"""Step 7, Close: what is missing before sign-off, the documents, signing the record off and amending it.

The checklist marks what the policy says must be put right before sign-off; "Sign off the record…" opens the
sign-off form (ui/signoff.ui), after which the workspace is read only and this step says who signed it off
and when; "Amend the record…" (a signed-off record only) opens the amendment form (ui/amend.ui).
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractItemView, QHBoxLayout, QListWidget, QListWidgetItem

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import RecordStatus
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
        self.dissents = Notice("Dissents")  # issue 14: each dissent, escalated ones with the day the answer is due
        self.lay.addWidget(self.dissents)
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
        self.signed = Notice("Sign-off")
        self.lay.addWidget(self.signed)
        sign_row = QHBoxLayout()
        self.sign_button = button(
            "&Sign off the record…",
            "The chair signs the record off: from then on it changes only by amendments",
            self.sign_off,
        )
        self.sign_button.setObjectName("signOffButton")
        self.amend_button = button(
            "A&mend the record…",
            "Correct a field of the signed-off record, or add a note: the reason, who and when are kept "
            "(Ctrl+Shift+M amends the item selected in any step)",
            lambda _=False: self.ws.amend(),
        )
        self.amend_button.setObjectName("amendButton")
        sign_row.addWidget(self.sign_button)
        sign_row.addWidget(self.amend_button)
        sign_row.addStretch(1)
        self.lay.addLayout(sign_row)
        self.lay.addStretch(1)

    def shown(self) -> None:
        self._check()
        if self.gaps:
            self.checklist.setFocus()

    def opened(self) -> None:
        self._signed_off()

    def changed(self, cls, record_id=None) -> None:
        if cls is None or cls is m.Conference:
            self._signed_off()
        if self.ws.stack.currentWidget() is self:
            self._check()

    def _signed_off(self) -> None:
        """Who signed the record off and when; which of the two buttons applies."""
        c = self.bundle.conference
        final = c.record_status is RecordStatus.FINALISED
        if final:
            when = f" on {uk_date(c.finalised_at.date())}" if c.finalised_at else ""
            n = len(self.bundle.amendments)
            amended = f"; {n} amendment{'s' if n != 1 else ''} since" if n else ""
            self.signed.say("ok", f"Signed off by {c.signed_off_by or 'the chair'}{when}{amended}. Read only.")
        else:
            self.signed.hide()
        self.sign_button.setVisible(not final and self.ws.may("finalise"))
        self.amend_button.setVisible(final and self.ws.may("amend"))

    def sign_off(self) -> bool:
        """The sign-off form; once signed, the workspace shows the record read only. True when signed."""
        from chair_app.gui.workspace.signoff_dialogs import SignOffDialog

        self.ws.end_typing()
        dialog = SignOffDialog(self.s, self)
        if not dialog.exec():
            return False
        self.s.reload()
        return True

    def _show_dissents(self) -> None:
        from chair_app.services.agreements import dissent_lines

        lines = dissent_lines(self.bundle, self.s.policy, date.today())
        if lines:
            self.dissents.say("warning" if any("escalated" in x for x in lines) else "info", "\n".join(lines))
        else:
            self.dissents.hide()

    def _check(self) -> None:
        from chair_app.services.readiness import gaps_before_sign_off

        self._show_dissents()
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
        if self.bundle.conference.record_status is RecordStatus.FINALISED:
            self.status.hide()
            self.checklist.hide()
            return
        if self.gaps:
            n = len(self.gaps)
            self.status.say(
                "warning",
                ("One thing is" if n == 1 else f"{n} things are") + " still missing before sign-off (Enter on "
                "one goes to it). The handout can be printed now.",
            )
            blocking = set(self.s.policy.sign_off_blocking)
            for gap in self.gaps:
                item = QListWidgetItem(
                    gap.text + (" (must be put right before sign-off)" if gap.kind in blocking else "")
                )
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
