"""A dissent from the Decision step (issue 14, point 6): who, their view, the route and the day raised, its
clock shown, stored through the workspace (journal and undo), listed by the Close step; refused to a role the
policy leaves out."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from chair_app.domain import model as m
from chair_app.gui.main_window import MainWindow
from chair_app.rules.access import NotAllowed
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import load_policy
from chair_app.services import accounts, conferences
from chair_app.services import workspace as wsvc
from chair_app.services.demo import build_demo
from tests.gui.test_workspace import open_at, start

PASSWORD = "correct horse battery"


@pytest.fixture
def demo(sqlite_db, policy):
    return conferences.add_conference(sqlite_db, build_demo(policy, date.today()))


def _decision_page(qtbot, window, demo):
    ws = open_at(qtbot, window, demo.conference.id, "decision")
    page = ws.pages["decision"]
    decided = {d.child_id for d in demo.decisions}
    child = next(c for c in demo.children if c.id in decided)
    page.child.setCurrentIndex(page.child.findData(str(child.id)))
    return ws, page, child


def _a_dissent_typed(qtbot, db, policy, tmp_path, demo):
    """The window at the Decision step, its dissent form open for a decided child, who and their view typed."""
    window = start(qtbot, db, policy, tmp_path / "place.json")
    ws, page, child = _decision_page(qtbot, window, demo)
    page.dissent_button.click()
    dialog = page.dissent_dialog
    qtbot.waitUntil(dialog.isVisible)
    dialog.who.setEditText("Dr Ada Okafor (GP)")
    dialog.view.setPlainText("Disagrees with the category")
    return ws, page, child, dialog


def test_a_dissent_recorded_from_the_decision_step_shows_its_clock_and_the_close_step_lists_it(
    qtbot, sqlite_db, policy, tmp_path, demo
):
    window = start(qtbot, sqlite_db, policy, tmp_path / "place.json")
    ws, page, child = _decision_page(qtbot, window, demo)
    assert page.dissent_button.isVisibleTo(page) and page.dissent_button.isEnabled()
    page.dissent_button.click()
    dialog = page.dissent_dialog
    qtbot.waitUntil(dialog.isVisible)

    def professional(person) -> bool:
        role = policy.role(person.role_code)
        return role is None or role.counts_as_agency

    invited = [demo.person(i.person_id) for i in demo.invitations]
    offered = [dialog.who.itemText(i) for i in range(dialog.who.count())]
    assert sorted(p.name for p in invited if professional(p)) == sorted(o.split(" (")[0] for o in offered)
    assert any(not professional(p) for p in invited)  # the family are invited, and not offered
    assert dialog.who.currentText() == ""  # nobody chosen for the chair
    held_on = demo.conference.held_on
    due = WorkingCalendar.from_policy(policy).add_working_days(held_on, 5)  # the policy's response_working_days
    raise_by = held_on + timedelta(days=3)  # the policy's 72 hours
    assert f"Raise by {raise_by:%d/%m/%Y}" in dialog.clock.text() and "Respond by" not in dialog.clock.text()
    dialog.who.setCurrentIndex(0)
    who = dialog.who.currentText()
    dialog.view.setPlainText("The risk at home is lower than the plan assumes")
    dialog.route.setCurrentIndex(dialog.route.findData("escalated"))
    assert f"Respond by {due:%d/%m/%Y}" in dialog.clock.text()
    dialog.save.click()
    assert not dialog.isVisible()
    stored = next(d for d in wsvc.load(sqlite_db, demo.conference.id).decisions if d.child_id == child.id)
    assert (stored.dissent_by, stored.dissent_route, stored.dissent_raised_on) == (who, "escalated", held_on)
    assert stored.dissent == "The risk at home is lower than the plan assumes"
    assert page.dissent.toPlainText() == stored.dissent  # the step's own field shows the view
    assert f"respond by {due:%d/%m/%Y}" in page.dissent_clock.text()
    ws.go("close")
    close = ws.pages["close"]
    qtbot.waitUntil(lambda: close.dissents.isVisibleTo(close))
    assert (
        f"Dissent by {who} from the decision for {child.full_name}: escalated on {held_on:%d/%m/%Y}; "
        f"the answer is due by {due:%d/%m/%Y}"
    ) in close.dissents.text.text()
    assert ws.session.undo()  # one step, like every edit
    qtbot.waitUntil(window.is_ready)
    undone = next(d for d in wsvc.load(sqlite_db, demo.conference.id).decisions if d.child_id == child.id)
    assert undone.dissent_by == "" and undone.dissent_route == ""


def test_a_dissent_raised_after_the_policys_hours_is_refused_in_the_form_and_nothing_is_stored(
    qtbot, sqlite_db, policy, tmp_path, demo
):
    _ws, page, child, dialog = _a_dissent_typed(qtbot, sqlite_db, policy, tmp_path, demo)
    late = demo.conference.held_on + timedelta(days=10)
    from PySide6.QtCore import QDate

    dialog.raised_on.setDate(QDate(late.year, late.month, late.day))
    dialog.save.click()
    assert dialog.isVisible()
    assert dialog.message.text().startswith("dissent raised on: the policy allows it up to")
    stored = next(d for d in wsvc.load(sqlite_db, demo.conference.id).decisions if d.child_id == child.id)
    assert stored.dissent_by == "" and stored.dissent_raised_on is None


def _policy_without_clerk_dissent(tmp_path: Path, policy):
    text = Path(policy.source).read_text(encoding="utf-8")
    assert 'record_dissent = ["chair", "clerk"]' in text
    path = tmp_path / "policy.toml"
    path.write_text(text.replace('record_dissent = ["chair", "clerk"]', 'record_dissent = ["chair"]'), encoding="utf-8")
    return load_policy(path)


def test_a_clerk_cannot_record_a_dissent_when_the_policy_says_so_in_the_window_or_the_service(
    qtbot, sqlite_db, policy, tmp_path, demo
):
    strict = _policy_without_clerk_dissent(tmp_path, policy)
    accounts.first_administrator(sqlite_db, strict, name="admin", full_name="", password=PASSWORD)
    accounts.create_account(sqlite_db, name="clerk", full_name="Colin Clerk", roles=["clerk"], password=PASSWORD)
    accounts.create_account(sqlite_db, name="chair", full_name="Helen Marsh", roles=["chair"], password=PASSWORD)
    accounts.sign_in(sqlite_db, strict, "clerk", PASSWORD)
    window = MainWindow(lambda: (sqlite_db, strict), place_file=tmp_path / "place.json")
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
    _ws, page, child = _decision_page(qtbot, window, demo)
    assert not page.dissent_button.isVisibleTo(page)
    decision = next(d for d in demo.decisions if d.child_id == child.id)
    values = {"dissent_by": "Dr Ada Okafor (GP)", "dissent": "Disagrees", "dissent_route": "recorded"}
    values["dissent_raised_on"] = demo.conference.held_on
    with pytest.raises(NotAllowed, match="record_dissent|dissent"):
        wsvc.set_fields(
            sqlite_db, demo.conference.id, m.Decision, decision.id, values, who="clerk", policy=strict, seen=None
        )
    accounts.sign_in(sqlite_db, strict, "chair", PASSWORD)  # the chair may
    wsvc.set_fields(
        sqlite_db, demo.conference.id, m.Decision, decision.id, values, who="chair", policy=strict, seen=None
    )
    assert next(d for d in wsvc.load(sqlite_db, demo.conference.id).decisions if d.child_id == child.id).dissent_by


def test_the_senior_chairs_answer_is_recorded_in_the_same_form_for_an_escalated_dissent_only(
    qtbot, sqlite_db, policy, tmp_path, demo
):
    from PySide6.QtCore import QDate

    ws, page, child, dialog = _a_dissent_typed(qtbot, sqlite_db, policy, tmp_path, demo)
    assert not dialog.answer_box.isVisibleTo(dialog)  # recorded in the record: no answer to wait for
    dialog.route.setCurrentIndex(dialog.route.findData("escalated"))
    assert dialog.answer_box.isVisibleTo(dialog) and not dialog.answer_box.isChecked()
    dialog.save.click()  # escalated today; the answer comes later
    assert not dialog.isVisible()
    ws.go("close")
    close = ws.pages["close"]
    qtbot.waitUntil(lambda: close.dissents.isVisibleTo(close))
    assert "the answer is due by" in close.dissents.text.text()
    ws.go("decision")
    page.child.setCurrentIndex(page.child.findData(str(child.id)))
    page.dissent_button.click()  # the answer has come: the same form
    dialog = page.dissent_dialog
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.answer_box.isVisibleTo(dialog)
    dialog.answer_box.setChecked(True)
    dialog.answer.setPlainText("The decision stands")
    dialog.answered_by.setText("Maria Silva, safeguarding manager")
    today = date.today()
    dialog.answered_on.setDate(QDate(today.year, today.month, today.day))
    dialog.save.click()
    assert not dialog.isVisible(), dialog.message.text()
    stored = next(d for d in wsvc.load(sqlite_db, demo.conference.id).decisions if d.child_id == child.id)
    assert (stored.dissent_answer, stored.dissent_answered_by, stored.dissent_answered_on) == (
        "The decision stands",
        "Maria Silva, safeguarding manager",
        today,
    )
    assert f"answered {today:%d/%m/%Y} by Maria Silva" in page.dissent_clock.text()
    ws.go("close")
    qtbot.waitUntil(lambda: "answered on" in close.dissents.text.text())
    assert close.dissents.text.text().endswith("by Maria Silva, safeguarding manager: The decision stands")


def test_an_answer_left_incomplete_is_refused_in_the_form_and_nothing_is_stored(
    qtbot, sqlite_db, policy, tmp_path, demo
):
    _ws, page, child, dialog = _a_dissent_typed(qtbot, sqlite_db, policy, tmp_path, demo)
    dialog.route.setCurrentIndex(dialog.route.findData("escalated"))
    dialog.answer_box.setChecked(True)
    dialog.answered_by.setText("Maria Silva")  # but not what they decided
    dialog.save.click()
    assert dialog.isVisible()
    assert dialog.message.text() == "senior chair's answer: write what the senior chair decided"
    stored = next(d for d in wsvc.load(sqlite_db, demo.conference.id).decisions if d.child_id == child.id)
    assert stored.dissent_by == "" and stored.dissent_answer == ""
