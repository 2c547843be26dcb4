"""What is still missing before a conference record can go for sign-off: the Close step's checklist.

Each gap names the thing that is missing (which person, which danger statement, which child) and where it is
put right: the step of the workspace and, when there is one, the record to choose there.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceStatus, ConferenceStatus, Outcome, QuoracyOutcome
from chair_app.rules import agreements, participation, quoracy
from chair_app.rules.policy import Policy
from chair_app.rules.timescales import conference_timescales


@dataclass(frozen=True)
class Gap:
    """One missing thing: the line a clerk reads, the step where it is put right, and the record to choose."""

    text: str
    step: str  # a workspace step: before, welcome, mapping, voice, decision, plan, close
    record: type[m.Record] | None = None
    record_id: uuid.UUID | None = None
    kind: str = ""  # one of rules.policy.SIGN_OFF_GAP_KINDS: the policy says which kinds stop sign-off


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def gaps_before_sign_off(
    bundle: m.ConferenceBundle,
    policy: Policy,
    today: date,
    previous_held_on: date | None = None,
    previous_outcome: QuoracyOutcome | None = None,
) -> list[Gap]:
    """Every gap, in the order of the meeting; empty when nothing is missing."""
    c = bundle.conference
    gaps: list[Gap] = []
    result = quoracy.assess_conference(bundle, policy, previous_outcome)
    stale = quoracy.recorded_outcome_stale(
        c.quoracy_outcome, result, stood_down_not_quorate=c.stood_down_reason == "not_quorate"
    )
    if c.status is ConferenceStatus.STOOD_DOWN:
        if not c.stood_down_reason:
            gaps.append(Gap("Stood down: record the reason", "welcome", kind="stood_down_reason"))
        if stale:
            gaps.append(Gap(f"Quoracy: {stale}", "welcome", kind="quoracy"))
        return gaps
    people = {p.id: p for p in bundle.people}
    for inv in sorted(bundle.invitations, key=lambda i: (i.position, i.created_at)):
        if inv.status is AttendanceStatus.INVITED:
            person = people.get(inv.person_id)
            name = person.name if person else "an invitee"
            gaps.append(Gap(f"Attendance: not recorded for {name}", "welcome", m.Invitation, inv.id, "attendance"))
    if c.quoracy_outcome is QuoracyOutcome.NOT_ASSESSED:
        gaps.append(
            Gap("Quoracy: record the conference as quorate, or proceed with a rationale", "welcome", kind="quoracy")
        )
    elif stale:
        gaps.append(Gap(f"Quoracy: {stale}", "welcome", kind="quoracy"))
    if not any(i.text.strip() for i in bundle.mapping_items):
        gaps.append(Gap("Mapping: nothing recorded yet", "mapping", kind="mapping"))
    if not bundle.pairs:
        gaps.append(Gap("Mapping: no danger statement and safety goal", "mapping", kind="mapping"))
    for n, pair in enumerate(sorted(bundle.pairs, key=lambda p: (p.position, p.created_at)), start=1):
        if pair.scale is None:
            words = (
                f'"{_short(pair.danger_statement)}"' if pair.danger_statement.strip() else f"number {n} (no words yet)"
            )
            gaps.append(
                Gap(
                    f"Mapping: danger statement {words} has no agreed scale",
                    "mapping",
                    m.DangerGoalPair,
                    pair.id,
                    "scale",
                )
            )
    voices = {v.child_id: v for v in bundle.conference_children}
    decisions = {d.child_id: d for d in bundle.decisions}
    for child in bundle.considered_children():
        voice = voices[child.id]
        unborn = participation.is_unborn(child.date_of_birth, c.held_on)
        if not unborn and voice.participation_code is None:
            gaps.append(
                Gap(
                    f"Child's voice: no participation code for {child.full_name}",
                    "voice",
                    m.Child,
                    child.id,
                    "participation",
                )
            )
        if child.id not in decisions:
            gaps.append(
                Gap(f"Decision: none recorded for {child.full_name}", "decision", m.Child, child.id, "decision")
            )
    plans = [d for d in bundle.decisions if d.outcome in (Outcome.PLAN, Outcome.CONTINUE)]
    if plans:
        if not [a for a in bundle.actions if a.what.strip()]:
            gaps.append(Gap("Plan: add at least one action (what, who, by when)", "plan", kind="plan"))
        if not any(i.core_group_member for i in bundle.invitations):
            gaps.append(Gap("Plan: choose the core group members", "plan", kind="plan"))
        if c.next_review_on is None:
            gaps.append(Gap("Plan: set the next review date", "plan", kind="plan"))
    for t in conference_timescales(bundle, policy, today, previous_held_on):
        if t.reason_required and not t.reason:
            gaps.append(
                Gap(f"Timescales: {t.label} was missed; record the reason for the delay", "before", kind="timescales")
            )
    gaps += [Gap(line, "decision", kind="decision") for line in agreements.missing(bundle, policy)]  # issue 14
    children = {ch.id: ch.full_name for ch in bundle.children}
    for d in bundle.decisions:  # an escalated dissent still waiting for the senior chair's answer
        if d.dissent_route == "escalated" and d.dissent_by.strip() and d.dissent_answered_on is None:
            who, child = d.dissent_by.strip(), children.get(d.child_id, "a child")
            words = f"Dissent: the senior chair's answer to {who}'s escalated dissent for {child} is not recorded"
            gaps.append(Gap(words, "decision", m.Child, d.child_id, "dissent"))
    return gaps


def missing_before_sign_off(
    bundle: m.ConferenceBundle,
    policy: Policy,
    today: date,
    previous_held_on: date | None = None,
    previous_outcome: QuoracyOutcome | None = None,
) -> list[str]:
    """Each gap as one line a clerk can act on, in the order of the meeting; empty when nothing is missing."""
    return [g.text for g in gaps_before_sign_off(bundle, policy, today, previous_held_on, previous_outcome)]


def blocking(gaps: list[Gap], policy: Policy) -> list[Gap]:
    """The gaps that stop the record being signed off (the policy's [sign_off] blocking); the rest only warn."""
    return [g for g in gaps if g.kind in policy.sign_off_blocking]
