"""The chair's workspace, driven as a chair would drive it (pytest-qt, offscreen).

What is checked is what the store holds afterwards, read back through a fresh load: the screen is only the
way in.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QLineEdit,
    QListWidget,
    QPlainTextEdit,
    QSpinBox,
    QTableView,
)

from chair_app.domain import model as m
from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Category,
    MappingSection,
    MeetingKind,
    Outcome,
    ParticipationCode,
    QuoracyOutcome,
)
from chair_app.gui.main_window import MainWindow
from chair_app.gui.workspace.fields import ChoiceBinder
from chair_app.gui.workspace.models import RecordTableModel
from chair_app.gui.workspace.presentation import BODY_PT, PresentationWindow, room_map, room_text
from chair_app.gui.workspace.steps.base import ATTENDANCE_CHOICES
from chair_app.services import conferences
from chair_app.services import workspace as wsvc
from chair_app.services.demo import build_demo
from tests.conftest import dump


@pytest.fixture
def place(tmp_path) -> Path:
    return tmp_path / "place.json"


@pytest.fixture
def demo(sqlite_db, policy):
    return conferences.add_conference(sqlite_db, build_demo(policy, date.today()))


def start(qtbot, db, policy, place) -> MainWindow:
    window = MainWindow(lambda: (db, policy), place_file=place)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
    return window


def open_at(qtbot, window: MainWindow, conference_id, step: str):
    window.open_conference(conference_id, step)
    # ... and the list's summary of the chosen row, read on a worker, has arrived (it writes an audit entry)
    qtbot.waitUntil(
        lambda: window.session is not None and window.session.conference_id == conference_id and window.is_ready()
    )
    return window.workspace


def stored(db, conference_id) -> m.ConferenceBundle:
    return wsvc.load(db, conference_id)


def choose(combo: QComboBox, data) -> None:
    """What a user's choice in a combo box does: pick the item and emit ``activated``."""
    binder = combo.findChild(ChoiceBinder)
    index = binder.values.index(data) if binder is not None else combo.findData(data)
    assert index >= 0, data
    combo.setCurrentIndex(index)
    combo.activated.emit(index)


def type_into(qtbot, widget, text: str) -> None:
    widget.setFocus()
    if isinstance(widget, QLineEdit):
        widget.selectAll()
    qtbot.keyClicks(widget, text)


def roll_call(page, name: str, choice: str) -> None:
    view = page.view
    for row in range(view.model().rowCount()):
        if view.model().index(row, 0).data() == name:
            view.selectRow(row)
            break
    else:
        raise AssertionError(name)
    n = next(i for i, (text, _s, _m) in enumerate(ATTENDANCE_CHOICES) if text == choice)
    page.group.button(n).click()


# ---------------------------------------------------------------------------------------------------------


def test_a_whole_initial_conference_from_creation_to_the_plan(qtbot, sqlite_db, policy, place):
    db = sqlite_db
    window = start(qtbot, db, policy, place)
    today = date.today()

    def fill() -> None:
        d = window.create_dialog
        choose(d.kind, MeetingKind.INITIAL)
        d.held_on.setText(today.strftime("%d/%m/%Y"))
        d.family.setText("Okafor family")
        d.chair.setText("Helen Marsh")
        d.venue.setText("Room 1, County Hall")
        for forename, born in (("Ava", "01/05/2019"), ("Remi", (today - timedelta(days=700)).strftime("%d/%m/%Y"))):
            d.c_forename.setText(forename)
            d.c_surname.setText("Okafor")
            d.c_dob.setText(born)
            d.add_child()
        d.create()  # refused: no invitees is allowed, but check the form keeps what was typed
        assert d.created is not None

    # First a refusal: the dialog says what is missing and stores nothing.
    def refuse_then_fill() -> None:
        d = window.create_dialog
        d.family.setText("")
        d.create()
        assert d.message.text().startswith("Family: give how the family is known")
        assert d.isVisible()
        for name, role in (
            ("Ngozi Okafor", "parent"),
            ("Jo Fenton", "social_worker"),
            ("Ann Price", "health_visitor"),
            ("Sam Lee", "school"),
        ):
            d.p_name.setText(name)
            d.p_role.setCurrentIndex(d.p_role.findData(role))
            d.add_invitee()
        fill()

    before = dump(db)
    QTimer.singleShot(0, refuse_then_fill)
    window.new_conference()
    assert dump(db) != before
    ws = window.workspace
    assert window.session is not None and ws.step() == "before"
    cid = window.session.conference_id
    assert stored(db, cid).family.name == "Okafor family"

    # Before: the strategy discussion date, stored when the box is left; a bad date is refused in one line.
    before_page = ws.pages["before"]
    sd = before_page.date_fields["strategy_discussion_on"]
    type_into(qtbot, sd, "31/02/2026")
    sd.editingFinished.emit()
    assert ws.problem_line.text.text() == "Strategy discussion: 31/02/2026 is not a date: February 2026 has 28 days"
    assert stored(db, cid).conference.strategy_discussion_on is None
    type_into(qtbot, sd, (today - timedelta(days=10)).strftime("%d/%m/%Y"))
    sd.editingFinished.emit()
    assert stored(db, cid).conference.strategy_discussion_on == today - timedelta(days=10)
    choose(before_page.source, "6")
    assert stored(db, cid).conference.referral_source == "6"

    # Welcome: an inquorate roll-call, then quorate.
    ws.go("welcome")
    welcome = ws.pages["welcome"]
    roll_call(welcome, "Ngozi Okafor", "Present in person")
    roll_call(welcome, "Jo Fenton", "Present in person")
    roll_call(welcome, "Ann Price", "Apologies")
    roll_call(welcome, "Sam Lee", "Did not attend")
    assert welcome.banner.kind in ("warning", "stop")
    assert "not quorate" in welcome.banner.text.text().lower()
    assert not welcome.quorate_button.isEnabled()
    roll_call(welcome, "Ann Price", "Present by video")
    roll_call(welcome, "Sam Lee", "Present by phone")
    assert welcome.banner.kind == "ok"
    assert welcome.banner.icon.pixmap() is not None and welcome.banner.text.text()  # icon and words
    welcome.quorate_button.click()
    conf = stored(db, cid)
    assert conf.conference.quoracy_outcome is QuoracyOutcome.QUORATE
    modes = {conf.person(i.person_id).name: (i.status, i.mode) for i in conf.invitations}
    assert modes["Ann Price"] == (AttendanceStatus.ATTENDED, AttendanceMode.VIDEO)

    # Mapping: add with the keys, type, move between columns, a danger statement with private scaling.
    ws.go("mapping")
    mapping = ws.pages["mapping"]
    mapping.add_item(MappingSection.PAST_HARM)
    qtbot.keyClicks(mapping.item_text, "Ava was left alone at home overnight in October.")
    mapping.add_item(MappingSection.STRENGTH)
    qtbot.keyClicks(mapping.item_text, "Ngozi takes Ava to school every day.")
    mapping.add_item(MappingSection.PAST_HARM)
    qtbot.keyClicks(mapping.item_text, "Grandma collects Remi from nursery.")
    mapping.move_column(1)  # the chair moves it to What's working well
    mapping.add_item(MappingSection.NEXT_STEP)
    qtbot.keyClicks(mapping.item_text, "Jo to visit weekly.")
    mapping.add_pair()
    qtbot.keyClicks(mapping.danger, "We are worried the children will be left alone again.")
    qtbot.keyClicks(mapping.goal, "An adult is always at home with the children.")
    mapping.agreed.setValue(2)
    assert mapping.escalation.isVisible() and mapping.escalation.text.text()
    for n in (3, 5):
        mapping.score_value.setValue(n)
        mapping.add_score()
    scorer = mapping.score_who.itemText(0).split(" (")[0]  # each person scores on their own: no joint score
    html_before = room_text(room_map(window.session.bundle))
    assert "2 score(s) given, not yet revealed" in html_before and f"{scorer}: 3" not in html_before
    mapping.reveal()
    assert f"{scorer}: 3" in room_text(room_map(window.session.bundle))

    conf = stored(db, cid)
    texts = {(i.section, i.text) for i in conf.mapping_items}
    assert (MappingSection.STRENGTH, "Grandma collects Remi from nursery.") in texts
    assert (MappingSection.PAST_HARM, "Ava was left alone at home overnight in October.") in texts
    assert conf.pairs[0].safety_goal == "An adult is always at home with the children."
    assert conf.pairs[0].scale == 2
    assert sorted(s.score for s in conf.scores) == [3, 5] and all(s.revealed for s in conf.scores)

    # Child's voice: PN0 is filled in for Remi; Ava gets PN1 from the codes offered (PN0 is not).
    ws.go("voice")
    voice = ws.pages["voice"]
    voice.view.selectRow(1)
    assert voice.code_binder.values == [None, ParticipationCode.PN0]  # under 4: only PN0 is offered
    voice.view.selectRow(0)
    assert ParticipationCode.PN0 not in voice.code_binder.values
    choose(voice.code, ParticipationCode.PN1)
    qtbot.keyClicks(voice.views, "I want my mum to stay home.")
    conf = stored(db, cid)
    codes = {conf.child(v.child_id).forename: v.participation_code for v in conf.conference_children}
    assert codes == {"Ava": ParticipationCode.PN1, "Remi": ParticipationCode.PN0}

    # Recommendations and decisions, for both children.
    ws.go("decision")
    decision = ws.pages["decision"]
    for index in range(decision.child.count()):
        decision.child.setCurrentIndex(index)
        decision.rec_who.setCurrentIndex(decision.rec_who.findText("Jo Fenton", Qt.MatchFlag.MatchStartsWith))
        decision.rec_outcome.setCurrentIndex(decision.rec_outcome.findData(Outcome.PLAN))
        decision.rec_category.setCurrentIndex(decision.rec_category.findData(Category.NEG))
        decision.add_recommendation()
        decision.outcome.setCurrentIndex(decision.outcome.findData(Outcome.PLAN))
        decision.category.setCurrentIndex(decision.category.findData(Category.NEG))
        decision.lead.setText("Children's social care")
        qtbot.keyClicks(decision.reasons, "Left alone overnight.")  # typed before the decision is recorded
        decision.record_decision()
        qtbot.keyClicks(decision.dissent, "Ngozi disagreed.")  # typed after: stored as it is typed
    conf = stored(db, cid)
    assert {d.outcome for d in conf.decisions} == {Outcome.PLAN} and len(conf.decisions) == 2
    assert all(d.dissent == "Ngozi disagreed." for d in conf.decisions)
    assert [d.reasons for d in conf.decisions] == ["Left alone overnight."] * 2
    assert len(conf.recommendations) == 2

    # Plan: an action, the core group, and the suggested dates.
    ws.go("plan")
    plan = ws.pages["plan"]
    plan.add_action()
    qtbot.keyClicks(plan.what, "Ngozi to arrange childcare for evenings")
    type_into(qtbot, plan.who, "Ngozi Okafor")
    plan.by_when.setText((today + timedelta(days=14)).strftime("%d/%m/%Y"))
    plan.by_when.editingFinished.emit()
    for row in range(plan.core_view.model().rowCount()):
        plan.core_view.selectRow(row)
        plan.toggle_core()
    plan.use_suggested()
    conf = stored(db, cid)
    assert conf.actions[0].what == "Ngozi to arrange childcare for evenings"
    assert conf.actions[0].who == "Ngozi Okafor" and conf.actions[0].by_when == today + timedelta(days=14)
    assert all(i.core_group_member for i in conf.invitations)
    assert conf.conference.next_review_on is not None

    # Close: the reports reached nobody in time, and the checklist says so until a reason is recorded.
    ws.go("close")
    close = ws.pages["close"]
    assert close.status.kind == "warning"
    assert "Timescales: Report shared with parents" in close.checklist.text()
    ws.go("before")
    assert set(before_page.delay_edits) >= {"report_to_parents", "report_to_chair"}, before_page.delay_edits
    for edit in before_page.delay_edits.values():
        type_into(qtbot, edit, "The social worker was off sick")
    ws.go("close")
    assert close.status.kind == "ok", close.checklist.text()
    reasons = {d.measure: d.reason for d in stored(db, cid).delay_reasons}
    assert set(reasons.values()) == {"The social worker was off sick"}

    # The documents from the Close step: the plan is prepared from what was just stored.
    close.document_buttons["plan"].click()
    dialog = window.documents
    assert dialog.choice.currentText() == "Child protection plan"
    qtbot.waitUntil(lambda: dialog.produced is not None and not dialog.tasks.busy(), timeout=30_000)
    assert dialog.pdf.pageCount() >= 1
    dialog.close()


def test_undo_and_redo_reach_the_store(qtbot, sqlite_db, policy, place, demo):
    db = sqlite_db
    window = start(qtbot, db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "mapping")
    mapping = ws.pages["mapping"]
    item = sorted((i for i in demo.mapping_items if i.section is MappingSection.STRENGTH), key=lambda i: i.position)[0]
    mapping.section_views[MappingSection.STRENGTH].selectRow(0)
    assert mapping.item_id == item.id
    mapping.item_text.setFocus()
    mapping.item_text.moveCursor(mapping.item_text.textCursor().MoveOperation.End)
    qtbot.keyClicks(mapping.item_text, " Every day.")
    text = lambda: next(i.text for i in stored(db, demo.conference.id).mapping_items if i.id == item.id)  # noqa: E731
    assert text() == item.text + " Every day."  # each keystroke stored
    qtbot.keyClick(mapping.item_text, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert text() == item.text  # the typing was one undo step
    assert mapping.item_text.toPlainText() == item.text
    ws.redo()
    assert text() == item.text + " Every day."

    # Adding and removing are undone too, whatever step the chair is on.
    mapping.add_item(MappingSection.NEXT_STEP)
    added = mapping.item_id
    assert added in {i.id for i in stored(db, demo.conference.id).mapping_items}
    ws.undo()
    assert added not in {i.id for i in stored(db, demo.conference.id).mapping_items}
    mapping.section_views[MappingSection.STRENGTH].selectRow(0)
    mapping.remove_item()
    assert item.id not in {i.id for i in stored(db, demo.conference.id).mapping_items}
    ws.go("welcome")
    ws.undo()
    assert text() == item.text + " Every day."

    # The roll-call and the quoracy record.
    welcome = ws.pages["welcome"]
    mark = next(i for i in demo.invitations if i.status is AttendanceStatus.APOLOGIES)
    name = demo.person(mark.person_id).name
    roll_call(welcome, name, "Present by phone")
    assert next(i for i in stored(db, demo.conference.id).invitations if i.id == mark.id).mode is AttendanceMode.PHONE
    ws.undo()
    assert next(i for i in stored(db, demo.conference.id).invitations if i.id == mark.id).status is (
        AttendanceStatus.APOLOGIES
    )
    ws.redo()
    assert next(i for i in stored(db, demo.conference.id).invitations if i.id == mark.id).mode is AttendanceMode.PHONE


def test_a_refused_edit_says_why_in_one_line_and_changes_nothing(qtbot, sqlite_db, policy, place, demo):
    db = sqlite_db
    window = start(qtbot, db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "plan")
    plan = ws.pages["plan"]
    before = dump(db)
    type_into(qtbot, plan.next_review, (demo.conference.held_on + timedelta(days=200)).strftime("%d/%m/%Y"))
    plan.next_review.editingFinished.emit()
    message = ws.problem_line.text.text()
    assert message.startswith("Reason the dates differ: type it first") and "\n" not in message
    assert plan.next_review.property("invalid")  # marked as not stored until it is changed
    assert dump(db) == before


def test_every_model_passes_the_model_tester(qtbot, qtmodeltester, sqlite_db, policy, place, demo):
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "before")
    ws.build_all_pages()
    models = ws.findChildren(RecordTableModel)
    assert len(models) >= 9
    for model in models:
        model.refresh()
        qtmodeltester.check(model)
    for view in ws.findChildren(QTableView):
        if isinstance(view.model(), QSortFilterProxyModel):
            qtmodeltester.check(view.model())


def test_every_control_has_an_accessible_name(qtbot, sqlite_db, policy, place, demo):
    from chair_app.gui.workspace.create_dialog import CreateConferenceDialog

    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "before")
    ws.build_all_pages()
    create = CreateConferenceDialog(sqlite_db, policy, "tester", window)
    unnamed = []
    for kind in (QLineEdit, QPlainTextEdit, QComboBox, QSpinBox, QTableView, QListWidget):
        for w in ws.findChildren(kind) + create.findChildren(kind):
            if kind is QLineEdit and isinstance(w.parent(), (QComboBox, QSpinBox)):
                continue
            if not w.accessibleName():
                unnamed.append(f"{kind.__name__} {w.objectName()} {w.placeholderText() if kind is QLineEdit else ''}")
    for b in ws.findChildren(QAbstractButton) + create.findChildren(QAbstractButton):
        if not (b.accessibleName() or b.text()):
            if b.objectName() != "qt_tableview_cornerbutton":
                unnamed.append(f"button {b.objectName()}")
    assert unnamed == []


def test_presentation_shows_the_map_large_and_hides_what_the_family_must_not_see(qtbot, sqlite_db, policy, place, demo):
    db = sqlite_db
    window = start(qtbot, db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "mapping")
    session = window.session
    mark = next(p for p in demo.people if p.contact_withheld)
    session.set(m.Person, mark.id, {"name_withheld": True})
    pair = demo.pairs[0]
    session.add([m.ScaleScore(conference_id=demo.conference.id, pair_id=pair.id, person_id=mark.id, score=7)], "s")
    screen = PresentationWindow(session)
    qtbot.addWidget(screen)
    screen.show()
    text = screen.text()
    assert "1 score(s) given, not yet revealed" in text
    assert mark.name not in text
    for person in demo.people:
        for detail in (person.phone, person.email, person.address):
            if detail:
                assert detail not in text
    assert BODY_PT >= 20
    doc, number = next(iter(screen.blocks.values()))
    assert doc.findBlockByNumber(number).charFormat().fontPointSize() >= screen.type_range()[0]  # fitted
    # Live: what the chair types appears at once.
    mapping = ws.pages["mapping"]
    mapping.add_item(MappingSection.STRENGTH)
    qtbot.keyClicks(mapping.item_text, "Sue visits every evening")
    assert "Sue visits every evening" in screen.text()
    doc, number = screen.blocks[mapping.item_id]
    assert doc.findBlockByNumber(number).text() == "•\tSue visits every evening"  # that paragraph was updated


def test_the_shortcut_sheet_lists_the_workspace_keys(qtbot, sqlite_db, policy, place, demo):
    window = start(qtbot, sqlite_db, policy, place)
    open_at(qtbot, window, demo.conference.id, "mapping")
    window.show_shortcuts()
    rows = window.shortcut_sheet.rows
    texts = {(keys, text) for _where, keys, text in rows}
    for keys, text in (
        ("Ctrl+1", "Add to Past harm"),
        ("Ctrl+3", "Add to Strengths"),
        ("Ctrl+5", "Add to Next steps"),
        ("Ctrl+Shift+Right", "Move item to the next column"),
        ("F5", "Presentation mode"),
        ("Ctrl+Z", "Undo"),
    ):
        assert (keys, text) in texts, (keys, text)
    assert any(keys.startswith("Ctrl+PgDown") for keys, _t in texts)


def test_keys_add_to_the_map_and_move_between_steps(qtbot, sqlite_db, policy, place, demo):
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "mapping")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    mapping = ws.pages["mapping"]
    mapping.section_views[MappingSection.PAST_HARM].setFocus()
    count = len(window.session.bundle.mapping_items)
    qtbot.keyClick(mapping.section_views[MappingSection.PAST_HARM], Qt.Key.Key_3, Qt.KeyboardModifier.ControlModifier)
    assert len(window.session.bundle.mapping_items) == count + 1
    assert window.session.record(m.MappingItem, mapping.item_id).section is MappingSection.STRENGTH
    qtbot.keyClick(mapping.item_text, Qt.Key.Key_PageDown, Qt.KeyboardModifier.ControlModifier)
    assert ws.step() == "voice"


CRASH_SCRIPT = textwrap.dedent(
    """
    import os, signal, sys, uuid
    from datetime import date
    from pathlib import Path
    from PySide6.QtWidgets import QApplication
    from PySide6.QtTest import QTest
    from chair_app.domain.enums import MappingSection
    from chair_app.gui.main_window import MainWindow
    from chair_app.rules.policy import load_policy
    from chair_app.store.engine import open_database

    app = QApplication([])
    db, policy = open_database(sys.argv[1]), load_policy()
    window = MainWindow(lambda: (db, policy), place_file=Path(sys.argv[2]))
    window.show()
    while window.db is None or window.tasks.busy():
        app.processEvents()
    window.open_conference(uuid.UUID(sys.argv[3]), "mapping")
    while window.session is None:
        app.processEvents()
    page = window.workspace.pages["mapping"]
    page.add_item(MappingSection.NEXT_STEP)
    QTest.keyClicks(page.item_text, "Typed just before the power cut")
    print("TYPED", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)
    """
)


def test_kill_the_process_and_reopening_returns_to_the_same_conference_and_step(
    qtbot, sqlite_db, policy, place, demo, tmp_path
):
    script = tmp_path / "crash.py"
    script.write_text(CRASH_SCRIPT)
    url = str(sqlite_db.engine.url)
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run(
        [sys.executable, str(script), url, str(place), str(demo.conference.id)],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == -signal.SIGKILL, done.stderr[-2000:]
    assert "TYPED" in done.stdout
    window = start(qtbot, sqlite_db, policy, place)
    qtbot.waitUntil(lambda: window.session is not None)
    assert window.session.conference_id == demo.conference.id
    assert window.workspace.step() == "mapping"
    texts = [i.text for i in window.session.bundle.mapping_items]
    assert "Typed just before the power cut" in texts


def test_roll_call_by_digit_keys_while_text_boxes_keep_their_digits(qtbot, sqlite_db, policy, place, demo):
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "welcome")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    welcome = ws.pages["welcome"]
    mark = next(i for i in demo.invitations if i.status is AttendanceStatus.APOLOGIES)
    roll_call(welcome, demo.person(mark.person_id).name, "Apologies")
    welcome.view.setFocus()
    qtbot.keyClick(welcome.view, Qt.Key.Key_2)
    again = next(i for i in stored(sqlite_db, demo.conference.id).invitations if i.id == mark.id)
    assert (again.status, again.mode) == (AttendanceStatus.ATTENDED, AttendanceMode.VIDEO)
    arrived = next(w for w in welcome.findChildren(QLineEdit) if w.accessibleName() == "Arrived late at")
    arrived.setFocus()
    qtbot.keyClicks(arrived, "10:25")
    arrived.editingFinished.emit()
    again = next(i for i in stored(sqlite_db, demo.conference.id).invitations if i.id == mark.id)
    assert again.mode is AttendanceMode.VIDEO and again.arrived_at.strftime("%H:%M") == "10:25"


def test_proceed_without_quorum_and_stand_down_through_their_dialogs_and_undo(qtbot, sqlite_db, policy, place, demo):
    from chair_app.domain.enums import ConferenceStatus
    from chair_app.gui.workspace.ask import FormDialog

    db = sqlite_db
    window = start(qtbot, db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "welcome")
    welcome = ws.pages["welcome"]
    for inv in demo.invitations:  # only the family and the social worker stay: not quorate
        person = demo.person(inv.person_id)
        if person.role_code not in ("parent", "social_worker", "relative", "carer"):
            roll_call(welcome, person.name, "Apologies")
    assert not welcome.quorate_button.isEnabled() and welcome.proceed_button.isEnabled()
    from chair_app.domain.dates import uk_date
    from chair_app.rules.timescales import reconvene_by

    new_date = uk_date(reconvene_by(demo.conference.held_on, demo.conference.kind, policy))

    def answer(text: str | None, reason: str | None = None) -> None:
        dialog = next(w for w in welcome.findChildren(FormDialog) if w.isVisible())
        if "rationale" in dialog.inputs:
            dialog.ok_button.click()  # empty: refused in the dialog, which stays open
            assert dialog.message.text().startswith("Rationale: say why")
            dialog.inputs["rationale"].setPlainText(text)
        if reason is not None:
            combo = dialog.inputs["reason"]
            combo.setCurrentIndex(combo.findData(reason))
            dialog.inputs["note"].setPlainText(text)
            dialog.ok_button.click()  # no new date: refused in the dialog, which stays open
            assert dialog.message.text().startswith("New date: say when the conference is re-convened")
            dialog.inputs["reconvene_on"].setText(new_date)
            dialog.inputs["interim"].setPlainText("The safety plan from the strategy discussion stays in place.")
        dialog.ok_button.click()

    QTimer.singleShot(0, lambda: answer("The baby is due within days; delay would leave her unprotected."))
    welcome.proceed()
    conf = stored(db, demo.conference.id).conference
    assert conf.quoracy_outcome is QuoracyOutcome.PROCEEDED_NOT_QUORATE
    assert conf.quoracy_rationale.startswith("The baby is due")
    ws.undo()
    assert stored(db, demo.conference.id).conference.quoracy_outcome is demo.conference.quoracy_outcome

    QTimer.singleShot(0, lambda: answer("Re-arranged for next week", reason="not_quorate"))
    welcome.stand_down()
    conf = stored(db, demo.conference.id).conference
    assert (conf.status, conf.stood_down_reason) == (ConferenceStatus.STOOD_DOWN, "not_quorate")
    assert conf.stood_down_note == "Re-arranged for next week"
    assert uk_date(conf.reconvene_on) == new_date and conf.interim_arrangement.startswith("The safety plan")
    assert f"Re-convened on {new_date}." in welcome.outcome.text()
    assert welcome.outcome.text().startswith("Stood down: Lack of professionals")
    ws.undo()
    assert stored(db, demo.conference.id).conference.status is demo.conference.status


def test_an_unexpected_store_fault_is_reported_without_what_was_typed(
    qtbot, sqlite_db, policy, place, demo, monkeypatch
):
    import logging

    from chair_app.services import workspace as services

    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "mapping")
    mapping = ws.pages["mapping"]
    mapping.section_views[MappingSection.STRENGTH].selectRow(0)
    records: list[str] = []
    handler = logging.Handler()
    handler.emit = lambda record: records.append(record.getMessage())
    logging.getLogger("chair_app").addHandler(handler)

    def broken(*_args, **_kwargs):
        raise OSError("disk I/O error while writing 'Grandma Sue visits on Sundays'")

    monkeypatch.setattr(services, "set_fields", broken)
    mapping.item_text.setFocus()
    qtbot.keyClicks(mapping.item_text, "X")
    logging.getLogger("chair_app").removeHandler(handler)
    message = ws.problem_line.text.text()
    assert message.startswith("That change could not be stored (OSError) and nothing was changed")
    assert records and all("Grandma" not in r for r in records)
    item = next(i for i in demo.mapping_items if i.id == mapping.item_id)
    assert next(i.text for i in stored(sqlite_db, demo.conference.id).mapping_items if i.id == item.id) == item.text
    assert mapping.item_text.toPlainText() == item.text  # the box shows what is stored


def test_a_finalised_record_opens_read_only(qtbot, sqlite_db, policy, place, demo):
    from chair_app.store import models as rows

    with sqlite_db.unit_of_work() as s:
        s.get_one(rows.ConferenceRow, demo.conference.id).record_status = "finalised"
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "mapping")
    assert "finalised: read only" in ws.title.text()
    mapping = ws.pages["mapping"]
    mapping.section_views[MappingSection.STRENGTH].selectRow(0)
    assert not mapping.item_text.isEnabled()
    before = dump(sqlite_db)
    mapping.add_item(MappingSection.STRENGTH)
    ws.go("welcome")
    assert not ws.pages["welcome"].stand_down_button.isEnabled()
    assert dump(sqlite_db) == before


def test_the_list_shows_the_first_page_then_the_older_conferences(qtbot, sqlite_db, policy, place, monkeypatch):
    today = date.today()
    for offset in (-30, -20, -10, -5, 0, 4):
        bundle = build_demo(policy, today + timedelta(days=offset))
        bundle.conference.held_on = today + timedelta(days=offset)
        conferences.add_conference(sqlite_db, bundle)
    monkeypatch.setattr(conferences, "RECENT", 2)
    window = start(qtbot, sqlite_db, policy, place)
    qtbot.waitUntil(lambda: window.model.rowCount() == 6)
    dates = [window.proxy.index(r, 1).data() for r in range(6)]
    expected = [today, today + timedelta(days=4)] + [today - timedelta(days=d) for d in (5, 10, 20, 30)]
    assert dates == [d.strftime("%d/%m/%Y") for d in expected]
    assert window.statusBar().currentMessage() == "6 conferences"


def test_a_decision_being_drafted_survives_a_restart_and_undo(qtbot, sqlite_db, policy, place):
    import json

    db = sqlite_db
    new = wsvc.NewConference(
        kind=MeetingKind.INITIAL,
        held_on=date.today(),
        family_name="Okafor family",
        children=[wsvc.NewChild("Ava", "Okafor", date_of_birth=date.today() - timedelta(days=7 * 365))],
    )
    cid = wsvc.create_conference(db, new, policy, who="tester").conference.id
    window = start(qtbot, db, policy, place)
    ws = open_at(qtbot, window, cid, "decision")
    page = ws.pages["decision"]
    index = page.outcome.findData(Outcome.NO_PLAN)
    page.outcome.setCurrentIndex(index)
    page.outcome.activated.emit(index)
    qtbot.keyClicks(page.reasons, "Family support is enough.")
    draft = json.loads(stored(db, cid).conference_children[0].decision_draft)
    assert (draft["outcome"], draft["reasons"]) == ("no_plan", "Family support is enough.")
    assert stored(db, cid).decisions == []  # a draft, not a decision: nothing counts it

    # The laptop dies; Chair is started again and returns to the form as it was.
    window.close()
    again = start(qtbot, db, policy, place)
    qtbot.waitUntil(lambda: again.session is not None)
    page = again.workspace.pages["decision"]
    assert again.workspace.step() == "decision"
    assert page.reasons.toPlainText() == "Family support is enough."
    assert page.outcome.currentData() == "no_plan"

    index = page.next_step.findText("Child in need plan")
    page.next_step.setCurrentIndex(max(index, 1))
    page.next_step.activated.emit(page.next_step.currentIndex())
    page.record_decision()
    conf = stored(db, cid)
    assert [(d.outcome, d.reasons) for d in conf.decisions] == [(Outcome.NO_PLAN, "Family support is enough.")]
    assert conf.conference_children[0].decision_draft == ""
    again.workspace.undo()
    conf = stored(db, cid)
    assert conf.decisions == []
    assert json.loads(conf.conference_children[0].decision_draft)["reasons"] == "Family support is enough."
    assert page.reasons.toPlainText() == "Family support is enough."


def test_tab_follows_the_form_top_to_bottom(qtbot, sqlite_db, policy, place, demo):
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "before")
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    before = ws.pages["before"]
    order = [
        before.kind,
        before.held_on,
        before.start,
        before.venue,
        before.remote,
        before.chair,
        before.minute_taker,
        before.family,
    ]
    order[0].setFocus()
    qtbot.waitUntil(order[0].hasFocus)
    for widget in order[1:]:
        qtbot.keyClick(window.focusWidget(), Qt.Key.Key_Tab)
        assert widget.hasFocus(), (widget.accessibleName(), window.focusWidget().accessibleName())


def test_reordering_an_item_is_stored_and_undone_in_one_step(qtbot, sqlite_db, policy, place, demo):
    window = start(qtbot, sqlite_db, policy, place)
    ws = open_at(qtbot, window, demo.conference.id, "mapping")
    mapping = ws.pages["mapping"]

    def order() -> list:
        bundle = stored(sqlite_db, demo.conference.id)
        items = [i for i in bundle.mapping_items if i.section is MappingSection.STRENGTH]
        return [i.id for i in sorted(items, key=lambda i: (i.position, i.created_at))]

    first = order()
    mapping.section_views[MappingSection.STRENGTH].selectRow(0)
    mapping.move_item(1)
    assert order() == [first[1], first[0], *first[2:]]
    assert mapping.section_views[MappingSection.STRENGTH].model().index(1, 0).data(RecordTableModel.IdRole) == str(
        first[0]
    )
    ws.undo()
    assert order() == first


def test_the_new_conference_form_says_what_a_child_needs(qtbot, sqlite_db, policy):
    from chair_app.gui.workspace.create_dialog import CreateConferenceDialog

    dialog = CreateConferenceDialog(sqlite_db, policy, "tester")
    qtbot.addWidget(dialog)
    dialog.c_forename.setText("Ava")
    dialog.add_child()
    assert dialog.message.text().startswith("Date of birth: give the date of birth, or the expected date")
    dialog.c_dob.setText((date.today() + timedelta(days=30)).strftime("%d/%m/%Y"))
    dialog.add_child()
    assert dialog.message.text().startswith("Date of birth: it is in the future")
    dialog.c_dob.setText("31/02/2020")
    dialog.add_child()
    assert dialog.message.text() == "Child's date of birth: 31/02/2020 is not a date: February 2020 has 29 days"
    assert dialog.children == []
    dialog.c_dob.setText("01/05/2019")
    dialog.add_child()
    assert [c.forename for c in dialog.children] == ["Ava"] and dialog.message.isHidden()


def test_opening_builds_the_shown_step_then_the_others_on_later_turns_each_showing_the_conference(
    qtbot, sqlite_db, policy, place, demo
):
    """The first open builds only the step it shows (building all seven froze the window, issue 17); the rest
    follow one per turn of the event loop, each filled from the open conference when it is built."""
    from chair_app.gui.workspace.session import EditSession
    from chair_app.gui.workspace.workspace import STEP_KEYS, ConferenceWorkspace

    ws = ConferenceWorkspace()
    qtbot.addWidget(ws)
    assert list(ws.pages) == []  # the workspace itself builds no step
    session = EditSession(sqlite_db, policy, wsvc.load(sqlite_db, demo.conference.id), "tester", ws)
    ws.open(session, "mapping")
    ws.show()
    assert list(ws.pages) == ["mapping"]  # nothing else was built in the turn that opened it
    assert ws.stack.currentWidget() is ws.pages["mapping"]
    qtbot.waitUntil(lambda: set(ws.pages) == set(STEP_KEYS))
    assert [ws.stack.indexOf(ws.pages[key]) for key in STEP_KEYS] == list(range(len(STEP_KEYS)))
    assert ws.stack.count() == len(STEP_KEYS)  # the placeholders are gone
    plan = ws.pages["plan"]  # built after the conference was open: it shows the conference's actions
    assert len(demo.actions) > 0 and plan.view.model().rowCount() == len(demo.actions)
