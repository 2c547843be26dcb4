"""Presentation mode (F5): the keyboard stays with the chair; the room reads the whole map, fitted then paged,
following the item being edited (pytest-qt, offscreen). Screenshots under a real X server are in
docs/screenshots (see docs/screenshots/presentation_shots.py)."""

from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QApplication

from bench.workspace import conference_with_items
from chair_app.domain.enums import MappingSection
from chair_app.gui import placement
from chair_app.gui.main_window import MainWindow
from chair_app.gui.workspace.presentation import MAP, STATEMENTS, PresentationWindow, room_map
from chair_app.services import conferences
from chair_app.services.demo import build_demo


def _window(qtbot, db, policy, tmp_path, bundle) -> MainWindow:
    stored = conferences.add_conference(db, bundle)
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.resize(1024, 700)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
    window.open_conference(stored.conference.id, "mapping")
    qtbot.waitUntil(lambda: window.session is not None)
    return window


def _room(qtbot, window: MainWindow, size=(1024, 768)) -> PresentationWindow:
    """The room's view at a projector's size (offscreen has one screen: what a mirrored laptop shows)."""
    screen = PresentationWindow(window.session, keys_from=window.workspace)
    qtbot.addWidget(screen)
    screen.resize(*size)
    screen.show()
    qtbot.waitUntil(lambda: screen.area.height() > 0)
    screen.render()
    return screen


def test_f5_leaves_the_keyboard_with_the_chair_and_typing_goes_on_into_the_editor(qtbot, sqlite_db, policy, tmp_path):
    window = _window(qtbot, sqlite_db, policy, tmp_path, build_demo(policy, date.today()))
    window.activateWindow()
    mapping = window.workspace.pages["mapping"]
    mapping.add_item(MappingSection.STRENGTH)
    qtbot.waitUntil(lambda: QApplication.focusWidget() is mapping.item_text)
    qtbot.keyClicks(mapping.item_text, "Sue visits")

    qtbot.keyClick(mapping.item_text, Qt.Key.Key_F5)  # presentation mode, from the keyboard
    room = window.presentation
    assert room is not None and room.isVisible()
    assert room.windowFlags() & Qt.WindowType.WindowDoesNotAcceptFocus
    assert room.testAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)  # the chair's window keeps the keyboard
    assert QApplication.focusWidget() is mapping.item_text
    # One screen here (a laptop mirrored to the projector): the strip says where typing goes and the keys.
    assert room.one_screen and room.strip.isVisible()
    assert "Typing goes to the conference window (Item text)" in room.strip.text()

    qtbot.keyClicks(QApplication.focusWidget(), " every evening")  # the chair's next keys
    assert mapping.item_text.toPlainText() == "Sue visits every evening"
    assert "Sue visits every evening" in room.text()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)  # Ctrl+3
    assert QApplication.focusWidget() is mapping.item_text and mapping.item_text.toPlainText() == ""  # a new item

    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_F5)  # F5 again closes it
    assert not room.isVisible()


def test_an_80_item_map_is_paged_at_the_floor_and_the_keys_turn_through_every_item(qtbot, sqlite_db, policy, tmp_path):
    window = _window(qtbot, sqlite_db, policy, tmp_path, conference_with_items(policy, 80))
    room = _room(qtbot, window)
    floor, _ceiling = room.type_range()
    assert room.body_pt[MAP] == pytest.approx(floor)  # smaller would be unreadable: page instead
    total = room.page_count(MAP)
    assert total > 1
    next_page = window.workspace.findChild(QAction, "present_next_page")  # on the chair's side
    read = ["", "", ""]
    for page in range(total + 1):  # one press more than there are pages
        assert room.area.page == min(page, total - 1)  # no page past the last
        if page < total:
            for n in range(3):
                read[n] += " " + room.page_text(n)
        next_page.trigger()
    letters = ["".join(text.split()) for text in read]  # lines wrap anywhere, even after a hyphen
    room_view = room_map(window.session.bundle, policy)  # what the people present may see
    for n, column in enumerate(room_view.columns):
        for _heading, items in column.parts:
            for _id, text in items:
                assert "".join(text.split()) in letters[n], text  # every item is read whole on some page
    window.workspace.findChild(QAction, "present_previous_page").trigger()
    assert room.area.page == total - 2


def test_a_short_map_gets_larger_type_on_one_page(qtbot, sqlite_db, policy, tmp_path):
    bundle = build_demo(policy, date.today())
    bundle.mapping_items = bundle.mapping_items[:4]
    window = _window(qtbot, sqlite_db, policy, tmp_path, bundle)
    room = _room(qtbot, window, (1920, 1080))
    floor, ceiling = room.type_range()
    assert room.page_count(MAP) == 1
    assert floor < room.body_pt[MAP] <= ceiling


def test_the_room_follows_the_item_being_edited_and_f6_shows_the_danger_statements(qtbot, sqlite_db, policy, tmp_path):
    window = _window(qtbot, sqlite_db, policy, tmp_path, conference_with_items(policy, 80))
    room = _room(qtbot, window)
    mapping = window.workspace.pages["mapping"]
    assert room.area.page == 0 and room.view == MAP
    mapping.add_item(MappingSection.COMPLICATING_FACTOR)  # Ctrl+2: the last of the worried column
    qtbot.keyClicks(mapping.item_text, "Dad drinks most evenings")
    assert room.view == MAP and room.area.page > 0  # turned to where the new item is
    assert "Dad drinks most evenings" in room.page_text()

    pair = window.session.bundle.pairs[0]
    mapping.pairs_view.selectRow(0)
    qtbot.keyClicks(mapping.goal, " Checked weekly.")  # editing a safety goal shows the statements view
    assert room.view == STATEMENTS
    assert pair.danger_statement.strip()[:40] in room.page_text().replace("\n", " ")

    room.toggle_view()  # F6
    assert room.view == MAP
    window.workspace.findChild(QAction, "present_toggle_view").trigger()
    assert room.view == STATEMENTS
    assert [k for a in room.actions_on for k in a[1].shortcuts() if k.toString() == "F6"]


def test_the_chair_window_opens_on_one_monitor_of_a_xinerama_layout():
    laptop, projector = QRect(0, 0, 1366, 768), QRect(1366, 0, 1024, 768)
    whole = laptop.united(projector)
    rect = placement.chair_window_rect(whole, [laptop, projector])
    assert laptop.contains(rect) and rect.width() <= 1366
    guessed = placement.chair_window_rect(whole, [])  # Xinerama not readable: a 2390x768 "screen" is two
    assert laptop.contains(guessed)
    one = placement.chair_window_rect(QRect(0, 0, 1920, 1050), [])
    assert one.width() == 1600 and QRect(0, 0, 1920, 1050).contains(one)


TWO_SCREENS = {
    "synchronousWindowSystemEvents": True,
    "windowFrameMargins": False,
    "screens": [
        {"name": "LAPTOP", "x": 0, "y": 0, "width": 1366, "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96},
        {"name": "PROJECTOR", "x": 1366, "y": 0, "width": 1024, "height": 768, "logicalDpi": 96, "logicalBaseDpi": 96},
    ],
}

PRESENT_ON_TWO_SCREENS = """
import json, sys, tempfile
from datetime import date
from pathlib import Path
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
app = QApplication([])
from chair_app.domain.enums import MappingSection
from chair_app.gui.main_window import MainWindow
from chair_app.gui.placement import place_chair_window
from chair_app.rules.policy import load_policy
from chair_app.services import conferences
from chair_app.services.demo import build_demo
from chair_app.store.engine import open_database, sqlite_url
policy = load_policy()
folder = Path(tempfile.mkdtemp())
db = open_database(sqlite_url(folder / "c.db"))
stored = conferences.add_conference(db, build_demo(policy, date(2026, 11, 23)))
window = MainWindow(lambda: (db, policy), place_file=folder / "place.json")
place_chair_window(window)
window.show()
while window.db is None or window.tasks.busy():
    app.processEvents()
window.open_conference(stored.conference.id, "mapping")
while window.session is None:
    app.processEvents()
window.activateWindow()
editor = window.workspace.pages["mapping"].item_text
window.workspace.pages["mapping"].add_item(MappingSection.STRENGTH)
for _ in range(20):
    app.processEvents()
QTest.keyClick(editor, Qt.Key.Key_F5)
for _ in range(20):
    app.processEvents()
room = window.presentation
print(json.dumps({
    "chair_screen": window.screen().name(),
    "chair": [window.geometry().x(), window.geometry().width()],
    "room_screen": room.screen().name(),
    "room": [room.geometry().x(), room.geometry().y(), room.geometry().width(), room.geometry().height()],
    "strip": room.strip.isVisible(),
    "focus_is_editor": QApplication.focusWidget() is editor,
}))
"""


def test_with_two_screens_the_room_view_fills_the_other_screen_and_the_chair_keeps_the_keyboard(tmp_path):
    import json
    import os
    import subprocess
    import sys

    config = tmp_path / "screens.json"
    config.write_text(json.dumps(TWO_SCREENS))
    env = dict(os.environ, QT_QPA_PLATFORM=f"offscreen:configfile={config}")
    done = subprocess.run(
        [sys.executable, "-c", PRESENT_ON_TWO_SCREENS], env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-800:]
    seen = json.loads(done.stdout.strip().splitlines()[-1])
    assert seen["chair_screen"] == "LAPTOP" and seen["chair"][0] + seen["chair"][1] <= 1366
    assert seen["room_screen"] == "PROJECTOR" and seen["room"] == [1366, 0, 1024, 768]
    assert seen["strip"] is False  # the presenter's strip is for one screen only
    assert seen["focus_is_editor"] is True
