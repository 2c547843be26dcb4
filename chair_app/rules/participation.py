"""Participation codes PN0-PN7 (DfE SSDA903 wording) and the advocacy offer.

PN0 is for a child under 4 on the conference date and only for them: a child is 4 on their 4th birthday
itself (DfE 903 validation rules 440/441). An unborn child gets no code.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from chair_app.domain.enums import ParticipationCode as PN
from chair_app.rules.ages import age_in_years
from chair_app.rules.policy import Policy

WORDING: dict[PN, str] = {
    PN.PN0: "Child aged under 4 at the time of the review",
    PN.PN1: "Child physically attends and speaks for him or herself",
    PN.PN2: "Child physically attends and an advocate speaks on his or her behalf",
    PN.PN3: "Child attends and conveys his or her view symbolically (non-verbally)",
    PN.PN4: "Child physically attends but does not speak for him or herself, does not convey his or her "
    "view symbolically (non-verbally) and does not ask an advocate to speak for him or her",
    PN.PN5: "Child does not attend physically but briefs an advocate to speak for him or her",
    PN.PN6: "Child does not attend but conveys his or her feelings to the review by a facilitative medium",
    PN.PN7: "Child does not attend nor are his or her views conveyed to the review",
}

# Codes that count as taking part (the participation rate's numerator).
PARTICIPATED = frozenset({PN.PN1, PN.PN2, PN.PN3, PN.PN4, PN.PN5, PN.PN6})

# Codes that say an advocate spoke for the child: advocacy was offered (and taken up), whatever the child's age.
THROUGH_AN_ADVOCATE = frozenset({PN.PN2, PN.PN5})


def is_unborn(date_of_birth: date | None, on: date) -> bool:
    return date_of_birth is None or date_of_birth > on


def allowed_codes(date_of_birth: date | None, on: date) -> tuple[PN, ...]:
    """The codes a chair may pick for this child on this date (none for an unborn child)."""
    if is_unborn(date_of_birth, on):
        return ()
    assert date_of_birth is not None
    if age_in_years(date_of_birth, on) < 4:
        return (PN.PN0,)
    return tuple(c for c in PN if c is not PN.PN0)


def derived_code(date_of_birth: date | None, on: date) -> PN | None:
    """The code filled in without asking: PN0 for a child under 4, else None."""
    codes = allowed_codes(date_of_birth, on)
    return PN.PN0 if codes == (PN.PN0,) else None


def check_code(code: PN | None, date_of_birth: date | None, on: date) -> str | None:
    """None when the code is allowed; otherwise a one-line reason naming the fix."""
    if code is None:
        return None
    if is_unborn(date_of_birth, on):
        return "participation code: an unborn child has no participation code; leave it empty"
    assert date_of_birth is not None
    age = age_in_years(date_of_birth, on)
    if code is PN.PN0 and age >= 4:
        return f"participation code: PN0 is only for a child under 4, and this child is {age}; choose PN1 to PN7"
    if code is not PN.PN0 and age < 4:
        return f"participation code: a child under 4 is recorded as PN0, not {code.value}"
    return None


def check_advocacy(code: PN | None, advocacy_offered: bool | None) -> str | None:
    """None when the participation code and the advocacy answer agree; otherwise a one-line reason naming the
    field and the fix. PN2 and PN5 mean an advocate spoke for the child, so advocacy cannot have been "not
    offered". (An offer the child declined fits any code; an unanswered question contradicts nothing.)"""
    if code in THROUGH_AN_ADVOCATE and advocacy_offered is False:
        return (
            f"Advocacy offered: {code.value} means an advocate spoke for the child, so advocacy was offered; "
            "answer Yes, or choose the participation code that fits"
        )
    return None


@dataclass(frozen=True)
class AdvocacyPrompt:
    due: bool
    explanation: str


def advocacy_prompt(date_of_birth: date | None, on: date, policy: Policy) -> AdvocacyPrompt:
    if is_unborn(date_of_birth, on):
        return AdvocacyPrompt(False, "")
    assert date_of_birth is not None
    age = age_in_years(date_of_birth, on)
    if age >= policy.advocacy_age:
        return AdvocacyPrompt(
            True, f"Aged {age}: record whether advocacy from the {policy.advocacy_service} was offered."
        )
    return AdvocacyPrompt(False, "")


def participation_rate(counts: dict[PN, int]) -> tuple[float | None, int, int]:
    """Children aged 4 and over who took part (PN1-PN6) over all children aged 4 and over (PN1-PN7)."""
    took_part = sum(n for code, n in counts.items() if code in PARTICIPATED)
    eligible = took_part + counts.get(PN.PN7, 0)
    return (100.0 * took_part / eligible if eligible else None), took_part, eligible
