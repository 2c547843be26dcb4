"""Decisions that need a second person (issue 14): which, whose agreement, and what is still missing.

Policy, ``[agreements]``: each kind of decision the authority wants agreed lists the roles whose agreement it
needs. Today one kind: ``end_plan_at_first_review`` (the 2019-20 report: ending a plan at the first review
needs a manager's agreement). An empty list, or the section left out, asks for no agreement.

An agreement is kept on the decision itself (``agreed_by``, ``agreed_on``, ``agreed_outcome``), so it travels
with the record in a conference file and is frozen with it at sign-off. It holds only for the outcome agreed:
a decision changed since needs agreeing again. The Close step lists what is missing (services/readiness.py)
and finalising refuses while anything is (services/signoff.py calls ``refuse_if_missing``).

A dissent from a decision has a route and a clock (``[dissent]``): raised within the policy's hours of the
conference, and an escalated one answered within its working days (``check_dissent``, ``dissent_clock``). The
senior chair's answer is kept on the decision too (``dissent_answer``, ``dissent_answered_by``,
``dissent_answered_on``); one not yet given is a gap of kind "dissent" at sign-off (blocking only if the policy
says so: an answer may come after the record is signed off, as an amendment).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from chair_app.domain import model as m
from chair_app.domain.enums import MeetingKind, Outcome
from chair_app.domain.errors import InvalidInput

KINDS = {"end_plan_at_first_review": "ending a plan at the first review"}
KNOWN_AGREEMENTS: dict[str, Any] = dict.fromkeys(KINDS)
KNOWN_DISSENT: dict[str, Any] = {"raise_within_hours": None, "response_working_days": None}
ROUTES = {"recorded": "recorded in the record", "escalated": "escalated to the safeguarding manager"}


@dataclass(frozen=True)
class Needed:
    kind: str
    decision: m.Decision
    child: str
    roles: frozenset[str]

    @property
    def given(self) -> bool:
        return bool(self.decision.agreed_by) and self.decision.agreed_outcome == self.decision.outcome.value


def read_agreements(data: dict[str, Any], source: str) -> dict[str, frozenset[str]]:
    from chair_app.rules.access import ROLES
    from chair_app.rules.policy import PolicyError

    section = data.get("agreements", {})
    if not isinstance(section, dict):
        raise PolicyError(f"policy {source}: agreements: must be a table ([agreements])")
    out = {}
    for kind, roles in section.items():
        if not isinstance(roles, list) or not all(isinstance(r, str) and r in ROLES for r in roles):
            roles_known = ", ".join(ROLES)
            raise PolicyError(f"policy {source}: agreements.{kind}: must be a list of roles from {roles_known}")
        out[kind] = frozenset(roles)
    return out


def agreements_of(policy) -> dict[str, frozenset[str]]:
    return read_agreements(policy.raw, policy.source)


def needed(bundle: m.ConferenceBundle, policy) -> list[Needed]:
    """Every decision of this conference that the policy says needs a second person's agreement."""
    wanted = agreements_of(policy)
    roles = wanted.get("end_plan_at_first_review")
    out = []
    if roles and bundle.conference.kind is MeetingKind.FIRST_REVIEW:
        children = {c.id: c.full_name for c in bundle.children}
        for d in bundle.decisions:
            if d.outcome is Outcome.END:
                out.append(Needed("end_plan_at_first_review", d, children.get(d.child_id, "a child"), roles))
    return out


def missing(bundle: m.ConferenceBundle, policy) -> list[str]:
    """One line per agreement still missing, naming the decision, the child and whose agreement it needs."""
    from chair_app.rules.access import roles_text

    return [
        f"Decision: {KINDS[n.kind]} for {n.child} needs {roles_text(n.roles)}'s agreement; none recorded yet"
        for n in needed(bundle, policy)
        if not n.given
    ]


def refuse_if_missing(bundle: m.ConferenceBundle, policy) -> None:
    lines = missing(bundle, policy)
    if lines:
        first = lines[0].removeprefix("Decision: ")
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise InvalidInput(f"finalise: {first}{more}; it cannot be signed off until then")


# ---------------------------------------------------------------------------------------------------------
# Dissent: its route and its clock ([dissent] in the policy)


@dataclass(frozen=True)
class DissentPolicy:
    raise_within_hours: int = 72
    response_working_days: int = 5


def read_dissent(data: dict[str, Any], source: str) -> DissentPolicy:
    from chair_app.rules.policy import PolicyError

    section = data.get("dissent", {})
    if not isinstance(section, dict):
        raise PolicyError(f"policy {source}: dissent: must be a table ([dissent])")
    values = {}
    for key, low, high in (("raise_within_hours", 1, 24 * 30), ("response_working_days", 1, 60)):
        value = section.get(key, getattr(DissentPolicy, key))
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise PolicyError(f"policy {source}: dissent.{key}: must be a whole number from {low} to {high}")
        values[key] = value
    return DissentPolicy(**values)


@dataclass(frozen=True)
class DissentClock:
    raise_by: date  # the last day a dissent may be raised (the conference's day plus the policy's hours)
    answer_by: date | None  # an escalated dissent: the day the senior chair's answer is due


def dissent_clock(decision: m.Decision, held_on: date, policy, cal) -> DissentClock:

    rules = read_dissent(policy.raw, policy.source)
    raise_by = held_on + timedelta(days=-(-rules.raise_within_hours // 24))  # whole days, rounded up
    answer_by = None
    if decision.dissent_route == "escalated" and decision.dissent_raised_on is not None:
        answer_by = cal.add_working_days(decision.dissent_raised_on, rules.response_working_days)
    return DissentClock(raise_by, answer_by)


def check_dissent(decision: m.Decision, held_on: date, policy, cal, today: date | None = None) -> None:
    """A dissent names who, a known route and a day within the policy's hours of the conference; the senior
    chair's answer (an escalated dissent's only) says what they decided, who answered and on which day, from the
    day it was raised to ``today``."""
    answered = bool(
        decision.dissent_answer.strip() or decision.dissent_answered_by.strip() or decision.dissent_answered_on
    )
    if not decision.dissent.strip() and not decision.dissent_by.strip():
        if answered:
            raise InvalidInput("senior chair's answer: record the dissent it answers first")
        return
    if not decision.dissent_by.strip():
        raise InvalidInput("dissent: say who dissents (name and agency)")
    if not decision.dissent.strip():
        raise InvalidInput("dissent: write what they disagree with and why")
    if decision.dissent_route not in ROUTES:
        raise InvalidInput(f"dissent route: choose {' or '.join(ROUTES)}")
    raised = decision.dissent_raised_on
    if raised is None:
        raise InvalidInput("dissent raised on: give the day it was raised")
    clock = dissent_clock(decision, held_on, policy, cal)
    if raised < held_on:
        raise InvalidInput("dissent raised on: it cannot be before the conference")
    if raised > clock.raise_by:
        raise InvalidInput(
            f"dissent raised on: the policy allows it up to {clock.raise_by:%d/%m/%Y}, "
            f"{read_dissent(policy.raw, policy.source).raise_within_hours} hours after the conference; "
            "a later disagreement goes through the complaints or escalation procedure instead"
        )
    if answered:
        _check_answer(decision, raised, today or date.today())


def _check_answer(decision: m.Decision, raised: date, today: date) -> None:
    if decision.dissent_route != "escalated":
        raise InvalidInput(
            "senior chair's answer: only an escalated dissent is answered; a dissent recorded in the record has none"
        )
    if not decision.dissent_answer.strip():
        raise InvalidInput("senior chair's answer: write what the senior chair decided")
    if not decision.dissent_answered_by.strip():
        raise InvalidInput("answered by: give the name of the senior chair who answered")
    answered_on = decision.dissent_answered_on
    if answered_on is None:
        raise InvalidInput("answered on: give the day of the answer")
    if answered_on < raised:
        raise InvalidInput(f"answered on: it cannot be before the dissent was raised ({raised:%d/%m/%Y})")
    if answered_on > today:
        raise InvalidInput("answered on: it cannot be in the future; record the answer once it is given")
