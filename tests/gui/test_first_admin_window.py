"""First run in the window (issue 14): a database with no accounts asks for its first administrator before
anything is listed; the demo database is not asked."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QTimer

from chair_app.gui.main_window import MainWindow
from chair_app.services import accounts, conferences
from chair_app.services.demo import build_demo

PASSWORD = "correct horse battery"


def _window(qtbot, db, policy, tmp_path, *, demo=False) -> MainWindow:
    window = MainWindow(lambda: (db, policy), demo=demo, place_file=tmp_path / "place.json")
    window.first_run_setup = True  # as gui/launch.py sets it
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    return window


def _when_form_shows(window_of, act) -> None:
    def look() -> None:
        dialog = getattr(window_of(), "first_admin_dialog", None) if window_of() is not None else None
        if dialog is None or not dialog.isVisible():
            QTimer.singleShot(20, look)
            return
        act(dialog)

    QTimer.singleShot(0, look)


def test_a_database_without_accounts_asks_for_the_first_administrator_before_listing_anything(
    qtbot, sqlite_db, policy, tmp_path
):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    seen = []

    def fill(dialog) -> None:
        seen.append(window.model.rowCount())  # nothing listed while the form is up
        dialog.account.setText("hmarsh")
        dialog.full_name.setText("Helen Marsh")
        dialog.password.setText(PASSWORD)
        dialog.again.setText(PASSWORD + "x")
        dialog.create.click()
        seen.append(dialog.message.text())
        dialog.password.setText("short")
        dialog.again.setText("short")
        dialog.create.click()
        seen.append(dialog.message.text())
        seen.append(dialog.rules.text())
        dialog.password.setText(PASSWORD)
        dialog.again.setText(PASSWORD)
        dialog.create.click()

    window = None
    _when_form_shows(lambda: window, fill)
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() == 1)
    assert seen[0] == 0
    assert seen[1] == "Password again: the two passwords are not the same; type them again"
    assert seen[2] == "password: use at least 10 characters"  # the default policy's password_min_length
    assert seen[3].startswith("At least 10 characters")
    assert sqlite_db.signed_in.name == "hmarsh"
    assert sqlite_db.signed_in.roles == frozenset({"administrator", "chair"})
    assert "hmarsh" in window.windowTitle()
    assert not accounts.needs_first_administrator(sqlite_db)


def test_closing_the_set_up_form_closes_chair_having_made_no_account(qtbot, sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    window = None
    _when_form_shows(lambda: window, lambda dialog: dialog.cancel.click())
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    qtbot.waitUntil(lambda: not window.isVisible())
    assert window.db is None and window.model.rowCount() == 0
    assert accounts.needs_first_administrator(sqlite_db)


def test_the_demo_database_is_not_asked_for_an_administrator(qtbot, sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    window = _window(qtbot, sqlite_db, policy, tmp_path, demo=True)
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() == 1)
    assert getattr(window, "first_admin_dialog", None) is None
    assert accounts.needs_first_administrator(sqlite_db)
