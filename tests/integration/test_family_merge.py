"""Merging two records of one family (issue 13), on SQLite and PostgreSQL: the dropped family's conferences and
children move to the family kept, the dropped record names it, the merge is one journal entry that undo puts
back exactly (and redo makes again); a family with a finalised conference is never the one dropped."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from chair_app.domain.errors import InvalidInput
from chair_app.services import conferences, signoff, undo
from chair_app.services import register as reg
from chair_app.services.demo import build_demo, create_demo
from chair_app.store import models as rows
from chair_app.store.journal import JOURNAL
from tests.conftest import dump

TODAY = date(2026, 11, 23)
WHO = "Paul Greaves"
# What a merge and its undo change in passing: the row's version and time of change (not what it says).
BOOKKEEPING = {"version", "updated_at"}


def two_families(db, policy):
    """The Hayes family's conference, and a review typed as a New conference (a second family record)."""
    first = conferences.add_conference(db, build_demo(policy, TODAY))
    again = build_demo(policy, TODAY + timedelta(days=90))
    again.family.name = "Hayes family (typed again)"
    again.plan_history = []
    second = conferences.add_conference(db, again)
    return first, second


def family_rows(db) -> dict[str, list[tuple]]:
    """The family, child and conference rows as they read, without the bookkeeping columns."""
    out = {}
    with db.engine.connect() as conn:
        for table in (rows.FamilyRow, rows.ChildRow, rows.ConferenceRow):
            t = table.__table__
            cols = [c for c in t.columns if c.name not in BOOKKEEPING]
            out[t.name] = [tuple(r) for r in conn.execute(select(*cols).order_by(t.c.id))]
    return out


def families_of(db, ids) -> dict:
    with db.unit_of_work() as session:
        return {i: (session.get(rows.ConferenceRow, i) or session.get_one(rows.ChildRow, i)).family_id for i in ids}


def test_merging_moves_the_dropped_familys_conferences_and_children_and_keeps_its_id_findable(db, policy):
    first, second = two_families(db, policy)
    done = reg.merge_families(db, first.conference.ref, second.conference.ref, who=WHO)
    assert (done.kept, done.dropped, done.conferences, done.children) == (
        "Hayes family",
        "Hayes family (typed again)",
        1,
        len(second.children),
    )
    assert done.line == "Merged Hayes family (typed again) into Hayes family: 1 conference and 3 children moved"
    moved = [second.conference.id, *(c.id for c in second.children)]
    assert set(families_of(db, moved).values()) == {first.family.id}
    assert reg.merged_families(db) == {second.family.id: first.family.id}
    # its network and restrictions are the conference's own rows: they came with it
    bundle = conferences.load(db, second.conference.ref)
    assert bundle.family.id == first.family.id
    assert bundle.network == second.network and bundle.restrictions == second.restrictions
    # the register no longer offers the dropped record; the timeline of either conference shows both
    assert [f.family_id for f in reg.find_family(db, "Hayes family (typed again)")] == []
    _name, entries = reg.family_timeline(db, first.conference.ref, policy)
    assert {e.ref for e in entries} >= {first.conference.ref, second.conference.ref}


def test_the_merge_is_one_journal_entry_that_undo_puts_back_exactly_and_redo_makes_again(db, policy):
    first, second = two_families(db, policy)
    before = family_rows(db)
    done = reg.merge_families(db, first.conference.ref, second.conference.ref, who=WHO)
    merged = family_rows(db)
    assert merged != before
    with db.unit_of_work() as session:
        op = session.execute(select(JOURNAL.c.operation, JOURNAL.c.who).where(JOURNAL.c.uid == done.entry)).one()
    assert tuple(op) == ("merge_families", WHO)
    undo.undo(db, done.entry, who=WHO)
    assert family_rows(db) == before
    assert reg.merged_families(db) == {}
    undo.redo(db, done.entry, who=WHO)
    assert family_rows(db) == merged


def test_a_family_with_a_finalised_conference_is_never_dropped_and_nothing_changes(db, policy):
    finalised = create_demo(db, policy, TODAY)
    signoff.finalise(db, finalised.conference.ref, who="Helen Marsh")
    again = build_demo(policy, TODAY + timedelta(days=90))
    again.family.name = "Hayes family (typed again)"
    again.plan_history = []
    other = conferences.add_conference(db, again)
    before = dump(db)
    with pytest.raises(InvalidInput, match=r"^DROP: Hayes family has a finalised conference .*swap KEEP and DROP\)$"):
        reg.merge_families(db, other.conference.ref, finalised.conference.ref, who=WHO)
    assert dump(db) == before
    # the other way round, the finalised conference's rows need not change: it is allowed
    reg.merge_families(db, finalised.conference.ref, other.conference.ref, who=WHO)
    assert families_of(db, [other.conference.id]) == {other.conference.id: finalised.family.id}


def test_merging_a_family_into_itself_or_twice_is_refused_with_one_line(db, policy):
    first, second = two_families(db, policy)
    with pytest.raises(InvalidInput, match="^merge: .* are conferences of one family"):
        reg.merge_families(db, first.conference.ref, first.conference.ref, who=WHO)
    with pytest.raises(InvalidInput, match="^DROP: no conference 'C-NOPE'"):
        reg.merge_families(db, first.conference.ref, "C-NOPE", who=WHO)
    reg.merge_families(db, first.conference.ref, second.conference.ref, who=WHO)
    before = dump(db)
    with pytest.raises(InvalidInput, match="are conferences of one family"):  # the dropped one's are kept's now
        reg.merge_families(db, first.conference.ref, second.conference.ref, who=WHO)
    assert dump(db) == before


def test_unmerging_refuses_a_change_that_is_not_a_family_merge(db, policy):
    first, second = two_families(db, policy)
    reg.merge_children(db, first.children[0].id, second.children[0].id, who=WHO)
    before = dump(db)
    with pytest.raises(InvalidInput, match="^ENTRY: that is not a family merge"):
        reg.undo_family_merge(db, undo.last_entry(), who=WHO)
    assert dump(db) == before
    done = reg.merge_families(db, first.conference.ref, second.conference.ref, who=WHO)
    reg.undo_family_merge(db, done.entry, who=WHO)
    assert reg.merged_families(db) == {}


def test_the_register_suggests_the_other_record_of_the_family_and_not_once_merged(db, policy):
    first, second = two_families(db, policy)
    this, others = reg.families_like(db, second.conference.ref)
    assert this.name == "Hayes family (typed again)" and this.finalised == 0
    assert [(s.ref, s.name) for s in others] == [(first.conference.ref, "Hayes family")]
    assert others[0].how == "Baby Hayes: same local child ID"  # the surest match, first by forename, names why
    reg.merge_families(db, first.conference.ref, second.conference.ref, who=WHO)
    assert reg.families_like(db, first.conference.ref)[1] == []  # one family now: nothing else to suggest


def test_after_the_merge_each_child_typed_in_both_records_is_suggested_once_never_merged(db, policy):
    first, second = two_families(db, policy)
    assert reg.children_twice(db, first.conference.ref) == []  # two families: nothing to suggest yet
    reg.merge_families(db, first.conference.ref, second.conference.ref, who=WHO)
    pairs = reg.children_twice(db, second.conference.ref)
    by_name = {c.full_name: (c.id, x.child_id) for c, x in pairs}
    kayden = next(c for c in first.children if c.forename == "Kayden")
    again = next(c for c in second.children if c.forename == "Kayden")
    assert by_name["Kayden Hayes"] == (kayden.id, again.id)  # the older record first, each pair once
    assert len(pairs) == len(by_name)
    assert reg.child_record(db, again.id).merged_into_id is None  # suggested, not merged
