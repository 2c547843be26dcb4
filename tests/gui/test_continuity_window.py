"""Conference > Convene review… and Rearrange… in the window (issue 13): the form, its refusals, and the new
conference opened in the workspace with the same family, children and invitees."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtWidgets import QDialog

from chair_app.domain.enums import MeetingKind
from chair_app.gui import continuity_dialog as cd
from chair_app.gui.main_window import MainWindow
from chair_app.services import conferences, recording
from chair_app.services.demo import build_demo
from tests.conftest import dump

INTERIM = "The safety plan from the strategy discussion continues"


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
    recording.stand_down(
        sqlite_db,
        demo.conference.id,
        policy,
        "parent_unable",
        reconvene_on=demo.conference.held_on + timedelta(days=7),
        interim_arrangement=INTERIM,
        who="Helen Marsh",
    )
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


def test_a_review_shows_the_last_map_and_plan_and_the_chair_marks_them_in_the_workspace(qtbot, sqlite_db, policy):
    from chair_app.domain import model as m
    from chair_app.gui.workspace.fields import ChoiceBinder
    from chair_app.services import workspace as wsvc
    from chair_app.services.continuity import convene_review
    from chair_app.store import models as rows

    bundle = build_demo(policy, date.today())
    bundle.pairs[0].scale = 2
    demo = conferences.add_conference(sqlite_db, bundle)
    review = convene_review(sqlite_db, demo.conference.ref, policy, who="Helen Marsh")
    with sqlite_db.unit_of_work() as session:  # the review's agreed scale so far
        session.get(rows.DangerGoalPairRow, review.pairs[0].id).scale = 4
    window = MainWindow(lambda: (sqlite_db, policy))
    qtbot.addWidget(window)
    window.resize(1366, 768)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
    window.open_conference(review.conference.id, "mapping")
    qtbot.waitUntil(lambda: window.session is not None and window.session.conference_id == review.conference.id)
    ws = window.workspace
    ws.go("mapping")
    mapping = ws.pages["mapping"]
    item = review.mapping_items[0]
    view = mapping.section_views[item.section]
    texts = [view.model().index(r, 0).data() for r in range(view.model().rowCount())]
    assert all(t.endswith("[last time]") for t in texts), texts
    row = next(r for r, t in enumerate(texts) if t.startswith(item.text))
    view.selectRow(row)
    assert mapping.earlier.text() == f"Last time: {item.earlier_text}" and mapping.last_time.isEnabled()
    binder = mapping.last_time.findChild(ChoiceBinder)
    index = binder.values.index("still_true")
    mapping.last_time.setCurrentIndex(index)
    mapping.last_time.activated.emit(index)
    stored = {x.id: x for x in wsvc.load(sqlite_db, review.conference.id).mapping_items}
    assert stored[mapping.item_id].last_time == "still_true"
    assert view.model().index(row, 0).data().endswith("[last time: still true]")

    mapping.pairs_view.selectRow(0)
    pair_text = mapping.scale_history.text()
    assert pair_text.startswith("Scale history: 2 (") and not mapping.scale_history.isHidden()
    from chair_app.gui.workspace.presentation import PresentationWindow, room_map, room_text

    projector = PresentationWindow(window.session)
    qtbot.addWidget(projector)
    shown = room_text(room_map(window.session.bundle, earlier=projector.earlier))
    assert f"Earlier scales: 2 ({demo.conference.held_on:%d/%m/%Y})" in shown
    assert "[last time" not in shown  # the room reads plain words: "(still true from last time)"
    assert "(still true from last time)" in shown

    ws.go("plan")
    plan = ws.pages["plan"]
    plan.view.selectRow(0)
    binder = plan.progress.findChild(ChoiceBinder)
    index = binder.values.index("partly")
    plan.progress.setCurrentIndex(index)
    plan.progress.activated.emit(index)
    chosen = plan._target()[1]
    action = next(a for a in wsvc.load(sqlite_db, review.conference.id).actions if a.id == chosen)
    assert action.progress == "partly" and m.PROGRESS[action.progress] == "Partly done"


def test_a_core_group_recorded_in_the_window_is_stored_on_the_review_with_progress_per_action(qtbot, sqlite_db, policy):
    from chair_app.services.continuity import convene_review

    demo = conferences.add_conference(sqlite_db, build_demo(policy, date.today() - timedelta(days=30)))
    review = convene_review(sqlite_db, demo.conference.ref, policy, who="Helen Marsh")
    dialog = cd.CoreGroupDialog(sqlite_db, policy, review.conference.ref, "Paul Greaves")
    qtbot.addWidget(dialog)
    dialog.record()
    assert dialog.created is None and dialog.message.text() == "Date: give the date the core group met, dd/mm/yyyy"
    met = date.today() - timedelta(days=16)
    dialog.held_on.setText(met.strftime("%d/%m/%Y"))
    dialog.came.setPlainText("Danielle Hayes\nAmira Shah")
    dialog.concerns.setPlainText("Ryan missed two sessions.")
    dialog.progress_boxes[0].setCurrentIndex(dialog.progress_boxes[0].findData("partly"))
    dialog.actions.item(0, 2).setText("Two of four sessions")
    dialog.record()
    assert dialog.result() == QDialog.DialogCode.Accepted
    stored = conferences.load(sqlite_db, review.conference.ref)
    (group,) = stored.core_groups
    assert (group.held_on, group.who_came, group.concerns) == (
        met,
        "Danielle Hayes\nAmira Shah",
        "Ryan missed two sessions.",
    )
    (progress,) = stored.core_group_progress
    assert (progress.action_id, progress.progress, progress.note) == (
        dialog.plan[0].id,
        "partly",
        "Two of four sessions",
    )


def test_the_before_step_of_a_review_lists_its_core_groups(qtbot, sqlite_db, policy):
    from chair_app.services.continuity import convene_review
    from chair_app.services.core_groups import record_core_group

    demo = conferences.add_conference(sqlite_db, build_demo(policy, date.today() - timedelta(days=30)))
    review = convene_review(sqlite_db, demo.conference.ref, policy, who="Helen Marsh")
    met = date.today() - timedelta(days=20)
    record_core_group(sqlite_db, review.conference.ref, met, policy, who_came="Amira Shah", concerns="None new.")
    window = MainWindow(lambda: (sqlite_db, policy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.db is not None and not window.tasks.busy())
    window.open_conference(review.conference.id, "before")
    qtbot.waitUntil(lambda: window.session is not None and window.session.conference_id == review.conference.id)
    before = window.workspace.pages["before"]
    text = before.core_groups_text.text()
    assert not before.core_groups_text.isHidden()
    assert f"Core group {met:%d/%m/%Y}: came: Amira Shah" in text and "Concerns: None new." in text


def test_the_caseload_and_family_timeline_views_list_what_the_services_read(qtbot, sqlite_db, policy):
    from chair_app.gui.family_views import CaseloadDialog, FamilyTimelineDialog

    bundle = build_demo(policy, date.today() - timedelta(days=300))
    bundle.conference.status = "held"
    demo = conferences.add_conference(sqlite_db, bundle)
    load = CaseloadDialog(sqlite_db, policy, "Helen Marsh")
    qtbot.addWidget(load)
    cells = [load.families.item(0, c).text() for c in range(load.families.columnCount())]
    assert cells[0] == "Hayes family" and cells[5] == "9 months: can the plan end?"
    assert load.message.text() == "1 family on a plan."
    load.chair.setText("Nobody Known")
    load.show_caseload()
    assert load.families.rowCount() == 0 and load.message.text() == "No family on a plan has this chair."
    timeline = FamilyTimelineDialog(sqlite_db, policy, demo.conference.ref)
    qtbot.addWidget(timeline)
    rows = [timeline.timeline.item(r, 2).text() for r in range(timeline.timeline.rowCount())]
    assert "Initial child protection conference (held), chair Helen Marsh" in rows
    assert rows.index("Kayden Hayes: plan ends") < rows.index(
        "Initial child protection conference (held), chair Helen Marsh"
    )


@pytest.mark.parametrize("same", [True, False], ids=["clerk says same child", "clerk says another child"])
def test_a_child_added_to_a_new_conference_is_looked_up_and_used_only_when_the_clerk_confirms(
    qtbot, sqlite_db, policy, monkeypatch, same
):
    from chair_app.gui import register_prompt
    from chair_app.gui.workspace.create_dialog import CreateConferenceDialog

    demo = hayes(sqlite_db, policy)
    kayden = next(c for c in demo.children if c.forename == "Kayden")
    asked = []
    monkeypatch.setattr(register_prompt, "confirm", lambda _p, _c, match: asked.append(match) or same)
    monkeypatch.setattr(register_prompt, "confirm_family", lambda _p, _f: False)  # a new family, when asked
    dialog = CreateConferenceDialog(sqlite_db, policy, "Paul Greaves")
    qtbot.addWidget(dialog)
    dialog.family.setText("Hayes family")
    dialog.c_forename.setText("Kayden")
    dialog.c_surname.setText("Hayes")
    dialog.c_dob.setText(kayden.date_of_birth.strftime("%d/%m/%Y"))
    dialog.add_child()
    assert [m.child_id for m in asked] == [kayden.id]
    dialog.held_on.setText((date.today() + timedelta(days=30)).strftime("%d/%m/%Y"))
    dialog.create()
    made = dialog.created
    assert made is not None
    considered = made.considered_children()[0]
    if same:
        assert considered.id == kayden.id and made.conference.family_id == demo.family.id
        assert dialog.child_list.item(0).text().endswith("(already known: Hayes family)")
    else:
        assert considered.id != kayden.id and made.conference.family_id != demo.family.id


def test_a_new_child_of_a_family_already_known_joins_that_family_when_the_clerk_confirms_it(
    qtbot, sqlite_db, policy, monkeypatch
):
    from chair_app.gui import register_prompt
    from chair_app.gui.workspace.create_dialog import CreateConferenceDialog

    demo = hayes(sqlite_db, policy)
    asked = []
    monkeypatch.setattr(register_prompt, "confirm", lambda *_: False)
    monkeypatch.setattr(register_prompt, "confirm_family", lambda _p, family: asked.append(family) or True)
    dialog = CreateConferenceDialog(sqlite_db, policy, "Paul Greaves")
    qtbot.addWidget(dialog)
    dialog.family.setText("hayes family")
    dialog.c_forename.setText("Nova")
    dialog.c_surname.setText("Hayes")
    dialog.c_dob.setText((date.today() - timedelta(days=40)).strftime("%d/%m/%Y"))
    dialog.add_child()
    dialog.held_on.setText((date.today() + timedelta(days=30)).strftime("%d/%m/%Y"))
    dialog.create()
    assert [f.family_id for f in asked] == [demo.family.id] and "Kayden Hayes" in asked[0].children
    made = dialog.created
    assert made.conference.family_id == demo.family.id and made.family.name == "Hayes family"
    assert made.considered_children()[0].forename == "Nova"
    assert made.considered_children()[0].family_id == demo.family.id


def test_sorted_by_family_the_list_groups_each_familys_conferences_in_date_order(qtbot, sqlite_db, policy):
    from chair_app.gui.list_model import ConferenceListModel

    made = []
    for days, surname in ((-200, "Hayes"), (10, "Ashworth"), (-20, "Hayes"), (-90, "Ashworth"), (40, "Hayes")):
        bundle = build_demo(policy, date.today() + timedelta(days=days))
        bundle.family.name = f"{surname} family"
        made.append(conferences.add_conference(sqlite_db, bundle))
    window = MainWindow(lambda: (sqlite_db, policy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(lambda: window.is_ready() and window.model.rowCount() == 5)
    window._sort_by(ConferenceListModel.HEADERS.index("Family"))
    rows = [(window.proxy.index(r, 4).data(), window.proxy.index(r, 1).data()) for r in range(window.proxy.rowCount())]
    families = [f for f, _ in rows]
    assert families == ["Ashworth family"] * 2 + ["Hayes family"] * 3
    for family in ("Ashworth family", "Hayes family"):
        days = [date(*reversed([int(x) for x in d.split("/")])) for f, d in rows if f == family]
        assert days == sorted(days)
