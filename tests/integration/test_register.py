"""The register (issue 13), on SQLite and PostgreSQL: a child already known is found by the local child ID, or
suggested by name and date of birth, never merged silently; merging two records of one child is recorded in
the journal, undoable, and makes the measures count one child with one plan history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chair_app.domain import model as m
from chair_app.domain.enums import Category, MeetingKind
from chair_app.domain.errors import InvalidInput
from chair_app.reports.period import Period
from chair_app.services import conferences
from chair_app.services import register as reg
from chair_app.services.demo import build_demo
from chair_app.services.reporting import measures
from tests.conftest import dump

TODAY = date(2026, 11, 23)
WHO = "Paul Greaves"


@pytest.fixture
def hayes(db, policy):
    return conferences.add_conference(db, build_demo(policy, TODAY))


def kayden(bundle: m.ConferenceBundle) -> m.Child:
    return next(c for c in bundle.children if c.forename == "Kayden")


def second_family(db, policy, child: m.Child, **changes) -> m.ConferenceBundle:
    """Another family's conference with a record of ``child`` typed again (as before the register)."""
    other = build_demo(policy, TODAY + timedelta(days=200))
    other.family.name = "Hayes-Clarke family"
    for c in other.children:  # typed without the local child IDs; only Kayden's date of birth agrees
        c.local_child_id = ""
    again = next(c for c in other.children if c.forename == "Kayden")
    again.date_of_birth = child.date_of_birth
    for key, value in changes.items():
        setattr(again, key, value)
    other.plan_history = []
    return conferences.add_conference(db, other)


def test_a_child_is_found_by_the_local_child_id_first(db, hayes):
    k = kayden(hayes)
    found = reg.find_child(db, reg.Wanted("K.", "Somebody-else", None, k.local_child_id))
    assert [(x.child_id, x.how) for x in found] == [(k.id, reg.BY_ID)]


def test_a_child_with_a_shortened_forename_and_the_same_date_of_birth_is_suggested(db, hayes):
    k = kayden(hayes)
    found = reg.find_child(db, reg.Wanted("kay", "HAYES", k.date_of_birth))
    assert [(x.child_id, x.how) for x in found] == [(k.id, reg.BY_NAME)]
    assert "Hayes family: same name and date of birth" in found[0].line


def test_no_match_for_another_date_of_birth_another_surname_or_another_local_child_id(db, hayes):
    k = kayden(hayes)
    assert reg.find_child(db, reg.Wanted("Kayden", "Hayes", k.date_of_birth + timedelta(days=1))) == []
    assert reg.find_child(db, reg.Wanted("Kayden", "Hughes", k.date_of_birth)) == []
    assert reg.find_child(db, reg.Wanted("Kayden", "Hayes", k.date_of_birth, "LCC-999999")) == []


def test_the_family_is_found_by_its_name_or_by_a_child_matched(db, hayes):
    k = kayden(hayes)
    by_name = reg.find_family(db, "hayes FAMILY")
    assert [f.family_id for f in by_name] == [hayes.family.id] and "Kayden Hayes" in by_name[0].children
    by_child = reg.find_family(db, "Hayes-Clarke family", [reg.Wanted("Kayden", "Hayes", k.date_of_birth)])
    assert [f.family_id for f in by_child] == [hayes.family.id]


def test_an_import_is_never_merged_and_its_possible_matches_are_listed(db, policy, hayes):
    k = kayden(hayes)
    other = second_family(db, policy, k)
    again = kayden(other)
    assert reg.child_record(db, again.id).merged_into_id is None  # stored as its own record
    found = reg.imported_matches(db, [other])
    assert [(c.id, [x.child_id for x in xs]) for c, xs in found] == [(again.id, [k.id])]


def test_merging_two_records_of_one_child_is_journaled_and_undone(db, policy, hayes):
    k = kayden(hayes)
    again = kayden(second_family(db, policy, k))
    reg.merge_children(db, k.id, again.id, who=WHO)
    assert reg.child_record(db, again.id).merged_into_id == k.id
    assert reg.find_child(db, reg.Wanted("Kayden", "Hayes", k.date_of_birth)) != []
    assert [x.child_id for x in reg.find_child(db, reg.Wanted("Kayden", "Hayes", k.date_of_birth))] == [k.id]
    from sqlalchemy import select

    from chair_app.store.journal import JOURNAL

    with db.unit_of_work() as session:
        ops = [r.operation for r in session.execute(select(JOURNAL.c.operation, JOURNAL.c.who)).all() if r.who == WHO]
    assert "merge_children" in ops
    reg.undo_merge(db, again.id, who=WHO)
    assert reg.child_record(db, again.id).merged_into_id is None
    with db.unit_of_work() as session:
        ops = [r.operation for r in session.execute(select(JOURNAL.c.operation, JOURNAL.c.who)).all() if r.who == WHO]
    assert "undo_merge" in ops


def test_a_refused_merge_changes_nothing(db, policy, hayes):
    k = kayden(hayes)
    lily = next(c for c in hayes.children if c.forename == "Lily-Mae")
    before = dump(db)
    with pytest.raises(InvalidInput, match="local child IDs differ"):
        reg.merge_children(db, k.id, lily.id, who=WHO)
    with pytest.raises(InvalidInput, match="the same record"):
        reg.merge_children(db, k.id, k.id, who=WHO)
    assert dump(db) == before


def test_a_merged_childs_earlier_plan_makes_the_new_plan_a_repeat_plan_in_the_measures(db, policy, hayes):
    k = kayden(hayes)
    other = second_family(db, policy, k)
    again = kayden(other)
    earlier = m.PlanHistory(
        child_id=k.id,
        started_on=TODAY - timedelta(days=800),
        ended_on=TODAY - timedelta(days=500),
        initial_category=Category.NEG,
    )
    later = m.PlanHistory(child_id=again.id, started_on=TODAY + timedelta(days=200), initial_category=Category.EMO)
    with db.unit_of_work() as session:
        from chair_app.store import repository as repo

        session.add(repo.to_row(earlier))
        session.add(repo.to_row(later))
    period = Period(TODAY + timedelta(days=100), TODAY + timedelta(days=300))

    def repeats():
        return measures(db, policy, period)["05a_repeat_plan_rate"].iloc[0]

    assert (repeats().repeat_plans, repeats().plans_started) == (0, 1)  # two records: a first plan
    reg.merge_children(db, k.id, again.id, who=WHO)
    assert (repeats().repeat_plans, repeats().plans_started) == (1, 1)  # one child: a repeat plan
    reg.undo_merge(db, again.id, who=WHO)
    assert repeats().repeat_plans == 0


def test_a_new_conference_for_a_child_the_clerk_confirmed_uses_the_registered_child_and_family(db, policy, hayes):
    from chair_app.services import workspace as ws

    k = kayden(hayes)
    children_before = count_children(db)
    new = ws.NewConference(
        kind=MeetingKind.INITIAL,
        held_on=TODAY + timedelta(days=30),
        family_name="Typed again",
        children=[
            ws.NewChild("Kayden", "Hayes", k.date_of_birth, registered_id=k.id),
            ws.NewChild("Nova", "Hayes", TODAY - timedelta(days=100)),
        ],
    )
    made = ws.create_conference(db, new, policy, who=WHO)
    assert made.conference.family_id == hayes.family.id and made.family.name == "Hayes family"
    considered = made.considered_children()
    assert considered[0].id == k.id and considered[1].forename == "Nova"
    assert considered[1].family_id == hayes.family.id
    assert count_children(db) == children_before + 1  # only Nova is new


def test_children_confirmed_from_two_families_are_refused_and_nothing_is_stored(db, policy, hayes):
    from chair_app.services import workspace as ws

    k = kayden(hayes)
    other = kayden(second_family(db, policy, k))
    before = dump(db)
    new = ws.NewConference(
        kind=MeetingKind.INITIAL,
        held_on=TODAY + timedelta(days=30),
        family_name="Hayes family",
        children=[
            ws.NewChild("Kayden", "Hayes", k.date_of_birth, registered_id=k.id),
            ws.NewChild("Kayden", "Hayes", k.date_of_birth, registered_id=other.id),
        ],
    )
    with pytest.raises(InvalidInput, match="^Children: the children chosen from the register are in different"):
        ws.create_conference(db, new, policy, who=WHO)
    assert dump(db) == before


def count_children(db) -> int:
    from sqlalchemy import func, select

    from chair_app.store import models as rows

    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(rows.ChildRow))
