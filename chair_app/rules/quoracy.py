"""Quoracy: is the conference quorate, and if not, what may the chair do?

Default rule (policy): children's social care plus at least two other agency groups with direct contact
with the child or the family, present in person or remotely. Family members, advocates and interpreters never
count (their roles say ``family`` or ``agency = false``). Policy decides which role counts for which group,
whether a written report counts, exceptions by meeting kind, and whether a second inquorate conference may
proceed.
"""

from __future__ import annotations

from dataclasses import dataclass

from chair_app.domain.enums import AttendanceStatus, MeetingKind, QuoracyOutcome
from chair_app.domain.model import ConferenceBundle, Invitation, Person
from chair_app.rules.policy import Policy


@dataclass(frozen=True)
class Attendee:
    """What quoracy needs to know of one invitee."""

    role_code: str
    status: AttendanceStatus
    remote: bool = False
    report_submitted: bool = False


@dataclass(frozen=True)
class QuoracyResult:
    quorate: bool
    groups_counted: tuple[str, ...]  # agency groups that count towards quoracy, in policy order
    missing: tuple[str, ...]  # required groups absent
    others_needed: int  # other groups still needed
    may_proceed: bool  # whether "proceed with a rationale" is allowed
    explanation: str


def attendees_from(invitations: list[Invitation], people: list[Person]) -> list[Attendee]:
    by_id = {p.id: p for p in people}
    out = []
    for inv in invitations:
        person = by_id.get(inv.person_id)
        out.append(
            Attendee(
                role_code=person.role_code if person else "",
                status=inv.status,
                remote=inv.mode is not None and inv.mode.value != "in_person",
                report_submitted=inv.report_submitted,
            )
        )
    return out


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def assess(
    attendees: list[Attendee],
    kind: MeetingKind,
    policy: Policy,
    *,
    previous_was_inquorate: bool = False,
) -> QuoracyResult:
    """Assess quoracy; the explanation is a sentence a chair can read aloud."""
    exception = policy.quoracy_exceptions.get(kind.value)
    needed = exception.other_groups_needed if exception else policy.other_groups_needed

    present_groups: set[str] = set()
    direct_groups: set[str] = set()
    for a in attendees:
        role = policy.role(a.role_code)
        if role is None or not role.counts_as_agency:
            continue
        counts = a.status is AttendanceStatus.ATTENDED and (policy.remote_attendance_counts or not a.remote)
        if not counts and policy.written_report_counts and a.report_submitted:
            counts = True
        if counts:
            present_groups.add(role.group)
            if role.direct_contact:
                direct_groups.add(role.group)

    order = list(policy.agency_groups)
    missing = tuple(g for g in policy.required_groups if g not in present_groups)
    eligible = direct_groups if policy.other_groups_need_direct_contact else present_groups
    others = sorted((g for g in eligible if g not in policy.required_groups), key=order.index)
    others_needed = max(0, needed - len(others))
    quorate = not missing and others_needed == 0
    counted = tuple(sorted(set(policy.required_groups) & present_groups, key=order.index)) + tuple(others)

    names = [policy.group_label(g) for g in counted]
    present_text = f"{_join(names)} present" if names else "no agency present"
    if quorate:
        explanation = f"Quorate: {present_text}."
        if exception:
            explanation += f" {exception.note}"
    else:
        parts = []
        if missing:
            parts.append(f"{_join([policy.group_label(g) for g in missing])} must be present")
        if others_needed:
            kind_word = (
                " with direct contact with the child or family" if policy.other_groups_need_direct_contact else ""
            )
            ordinal = {1: "another agency", 2: "two more agencies", 3: "three more agencies"}.get(
                others_needed, f"{others_needed} more agencies"
            )
            suggestions = [policy.group_label(g) for g in policy.suggest_groups if g not in eligible][:2]
            hint = f", e.g. {' or '.join(suggestions)}" if suggestions else ""
            verb = "is" if others_needed == 1 else "are"
            parts.append(f"{ordinal}{kind_word} {verb} needed{hint}")
        explanation = f"Not quorate: {present_text}; " + "; ".join(parts) + "."
    may_proceed = quorate or not previous_was_inquorate or policy.second_inquorate_may_proceed
    if not quorate and not may_proceed:
        explanation += " The previous conference was also not quorate, so this one must be stood down."
    return QuoracyResult(quorate, counted, missing, others_needed, may_proceed, explanation)


def assess_conference(
    bundle: ConferenceBundle, policy: Policy, previous_outcome: QuoracyOutcome | None
) -> QuoracyResult:
    """Quoracy of one conference as recorded so far; ``previous_outcome``: the quoracy of the conference before
    it for the family, when there was one (a second inquorate conference may not be allowed to proceed)."""
    return assess(
        attendees_from(bundle.invitations, bundle.people),
        bundle.conference.kind,
        policy,
        previous_was_inquorate=previous_outcome in (QuoracyOutcome.PROCEEDED_NOT_QUORATE, QuoracyOutcome.STOOD_DOWN),
    )


def recorded_outcome_stale(
    outcome: QuoracyOutcome, result: QuoracyResult, *, stood_down_not_quorate: bool = False
) -> str:
    """Whether the recorded quoracy outcome still matches attendance as it now stands; "" when it does, else
    one line saying what changed and what to do.

    The outcome is kept, not cleared, when attendance changes after it was recorded: it is what the chair
    decided (with its rationale), and undoing the attendance change makes it true again. A stale outcome is
    shown as stale and stops the record going for sign-off until the chair records the outcome again.
    """
    if outcome is QuoracyOutcome.QUORATE and not result.quorate:
        return (
            "Recorded as quorate, but attendance has changed since and the conference is now not quorate: "
            "record the outcome again (proceed with a rationale, or stand down)."
        )
    if outcome is QuoracyOutcome.PROCEEDED_NOT_QUORATE and result.quorate:
        return (
            "Recorded as proceeding without quorum, but attendance has changed since and the conference is now "
            "quorate: record it as quorate."
        )
    if outcome is QuoracyOutcome.STOOD_DOWN and stood_down_not_quorate and result.quorate:
        return (
            "Stood down as not quorate, but attendance has changed since and the conference is now quorate: "
            "check the attendance, or record the outcome again."
        )
    return ""
