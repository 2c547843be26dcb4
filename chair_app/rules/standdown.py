"""Standing a conference down: the new date it is re-convened on and the interim arrangement until then.

Default (policy): an initial conference re-convened within 10 working days, a review within 20, with an interim
arrangement recorded (Sussex: an inquorate initial conference is re-dated within 10 working days with an
interim protection plan). Reasons after which the conference is not re-convened here (e.g. it should have been a
transfer-in elsewhere) need no new date.
"""

from __future__ import annotations

from datetime import date

from chair_app.domain.dates import uk_date
from chair_app.domain.enums import MeetingKind
from chair_app.rules.policy import Policy
from chair_app.rules.timescales import reconvene_by


def reconvene_words(kind: MeetingKind, policy: Policy) -> str:
    key = "reconvened_initial_working_days" if kind.is_initial else "reconvened_review_working_days"
    n = policy.timescales[key]
    what = "an initial conference" if kind.is_initial else "a review"
    return f"{what} is re-convened within {n} working day{'s' if n != 1 else ''}"


def stand_down_problems(
    kind: MeetingKind,
    stood_down_on: date,
    reason: str,
    reconvene_on: date | None,
    interim_arrangement: str,
    policy: Policy,
) -> list[str]:
    """Every thing missing or wrong in a stand-down, each one line naming the field and the fix."""
    problems = []
    if reason not in policy.stood_down_reasons:
        problems.append("reason: choose one of: " + "; ".join(policy.stood_down_reasons.values()))
    latest = reconvene_by(stood_down_on, kind, policy)
    if reconvene_on is None:
        if reason not in policy.stand_down.no_new_date_reasons:
            problems.append(
                f"new date: say when the conference is re-convened; {reconvene_words(kind, policy)}, "
                f"so by {uk_date(latest)}"
            )
    elif reconvene_on <= stood_down_on:
        problems.append(f"new date: choose a day after {uk_date(stood_down_on)}, the day it was stood down")
    elif reconvene_on > latest:
        problems.append(f"new date: {reconvene_words(kind, policy)}, so by {uk_date(latest)}; choose a date by then")
    if policy.stand_down.interim_arrangement_required and not interim_arrangement.strip():
        problems.append(
            "interim arrangement: say what keeps the child safe until the conference is re-convened "
            "(e.g. the safety plan from the strategy discussion, or the current plan continues)"
        )
    return problems
