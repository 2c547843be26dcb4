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
