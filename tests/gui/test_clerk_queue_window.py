"""The clerk's queue window (issue 14): overdue first, what is missing, and recording a document sent."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

from chair_app.gui.clerk_queue import ClerkQueueDialog
from chair_app.rules.distribution import Stage
from chair_app.services import accounts, signoff
from chair_app.services.demo import create_demo

TODAY = date(2025, 6, 4)
PASSWORD = "correct horse battery"


def _queue(qtbot, db, policy) -> ClerkQueueDialog:
    dialog = ClerkQueueDialog(db, policy, today=TODAY)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: bool(dialog.items) and not dialog.tasks.busy())
    return dialog


def test_the_queue_window_lists_overdue_first_and_records_a_record_sent_by_post(qtbot, sqlite_db, policy):
    late = create_demo(sqlite_db, policy, date(2025, 3, 3))
    signoff.finalise(sqlite_db, late.conference.ref, who="Helen Marsh")
    typing = create_demo(sqlite_db, policy, date(2025, 6, 4))  # held today: its letter is due tomorrow
    dialog = _queue(qtbot, sqlite_db, policy)
    table = dialog.table
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [late.conference.ref, typing.conference.ref]
    assert table.item(0, 3).text() == Stage.TO_SEND_OUT.value and table.item(0, 5).text() == "Overdue"
    assert table.item(1, 3).text() == Stage.TO_TYPE_UP.value and table.item(1, 5).text() == ""
    assert dialog.summary.text() == "1 overdue of 2"
    table.selectRow(0)
    assert "Record: due 10/03/2025, not sent (overdue); not yet to" in dialog.detail.text()

    dialog.document.setCurrentIndex(dialog.document.findData("record"))
    dialog.method.setCurrentIndex(dialog.method.findData("post"))
    dialog.sent_on.setDate(QDate(2025, 3, 7))
    dialog.send.click()
    assert dialog.message.text().startswith("Noted: conference record sent on 07/03/2025 to ")
    qtbot.waitUntil(
        lambda: not dialog.tasks.busy() and "Record: due 10/03/2025, sent 07/03/2025" in dialog.detail.text()
    )

    dialog.stage.setCurrentIndex(dialog.stage.findData(Stage.TO_TYPE_UP))
    assert [table.item(r, 0).text() for r in range(table.rowCount())] == [typing.conference.ref]


def test_a_refused_sending_says_why_in_the_window_and_records_nothing(qtbot, sqlite_db, policy):
    typing = create_demo(sqlite_db, policy, date(2025, 6, 2))
    dialog = _queue(qtbot, sqlite_db, policy)
    dialog.table.selectRow(0)
    dialog.document.setCurrentIndex(dialog.document.findData("record"))
    dialog.send.click()
    assert dialog.message.text() == f"record: {typing.conference.ref} is not signed off yet; it goes out once it is"


def test_a_manager_reads_the_queue_without_the_sending_controls(qtbot, sqlite_db, policy):
    create_demo(sqlite_db, policy, date(2025, 6, 2))
    accounts.first_administrator(sqlite_db, policy, name="admin", full_name="", password=PASSWORD)
    accounts.create_account(sqlite_db, name="manager", full_name="", roles=["manager"], password=PASSWORD)
    accounts.sign_in(sqlite_db, policy, "manager", PASSWORD)
    dialog = _queue(qtbot, sqlite_db, policy)
    assert dialog.table.rowCount() == 1 and not dialog.send_box.isVisible()
