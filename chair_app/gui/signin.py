"""Signing in from the window (issue 14): the form is ui/signin.ui; this module keeps the behaviour.

``ensure_signed_in`` runs when the window's database has opened: a database with accounts asks for the account
and password (the demo database was signed in as its demo chair already); a wrong password says so in the form
and leaves it open; Close Chair ends the window having opened nothing. ``apply_roles`` then hides what the
signed-in account's roles may not do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QDialog, QLineEdit, QVBoxLayout, QWidget

from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.create_dialog import load_form
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database


class SignInForm(QWidget):
    """The form's widgets, loaded from ui/signin.ui, inside any parent (the dialog or the lock screen)."""

    def __init__(self, parent: QWidget, heading: str) -> None:
        super().__init__(parent)
        form = load_form(UI / "signin.ui", self)
        lay = QVBoxLayout(self)
        lay.setContentsMargins(0, 0, 0, 0)
        lay.addWidget(form)
        self.heading = form.findChild(QWidget, "heading")
        self.account: QLineEdit = form.findChild(QLineEdit, "account")
        self.password: QLineEdit = form.findChild(QLineEdit, "password")
        self.message = form.findChild(QWidget, "message")
        self.sign_in = form.findChild(QWidget, "sign_in")
        self.cancel = form.findChild(QWidget, "cancel")
        self.heading.setText(heading)

    def say(self, text: str) -> None:
        self.message.setText(text)


class SignInDialog(QDialog):
    def __init__(self, db: Database, policy: Policy, parent=None, *, name: str = "") -> None:
        super().__init__(parent)
        self.db, self.policy = db, policy
        self.setWindowTitle("Sign in to Chair")
        self.setObjectName("signIn")
        apply_theme(self)
        self.form = SignInForm(self, "This database has accounts: sign in with yours.")
        QVBoxLayout(self).addWidget(self.form)
        self.form.account.setText(name)
        self.form.sign_in.clicked.connect(self.try_sign_in)
        self.form.cancel.clicked.connect(self.reject)
        self.form.password.returnPressed.connect(self.try_sign_in)
        (self.form.password if name else self.form.account).setFocus()

    def try_sign_in(self) -> None:
        from chair_app.services import accounts

        name, password = self.form.account.text().strip(), self.form.password.text()
        if not name:
            self.form.say("Account: type your account name")
            self.form.account.setFocus()
            return
        try:
            accounts.sign_in(self.db, self.policy, name, password)
        except ChairError as exc:
            self.form.say(str(exc))
            self.form.password.clear()
            self.form.password.setFocus()
            return
        self.form.password.clear()
        self.accept()


class UnlockDialog(QDialog):
    """The account and password that open an encrypted database, asked before it can be opened."""

    def __init__(self, parent=None, *, message: str = "", name: str = "") -> None:
        super().__init__(parent)
        self.setWindowTitle("Sign in to Chair")
        self.setObjectName("unlockDatabase")
        apply_theme(self)
        self.form = SignInForm(self, "This database is encrypted: sign in with your account to open it.")
        QVBoxLayout(self).addWidget(self.form)
        self.form.account.setText(name)
        self.form.say(message)
        self.form.sign_in.clicked.connect(self._done)
        self.form.cancel.clicked.connect(self.reject)
        self.form.password.returnPressed.connect(self._done)
        (self.form.password if name else self.form.account).setFocus()

    def _done(self) -> None:
        if not self.form.account.text().strip():
            self.form.say("Account: type your account name")
            return
        self.accept()


def ask_to_unlock(window, exc: Exception) -> bool:
    """When opening failed for want of the password (or with a wrong one), ask, and open again with it; True
    when the question was asked (opening runs again, or the window closes if the person closed Chair)."""
    from chair_app.services.context import PasswordNeeded, password_refused

    if not password_refused(exc):
        return False
    previous = getattr(window, "unlock_credentials", None)
    dialog = UnlockDialog(
        window,
        message="" if isinstance(exc, PasswordNeeded) else str(exc),
        name=previous[0] if previous else "",
    )
    window.unlock_dialog = dialog
    if not dialog.exec():
        window.close()
        return True
    window.unlock_credentials = (dialog.form.account.text().strip(), dialog.form.password.text())
    dialog.form.password.clear()
    window.tasks.start(window._open_backend, window._db_opened, window._failed)
    return True


def ensure_signed_in(window, db: Database, policy: Policy) -> bool:
    """Sign in before anything is shown from a database with accounts; False when the person closed Chair."""
    if not db.accounts_in_force() or db.signed_in is not None:
        return True
    dialog = SignInDialog(db, policy, window)
    window.signin_dialog = dialog
    return bool(dialog.exec())


def may(db: Database | None, operation: str) -> bool:
    """Whether the signed-in account may perform ``operation`` (a database without accounts: everyone may)."""
    if db is None or db.signed_in is None:
        return db is None or not db.accounts_in_force()
    return db.signed_in.may(operation)


def apply_roles(window) -> None:
    """Hide from the window what the signed-in account's roles may not do (the services refuse it anyway)."""
    db = window.db
    window.reports_button.setVisible(may(db, "measures"))
    window.queue_button.setVisible(may(db, "clerk_queue"))
    window.new_button.setVisible(may(db, "add_conference"))
    window.open_button.setVisible(may(db, "load"))
    window.documents_button.setVisible(may(db, "load"))
    if getattr(window, "restore_action", None) is not None:  # File > Restore from a backup… (gui/backup_menu.py)
        window.restore_action.setVisible(may(db, "restore"))
    window.show_title(window.title_family)  # who is signed in, in the title bar
