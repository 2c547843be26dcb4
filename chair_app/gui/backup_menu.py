"""File > Back up now… and File > Restore from a backup… in the main window, and a reminder when the last backup
is older than the policy says.

The backup itself is services/backup.py (SQLite's online backup API, so it is safe while the workspace is
storing keystrokes); it runs on the thread pool and reports in the status bar. The reminder is a label kept
at the right of the status bar from the time the list is first shown until a backup is made.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QFileDialog, QLabel, QMainWindow


def add_backup_menu(window: QMainWindow) -> None:
    """Give the window its File menu with Back up now…, and the reminder label (shown when due)."""
    from chair_app.gui.menus import menu_named

    menu = menu_named(window, "&File")
    action = QAction("&Back up now…", window)
    action.setObjectName("backupNow")
    action.setStatusTip("Copy the record to a file, safely while Chair is open")
    action.triggered.connect(lambda: back_up_now(window))
    menu.addAction(action)
    window.backup_action = action
    restore = QAction("&Restore from a backup…", window)
    restore.setObjectName("restoreBackup")
    restore.setStatusTip("Replace the record with a backup, after checking it; the record it replaces is kept")
    restore.triggered.connect(lambda: restore_now(window))
    menu.addAction(restore)
    window.restore_action = restore
    window.backup_state_file = None  # None: the user data folder (tests give their own)
    reminder = QLabel()
    reminder.setObjectName("backupReminder")
    reminder.setAccessibleName("Backup reminder")
    reminder.hide()
    window.statusBar().addPermanentWidget(reminder)
    window.backup_reminder = reminder

    def first_list(_rows: int) -> None:
        window.sig_rows_shown.disconnect(first_list)
        check_reminder(window)

    window.sig_rows_shown.connect(first_list)


def check_reminder(window) -> None:
    if window.db is None or window.policy is None:
        return
    from chair_app.services.backup import backup_reminder

    text = backup_reminder(window.db, window.policy.backup_reminder_days, state_file=window.backup_state_file)
    window.backup_reminder.setText(text)
    window.backup_reminder.setVisible(bool(text))


def default_backup_path() -> Path:
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
    return Path(folder) / f"chair-backup-{date.today():%Y-%m-%d}.db"


def back_up_now(window, path: Path | None = None) -> None:
    """Ask where (unless told), then back up on the thread pool; the status bar says how it went."""
    if window.db is None:
        return
    if path is None:
        chosen, _filter = QFileDialog.getSaveFileName(
            window, "Back up the conference record", str(default_backup_path()), "Chair backup (*.db)"
        )
        if not chosen:
            return
        path = Path(chosen)
    from chair_app.services.backup import backup_database

    db, state = window.db, window.backup_state_file
    window.statusBar().showMessage("Backing up…")

    def done(result) -> None:
        n = result.conferences
        what = f"{n} conference{'s' if n != 1 else ''}" if n >= 0 else "the database (pg_dump)"
        window.statusBar().showMessage(f"Backed up {what} to {result.path} ({result.size / 1e6:.1f} MB)")
        check_reminder(window)

    window.tasks.start(lambda: backup_database(db, path, state_file=state), done, window._failed)


def restore_now(
    window, path: Path | None = None, *, credentials: tuple[str, str] | None = None, confirm: bool = True
) -> None:
    """Ask which backup (unless told), say what will happen, ask the password when the backup or the database
    is encrypted (unless given), then restore on the thread pool; the record it replaces is kept beside it. A
    wrong password, or a backup that does not check out, is refused in the status bar with nothing replaced."""
    from PySide6.QtWidgets import QMessageBox

    if window.db is None:
        return
    from chair_app.services import encryption

    if path is None:
        chosen, _filter = QFileDialog.getOpenFileName(
            window,
            "Restore the conference record from a backup",
            str(default_backup_path().parent),
            "Chair backup (*.db);;All files (*)",
        )
        if not chosen:
            return
        path = Path(chosen)
    db = window.db
    url = db.engine.url.render_as_string(hide_password=False)
    if confirm:
        answer = QMessageBox.question(
            window,
            "Restore from a backup",
            f"Replace the conference record with the backup {path.name}?\n\nThe backup is checked first; the "
            "record in use now is kept beside it, so this can be undone.",
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
    encrypted = db.database_key is not None or (path.is_file() and encryption.is_encrypted_backup(path))
    if encrypted and credentials is None:
        from chair_app.gui.signin import UnlockDialog

        name = db.signed_in.name if db.signed_in is not None else ""
        dialog = UnlockDialog(
            window, message="The backup is encrypted: your password checks it opens first.", name=name
        )
        dialog.setWindowTitle("Restore from an encrypted backup")
        window.restore_dialog = dialog
        if not dialog.exec():
            return
        credentials = (dialog.form.account.text().strip(), dialog.form.password.text())
        dialog.form.password.clear()
    from chair_app.services.backup import restore_database

    if window.in_workspace():
        window.back_to_list()  # nothing half-shown from the record being replaced
    window.statusBar().showMessage("Checking the backup and restoring…")

    def done(result) -> None:
        kept = f"; the record it replaced is kept as {result.kept_aside.name}" if result.kept_aside else ""
        n = result.conferences
        message = f"Restored {n} conference{'s' if n != 1 else ''} from {path.name}{kept}"
        if result.replaced_file:  # another file is the database now: open it again, signed in as the same person
            from chair_app.gui.reopen import reopen

            reopen(window, credentials)
            window.restored_message = message
            window.sig_rows_shown.connect(_say_restored(window))
        else:
            window.refresh()
            window.statusBar().showMessage(message)

    def refused(exc: Exception) -> None:
        from chair_app.domain.errors import ChairError

        window.statusBar().showMessage(str(exc) if isinstance(exc, ChairError) else "restore: it failed; see the log")
        if not isinstance(exc, ChairError):
            window._failed(exc)

    window.tasks.start(lambda: restore_database(url, path, credentials=lambda: credentials, db=db), done, refused)


def _say_restored(window):
    def say(_rows: int) -> None:
        window.sig_rows_shown.disconnect(say)
        window.statusBar().showMessage(window.restored_message)

    return say
