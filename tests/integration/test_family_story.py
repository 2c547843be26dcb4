"""One family's story, as issue 13's "done when" tells it, through the services the window calls: an initial
conference, two core groups, the first review and the second review, to the plan ending, without retyping a
person; each review starting from the last map, with scale histories and action progress."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from chair_app.domain.enums import AttendanceMode, AttendanceStatus, Category, Outcome
from chair_app.domain.errors import InvalidInput
from chair_app.reports.period import Period
from chair_app.services import conferences, recording
from chair_app.services.continuity import (
    caseload,
    continuity,
    continuity_lines,
    convene_review,
    mark_item,
    record_progress,
    scale_histories,
)
from chair_app.services.core_groups import ActionProgress, record_core_group
from chair_app.services.demo import CHAIR, build_demo
from chair_app.services.register import family_timeline
from chair_app.services.reporting import measures
from chair_app.store import models as rows

TODAY = date(2026, 11, 23)


def people(db) -> int:
    with db.unit_of_work() as session:
        return session.scalar(select(func.count()).select_from(rows.PersonRow)) + session.scalar(
            select(func.count()).select_from(rows.ChildRow)
        )


def hold(db, policy, bundle, outcome: Outcome, scale: int) -> None:
    """The chair's meeting: everyone attends, it is quorate, each pair scaled, a decision for each child."""
    for inv in bundle.invitations:
        recording.record_attendance(db, inv.id, AttendanceStatus.ATTENDED, AttendanceMode.IN_PERSON, who=CHAIR)
    recording.record_quorate(db, bundle.conference.id, policy, who=CHAIR)
    for pair in bundle.pairs:
        recording.record_scale(db, pair.id, scale, who=CHAIR)
    for cc in bundle.conference_children:
        recording.record_decision(
            db,
            bundle.conference.id,
            cc.child_id,
            outcome,
            policy,
            category=Category.EMO if outcome is Outcome.CONTINUE else None,
            reasons="The plan continues: the worries are still there." if outcome is Outcome.CONTINUE else "",
            end_reason="safety_achieved" if outcome is Outcome.END else "",
            decided_on=bundle.conference.held_on,
            who=CHAIR,
        )


def test_a_family_from_initial_conference_through_two_reviews_to_the_plan_ending(db, policy):
    start = TODAY - timedelta(days=400)
    initial_bundle = build_demo(policy, start)
    for pair in initial_bundle.pairs:
        pair.scale = 2
    initial = conferences.add_conference(db, initial_bundle)
    typed = people(db)

    first = convene_review(db, initial.conference.ref, policy, who=CHAIR, today=TODAY)
    actions = sorted(first.actions, key=lambda a: a.position)
    for days, mark in ((9, "partly"), (45, "done")):
        record_core_group(
            db,
            first.conference.ref,
            initial.conference.held_on + timedelta(days=days),
            policy,
            who_came="Danielle Hayes\nAmira Begum",
            progress=[ActionProgress(actions[0].id, mark)],
            today=TODAY,
        )
    for item in first.mapping_items:
        mark_item(db, item.id, "still_true", who=CHAIR)
    record_progress(db, actions[0].id, "done", "Completed the course", who=CHAIR)
    hold(db, policy, conferences.load(db, first.conference.ref), Outcome.CONTINUE, 4)

    second = convene_review(db, first.conference.ref, policy, who=CHAIR, today=TODAY)
    assert actions[0].id not in {a.carried_from_id for a in second.actions}  # done: not asked about again
    hold(db, policy, conferences.load(db, second.conference.ref), Outcome.END, 7)

    assert people(db) == typed  # nobody retyped, from the initial conference to the plan's end
    histories = scale_histories(db, second.conference.id)
    assert {tuple(p.scale for p in points) for points in histories.values()} == {(2, 4, 7)}
    with pytest.raises(InvalidInput, match="no child is on a plan"):
        convene_review(db, second.conference.ref, policy, who=CHAIR, today=TODAY)
    assert caseload(db, CHAIR, policy, TODAY) == []  # the plan has ended
    lines = "\n".join(continuity_lines(continuity(db, first.conference.ref, policy), policy))
    assert "First core group due by" in lines and "held" in lines and f"Next: {second.conference.ref}" in lines
    _family, entries = family_timeline(db, second.conference.ref, policy)
    whats = [e.what for e in entries]
    assert sum(w.startswith("Core group") for w in whats) == 2
    assert sum("plan ends" in w for w in whats) == len(initial.children) + 1  # and Kayden's earlier plan
    period = Period(start, TODAY)
    consistency = measures(db, policy, period)["12_chair_consistency"].iloc[0]
    assert (consistency.families, consistency.families_with_two_or_more_conferences) == (1, 1)
