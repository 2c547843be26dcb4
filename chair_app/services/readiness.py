"""What is still missing before a conference record can go for sign-off: the Close step's checklist."""

from __future__ import annotations

from datetime import date

from chair_app.domain import model as m
from chair_app.domain.enums import AttendanceStatus, ConferenceStatus, Outcome, QuoracyOutcome
from chair_app.rules import participation
from chair_app.rules.policy import Policy
from chair_app.rules.timescales import conference_timescales


def missing_before_sign_off(
    bundle: m.ConferenceBundle, policy: Policy, today: date, previous_held_on: date | None = None
) -> list[str]:
    """Each gap as one line a clerk can act on, in the order of the meeting; empty when nothing is missing."""
    c = bundle.conference
    gaps: list[str] = []
    if c.status is ConferenceStatus.STOOD_DOWN:
        return [] if c.stood_down_reason else ["Stood down: record the reason"]
    people = {p.id: p for p in bundle.people}
    unknown = [people[i.person_id].name for i in bundle.invitations if i.status is AttendanceStatus.INVITED]
    if unknown:
        gaps.append(f"Attendance: not recorded for {len(unknown)} invitee(s), e.g. {unknown[0]}")
    if c.quoracy_outcome is QuoracyOutcome.NOT_ASSESSED:
        gaps.append("Quoracy: record the conference as quorate, or proceed with a rationale")
    if not any(i.text.strip() for i in bundle.mapping_items):
        gaps.append("Mapping: nothing recorded yet")
    if not bundle.pairs:
        gaps.append("Mapping: no danger statement and safety goal")
    elif any(p.scale is None for p in bundle.pairs):
        gaps.append("Mapping: a danger statement has no agreed scale")
    voices = {v.child_id: v for v in bundle.conference_children}
    decisions = {d.child_id: d for d in bundle.decisions}
    for child in bundle.considered_children():
        voice = voices[child.id]
        unborn = participation.is_unborn(child.date_of_birth, c.held_on)
        if not unborn and voice.participation_code is None:
            gaps.append(f"Child's voice: no participation code for {child.full_name}")
        if child.id not in decisions:
            gaps.append(f"Decision: none recorded for {child.full_name}")
    plans = [d for d in bundle.decisions if d.outcome in (Outcome.PLAN, Outcome.CONTINUE)]
    if plans:
        if not [a for a in bundle.actions if a.what.strip()]:
            gaps.append("Plan: add at least one action (what, who, by when)")
        if not any(i.core_group_member for i in bundle.invitations):
            gaps.append("Plan: choose the core group members")
        if c.next_review_on is None:
            gaps.append("Plan: set the next review date")
    for result in conference_timescales(bundle, policy, today, previous_held_on):
        if result.reason_required and not result.reason:
            gaps.append(f"Timescales: {result.label} was missed; record the reason for the delay")
    return gaps
