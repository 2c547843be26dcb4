"""The decision letter gives the next meeting's date, time and place when they are known (issue 12, point 6):
from the review convened after the conference (services/continuity); until one is, it says plainly that they
will be sent, and never "by dd/mm/yyyy". The text is read back from the letters' PDFs."""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest

from chair_app.domain.enums import DocumentKind
from chair_app.services import conferences, documents, recording
from chair_app.services.continuity import convene_review, rearrange
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from tests.integration.test_safe_copies import text_of

TODAY = date(2026, 11, 23)
WHO = "Helen Marsh"


@pytest.fixture
def demo(sqlite_db, policy):
    return conferences.add_conference(sqlite_db, build_demo(policy, TODAY))


def letter(db, ref: str, policy, who: str = "Danielle Hayes") -> str:
    return text_of(documents.decision_letter(db, ref, policy, recipient=who, record=None, today=TODAY).pdf)


def set_meeting(db, conference_id, **values) -> None:
    with db.unit_of_work() as session:
        row = session.get(rows.ConferenceRow, conference_id)
        for name, value in values.items():
            setattr(row, name, value)


def test_before_the_review_is_arranged_the_letter_says_its_date_time_and_place_will_be_sent_and_gives_no_date(
    sqlite_db, demo, policy
):
    text = letter(sqlite_db, demo.conference.ref, policy)
    assert "has not been arranged yet. We will write to you with its date, time and place when it is arranged" in text
    due = demo.conference.next_review_on.strftime("%d/%m/%Y")
    assert due not in text and " by " + due not in text


def test_once_the_review_is_convened_the_letter_gives_its_day_date_time_and_place(sqlite_db, demo, policy):
    review = convene_review(sqlite_db, demo.conference.ref, policy, who=WHO, today=TODAY)
    set_meeting(sqlite_db, review.conference.id, start_time=time(13, 30), venue="Coalville Family Centre")
    text = letter(sqlite_db, demo.conference.ref, policy)
    day = review.conference.held_on
    assert (
        f"The next conference, called a review, will be on {day:%A} {day:%d/%m/%Y} at 13:30, "
        "at Coalville Family Centre. You will be invited." in text
    )
    assert "has not been arranged yet" not in text


def test_a_convened_review_without_a_time_or_place_says_those_will_be_sent(sqlite_db, demo, policy):
    review = convene_review(sqlite_db, demo.conference.ref, policy, who=WHO, today=TODAY)
    set_meeting(sqlite_db, review.conference.id, start_time=None, venue="", remote=False)
    text = letter(sqlite_db, demo.conference.ref, policy)
    day = review.conference.held_on
    assert f"will be on {day:%A} {day:%d/%m/%Y}." in text
    assert "We will write to you with the time and place when they are arranged." in text


def test_a_review_held_online_says_so_and_that_the_joining_details_will_follow(sqlite_db, demo, policy):
    review = convene_review(sqlite_db, demo.conference.ref, policy, who=WHO, today=TODAY)
    set_meeting(sqlite_db, review.conference.id, start_time=time(10, 0), remote=True)
    text = letter(sqlite_db, demo.conference.ref, policy)
    assert "at 10:00. It will be held online; we will send you how to join." in text


def test_a_review_stood_down_and_rearranged_gives_the_new_meetings_date_not_the_stood_down_one(sqlite_db, demo, policy):
    review = convene_review(sqlite_db, demo.conference.ref, policy, who=WHO, today=TODAY)
    new_day = review.conference.held_on + timedelta(days=7)
    recording.stand_down(
        sqlite_db,
        review.conference.id,
        policy,
        "social_worker_absent",
        who=WHO,
        reconvene_on=new_day,
        interim_arrangement="The safety plan continues",
    )
    rearrange(sqlite_db, review.conference.ref, new_day, policy, who=WHO, today=TODAY)
    text = letter(sqlite_db, demo.conference.ref, policy)
    assert f"will be on {new_day:%A} {new_day:%d/%m/%Y}" in text
    assert review.conference.held_on.strftime("%d/%m/%Y") not in text


def test_ryans_letter_and_the_chairs_preview_of_it_give_the_same_next_meeting(sqlite_db, demo, policy):
    review = convene_review(sqlite_db, demo.conference.ref, policy, who=WHO, today=TODAY)
    day = review.conference.held_on
    sentence = f"will be on {day:%A} {day:%d/%m/%Y} at 10:00, at Room 2, County Hall, Glenfield."
    preview = documents.view_as(sqlite_db, demo.conference.ref, policy, DocumentKind.DECISION_LETTER, "Ryan Cole")
    assert sentence in letter(sqlite_db, demo.conference.ref, policy, "Ryan Cole")
    assert sentence in text_of(preview.produced.pdf)


def test_a_letter_where_no_child_is_on_a_plan_promises_no_next_conference(sqlite_db, policy):
    from chair_app.domain.enums import Outcome

    bundle = build_demo(policy, TODAY)
    for decision in bundle.decisions:
        decision.outcome, decision.initial_category = Outcome.NO_PLAN, None
    demo = conferences.add_conference(sqlite_db, bundle)
    text = letter(sqlite_db, demo.conference.ref, policy)
    assert "does not need a child protection plan" in text
    assert "next conference" not in text and "core group" not in text
