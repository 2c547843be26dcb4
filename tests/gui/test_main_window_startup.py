"""What the main window builds after its first paint (docs/performance.md): the menus' actions and Enter on
its buttons are there by the time the window says it is ready, shown or not, and the first frame already has
the menu bar's titles, so nothing moves when the actions arrive."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QPushButton

from chair_app.gui.main_window import MainWindow
from chair_app.services import conferences
from chair_app.services.demo import build_demo


def _menu(window: MainWindow, title: str):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == title)


def _names(window: MainWindow, title: str) -> set[str]:
    return {a.objectName() for a in _menu(window, title).actions()}


def test_the_menu_bar_has_its_file_and_conference_titles_before_the_window_is_first_shown(qtbot, sqlite_db, policy):
    window = MainWindow(lambda: (sqlite_db, policy))
    qtbot.addWidget(window)
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Conference"]
    assert window.statusBar() is window.findChild(type(window.statusBar()))  # in the first frame, not added later


def test_the_menus_and_enter_on_buttons_are_complete_once_ready_when_shown(qtbot, sqlite_db, policy):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    window = MainWindow(lambda: (sqlite_db, policy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    assert [a.text() for a in window.menuBar().actions()] == ["&File", "&Conference"]
    assert {"backupNow", "importFiles"} <= _names(window, "&File")
    assert {"historyMenu", "conveneAction", "rearrangeAction", "coreGroupAction"} <= _names(window, "&Conference")
    assert all(b.autoDefault() for b in window.findChildren(QPushButton))


def test_the_menus_are_complete_once_ready_when_the_store_is_opened_without_showing_the_window(
    qtbot, sqlite_db, policy
):
    window = MainWindow(lambda: (sqlite_db, policy))
    qtbot.addWidget(window)
    window.open_now()
    qtbot.waitUntil(window.is_ready)
    assert {"backupNow", "importFiles"} <= _names(window, "&File")
    assert {"historyMenu", "familyTimelineAction", "caseloadAction"} <= _names(window, "&Conference")
    assert window.backup_action.isEnabled() and window.convene_action.text() == "Convene review…"


def test_a_backup_state_file_given_before_the_window_is_shown_is_kept_when_the_menu_is_made(
    qtbot, sqlite_db, policy, tmp_path
):
    state = tmp_path / "backups.json"
    window = MainWindow(lambda: (sqlite_db, policy))
    window.backup_state_file = state
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_ready)
    assert window.backup_action is not None
    assert window.backup_state_file == state
