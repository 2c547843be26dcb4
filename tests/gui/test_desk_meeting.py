"""The chair's desk in the meeting (issue 16, points 2, 3, 5 and 7), driven as a chair would (pytest-qt).

What is checked is what the screen says and what the store holds afterwards, read back through a fresh load.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceStatus, Category, Outcome, QuoracyOutcome
from chair_app.domain.errors import InvalidInput
from chair_app.gui.main_window import MainWindow
from chair_app.gui.workspace.presentation import room_map, room_text
from chair_app.gui.workspace.steps.base import ATTENDANCE_CHOICES
from chair_app.rules.policy import load_policy
from chair_app.services import conferences, readiness, recording
from chair_app.services import workspace as wsvc
from chair_app.services.demo import build_demo

POLICY = load_policy()  # set_fields and add_records take the policy in force


@pytest.fixture
def place(tmp_path) -> Path:
    return tmp_path / "place.json"


def add_demo(db, policy, held_on: date) -> m.ConferenceBundle:
    return conferences.add_conference(db, build_demo(policy, held_on))


def start(qtbot, db, policy, place, conference_id, step: str) -> MainWindow:
    window = MainWindow(lambda: (db, policy), place_file=place)
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
    window.open_conference(conference_id, step)
    qtbot.waitUntil(lambda: window.session is not None and window.session.conference_id == conference_id)
    return window


def attendance(page, person_name: str, choice: str) -> None:
    view = page.view
    row = next(r for r in range(view.model().rowCount()) if view.model().index(r, 0).data() == person_name)
    view.selectRow(row)
    page.group.button(next(i for i, (t, _s, _m) in enumerate(ATTENDANCE_CHOICES) if t == choice)).click()


def csc_names(bundle: m.ConferenceBundle, policy) -> list[str]:
    return [
        p.name
        for p in bundle.people
        if (role := policy.role(p.role_code)) is not None and role.group == "csc" and not role.family
    ]


# ---------------------------------------------------------------------------------------------------------
# 2. A recorded quoracy outcome that attendance has overtaken


def test_attendance_change_after_record_as_quorate_marks_the_outcome_stale_and_asks_again(
    qtbot, sqlite_db, policy, place
):
    demo = add_demo(sqlite_db, policy, date.today())
    assert demo.conference.quoracy_outcome is QuoracyOutcome.QUORATE
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "welcome")
    page = window.workspace.pages["welcome"]
    assert not page.stale and page.outcome.text() == "Recorded: quorate."
    for name in csc_names(demo, policy):
        attendance(page, name, "Did not attend")
    assert "not quorate" in page.banner.text.text().lower()
    # The label beside the banner no longer says "Recorded: quorate" as if nothing had happened.
    assert page.stale
    assert page.outcome.text().startswith("⚠ No longer matches attendance. Recorded as quorate, but attendance")
    assert "record the outcome again" in page.outcome.text()
    assert page.proceed_button.isEnabled() or page.stand_down_button.isEnabled()
    # The service sees it too: the record cannot go for sign-off until the outcome is recorded again.
    gaps = readiness.missing_before_sign_off(wsvc.load(sqlite_db, demo.conference.id), policy, date.today())
    assert any(g.startswith("Quoracy: Recorded as quorate, but attendance has changed since") for g in gaps)
    # The chair's recorded outcome is kept (with who recorded it), not silently cleared.
    assert wsvc.load(sqlite_db, demo.conference.id).conference.quoracy_outcome is QuoracyOutcome.QUORATE
    # Undoing the attendance changes makes the outcome true again.
    for _ in csc_names(demo, policy):
        window.workspace.undo()
    assert not page.stale and page.outcome.text() == "Recorded: quorate."


def test_proceeding_without_quorum_goes_stale_when_attendance_makes_it_quorate(qtbot, sqlite_db, policy, place):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "welcome")
    page = window.workspace.pages["welcome"]
    names = csc_names(demo, policy)
    before = {n: next(i for i in demo.invitations if demo.person(i.person_id).name == n).status for n in names}
    for name in names:
        attendance(page, name, "Did not attend")
    s = window.session
    assert s.operation(
        "proceed",
        lambda: recording.proceed_not_quorate(s.db, s.conference_id, policy, "Baby due next week", who=s.who),
    )
    assert not page.stale and page.outcome.text().startswith("Recorded: proceeded without quorum")
    for name in names:
        assert before[name] is AttendanceStatus.ATTENDED
        attendance(page, name, "Present in person")
    assert page.stale and "now quorate: record it as quorate" in page.outcome.text()
    assert page.quorate_button.isEnabled()
    page.quorate()
    assert not page.stale and page.outcome.text() == "Recorded: quorate."


def test_the_quoracy_banner_names_each_agency_once(qtbot, sqlite_db, policy, place):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "welcome")
    text = window.workspace.pages["welcome"].banner.text.text()
    assert text.startswith("Quorate:") and "Counted" not in text
    for group in ("Children's social care", "Health"):
        assert text.count(group) == 1, text


# ---------------------------------------------------------------------------------------------------------
# 3. A late private score, and escalation for every score at the threshold


def scores_shown(page) -> list[tuple[str, str]]:
    model = page.scores_model
    return [(model.index(r, 0).data(), model.index(r, 1).data()) for r in range(model.rowCount())]


def test_a_private_score_added_after_the_reveal_stays_hidden_until_revealed_and_then_prompts_escalation(
    qtbot, sqlite_db, policy, place
):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "mapping")
    page = window.workspace.pages["mapping"]
    page._overall_chosen()  # the demo's overall scores were all revealed earlier in the meeting
    assert all(score != "Hidden" for _who, score in scores_shown(page))
    assert not page.escalation.isVisible()
    threshold = policy.escalation_threshold
    low = threshold if policy.higher_is_safer else 10 - threshold
    page.score_who.setCurrentIndex(0)  # Danielle: each person scores on their own (no joint parents' score)
    page.score_value.setValue(low)
    page.add_score()
    assert scores_shown(page)[-1] == ("Danielle Hayes", "Hidden")
    room = room_text(room_map(window.session.bundle))
    assert "1 score(s) given, not yet revealed" in room and f"Danielle Hayes: {low}" not in room
    late = next(s for s in wsvc.load(sqlite_db, demo.conference.id).scores if s.score == low and s.pair_id is None)
    assert late.revealed is False  # stored hidden, not only shown hidden
    assert not page.escalation.isVisible()  # nothing about a hidden score shows before the reveal
    assert page.reveal_button.isEnabled()
    page.reveal()
    assert scores_shown(page)[-1] == ("Danielle Hayes", str(low))
    assert f"Danielle Hayes: {low}" in room_text(room_map(window.session.bundle))
    # A score at the threshold raises the prompt, although the agreed overall scale does not.
    assert page.escalation.isVisible()
    assert page.escalation.text.text() == policy.escalation_prompt.format(score=low)


def test_the_store_refuses_a_new_private_score_that_arrives_already_revealed(sqlite_db, policy):
    demo = add_demo(sqlite_db, policy, date.today())
    late = m.ScaleScore(conference_id=demo.conference.id, label="Parents jointly", score=1, revealed=True)
    with pytest.raises(InvalidInput, match="stored hidden"):
        wsvc.add_records(sqlite_db, demo.conference.id, [late], who="x", policy=POLICY)
    assert late.id not in {s.id for s in wsvc.load(sqlite_db, demo.conference.id).scores}


# ---------------------------------------------------------------------------------------------------------
# 5. The decision step


def test_a_new_childs_decision_starts_empty_and_every_problem_is_shown_at_once(qtbot, sqlite_db, policy, place):
    demo = add_demo(sqlite_db, policy, date.today())
    lily = next(c for c in demo.children if c.forename == "Lily-Mae")
    recording.withdraw_decision(sqlite_db, demo.conference.id, lily.id, who="x")
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "decision")
    page = window.workspace.pages["decision"]
    page.child.setCurrentIndex(page.child.findData(str(lily.id)))
    assert page.outcome.currentData() == "" and page.outcome.currentText() == "Choose the decision…"
    assert page.category.currentData() is None and page.lead.text() == ""
    page.record_decision()
    assert window.workspace.problem_line.text.text().startswith("decision: choose the decision first (plan or no")
    index = page.outcome.findData(Outcome.PLAN)
    page.outcome.setCurrentIndex(index)
    page.outcome.activated.emit(index)
    page.record_decision()
    problem = window.workspace.problem_line.text.text()
    assert "category: choose" in problem and "lead agency: record who leads" in problem, problem
    assert "\n" not in problem
    assert lily.id not in {d.child_id for d in wsvc.load(sqlite_db, demo.conference.id).decisions}


def test_a_decision_cannot_be_recorded_before_the_conference_is_held(qtbot, sqlite_db, policy, place):
    held_on = date.today() + timedelta(days=14)
    demo = add_demo(sqlite_db, policy, held_on)
    lily = next(c for c in demo.children if c.forename == "Lily-Mae")
    recording.withdraw_decision(sqlite_db, demo.conference.id, lily.id, who="x")
    with pytest.raises(InvalidInput, match="a decision cannot be recorded before it is held"):
        recording.record_decision(
            sqlite_db,
            demo.conference.id,
            lily.id,
            Outcome.PLAN,
            policy,
            category=Category.NEG,
            lead_agency="Children's social care",
            decided_on=date.today(),
            who="x",
        )
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "decision")
    page = window.workspace.pages["decision"]
    page.child.setCurrentIndex(page.child.findData(str(lily.id)))
    for combo, value in ((page.outcome, Outcome.PLAN), (page.category, Category.NEG)):
        combo.setCurrentIndex(combo.findData(value))
    page.lead.setText("Children's social care")
    page.record_decision()
    assert "date: the conference is on" in window.workspace.problem_line.text.text()
    assert lily.id not in {d.child_id for d in wsvc.load(sqlite_db, demo.conference.id).decisions}


# ---------------------------------------------------------------------------------------------------------
# 7. The Close checklist


def test_the_close_checklist_names_each_unscaled_danger_statement_and_enter_jumps_to_it(
    qtbot, sqlite_db, policy, place
):
    demo = add_demo(sqlite_db, policy, date.today())
    for pair in demo.pairs:
        wsvc.set_fields(
            sqlite_db, demo.conference.id, m.DangerGoalPair, pair.id, {"scale": None}, who="x", policy=POLICY, seen=None
        )
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "close")
    window.activateWindow()
    page = window.workspace.pages["close"]
    lines = page.checklist.text().splitlines()
    unscaled = [line for line in lines if line.endswith("has no agreed scale")]
    assert len(unscaled) == len(demo.pairs) >= 2
    for pair, line in zip(sorted(demo.pairs, key=lambda p: p.position), unscaled, strict=True):
        assert line.startswith(f'Mapping: danger statement "{pair.danger_statement[:20]}')
    status = page.status.text.text()
    assert status.startswith(f"{len(lines)} things are still missing") and "(s)" not in status
    # Enter on the second statement's line goes to the Mapping step, that statement, and its scale.
    second = sorted(demo.pairs, key=lambda p: p.position)[1]
    page.checklist.setFocus()
    page.checklist.setCurrentRow(lines.index(unscaled[1]))
    qtbot.keyClick(page.checklist, Qt.Key.Key_Return)
    mapping = window.workspace.pages["mapping"]
    assert window.workspace.step() == "mapping"
    assert mapping.pair_id == second.id and mapping.editor.currentIndex() == 2
    qtbot.waitUntil(lambda: QApplication.focusWidget() is mapping.agreed)


def test_the_close_checklist_lists_every_invitee_whose_attendance_is_missing(qtbot, sqlite_db, policy, place):
    demo = add_demo(sqlite_db, policy, date.today())
    missing = [i for i in demo.invitations if i.status is AttendanceStatus.APOLOGIES][:2]
    for inv in missing:
        wsvc.set_fields(
            sqlite_db,
            demo.conference.id,
            m.Invitation,
            inv.id,
            {"status": AttendanceStatus.INVITED},
            who="x",
            policy=POLICY,
            seen=None,
        )
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "close")
    page = window.workspace.pages["close"]
    lines = page.checklist.text().splitlines()
    for inv in missing:
        assert f"Attendance: not recorded for {demo.person(inv.person_id).name}" in lines
    if len(missing) == 1:
        assert page.status.text.text().startswith("One thing is still missing")
    page.checklist.setCurrentRow(lines.index(f"Attendance: not recorded for {demo.person(missing[-1].person_id).name}"))
    page.checklist.itemActivated.emit(page.checklist.currentItem())
    welcome = window.workspace.pages["welcome"]
    assert window.workspace.step() == "welcome"
    chosen = welcome._target()
    assert chosen == (m.Invitation, missing[-1].id)
