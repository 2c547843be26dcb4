"""Conference > Convene review… and Rearrange… in the window (issue 13): the form, its refusals, and the new
conference opened in the workspace with the same family, children and invitees."""

from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtWidgets import QDialog

from chair_app.domain.enums import MeetingKind
from chair_app.gui import continuity_dialog as cd
from chair_app.gui.main_window import MainWindow
from chair_app.services import conferences, recording
from chair_app.services.demo import build_demo
from tests.conftest import dump


def hayes(db, policy):
    return conferences.add_conference(db, build_demo(policy, date.today()))


def test_convene_review_with_no_date_makes_the_review_on_the_date_the_conference_set(qtbot, sqlite_db, policy):
    demo = hayes(sqlite_db, policy)
    dialog = cd.NextMeetingDialog(sqlite_db, policy, demo.conference.ref, cd.CONVENE, "Helen Marsh")
    qtbot.addWidget(dialog)
    dialog.make()
    assert dialog.result() == QDialog.DialogCode.Accepted
    made = dialog.created.conference
    assert made.kind is MeetingKind.FIRST_REVIEW and made.held_on == demo.conference.next_review_on
    assert made.previous_conference_id == demo.conference.id


def test_rearrange_without_a_date_is_refused_in_the_form_and_stores_nothing(qtbot, sqlite_db, policy):
    demo = hayes(sqlite_db, policy)
    recording.stand_down(sqlite_db, demo.conference.id, policy, "parent_unable", who="Helen Marsh")
    before = dump(sqlite_db)
    dialog = cd.NextMeetingDialog(sqlite_db, policy, demo.conference.ref, cd.REARRANGE, "Helen Marsh")
    qtbot.addWidget(dialog)
    dialog.make()
    assert dialog.created is None and not dialog.message.isHidden()
    assert dialog.message.text() == "Date: give the new date, dd/mm/yyyy"
    dialog.held_on.setText((demo.conference.held_on - timedelta(days=3)).strftime("%d/%m/%Y"))
    dialog.make()
    assert dialog.created is None and dialog.message.text().startswith("Date: ")
    assert "is not after the stood-down meeting" in dialog.message.text()
    assert dump(sqlite_db) == before


def test_the_conference_menu_convenes_the_review_of_the_chosen_conference_and_opens_it(
    qtbot, sqlite_db, policy, monkeypatch
):
    demo = hayes(sqlite_db, policy)
    window = MainWindow(lambda: (sqlite_db, policy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    titles = [a.text() for a in window.menuBar().actions()]
    assert "&Conference" in titles
    assert window.convene_action.text() == "Convene review…" and window.rearrange_action.text() == "Rearrange…"

    def answer(dialog):  # what pressing Convene review with the date left empty does
        dialog.make()
        return dialog.result()

    monkeypatch.setattr(cd.NextMeetingDialog, "exec", answer)
    window.table.selectRow(0)
    window.convene_action.trigger()
    qtbot.waitUntil(window.in_workspace)
    opened = window.session.bundle
    assert opened.conference.kind is MeetingKind.FIRST_REVIEW
    assert opened.conference.previous_conference_id == demo.conference.id
    assert {c.id for c in opened.considered_children()} == {c.id for c in demo.considered_children()}
