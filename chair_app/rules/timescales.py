"""Timescales: each due date, whether it was met, by how many working days it was missed, and why.

Every number comes from the policy. A missed timescale needs a recorded reason for delay (the service's
out-of-date log); ``reason_required`` says so until one is recorded.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta

from chair_app.domain.dates import uk_date
from chair_app.domain.enums import ConferenceStatus, DocumentKind, MeetingKind
from chair_app.domain.model import ConferenceBundle
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import Policy


@dataclass(frozen=True)
class TimescaleResult:
    key: str
    label: str
    due: date | None  # None: the fact the due date is counted from is not recorded
    actual: date | None
    met: bool | None  # None: not due yet, or cannot tell
    working_days_late: int
    reason_required: bool
    reason: str
    explanation: str

    @property
    def status_word(self) -> str:
        if self.met is True:
            return "Met"
        if self.met is False:
            return "Missed"
        return "Not yet due" if self.due else "Cannot tell"


def fmt(day: date | None) -> str:
    return uk_date(day, "not recorded")


def _months(start: date, months: int) -> date:
    return start + relativedelta(months=months)


def _judge(
    key: str,
    label: str,
    due: date | None,
    actual: date | None,
    today: date,
    cal: WorkingCalendar,
    reasons: dict[str, str],
    *,
    missing_fact: str = "",
) -> TimescaleResult:
    """Compare ``actual`` with ``due``: the thing must happen on or before ``due``."""
    reason = reasons.get(key, "")
    if due is None:
        return TimescaleResult(
            key, label, None, actual, None, 0, False, reason, f"{label}: cannot tell, {missing_fact} is not recorded."
        )
    if actual is None:
        if today > due:
            late = cal.working_days_between(due, today)
            return TimescaleResult(
                key,
                label,
                due,
                None,
                False,
                late,
                not reason,
                reason,
                f"{label}: due by {fmt(due)}, not done yet ({late} working days overdue).",
            )
        return TimescaleResult(key, label, due, None, None, 0, False, reason, f"{label}: due by {fmt(due)}.")
    if actual <= due:
        return TimescaleResult(
            key, label, due, actual, True, 0, False, reason, f"{label}: met, {fmt(actual)} (due by {fmt(due)})."
        )
    late = max(1, cal.working_days_between(due, actual))
    return TimescaleResult(
        key,
        label,
        due,
        actual,
        False,
        late,
        not reason,
        reason,
        f"{label}: missed by {late} working day{'s' if late != 1 else ''}, {fmt(actual)} (due by {fmt(due)}).",
    )


def conference_due_date(bundle: ConferenceBundle, policy: Policy, previous_held_on: date | None = None) -> date | None:
    """When this conference should have been held at the latest."""
    c = bundle.conference
    cal = WorkingCalendar.from_policy(policy)
    t = policy.timescales
    if c.kind in (MeetingKind.INITIAL, MeetingKind.INITIAL_PRE_BIRTH, MeetingKind.RECONVENED_INITIAL):
        if c.strategy_discussion_on is None:
            return None
        return cal.add_working_days(c.strategy_discussion_on, t["initial_conference_working_days"])
    if c.kind is MeetingKind.TRANSFER_IN:
        if c.transfer_notified_on is None:
            return None
        return cal.add_working_days(c.transfer_notified_on, t["transfer_in_working_days"])
    if previous_held_on is None:
        return None
    months = t["first_review_months"] if c.kind is MeetingKind.FIRST_REVIEW else t["review_months"]
    due = cal.roll(_months(previous_held_on, months), policy.deadline_roll)
    born = born_since(bundle, previous_held_on) if c.kind is MeetingKind.FIRST_REVIEW else None
    if born is not None:  # after a pre-birth conference: the earlier of N working days after the birth and 3 months
        due = min(due, cal.add_working_days(born, t["pre_birth_first_review_working_days_after_birth"]))
    return due


def born_since(bundle: ConferenceBundle, previous_held_on: date) -> date | None:
    """The first birth, among the children this conference considers, after the earlier conference: the
    child was unborn then (a pre-birth conference). None when no considered child was born since."""
    births = [
        ch.date_of_birth
        for ch in bundle.considered_children()
        if ch.date_of_birth is not None and ch.date_of_birth > previous_held_on
    ]
    return min(births, default=None)


def pre_birth_due(bundle: ConferenceBundle, policy: Policy) -> date | None:
    """A pre-birth conference by the policy's week of pregnancy: the earliest expected date of birth less the
    weeks from that week to 40, moved off a non-working day. None when no expected date is recorded."""
    due_dates = [ch.expected_date_of_birth for ch in bundle.considered_children() if ch.expected_date_of_birth]
    if not due_dates:
        return None
    weeks_before = 40 - policy.timescales["pre_birth_conference_week"]
    cal = WorkingCalendar.from_policy(policy)
    return cal.roll(min(due_dates) - timedelta(weeks=weeks_before), policy.deadline_roll)


def linked_timescales(
    bundle: ConferenceBundle, policy: Policy, today: date, previous_held_on: date | None
) -> list[TimescaleResult]:
    """The timescales that depend on another meeting than the conference's own facts (issue 13): a pre-birth
    conference by the policy's week of pregnancy, a re-convened initial conference within the policy's
    working days of the one that was not quorate (its previous conference), and on a review the first core group
    held within the policy's working days of the conference before (``first_core_group``).

    Core groups are recorded on the review they report to, so the first core group after a conference that
    made or continued a plan is judged on that conference's review: due the policy's working days after the
    conference before, held on the earliest core group the review records; a reason for delay is recorded on
    the review too (a delay reason ``first_core_group``), since the conference before is usually finalised by
    the time the core group is late."""
    c = bundle.conference
    cal = WorkingCalendar.from_policy(policy)
    t = policy.timescales
    reasons = {d.measure: d.reason for d in bundle.delay_reasons}
    held = c.held_on if c.status in (ConferenceStatus.HELD, ConferenceStatus.IN_PROGRESS) else None
    out = []
    if c.kind is MeetingKind.INITIAL_PRE_BIRTH:
        week = t["pre_birth_conference_week"]
        out.append(
            _judge(
                "pre_birth_conference",
                f"Pre-birth conference by week {week} of pregnancy",
                pre_birth_due(bundle, policy),
                held,
                today,
                cal,
                reasons,
                missing_fact="the expected date of birth",
            )
        )
    if c.kind is MeetingKind.RECONVENED_INITIAL:
        wd = t["reconvened_initial_working_days"]
        out.append(
            _judge(
                "reconvened_initial",
                f"Re-convened within {wd} working days of the conference that was not quorate",
                cal.add_working_days(previous_held_on, wd) if previous_held_on else None,
                held,
                today,
                cal,
                reasons,
                missing_fact="the date of the conference that was not quorate",
            )
        )
    if c.kind in (MeetingKind.FIRST_REVIEW, MeetingKind.REVIEW):
        out.append(first_core_group(bundle, policy, today, previous_held_on))
    return out


def first_core_group(
    bundle: ConferenceBundle, policy: Policy, today: date, previous_held_on: date | None
) -> TimescaleResult:
    """The first core group after the conference before this review: held (not only suggested) within the policy's
    working days of it. Judged on the review, which records the core groups that report to it."""
    cal = WorkingCalendar.from_policy(policy)
    wd = policy.timescales["first_core_group_working_days"]
    held = min((g.held_on for g in bundle.core_groups), default=None)
    c = bundle.conference
    if c.status in (ConferenceStatus.HELD, ConferenceStatus.IN_PROGRESS):
        today = min(today, c.held_on)  # none recorded by the review: late until the review, not until today
    return _judge(
        "first_core_group",
        f"First core group held within {wd} working days of the conference before",
        cal.add_working_days(previous_held_on, wd) if previous_held_on else None,
        held,
        today,
        cal,
        {d.measure: d.reason for d in bundle.delay_reasons},
        missing_fact="the date of the conference before",
    )


def decision_letter_sent_on(bundle: ConferenceBundle) -> date | None:
    """When the chair's decision letter first left the app: the earliest letter sent (its distribution date,
    else the day it was produced), or None when no letter was made."""
    days = [
        d.distributed_on or d.produced_at.date() for d in bundle.documents if d.kind is DocumentKind.DECISION_LETTER
    ]
    return min(days, default=None)


def reconvene_by(stood_down_on: date, kind: MeetingKind, policy: Policy) -> date:
    """The latest date a stood-down conference is re-convened on: the policy's working days after the day it
    was stood down (an initial conference's, or a review's)."""
    key = "reconvened_initial_working_days" if kind.is_initial else "reconvened_review_working_days"
    return WorkingCalendar.from_policy(policy).add_working_days(stood_down_on, policy.timescales[key])


def conference_timescales(
    bundle: ConferenceBundle, policy: Policy, today: date, previous_held_on: date | None = None
) -> list[TimescaleResult]:
    """All timescales of one conference, in the order a clerk works through them."""
    c = bundle.conference
    cal = WorkingCalendar.from_policy(policy)
    t = policy.timescales
    reasons = {d.measure: d.reason for d in bundle.delay_reasons}
    initial = c.kind.is_initial
    held = c.status in (ConferenceStatus.HELD, ConferenceStatus.IN_PROGRESS)
    results = []

    if c.kind is MeetingKind.TRANSFER_IN:
        fact = "the date of the transfer notification"
    elif initial:
        fact = "the strategy discussion date"
    else:
        fact = "the previous conference date"
    results.append(
        _judge(
            "conference",
            "Conference held within timescale",
            conference_due_date(bundle, policy, previous_held_on),
            c.held_on if held else None,
            today,
            cal,
            reasons,
            missing_fact=fact,
        )
    )
    results += linked_timescales(bundle, policy, today, previous_held_on)

    parents_wd = t["report_to_parents_initial_working_days" if initial else "report_to_parents_review_working_days"]
    chair_wd = t["report_to_chair_initial_working_days" if initial else "report_to_chair_review_working_days"]
    results.append(
        _judge(
            "report_to_parents",
            f"Report shared with parents {parents_wd} working day{'s' if parents_wd != 1 else ''} before",
            cal.add_working_days(c.held_on, -parents_wd),
            c.report_to_parents_on,
            today,
            cal,
            reasons,
        )
    )
    results.append(
        _judge(
            "report_to_chair",
            f"Report with the chair {chair_wd} working day{'s' if chair_wd != 1 else ''} before",
            cal.add_working_days(c.held_on, -chair_wd),
            c.report_to_chair_on,
            today,
            cal,
            reasons,
        )
    )
    if held:
        if bundle.decisions:
            results.append(
                _judge(
                    "decision_letter",
                    "Decision letter to the parents",
                    cal.add_working_days(c.held_on, t["decision_letter_working_days"]),
                    decision_letter_sent_on(bundle),
                    today,
                    cal,
                    reasons,
                )
            )
        results.append(
            _judge(
                "record_distributed",
                "Record distributed",
                cal.add_working_days(c.held_on, t["record_distribution_working_days"]),
                c.record_distributed_on,
                today,
                cal,
                reasons,
            )
        )
        # The ceiling is reported apart; the reason for delay recorded for the record covers it too.
        ceiling = _judge(
            "record_ceiling",
            f"Record distributed within the ceiling of {t['record_ceiling_working_days']} working days",
            cal.add_working_days(c.held_on, t["record_ceiling_working_days"]),
            c.record_distributed_on,
            today,
            cal,
            {"record_ceiling": reasons.get("record_distributed", "")},
        )
        results.append(dataclasses.replace(ceiling, reason_required=False))
        if any(d.outcome.value in ("plan", "continue") for d in bundle.decisions):
            results.append(
                _judge(
                    "plan_distributed",
                    "Child protection plan distributed",
                    cal.add_working_days(c.held_on, t["plan_distribution_working_days"]),
                    c.plan_distributed_on,
                    today,
                    cal,
                    reasons,
                )
            )
    return results


@dataclass(frozen=True)
class NextDates:
    first_core_group: date
    next_review: date
    explanation: str


def next_dates(held_on: date, kind: MeetingKind, policy: Policy) -> NextDates:
    """Suggested first core group and next review dates after a conference that decided on a plan."""
    cal = WorkingCalendar.from_policy(policy)
    t = policy.timescales
    core = cal.add_working_days(held_on, t["first_core_group_working_days"])
    months = t["first_review_months"] if kind.is_initial else t["review_months"]
    raw_review = _months(held_on, months)
    review = cal.roll(raw_review, policy.meeting_roll)
    moved = (
        ""
        if review == raw_review
        else (f" ({fmt(raw_review)} is not a working day: {cal.holiday_name(raw_review) or 'a weekend'})")
    )
    return NextDates(
        core,
        review,
        f"First core group within {t['first_core_group_working_days']} working days: by {fmt(core)}. "
        f"Next review within {months} months: {fmt(review)}{moved}.",
    )


@dataclass(frozen=True)
class PlanLengthFlag:
    months_open: int
    exit_planning_review: bool
    long_plan: bool
    explanation: str


def plan_length(started_on: date, on: date, policy: Policy) -> PlanLengthFlag:
    delta = relativedelta(on, started_on)
    months = delta.years * 12 + delta.months
    exit_m = policy.timescales["exit_planning_review_months"]
    long_m = policy.timescales["long_plan_months"]
    long_plan = on > _months(started_on, long_m)
    exit_review = on >= _months(started_on, exit_m)
    if long_plan:
        text = f"Plan open {months} months: over {long_m} months, a long plan."
    elif exit_review:
        text = f"Plan open {months} months: {exit_m} months reached, hold an exit-planning review."
    else:
        text = f"Plan open {months} months."
    return PlanLengthFlag(months, exit_review, long_plan, text)
