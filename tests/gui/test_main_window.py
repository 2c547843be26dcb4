"""The main window and its conference list model (pytest-qt, offscreen)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt

from chair_app.gui.list_model import ConferenceListModel, ConferenceSortProxy
from chair_app.gui.main_window import MainWindow
from chair_app.services import conferences
from chair_app.services.demo import build_demo


@pytest.fixture
def filled(sqlite_db, policy):
    """Three conferences: last week, today and next week, with different families."""
    today = date.today()
    made = []
    for offset, surname in ((-7, "Ashworth"), (0, "Hayes"), (7, "Nowak")):
        bundle = build_demo(policy, today + timedelta(days=offset))
        bundle.conference.held_on = today + timedelta(days=offset)
        bundle.family.name = f"{surname} family"
        for child in bundle.children:
            child.surname = surname
        made.append(conferences.add_conference(sqlite_db, bundle))
    return sqlite_db, made


def open_window(qtbot, db, policy) -> MainWindow:
    window = MainWindow(lambda: (db, policy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    return window


def test_list_model_passes_the_model_tester(qtmodeltester, filled):
    db, _ = filled
    model = ConferenceListModel()
    model.set_rows(conferences.list_conferences(db))
    qtmodeltester.check(model)
    proxy = ConferenceSortProxy()
    proxy.setSourceModel(model)
    qtmodeltester.check(proxy)


def test_window_lists_today_and_upcoming_first(qtbot, filled, policy):
    db, made = filled
    window = open_window(qtbot, db, policy)
    families = [window.proxy.index(r, 4).data() for r in range(window.proxy.rowCount())]
    assert families == ["Hayes family", "Nowak family", "Ashworth family"]
    # The first row is selected and summarised with rules applied.
    qtbot.waitUntil(lambda: "Quorate" in window.summary.toPlainText())


def test_search_filters_by_child_and_reference(qtbot, filled, policy):
    db, made = filled
    window = open_window(qtbot, db, policy)
    window.search.setText("Nowak")
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1)
    window.search.setText(made[0].conference.ref)
    qtbot.waitUntil(lambda: window.proxy.rowCount() == 1 and window.proxy.index(0, 4).data() == "Ashworth family")


def test_sorting_uses_raw_dates_not_display_text(qtbot, filled, policy):
    db, _ = filled
    window = open_window(qtbot, db, policy)
    window._sort_by(1)
    dates = [window.proxy.index(r, 1).data(ConferenceListModel.SortRole) for r in range(window.proxy.rowCount())]
    assert dates == sorted(dates)
    window._sort_by(1)
    assert window.proxy.sortOrder() == Qt.SortOrder.DescendingOrder


def test_every_control_has_an_accessible_name(qtbot, filled, policy):
    db, _ = filled
    window = open_window(qtbot, db, policy)
    for widget in (window.search, window.table, window.summary):
        assert widget.accessibleName()


def test_a_malformed_policy_stops_start_up_naming_file_and_key(qtbot, qapp, sqlite_db, tmp_path, capsys):
    from chair_app.rules.policy import default_policy_path, load_policy

    bad = tmp_path / "bad.toml"
    bad.write_text(default_policy_path().read_text().replace("advocacy_age = 10", "advocacy_age = 99"))
    qapp.setProperty("chair_no_dialogs", True)
    window = MainWindow(lambda: (sqlite_db, load_policy(bad)))
    qtbot.addWidget(window)
    window.open_now()
    qtbot.waitUntil(lambda: window.exit_code == 2)
    assert window.db is None
    err = capsys.readouterr().err
    assert str(bad) in err and "participation.advocacy_age" in err and "between 4 and 18" in err


# ---------------------------------------------------------------------------------------------------------
# Keyboard from the start (issue 16, point 4)


def test_the_list_opens_with_the_focus_in_the_search_box(qtbot, filled, policy):
    from PySide6.QtWidgets import QApplication

    db, _ = filled
    window = open_window(qtbot, db, policy)
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is window.search)


def test_down_in_the_search_box_moves_into_the_list_on_the_chosen_conference(qtbot, filled, policy):
    from PySide6.QtWidgets import QApplication

    db, _ = filled
    window = open_window(qtbot, db, policy)
    window.activateWindow()
    window.search.setFocus()
    window.table.selectRow(1)
    qtbot.keyClick(window.search, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is window.table
    assert window.table.currentIndex().row() == 1 and window.selected_id() is not None
    qtbot.keyClick(window.table, Qt.Key.Key_Down)  # and on down the list
    assert window.table.selectionModel().selectedRows()[0].row() == 2


def test_enter_in_the_search_box_opens_the_first_conference_found(qtbot, filled, policy, tmp_path):
    db, made = filled
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    window.search.setFocus()
    qtbot.keyClicks(window.search, "Nowak")
    qtbot.keyClick(window.search, Qt.Key.Key_Return)  # before the list has caught up with the typing
    nowak = next(b for b in made if b.family.name == "Nowak family")
    qtbot.waitUntil(lambda: window.session is not None)
    assert window.session.conference_id == nowak.conference.id and window.in_workspace()


def test_enter_in_the_search_box_opens_the_selected_conference(qtbot, filled, policy, tmp_path):
    db, made = filled
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() == 3)
    window.table.selectRow(2)
    chosen = window.selected_id()
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_Enter)
    qtbot.waitUntil(lambda: window.session is not None)
    assert str(window.session.conference_id) == chosen


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space])
def test_a_focused_button_in_the_main_window_answers_enter_and_space(qtbot, filled, policy, key):
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication

    db, _ = filled
    window = open_window(qtbot, db, policy)
    window.activateWindow()

    def close_the_form() -> None:
        dialog = QApplication.activeModalWidget()
        if dialog is None:
            QTimer.singleShot(20, close_the_form)
            return
        dialog.reject()

    window.new_button.setFocus()
    QTimer.singleShot(20, close_the_form)
    qtbot.keyClick(window.new_button, key)
    assert getattr(window, "create_dialog", None) is not None  # the new-conference form was opened


def test_enter_on_a_focused_workspace_button_presses_it(qtbot, filled, policy, tmp_path):
    from PySide6.QtWidgets import QApplication

    db, made = filled
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(window.is_ready)
    window.open_conference(made[1].conference.id, "welcome")
    qtbot.waitUntil(lambda: window.session is not None)
    window.activateWindow()
    page = window.workspace.pages["welcome"]
    page.quorate_button.setFocus()
    qtbot.waitUntil(lambda: QApplication.focusWidget() is page.quorate_button)
    with qtbot.waitSignal(page.quorate_button.clicked, timeout=5000):  # "Record as quorate" was pressed
        qtbot.keyClick(page.quorate_button, Qt.Key.Key_Return)
    with qtbot.waitSignal(page.quorate_button.clicked, timeout=5000):
        qtbot.keyClick(page.quorate_button, Qt.Key.Key_Space)
    from PySide6.QtWidgets import QPushButton

    unanswered = [b.accessibleName() or b.text() for b in window.findChildren(QPushButton) if not b.autoDefault()]
    assert unanswered == []  # every button of the list and of every step answers Enter


def test_the_menu_bar_has_each_menu_once(qtbot, filled, policy, tmp_path):
    """Backup, import, history and continuity each add to the File or Conference menu: one of each, not two."""
    db, _made = filled
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_ready)
    titles = [a.text() for a in window.menuBar().actions()]
    assert sorted(titles) == sorted(set(titles)) and {"&File", "&Conference"} <= set(titles)
    conference = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Conference")
    names = {a.objectName() for a in conference.actions()}
    assert "historyMenu" in names and len(conference.actions()) >= 3  # history, convene review, rearrange...


def test_opening_a_second_conference_after_every_step_was_built_refreshes_only_live_fields(
    qtbot, filled, policy, tmp_path
):
    """The decision step rebuilds a views box per family member on each opening: the boxes of the conference
    before must not be refreshed once gone (they were, and opening a second conference raised)."""
    from chair_app.gui.workspace.workspace import STEP_KEYS

    db, made = filled
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.is_ready)
    window.open_conference(made[0].conference.id, "decision")
    qtbot.waitUntil(lambda: window.session is not None and window.is_ready())
    assert set(window.workspace.pages) == set(STEP_KEYS)
    window.open_conference(made[1].conference.id, "before")
    qtbot.waitUntil(lambda: window.session.conference_id == made[1].conference.id and window.is_ready())
    decision = window.workspace.pages["decision"]
    names = {b.widget.accessibleName() for b in decision._family_binders}
    assert names and all(b in window.workspace.binders for b in decision._family_binders)
