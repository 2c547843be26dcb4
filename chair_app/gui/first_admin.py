"""First run (issue 14): a database with no accounts asks for its first administrator before anything is shown.

The form is ui/first_admin.ui. Until the first account is made a database is open to whoever runs Chair
(docs/accounts.md), so the window started by ``chair-app`` (gui/launch.py sets ``first_run_setup``) asks for
the first administrator before it lists anything: account name, full name, the password twice (the rules are
shown: services/accounts.py checks them and its one-line refusal is shown in the form), and whether the same
account chairs conferences (a chair's own laptop). Create administrator makes the account and signs it in;
Close Chair ends the window having shown nothing. The demo database is never asked: it has its documented
demo accounts (docs/accounts.md).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QCheckBox, QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout

from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.create_dialog import load_form
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database


class FirstAdminDialog(QDialog):
    def __init__(self, db: Database, policy: Policy, parent=None) -> None:
        super().__init__(parent)
        from chair_app.services import accounts

        self.db, self.policy = db, policy
        self.setWindowTitle("Set up Chair")
        self.setObjectName("firstAdministrator")
        apply_theme(self)
        form = load_form(UI / "first_admin.ui", self)
        QVBoxLayout(self).addWidget(form)
        self.explanation: QLabel = form.findChild(QLabel, "explanation")
        self.account: QLineEdit = form.findChild(QLineEdit, "account")
        self.full_name: QLineEdit = form.findChild(QLineEdit, "full_name")
        self.password: QLineEdit = form.findChild(QLineEdit, "password")
        self.again: QLineEdit = form.findChild(QLineEdit, "again")
        self.rules: QLabel = form.findChild(QLabel, "rules")
        self.also_chair: QCheckBox = form.findChild(QCheckBox, "also_chair")
        self.message: QLabel = form.findChild(QLabel, "message")
        self.create: QPushButton = form.findChild(QPushButton, "create")
        self.cancel: QPushButton = form.findChild(QPushButton, "cancel")
        self.explanation.setText(
            "This conference record has no accounts yet, so anyone who opens Chair on this computer can read it. "
            "Create the first administrator now: from then on everyone signs in with their own account and "
            "password, and the administrator adds the others (chairs, clerks, managers)."
        )
        self.rules.setText(
            f"At least {accounts.password_min_length(policy)} characters, not starting or ending with a space. "
            "Chair cannot show it again: if it is forgotten, another administrator sets a new one, "
            "so make a second one soon."
        )
        self.create.clicked.connect(self.try_create)
        self.cancel.clicked.connect(self.reject)
        self.again.returnPressed.connect(self.try_create)
        self.account.setFocus()

    def say(self, text: str) -> None:
        self.message.setText(text)

    def try_create(self) -> None:
        from chair_app.services import accounts

        if self.password.text() != self.again.text():
            self.say("Password again: the two passwords are not the same; type them again")
            self.again.clear()
            self.again.setFocus()
            return
        try:
            accounts.first_administrator(
                self.db,
                self.policy,
                name=self.account.text(),
                full_name=self.full_name.text(),
                password=self.password.text(),
                also=("chair",) if self.also_chair.isChecked() else (),
            )
        except ChairError as exc:
            self.say(str(exc))
            field = self.account if str(exc).startswith("account") else self.password
            field.setFocus()
            return
        self.password.clear()
        self.again.clear()
        self.accept()


def ensure_first_administrator(window, db: Database, policy: Policy) -> bool:
    """Ask for the first administrator where this window sets Chair up (not the demo database) and the database
    has no accounts; False when the person closed Chair instead."""
    if not getattr(window, "first_run_setup", False) or getattr(window, "demo", False) or db.accounts_in_force():
        return True
    dialog = FirstAdminDialog(db, policy, window)
    window.first_admin_dialog = dialog
    return bool(dialog.exec())
