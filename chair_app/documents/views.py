"""The prepared, plain data a document is built from.

A service builds one ``ConferenceView`` per recipient from the stored conference (with redaction already
applied), so builders never query anything and never see what a recipient must not. Every field is text or
a list of text-bearing records, formatted for reading: dates as dd/mm/yyyy, plain words for the family.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from typing import Any

#: The chair's "view as" preview puts what the reader's copy leaves out between these two marks
#: (``rules.audience.shaded``); the layout shades it where it stands (documents/parts.py) and never prints them.
REMOVED_MARK = "\u2063"
REMOVED_END = "\u2064"


def plain(text: str) -> str:
    """``text`` without the preview's marks."""
    return text.replace(REMOVED_MARK, "").replace(REMOVED_END, "")


@dataclass
class Item:
    text: str
    said_by: str = ""


@dataclass
class Pair:
    danger: str
    goal: str
    scale: int | None
    history: str = ""  # issue 13: the scale at earlier conferences, e.g. "Earlier: 2 (01/04/2026), 4 (01/07/2026)"


@dataclass
class ChildLine:
    name: str
    age: str
    outcome: str  # plain words: "Child protection plan", "No child protection plan", ...
    category: str  # "Emotional abuse" or ""
    plain_decision: str  # a sentence a parent understands
    participation: str  # "PN5: Child does not attend physically but briefs an advocate..."
    views: str
    views_how: str
    repeat: str
    dissent: str
    reasons: str
    secondary_category: str = ""  # "Neglect" or "" (issue 20: primary and secondary categories)
    category_reason: str = ""  # why multiple, or why this pair of categories


@dataclass
class Contact:
    name: str
    role: str
    agency: str = ""
    phone: str = ""
    email: str = ""


@dataclass
class Attendee:
    name: str
    role: str
    agency: str
    attendance: str  # "Present (video)", "Apologies", "Did not attend", with "arrived 10:20" etc.
    report: str  # "Report provided 18/11/2026" or "No report"
    information: str = ""


@dataclass
class Recommendation:
    who: str
    child: str
    recommendation: str
    agency: str = ""  # the agency the recommendation is for (one per agency)
    dissent: str = ""  # a colleague from the same agency who sees it differently


@dataclass
class FamilyView:
    """One family member's own views (a parent, a carer), recorded apart from professionals' recommendations."""

    who: str
    views: str


@dataclass
class Action:
    what: str
    who: str
    by_when: str
    how_we_know: str
    child: str = ""


@dataclass
class LetterPart:
    """What only a letter carries: to whom, where, when, and the decision about their own children."""

    addressee: str
    address: list[str]  # lines; empty when the addressee's address is withheld or not known
    dated: str  # dd/mm/yyyy
    took_part: bool  # attended: thanked for taking part
    sent_apologies: bool
    decisions: list[str]  # "The conference decided that Kayden needs a child protection plan because ..."
    next_meeting: str  # the next conference's date, and its time and place when known
    core_group: str
    complaints: str  # as the policy file words it


@dataclass
class ConferenceView:
    ref: str
    family: str
    kind: str
    date: str
    time: str
    venue: str
    chair: str
    minute_taker: str
    draft: bool
    issue: str  # "" while a draft; once finalised "Issue 1, finalised 25/11/2026" (amendments make later issues)
    recipient: str  # "" for the chair's own copy
    family_recipient: bool
    address: str
    children: list[ChildLine] = field(default_factory=list)
    pairs: list[Pair] = field(default_factory=list)
    overall_scale: int | None = None
    scale_zero: str = ""
    scale_ten: str = ""
    past_harm: list[Item] = field(default_factory=list)
    complicating: list[Item] = field(default_factory=list)
    strengths: list[Item] = field(default_factory=list)
    existing_safety: list[Item] = field(default_factory=list)
    next_steps: list[Item] = field(default_factory=list)
    decision_summary: str = ""
    first_core_group: str = ""
    next_review: str = ""
    contact: Contact | None = None  # who to contact: the social worker
    attendance: list[Attendee] = field(default_factory=list)
    quoracy: str = ""
    recommendations: list[Recommendation] = field(default_factory=list)
    parents_views: str = ""
    contingency_plan: str = ""
    actions: list[Action] = field(default_factory=list)
    core_group: list[Contact] = field(default_factory=list)
    distribution: list[str] = field(default_factory=list)
    plan_per_child: bool = False
    amendments: list[str] = field(default_factory=list)  # a finalised record's amendments, one line each
    # Issue 20: the family's views apart from recommendations; a stood-down conference's new date and the
    # interim arrangement until then ("" when the conference was not stood down).
    family_views: list[FamilyView] = field(default_factory=list)
    stood_down: str = ""  # the reason, in words
    reconvene_on: str = ""
    interim_arrangement: str = ""
    letter: LetterPart | None = None


def replace_text(view: Any, replacements: list[tuple[str, str]]) -> Any:
    """A copy of ``view`` with every occurrence of each secret in every string replaced.

    Redaction works on the data, before any layout, so a withheld detail never reaches the PDF's text layer.
    """
    if not replacements:
        return view

    def scrub(value: Any) -> Any:
        if isinstance(value, str):
            for secret, replacement in replacements:
                if secret:
                    value = value.replace(secret, replacement)
            return value
        if isinstance(value, list):
            return [scrub(v) for v in value]
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return dataclasses.replace(
                value, **{f.name: scrub(getattr(value, f.name)) for f in dataclasses.fields(value)}
            )
        return value

    return scrub(view)
