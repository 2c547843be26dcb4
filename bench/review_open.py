"""Opening a review of a family with ten earlier conferences of 300 map items each (issue 13: <= 0.3 s).

The family is built as the app builds it: an initial conference with 300 map items, 6 danger statements and 10
plan actions, then ten reviews each convened from the last (``services.continuity.convene_review``: every item,
statement and action brought forward), each held with its scales set. Opening the last review is what the
workspace does on the worker (``services.workspace.open_conference``) and what its Mapping step reads
(``services.continuity.scale_histories``: each statement's scale across the eleven conferences). Baseline in the
same run: opening the initial conference (300 items, no history).
"""

from __future__ import annotations

import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import median
from chair_app.domain import model as m
from chair_app.domain.enums import MappingSection, Outcome
from chair_app.services import conferences
from chair_app.services import workspace as ws
from chair_app.services.continuity import convene_review, scale_histories
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from chair_app.store.engine import open_database, sqlite_url

SECTIONS = list(MappingSection)


def build(db, policy, earlier: int = 10, items: int = 300):
    start = date.today() - timedelta(days=183 * (earlier + 1))
    bundle = build_demo(policy, start)
    cid = bundle.conference.id
    bundle.mapping_items = [
        m.MappingItem(conference_id=cid, section=SECTIONS[i % 5], text=f"Item {i}: what everyone said", position=i)
        for i in range(items)
    ]
    bundle.pairs = [
        m.DangerGoalPair(conference_id=cid, danger_statement=f"Worry {i}", safety_goal=f"Goal {i}", position=i, scale=2)
        for i in range(6)
    ]
    bundle.actions = [m.PlanAction(conference_id=cid, what=f"Action {i}", position=i) for i in range(10)]
    bundle.conference.status = "held"
    first = conferences.add_conference(db, bundle)
    last = first
    for n in range(earlier):
        review = convene_review(
            db, last.conference.ref, policy, who="Bench", held_on=last.conference.held_on + timedelta(days=183)
        )
        with db.unit_of_work() as session:
            session.get(rows.ConferenceRow, review.conference.id).status = "held"
            for p in review.pairs:
                session.get(rows.DangerGoalPairRow, p.id).scale = min(10, 3 + n)
            for cc in review.conference_children:
                session.add(
                    rows.DecisionRow(conference_id=review.conference.id, child_id=cc.child_id, outcome=Outcome.CONTINUE)
                )
        last = review
    return first, last


def measure(quick: bool = False) -> list[tuple[str, str, str, str]]:
    from chair_app.rules.policy import load_policy

    policy = load_policy()
    earlier = 3 if quick else 10
    runs = 3 if quick else 9
    with tempfile.TemporaryDirectory(prefix="chair-bench-review-") as tmp:
        db = open_database(sqlite_url(Path(tmp) / "review.db"))
        first, last = build(db, policy, earlier)
        opened, base = [], []
        for _ in range(runs):
            t = time.perf_counter()
            bundle, _previous = ws.open_conference(db, last.conference.id)
            scale_histories(db, last.conference.id)
            opened.append(time.perf_counter() - t)
            t = time.perf_counter()
            ws.open_conference(db, first.conference.id)
            base.append(time.perf_counter() - t)
        n_items = len(bundle.mapping_items)
        db.dispose()
    o, b = median(opened), median(base)
    scale = "" if earlier >= 10 else " (budget is for 10 earlier conferences)"
    return [
        (
            f"open a review after {earlier} earlier conferences ({n_items} items brought forward), median",
            f"{1000 * o:.0f} ms",
            f"the initial conference (300 items, no history) {1000 * b:.0f} ms / {o / b:.1f}x",
            "<= 300 ms " + ("met" if o <= 0.3 else "NOT MET") + scale,
        )
    ]


if __name__ == "__main__":
    from bench.common import table

    print(table("Opening a review", measure()))
