"""Measure 12, chair consistency, from each family's linked history (issue 13, Build 7), on a hand-counted
example: the earlier conferences a period's conference follows on from count, however long ago."""

from __future__ import annotations

from datetime import date

import pandas as pd

from chair_app.reports.frames import TABLES, Frames
from chair_app.reports.measures import Context, chair_consistency
from chair_app.reports.period import Period

PERIOD = Period(date(2025, 4, 1), date(2026, 3, 31))


def frames(*conferences: dict) -> Frames:
    raw = {name: pd.DataFrame(columns=columns) for name, columns in TABLES.items()}
    base = dict.fromkeys(TABLES["conference"]) | dict(status="held", quoracy_outcome="quorate", stood_down_reason="")
    raw["conference"] = pd.DataFrame(
        [base | c | dict(held_on=pd.Timestamp(c["held_on"]), previous_conference_id=c.get("prev")) for c in conferences]
    )
    raw["conference"] = raw["conference"].drop(columns="prev")
    return Frames.from_frames(raw)


def conf(cid, family, kind, held_on, chair, prev=None, status="held"):
    return dict(id=cid, family_id=family, kind=kind, held_on=held_on, chair=chair, prev=prev, status=status)


COUNTY = [
    # F1: first conference last year with another chair, the review in the period: changed.
    conf("a1", "F1", "initial", "2025-01-10", "Chair A"),
    conf("a2", "F1", "first_review", "2025-04-10", "Chair B", "a1"),
    # F2: every conference with Chair A, the first two before the period: the same chair.
    conf("b1", "F2", "initial", "2024-11-04", "Chair A"),
    conf("b2", "F2", "first_review", "2025-02-03", "Chair A", "b1"),
    conf("b3", "F2", "review", "2025-08-04", "Chair A", "b2"),
    # F3: the review stood down (another chair that day) and rearranged: counted once, as held: the same chair.
    conf("c1", "F3", "initial", "2025-05-06", "Chair C"),
    conf("c2", "F3", "first_review", "2025-08-04", "Chair D", "c1", status="stood_down"),
    conf("c3", "F3", "first_review", "2025-08-20", "Chair C", "c1"),
    # F4: one conference so far: not counted.
    conf("d1", "F4", "initial", "2025-06-02", "Chair E"),
    # F5: an earlier plan (not linked) with another chair; the current run with Chair G throughout: the same.
    conf("e0", "F5", "initial", "2023-03-01", "Chair F"),
    conf("e1", "F5", "initial", "2025-07-01", "Chair G"),
    conf("e2", "F5", "first_review", "2025-10-01", "Chair G", "e1"),
    # F6: three conferences back, before the period, another chair: changed (the two nearest agree).
    conf("f1", "F6", "initial", "2024-12-02", "Chair H"),
    conf("f2", "F6", "first_review", "2025-03-03", "Chair J", "f1"),
    conf("f3", "F6", "review", "2025-09-01", "Chair H", "f2"),
    conf("f4", "F6", "review", "2026-02-02", "Chair H", "f3"),
    # F7: its review after the period is not its history yet: one conference so far, not counted.
    conf("g1", "F7", "initial", "2026-03-02", "Chair K"),
    conf("g2", "F7", "first_review", "2026-05-01", "Chair L", "g1"),
]


def test_chair_consistency_follows_each_familys_linked_conferences_back_to_the_first(policy):
    """By hand: F1 changed (A then B), F2 same (A, A, A), F3 same (C, C: the stood-down meeting is not a
    conference held), F4 one conference, F5 same (G, G: the 2023 plan is not this run), F6 changed (H, J, H, H),
    F7 one conference in its history so far. Families with two or more: F1, F2, F3, F5, F6; the same chair: F2,
    F3, F5. 3 of 5, 60.0%."""
    row = chair_consistency(Context(frames(*COUNTY), policy, PERIOD)).iloc[0]
    assert (row.families, row.families_with_two_or_more_conferences, row.text) == (3, 5, "60.0% (3 of 5)")


def test_the_period_alone_would_count_f1_and_f6_differently(policy):
    """Counting only the period's conferences (the measure before issue 13) F1 has one conference and F6 looks
    the same: the linked history is what changes the answer."""
    in_period = [c for c in COUNTY if PERIOD.start <= date.fromisoformat(c["held_on"]) <= PERIOD.end]
    unlinked = [c | dict(prev=None) for c in in_period]
    row = chair_consistency(Context(frames(*unlinked), policy, PERIOD)).iloc[0]
    assert (row.families, row.families_with_two_or_more_conferences) == (3, 3)  # F3, F5, F6
