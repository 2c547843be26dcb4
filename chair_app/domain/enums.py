"""Closed vocabularies of the conference record.

Values are stable strings: they are written to the database and to conference files, so a value is never
renamed, only added. Lists that differ between local authorities (agency groups, stood-down reasons, role
codes) are *not* here: they live in the policy file.
"""

from __future__ import annotations

from enum import StrEnum


class MeetingKind(StrEnum):
    INITIAL = "initial"
    INITIAL_PRE_BIRTH = "initial_pre_birth"
    TRANSFER_IN = "transfer_in"
    RECONVENED_INITIAL = "reconvened_initial"
    FIRST_REVIEW = "first_review"
    REVIEW = "review"
    # Room for children-in-care reviews: add CIC kinds here; nothing else keys on this list's length.

    @property
    def is_initial(self) -> bool:
        return self in (
            MeetingKind.INITIAL,
            MeetingKind.INITIAL_PRE_BIRTH,
            MeetingKind.TRANSFER_IN,
            MeetingKind.RECONVENED_INITIAL,
        )

    @property
    def label(self) -> str:
        return _KIND_LABELS[self]

    @property
    def short_label(self) -> str:
        return _KIND_LABELS[self].removesuffix(" child protection conference").removesuffix(" conference")


_KIND_LABELS = {
    MeetingKind.INITIAL: "Initial child protection conference",
    MeetingKind.INITIAL_PRE_BIRTH: "Initial pre-birth conference",
    MeetingKind.TRANSFER_IN: "Transfer-in conference",
    MeetingKind.RECONVENED_INITIAL: "Re-convened initial conference",
    MeetingKind.FIRST_REVIEW: "First review conference",
    MeetingKind.REVIEW: "Review conference",
}


class Sex(StrEnum):
    FEMALE = "female"
    MALE = "male"
    NOT_KNOWN = "not_known"


class AttendanceStatus(StrEnum):
    INVITED = "invited"  # not yet known: before the roll-call
    ATTENDED = "attended"
    APOLOGIES = "apologies"
    DID_NOT_ATTEND = "did_not_attend"


class AttendanceMode(StrEnum):
    IN_PERSON = "in_person"
    VIDEO = "video"
    PHONE = "phone"


class MappingSection(StrEnum):
    """The parts of a Signs of Safety map other than the danger statement / safety goal pairs."""

    PAST_HARM = "past_harm"
    COMPLICATING_FACTOR = "complicating_factor"
    STRENGTH = "strength"
    EXISTING_SAFETY = "existing_safety"
    NEXT_STEP = "next_step"

    @property
    def column(self) -> MappingColumn:
        return _SECTION_COLUMN[self]

    @property
    def label(self) -> str:
        return _SECTION_LABELS[self]


class MappingColumn(StrEnum):
    WORRIED = "worried"
    WORKING_WELL = "working_well"
    NEEDS_TO_HAPPEN = "needs_to_happen"

    @property
    def label(self) -> str:
        return {
            MappingColumn.WORRIED: "What are we worried about?",
            MappingColumn.WORKING_WELL: "What's working well?",
            MappingColumn.NEEDS_TO_HAPPEN: "What needs to happen?",
        }[self]


_SECTION_COLUMN = {
    MappingSection.PAST_HARM: MappingColumn.WORRIED,
    MappingSection.COMPLICATING_FACTOR: MappingColumn.WORRIED,
    MappingSection.STRENGTH: MappingColumn.WORKING_WELL,
    MappingSection.EXISTING_SAFETY: MappingColumn.WORKING_WELL,
    MappingSection.NEXT_STEP: MappingColumn.NEEDS_TO_HAPPEN,
}
_SECTION_LABELS = {
    MappingSection.PAST_HARM: "Past harm",
    MappingSection.COMPLICATING_FACTOR: "Complicating factors",
    MappingSection.STRENGTH: "Strengths",
    MappingSection.EXISTING_SAFETY: "Existing safety",
    MappingSection.NEXT_STEP: "Next steps",
}


class Category(StrEnum):
    """Category of abuse, as the DfE CIN census codes it."""

    NEG = "NEG"
    PHY = "PHY"
    EMO = "EMO"
    SAB = "SAB"
    MUL = "MUL"

    @property
    def label(self) -> str:
        return {
            Category.NEG: "Neglect",
            Category.PHY: "Physical abuse",
            Category.EMO: "Emotional abuse",
            Category.SAB: "Sexual abuse",
            Category.MUL: "Multiple categories",
        }[self]


class Outcome(StrEnum):
    """The chair's decision for one child at one conference."""

    PLAN = "plan"  # initial: child to be subject of a child protection plan
    NO_PLAN = "no_plan"  # initial: no plan required
    CONTINUE = "continue"  # review: plan continues
    END = "end"  # review: plan ends


class ConferenceStatus(StrEnum):
    SCHEDULED = "scheduled"
    IN_PROGRESS = "in_progress"
    HELD = "held"
    STOOD_DOWN = "stood_down"


class QuoracyOutcome(StrEnum):
    NOT_ASSESSED = "not_assessed"
    QUORATE = "quorate"
    PROCEEDED_NOT_QUORATE = "proceeded_not_quorate"
    STOOD_DOWN = "stood_down"


class RecordStatus(StrEnum):
    DRAFT = "draft"
    AWAITING_SIGN_OFF = "awaiting_sign_off"
    FINALISED = "finalised"


class ParticipationCode(StrEnum):
    PN0 = "PN0"
    PN1 = "PN1"
    PN2 = "PN2"
    PN3 = "PN3"
    PN4 = "PN4"
    PN5 = "PN5"
    PN6 = "PN6"
    PN7 = "PN7"


class DocumentKind(StrEnum):
    HANDOUT = "handout"
    CP_PLAN = "cp_plan"
    RECORD = "record"
    DECISION_LETTER = "decision_letter"


class Relationship(StrEnum):
    """A person's relationship to one child, in the family network (issue 12)."""

    PARENT_WITH_PR = "parent_with_pr"  # a parent with parental responsibility
    PARENT_WITHOUT_PR = "parent_without_pr"
    CARER = "carer"
    HOUSEHOLD_MEMBER = "household_member"
    RELATIVE = "relative"
    FRIEND = "friend"

    @property
    def label(self) -> str:
        return self.value.replace("_pr", " parental responsibility").replace("_", " ").capitalize()


class Audience(StrEnum):
    """Who may read a written thing when not everyone may (no mark means everyone)."""

    PROFESSIONALS = "professionals"  # professionals only: no family member's copy
    EXCEPT = "except"  # everyone except the person named on the mark
    EXCLUDED_PART = "excluded_part"  # said while the person named was excluded from that part of the meeting
