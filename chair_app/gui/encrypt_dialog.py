"""Asking once to encrypt a plain laptop database (issue 14): the form is ui/encrypt.ui; this module keeps the
behaviour.

When the window has opened a plain SQLite database, the policy's ``[encryption] laptop_databases_encrypted``
is true and the signed-in account may convert it (an administrator), the form says what will happen and asks
for that account's password: Convert now checks the password, lets go of the database (list, change watcher,
idle lock), converts it on the thread pool (services/encryption.encrypt_database: every row copied and counted
on both sides, the plain copy overwritten and removed) with its steps on a progress bar, then opens the
encrypted database again signed in as the same person (gui/reopen.py). Not now is remembered for this
database, in a small file beside the place file (a hash of the database's path and the time: nothing
personal), and the form comes back after the policy's ``ask_again_days``.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QProgressBar, QPushButton, QVBoxLayout

from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.create_dialog import load_form
from chair_app.paths import UI


def asked_file(window) -> Path:
    """Where "Not now" is remembered: beside the window's place file."""
    return window.place_file().with_name("encryption-asked.json")


def offer_encryption(window) -> EncryptDialog | None:
    """Show the form (not blocking the window) when this database should be offered for encryption."""
    from chair_app.services.encryption import offer_needed

    if window.db is None or window.policy is None:
        return None
    path = offer_needed(window.db, window.policy, asked_file(window))
    if path is None:
        return None
    dialog = EncryptDialog(window, path)
    window.encrypt_dialog = dialog
    dialog.open()
    return dialog


class _Steps(QObject):
    """Carries the conversion's steps from the worker thread to the progress bar (a queued signal)."""

    sig_step = Signal(int)


class EncryptDialog(QDialog):
    def __init__(self, window, path: Path) -> None:
        super().__init__(window)
        from chair_app.services import accounts
        from chair_app.services.encryption import STEPS

        self.window_, self.path = window, path
        self.setWindowTitle("Encrypt the conference record")
        self.setObjectName("encryptDatabase")
        apply_theme(self)
        form = load_form(UI / "encrypt.ui", self)
        QVBoxLayout(self).addWidget(form)
        self.heading: QLabel = form.findChild(QLabel, "heading")
        self.explanation: QLabel = form.findChild(QLabel, "explanation")
        self.password: QLineEdit = form.findChild(QLineEdit, "password")
        self.progress: QProgressBar = form.findChild(QProgressBar, "progress")
        self.message: QLabel = form.findChild(QLabel, "message")
        self.convert: QPushButton = form.findChild(QPushButton, "convert")
        self.not_now: QPushButton = form.findChild(QPushButton, "not_now")
        db = window.db
        self.name = db.signed_in.name
        self.known = (
            {n: accounts.DEMO_PASSWORD for n, _full, _roles in accounts.DEMO_ACCOUNTS}
            if getattr(window, "demo", False)
            else {}
        )
        try:
            listed = accounts.list_accounts(db)
        except ChairError:  # a policy that lets a role convert without listing accounts: the form says less
            listed = []
        others = [a.name for a in listed if a.name != self.name and a.name not in self.known]
        self.explanation.setText(_explanation(path, self.name, others))
        self.progress.setRange(0, len(STEPS))
        self.steps = _Steps(self)
        self.steps.sig_step.connect(self._step)
        self.convert.clicked.connect(self.start)
        self.not_now.clicked.connect(self.later)
        self.password.returnPressed.connect(self.start)
        self.password.setFocus()

    # Not now -----------------------------------------------------------------------------------------

    def later(self) -> None:
        from chair_app.services.encryption import note_not_now

        note_not_now(asked_file(self.window_), self.path)
        self.window_.statusBar().showMessage("Not encrypted: Chair asks again in a few days (your policy)")
        self.reject()

    def reject(self) -> None:
        if self.convert.isEnabled():  # not while the conversion runs: the database is half-way
            super().reject()

    # Convert now -------------------------------------------------------------------------------------

    def start(self) -> None:
        password = self.password.text()
        if not password:
            self.message.setText("Password: type your own password; it will unlock the database from now on")
            return
        self._busy(True)
        self.message.setText("Checking your password…")
        from chair_app.services import accounts

        db = self.window_.db
        self.window_.tasks.start(
            lambda: accounts.check_password(db, password), lambda ok: self._checked(ok, password), self._failed
        )

    def _checked(self, ok: bool, password: str) -> None:
        if not ok:
            self._busy(False)
            self.message.setText("Password: it is not right; type it again")
            self.password.clear()
            self.password.setFocus()
            return
        window = self.window_
        if window.in_workspace():
            window.back_to_list()
        for part in ("live", "idle_lock"):  # nothing may hold the plain file while it is copied and replaced
            running = getattr(window, part, None)
            if running is not None:
                running.stop()
                setattr(window, part, None)
        from chair_app.services.encryption import encrypt_database

        db, known, steps = window.db, self.known, self.steps
        self.progress.show()
        window.tasks.start(
            lambda: encrypt_database(db, password, known=known, progress=steps.sig_step.emit),
            lambda done: self._converted(done, password),
            self._failed_converting,
        )

    def _step(self, n: int) -> None:
        from chair_app.services.encryption import STEPS

        self.progress.setValue(n)
        self.message.setText(STEPS[n])

    def _converted(self, done, password: str) -> None:
        from chair_app.gui.reopen import reopen

        self.progress.setValue(self.progress.maximum())
        text = (
            f"Encrypted: {done.rows:,} rows in {done.tables} tables, each counted in both files; the plain copy "
            f"is removed. Keep {done.path.name}.keys with the database and its backups."
        )
        if done.waiting:
            text += f" Set new passwords for {', '.join(done.waiting)} so they can open it."
        self.message.setText(text)
        self.password.clear()
        self.window_.encrypted_message = text
        reopen(self.window_, (self.name, password))  # the encrypted file, signed in as the same person
        self.window_.statusBar().showMessage(text)
        self._busy(False)
        self.convert.hide()
        self.not_now.setText("&Close")
        self.not_now.clicked.disconnect()
        self.not_now.clicked.connect(self.accept)

    def _failed(self, exc: Exception) -> None:
        self._busy(False)
        self.message.setText(str(exc) if isinstance(exc, ChairError) else f"Unexpected error ({type(exc).__name__})")

    def _failed_converting(self, exc: Exception) -> None:
        """Nothing was replaced (the service removes its half-made copy): the plain database carries on."""
        self._failed(exc)
        self.progress.hide()
        window = self.window_
        from chair_app.gui.changes import LiveUpdates
        from chair_app.gui.lock import start_idle_lock

        window.live = LiveUpdates(window)
        window.idle_lock = start_idle_lock(window)
        window.refresh()
        if not isinstance(exc, ChairError):
            from chair_app.logs import setup_logging

            setup_logging().crash(exc)

    def _busy(self, busy: bool) -> None:
        for w in (self.convert, self.not_now, self.password):
            w.setEnabled(not busy)


def _explanation(path: Path, name: str, others: list[str]) -> str:
    lines = [
        f"This laptop's conference record ({path.name}) is stored as plain text: anyone who copies the file can "
        "read every family's details. Your authority's policy is that laptop databases are encrypted.",
        "",
        "If you convert it now:",
        f"• {path.name} is converted into an encrypted file, and every row is counted in both before it is used;",
        "• the plain copy is overwritten and removed;",
        "• from then on the file opens only with an account's own password: each account's password unlocks it "
        f"(yours, {name}, from now on);",
        f"• keep {path.name}.keys with the database and its backups: without it the record cannot be opened.",
    ]
    if others:
        lines.append(
            f"• {', '.join(others)} will need a new password from an administrator before they can open it "
            "(nobody else knows theirs)."
        )
    lines += ["", "It takes a few seconds; Chair opens the encrypted record again, signed in as you."]
    return "\n".join(lines)
