"""File > Import conference files… and the conflicts dialog (issue 11, files merge)."""

from __future__ import annotations

from datetime import date

from chair_app.gui.import_conflicts import ImportConflictsDialog, import_files_now
from chair_app.gui.main_window import MainWindow
from chair_app.services import conferences
from chair_app.services.demo import create_demo
from chair_app.store import models as rows
from chair_app.store.engine import open_database, sqlite_url


def _edit(db, bundle, item_id, who, text):
    with db.unit_of_work("set_fields", who=who, conference_id=bundle.conference.id) as session:
        session.get(rows.MappingItemRow, item_id).text = text


def _clash(sqlite_db, policy, tmp_path):
    """This database and a clerk's copy each change two items' text differently; the clerk also sets a venue."""
    bundle = create_demo(sqlite_db, policy, date.today())
    conferences.write_export(sqlite_db, str(bundle.conference.id), tmp_path / "first.json")
    clerk = open_database(sqlite_url(tmp_path / "clerk.db"))
    conferences.import_files(clerk, [tmp_path / "first.json"])
    items = sorted(bundle.mapping_items, key=lambda i: str(i.id))[:2]
    for n, item in enumerate(items):
        _edit(sqlite_db, bundle, item.id, "Jo Chair", f"chair words {n}")
        _edit(clerk, bundle, item.id, "Sam Clerk", f"clerk words {n}")
    with clerk.unit_of_work("edit", who="Sam Clerk", conference_id=bundle.conference.id) as session:
        session.get(rows.ConferenceRow, bundle.conference.id).venue = "Room 4"
    conferences.write_export(clerk, str(bundle.conference.id), tmp_path / "clerk.json")
    clerk.dispose()
    return bundle, items


def _window(qtbot, db, policy):
    window = MainWindow(lambda: (db, policy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    return window


def test_the_file_menu_offers_import(qtbot, sqlite_db, policy, tmp_path):
    create_demo(sqlite_db, policy, date.today())
    window = _window(qtbot, sqlite_db, policy)
    file_menu = window.menuBar().actions()[0].menu()
    assert window.import_action in file_menu.actions()
    assert window.import_action.text() == "&Import conference files…"


def test_conflicts_open_the_dialog_and_nothing_is_imported_until_every_row_is_chosen(
    qtbot, sqlite_db, policy, tmp_path
):
    bundle, items = _clash(sqlite_db, policy, tmp_path)
    window = _window(qtbot, sqlite_db, policy)
    import_files_now(window, [tmp_path / "clerk.json"])
    qtbot.waitUntil(lambda: window.import_conflicts_dialog is not None and window.import_conflicts_dialog.isVisible())
    dialog = window.import_conflicts_dialog
    assert dialog.table.rowCount() == 2
    here, there = dialog.table.item(0, 2).text(), dialog.table.item(0, 3).text()
    assert '"chair words 0"' in here and "Jo Chair" in here and "UTC" in here
    assert '"clerk words 0"' in there and "Sam Clerk" in there
    assert not dialog.import_button.isEnabled()  # nothing chosen for the person
    assert conferences.load(sqlite_db, str(bundle.conference.id)).conference.venue != "Room 4"

    dialog.choose(1, "theirs")
    assert not dialog.import_button.isEnabled()
    assert dialog.remaining.text() == "1 still to choose"
    dialog.choose(2, "mine")
    assert dialog.import_button.isEnabled()
    dialog.import_button.click()
    qtbot.waitUntil(lambda: "Imported:" in window.statusBar().currentMessage())
    got = conferences.load(sqlite_db, str(bundle.conference.id))
    texts = {i.id: i.text for i in got.mapping_items}
    assert [texts[i.id] for i in items] == ["clerk words 0", "chair words 1"]
    assert got.conference.venue == "Room 4"


def test_cancelling_the_dialog_imports_nothing(qtbot, sqlite_db, policy, tmp_path):
    bundle, items = _clash(sqlite_db, policy, tmp_path)
    window = _window(qtbot, sqlite_db, policy)
    import_files_now(window, [tmp_path / "clerk.json"])
    qtbot.waitUntil(lambda: window.import_conflicts_dialog is not None and window.import_conflicts_dialog.isVisible())
    window.import_conflicts_dialog.choose_all("theirs")
    window.import_conflicts_dialog.reject()
    qtbot.waitUntil(lambda: "nothing was imported" in window.statusBar().currentMessage())
    got = conferences.load(sqlite_db, str(bundle.conference.id))
    assert got.conference.venue != "Room 4"
    assert {i.id: i.text for i in got.mapping_items}[items[0].id] == "chair words 0"


def test_the_dialog_lists_one_row_per_conflict_with_keep_all_buttons(qtbot):
    from datetime import UTC, datetime

    from chair_app.services.merge import MergeConflict, Side

    at = datetime(2026, 11, 30, 14, 2, tzinfo=UTC)
    conflicts = [
        MergeConflict(
            n,
            "C-1A2B3C",
            f"mapping_item/{n:08d}-0000-4000-8000-000000000000",
            "text",
            Side(f"here {n}", "Jo Chair", at),
            Side(f"file {n}", "Sam Clerk", at),
        )
        for n in (1, 2, 3)
    ]
    dialog = ImportConflictsDialog(conflicts)
    qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == 3
    assert "30/11/2026 14:02 UTC" in dialog.table.item(2, 3).text()
    dialog.choose_all("mine")
    assert dialog.chosen() == {1: "mine", 2: "mine", 3: "mine"}
    dialog.choose_all("theirs")
    assert dialog.chosen() == {1: "theirs", 2: "theirs", 3: "theirs"}
