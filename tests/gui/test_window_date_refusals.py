"""The refusal corpus, window part: dates typed into the window's date boxes are refused with one line in the
window, the same words as the command line uses, and nothing is stored."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import dump

BAD_DATES = [
    ("31/02/2026", "31/02/2026 is not a date: February 2026 has 28 days"),
    ("29/02/2027", "29/02/2027 is not a date: February 2027 has 28 days"),
    ("30/02/2028", "30/02/2028 is not a date: February 2028 has 29 days"),
    ("31/04/2026", "31/04/2026 is not a date: April 2026 has 30 days"),
    ("31/06/2026", "31/06/2026 is not a date: June 2026 has 30 days"),
    ("31/09/2026", "31/09/2026 is not a date: September 2026 has 30 days"),
    ("31/11/2026", "31/11/2026 is not a date: November 2026 has 30 days"),
    ("32/12/2026", "32/12/2026 is not a date: December 2026 has 31 days"),
    ("00/12/2026", "00/12/2026 is not a date: there is no day 0"),
    ("12/13/2026", "12/13/2026 is not a date: there is no month 13"),
    ("2026-02-30", "2026-02-30 is not a date: February 2026 has 28 days"),
    ("01/01/0001", "01/01/0001 is not a date this app can use: give a year from 1900 to 2200"),
    ("31/12/9999", "31/12/9999 is not a date this app can use: give a year from 1900 to 2200"),
    ("next tuesday", "type a date as dd/mm/yyyy, e.g. 07/03/2026"),
    ("12/2026", "type a date as dd/mm/yyyy, e.g. 07/03/2026"),
    ("12-03-2026", "type a date as dd/mm/yyyy, e.g. 07/03/2026"),
    ("\u0661\u0662/\u0660\u0663/\u0662\u0660\u0662\u0666", "type a date as dd/mm/yyyy, e.g. 07/03/2026"),
    ("1/1/1", "type a date as dd/mm/yyyy, e.g. 07/03/2026"),
]


@pytest.fixture
def dialog(qtbot, sqlite_db, policy):
    from chair_app.gui.workspace.create_dialog import CreateConferenceDialog

    d = CreateConferenceDialog(sqlite_db, policy, "tester")
    qtbot.addWidget(d)
    d.family.setText("Test family")
    d.c_forename.setText("Ava")
    d.c_dob.setText("01/05/2019")
    d.add_child()
    assert len(d.children) == 1
    return d


@pytest.mark.parametrize("typed,message", BAD_DATES, ids=[t for t, _ in BAD_DATES])
def test_a_bad_conference_date_is_named_in_one_line_and_nothing_is_stored(dialog, sqlite_db, typed, message):
    before = dump(sqlite_db)
    dialog.held_on.setText(typed)
    dialog.create()
    shown = dialog.message.text()
    assert shown == f"Date: {message}"
    assert "\n" not in shown and "unexpected" not in shown
    assert dialog.created is None and dump(sqlite_db) == before


@pytest.mark.parametrize("typed,message", BAD_DATES[:6], ids=[t for t, _ in BAD_DATES[:6]])
def test_a_bad_date_of_birth_is_named_and_the_child_is_not_added(dialog, typed, message):
    dialog.c_forename.setText("Ben")
    dialog.c_dob.setText(typed)
    dialog.add_child()
    assert dialog.message.text() == f"Child's date of birth: {message}"
    assert [c.forename for c in dialog.children] == ["Ava"]


def test_a_conference_date_outside_the_policys_years_is_refused_in_the_window(dialog, sqlite_db):
    before = dump(sqlite_db)
    far = date.today() + timedelta(days=365 * 5)
    dialog.held_on.setText(far.strftime("%d/%m/%Y"))
    dialog.create()
    assert dialog.message.text().startswith(f"Date: {far.strftime('%d/%m/%Y')} is outside the dates the policy allows")
    assert dialog.created is None and dump(sqlite_db) == before


def test_a_control_character_in_a_name_is_refused_in_the_window(dialog, sqlite_db):
    before = dump(sqlite_db)
    dialog.c_forename.setText("A\x1bB")
    dialog.c_dob.setText("01/05/2019")
    dialog.add_child()
    assert "U+001B" in dialog.message.text() and len(dialog.children) == 1
    dialog.family.setText("Hayes\x00 family")
    dialog.create()
    assert "U+0000" in dialog.message.text()
    assert dialog.created is None and dump(sqlite_db) == before
