"""Two copies of one conference (two windows, two laptops on a unit server), on SQLite and PostgreSQL.

Each copy is a service caller holding the versions it read, as the window does: an edit or a removal made on
a copy older than the stored record is refused (``StaleEdit``, naming who and when and their values) and
nothing is written; an undo of a value the other copy changed since is refused, naming who.
"""

from __future__ import annotations

import random
import uuid
from datetime import date

import pytest

from chair_app.domain import model as m
from chair_app.domain.enums import MappingSection
from chair_app.domain.errors import InvalidInput, StaleEdit, UndoRefused
from chair_app.services import conferences, recording, undo
from chair_app.services import workspace as ws
from chair_app.services.demo import build_demo

TODAY = date(2026, 11, 23)


@pytest.fixture
def demo(db, policy):
    return conferences.add_conference(db, build_demo(policy, TODAY))


class Copy:
    """One person's copy: the versions of the records as they read them, kept up to date by their own writes."""

    def __init__(self, db, policy, who: str, cid: uuid.UUID) -> None:
        self.db, self.policy, self.who, self.cid = db, policy, who, cid
        self.read()

    def read(self) -> None:
        bundle = ws.load(self.db, self.cid)
        self.versions = {bundle.conference.id: bundle.conference.version}
        for name, _cls in m.BUNDLE_LISTS:
            self.versions |= {r.id: r.version for r in getattr(bundle, name)}
        self.versions[bundle.family.id] = bundle.family.version

    def set(self, cls, record_id, values) -> ws.Written:
        written = ws.set_fields(
            self.db, self.cid, cls, record_id, values, who=self.who, policy=self.policy, seen=self.versions[record_id]
        )
        self.versions |= written.versions
        return written

    def remove(self, cls, record_id) -> ws.Written:
        return ws.remove_records(
            self.db, self.cid, [(cls, record_id)], who=self.who, seen={record_id: self.versions[record_id]}
        )


def _value(db, cid, cls, record_id, name):
    bundle = ws.load(db, cid)
    if cls is m.Conference:
        return getattr(bundle.conference, name)
    if cls is m.Family:
        return getattr(bundle.family, name)
    for list_name, list_cls in m.BUNDLE_LISTS:
        if list_cls is cls:
            return getattr(next(r for r in getattr(bundle, list_name) if r.id == record_id), name)
    raise AssertionError(cls)


def test_every_stale_edit_of_100_is_refused_and_none_overwrites_silently(db, demo, policy):
    cid = demo.conference.id
    targets = [
        (m.MappingItem, demo.mapping_items[0].id, "text"),
        (m.MappingItem, demo.mapping_items[1].id, "text"),
        (m.DangerGoalPair, demo.pairs[0].id, "danger_statement"),
        (m.Conference, cid, "venue"),
        (m.Conference, cid, "contingency_plan"),
        (m.Person, demo.people[0].id, "phone"),
        (m.Family, demo.family.id, "notes"),
        (m.PlanAction, demo.actions[0].id, "what"),
    ]
    rng = random.Random(11)
    refused = silent = 0
    for trial in range(100):
        a, b = Copy(db, policy, "Helen Marsh", cid), Copy(db, policy, "Sam Clerk", cid)
        cls, rid, name = rng.choice(targets)
        b.set(cls, rid, {name: f"Sam's words {trial}"})  # stored and acknowledged
        try:
            a.set(cls, rid, {name: f"Helen's words {trial}"})  # Helen types on her older copy
        except StaleEdit as stale:
            refused += 1
            assert stale.who == "Sam Clerk" and stale.theirs == {name: f"Sam's words {trial}"}
            assert stale.version == b.versions[rid]
            assert "changed by Sam Clerk" in str(stale) and "\n" not in str(stale)
        if _value(db, cid, cls, rid, name) != f"Sam's words {trial}":
            silent += 1
    assert (refused, silent) == (100, 0)


def test_a_stale_removal_is_refused_and_the_record_stays(db, demo, policy):
    cid, item = demo.conference.id, demo.mapping_items[0]
    a, b = Copy(db, policy, "Helen Marsh", cid), Copy(db, policy, "Sam Clerk", cid)
    b.set(m.MappingItem, item.id, {"text": "Sam's rewording"})
    with pytest.raises(StaleEdit, match="Mapping item: changed by Sam Clerk"):
        a.remove(m.MappingItem, item.id)
    assert _value(db, cid, m.MappingItem, item.id, "text") == "Sam's rewording"


def test_keep_mine_stores_over_theirs_with_the_version_the_refusal_gave(db, demo, policy):
    cid, item = demo.conference.id, demo.mapping_items[0]
    a, b = Copy(db, policy, "Helen Marsh", cid), Copy(db, policy, "Sam Clerk", cid)
    b.set(m.MappingItem, item.id, {"text": "Sam's"})
    with pytest.raises(StaleEdit) as refused:
        a.set(m.MappingItem, item.id, {"text": "Helen's"})
    a.versions[item.id] = refused.value.version  # she chose "keep mine" having seen Sam's text
    a.set(m.MappingItem, item.id, {"text": "Helen's"})
    assert _value(db, cid, m.MappingItem, item.id, "text") == "Helen's"


def test_edits_to_different_records_of_one_conference_never_refuse_each_other(db, demo, policy):
    cid = demo.conference.id
    a, b = Copy(db, policy, "Helen Marsh", cid), Copy(db, policy, "Sam Clerk", cid)
    for n in range(20):
        a.set(m.Conference, cid, {"venue": f"Room {n}"})
        b.set(m.MappingItem, demo.mapping_items[0].id, {"text": f"Item {n}"})
        b.remove(m.MappingItem, demo.mapping_items[n % 3 + 1].id) if n < 3 else None
        recording.record_scale(db, demo.pairs[0].id, n % 10, who="Sam Clerk")
        a.set(m.MappingItem, demo.mapping_items[4].id, {"text": f"Helen {n}"})
    assert _value(db, cid, m.Conference, cid, "venue") == "Room 19"


def test_a_keystroke_continuing_its_own_run_is_not_refused_and_the_run_is_one_entry(db, demo, policy):
    cid, item = demo.conference.id, demo.mapping_items[0]
    a = Copy(db, policy, "Helen Marsh", cid)
    entries = {a.set(m.MappingItem, item.id, {"text": "Police" + "!" * n}).entry for n in range(1, 30)}
    assert len(entries) == 1  # one run of typing: one entry, one undo step
    assert _value(db, cid, m.MappingItem, item.id, "text") == "Police" + "!" * 29


def test_undo_of_a_value_the_other_copy_changed_since_is_refused_naming_who(db, demo, policy):
    cid, item = demo.conference.id, demo.mapping_items[0]
    a, b = Copy(db, policy, "Helen Marsh", cid), Copy(db, policy, "Sam Clerk", cid)
    mine = a.set(m.MappingItem, item.id, {"text": "Helen's"})
    b.read()
    b.set(m.MappingItem, item.id, {"text": "Sam's"})
    with pytest.raises(UndoRefused, match="^Cannot undo: Sam Clerk changed the text at ") as refused:
        undo.undo(db, mine.entry, who="Helen Marsh")
    assert refused.value.who == "Sam Clerk"
    assert _value(db, cid, m.MappingItem, item.id, "text") == "Sam's"


def test_undo_of_an_added_record_the_other_copy_edited_is_refused(db, demo, policy):
    cid = demo.conference.id
    b = Copy(db, policy, "Sam Clerk", cid)
    item = m.MappingItem(conference_id=cid, section=MappingSection.COMPLICATING_FACTOR, text="A new worry", position=50)
    added = ws.add_records(db, cid, [item], who="Helen Marsh", policy=policy)
    b.read()
    b.set(m.MappingItem, item.id, {"text": "Sam's wording of it"})
    with pytest.raises(UndoRefused, match="Sam Clerk"):
        undo.undo(db, added.entry, who="Helen Marsh")
    assert _value(db, cid, m.MappingItem, item.id, "text") == "Sam's wording of it"


@pytest.mark.parametrize(
    "name", ["status", "quoracy_outcome", "quoracy_rationale", "stood_down_reason", "stood_down_note"]
)
def test_the_generic_editor_refuses_what_only_a_rule_operation_writes(db, demo, policy, name):
    cid = demo.conference.id
    value = {"status": demo.conference.status, "quoracy_outcome": demo.conference.quoracy_outcome}.get(name, "x")
    with pytest.raises(InvalidInput) as refused:
        ws.set_fields(db, cid, m.Conference, cid, {name: value}, who="Helen Marsh", policy=policy, seen=None)
    assert "\n" not in str(refused.value) and "not editable" not in str(refused.value)


@pytest.mark.parametrize(
    "target",
    [
        ("mapping_items", m.MappingItem, "text"),  # a keystroke: services/workspace._set_text, Core statements
        ("people", m.Person, "phone"),  # the full path: the ORM's version_id_col
    ],
)
def test_a_write_landing_between_the_check_and_the_update_is_refused_too(db, demo, policy, target):
    """The version compared in Python could be overtaken: the UPDATE itself carries ``WHERE version = seen``."""
    from sqlalchemy import event

    from chair_app.store.engine import Database
    from chair_app.store.repository import RECORD_ROWS

    list_name, cls, name = target
    cid, record = demo.conference.id, getattr(demo, list_name)[0]
    table = RECORD_ROWS[cls].__tablename__
    colleague = Database(db.engine)  # another person's sessions on the same database
    landed = []

    def colleague_writes_first(_conn, _cursor, statement, *_args) -> None:
        if not landed and statement.lstrip().startswith(f"UPDATE {table} "):
            landed.append(True)  # (before the colleague's own UPDATE comes through here)
            ws.set_fields(colleague, cid, cls, record.id, {name: "Sam's"}, who="Sam Clerk", policy=policy, seen=None)

    event.listen(db.engine, "before_cursor_execute", colleague_writes_first)
    try:
        with pytest.raises(StaleEdit, match="changed by Sam Clerk") as refused:
            ws.set_fields(
                db, cid, cls, record.id, {name: "Helen's"}, who="Helen Marsh", policy=policy, seen=record.version
            )
    finally:
        event.remove(db.engine, "before_cursor_execute", colleague_writes_first)
    assert landed and refused.value.theirs == {name: "Sam's"}
    assert _value(db, cid, cls, record.id, name) == "Sam's"


def test_the_generic_editor_asks_for_the_advocacy_answer_with_the_code_as_record_participation_does(db, demo, policy):
    from chair_app.domain.enums import ParticipationCode

    cid = demo.conference.id
    kayden = next(c for c in demo.children if c.forename == "Kayden")
    voice = next(v for v in demo.conference_children if v.child_id == kayden.id)
    older = {"date_of_birth": date(2014, 10, 16)}  # 12 at the conference: advocacy is due
    ws.set_fields(db, cid, m.Child, kayden.id, older, who="Helen Marsh", policy=policy, seen=None)
    ws.set_fields(
        db,
        cid,
        m.ConferenceChild,
        voice.id,
        {"participation_code": None, "advocacy_offered": None},
        who="Helen Marsh",
        policy=policy,
        seen=None,
    )
    with pytest.raises(InvalidInput, match="^advocacy: Aged 12"):
        ws.set_fields(
            db,
            cid,
            m.ConferenceChild,
            voice.id,
            {"participation_code": ParticipationCode.PN1},
            who="Helen Marsh",
            policy=policy,
            seen=None,
        )
    with pytest.raises(InvalidInput, match="^advocacy: Aged 12"):
        recording.record_participation(db, cid, kayden.id, ParticipationCode.PN1, policy, who="Helen Marsh")


def test_undo_and_redo_of_an_entry_of_a_finalised_conference_are_refused_and_change_nothing(db, demo, policy):
    from chair_app.domain.errors import RecordFinalised
    from chair_app.services import signoff
    from tests.conftest import dump

    cid, item = demo.conference.id, demo.mapping_items[0]
    typed = ws.set_fields(
        db,
        cid,
        m.MappingItem,
        item.id,
        {"text": "Before sign-off"},
        who="Helen Marsh",
        policy=policy,
        seen=item.version,
    )
    undone = undo.undo(db, typed.entry, who="Helen Marsh")
    signoff.finalise(db, demo.conference.ref, who="Helen Marsh")
    before = dump(db)
    with pytest.raises(RecordFinalised, match="finalised"):
        undo.undo(db, undone.entry, who="Helen Marsh")  # the undo's own entry, undone: a redo by another name
    with pytest.raises(RecordFinalised, match="finalised"):
        undo.redo(db, typed.entry, who="Helen Marsh")
    assert dump(db) == before


def test_an_edit_to_a_record_the_other_copy_removed_is_refused_naming_who_and_nothing_returns(db, demo, policy):
    cid, item = demo.conference.id, demo.mapping_items[0]
    a, b = Copy(db, policy, "Helen Marsh", cid), Copy(db, policy, "Sam Clerk", cid)
    b.remove(m.MappingItem, item.id)
    with pytest.raises(StaleEdit, match="^Mapping item: removed by Sam Clerk at ") as refused:
        a.set(m.MappingItem, item.id, {"text": "Helen's"})
    assert refused.value.removed and refused.value.who == "Sam Clerk"
    assert item.id not in {i.id for i in ws.load(db, cid).mapping_items}


def test_an_undo_overtaken_between_its_check_and_its_update_is_refused_naming_who(db, demo, policy):
    from sqlalchemy import event

    from chair_app.store.engine import Database

    cid, item = demo.conference.id, demo.mapping_items[0]
    mine = ws.set_fields(
        db, cid, m.MappingItem, item.id, {"text": "Helen's"}, who="Helen Marsh", policy=policy, seen=item.version
    )
    colleague = Database(db.engine)
    landed = []

    def colleague_writes_first(session, _context, _instances) -> None:
        if not landed and any(getattr(o, "id", None) == item.id for o in session.dirty):
            landed.append(True)
            ws.set_fields(
                colleague, cid, m.MappingItem, item.id, {"text": "Sam's"}, who="Sam Clerk", policy=policy, seen=None
            )

    event.listen(db.sessions, "before_flush", colleague_writes_first)
    try:
        with pytest.raises(UndoRefused, match="^Cannot undo: Sam Clerk changed the text"):
            undo.undo(db, mine.entry, who="Helen Marsh")
    finally:
        event.remove(db.sessions, "before_flush", colleague_writes_first)
    assert landed and _value(db, cid, m.MappingItem, item.id, "text") == "Sam's"


def test_a_copy_kept_current_with_last_versions_after_a_rule_operation_is_not_refused(db, demo, policy):
    cid, pair = demo.conference.id, demo.pairs[0]
    a = Copy(db, policy, "Helen Marsh", cid)
    recording.record_scale(db, pair.id, 3, who="Helen Marsh")  # a rule operation: no Written
    a.versions |= undo.last_versions()
    a.set(m.DangerGoalPair, pair.id, {"danger_statement": "Helen's words after the scale"})
    b = Copy(db, policy, "Sam Clerk", cid)
    b.versions[pair.id] -= 1  # a copy read before the scale was recorded
    with pytest.raises(StaleEdit, match="^Danger statement: changed by Helen Marsh"):
        b.set(m.DangerGoalPair, pair.id, {"danger_statement": "Sam's"})
