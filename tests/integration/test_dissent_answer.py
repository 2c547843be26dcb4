"""The senior chair's answer to an escalated dissent: stored on the decision with the dissent, checked with it,
listed by the Close step, written in the record, a gap at sign-off until it is given, carried by the conference
file."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest

from chair_app.domain import model as m
from chair_app.domain.errors import InvalidInput
from chair_app.exchange import conference_file
from chair_app.rules.policy import default_policy_path, parse_policy
from chair_app.services import conferences, readiness
from chair_app.services import workspace as ws
from chair_app.services.agreements import dissent_lines, record_dissent
from chair_app.services.demo import create_demo
from chair_app.services.documents import dissent_words
from tests.conftest import dump

TODAY = date(2026, 11, 23)  # the conference's day; the answers below come in the days after it


def _escalated(db, policy):
    """The demo conference (held on TODAY) with an escalated dissent from one child's decision, raised the day after."""
    bundle = create_demo(db, policy, TODAY)
    decision = conferences.load(db, bundle.conference.ref).decisions[0]
    record_dissent(
        db,
        bundle.conference.ref,
        policy,
        child_id=decision.child_id,
        by="Dr A. Okoye, paediatrics",
        text="Disagrees with the category: neglect, not emotional abuse",
        route="escalated",
        raised_on=TODAY + timedelta(days=1),
    )
    return bundle, _decision(db, bundle, decision.child_id)


def _decision(db, bundle, child_id) -> m.Decision:
    return next(d for d in conferences.load(db, bundle.conference.ref).decisions if d.child_id == child_id)


def _answer(db, bundle, decision, policy, **values):
    given = {
        "dissent_answer": "The decision stands: emotional abuse; the core group to review at six weeks",
        "dissent_answered_by": "Maria Silva, safeguarding manager",
        "dissent_answered_on": TODAY + timedelta(days=4),
    } | values
    return ws.set_fields(
        db, bundle.conference.id, m.Decision, decision.id, given, who="Sam Clerk", policy=policy, seen=decision.version
    )


def test_the_senior_chairs_answer_is_stored_journaled_and_listed_as_answered(db, policy):
    bundle, decision = _escalated(db, policy)
    loaded = conferences.load(db, bundle.conference.ref)
    assert "the answer is due by" in dissent_lines(loaded, policy, TODAY)[0]
    written = _answer(db, bundle, decision, policy)
    assert written.entry is not None and written.old["dissent_answer"] == ""
    stored = _decision(db, bundle, decision.child_id)
    assert (stored.dissent_answered_by, stored.dissent_answered_on) == (
        "Maria Silva, safeguarding manager",
        TODAY + timedelta(days=4),
    )
    (line,) = dissent_lines(conferences.load(db, bundle.conference.ref), policy, TODAY + timedelta(days=30))
    assert line.endswith(
        f"answered on {TODAY + timedelta(days=4):%d/%m/%Y} by Maria Silva, safeguarding manager: "
        "The decision stands: emotional abuse; the core group to review at six weeks"
    )
    assert "overdue" not in line


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({"dissent_answer": ""}, "senior chair's answer: write what the senior chair decided"),
        ({"dissent_answered_by": " "}, "answered by: give the name of the senior chair"),
        ({"dissent_answered_on": None}, "answered on: give the day of the answer"),
        ({"dissent_answered_on": TODAY}, "answered on: it cannot be before the dissent was raised"),
        ({"dissent_answered_on": date.today() + timedelta(days=1)}, "answered on: it cannot be in the future"),
    ],
)
def test_an_incomplete_or_impossible_answer_is_refused_in_one_line_and_changes_nothing(db, policy, values, message):
    bundle, decision = _escalated(db, policy)
    before = dump(db)
    with pytest.raises(InvalidInput, match=message) as refused:
        _answer(db, bundle, decision, policy, **values)
    assert "\n" not in str(refused.value)
    assert dump(db) == before


def test_a_dissent_recorded_in_the_record_has_no_answer_and_an_answer_needs_a_dissent(db, policy):
    bundle, decision = _escalated(db, policy)
    before = dump(db)
    with pytest.raises(InvalidInput, match="only an escalated dissent is answered"):
        _answer(db, bundle, decision, policy, dissent_route="recorded")
    other = next(d for d in conferences.load(db, bundle.conference.ref).decisions if d.id != decision.id)
    with pytest.raises(InvalidInput, match="record the dissent it answers first"):
        _answer(db, bundle, other, policy)
    assert dump(db) == before


def test_an_escalated_dissent_waiting_for_its_answer_is_a_dissent_gap_blocking_only_if_the_policy_says(db, policy):
    bundle, decision = _escalated(db, policy)
    gaps = readiness.gaps_before_sign_off(conferences.load(db, bundle.conference.ref), policy, TODAY)
    (gap,) = [g for g in gaps if g.kind == "dissent"]
    assert gap.text.startswith("Dissent: the senior chair's answer to Dr A. Okoye, paediatrics's escalated dissent")
    assert gap not in readiness.blocking(gaps, policy)  # an answer may come after sign-off (as an amendment)
    text = default_policy_path().read_text(encoding="utf-8")
    strict = parse_policy(
        text.replace('blocking = ["stood_down_reason",', 'blocking = ["dissent", "stood_down_reason",'), "strict.toml"
    )
    assert gap in readiness.blocking(gaps, strict)
    _answer(db, bundle, decision, policy)
    after = readiness.gaps_before_sign_off(conferences.load(db, bundle.conference.ref), policy, TODAY)
    assert not [g for g in after if g.kind == "dissent"]


def test_the_record_says_who_dissented_the_route_the_view_and_the_answer_or_that_it_is_awaited(db, policy):
    _bundle, decision = _escalated(db, policy)
    raised = f"{TODAY + timedelta(days=1):%d/%m/%Y}"
    assert dissent_words(decision) == (
        f"Dr A. Okoye, paediatrics, escalated to the safeguarding manager on {raised}: Disagrees with the "
        "category: neglect, not emotional abuse. The senior chair's answer is awaited."
    )
    answered = replace(
        decision,
        dissent_answer="The decision stands",
        dissent_answered_by="Maria Silva",
        dissent_answered_on=TODAY + timedelta(days=4),
    )
    assert dissent_words(answered).endswith(
        f"The senior chair's answer ({TODAY + timedelta(days=4):%d/%m/%Y}, Maria Silva): The decision stands"
    )


def test_the_answer_travels_in_the_conference_file_and_an_older_file_means_none(db, policy):
    bundle, decision = _escalated(db, policy)
    _answer(db, bundle, decision, policy)
    doc = json.loads(
        conference_file.dumps(conference_file.bundle_to_document(conferences.load(db, bundle.conference.ref)))
    )
    again = conference_file.document_to_bundle(doc, policy, TODAY)
    carried = next(d for d in again.decisions if d.id == decision.id)
    assert carried.dissent_answered_by == "Maria Silva, safeguarding manager"
    for d in doc["decisions"]:  # a file written before revision 0014
        for name in ("dissent_answer", "dissent_answered_by", "dissent_answered_on"):
            d.pop(name)
    older = conference_file.document_to_bundle(doc, policy, TODAY)
    assert all(d.dissent_answer == "" and d.dissent_answered_on is None for d in older.decisions)
