"""What the rules say about one stored conference: quoracy, timeliness, participation, decisions, next dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import ConferenceStatus, Outcome, QuoracyOutcome
from chair_app.rules import participation, quoracy
from chair_app.rules.ages import age_text
from chair_app.rules.decisions import RepeatFacts, check_decision, read_scale, repeat_facts
from chair_app.rules.policy import Policy
from chair_app.rules.timescales import NextDates, TimescaleResult, conference_timescales, next_dates, plan_length
from chair_app.services.conferences import load, previous_conference
from chair_app.store.engine import Database


@dataclass(frozen=True)
class ChildOverview:
    child: m.Child
    age: str
    allowed_codes: tuple[str, ...]
    code_problem: str | None
    advocacy_problem: str | None  # the participation code and the advocacy answer disagree
    advocacy: str
    repeat: RepeatFacts | None
    decision: m.Decision | None
    decision_problems: tuple[str, ...]
    plan_length: str  # for a child on a plan already: how long, and the 9 / 18 month flags


@dataclass(frozen=True)
class Overview:
    bundle: m.ConferenceBundle
    quoracy: quoracy.QuoracyResult
    timescales: tuple[TimescaleResult, ...]
    children: tuple[ChildOverview, ...]
    next_dates: NextDates | None
    escalations: tuple[str, ...]
    recorded: tuple[str, ...] = ()  # what the chair recorded about going ahead: quorate, proceeded, stood down


def recorded_outcome(c: m.Conference, policy: Policy) -> tuple[str, ...]:
    """The outcome the chair recorded (beside what the attendance now says), with its rationale or reason."""
    out: list[str] = []
    if c.quoracy_outcome is QuoracyOutcome.QUORATE:
        out.append("Recorded: quorate.")
    elif c.quoracy_outcome is QuoracyOutcome.PROCEEDED_NOT_QUORATE:
        out.append("Recorded: proceeded without quorum.")
        out.append(f"Chair's rationale: {c.quoracy_rationale or 'not recorded'}")
    if c.status is ConferenceStatus.STOOD_DOWN or c.quoracy_outcome is QuoracyOutcome.STOOD_DOWN:
        reason = policy.stood_down_reasons.get(c.stood_down_reason, c.stood_down_reason) or "reason not recorded"
        out.append(f"Stood down: {reason}" + (f". {c.stood_down_note}" if c.stood_down_note else ""))
        if c.reconvene_on or c.interim_arrangement:  # issue 20: the new date and the arrangement until then
            out.append(f"Re-convened on: {uk_date(c.reconvene_on, 'not set')}")
            out.append(f"Until then: {c.interim_arrangement or 'not recorded'}")
    return tuple(out)


def overview(bundle: m.ConferenceBundle, policy: Policy, today: date, previous: m.Conference | None = None) -> Overview:
    c = bundle.conference
    attendees = quoracy.attendees_from(bundle.invitations, bundle.people)
    q = quoracy.assess(
        attendees,
        c.kind,
        policy,
        previous_was_inquorate=previous is not None
        and previous.quoracy_outcome is not QuoracyOutcome.QUORATE
        and previous.quoracy_outcome is not QuoracyOutcome.NOT_ASSESSED,
    )
    timescales = conference_timescales(bundle, policy, today, previous.held_on if previous else None)
    decisions = {d.child_id: d for d in bundle.decisions}
    voices = {cc.child_id: cc for cc in bundle.conference_children}
    kids = []
    for child in bundle.considered_children():
        dob = child.date_of_birth
        voice = voices[child.id]
        decision = decisions.get(child.id)
        repeat = None
        if decision and decision.outcome is Outcome.PLAN:
            repeat = repeat_facts(bundle.plan_history, child.id, c.held_on)
        open_plans = [
            p
            for p in bundle.plan_history
            if p.child_id == child.id and p.ended_on is None and p.started_on <= c.held_on
        ]
        length = plan_length(min(p.started_on for p in open_plans), c.held_on, policy) if open_plans else None
        kids.append(
            ChildOverview(
                child=child,
                age=age_text(dob, c.held_on, child.expected_date_of_birth),
                allowed_codes=tuple(x.value for x in participation.allowed_codes(dob, c.held_on)),
                code_problem=participation.check_code(voice.participation_code, dob, c.held_on),
                advocacy_problem=participation.check_advocacy(voice.participation_code, voice.advocacy_offered),
                advocacy=_advocacy(voice, participation.advocacy_prompt(dob, c.held_on, policy).explanation),
                repeat=repeat,
                decision=decision,
                decision_problems=tuple(check_decision(decision, c.kind, policy, repeat=repeat)) if decision else (),
                plan_length=length.explanation if length else "",
            )
        )
    plan_made = any(d.outcome in (Outcome.PLAN, Outcome.CONTINUE) for d in bundle.decisions)
    dates = next_dates(c.held_on, c.kind, policy) if plan_made else None
    scores = [p.scale for p in bundle.pairs if p.scale is not None]
    if c.overall_scale is not None:
        scores.append(c.overall_scale)
    readings = [read_scale(score, policy) for score in scores]
    escalations = tuple(dict.fromkeys(r.explanation for r in readings if r.escalate))
    return Overview(bundle, q, tuple(timescales), tuple(kids), dates, escalations, recorded_outcome(c, policy))


def _advocacy(voice: m.ConferenceChild, prompt: str) -> str:
    """The advocacy answer when there is one, else the prompt to record it (when the policy's age says so)."""
    if voice.advocacy_offered is None:
        return prompt
    said = "Advocacy offered" if voice.advocacy_offered else "Advocacy not offered"
    return f"{said}: {voice.advocacy_note}" if voice.advocacy_note else f"{said}."


def conference_overview(db: Database, ref: str, policy: Policy, today: date) -> Overview:
    from chair_app.services.journal import note_event
    from chair_app.services.signoff import amended

    bundle = amended(load(db, ref))  # a finalised record as amended since sign-off
    note_event(db, bundle.conference.id, "show")
    return overview(bundle, policy, today, previous_conference(db, bundle))


def _d(day: date | None) -> str:
    return uk_date(day, "-")


def overview_lines(ov: Overview) -> list[str]:
    """The conference as text: what `chair-app show` prints and the window's summary shows."""
    b = ov.bundle
    c = b.conference
    out = [
        f"{c.ref}  {c.kind.label}",
        f"Family:     {b.family.name}",
        f"Date:       {_d(c.held_on)}{' at ' + c.start_time.strftime('%H:%M') if c.start_time else ''}, "
        f"{'remote' if c.remote else c.venue or 'venue not recorded'}",
        f"Chair:      {c.chair or '-'}    Minutes: {c.minute_taker or '-'}",
        f"Status:     {c.status.value.replace('_', ' ')}; record {c.record_status.value.replace('_', ' ')} "
        f"(version {c.version})",
        "",
        "Children",
    ]
    for k in ov.children:
        d = k.decision
        line = f"  {k.child.full_name} ({k.age})"
        voice = next(v for v in b.conference_children if v.child_id == k.child.id)
        if voice.participation_code:
            line += f", {voice.participation_code.value}"
        if d:
            cat = d.initial_category if d.outcome.value == "plan" else d.latest_category
            line += f": {d.outcome.value.replace('_', ' ')}" + (f", {cat.label.lower()}" if cat else "")
        out.append(line)
        for note in (
            k.plan_length,
            k.code_problem,
            k.advocacy_problem,
            k.advocacy,
            k.repeat.explanation if k.repeat else None,
            *k.decision_problems,
        ):
            if note:
                out.append(f"    {note}")
    out += ["", "Attendance"]
    people = {p.id: p for p in b.people}
    for inv in sorted(b.invitations, key=lambda i: i.position):
        p = people[inv.person_id]
        mode = f" ({inv.mode.value.replace('_', ' ')})" if inv.mode else ""
        report = ", report" if inv.report_submitted else ""
        out.append(f"  {p.name:<24} {p.role[:30]:<30} {inv.status.value.replace('_', ' ')}{mode}{report}")
    out += ["", ov.quoracy.explanation, *ov.recorded, "", "Timescales"]
    for t in ov.timescales:
        out.append(f"  {t.explanation}")
        if t.reason_required:
            out.append("    A reason for delay is needed.")
        elif t.reason:
            out.append(f"    Reason for delay: {t.reason}")
    if ov.next_dates:
        out += [
            "",
            "Next dates",
            f"  First core group: {_d(c.first_core_group_on)}; next review: {_d(c.next_review_on)}",
            f"  {ov.next_dates.explanation}",
        ]
    for e in ov.escalations:
        out += ["", e]
    if c.record_status.value == "finalised":
        from chair_app.services.signoff import amendment_lines

        when = f" on {uk_date(c.finalised_at.date())}" if c.finalised_at else ""
        out += ["", f"Signed off by {c.signed_off_by or '-'}{when}"]
        out += [f"  Amendment: {line}" for line in amendment_lines(b)]
    return out
