"""Signing the record off, and amending it afterwards: the two forms the Close step (and Ctrl+Shift+M) open.

The layouts are Qt Designer forms, ui/signoff.ui and ui/amend.ui, loaded with QUiLoader; this module fills
them from the services and keeps the behaviour. Nothing is stored until the form's button is pressed; then
the service checks everything and either stores it or refuses with one line, shown in the form, which stays
open as it was.
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QStyle,
    QVBoxLayout,
)

from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.create_dialog import load_form
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession


def _widgets(form, dialog_name: str, names: dict[str, type]) -> dict:
    found = {name: form.findChild(kind, name) for name, kind in names.items()}
    missing = [name for name, widget in found.items() if widget is None]
    if missing:
        raise RuntimeError(f"ui/{dialog_name}: no widget named {', '.join(missing)}")
    return found


class SignOffDialog(QDialog):
    """The checklist (what stops sign-off, what only warns), the chair's name, a confirmation, Sign off."""

    def __init__(self, session: EditSession, parent=None) -> None:
        super().__init__(parent)
        from chair_app.services import signoff

        self.session = session
        self.signed = None  # the conference as signed off, once it is
        self.setWindowTitle("Sign off the record")
        self.setObjectName("signOffDialog")
        apply_theme(self)
        form = load_form(UI / "signoff.ui", self)
        w = _widgets(
            form,
            "signoff.ui",
            {
                "checklist": QListWidget,
                "summary": QLabel,
                "signed_by": QLineEdit,
                "confirm": QCheckBox,
                "message": QLabel,
                "buttons": QDialogButtonBox,
            },
        )
        self.checklist, self.summary, self.signed_by = w["checklist"], w["summary"], w["signed_by"]
        self.confirm, self.message, buttons = w["confirm"], w["message"], w["buttons"]
        self.message.setObjectName("formMessage")
        self.message.hide()
        lay = QVBoxLayout(self)
        lay.addWidget(form)

        previous = session.previous
        self.ready = signoff.check_ready(session.bundle, session.policy, date.today(), previous)
        style = self.style()
        for gap in self.ready.blocking:
            item = QListWidgetItem(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxCritical), "")
            item.setText(f"Must be put right first: {gap.text}")
            self.checklist.addItem(item)
        for gap in self.ready.warnings:
            item = QListWidgetItem(style.standardIcon(QStyle.StandardPixmap.SP_MessageBoxWarning), "")
            item.setText(f"Warning only: {gap.text}")
            self.checklist.addItem(item)
        n = len(self.ready.blocking)
        if n:
            self.summary.setText(
                ("One thing" if n == 1 else f"{n} things")
                + " must be put right before the record can be signed off. Close this form and choose the line "
                "in the Close step's checklist to go to it."
            )
        elif self.ready.warnings:
            self.summary.setText("Nothing stops sign-off. The warnings above will stay as they are in the record.")
        else:
            self.summary.setText("Nothing is missing: the record is ready to sign off.")
            self.checklist.hide()
        self.signed_by.setText(session.who)
        self.sign_button = buttons.addButton("&Sign off", QDialogButtonBox.ButtonRole.AcceptRole)
        self.sign_button.setObjectName("signOff")
        buttons.accepted.connect(self.sign_off)
        buttons.rejected.connect(self.reject)
        self.confirm.toggled.connect(self._enable)
        self.signed_by.textChanged.connect(self._enable)
        self._enable()
        self.resize(640, 480)

    def _enable(self) -> None:
        from chair_app.services.signoff import sign_off_refusal

        refusal = sign_off_refusal(self.session.bundle.conference, self.signed_by.text())
        if refusal and self.signed_by.text().strip():
            self.say(refusal)
        else:
            self.message.hide()
        self.sign_button.setEnabled(not self.ready.blocking and refusal is None and self.confirm.isChecked())

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def sign_off(self) -> None:
        from chair_app.services.signoff import finalise

        if not self.sign_button.isEnabled():
            return
        try:
            self.signed = finalise(
                self.session.db,
                str(self.session.conference_id),
                who=self.signed_by.text(),
                policy=self.session.policy,
            )
        except ChairError as exc:
            self.say(str(exc))
            return
        self.accept()


NOTE = "A note to the record (no field is corrected)"


class AmendDialog(QDialog):
    """What to amend (a field of the record, or a note), what it says now, what it should say, why, who."""

    def __init__(self, session: EditSession, parent=None, record_id: uuid.UUID | None = None) -> None:
        super().__init__(parent)
        from chair_app.services import signoff

        self.session = session
        self.made = None  # the amendment, once added
        self.setWindowTitle("Amend the signed-off record")
        self.setObjectName("amendDialog")
        apply_theme(self)
        form = load_form(UI / "amend.ui", self)
        w = _widgets(
            form,
            "amend.ui",
            {
                "field": QComboBox,
                "current": QPlainTextEdit,
                "new_value": QPlainTextEdit,
                "reason": QLineEdit,
                "made_by": QLineEdit,
                "message": QLabel,
                "buttons": QDialogButtonBox,
            },
        )
        self.field, self.current, self.new_value = w["field"], w["current"], w["new_value"]
        self.reason, self.made_by, self.message, buttons = w["reason"], w["made_by"], w["message"], w["buttons"]
        self.message.setObjectName("formMessage")
        self.message.hide()
        lay = QVBoxLayout(self)
        lay.addWidget(form)

        self.fields = signoff.amendable(session.bundle)
        self.field.addItem(NOTE, None)
        for n, f in enumerate(self.fields):
            self.field.addItem(f.label, n)
        self.made_by.setText(session.who)
        self.field.currentIndexChanged.connect(self._chosen)
        chosen = next((n + 1 for n, f in enumerate(self.fields) if f.record.id == record_id), 0)
        self.field.setCurrentIndex(chosen)
        self._chosen()
        self.add_button = buttons.addButton("&Add the amendment", QDialogButtonBox.ButtonRole.AcceptRole)
        self.add_button.setObjectName("addAmendment")
        buttons.accepted.connect(self.add)
        buttons.rejected.connect(self.reject)
        self.resize(680, 520)

    def chosen_field(self):
        n = self.field.currentData()
        return None if n is None else self.fields[n]

    def _chosen(self) -> None:
        f = self.chosen_field()
        self.current.setPlainText(f.value if f else "")
        self.current.setEnabled(f is not None)
        self.new_value.setPlainText(f.value if f else "")
        self.new_value.setPlaceholderText("The corrected words" if f else "What the record should say")

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def add(self) -> None:
        from chair_app.services import signoff

        f = self.chosen_field()
        db, ref = self.session.db, self.session.conference_id
        try:
            if f is None:
                self.made = signoff.amend(
                    db, ref, who=self.made_by.text(), reason=self.reason.text(), text=self.new_value.toPlainText()
                )
            else:
                self.made = signoff.amend_field(
                    db,
                    ref,
                    who=self.made_by.text(),
                    reason=self.reason.text(),
                    record=f.record.id,
                    field_name=f.field_name,
                    value=self.new_value.toPlainText(),
                )
        except ChairError as exc:
            self.say(str(exc))
            return
        self.accept()
