"""Statutory-shaped exports for the authority's performance team."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from chair_app.domain import model as m
from chair_app.domain.enums import ConferenceStatus, MeetingKind, Sex
from chair_app.domain.errors import ChairError
from chair_app.exchange import cin
from chair_app.reports.period import Period, parse_period  # noqa: F401 (for the CLI: no pandas)
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import Policy
from chair_app.services.conferences import write_bytes
from chair_app.store import repository as repo
from chair_app.store.engine import Database

HELD = (ConferenceStatus.HELD, ConferenceStatus.IN_PROGRESS)
SEX = {Sex.MALE: "M", Sex.FEMALE: "F", Sex.NOT_KNOWN: "U"}


def _all(session, cls):
    return [repo.to_record(r, cls) for r in session.scalars(select(repo.RECORD_ROWS[cls]))]


def participation_csv(db: Database, _policy: Policy, period: Period, out: Path) -> str:
    """One row per child at each conference held in the period (unborn children have no code and are left
    out; a code not yet recorded is left empty)."""
    with db.unit_of_work() as session:
        confs = {
            c.id: c for c in _all(session, m.Conference) if c.status in HELD and period.start <= c.held_on <= period.end
        }
        children = {c.id: c for c in _all(session, m.Child)}
        voices = [v for v in _all(session, m.ConferenceChild) if v.conference_id in confs]
    out_rows, no_id = [], 0
    for v in sorted(voices, key=lambda v: (confs[v.conference_id].held_on, str(v.child_id))):
        child = children[v.child_id]
        held = confs[v.conference_id].held_on
        if child.date_of_birth is None or child.date_of_birth > held:
            continue
        no_id += not child.local_child_id
        out_rows.append(
            cin.ParticipationRow(
                child.local_child_id,
                child.date_of_birth,
                held,
                v.participation_code.value if v.participation_code else "",
            )
        )
    out_rows.sort(key=lambda r: (r.review, r.child, r.dob))
    write_bytes(out, cin.participation_csv(out_rows).encode("utf-8"))
    note = f"; {no_id} without a local child ID (CHILD left empty)" if no_id else ""
    return f"Wrote {len(out_rows)} participation rows to {out}{note}"


def cin_xml(db: Database, policy: Policy, period: Period, out: Path) -> str:
    """Children with child protection activity in the period: an initial conference held, or a plan open."""
    cal = WorkingCalendar.from_policy(policy)
    with db.unit_of_work() as session:
        confs = [c for c in _all(session, m.Conference) if c.status in HELD]
        children = {c.id: c for c in _all(session, m.Child)}
        voices = _all(session, m.ConferenceChild)
        history = _all(session, m.PlanHistory)
    by_id = {c.id: c for c in confs}
    conferences_of: dict = defaultdict(list)
    for v in voices:
        if v.conference_id in by_id:
            conferences_of[v.child_id].append(by_id[v.conference_id])
    plans_of: dict = defaultdict(list)
    for p in history:
        plans_of[p.child_id].append(p)

    included, left_out = [], []
    for child_id, child in children.items():
        held = sorted(conferences_of.get(child_id, []), key=lambda c: c.held_on)
        plans = sorted(plans_of.get(child_id, []), key=lambda p: p.started_on)
        initials = [c for c in held if c.kind.is_initial and period.start <= c.held_on <= period.end]
        open_plans = [
            p for p in plans if p.started_on <= period.end and (p.ended_on is None or p.ended_on >= period.start)
        ]
        if not initials and not open_plans:
            continue
        episode = (initials or [c for c in held if c.kind.is_initial] or held or [None])[-1]
        referral = episode.cin_referral_date if episode else None
        if not child.local_child_id or referral is None or episode.referral_source not in cin.REFERRAL_SOURCES:
            missing = [
                name
                for name, ok in (
                    ("local child ID", child.local_child_id),
                    ("CIN referral date", referral),
                    ("referral source", episode and episode.referral_source in cin.REFERRAL_SOURCES),
                )
                if not ok
            ]
            left_out.append((child.full_name, missing))
            continue
        icpc = initials[-1] if initials else None
        s47 = icpc.strategy_discussion_on if icpc else None
        cin_plans = []
        for index, plan in enumerate(plans):
            if plan not in open_plans:
                continue
            reviews = [
                c.held_on
                for c in held
                if c.kind in (MeetingKind.FIRST_REVIEW, MeetingKind.REVIEW)
                and plan.started_on < c.held_on <= (plan.ended_on or period.end)
            ]
            cin_plans.append(
                cin.CinPlan(
                    plan.started_on,
                    plan.ended_on if plan.ended_on and plan.ended_on <= period.end else None,
                    (plan.initial_category.value if plan.initial_category else "MUL"),
                    (plan.latest_category or plan.initial_category).value if plan.initial_category else "MUL",
                    index,
                    reviews,
                )
            )
            if plan.initial_category is None:  # the schema needs a category: leave the plan's child out instead
                left_out.append((child.full_name, ["category of abuse"]))
                cin_plans = None
                break
        if cin_plans is None:
            continue
        included.append(
            cin.CinChild(
                la_child_id=child.local_child_id,
                upn=child.upn,
                birth_date=child.date_of_birth,
                expected_birth_date=child.expected_date_of_birth,
                sex=SEX[child.sex],
                ethnicity=child.ethnicity,
                disability=child.disability,
                referral_date=referral,
                referral_source=episode.referral_source,
                s47_start=s47,
                icpc_target=cal.add_working_days(s47, policy.timescales["initial_conference_working_days"])
                if s47
                else None,
                icpc_date=icpc.held_on if icpc else None,
                plans=cin_plans,
            )
        )
    if not included:
        raise ChairError(
            "export-cin: no child in the period has all the CIN census needs; "
            + (
                f"{len(left_out)} left out, e.g. {left_out[0][0]}: no {', no '.join(left_out[0][1])}"
                if left_out
                else "no child protection activity in the period"
            )
        )
    xml = cin.cin_message(included, policy.lea_code, period.end, datetime.now(UTC))
    problems = cin.schema_problems(xml)
    if problems:  # a fault in Chair, not in the data: refuse rather than hand over an invalid file
        raise ChairError(f"export-cin: the message does not meet the DfE schema ({problems[0]}); nothing was written")
    write_bytes(out, xml)
    lines = [f"Wrote {len(included)} children to {out} (valid against CIN_schema_2026.xsd)"]
    for name, missing in left_out:
        lines.append(f"Left out {name}: no {', no '.join(missing)} recorded")
    return "\n".join(lines)


def referral_sources() -> dict[str, str]:
    """DfE referral source codes and their wording, for the Before step's choice."""
    from chair_app.exchange.cin import referral_source_labels

    return referral_source_labels()
