"""File > Back up now… in the main window, and a reminder when the last backup is older than the policy says.

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
