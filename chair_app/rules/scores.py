"""Private scores: each person gives their own (issue 12, point 7).

There is no joint parents' score: a joint score lets the person causing harm steer the victim's. When a
danger statement names domestic abuse, the chair is reminded to take the adults' scores apart.
"""

from __future__ import annotations

import re

from chair_app.domain import model as m

#: Words that say a danger statement is about domestic abuse.
DOMESTIC_ABUSE = re.compile(
    r"\b(domestic (abuse|violence)|abus(e|ive)|violen(ce|t)|push(es|ed|ing)?|hit(s|ting)?|coercive|controlling|"
    r"strangl\w*|threaten\w*)\b",
    re.IGNORECASE,
)
APART = (
    "This danger statement is about domestic abuse: take each adult's private score apart, never together or "
    "in front of each other, so that nobody can steer another's."
)


def names_domestic_abuse(text: str) -> bool:
    return DOMESTIC_ABUSE.search(text or "") is not None


def apart_prompt(bundle: m.ConferenceBundle, pair_id) -> str:
    """The reminder for scores on this pair (``None``: the overall scale, when any statement names domestic
    abuse); "" when none is needed."""
    pairs = [p for p in bundle.pairs if pair_id is None or p.id == pair_id]
    return APART if any(names_domestic_abuse(p.danger_statement) for p in pairs) else ""
