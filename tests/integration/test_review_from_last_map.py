"""The review starts from the last map (issue 13, Build 3), on SQLite and PostgreSQL: each earlier item comes back
as "last time" for the chair to mark still true, changed (new wording) or no longer a worry; each danger
statement keeps its scale history across conferences; each plan action comes back for its progress."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from chair_app.domain.errors import InvalidInput, RecordFinalised
from chair_app.services import conferences, recording
from chair_app.services.continuity import (
    continuity,
    continuity_lines,
    convene_review,
    mark_item,
    rearrange,
    record_progress,
    scale_histories,
)
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from tests.conftest import dump

TODAY = date(2026, 11, 23)
WHO = "Helen Marsh"

INTERIM = "The safety plan from the strategy discussion continues"


@pytest.fixture
def initial(db, policy):
    """The Hayes initial conference with its map, two danger statements (scales set here) and its plan."""
    bundle = build_demo(policy, TODAY)
    for pair, scale in zip(bundle.pairs, (2, 3), strict=False):
        pair.scale = scale
    return conferences.add_conference(db, bundle)


def set_scale(db, pair_id, scale):
    with db.unit_of_work() as session:
        session.get(rows.DangerGoalPairRow, pair_id).scale = scale


def test_the_review_brings_back_every_item_pair_and_action_of_the_last_conference_unmarked(db, policy, initial):
    review = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    assert len(initial.mapping_items) > 0 and len(initial.pairs) > 0 and len(initial.actions) > 0
    carried = {x.carried_from_id: x for x in review.mapping_items}
    assert set(carried) == {x.id for x in initial.mapping_items}
    for item in initial.mapping_items:
        again = carried[item.id]
        assert (again.text, again.earlier_text, again.section, again.last_time) == (
            item.text,
            item.text,
            item.section,
            "",
        )
    assert {p.carried_from_id: p.danger_statement for p in review.pairs} == {
        p.id: p.danger_statement for p in initial.pairs
    }
    assert all(p.scale is None for p in review.pairs)  # judged afresh
    assert {a.carried_from_id for a in review.actions} == {a.id for a in initial.actions}
    assert {a.progress for a in review.actions} == {""}


def test_the_chair_marks_items_still_true_changed_with_new_words_or_no_longer_a_worry(db, policy, initial):
    review = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    a, b, c = review.mapping_items[:3]
    mark_item(db, a.id, "still_true", who=WHO)
    changed = mark_item(db, b.id, "changed", "Dad now lives with his brother and visits on Saturdays.", who=WHO)
    mark_item(db, c.id, "no_longer", who=WHO)
    assert (changed.text, changed.earlier_text) == ("Dad now lives with his brother and visits on Saturdays.", b.text)
    lines = "\n".join(continuity_lines(continuity(db, review.conference.ref, policy), policy))
    n = len(review.mapping_items)
    assert (
        f"From the last map: {n} items (1 still true, 1 changed, 1 no longer a worry, {n - 3} not marked yet)" in lines
    )
    # The next review does not bring back a worry that had gone.
    with db.unit_of_work() as session:
        session.get(rows.ConferenceRow, review.conference.id).status = "held"
    from chair_app.domain.enums import Outcome

    with db.unit_of_work() as session:
        for child in review.conference_children:
            session.add(
                rows.DecisionRow(conference_id=review.conference.id, child_id=child.child_id, outcome=Outcome.CONTINUE)
            )
    second = convene_review(db, review.conference.ref, policy, who=WHO, today=TODAY)
    assert c.id not in {x.carried_from_id for x in second.mapping_items}
    assert {x.carried_from_id for x in second.mapping_items} == {x.id for x in review.mapping_items} - {c.id}
    again = next(x for x in second.mapping_items if x.carried_from_id == b.id)
    assert again.earlier_text == "Dad now lives with his brother and visits on Saturdays."


def test_a_changed_mark_without_new_words_or_an_unknown_mark_is_refused_and_changes_nothing(db, policy, initial):
    review = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    before = dump(db)
    with pytest.raises(InvalidInput, match="^Changed: give the new wording"):
        mark_item(db, review.mapping_items[0].id, "changed", "  ", who=WHO)
    with pytest.raises(InvalidInput, match="^Last time: choose one of: Still true; Changed; No longer a worry"):
        mark_item(db, review.mapping_items[0].id, "maybe", who=WHO)
    with pytest.raises(InvalidInput, match="new at this conference"):
        mark_item(db, initial.mapping_items[0].id, "still_true", who=WHO)  # the initial's own item
    assert dump(db) == before


def test_each_danger_statement_keeps_its_scale_history_across_conferences(db, policy, initial):
    first = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    pair = first.pairs[0]
    set_scale(db, pair.id, 4)
    with db.unit_of_work() as session:
        session.get(rows.ConferenceRow, first.conference.id).status = "held"
        from chair_app.domain.enums import Outcome

        for child in first.conference_children:
            session.add(
                rows.DecisionRow(conference_id=first.conference.id, child_id=child.child_id, outcome=Outcome.CONTINUE)
            )
    second = convene_review(db, first.conference.ref, policy, who=WHO, today=TODAY)
    last = next(p for p in second.pairs if p.carried_from_id == pair.id)
    set_scale(db, last.id, 6)
    history = scale_histories(db, second.conference.id)[last.id]
    assert [p.scale for p in history] == [2, 4, 6]
    assert [p.ref for p in history] == [initial.conference.ref, first.conference.ref, second.conference.ref]
    lines = "\n".join(continuity_lines(continuity(db, second.conference.ref, policy), policy))
    assert f"2 ({initial.conference.held_on:%d/%m/%Y}), 4 ({first.conference.held_on:%d/%m/%Y}), 6" in lines


def test_each_plan_action_comes_back_done_partly_or_not_done_with_a_note(db, policy, initial):
    review = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    one, two = review.actions[:2]
    record_progress(db, one.id, "done", who=WHO)
    noted = record_progress(db, two.id, "partly", "  Two of the four visits happened.  ", who=WHO)
    assert (noted.progress, noted.progress_note) == ("partly", "Two of the four visits happened.")
    lines = "\n".join(continuity_lines(continuity(db, review.conference.ref, policy), policy))
    n = len(review.actions)
    assert f"From the last plan: {n} actions (1 done, 1 partly done, {n - 2} not marked yet)" in lines
    before = dump(db)
    with pytest.raises(InvalidInput, match="^Progress: choose one of: Done; Partly done; Not done"):
        record_progress(db, one.id, "nearly", who=WHO)
    assert dump(db) == before


def test_marks_on_a_finalised_review_are_refused(db, policy, initial):
    review = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    with db.unit_of_work() as session:
        session.get(rows.ConferenceRow, review.conference.id).record_status = "finalised"
    with pytest.raises(RecordFinalised):
        record_progress(db, review.actions[0].id, "done", who=WHO)


def test_a_rearranged_review_keeps_the_marks_made_for_the_stood_down_meeting(db, policy, initial):
    review = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    mark_item(db, review.mapping_items[0].id, "still_true", who=WHO)
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
    marked = review.mapping_items[0].carried_from_id
    assert {x.carried_from_id: x.last_time for x in again.mapping_items} == {
        x.carried_from_id: "still_true" if x.carried_from_id == marked else "" for x in review.mapping_items
    }


def test_the_handout_and_the_projector_say_what_changed_since_last_time_in_plain_words(db, policy, initial):
    from chair_app.domain.enums import MappingSection
    from chair_app.gui.workspace.presentation import room_map, room_text
    from chair_app.services.documents import build_view

    review = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    harm = [x for x in review.mapping_items if x.section is MappingSection.PAST_HARM]
    mark_item(db, harm[0].id, "no_longer", who=WHO)
    mark_item(db, harm[1].id, "changed", "Dad has moved out.", who=WHO)
    stored = conferences.load(db, review.conference.ref)
    texts = [i.text for i in build_view(stored, policy).past_harm]
    assert f"{harm[0].text} (no longer a worry)" in texts and "Dad has moved out. (changed since last time)" in texts
    assert sum(t.endswith("last time)") or t.endswith("worry)") for t in texts) == 2  # unmarked items: no words
    shown = room_text(room_map(stored))
    assert "Dad has moved out. (changed since last time)" in shown


def test_the_handout_prints_each_danger_statements_scale_at_the_earlier_conferences(db, policy, initial):
    import io

    from pypdf import PdfReader

    from chair_app.services.documents import handout

    review = convene_review(db, initial.conference.ref, policy, who=WHO, today=TODAY)
    first_pair = next(p for p in review.pairs if p.carried_from_id == initial.pairs[0].id)
    set_scale(db, first_pair.id, 5)
    made = handout(db, review.conference.ref, policy, record=False)
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(made.pdf)).pages)
    text = " ".join(text.split())
    assert f"Earlier: 2 ({initial.conference.held_on:%d/%m/%Y})" in text
    assert f"Earlier: 3 ({initial.conference.held_on:%d/%m/%Y})" in text  # the second statement's
    assert "5 out of 10" in text
