"""Convene review and Rearrange (issue 13), on SQLite and PostgreSQL: the next meeting from the last one, with the
same family, children, invitees and chair, linked so that its due dates come from the rules and measure 08
counts a rearranged conference once."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from chair_app.domain.enums import ConferenceStatus, MeetingKind
from chair_app.domain.errors import InvalidInput
from chair_app.reports.period import Period
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.timescales import conference_timescales
from chair_app.services import conferences, recording
from chair_app.services.continuity import continuity, continuity_lines, convene_review, rearrange
from chair_app.services.demo import build_demo
from chair_app.services.reporting import measures
from chair_app.store import models as rows
from tests.conftest import dump

TODAY = date(2026, 11, 23)
WHO = "Helen Marsh"

INTERIM = "The safety plan from the strategy discussion continues"


@pytest.fixture
def demo(db, policy):
    """The Hayes initial conference, in progress, with a plan decided for each of the three children."""
    return conferences.add_conference(db, build_demo(policy, TODAY))


def count(db, row_cls) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(row_cls))


def mark_held(db, conference_id) -> None:
    with db.unit_of_work() as session:
        session.get(rows.ConferenceRow, conference_id).status = ConferenceStatus.HELD


def test_convene_review_makes_the_first_review_for_the_same_family_children_invitees_and_chair(db, policy, demo):
    people, children, families = count(db, rows.PersonRow), count(db, rows.ChildRow), count(db, rows.FamilyRow)
    review = convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    c = review.conference
    assert c.kind is MeetingKind.FIRST_REVIEW and c.previous_conference_id == demo.conference.id
    assert c.family_id == demo.conference.family_id and c.chair == demo.conference.chair
    assert c.held_on == demo.conference.next_review_on  # the date the initial conference set
    assert [x.child_id for x in review.conference_children] == [x.child_id for x in demo.conference_children]
    order = sorted(review.invitations, key=lambda i: i.position)
    assert [i.person_id for i in order] == [i.person_id for i in sorted(demo.invitations, key=lambda i: i.position)]
    assert {i.status.value for i in review.invitations} == {"invited"}  # attendance is the new meeting's own
    # Nobody retyped: no new family, child or person records.
    assert (count(db, rows.PersonRow), count(db, rows.ChildRow), count(db, rows.FamilyRow)) == (
        people,
        children,
        families,
    )


def test_a_convened_review_is_due_by_the_rules_from_the_earlier_conference_and_show_says_so(db, policy, demo):
    review = convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    due = conference_timescales(review, policy, TODAY, demo.conference.held_on)[0]
    assert due.key == "conference" and due.due is not None  # not "cannot tell"
    lines = "\n".join(continuity_lines(continuity(db, review.conference.ref, policy), policy))
    assert f"Follows on from {demo.conference.ref}" in lines
    assert f"Conference due by {due.due:%d/%m/%Y}: within 3 months after {demo.conference.ref}" in lines


def test_convening_a_second_review_after_the_same_conference_is_refused_and_changes_nothing(db, policy, demo):
    review = convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    before = dump(db)
    with pytest.raises(InvalidInput, match=f"already followed by {review.conference.ref}"):
        convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    assert dump(db) == before


def test_a_review_is_not_convened_after_a_stood_down_meeting_which_is_rearranged_instead(db, policy, demo):
    recording.stand_down(
        db,
        demo.conference.id,
        policy,
        "parent_unable",
        who=WHO,
        reconvene_on=demo.conference.held_on + timedelta(days=7),
        interim_arrangement=INTERIM,
    )
    before = dump(db)
    with pytest.raises(InvalidInput, match="rearrange it instead"):
        convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    assert dump(db) == before


def test_rearrange_makes_the_same_conference_on_the_new_date_linked_to_the_stood_down_meeting(db, policy, demo):
    review = convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    recording.stand_down(
        db,
        review.conference.id,
        policy,
        "social_worker_absent",
        who=WHO,
        reconvene_on=review.conference.held_on + timedelta(days=7),
        interim_arrangement=INTERIM,
    )
    new_day = review.conference.held_on + timedelta(days=7)
    again = rearrange(db, review.conference.ref, new_day, policy, who=WHO, today=TODAY)
    c = again.conference
    assert c.rearranged_from_id == review.conference.id and c.held_on == new_day
    assert c.kind is MeetingKind.FIRST_REVIEW and c.previous_conference_id == demo.conference.id
    assert c.status is ConferenceStatus.SCHEDULED and c.chair == review.conference.chair
    assert [x.child_id for x in again.conference_children] == [x.child_id for x in review.conference_children]
    lines = "\n".join(continuity_lines(continuity(db, c.ref, policy), policy))
    assert f"Rearranged from {review.conference.ref}, stood down on" in lines and "Social worker ill" in lines


def test_a_stood_down_review_rearranged_and_held_is_one_conference_in_measure_08(db, policy, demo):
    mark_held(db, demo.conference.id)
    review = convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    recording.stand_down(
        db,
        review.conference.id,
        policy,
        "parent_unable",
        who=WHO,
        reconvene_on=review.conference.held_on + timedelta(days=7),
        interim_arrangement=INTERIM,
    )
    again = rearrange(db, review.conference.ref, review.conference.held_on + timedelta(days=7), policy, who=WHO)
    mark_held(db, again.conference.id)
    period = Period(demo.conference.held_on, again.conference.held_on)
    total = measures(db, policy, period)["08_out_of_timescale_or_stood_down"].iloc[-1]
    # Held: the initial and the rearranged review; the review counts once (stood down and rearranged).
    assert (total.conferences, total.conferences_held, total.stood_down_meetings) == (1, 2, 1)


def test_an_initial_conference_stood_down_as_not_quorate_is_reconvened_within_the_policys_working_days(
    db, policy, demo
):
    recording.stand_down(
        db,
        demo.conference.id,
        policy,
        "not_quorate",
        who=WHO,
        reconvene_on=demo.conference.held_on + timedelta(days=7),
        interim_arrangement=INTERIM,
    )
    cal = WorkingCalendar.from_policy(policy)
    again = rearrange(db, demo.conference.ref, cal.add_working_days(demo.conference.held_on, 5), policy, who=WHO)
    c = again.conference
    assert c.kind is MeetingKind.RECONVENED_INITIAL and c.previous_conference_id == demo.conference.id
    assert c.strategy_discussion_on == demo.conference.strategy_discussion_on
    results = {t.key: t for t in conference_timescales(again, policy, TODAY, demo.conference.held_on)}
    wd = policy.timescales["reconvened_initial_working_days"]
    assert results["reconvened_initial"].due == cal.add_working_days(demo.conference.held_on, wd)


def test_rearranging_is_refused_for_a_meeting_not_stood_down_an_earlier_date_or_a_second_time(db, policy, demo):
    before = dump(db)
    with pytest.raises(InvalidInput, match="was not stood down"):
        rearrange(db, demo.conference.ref, demo.conference.held_on + timedelta(days=7), policy, who=WHO)
    recording.stand_down(
        db,
        demo.conference.id,
        policy,
        "parent_unable",
        who=WHO,
        reconvene_on=demo.conference.held_on + timedelta(days=7),
        interim_arrangement=INTERIM,
    )
    before = dump(db)
    with pytest.raises(InvalidInput, match="^--date: .* is not after the stood-down meeting"):
        rearrange(db, demo.conference.ref, demo.conference.held_on - timedelta(days=1), policy, who=WHO)
    assert dump(db) == before
    first = rearrange(db, demo.conference.ref, demo.conference.held_on + timedelta(days=7), policy, who=WHO)
    before = dump(db)
    with pytest.raises(InvalidInput, match=f"already rearranged as {first.conference.ref}"):
        rearrange(db, demo.conference.ref, demo.conference.held_on + timedelta(days=14), policy, who=WHO)
    assert dump(db) == before


def test_convening_and_rearranging_are_journaled_as_their_own_operations(db, policy, demo):
    from chair_app.services import journal

    review = convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    entries = journal.history(db, review.conference.ref)
    assert any(e.operation == "convene_review" and e.who == WHO for e in entries)


def test_the_family_network_and_its_restrictions_come_to_the_review_and_keep_ryans_copy_safe(db, policy, demo):
    """Issue 12: the network and "not to be shared with" are the family's, not re-typed per conference; the
    marks on what comes back from the last map still hold, so Ryan's copy of the review's handout has none of
    Danielle's support (the demo marks it not for him)."""
    from chair_app.services import documents

    review = convene_review(db, demo.conference.ref, policy, who=WHO, today=TODAY)
    stored = conferences.load(db, review.conference.ref)
    assert {(x.person_id, x.child_id, x.relationship) for x in stored.network} == {
        (x.person_id, x.child_id, x.relationship) for x in demo.network
    }
    assert {(r.about_id, r.person_id, r.reason) for r in stored.restrictions} == {
        (r.about_id, r.person_id, r.reason) for r in demo.restrictions
    }
    assert stored.audience and all(r.conference_id == review.conference.id for r in stored.audience)
    restricted = {r.id for r in stored.restrictions}
    assert all(a.restriction_id in restricted for a in stored.audience if a.restriction_id)
    chair_copy = documents.handout(db, review.conference.ref, policy, record=None).pdf
    ryans = documents.handout(db, review.conference.ref, policy, recipient="Ryan Cole", record=None).pdf
    from io import BytesIO

    from pypdf import PdfReader

    def text(pdf: bytes) -> str:
        return " ".join(page.extract_text() for page in PdfReader(BytesIO(pdf)).pages)

    assert "Freeva" in text(chair_copy) and "Freeva" not in text(ryans)
