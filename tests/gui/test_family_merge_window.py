"""Conference > Merge family records… in the window (issue 13): the register's suggestion is offered, nothing
moves until the person says yes, a refusal is one line in the form, and the merge is undone from the form."""

from __future__ import annotations

from datetime import date, timedelta

from chair_app.gui import family_merge as fm
from chair_app.gui.main_window import MainWindow
from chair_app.services import conferences, signoff
from chair_app.services import register as reg
from chair_app.services.demo import build_demo
from tests.conftest import dump

WHO = "Helen Marsh"


def two_records(db, policy, *, finalise_first=False):
    """The Hayes family's conference, and its review typed as a New conference (a second family record)."""
    first = conferences.add_conference(db, build_demo(policy, date.today()))
    if finalise_first:
        signoff.finalise(db, first.conference.ref, who=WHO)
    again = build_demo(policy, date.today() + timedelta(days=90))
    again.family.name = "Hayes family (typed again)"
    again.plan_history = []
    return first, conferences.add_conference(db, again)


def test_the_register_suggests_the_other_record_and_a_no_changes_nothing(qtbot, sqlite_db, policy):
    first, second = two_records(sqlite_db, policy)
    dialog = fm.MergeFamilyDialog(sqlite_db, second.conference.ref, WHO)
    qtbot.addWidget(dialog)
    assert [s.ref for s in dialog.suggestions] == [first.conference.ref]
    assert "Baby Hayes: same local child ID" in dialog.other.currentText()
    asked = []
    dialog.ask = lambda question: asked.append(question) or False
    before = dump(sqlite_db)
    dialog.merge()
    assert asked and asked[0].startswith("Merge Hayes family (")  # the other record, kept by default: this one
    assert dialog.message.text() == "Nothing was changed" and dump(sqlite_db) == before


def test_yes_merges_into_the_record_with_finalised_conferences_and_undo_takes_it_back(qtbot, sqlite_db, policy):
    first, second = two_records(sqlite_db, policy, finalise_first=True)
    dialog = fm.MergeFamilyDialog(sqlite_db, second.conference.ref, WHO)
    qtbot.addWidget(dialog)
    assert dialog.keep_other.isChecked()  # the finalised record is the one kept, and the form says why
    assert dialog.message.text() == "Hayes family has a signed-off conference, so its record is the one kept"
    dialog.ask = lambda _question: True
    dialog.merge()
    assert dialog.message.text().startswith(
        "Merged Hayes family (typed again) into Hayes family: 1 conference and 3 children moved"
    )
    assert reg.merged_families(sqlite_db) == {second.family.id: first.family.id}
    twice = dialog.message.text().partition("Recorded twice, it seems: ")[2]  # the next step, suggested only
    assert {"Kayden Hayes", "Lily-Mae Hayes", "Baby Hayes"} <= set(twice.partition(" (")[0].split(", "))
    assert dialog.undo_button.isEnabled() and not dialog.merge_button.isEnabled()
    dialog.undo()
    assert reg.merged_families(sqlite_db) == {}
    assert conferences.load(sqlite_db, second.conference.ref).family.id == second.family.id
    assert dialog.message.text().endswith("are separate again")


def test_keeping_the_wrong_record_is_refused_in_one_line_and_stores_nothing(qtbot, sqlite_db, policy):
    first, second = two_records(sqlite_db, policy, finalise_first=True)
    dialog = fm.MergeFamilyDialog(sqlite_db, second.conference.ref, WHO)
    qtbot.addWidget(dialog)
    dialog.keep_this.setChecked(True)  # the person overrides: the finalised family would be the one dropped
    dialog.ask = lambda _question: True
    before = dump(sqlite_db)
    dialog.merge()
    assert dialog.message.text().startswith("DROP: Hayes family has a finalised conference")
    assert "\n" not in dialog.message.text() and dump(sqlite_db) == before
    dialog.other_ref.setText("C-NOPE")
    dialog.merge()
    assert dialog.message.text().startswith("DROP: no conference 'C-NOPE'")  # (this record kept: C-NOPE dropped)
    assert dump(sqlite_db) == before


def from_the_conference_menu(qtbot, db, policy, attribute: str, text: str):
    """The window on the list, the first conference chosen, and the Conference menu's ``<attribute>_action``
    (whose words are ``text``) triggered: the merge window it opened."""
    window = MainWindow(lambda: (db, policy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() > 0)
    action = getattr(window, f"{attribute}_action")
    assert action.text() == text
    window.table.selectRow(0)
    action.trigger()
    dialog = getattr(window, f"{attribute}_dialog")
    assert dialog.isVisible()
    return dialog


def test_the_conference_menu_offers_the_merge_for_the_chosen_conference(qtbot, sqlite_db, policy):
    two_records(sqlite_db, policy)
    dialog = from_the_conference_menu(qtbot, sqlite_db, policy, "merge_family", "&Merge family records…")
    assert len(dialog.suggestions) == 1
    dialog.reject()
