"""The same key (F8), menu and marker on every kind the audience model knows (issue 12, point 2), beyond map
items, danger statements and plan actions: a child's views (Voice step), a person's contact details (Before
step), a core group entry (Plan step) and the paragraphs that go to the record (Decision step; the contingency
plan). Each mark is written through the workspace's one write path and each document follows it: read back
from Ryan's copy, which leaves the marked thing out, and the chair's, which keeps it."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from chair_app.domain import model as m
from chair_app.domain.enums import Audience
from chair_app.gui.workspace import audience_marks
from chair_app.gui.workspace.common import select_id
from chair_app.services import documents
from chair_app.services import workspace as wsvc
from tests.gui.test_desk_meeting import add_demo, place, start  # noqa: F401  (place is a fixture)
from tests.integration.test_safe_copies import text_of

KAYDENS_VIEWS = "I like it when it's quiet at home"
REASON = "Told in confidence; not for the family's copies"


def key(qtbot, page, name: str, widget) -> None:
    """Press F8 with the keyboard in ``widget``: the page's action ``name`` opens the menu."""
    action = page.findChild(QAction, name)
    assert action.shortcut().toString() == audience_marks.MARK_KEY
    page.audience_menu = None
    focus(qtbot, widget)
    qtbot.keyClick(widget, Qt.Key.Key_F8)
    qtbot.waitUntil(lambda: page.audience_menu is not None)


def choose(page, label: str) -> None:
    next(a for a in page.audience_menu.actions() if a.text() == label).trigger()


def focus(qtbot, widget) -> None:
    widget.window().activateWindow()
    widget.setFocus()
    qtbot.waitUntil(widget.hasFocus)


def record_for(db, ref, policy, who) -> str:
    return text_of(documents.conference_record(db, ref, policy, recipient=who, record=None).pdf)


def plan_for(db, ref, policy, who) -> str:
    return text_of(documents.cp_plan(db, ref, policy, recipient=who, record=None).pdf)


def stored(db, conference_id, subject_id, part="") -> list[m.AudienceMark]:
    return [a for a in wsvc.load(db, conference_id).audience if a.subject_id == subject_id and a.part == part]


def test_f8_on_a_childs_views_marks_them_professionals_only_shows_the_marker_and_ryans_record_leaves_them_out(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "voice")
    page = window.workspace.pages["voice"]
    kayden = next(c for c in demo.children if c.forename == "Kayden")
    voice = next(v for v in demo.conference_children if v.child_id == kayden.id)
    select_id(page.view, voice.id)
    monkeypatch.setattr(audience_marks, "ask_reason", lambda _parent, _label: REASON)
    key(qtbot, page, "viewsAudience", page.view)
    choose(page, "Professionals only")
    assert page.model.data(page.model.index(page.model.row_of(voice.id), 0)) == "[Professionals only] Kayden Hayes"
    assert page.marked.fields[0].label.text() == "Their views, in their words [Professionals only]"
    assert [(a.audience, a.reason) for a in stored(sqlite_db, demo.conference.id, voice.id)] == [
        (Audience.PROFESSIONALS, REASON)
    ]
    ref = demo.conference.ref
    assert KAYDENS_VIEWS not in record_for(sqlite_db, ref, policy, "Ryan Cole")
    assert KAYDENS_VIEWS in record_for(sqlite_db, ref, policy, None)


def test_f8_on_an_invitee_marks_their_contact_details_not_for_ryan_and_undo_takes_it_back(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "before")
    page = window.workspace.pages["before"]
    claire = next(p for p in demo.people if p.name == "Claire Dobson")
    invitation = next(i for i in demo.invitations if i.person_id == claire.id)
    select_id(page.invitees_view, invitation.id)
    key(qtbot, page, "contactAudience", page.invitees_view)
    choose(page, "Everyone except Ryan Cole")  # the recorded restriction on Ryan gives the reason
    model = page.invitees_model
    shown = model.data(model.index(model.row_of(invitation.id), 0))
    assert shown == "[Contact details: Not for Ryan Cole] Claire Dobson"
    (mark,) = stored(sqlite_db, demo.conference.id, claire.id, "contact")
    assert mark.audience is Audience.EXCEPT and mark.restriction_id == demo.restrictions[0].id
    ref = demo.conference.ref
    email = "claire.dobson@example.org.uk"
    assert email not in plan_for(sqlite_db, ref, policy, "Ryan Cole")
    assert email in plan_for(sqlite_db, ref, policy, "Danielle Hayes")  # not for Ryan only
    assert window.session.undo()
    assert not stored(sqlite_db, demo.conference.id, claire.id, "contact")
    assert model.data(model.index(model.row_of(invitation.id), 0)) == "Claire Dobson"


def test_f8_in_the_core_group_list_marks_the_entry_professionals_only_and_ryans_plan_leaves_it_out(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "plan")
    page = window.workspace.pages["plan"]
    claire = next(p for p in demo.people if p.name == "Claire Dobson")
    invitation = next(i for i in demo.invitations if i.person_id == claire.id)
    assert invitation.core_group_member
    select_id(page.core_view, invitation.id)
    monkeypatch.setattr(audience_marks, "ask_reason", lambda _parent, _label: REASON)
    key(
        qtbot, page, "actionAudience", page.core_view
    )  # the page's one F8: with the keyboard in the core group, the entry
    choose(page, "Professionals only")
    model = page.core_model
    assert model.data(model.index(model.row_of(invitation.id), 0)) == "[Core group: Professionals only] ✔ Member"
    assert [a.audience for a in stored(sqlite_db, demo.conference.id, invitation.id, "core_group")] == [
        Audience.PROFESSIONALS
    ]
    assert not stored(sqlite_db, demo.conference.id, invitation.id)  # the entry, not the whole invitation
    ref = demo.conference.ref
    email = "claire.dobson@example.org.uk"
    assert email not in plan_for(sqlite_db, ref, policy, "Ryan Cole")
    assert email in plan_for(sqlite_db, ref, policy, None)
    # The contingency plan, marked in the demo as not for Ryan, shows its marker in its label.
    label = page.marked.fields[0].label.text()
    assert label == "Contingency plan [Not for Ryan Cole]"


def test_f8_in_a_record_paragraph_marks_the_decisions_reasons_and_a_parents_views_and_ryans_record_leaves_them_out(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "decision")
    page = window.workspace.pages["decision"]
    kayden = next(c for c in demo.children if c.forename == "Kayden")
    decision = next(d for d in demo.decisions if d.child_id == kayden.id)
    page.child.setCurrentIndex(page.child.findData(str(kayden.id)))
    words = "Kayden told his teacher about the night his mum was hurt"
    assert window.session.set(m.Decision, decision.id, {"reasons": words})
    monkeypatch.setattr(audience_marks, "ask_reason", lambda _parent, _label: REASON)
    key(qtbot, page, "paragraphAudience", page.reasons)
    choose(page, "Professionals only")
    reasons_label = next(f for f in page.marked.fields if f.widget is page.reasons).label
    assert reasons_label.text() == "Reasons [Professionals only]"
    assert [a.audience for a in stored(sqlite_db, demo.conference.id, decision.id, "reasons")] == [
        Audience.PROFESSIONALS
    ]
    danielle = next(p for p in demo.people if p.name == "Danielle Hayes")
    hers = next(i for i in demo.invitations if i.person_id == danielle.id)
    field = next(f for f in page.marked.fields if f.part == "views" and f.subject() == hers.id)
    key(qtbot, page, "paragraphAudience", field.widget)
    choose(page, "Everyone except Ryan Cole")
    assert field.label.text().endswith("[Not for Ryan Cole]")
    ref = demo.conference.ref
    ryans, chairs = record_for(sqlite_db, ref, policy, "Ryan Cole"), record_for(sqlite_db, ref, policy, None)
    said = "I want the children to feel safe"
    assert words not in ryans and said not in ryans
    assert words in chairs and said in chairs


def test_f8_on_the_welcome_step_marks_why_the_chair_proceeded_without_quorum_and_ryans_record_leaves_it_out(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    from chair_app.domain.enums import AttendanceStatus, QuoracyOutcome
    from chair_app.services.demo import build_demo
    from tests.gui.test_desk_meeting import conferences

    rationale = "The police report was full and the risk to the baby made delay unsafe"
    bundle = build_demo(policy, date.today())
    for inv in bundle.invitations:  # only the family and the social worker came: not quorate
        if bundle.person(inv.person_id).role_code not in ("parent", "social_worker", "relative", "carer"):
            inv.status, inv.mode, inv.report_submitted = AttendanceStatus.APOLOGIES, None, False
    bundle.conference.quoracy_outcome = QuoracyOutcome.PROCEEDED_NOT_QUORATE
    bundle.conference.quoracy_rationale = rationale
    demo = conferences.add_conference(sqlite_db, bundle)
    ref = demo.conference.ref
    assert rationale in record_for(sqlite_db, ref, policy, "Ryan Cole")  # in his copy until it is marked
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "welcome")
    page = window.workspace.pages["welcome"]
    monkeypatch.setattr(audience_marks, "ask_reason", lambda _parent, _label: REASON)
    key(qtbot, page, "rationaleAudience", page.view)
    choose(page, "Professionals only")
    assert f"Rationale: [Professionals only] {rationale}" in page.outcome.text()
    assert [
        (a.audience, a.reason) for a in stored(sqlite_db, demo.conference.id, demo.conference.id, "quoracy_rationale")
    ] == [(Audience.PROFESSIONALS, REASON)]
    assert rationale not in record_for(sqlite_db, ref, policy, "Ryan Cole")
    assert rationale in record_for(sqlite_db, ref, policy, None)


def test_what_a_person_told_the_conference_is_typed_on_the_welcome_step_and_f8_keeps_it_from_ryan(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
    monkeypatch,
):
    told = "Two call-outs to the house in October, both after midnight"
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "welcome")
    page = window.workspace.pages["welcome"]
    police = next(i for i in demo.invitations if demo.person(i.person_id).role_code == "police")
    select_id(page.view, police.id)
    focus(qtbot, page.told)
    page.told.selectAll()
    qtbot.keyClicks(page.told, told)
    window.workspace.end_typing()
    assert (
        next(i for i in wsvc.load(sqlite_db, demo.conference.id).invitations if i.id == police.id).information_shared
        == told
    )
    ref = demo.conference.ref
    assert told in record_for(sqlite_db, ref, policy, "Ryan Cole")  # in his copy until it is marked
    monkeypatch.setattr(audience_marks, "ask_reason", lambda _parent, _label: REASON)
    key(qtbot, page, "rationaleAudience", page.told)
    choose(page, "Professionals only")
    assert page.marked.fields[0].label.text() == "What they told the conference [Professionals only]"
    assert [(a.audience, a.reason) for a in stored(sqlite_db, demo.conference.id, police.id, "information_shared")] == [
        (Audience.PROFESSIONALS, REASON)
    ]
    assert told not in record_for(sqlite_db, ref, policy, "Ryan Cole")
    assert told in record_for(sqlite_db, ref, policy, None)
