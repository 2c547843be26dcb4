"""The clerk's queue: conferences by stage, each with what is due to go out and by when, overdue first (issue 14).

Stages and due dates are rules/distribution.py's. The queue holds every conference held on or before today
that is not stood down and not yet fully sent, and those sent within the last ``sent_days`` (so the clerk sees
what went out recently). It reads only what it shows, a handful of columns per table, so a ten-year archive
costs its open work, not its history. On a laptop the queue is of the laptop's database: a checked-out copy of a
unit's conferences (conference files) works the same offline.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import ConferenceStatus, DocumentKind, Outcome
from chair_app.rules import distribution as rules
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import Policy
from chair_app.store import models as rows
from chair_app.store.engine import Database


@dataclass(frozen=True)
class QueueItem:
    conference_id: uuid.UUID
    ref: str
    held_on: date
    family: str
    chair: str
    stage: rules.Stage
    dues: tuple[rules.Due, ...]
    missing: dict[DocumentKind, tuple[str, ...]]

    def overdue(self, today: date) -> list[rules.Due]:
        return [d for d in self.dues if d.overdue(today)]

    def next_due(self) -> rules.Due | None:
        return min((d for d in self.dues if d.sent_on is None), key=lambda d: d.due_on, default=None)


def clerk_queue(db: Database, policy: Policy, today: date | None = None, *, sent_days: int = 30) -> list[QueueItem]:
    today = today or date.today()
    cal = WorkingCalendar.from_policy(policy)
    c, f = rows.ConferenceRow, rows.FamilyRow
    with db.unit_of_work("clerk_queue") as session:
        confs = session.execute(
            select(c.id, c.held_on, c.chair, c.record_status, c.record_distributed_on, c.plan_distributed_on, f.name)
            .join(f, f.id == c.family_id)
            .where(c.held_on <= today, c.status != ConferenceStatus.STOOD_DOWN)
        ).all()
        # Only the columns the queue shows, in chunks of 500 ids (PostgreSQL's and SQLite's parameter limits).
        ids = [r.id for r in confs]
        plans: set[uuid.UUID] = set()
        invited: dict[uuid.UUID, list[tuple[str, str]]] = defaultdict(list)
        given: dict[tuple[uuid.UUID, DocumentKind], list[tuple[str, date]]] = defaultdict(list)
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            d = rows.DecisionRow
            plans |= set(
                session.scalars(
                    select(d.conference_id).where(
                        d.conference_id.in_(chunk), d.outcome.in_([Outcome.PLAN, Outcome.CONTINUE])
                    )
                )
            )
            inv, p = rows.InvitationRow, rows.PersonRow
            for cid, name, role_code in session.execute(
                select(inv.conference_id, p.name, p.role_code)
                .join(p, p.id == inv.person_id)
                .where(inv.conference_id.in_(chunk))
                .order_by(inv.conference_id, inv.position)
            ):
                invited[cid].append((name, role_code))
            dr = rows.DocumentRecordRow
            for cid, kind, recipient, day in session.execute(
                select(dr.conference_id, dr.kind, dr.recipient, dr.distributed_on).where(
                    dr.conference_id.in_(chunk), dr.distributed_on.is_not(None)
                )
            ):
                given[(cid, kind)].append((recipient, day))
    items = []
    for r in confs:
        dues, missing = [], {}
        for kind, due_on in rules.due_dates(policy, cal, r.held_on, plan=r.id in plans).items():
            needed = [
                name
                for name, role_code in invited[r.id]
                if kind is not DocumentKind.DECISION_LETTER
                or (policy.role(role_code) is not None and policy.role(role_code).family)
            ]
            pairs = given[(r.id, kind)]
            kept = getattr(r, rules.kept_field(kind) or "", None) if not pairs else None
            dues.append(rules.Due(kind, due_on, kept or rules.sent_on(pairs, needed)))
            missing[kind] = () if kept else tuple(rules.missing(pairs, needed))
        stage = rules.stage(r.record_status, dues)
        if stage is rules.Stage.SENT:
            last = max((d.sent_on for d in dues if d.sent_on), default=r.held_on)
            if last < today - timedelta(days=sent_days):
                continue
        items.append(QueueItem(r.id, m.short_ref(r.id), r.held_on, r.name, r.chair or "", stage, tuple(dues), missing))
    items.sort(key=lambda i: rules.queue_key(list(i.dues), i.held_on, today))
    return items


def queue_lines(items: list[QueueItem], today: date) -> list[str]:
    """The queue as text (the CLI): stage, what is due and when, overdue marked."""
    if not items:
        return ["Nothing to type up, sign off or send out."]
    out = [f"{'REF':<9} {'HELD':<10} {'FAMILY':<20} {'STAGE':<30} NEXT DUE"]
    for i in items:
        nxt = i.next_due()
        if nxt is None:
            due = "all sent"
        else:
            late = " OVERDUE" if nxt.overdue(today) else ""
            due = f"{nxt.words} by {uk_date(nxt.due_on)}{late}"
        out.append(f"{i.ref:<9} {uk_date(i.held_on):<10} {i.family[:20]:<20} {i.stage.value:<30} {due}")
    return out
