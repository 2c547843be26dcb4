"""Opening a conference builds its Before page a part per turn of the event loop, the list still shown, and
shows the workspace only once the page is whole (docs/performance.md, issue 17): the page is the same as one
built at once, and asking for it meanwhile finishes it there and then."""

from __future__ import annotations

from datetime import date

from PySide6.QtWidgets import QGroupBox, QLineEdit

from chair_app.gui.main_window import MainWindow
from chair_app.gui.workspace.steps.before import BeforePage
from chair_app.gui.workspace.workspace import ConferenceWorkspace
from chair_app.services import conferences
from chair_app.services.demo import build_demo


def _window(qtbot, db, policy, tmp_path) -> MainWindow:
    window = MainWindow(lambda: (db, policy), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    return window


def _shape(page: BeforePage) -> tuple[list[str], int, int]:
    return (
        [box.title() for box in page.findChildren(QGroupBox)],
        len(page.findChildren(QLineEdit)),
        page.lay.count(),
    )


def test_the_before_page_built_in_parts_is_the_page_built_at_once_showing_the_conference(
    qtbot, sqlite_db, policy, tmp_path
):
    made = conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    window.open_conference(made.conference.id, "before")
    qtbot.waitUntil(lambda: window.in_workspace() and window.is_ready())
    ws = window.workspace
    page = ws.pages["before"]
    assert page.parts_to_build == []
    other = ConferenceWorkspace()  # a page built at once, in a workspace of its own
    qtbot.addWidget(other)
    assert _shape(page) == _shape(BeforePage(other))
    assert page.family.text() == made.family.name
    assert page.venue.text() == made.conference.venue
    assert page.children_model.rowCount() == len(made.considered_children())
    assert ws.step() == "before" and ws.stack.currentWidget() is page


def test_the_workspace_is_shown_only_when_its_before_page_is_whole(qtbot, sqlite_db, policy, tmp_path):
    made = conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    seen = []

    def shown(conference_id) -> None:
        page = window.workspace.pages.get("before")  # dict.get: only a page already built
        seen.append((conference_id, page is not None and page.parts_to_build == [], window.session is not None))

    window.sig_workspace.connect(shown)
    window.open_conference(made.conference.id, "before")
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(made.conference.id, True, True)]


def test_asking_for_the_before_page_while_it_is_built_in_parts_finishes_it_at_once(qtbot, sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    window = _window(qtbot, sqlite_db, policy, tmp_path)
    window._make_workspace()
    ws = window.workspace
    called = []
    ws.prepare("before", lambda: called.append(True))
    assert "before" not in ws.pages and ws.settling()  # started, not finished: parts wait for later turns
    page = ws.pages["before"]
    assert page.parts_to_build == [] and ws.stack.indexOf(page) == 0
    assert not ws._staging
    qtbot.waitUntil(lambda: called == [True])
    assert ws.pages["before"] is page  # not built twice
