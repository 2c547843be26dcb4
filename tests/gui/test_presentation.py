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
    room_view = room_map(window.session.bundle)
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
