"""Two people on one conference: a stale edit always meets the conflict dialog, and nothing is overwritten
without the person choosing (issue 11, the window's half).

A is a chair's window (MainWindow, typing into a map item); B is a colleague's edit session on the same
conference in the same database (SQLite, and PostgreSQL through the ``db`` fixture), who reads the record and
changes it. What is checked is what the store holds, read back through a fresh load.
"""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceStatus, Category, MappingSection, Outcome, QuoracyOutcome
from chair_app.gui.main_window import MainWindow
from chair_app.gui.workspace.session import EditSession
from chair_app.services import conferences, recording
from chair_app.services import workspace as wsvc
from chair_app.services.demo import build_demo
from chair_app.store.journal import DEVICE_ENV

TRIALS = 21  # per database: each of the three choices seven times (the issue measured 20)
COLLEAGUE = "Sam Clerk"
B_DEVICE = str(uuid.UUID(int=0xB))


@pytest.fixture
def place(tmp_path) -> Path:
    return tmp_path / "place.json"


@pytest.fixture
def demo(db, policy):
    return conferences.add_conference(db, build_demo(policy, date.today()))


def start(qtbot, db, policy, place, conference_id, step: str) -> MainWindow:
    window = MainWindow(lambda: (db, policy), place_file=place)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
    window.open_conference(conference_id, step)
    qtbot.waitUntil(lambda: window.session is not None and window.session.conference_id == conference_id)
    return window


def colleague(db, policy, conference_id) -> EditSession:
    """B: another person's edit session on the same conference, as their window would hold it."""
    return EditSession(db, policy, wsvc.load(db, conference_id), COLLEAGUE)


def stored_text(db, conference_id, item_id) -> str:
    return next(i.text for i in wsvc.load(db, conference_id).mapping_items if i.id == item_id)


def first_strength(window: MainWindow, demo) -> m.MappingItem:
    mapping = window.workspace.pages["mapping"]
    mapping.section_views[MappingSection.STRENGTH].selectRow(0)
    item = mapping.s.record(m.MappingItem, mapping.item_id)
    assert item is not None
    return item


def type_at_end(qtbot, box, text: str) -> None:
    box.setFocus()
    box.moveCursor(box.textCursor().MoveOperation.End)
    qtbot.keyClicks(box, text)


@contextmanager
def on_bs_laptop():
    """B's edits come from another installation (its own device id), as a colleague's would."""
    before = os.environ.get(DEVICE_ENV)
    os.environ[DEVICE_ENV] = B_DEVICE
    try:
        yield
    finally:
        if before is None:
            del os.environ[DEVICE_ENV]
        else:
            os.environ[DEVICE_ENV] = before


def b_changes(b: EditSession, item_id, text: str) -> None:
    with on_bs_laptop():
        b.reload()  # B reads the record as it is now, then changes it
        assert b.set(m.MappingItem, item_id, {"text": text}, typing=True)
        b.end_typing()


def test_a_stale_keystroke_always_meets_the_dialog_and_each_choice_stores_what_it_says(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    ws, mapping = window.workspace, window.workspace.pages["mapping"]
    item = first_strength(window, demo)
    b = colleague(db, policy, demo.conference.id)
    box = mapping.item_text
    shown = 0
    for n in range(TRIALS):
        type_at_end(qtbot, box, " a")  # A is typing in the field
        mine_before = box.toPlainText()
        assert stored_text(db, demo.conference.id, item.id) == mine_before
        theirs = f"Sam's words, version {n}."
        b_changes(b, item.id, theirs)
        if n % 2:  # the window reads the conference again (as it does on hearing of B's change) ...
            window.session.reload()
            assert box.toPlainText() == mine_before  # ... and leaves the box being typed into as it was
        qtbot.keyClicks(box, "b")  # the keystroke that meets B's change
        dialog = ws.conflicts.dialog()
        assert dialog is not None, f"trial {n}: no conflict dialog"
        shown += 1
        # Nothing settled yet: B's text is stored, A's (with the keystroke) is in the box and in the dialog.
        assert stored_text(db, demo.conference.id, item.id) == theirs
        assert box.toPlainText() == mine_before + "b"
        assert dialog.yours.toPlainText() == mine_before + "b"
        assert dialog.theirs.toPlainText() == theirs
        assert COLLEAGUE in dialog.who_when.text()
        assert date.today().strftime("%d/%m/%Y") in dialog.who_when.text()
        choice = ("mine", "theirs", "merge")[n % 3]
        if choice == "mine":
            dialog.keep_mine.click()
            expected = mine_before + "b"
        elif choice == "theirs":
            dialog.keep_theirs.click()
            expected = theirs
        else:
            dialog.merge.click()
            assert dialog.merged.isVisible()
            assert theirs in dialog.merged.toPlainText() and mine_before + "b" in dialog.merged.toPlainText()
            expected = f"Both: {theirs}"
            dialog.merged.setPlainText(expected)
            dialog.save_merged.click()
        assert ws.conflicts.dialog() is None
        assert stored_text(db, demo.conference.id, item.id) == expected, choice
        assert box.toPlainText() == expected
        assert not box.property("invalid")
        ws.end_typing()
    assert shown == TRIALS


def test_closing_the_dialog_keeps_yours_in_the_box_and_the_next_keystroke_asks_again(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    ws, mapping = window.workspace, window.workspace.pages["mapping"]
    item = first_strength(window, demo)
    b = colleague(db, policy, demo.conference.id)
    box = mapping.item_text
    type_at_end(qtbot, box, " a")
    b_changes(b, item.id, "Sam's text")
    qtbot.keyClicks(box, "b")
    dialog = ws.conflicts.dialog()
    assert dialog is not None
    mine = dialog.yours.toPlainText()
    dialog.copy_mine.click()
    from PySide6.QtWidgets import QApplication

    assert QApplication.clipboard().text() == mine
    dialog.later.click()  # closed without a choice
    assert ws.conflicts.dialog() is None
    assert stored_text(db, demo.conference.id, item.id) == "Sam's text"  # nothing stored
    assert box.toPlainText() == mine and box.property("invalid")  # yours kept, marked not saved
    assert "Not saved" in ws.problem_line.text.text()
    # Choosing another item and coming back still shows yours (the session holds it, not only the widget).
    mapping.section_views[MappingSection.STRENGTH].selectRow(1)
    mapping.section_views[MappingSection.STRENGTH].selectRow(0)
    assert box.toPlainText() == mine
    type_at_end(qtbot, box, "c")  # typing on asks again, with what was typed meanwhile as yours
    dialog = ws.conflicts.dialog()
    assert dialog is not None and dialog.yours.toPlainText() == mine + "c"
    dialog.keep_mine.click()
    assert stored_text(db, demo.conference.id, item.id) == mine + "c"


def test_keep_mine_meets_a_third_change_and_asks_again_instead_of_overwriting(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    ws, mapping = window.workspace, window.workspace.pages["mapping"]
    item = first_strength(window, demo)
    b = colleague(db, policy, demo.conference.id)
    type_at_end(qtbot, mapping.item_text, " a")
    b_changes(b, item.id, "First change")
    qtbot.keyClicks(mapping.item_text, "b")
    dialog = ws.conflicts.dialog()
    b_changes(b, item.id, "Second change, while the dialog was open")
    dialog.keep_mine.click()
    assert ws.conflicts.dialog() is dialog and dialog.message.isVisible()
    assert dialog.theirs.toPlainText() == "Second change, while the dialog was open"
    assert stored_text(db, demo.conference.id, item.id) == "Second change, while the dialog was open"
    dialog.keep_theirs.click()
    assert mapping.item_text.toPlainText() == "Second change, while the dialog was open"


def test_undoing_a_value_the_colleague_changed_since_is_refused_with_their_name(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    ws, mapping = window.workspace, window.workspace.pages["mapping"]
    item = first_strength(window, demo)
    b = colleague(db, policy, demo.conference.id)
    type_at_end(qtbot, mapping.item_text, " mine")
    ws.end_typing()
    index = window.session.stack.index()
    b_changes(b, item.id, "Sam's later text")
    ws.undo()
    assert stored_text(db, demo.conference.id, item.id) == "Sam's later text"  # not overwritten
    assert COLLEAGUE in ws.problem_line.text.text() and "not done" in ws.problem_line.text.text()
    assert window.session.stack.index() == index  # the step is still there, not applied
    assert window.session.stack.canUndo()


def test_a_colleagues_change_to_another_record_is_read_quietly_and_does_not_collide(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    mapping = window.workspace.pages["mapping"]
    item = first_strength(window, demo)
    other = next(i for i in demo.mapping_items if i.id != item.id)
    b = colleague(db, policy, demo.conference.id)
    type_at_end(qtbot, mapping.item_text, " a")
    b_changes(b, other.id, "Sam's other item")
    qtbot.waitUntil(lambda: window.session.record(m.MappingItem, other.id).text == "Sam's other item", timeout=10_000)
    conference_version = window.session.bundle.conference.version
    qtbot.keyClicks(mapping.item_text, "b")  # A's field is not the one B changed: stored, no dialog
    assert window.workspace.conflicts.dialog() is None
    # Edits to a map item move the item's version, not the conference's, in the store and in the copy.
    assert window.session.bundle.conference.version == conference_version
    assert wsvc.load(db, demo.conference.id).conference.version == conference_version
    assert stored_text(db, demo.conference.id, item.id).endswith(" ab")
    assert stored_text(db, demo.conference.id, other.id) == "Sam's other item"


def test_a_colleagues_change_to_another_field_of_the_same_record_is_no_conflict(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    mapping = window.workspace.pages["mapping"]
    item = first_strength(window, demo)
    b = colleague(db, policy, demo.conference.id)
    someone = next(p for p in demo.people if p.name != item.said_by)
    type_at_end(qtbot, mapping.item_text, " a")
    with on_bs_laptop():
        b.reload()
        assert b.set(m.MappingItem, item.id, {"said_by": someone.id})
    qtbot.keyClicks(mapping.item_text, "b")  # the record changed, but not this field: stored, no dialog
    assert window.workspace.conflicts.dialog() is None
    now = next(i for i in wsvc.load(db, demo.conference.id).mapping_items if i.id == item.id)
    assert now.text.endswith(" ab") and now.said_by == someone.id  # both kept
    copy = window.session.record(m.MappingItem, item.id)
    assert (copy.said_by, copy.version) == (someone.id, now.version)  # the window has theirs too


def test_a_field_typed_into_after_a_colleague_removed_the_record_keeps_yours_to_copy(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    ws, mapping = window.workspace, window.workspace.pages["mapping"]
    item = first_strength(window, demo)
    b = colleague(db, policy, demo.conference.id)
    type_at_end(qtbot, mapping.item_text, " a")
    with on_bs_laptop():
        b.reload()
        assert b.remove([(m.MappingItem, item.id)], "remove item")
    qtbot.keyClicks(mapping.item_text, "b")
    dialog = ws.conflicts.dialog()
    assert dialog is not None and "removed" in dialog.who_when.text()
    assert not dialog.keep_mine.isEnabled()  # nothing to store it in
    assert dialog.yours.toPlainText().endswith(" ab")
    dialog.keep_theirs.click()
    assert window.session.record(m.MappingItem, item.id) is None
    assert item.id not in {i.id for i in wsvc.load(db, demo.conference.id).mapping_items}


def test_a_colleagues_change_to_another_field_of_an_invitation_keeps_both(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    ws, s = window.workspace, window.session
    inv = next(i for i in s.bundle.invitations if i.status is not AttendanceStatus.DID_NOT_ATTEND)
    b = colleague(db, policy, demo.conference.id)
    with on_bs_laptop():
        assert b.set(m.Invitation, inv.id, {"core_group_member": not inv.core_group_member})
    assert s.set(m.Invitation, inv.id, {"status": AttendanceStatus.DID_NOT_ATTEND, "mode": None})
    assert ws.conflicts.dialog() is None
    stored_inv = next(i for i in wsvc.load(db, demo.conference.id).invitations if i.id == inv.id)
    assert stored_inv.status is AttendanceStatus.DID_NOT_ATTEND
    assert stored_inv.core_group_member is (not inv.core_group_member)


def test_a_stale_choice_meets_the_dialog_with_both_answers_in_words_and_keep_mine_stores_it(
    qtbot, db, policy, place, demo
):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    ws, s = window.workspace, window.session
    inv = next(i for i in s.bundle.invitations if i.status is AttendanceStatus.ATTENDED)
    b = colleague(db, policy, demo.conference.id)
    with on_bs_laptop():
        assert b.set(m.Invitation, inv.id, {"status": AttendanceStatus.DID_NOT_ATTEND, "mode": None})
    assert not s.set(m.Invitation, inv.id, {"status": AttendanceStatus.APOLOGIES, "mode": None})
    dialog = ws.conflicts.dialog()
    assert dialog is not None and COLLEAGUE in dialog.who_when.text()
    assert "Attendance: Did not attend" in dialog.theirs.toPlainText()
    assert "Attendance: Apologies" in dialog.yours.toPlainText()
    assert not dialog.merge.isVisible()  # merging is for text

    def stored_status() -> AttendanceStatus:
        return next(i for i in wsvc.load(db, demo.conference.id).invitations if i.id == inv.id).status

    assert stored_status() is AttendanceStatus.DID_NOT_ATTEND
    dialog.keep_mine.click()
    assert stored_status() is AttendanceStatus.APOLOGIES


def test_a_step_of_several_changes_is_undone_whole_or_not_at_all(qtbot, db, policy, place, demo):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    ws, mapping = window.workspace, window.workspace.pages["mapping"]
    first_strength(window, demo)
    index = window.session.stack.index()
    mapping.move_item(1)  # one step: the positions of two items, two journal entries
    assert window.session.stack.index() == index + 1
    strengths = sorted(
        (i for i in wsvc.load(db, demo.conference.id).mapping_items if i.section is MappingSection.STRENGTH),
        key=lambda i: i.position,
    )
    # B moves the item that went down: undo reaches it second, after the other item's position was undone.
    went_down = strengths[1]
    b = colleague(db, policy, demo.conference.id)
    with on_bs_laptop():
        b.reload()
        assert b.set(m.MappingItem, went_down.id, {"position": 5})
    before = _state(db)
    ws.undo()
    assert _state(db) == before  # neither entry undone: the half that could be was put back
    assert window.session.stack.index() == index + 1
    assert "not done" in ws.problem_line.text.text() and COLLEAGUE in ws.problem_line.text.text()


def _state(db) -> dict:
    """Every record's fields as the store holds them (not the journal, which grows with every undo, nor the
    bookkeeping columns: versions and times move forward with an undo too)."""
    from sqlalchemy import select

    from chair_app.store.journal import BOOKKEEPING
    from chair_app.store.models import Base

    out = {}
    with db.engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            if table.name in ("journal", "conference_snapshot") or "id" not in table.c:
                continue
            columns = [c for c in table.c if c.name not in BOOKKEEPING]
            out[table.name] = sorted(tuple(map(str, r)) for r in conn.execute(select(*columns)))
    return out


def test_undo_and_redo_of_set_add_remove_reveal_decision_and_proceeding_are_checked_in_the_store(
    qtbot, db, policy, place, demo
):
    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    s, ws = window.session, window.workspace
    cid = demo.conference.id
    lily = next(c for c in demo.children if c.forename == "Lily-Mae")
    s.operation("withdraw decision", lambda: recording.withdraw_decision(db, cid, lily.id, who=s.who))
    states = [_state(db)]
    item = next(i for i in s.bundle.mapping_items if i.section is MappingSection.STRENGTH)
    assert s.set(m.MappingItem, item.id, {"text": "Changed by A"})
    states.append(_state(db))
    new = m.MappingItem(conference_id=cid, section=MappingSection.NEXT_STEP, text="Added by A", position=99)
    assert s.add([new], "add item")
    states.append(_state(db))
    assert s.remove([(m.MappingItem, item.id)], "remove item")
    states.append(_state(db))
    pair = s.bundle.pairs[0]
    assert s.add([m.ScaleScore(conference_id=cid, pair_id=pair.id, label="Parents jointly", score=4)], "add score")
    states.append(_state(db))
    assert s.operation("reveal scores", lambda: wsvc.reveal_scores(db, cid, pair.id, who=s.who))
    states.append(_state(db))
    assert s.operation(
        "record decision",
        lambda: recording.record_decision(
            db,
            cid,
            lily.id,
            Outcome.PLAN,
            policy,
            category=Category.NEG,
            lead_agency="Children's social care",
            decided_on=date.today(),
            who=s.who,
        ),
    )
    states.append(_state(db))
    for inv in list(s.bundle.invitations):  # only the family stays: not quorate
        person = s.record(m.Person, inv.person_id)
        if person.role_code in ("social_worker", "family_support_worker"):
            s.set(m.Invitation, inv.id, {"status": AttendanceStatus.DID_NOT_ATTEND, "mode": None})
            states.append(_state(db))
    assert s.operation(
        "proceed without quorum",
        lambda: recording.proceed_not_quorate(db, cid, policy, "The baby is due within days.", who=s.who),
    )
    states.append(_state(db))
    assert wsvc.load(db, cid).conference.quoracy_outcome is QuoracyOutcome.PROCEEDED_NOT_QUORATE
    assert len(states) - 1 == s.stack.count() - 1  # every action one step (the withdrawal is the first)
    for expected in reversed(states[:-1]):
        ws.undo()
        assert _state(db) == expected
    for expected in states[1:]:
        ws.redo()
        assert _state(db) == expected
    assert "not done" not in ws.problem_line.text.text()  # no step was refused on the way


def test_a_run_of_typing_is_one_undo_step_and_one_journal_entry(qtbot, db, policy, place, demo):
    from chair_app.services import journal

    window = start(qtbot, db, policy, place, demo.conference.id, "mapping")
    mapping = window.workspace.pages["mapping"]
    item = first_strength(window, demo)
    original = item.text
    steps, entries = window.session.stack.count(), len(journal.history(db, demo.conference.id))
    type_at_end(qtbot, mapping.item_text, " every day")
    assert stored_text(db, demo.conference.id, item.id) == original + " every day"
    assert window.session.stack.count() == steps + 1
    assert len(journal.history(db, demo.conference.id)) == entries + 1
    qtbot.keyClick(mapping.item_text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert stored_text(db, demo.conference.id, item.id) == original
    assert mapping.item_text.toPlainText() == original
