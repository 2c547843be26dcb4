"""The chair's decision for each child, repeat-plan facts derived from history, and the 0-10 scales."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from dateutil.relativedelta import relativedelta

from chair_app.domain.dates import uk_date
from chair_app.domain.enums import Category, MeetingKind, Outcome
from chair_app.domain.model import Decision, PlanHistory
from chair_app.rules.policy import Policy

INITIAL_OUTCOMES = (Outcome.PLAN, Outcome.NO_PLAN)
REVIEW_OUTCOMES = (Outcome.CONTINUE, Outcome.END)
SINGLE_CATEGORIES = (Category.NEG, Category.PHY, Category.EMO, Category.SAB)


@dataclass(frozen=True)
class RepeatFacts:
    previous_plans: int
    last_ended_on: date | None
    band: str | None  # "Within 6 months", "6 to 12 months", "1 to 2 years", "Over 2 years"
    explanation: str

    @property
    def is_repeat(self) -> bool:
        return self.previous_plans > 0


def time_since_band(ended_on: date, started_on: date) -> str:
    delta = relativedelta(started_on, ended_on)
    months = delta.years * 12 + delta.months + (1 if delta.days > 0 else 0)
    if months <= 6:
        return "Within 6 months"
    if months <= 12:
        return "6 to 12 months"
    if months <= 24:
        return "1 to 2 years"
    return "Over 2 years"


def repeat_facts(history: list[PlanHistory], child_id, plan_start: date) -> RepeatFacts:
    """How many plans the child had before ``plan_start`` and how long since the last one ended."""
    previous = [p for p in history if p.child_id == child_id and p.started_on < plan_start]
    if not previous:
        return RepeatFacts(0, None, None, "First child protection plan.")
    ended = [p.ended_on for p in previous if p.ended_on]
    last = max(ended) if ended else None
    band = time_since_band(last, plan_start) if last else None
    n = len(previous)
    text = f"Repeat plan: {n} previous plan{'s' if n != 1 else ''}"
    if last:
        text += f", the last ended {uk_date(last)} ({band.lower()} before this one)"
    text += ". Record the chair's repeat-plan analysis."
    return RepeatFacts(n, last, band, text)


def outcome_words(kind: MeetingKind) -> str:
    """The decisions open at this kind of conference, as words: "plan or no plan"."""
    allowed = INITIAL_OUTCOMES if kind.is_initial else REVIEW_OUTCOMES
    return " or ".join(o.value.replace("_", " ") for o in allowed)


def no_outcome_problem(kind: MeetingKind) -> str:
    """The line for a decision form with no decision chosen yet (a new child's form starts empty)."""
    return f"decision: choose the decision first ({outcome_words(kind)})"


def all_problems(problems: list[str]) -> str:
    """Every problem at once, on one line: the chair puts them all right before recording again."""
    return "; ".join(problems)


def check_decision(
    decision: Decision,
    kind: MeetingKind,
    policy: Policy,
    *,
    repeat: RepeatFacts | None = None,
    held_on: date | None = None,
) -> list[str]:
    """Every thing missing or wrong, each as one line naming the field and the fix; empty when complete.

    ``held_on``: the conference's date; a decision is not recorded before the conference is held.
    """
    problems = []
    if held_on is not None and decision.decided_on is not None and decision.decided_on < held_on:
        problems.append(
            f"date: the conference is on {uk_date(held_on)}; a decision cannot be recorded before it is held"
        )
    allowed = INITIAL_OUTCOMES if kind.is_initial else REVIEW_OUTCOMES
    if decision.outcome not in allowed:
        problems.append(f"decision: at this kind of conference the decision is {outcome_words(kind)}")
        return problems
    if decision.outcome in (Outcome.PLAN, Outcome.CONTINUE):
        category = (
            decision.initial_category
            if decision.outcome is Outcome.PLAN
            else (decision.latest_category or decision.initial_category)
        )
        if category is None:
            problems.append("category: choose neglect, physical, emotional, sexual abuse or multiple")
        problems += category_problems(category, decision.secondary_category, decision.category_reason, policy)
        if category is Category.MUL and len(decision.contributing_categories) < 2:
            problems.append("contributing categories: with 'multiple', record at least two of the categories")
        if any(c is Category.MUL for c in decision.contributing_categories):
            problems.append("contributing categories: list the single categories, not 'multiple' itself")
        if decision.outcome is Outcome.PLAN and not decision.lead_agency.strip():
            problems.append("lead agency: record who leads the plan (e.g. children's social care)")
        if (
            decision.outcome is Outcome.PLAN
            and repeat
            and repeat.is_repeat
            and not decision.repeat_plan_analysis.strip()
        ):
            problems.append("repeat-plan analysis: this is a repeat plan; record the chair's analysis")
    if decision.outcome is Outcome.NO_PLAN:
        if not decision.reasons.strip():
            problems.append("reasons: say why no plan is needed")
        if not decision.no_plan_next_step.strip():
            problems.append("next step: choose what happens instead (e.g. child in need plan)")
    if decision.outcome is Outcome.END:
        if decision.end_reason not in policy.end_reasons:
            problems.append("end reason: choose why the plan ends (" + ", ".join(policy.end_reasons.values()) + ")")
    return problems


def category_definition(category: Category | None, policy: Policy) -> str:
    """What the category means under the policy (shown where it is chosen); "" when the policy gives none."""
    return policy.categories.definitions.get(category.value, "") if category else ""


def category_reason_prompt(primary: Category | None, secondary: Category | None, policy: Policy) -> str:
    """Why the chair must give a reason for this choice of categories, as a question; "" when none is needed."""
    rules = policy.categories
    if primary is Category.MUL and rules.reason_for_multiple:
        return "Why multiple categories: why can one primary category, with a secondary one, not describe the harm?"
    if primary and secondary and frozenset({primary.value, secondary.value}) in rules.reason_for_pairs:
        return f"Why {primary.label.lower()} with {secondary.label.lower()}: why are both needed?"
    return ""


def category_problems(primary: Category | None, secondary: Category | None, reason: str, policy: Policy) -> list[str]:
    """The secondary category and the reason for the categories, checked against the policy."""
    problems = []
    if secondary is not None:
        if not policy.categories.secondary:
            problems.append("secondary category: this authority records one category; clear the secondary one")
        elif secondary is Category.MUL:
            problems.append("secondary category: choose a single category, not 'multiple'")
        elif primary is Category.MUL:
            problems.append("secondary category: with 'multiple', record the categories as contributing instead")
        elif secondary is primary:
            problems.append("secondary category: choose a category other than the primary one, or none")
    prompt = category_reason_prompt(primary, secondary, policy)
    if prompt and not reason.strip():
        problems.append(f"category reason: {prompt[0].lower()}{prompt[1:]}")
    return problems


@dataclass(frozen=True)
class ScaleReading:
    score: int
    escalate: bool
    explanation: str


def read_scale(score: int, policy: Policy) -> ScaleReading:
    """Whether a 0-10 score is close enough to the dangerous end to prompt escalation."""
    if not 0 <= score <= 10:
        raise ValueError("scale: a score is a whole number from 0 to 10")
    safety = score if policy.higher_is_safer else 10 - score
    if safety <= policy.escalation_threshold:
        return ScaleReading(score, True, policy.escalation_prompt.format(score=score))
    return ScaleReading(score, False, "")


def escalation(scores: list[int], policy: Policy) -> ScaleReading | None:
    """The prompt for a set of scores on one judgement (the agreed scale and every revealed private score):
    the reading of the most dangerous score at or beyond the threshold, or None when none is."""
    readings = [read_scale(score, policy) for score in scores]
    alarming = [r for r in readings if r.escalate]
    if not alarming:
        return None
    return min(alarming, key=lambda r: r.score if policy.higher_is_safer else 10 - r.score)
