"""What any typed or imported text and date must be, wherever it comes from.

The window, the services and the conference-file import all ask these functions, so a file cannot store what
the window would refuse: text longer than a field holds, control characters (NUL, ESC) in a name (and NUL
anywhere), a date of birth in the future, a conference outside the dates the policy allows.
"""

from __future__ import annotations

import re
from datetime import date

from dateutil.relativedelta import relativedelta

from chair_app.domain.dates import uk_date
from chair_app.rules.policy import Policy

MAX_TEXT = 20_000  # characters in one text field: a long danger statement is a few hundred

# Fields the store keeps in short columns (store/models.py: String(n)); a test keeps these equal to it.
SHORT_FIELDS: dict[str, int] = {
    "ethnicity": 8,
    "local_child_id": 64,
    "upn": 16,
    "role_code": 64,
    "referral_source": 4,
    "stood_down_reason": 64,
    "measure": 64,
    "part": 64,  # an audience mark's paragraph of the record (issue 12)
    "last_time": 16,  # issue 13: the marks on what comes back from the last conference
    "progress": 16,
}

# One-line fields: names and codes, where a line break or tab is a mistake too.
ONE_LINE_FIELDS = frozenset(
    {
        "name",
        "forename",
        "surname",
        "chair",
        "minute_taker",
        "role",
        "role_code",
        "agency",
        "relationship",
        "label",
        "who",
        "made_by",
        "signed_off_by",
        "updated_by",
        "recipient",
        "phone",
        "email",
        *SHORT_FIELDS,
    }
)

# Free text keeps what a paste from a word processor brings (line breaks, tabs, a vertical tab for a soft
# return); only NUL is refused there, which PostgreSQL cannot store.
_ALLOWED_IN_TEXT = "\n\t\r"


def _codepoint(ch: str) -> str:
    return f"U+{ord(ch):04X}"


# What cannot be stored: a lone surrogate anywhere, NUL anywhere, and in a name any control character.
_BAD_IN_TEXT = re.compile("[\x00\ud800-\udfff]")
_BAD_IN_NAME = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(field: str, value: str) -> str | None:
    """Why ``value`` cannot be stored in ``field`` (in words, naming the fix), or None when it can."""
    cap = SHORT_FIELDS.get(field, MAX_TEXT)
    if len(value) > cap:
        return f"at most {cap:,} characters, not {len(value):,}; shorten it"
    one_line = field in ONE_LINE_FIELDS
    found = (_BAD_IN_NAME if one_line else _BAD_IN_TEXT).search(value)
    if found is None:
        return None
    ch = found.group()
    if "\ud800" <= ch <= "\udfff":
        return f"contains {_codepoint(ch)}, which is not a character (a broken encoding); retype the text"
    what = "a line break or tab" if ch in _ALLOWED_IN_TEXT else f"the control character {_codepoint(ch)}"
    return f"contains {what}, which {'a name or code' if one_line else 'text'} cannot hold; remove it"


def birth_problem(date_of_birth: date | None, today: date) -> str | None:
    if date_of_birth is not None and date_of_birth > today:
        return f"{uk_date(date_of_birth)} is in the future; for an unborn child give the expected date of birth instead"
    return None


def conference_dates_allowed(policy: Policy, today: date) -> tuple[date, date]:
    """The first and last day a conference may be held on, by the policy's [calendar] limits."""
    return (
        today - relativedelta(years=policy.conference_years_back),
        today + relativedelta(years=policy.conference_years_ahead),
    )


def conference_date_problem(held_on: date, policy: Policy, today: date) -> str | None:
    first, last = conference_dates_allowed(policy, today)
    if not first <= held_on <= last:
        return (
            f"{uk_date(held_on)} is outside the dates the policy allows for a conference "
            f"({uk_date(first)} to {uk_date(last)}); check the year"
        )
    return None
