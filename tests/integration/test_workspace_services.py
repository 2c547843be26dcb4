"""The workspace's edit services, on SQLite and PostgreSQL: each edit stored at once, refusals change nothing."""

from __future__ import annotations

import uuid
from datetime import date, time, timedelta

import pytest

from chair_app.domain import model as m
from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Category,
    MappingSection,
    MeetingKind,
    Outcome,
    ParticipationCode,
    Sex,
)
from chair_app.domain.errors import InvalidInput, NotFound, RecordFinalised
from chair_app.rules.policy import load_policy
from chair_app.rules.timescales import next_dates
from chair_app.services import conferences, readiness, recording
from chair_app.services import workspace as ws
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from tests.conftest import dump

POLICY = load_policy()  # set_fields and add_records take the policy in force

TODAY = date(2026, 11, 23)
WHO = "Helen Marsh"


@pytest.fixture
def demo(db, policy):
    return conferences.add_conference(db, build_demo(policy, TODAY))


def stored(db, conference_id):
    return ws.load(db, conference_id)


def test_set_fields_stores_at_once_returns_old_values_and_leaves_the_conference_row_alone(db, demo, policy):
    item = demo.mapping_items[0]
    written = ws.set_fields(
        db, demo.conference.id, m.MappingItem, item.id, {"text": "Changed"}, who=WHO, policy=policy, seen=item.version
    )
    assert written.old == {"text": item.text}
    assert written.versions == {item.id: item.version + 1} and written.entry is not None
    again = stored(db, demo.conference.id)
    assert next(i for i in again.mapping_items if i.id == item.id).text == "Changed"
    # per-record versions: an edit to one record does not touch the conference row (others' edits never collide)
    assert again.conference.version == demo.conference.version


@pytest.mark.parametrize(
    ("cls_name", "field", "value", "message"),
    [
        ("pair", "scale", 11, "Agreed scale: a score is a whole number from 0 to 10"),
        ("conference", "held_on", "23/11/2026", "Date: give a date as dd/mm/yyyy"),
        ("conference", "kind", None, "Meeting: this cannot be left empty"),
        ("item", "text", "x" * 20_001, "Text: at most 20,000 characters"),
        ("item", "conference_id", uuid.uuid4(), "conference_id: not editable here"),
        ("invitation", "status", AttendanceStatus.ATTENDED, "How they attended: choose in person, video or phone"),
        ("voice", "participation_code", ParticipationCode.PN0, "participation code: PN0 is only for a child under 4"),
        ("conference", "first_core_group_on", TODAY + timedelta(days=40), "Reason the dates differ: type it first"),
        ("conference", "next_review_on", TODAY, "Next review: the date must come after the conference"),
        ("decision", "lead_agency", "", "lead agency: record who leads the plan"),
        ("child", "forename", " ", "Forename: give a name"),
        ("voice", "participation_code", "PN1", "Participation code: give one of the choices offered"),
    ],
)
def test_bad_input_is_refused_with_one_line_and_nothing_changes(db, demo, policy, cls_name, field, value, message):
    kayden = next(c for c in demo.children if c.forename == "Kayden")
    mark = next(i for i in demo.invitations if i.status is not AttendanceStatus.ATTENDED)
    targets = {
        "pair": (m.DangerGoalPair, demo.pairs[0].id),
        "conference": (m.Conference, demo.conference.id),
        "item": (m.MappingItem, demo.mapping_items[0].id),
        "invitation": (m.Invitation, mark.id),
        "voice": (m.ConferenceChild, next(v.id for v in demo.conference_children if v.child_id == kayden.id)),
        "decision": (m.Decision, next(d.id for d in demo.decisions if d.outcome is Outcome.PLAN)),
        "child": (m.Child, kayden.id),
    }
    cls, record_id = targets[cls_name]
    if field == "next_review_on":
        value = demo.conference.held_on
    before = dump(db)
    with pytest.raises((InvalidInput, NotFound)) as refused:
        ws.set_fields(db, demo.conference.id, cls, record_id, {field: value}, who=WHO, policy=policy, seen=None)
    assert str(refused.value).startswith(message)
    assert "\n" not in str(refused.value)
    assert dump(db) == before


def test_next_dates_differ_only_with_a_reason(db, demo, policy):
    c = demo.conference
    later = next_dates(c.held_on, c.kind, policy).next_review + timedelta(days=7)
    ws.set_fields(
        db, c.id, m.Conference, c.id, {"next_dates_note": "Chair on leave that week"}, who=WHO, policy=policy, seen=None
    )
    ws.set_fields(db, c.id, m.Conference, c.id, {"next_review_on": later}, who=WHO, policy=policy, seen=None)
    assert stored(db, c.id).conference.next_review_on == later


def test_records_of_another_conference_are_not_reached(db, demo, policy):
    other = conferences.add_conference(db, build_demo(policy, TODAY + timedelta(days=1)))
    before = dump(db)
    with pytest.raises(NotFound):
        ws.set_fields(
            db,
            demo.conference.id,
            m.MappingItem,
            other.mapping_items[0].id,
            {"text": "x"},
            who=WHO,
            policy=POLICY,
            seen=None,
        )
    with pytest.raises(NotFound):
        ws.set_fields(
            db, demo.conference.id, m.Conference, other.conference.id, {"venue": "x"}, who=WHO, policy=POLICY, seen=None
        )
    with pytest.raises(NotFound):
        ws.remove_records(db, demo.conference.id, [(m.MappingItem, other.mapping_items[0].id)], who=WHO)
    assert dump(db) == before


def test_remove_returns_snapshots_that_add_puts_back_exactly(db, demo, policy):
    pair = demo.pairs[0]
    score = m.ScaleScore(conference_id=demo.conference.id, pair_id=pair.id, label="Parents jointly", score=4)
    ws.add_records(db, demo.conference.id, [score], who=WHO, policy=POLICY)
    before = stored(db, demo.conference.id)
    snapshots = ws.remove_records(db, demo.conference.id, [(m.DangerGoalPair, pair.id)], who=WHO).snapshots
    assert [type(s) for s in snapshots][0] is m.DangerGoalPair
    assert score.id in {s.id for s in snapshots}  # the pair's scores go with it, and come back with it
    gone = stored(db, demo.conference.id)
    assert pair.id not in {p.id for p in gone.pairs} and score.id not in {s.id for s in gone.scores}
    ws.add_records(db, demo.conference.id, snapshots, who=WHO, policy=POLICY)
    back = stored(db, demo.conference.id)
    assert {(p.id, p.danger_statement, p.scale) for p in back.pairs} == {
        (p.id, p.danger_statement, p.scale) for p in before.pairs
    }
    assert {(s.id, s.score) for s in back.scores} == {(s.id, s.score) for s in before.scores}
    # Removing what is already gone is not an error (an undo after another path removed it).
    ws.remove_records(db, demo.conference.id, [(m.MappingItem, uuid.uuid4())], who=WHO)


def test_shared_records_are_never_removed_by_the_workspace(db, demo):
    with pytest.raises(InvalidInput):
        ws.remove_records(db, demo.conference.id, [(m.Person, demo.people[0].id)], who=WHO)


def test_private_scores_are_revealed_together_and_hidden_again_by_undo(db, demo):
    pair = demo.pairs[0]
    c = demo.conference.id
    scores = [
        m.ScaleScore(conference_id=c, pair_id=pair.id, person_id=p.id, score=n)
        for n, p in enumerate(demo.people[:3], start=3)
    ]
    ws.add_records(db, c, scores, who=WHO, policy=POLICY)
    overall = m.ScaleScore(conference_id=c, pair_id=None, label="Parents jointly", score=6)
    ws.add_records(db, c, [overall], who=WHO, policy=POLICY)
    revealed = ws.reveal_scores(db, c, pair.id, who=WHO)
    assert set(revealed) >= {s.id for s in scores}
    now = {s.id: s.revealed for s in stored(db, c).scores}
    assert all(now[s.id] for s in scores) and not now[overall.id]  # the overall scale is revealed on its own
    ws.hide_scores(db, c, revealed, who=WHO)
    assert not any(s.revealed for s in stored(db, c).scores if s.id in set(revealed))


def test_a_finalised_record_refuses_every_workspace_edit(db, demo):
    with db.unit_of_work() as s:
        s.get_one(rows.ConferenceRow, demo.conference.id).record_status = "finalised"
    before = dump(db)
    c = demo.conference.id
    with pytest.raises(RecordFinalised):
        ws.set_fields(db, c, m.MappingItem, demo.mapping_items[0].id, {"text": "x"}, who=WHO, policy=POLICY, seen=None)
    with pytest.raises(RecordFinalised):
        ws.add_records(
            db, c, [m.MappingItem(conference_id=c, section=MappingSection.STRENGTH, text="x")], who=WHO, policy=POLICY
        )
    with pytest.raises(RecordFinalised):
        ws.remove_records(db, c, [(m.MappingItem, demo.mapping_items[0].id)], who=WHO)
    assert dump(db) == before


def test_create_conference_stores_family_children_and_invitees(db, policy):
    new = ws.NewConference(
        kind=MeetingKind.INITIAL_PRE_BIRTH,
        held_on=TODAY,
        family_name="Okafor family",
        start_time=time(14, 0),
        venue="Room 1, Loughborough",
        chair="Helen Marsh",
        minute_taker="Paul Greaves",
        children=[ws.NewChild("Baby", "Okafor", expected_date_of_birth=TODAY + timedelta(days=60))],
        invitees=[
            ws.NewInvitee("Ngozi Okafor", "parent", relationship="Mother"),
            ws.NewInvitee("Jo Fenton", "social_worker", "Children and Family Services"),
            ws.NewInvitee("Ann Price", "midwife", "University Hospitals of Leicester"),
        ],
    )
    bundle = ws.create_conference(db, new, policy, who=WHO)
    again = stored(db, bundle.conference.id)
    assert again.family.name == "Okafor family"
    assert [c.full_name for c in again.considered_children()] == ["Baby Okafor"]
    assert sorted(p.role for p in again.people) == ["Midwife", "Parent", "Social worker"]
    assert len(again.invitations) == 3 and again.conference.updated_by == WHO


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"family_name": " "}, "Family: give how the family is known"),
        ({"children": []}, "Children: add at least one child"),
        ({"kind": MeetingKind.INITIAL_PRE_BIRTH}, "Children: a pre-birth conference needs an unborn baby"),
        ({"children": [ws.NewChild("Ava", "Okafor")]}, "Date of birth: give the date of birth"),
        ({"invitees": [ws.NewInvitee("X", "astronaut")]}, "Role: choose one of the roles offered"),
    ],
)
def test_create_conference_refuses_what_is_missing_and_stores_nothing(db, policy, change, message):
    base = dict(
        kind=MeetingKind.INITIAL,
        held_on=TODAY,
        family_name="Okafor family",
        children=[ws.NewChild("Ava", "Okafor", date_of_birth=date(2019, 5, 1), sex=Sex.FEMALE)],
    )
    before = dump(db)
    with pytest.raises(InvalidInput) as refused:
        ws.create_conference(db, ws.NewConference(**{**base, **change}), policy, who=WHO)
    assert str(refused.value).startswith(message)
    assert dump(db) == before


def test_withdrawing_a_decision_puts_the_plan_history_back(db, demo, policy):
    baby = next(c for c in demo.children if c.forename == "Baby")
    c = demo.conference
    history_before = {(p.child_id, p.started_on) for p in stored(db, c.id).plan_history}
    recording.withdraw_decision(db, c.id, baby.id, who=WHO)
    after = stored(db, c.id)
    assert baby.id not in {d.child_id for d in after.decisions}
    assert (baby.id, c.held_on) not in {(p.child_id, p.started_on) for p in after.plan_history}
    recording.record_decision(
        db,
        c.id,
        baby.id,
        Outcome.PLAN,
        policy,
        category=Category.NEG,
        lead_agency="Children's social care",
        decided_on=c.held_on,
        who=WHO,
    )
    assert {(p.child_id, p.started_on) for p in stored(db, c.id).plan_history} == history_before


def test_readiness_lists_what_is_missing_in_plain_lines(db, demo, policy):
    assert readiness.missing_before_sign_off(stored(db, demo.conference.id), policy, TODAY) == []
    c = demo.conference.id
    mark = next(i for i in demo.invitations if i.status is AttendanceStatus.APOLOGIES)
    ws.set_fields(db, c, m.Invitation, mark.id, {"status": AttendanceStatus.INVITED}, who=WHO, policy=POLICY, seen=None)
    for d in demo.decisions:
        recording.withdraw_decision(db, c, d.child_id, who=WHO)
    gaps = readiness.missing_before_sign_off(stored(db, c), policy, TODAY)
    person = next(p for p in demo.people if p.id == mark.person_id)
    assert gaps[0] == f"Attendance: not recorded for {person.name}"
    assert sum(g.startswith("Decision: none recorded for") for g in gaps) == len(demo.conference_children)


def test_attendance_with_a_mode_is_stored_together(db, demo):
    mark = next(i for i in demo.invitations if i.status is AttendanceStatus.APOLOGIES)
    ws.set_fields(
        db,
        demo.conference.id,
        m.Invitation,
        mark.id,
        {"status": AttendanceStatus.ATTENDED, "mode": AttendanceMode.PHONE},
        who=WHO,
        policy=POLICY,
        seen=None,
    )
    again = next(i for i in stored(db, demo.conference.id).invitations if i.id == mark.id)
    assert (again.status, again.mode) == (AttendanceStatus.ATTENDED, AttendanceMode.PHONE)


def test_opening_a_review_brings_the_conference_it_follows(db, demo, policy):
    review = build_demo(policy, TODAY + timedelta(days=90))
    review.conference.kind = MeetingKind.FIRST_REVIEW
    review.conference.previous_conference_id = demo.conference.id
    conferences.add_conference(db, review)
    bundle, previous = ws.open_conference(db, review.conference.id)
    assert bundle.conference.id == review.conference.id
    assert (previous.id, previous.held_on) == (demo.conference.id, demo.conference.held_on)
    assert ws.open_conference(db, demo.conference.id)[1] is None
