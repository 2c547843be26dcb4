"""Issue 20 on the decision step: professionals only recommend, the family's views are typed apart, the
policy's definition of a category is shown where it is chosen, and the reason is asked for emotional abuse with
neglect."""

from __future__ import annotations

from datetime import date

from chair_app.domain.enums import Category, Outcome
from chair_app.services import recording
from chair_app.services import workspace as wsvc
from tests.gui.test_desk_meeting import add_demo, place, start  # noqa: F401 (place is a fixture)


def test_only_professionals_recommend_and_each_parents_views_are_typed_apart(qtbot, sqlite_db, policy, place):  # noqa: F811
    demo = add_demo(sqlite_db, policy, date.today())
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "decision")
    page = window.workspace.pages["decision"]
    who = [page.rec_who.itemText(i) for i in range(page.rec_who.count())]
    assert who and not any("Danielle Hayes" in w or "Ryan Cole" in w for w in who)
    danielle = next(p for p in demo.people if p.name == "Danielle Hayes")
    invitation = next(i for i in demo.invitations if i.person_id == danielle.id)
    edit = next(b.widget for b in page._family_binders if b.widget.accessibleName() == "Views of Danielle Hayes")
    assert edit.toPlainText().startswith("I want the children to feel safe")
    edit.setPlainText("I will go to the course every week.")
    window.workspace.end_typing()
    stored = next(i for i in wsvc.load(sqlite_db, demo.conference.id).invitations if i.id == invitation.id)
    assert stored.views == "I will go to the course every week."


def test_the_definition_is_shown_and_emotional_abuse_with_neglect_asks_why(qtbot, sqlite_db, policy, place):  # noqa: F811
    demo = add_demo(sqlite_db, policy, date.today())
    lily = next(c for c in demo.children if c.forename == "Lily-Mae")
    recording.withdraw_decision(sqlite_db, demo.conference.id, lily.id, who="x")
    window = start(qtbot, sqlite_db, policy, place, demo.conference.id, "decision")
    page = window.workspace.pages["decision"]
    page.child.setCurrentIndex(page.child.findData(str(lily.id)))
    for combo, value in ((page.outcome, Outcome.PLAN), (page.category, Category.NEG), (page.secondary, Category.EMO)):
        index = combo.findData(value)
        combo.setCurrentIndex(index)
        combo.activated.emit(index)
    assert page.definition.text().startswith("Neglect: The persistent failure to meet a child's basic")
    assert "Emotional abuse: The persistent emotional maltreatment" in page.definition.text()
    assert page.category_reason.placeholderText() == "Why neglect with emotional abuse: why are both needed?"
    page.lead.setText("Children's social care")
    page.record_decision()
    assert "category reason: why neglect with emotional abuse" in window.workspace.problem_line.text.text()
    page.category_reason.setPlainText("Lily-Mae is frightened at home and her needs are not met.")
    page.record_decision()
    decision = next(d for d in wsvc.load(sqlite_db, demo.conference.id).decisions if d.child_id == lily.id)
    assert (decision.initial_category, decision.secondary_category) == (Category.NEG, Category.EMO)
    assert decision.category_reason.startswith("Lily-Mae is frightened")
