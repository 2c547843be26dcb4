"""Private scores are each person's own; a danger statement about domestic abuse reminds the chair to take the
adults' scores apart (issue 12, point 7)."""

from __future__ import annotations

from datetime import date

from chair_app.gui.workspace.common import select_id
from chair_app.rules.scores import APART, names_domestic_abuse
from tests.gui.test_desk_meeting import add_demo, place, start  # noqa: F401  (place is a fixture)


def test_there_is_no_joint_parents_score_to_choose(qtbot, sqlite_db, policy, place):  # noqa: F811
    demo = add_demo(sqlite_db, policy, date.today())
    page = start(qtbot, sqlite_db, policy, place, demo.conference.id, "mapping").workspace.pages["mapping"]
    page._overall_chosen()
    choices = [page.score_who.itemText(i) for i in range(page.score_who.count())]
    assert choices and not any("jointly" in c.lower() for c in choices)
    assert all(page.score_who.itemData(i) is not None for i in range(page.score_who.count()))


def test_the_domestic_abuse_statement_prompts_scores_apart_and_the_other_does_not(
    qtbot,
    sqlite_db,
    policy,
    place,  # noqa: F811
):
    demo = add_demo(sqlite_db, policy, date.today())
    page = start(qtbot, sqlite_db, policy, place, demo.conference.id, "mapping").workspace.pages["mapping"]
    abuse, school = sorted(demo.pairs, key=lambda p: p.position)
    assert names_domestic_abuse(abuse.danger_statement) and not names_domestic_abuse(school.danger_statement)
    select_id(page.pairs_view, abuse.id)
    assert page.apart.isVisible() and page.apart.text.text() == APART
    select_id(page.pairs_view, school.id)
    assert not page.apart.isVisible()
