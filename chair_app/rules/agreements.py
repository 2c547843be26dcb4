"""Decisions that need a second person (issue 14): which, whose agreement, and what is still missing.

Policy, ``[agreements]``: each kind of decision the authority wants agreed lists the roles whose agreement it
needs. Today one kind: ``end_plan_at_first_review`` (the 2019-20 report: ending a plan at the first review
needs a manager's agreement). An empty list, or the section left out, asks for no agreement.

An agreement is kept on the decision itself (``agreed_by``, ``agreed_on``, ``agreed_outcome``), so it travels
with the record in a conference file and is frozen with it at sign-off. It holds only for the outcome agreed:
a decision changed since needs agreeing again. The Close step lists what is missing (services/readiness.py)
and finalising refuses while anything is (services/signoff.py calls ``refuse_if_missing``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from chair_app.domain import model as m
from chair_app.domain.enums import MeetingKind, Outcome
from chair_app.domain.errors import InvalidInput

KINDS = {"end_plan_at_first_review": "ending a plan at the first review"}
KNOWN_AGREEMENTS: dict[str, Any] = dict.fromkeys(KINDS)


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
