"""Core groups (issue 13, Build 4): each core group meeting between conferences, recorded on the review it reports
to: the date, who came, progress against each action of the plan, and the group's concerns.

The first core group is due within the policy's working days of the conference that made (or continued) the
plan, later ones at the policy's interval after the last one held; the review's Before step and
``chair-app show`` list them with those dates. Recording one is one unit of work on the review's record (its
version counts it; refused once the review is finalised), journaled like every edit.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, timedelta

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.errors import InvalidInput
from chair_app.rules import inputs
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import Policy
from chair_app.store import repository as repo
from chair_app.store.engine import Database
from chair_app.store.journal import current_user


@dataclass(frozen=True)
class ActionProgress:
    action_id: uuid.UUID
    progress: str  # one of m.PROGRESS, or "" (not discussed)
    note: str = ""


def record_core_group(
    db: Database,
    ref: str,
    held_on: date,
    policy: Policy,
    *,
    who_came: str = "",
    concerns: str = "",
    progress: list[ActionProgress] = (),
    who: str | None = None,
    today: date | None = None,
) -> m.CoreGroup:
    """Record a core group meeting on review ``ref`` (the conference the group reports to)."""
    from chair_app.services.recording import _conference as editable

    today = today or date.today()
    if held_on > today:
        raise InvalidInput(f"Date: {uk_date(held_on)} is in the future; record a core group once it has met")
    problem = inputs.conference_date_problem(held_on, policy, today)
    if problem:
        raise InvalidInput(f"Date: {problem}")
    for name, value in (("Who came", who_came), ("Concerns", concerns), *(("Note", p.note) for p in progress)):
        problem = inputs.text_problem("concerns", value)
        if problem:
            raise InvalidInput(f"{name}: {problem}")
    for p in progress:
        if p.progress and p.progress not in m.PROGRESS:
            raise InvalidInput("Progress: choose one of: " + "; ".join(m.PROGRESS.values()))
    with db.unit_of_work("record_core_group", who=who or current_user()) as session:
        row = repo.get_conference_row(session, ref)
        conf = editable(session, row.id, who or current_user())
        bundle = repo.load_bundle(session, conf.id)
        if conf.previous_conference_id is None:
            raise InvalidInput(
                f"REF: {m.short_ref(conf.id)} follows on from no conference here; a core group is recorded on the "
                "review it reports to (convene the review first: chair-app convene REF)"
            )
        actions = {a.id for a in bundle.actions}
        for p in progress:
            if p.action_id not in actions:
                raise InvalidInput("Progress: that action is not in this review's plan; refresh and try again")
        group = m.CoreGroup(
            conference_id=conf.id,
            held_on=held_on,
            who_came=who_came.strip(),
            concerns=concerns.strip(),
            position=len(bundle.core_groups),
        )
        session.add(repo.to_row(group))
        session.flush()
        session.add_all(
            repo.to_row(
                m.CoreGroupProgress(
                    conference_id=conf.id,
                    core_group_id=group.id,
                    action_id=p.action_id,
                    progress=p.progress,
                    note=p.note.strip(),
                )
            )
            for p in progress
            if p.progress or p.note.strip()
        )
    return group


def numbered_actions(bundle: m.ConferenceBundle) -> str:
    """The review's actions numbered as `chair-app core-group --progress N=...` takes them."""
    numbered = "; ".join(f"{n}. {a.what}" for n, a in enumerate(plan_actions(bundle), 1) if a.what.strip())
    return f"  Actions of the plan (for chair-app core-group --progress N=...): {numbered}" if numbered else ""


def plan_actions(bundle: m.ConferenceBundle) -> list[m.PlanAction]:
    """The review's plan actions in their order: what core groups report progress on."""
    return sorted(bundle.actions, key=lambda a: (a.position, a.created_at))


@dataclass(frozen=True)
class CoreGroupDates:
    first_due: date  # within the policy's working days of the earlier conference
    first_held: date | None
    next_due: date  # the policy's interval after the last one held (or the first's due date)


def core_group_dates(bundle: m.ConferenceBundle, previous_held_on: date, policy: Policy) -> CoreGroupDates:
    """When the core groups before this review were due: the first within the policy's working days of the
    conference before, each later one within the policy's weeks of the last one held."""
    cal = WorkingCalendar.from_policy(policy)
    t = policy.timescales
    first_due = cal.add_working_days(previous_held_on, t["first_core_group_working_days"])
    held = sorted(g.held_on for g in bundle.core_groups)
    last = held[-1] if held else None
    next_due = (
        cal.roll(last + timedelta(weeks=t["core_group_interval_weeks"]), policy.meeting_roll) if last else first_due
    )
    return CoreGroupDates(first_due, held[0] if held else None, next_due)


def core_group_lines(bundle: m.ConferenceBundle, previous_held_on: date | None, policy: Policy) -> list[str]:
    """The core groups before this review, as `chair-app show` and the Before step list them."""
    if previous_held_on is None:
        return []
    dates = core_group_dates(bundle, previous_held_on, policy)
    t = policy.timescales
    first = f"First core group due by {uk_date(dates.first_due)} ({t['first_core_group_working_days']} working days)"
    if dates.first_held is None:
        out = [f"  {first}: none recorded yet."]
    else:
        met = "met" if dates.first_held <= dates.first_due else "missed"
        out = [f"  {first}: held {uk_date(dates.first_held)}, {met}."]
    actions = {a.id: a for a in bundle.actions}
    for g in sorted(bundle.core_groups, key=lambda g: (g.held_on, g.position)):
        came = ", ".join(line.strip() for line in g.who_came.splitlines() if line.strip()) or "not recorded"
        out.append(f"  Core group {uk_date(g.held_on)}: came: {came}")
        for p in (p for p in bundle.core_group_progress if p.core_group_id == g.id):
            what = actions[p.action_id].what if p.action_id in actions else "an action since removed"
            mark = m.PROGRESS.get(p.progress, "Not discussed")
            out.append(f"    {what}: {mark}" + (f" ({p.note})" if p.note else ""))
        if g.concerns:
            out.append(f"    Concerns: {g.concerns}")
    if bundle.core_groups:
        weeks = t["core_group_interval_weeks"]
        out.append(f"  Next core group due by {uk_date(dates.next_due)} (within {weeks} weeks of the last)")
    return out
