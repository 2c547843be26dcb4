"""Issue 20 through the services: one recommendation per agency from professionals only, the family's views
apart, and a stood-down conference's new date and interim arrangement carried by the record and the letter."""

from __future__ import annotations

import dataclasses
from datetime import date

import pytest

from chair_app.domain import model as m
from chair_app.domain.enums import Category, Outcome
from chair_app.domain.errors import InvalidInput
from chair_app.rules.timescales import reconvene_by
from chair_app.services import conferences, documents, recording
from chair_app.services import workspace as wsvc
from chair_app.services.demo import build_demo
from tests.integration.test_documents import flat, pages

TODAY = date(2026, 11, 23)
WHO = "Test Chair"


@pytest.fixture
def demo(sqlite_db, policy):
    return conferences.add_conference(sqlite_db, build_demo(policy, TODAY))


def person(bundle, role_code):
    return next(p for p in bundle.people if p.role_code == role_code)


def kayden(bundle):
    return next(c for c in bundle.children if c.forename == "Kayden")


def rec(bundle, who, outcome=Outcome.PLAN, **extra):
    return m.Recommendation(
        conference_id=bundle.conference.id,
        child_id=kayden(bundle).id,
        person_id=who.id,
        outcome=outcome,
        category=Category.EMO,
        **extra,
    )


def test_the_family_support_worker_cannot_give_a_second_recommendation_for_childrens_social_care(
    sqlite_db, demo, policy
):
    assert any(r.person_id == person(demo, "social_worker").id for r in demo.recommendations)
    second = rec(demo, person(demo, "family_support_worker"))
    with pytest.raises(InvalidInput, match=r"Children's social care already has one for this child \(Amira Begum\)"):
        wsvc.add_records(sqlite_db, demo.conference.id, [second], who=WHO, policy=policy)
    assert len(conferences.load(sqlite_db, demo.conference.ref).recommendations) == len(demo.recommendations)


def test_a_colleagues_different_view_is_recorded_as_dissent_on_the_agencys_recommendation(sqlite_db, demo, policy):
    ours = next(r for r in demo.recommendations if r.person_id == person(demo, "social_worker").id)
    wsvc.set_fields(
        sqlite_db,
        demo.conference.id,
        m.Recommendation,
        ours.id,
        {"dissent": "Tom Whitfield thinks a child in need plan would do"},
        who=WHO,
        policy=policy,
        seen=None,
    )
    stored = next(r for r in conferences.load(sqlite_db, demo.conference.ref).recommendations if r.id == ours.id)
    assert stored.dissent.startswith("Tom Whitfield thinks")
    record = flat(" ".join(pages(documents.conference_record(sqlite_db, demo.conference.ref, policy, record=None).pdf)))
    assert "Tom Whitfield thinks a child in need plan would do" in record


def test_a_parent_gives_views_not_a_recommendation(sqlite_db, demo, policy):
    parent = next(p for p in demo.people if p.name == "Danielle Hayes")
    with pytest.raises(InvalidInput, match=r"Danielle Hayes is family; record their views under The family's views"):
        wsvc.add_records(sqlite_db, demo.conference.id, [rec(demo, parent)], who=WHO, policy=policy)
    invitation = next(i for i in demo.invitations if i.person_id == parent.id)
    wsvc.set_fields(
        sqlite_db,
        demo.conference.id,
        m.Invitation,
        invitation.id,
        {"views": "I will do the course."},
        who=WHO,
        policy=policy,
        seen=None,
    )
    record = flat(" ".join(pages(documents.conference_record(sqlite_db, demo.conference.ref, policy, record=None).pdf)))
    assert "The family's views Danielle Hayes (Mother): I will do the course." in record


def test_an_authority_that_asks_every_professional_takes_a_second_one_from_the_same_service(sqlite_db, demo, policy):
    per_person = dataclasses.replace(policy, recommendations_one_per="person")
    second = rec(demo, person(demo, "family_support_worker"))
    wsvc.add_records(sqlite_db, demo.conference.id, [second], who=WHO, policy=per_person)
    assert second.id in {r.id for r in conferences.load(sqlite_db, demo.conference.ref).recommendations}


def test_the_record_and_the_letter_carry_a_stood_down_conferences_new_date_and_interim_arrangement(
    sqlite_db, demo, policy
):
    new_date = reconvene_by(demo.conference.held_on, demo.conference.kind, policy)
    with pytest.raises(InvalidInput, match="new date: say when the conference is re-convened"):
        recording.stand_down(sqlite_db, demo.conference.id, policy, "not_quorate", who=WHO)
    assert conferences.load(sqlite_db, demo.conference.ref).conference.status is demo.conference.status
    recording.stand_down(
        sqlite_db,
        demo.conference.id,
        policy,
        "not_quorate",
        reconvene_on=new_date,
        interim_arrangement="The safety plan from the strategy discussion stays in place.",
        who=WHO,
    )
    when = new_date.strftime("%d/%m/%Y")
    record = flat(" ".join(pages(documents.conference_record(sqlite_db, demo.conference.ref, policy, record=None).pdf)))
    assert (
        f"The conference was stood down Reason: Lack of professionals in attendance: not quorate. New date: {when}."
        in record
    )
    assert "Until then: The safety plan from the strategy discussion stays in place." in record
    letter = flat(" ".join(pages(documents.decision_letter(sqlite_db, demo.conference.ref, policy, record=None).pdf)))
    assert f"The conference could not go ahead. It will now be held on {when}." in letter
    assert "Until then: The safety plan from the strategy discussion stays in place." in letter
