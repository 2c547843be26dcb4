"""Distribution and the clerk's queue (issue 14): how each document reached each recipient, feeding measure 10."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from chair_app.domain.enums import AttendanceMode, AttendanceStatus, DocumentKind
from chair_app.domain.errors import InvalidInput
from chair_app.reports.period import Period
from chair_app.rules import distribution as rules
from chair_app.rules.access import NotAllowed
from chair_app.rules.calendar import WorkingCalendar
from chair_app.services import accounts, documents, reporting, signoff
from chair_app.services.demo import create_demo
from chair_app.services.distribution import distribution_list, distribution_of, record_distribution
from chair_app.services.queue import clerk_queue
from chair_app.store import models as rows
from tests.conftest import dump

HELD = date(2025, 3, 3)  # a Monday; the record is due 5 working days later, Monday 10/03/2025
PASSWORD = "correct horse battery"


def _finalised(db, policy, held=HELD):
    bundle = create_demo(db, policy, held)
    signoff.finalise(db, bundle.conference.ref, who="Helen Marsh")
    return bundle


def test_sending_the_record_to_everyone_on_the_list_makes_it_distributed_and_feeds_measure_10(db, policy):
    bundle = _finalised(db, policy)
    ref = bundle.conference.ref
    everyone = distribution_list(bundle, policy, DocumentKind.RECORD)
    first, rest = everyone[:2], everyone[2:]
    record_distribution(
        db,
        ref,
        policy,
        kind="record",
        method="secure-email",
        on=date(2025, 3, 5),
        recipients=list(first),
        today=HELD.replace(month=4),
    )
    assert distribution_of(db, ref, policy).documents[0].due.sent_on is None  # not everyone yet
    named = record_distribution(
        db, ref, policy, kind="record", method="post", on=date(2025, 3, 7), today=date(2025, 4, 1)
    )
    assert named == sorted(rest)
    record = distribution_of(db, ref, policy).documents[0]
    assert (record.due.kind, record.due.due_on, record.due.sent_on, record.missing) == (
        DocumentKind.RECORD,
        date(2025, 3, 10),
        date(2025, 3, 7),
        (),
    )
    assert {s.method for s in record.sent} == {"secure email", "post"}
    assert {s.version for s in record.sent} == {bundle.conference.version + 1}  # finalising counted as an edit
    m10 = reporting.measures(db, policy, Period(date(2025, 3, 1), date(2025, 3, 31)))["10_distribution_and_decisions"]
    row = m10.set_index("measure").loc["Records distributed within timescale"]
    assert (row["within_timescale"], row["total"]) == (1, 1)


def test_printing_the_plan_at_the_meeting_records_it_handed_over_to_those_present_in_person(db, policy):
    bundle = create_demo(db, policy)
    today = date.today()
    with db.unit_of_work() as session:  # the demo's meeting is on the next working day: make it today
        session.get(rows.ConferenceRow, bundle.conference.id).held_on = today
    on_video = next(i for i in bundle.invitations if i.status is AttendanceStatus.ATTENDED)
    from chair_app.services.recording import record_attendance

    record_attendance(db, on_video.id, AttendanceStatus.ATTENDED, AttendanceMode.VIDEO, who="Helen Marsh")
    made = documents.cp_plan(db, bundle.conference.ref, policy, record=None)
    documents.record_output(db, made, method="printed")
    with db.engine.connect() as conn:
        d = rows.DocumentRecordRow.__table__.c
        got = conn.execute(select(d.recipient, d.distributed_on).where(d.conference_id == bundle.conference.id)).all()
    people = {p.id: p.name for p in bundle.people}
    present = {
        people[i.person_id]
        for i in bundle.invitations
        if i.status is AttendanceStatus.ATTENDED
        and i.id != on_video.id
        and i.mode is not AttendanceMode.VIDEO
        and i.mode is not AttendanceMode.PHONE
    }
    handed = {name for name, day in got if day == today}
    assert handed == present and people[on_video.person_id] not in handed
    assert all(day is None for name, day in got if name not in present)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (dict(method="meeting", on=date(2025, 3, 4)), "handed over at the meeting means on the conference's day"),
        (dict(on=date(2025, 3, 1)), "is before the conference"),
        (dict(on=date(2025, 5, 1)), "is after today"),
        (dict(method="pigeon"), "method: 'pigeon' is not one of"),
        (dict(kind="handout"), "document: 'handout' is not one of"),
        (dict(version=99), "version: give a version from 1 to"),
    ],
)
def test_a_wrong_distribution_is_refused_in_one_line_and_changes_nothing(db, policy, change, message):
    ref = _finalised(db, policy).conference.ref
    before = dump(db)
    given = dict(kind="record", method="post", on=date(2025, 3, 5), today=date(2025, 4, 1)) | change
    with pytest.raises(InvalidInput, match=message):
        record_distribution(db, ref, policy, **given)
    assert dump(db) == before


def test_the_record_cannot_go_out_before_it_is_signed_off(db, policy):
    ref = create_demo(db, policy, HELD).conference.ref
    with pytest.raises(InvalidInput, match="not signed off yet"):
        record_distribution(db, ref, policy, kind="record", method="post", on=HELD, today=date(2025, 4, 1))


def test_a_clerk_records_distribution_and_a_manager_may_not(db, policy):
    ref = _finalised(db, policy).conference.ref
    accounts.first_administrator(db, policy, name="admin", full_name="", password=PASSWORD)
    accounts.create_account(db, name="clerk", full_name="", roles=["clerk"], password=PASSWORD)
    accounts.create_account(db, name="manager", full_name="", roles=["manager"], password=PASSWORD)
    try:
        accounts.sign_in(db, policy, "manager", PASSWORD)
        with pytest.raises(NotAllowed, match="record_distribution: manager signs in as a manager"):
            record_distribution(db, ref, policy, kind="plan", method="post", on=HELD, today=date(2025, 4, 1))
        accounts.sign_in(db, policy, "clerk", PASSWORD)
        assert record_distribution(db, ref, policy, kind="plan", method="post", on=HELD, today=date(2025, 4, 1))
    finally:
        db.signed_in, db._accounts_in_force = None, None  # the PostgreSQL database object is shared


def test_the_queue_puts_overdue_first_with_due_dates_from_the_policy(db, policy):
    today = date(2025, 6, 4)
    overdue = _finalised(db, policy, HELD)  # finalised, nothing sent, due 10/03/2025: overdue
    typing = create_demo(db, policy, date(2025, 6, 4))  # draft: to type up, held today, nothing overdue
    sent = _finalised(db, policy, date(2025, 5, 1))
    for kind in ("record", "plan", "letter"):
        record_distribution(db, sent.conference.ref, policy, kind=kind, method="post", on=date(2025, 5, 9), today=today)
    queue = clerk_queue(db, policy, today)
    # overdue first, then open work by its next date due, then what has all gone out
    assert [i.ref for i in queue] == [overdue.conference.ref, typing.conference.ref, sent.conference.ref]
    stages = {i.ref: i.stage for i in queue}
    assert stages == {
        overdue.conference.ref: rules.Stage.TO_SEND_OUT,
        sent.conference.ref: rules.Stage.SENT,
        typing.conference.ref: rules.Stage.TO_TYPE_UP,
    }
    cal = WorkingCalendar.from_policy(policy)
    first = queue[0]
    assert [d.kind for d in first.overdue(today)] == [
        DocumentKind.RECORD,
        DocumentKind.CP_PLAN,
        DocumentKind.DECISION_LETTER,
    ]
    due = {d.kind: d.due_on for d in first.dues}
    assert due[DocumentKind.RECORD] == cal.add_working_days(HELD, policy.timescales["record_distribution_working_days"])
    assert due[DocumentKind.DECISION_LETTER] == cal.add_working_days(
        HELD, policy.timescales["decision_letter_working_days"]
    )
    assert not queue[1].overdue(today) and queue[1].next_due().due_on == date(2025, 6, 5)  # the letter, 1 day
    assert queue[2].next_due() is None
    # Sent more than 30 days before: off the queue.
    assert sent.conference.ref not in [i.ref for i in clerk_queue(db, policy, date(2025, 7, 1))]
