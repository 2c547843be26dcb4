"""File > Back up now… in the main window, and the reminder when the last backup is older than the policy's days."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

from chair_app.gui.backup_menu import back_up_now
from chair_app.gui.main_window import MainWindow
from chair_app.services import backup, conferences
from chair_app.services.demo import build_demo


def _window(qtbot, db, policy, state):
    window = MainWindow(lambda: (db, policy))
    window.backup_state_file = state
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    return window


def test_back_up_now_writes_a_checked_copy_and_clears_the_reminder(qtbot, sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    state = tmp_path / "backups.json"
    window = _window(qtbot, sqlite_db, policy, state)
    assert window.backup_action.text() == "&Back up now…"
    assert window.backup_action in window.menuBar().actions()[0].menu().actions()
    qtbot.waitUntil(window.backup_reminder.isVisible)
    assert "Not backed up yet" in window.backup_reminder.text()
    assert f"every {policy.backup_reminder_days} days" in window.backup_reminder.text()

    out = tmp_path / "copy.db"
    back_up_now(window, out)
    qtbot.waitUntil(lambda: "Backed up 1 conference to" in window.statusBar().currentMessage())
    with sqlite3.connect(out) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT count(*) FROM conference").fetchone()[0] == 1
    assert not window.backup_reminder.isVisible()


def test_the_reminder_shows_only_when_the_last_backup_is_older_than_the_policy_days(qtbot, sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    state = tmp_path / "backups.json"
    url = sqlite_db.engine.url.render_as_string(hide_password=False)
    days = policy.backup_reminder_days
    backup.note_backup(state, url, datetime.now(UTC) - timedelta(days=days - 1))
    window = _window(qtbot, sqlite_db, policy, state)
    assert not window.backup_reminder.isVisible()
    assert window.backup_reminder.text() == ""

    backup.note_backup(state, url, datetime.now(UTC) - timedelta(days=days + 2))
    other = _window(qtbot, sqlite_db, policy, state)
    qtbot.waitUntil(other.backup_reminder.isVisible)
    assert f"Last backed up {days + 2} days ago" in other.backup_reminder.text()
