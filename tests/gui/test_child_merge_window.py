"""Conference > Merge child records… in the window (issue 13): after two records of one family are merged, the
children typed in both are listed in pairs; nothing is merged until the person says yes; a refusal is one line
in the form; the last merge is undone from the form."""

from __future__ import annotations

from datetime import date, timedelta

from chair_app.gui import child_merge as cm
from chair_app.services import conferences, workspace
from chair_app.services import register as reg
from chair_app.services.demo import build_demo
from tests.conftest import dump
from tests.gui.test_family_merge_window import from_the_conference_menu

WHO = "Helen Marsh"


def merged_family(db, policy):
    """The Hayes family's conference, its review typed as a New conference, and the two family records merged:
    each of the three children is now in the family twice."""
    first = conferences.add_conference(db, build_demo(policy, date.today()))
    again = build_demo(policy, date.today() + timedelta(days=90))
    again.family.name = "Hayes family (typed again)"
    again.plan_history = []
    second = conferences.add_conference(db, again)
    reg.merge_families(db, first.conference.ref, second.conference.ref, who=WHO)
    return first, second


def test_the_pairs_are_listed_and_a_no_changes_nothing(qtbot, sqlite_db, policy):
    first, _second = merged_family(sqlite_db, policy)
    dialog = cm.MergeChildrenDialog(sqlite_db, first.conference.ref, WHO)
    qtbot.addWidget(dialog)
    listed = [dialog.pairs.item(i).text() for i in range(dialog.pairs.count())]
    assert len(listed) == 3 and all("\nand " in line for line in listed)
    assert any(line.startswith("Kayden Hayes (born ") for line in listed)
    assert any(line.startswith("Baby Hayes (due ") for line in listed)  # not yet born: the date is when due
    asked = []
    dialog.ask = lambda question: asked.append(question) or False
    before = dump(sqlite_db)
    dialog.merge()
    assert asked and asked[0].startswith("Record ") and "it can be undone" in asked[0]
    assert dialog.message.text() == "Nothing was changed" and dump(sqlite_db) == before


def test_yes_merges_the_chosen_pair_keeping_the_older_record_and_undo_takes_it_back(qtbot, sqlite_db, policy):
    first, second = merged_family(sqlite_db, policy)
    dialog = cm.MergeChildrenDialog(sqlite_db, first.conference.ref, WHO)
    qtbot.addWidget(dialog)
    dialog.ask = lambda _question: True
    kept, match = dialog.chosen()
    dialog.merge()
    assert reg.merged_children(sqlite_db) == {match.child_id: kept.id}
    assert kept.id in {c.id for c in first.children} and match.child_id in {c.id for c in second.children}
    said = f"Merged: the later record of {match.name} now counts as the same child as the older one"
    assert dialog.message.text() == said
    assert dialog.pairs.count() == 2 and dialog.undo_button.isEnabled()  # the merged pair is no longer offered
    dialog.undo()
    assert reg.merged_children(sqlite_db) == {}
    assert dialog.pairs.count() == 3 and not dialog.undo_button.isEnabled()
    assert dialog.message.text().endswith("is a child of its own again")


def test_two_different_local_child_ids_are_refused_in_one_line_and_nothing_is_stored(qtbot, sqlite_db, policy):
    first, second = merged_family(sqlite_db, policy)
    dialog = cm.MergeChildrenDialog(sqlite_db, first.conference.ref, WHO)
    qtbot.addWidget(dialog)
    kept, match = dialog.chosen()
    for record, local_id in ((kept.id, "LC-1"), (match.child_id, "LC-2")):  # a clerk corrected one ID meanwhile
        conference = first if record in {c.id for c in first.children} else second
        workspace.set_fields(
            sqlite_db,
            conference.conference.id,
            type(kept),
            record,
            {"local_child_id": local_id},
            who=WHO,
            policy=policy,
            seen=None,
        )
    dialog.ask = lambda _question: True
    before = dump(sqlite_db)
    dialog.merge()
    assert dialog.message.text().startswith("merge: the local child IDs differ (LC-1, LC-2)")
    assert "\n" not in dialog.message.text() and dump(sqlite_db) == before


def test_the_conference_menu_offers_it_for_the_chosen_conference(qtbot, sqlite_db, policy):
    merged_family(sqlite_db, policy)
    dialog = from_the_conference_menu(qtbot, sqlite_db, policy, "merge_children", "Merge &child records…")
    assert dialog.pairs.count() == 3
    dialog.reject()
