"""The record's way out (issue 14): what is due when, who must have it, and which stage a conference is at.

Pure: the service (services/distribution.py, services/queue.py) reads the rows and hands them here.

- Due dates come from the policy's timescales by name: the record ``record_distribution_working_days``, the
  plan ``plan_distribution_working_days`` (only when a child is on a plan), the decision letter
  ``decision_letter_working_days`` when the policy has it, else ``decisions_recorded_working_days``.
- A document is *sent* when everyone on its distribution list has had it: the record and the plan go to every
  person invited; the decision letter to the invited family members (the policy's family roles). It was sent on
  the day the last of them had it (each person's first copy counts: a corrected version later does not move
  the day). With nobody invited, the first copy sent out counts.
- Stages: to type up (draft), awaiting the chair's sign-off, to send out (finalised, something not yet sent),
  sent (finalised, everything due sent).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from chair_app.domain.enums import DocumentKind, RecordStatus
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import Policy


class Method(StrEnum):
    """How a document reached its recipient (stored in ``document_record.method``)."""

    MEETING = "handed over at the meeting"
    SECURE_EMAIL = "secure email"
    POST = "post"


#: The app's own ways a document leaves it: a printed copy counts as handed over when it was printed at the
#: meeting for someone present (services/documents.py marks it then), a saved file never does.
PRINTED = "printed"


class Stage(StrEnum):
    TO_TYPE_UP = "to type up"
    AWAITING_SIGN_OFF = "awaiting the chair's sign-off"
    TO_SEND_OUT = "to send out"
    SENT = "sent"


STAGE_OF_STATUS = {
    RecordStatus.DRAFT: Stage.TO_TYPE_UP,
    RecordStatus.AWAITING_SIGN_OFF: Stage.AWAITING_SIGN_OFF,
}

DUE_KINDS = (DocumentKind.RECORD, DocumentKind.CP_PLAN, DocumentKind.DECISION_LETTER)
KIND_WORDS = {
    DocumentKind.RECORD: "record",
    DocumentKind.CP_PLAN: "plan",
    DocumentKind.DECISION_LETTER: "decision letter",
    DocumentKind.HANDOUT: "handout",
}


def working_days_for(policy: Policy, kind: DocumentKind) -> int:
    t = policy.timescales
    if kind is DocumentKind.RECORD:
        return t["record_distribution_working_days"]
    if kind is DocumentKind.CP_PLAN:
        return t["plan_distribution_working_days"]
    return t["decision_letter_working_days"]  # (every policy has it: a file without it gets the default)


def due_dates(policy: Policy, cal: WorkingCalendar, held_on: date, *, plan: bool) -> dict[DocumentKind, date]:
    """What must go out after a conference held on ``held_on``, and by when (the plan only when there is one)."""
    kinds = [k for k in DUE_KINDS if plan or k is not DocumentKind.CP_PLAN]
    return {k: cal.add_working_days(held_on, working_days_for(policy, k)) for k in kinds}


def sent_on(given: Iterable[tuple[str, date]], needed: Iterable[str]) -> date | None:
    """The day everyone in ``needed`` had had the document, from (recipient, day) pairs; None until then.
    With nobody needed, the first day anyone had it."""
    first: dict[str, date] = {}
    for recipient, day in given:
        if day is not None and (recipient not in first or day < first[recipient]):
            first[recipient] = day
    needed = set(needed)
    if not needed:
        return min(first.values(), default=None)
    if not needed <= first.keys():
        return None
    return max(first[name] for name in needed)


def kept_field(kind: DocumentKind) -> str | None:
    """The conference's own date for a document, used when no distribution is recorded for it (records kept
    before distribution was, imports): the same rule as measure 10."""
    return {DocumentKind.RECORD: "record_distributed_on", DocumentKind.CP_PLAN: "plan_distributed_on"}.get(kind)


def missing(given: Iterable[tuple[str, date]], needed: Iterable[str]) -> list[str]:
    had = {recipient for recipient, day in given if day is not None}
    return sorted(set(needed) - had)


@dataclass(frozen=True)
class Due:
    kind: DocumentKind
    due_on: date
    sent_on: date | None

    @property
    def words(self) -> str:
        return KIND_WORDS[self.kind]

    def overdue(self, today: date) -> bool:
        return self.sent_on is None and self.due_on < today

    def late(self) -> bool:
        return self.sent_on is not None and self.sent_on > self.due_on


def stage(record_status: RecordStatus, dues: Iterable[Due]) -> Stage:
    if record_status in STAGE_OF_STATUS:
        return STAGE_OF_STATUS[record_status]
    return Stage.SENT if all(d.sent_on is not None for d in dues) else Stage.TO_SEND_OUT


def queue_key(dues: list[Due], held_on: date, today: date) -> tuple:
    """Overdue first (most overdue first), then by the next date due, then the meeting's date."""
    outstanding = [d.due_on for d in dues if d.sent_on is None]
    next_due = min(outstanding, default=date.max)
    overdue = next_due < today
    return (0 if overdue else 1, next_due, held_on)
