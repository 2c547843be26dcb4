"""SQLAlchemy 2 typed models: one table per domain record, columns named as the record's fields.

Every table has a UUID key, a version counter used for optimistic locking, and UTC created/updated
timestamps. The schema itself is created by the alembic revisions in ``db/``, never by ``create_all``.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime, time

from sqlalchemy import Boolean, Column, Date, ForeignKey, Index, Integer, MetaData, String, Table, Text, Time, Uuid
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column

from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Audience,
    Category,
    ConferenceStatus,
    DocumentKind,
    MappingSection,
    MeetingKind,
    Outcome,
    ParticipationCode,
    QuoracyOutcome,
    RecordStatus,
    Relationship,
    Sex,
)
from chair_app.domain.model import new_id, utcnow
from chair_app.store.types import CodeList, UTCDateTime, code_enum

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {
        uuid.UUID: Uuid(),
        datetime: UTCDateTime(),
        date: Date(),
        time: Time(),
        str: Text(),
        bool: Boolean(),
        int: Integer(),
    }

    id: Mapped[uuid.UUID] = mapped_column(primary_key=True, default=new_id)
    version: Mapped[int] = mapped_column(nullable=False, default=1)
    created_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(nullable=False, default=utcnow, onupdate=utcnow)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict:
        # Optimistic locking on every table: an UPDATE that finds another version raises StaleDataError.
        return {"version_id_col": cls.__table__.c.version}


def _fk(target: str, *, nullable: bool = False, cascade: bool = True) -> Mapped:
    return mapped_column(
        ForeignKey(target, ondelete="CASCADE" if cascade else "RESTRICT"), nullable=nullable, index=True
    )


def _enum(enum_cls, name: str, *, nullable: bool = False, default=None) -> Mapped:
    return mapped_column(code_enum(enum_cls, name), nullable=nullable, default=default)


class FamilyRow(Base):
    __tablename__ = "family"
    name: Mapped[str]
    address: Mapped[str] = mapped_column(default="")
    address_withheld: Mapped[bool] = mapped_column(default=False)
    notes: Mapped[str] = mapped_column(default="")
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(index=True)  # revision 0013: soft, the family kept


class ChildRow(Base):
    __tablename__ = "child"
    family_id: Mapped[uuid.UUID] = _fk("family.id", cascade=False)
    forename: Mapped[str]
    surname: Mapped[str]
    date_of_birth: Mapped[date | None] = mapped_column(index=True)  # the register's look-up (revision 0008)
    expected_date_of_birth: Mapped[date | None] = mapped_column(index=True)
    sex: Mapped[Sex] = _enum(Sex, "sex", default=Sex.NOT_KNOWN)
    ethnicity: Mapped[str] = mapped_column(String(8), default="")
    disability: Mapped[bool | None]
    local_child_id: Mapped[str] = mapped_column(String(64), default="", index=True)
    upn: Mapped[str] = mapped_column(String(16), default="")
    merged_into_id: Mapped[uuid.UUID | None] = mapped_column(index=True)  # soft: the record it was merged into


class PersonRow(Base):
    __tablename__ = "person"
    name: Mapped[str]
    role: Mapped[str] = mapped_column(default="")
    role_code: Mapped[str] = mapped_column(String(64), default="")
    agency: Mapped[str] = mapped_column(default="")
    phone: Mapped[str] = mapped_column(default="")
    email: Mapped[str] = mapped_column(default="")
    address: Mapped[str] = mapped_column(default="")
    relationship: Mapped[str] = mapped_column(default="")
    name_withheld: Mapped[bool] = mapped_column(default=False)
    contact_withheld: Mapped[bool] = mapped_column(default=False)


class ConferenceRow(Base):
    __tablename__ = "conference"
    kind: Mapped[MeetingKind] = _enum(MeetingKind, "kind")
    family_id: Mapped[uuid.UUID] = _fk("family.id", cascade=False)
    held_on: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time | None]
    venue: Mapped[str] = mapped_column(default="")
    remote: Mapped[bool] = mapped_column(default=False)
    chair: Mapped[str] = mapped_column(default="")
    minute_taker: Mapped[str] = mapped_column(default="")
    strategy_discussion_on: Mapped[date | None]
    transfer_notified_on: Mapped[date | None]
    requested_on: Mapped[date | None]
    cin_referral_date: Mapped[date | None]
    referral_source: Mapped[str] = mapped_column(String(4), default="")
    # Soft reference: the earlier conference may live on another laptop or the server.
    previous_conference_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    report_to_parents_on: Mapped[date | None]
    report_to_chair_on: Mapped[date | None]
    record_distributed_on: Mapped[date | None]
    plan_distributed_on: Mapped[date | None]
    status: Mapped[ConferenceStatus] = _enum(ConferenceStatus, "status", default=ConferenceStatus.SCHEDULED)
    quoracy_outcome: Mapped[QuoracyOutcome] = _enum(
        QuoracyOutcome, "quoracy_outcome", default=QuoracyOutcome.NOT_ASSESSED
    )
    quoracy_rationale: Mapped[str] = mapped_column(default="")
    stood_down_reason: Mapped[str] = mapped_column(String(64), default="")
    stood_down_note: Mapped[str] = mapped_column(default="")
    reconvene_on: Mapped[date | None]
    interim_arrangement: Mapped[str] = mapped_column(default="")
    overall_scale: Mapped[int | None]
    first_core_group_on: Mapped[date | None]
    next_review_on: Mapped[date | None]
    next_dates_note: Mapped[str] = mapped_column(default="")
    contingency_plan: Mapped[str] = mapped_column(default="")
    parents_views: Mapped[str] = mapped_column(default="")
    record_status: Mapped[RecordStatus] = _enum(RecordStatus, "record_status", default=RecordStatus.DRAFT)
    signed_off_by: Mapped[str] = mapped_column(default="")
    finalised_at: Mapped[datetime | None]
    updated_by: Mapped[str] = mapped_column(default="")
    # Soft reference, as previous_conference_id: the stood-down meeting this one was rearranged from.
    rearranged_from_id: Mapped[uuid.UUID | None] = mapped_column(index=True)


class PlanHistoryRow(Base):
    __tablename__ = "plan_history"
    child_id: Mapped[uuid.UUID] = _fk("child.id")
    started_on: Mapped[date] = mapped_column(index=True)
    ended_on: Mapped[date | None] = mapped_column(index=True)
    initial_category: Mapped[Category | None] = _enum(Category, "initial_category", nullable=True)
    latest_category: Mapped[Category | None] = _enum(Category, "latest_category", nullable=True)
    end_reason: Mapped[str] = mapped_column(default="")
    conference_id: Mapped[uuid.UUID | None] = mapped_column(index=True)  # soft reference, as above


class InvitationRow(Base):
    __tablename__ = "invitation"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    person_id: Mapped[uuid.UUID] = _fk("person.id", cascade=False)
    position: Mapped[int] = mapped_column(default=0)
    status: Mapped[AttendanceStatus] = _enum(AttendanceStatus, "status", default=AttendanceStatus.INVITED)
    mode: Mapped[AttendanceMode | None] = _enum(AttendanceMode, "mode", nullable=True)
    report_submitted: Mapped[bool] = mapped_column(default=False)
    report_submitted_on: Mapped[date | None]
    report_shared_with_parents_on: Mapped[date | None]
    arrived_at: Mapped[time | None]
    left_at: Mapped[time | None]
    excluded_from_part: Mapped[bool] = mapped_column(default=False)
    exclusion_note: Mapped[str] = mapped_column(default="")
    core_group_member: Mapped[bool] = mapped_column(default=False)
    information_shared: Mapped[str] = mapped_column(default="")
    views: Mapped[str] = mapped_column(default="")


class ConferenceChildRow(Base):
    __tablename__ = "conference_child"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    child_id: Mapped[uuid.UUID] = _fk("child.id", cascade=False)
    position: Mapped[int] = mapped_column(default=0)
    views: Mapped[str] = mapped_column(default="")
    views_how: Mapped[str] = mapped_column(default="")
    participation_code: Mapped[ParticipationCode | None] = _enum(ParticipationCode, "participation_code", nullable=True)
    advocacy_offered: Mapped[bool | None]
    advocacy_note: Mapped[str] = mapped_column(default="")
    decision_draft: Mapped[str] = mapped_column(Text, default="", server_default="")


class MappingItemRow(Base):
    __tablename__ = "mapping_item"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    section: Mapped[MappingSection] = _enum(MappingSection, "section")
    text: Mapped[str]
    position: Mapped[int] = mapped_column(default=0)
    said_by: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"), nullable=True)
    # Revision 0008: the last map's item it continues (soft), its words then, the chair's mark.
    carried_from_id: Mapped[uuid.UUID | None]
    earlier_text: Mapped[str] = mapped_column(Text, default="", server_default="")
    last_time: Mapped[str] = mapped_column(String(16), default="", server_default="")


class DangerGoalPairRow(Base):
    __tablename__ = "danger_goal_pair"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    danger_statement: Mapped[str]
    safety_goal: Mapped[str] = mapped_column(default="")
    position: Mapped[int] = mapped_column(default=0)
    scale: Mapped[int | None]
    carried_from_id: Mapped[uuid.UUID | None] = mapped_column(index=True)  # revision 0008: scale history


class ScaleScoreRow(Base):
    __tablename__ = "scale_score"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    pair_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("danger_goal_pair.id", ondelete="CASCADE"), nullable=True
    )
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    label: Mapped[str] = mapped_column(default="")
    score: Mapped[int]
    revealed: Mapped[bool] = mapped_column(default=False)
    reason: Mapped[str] = mapped_column(default="")


class RecommendationRow(Base):
    __tablename__ = "recommendation"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    child_id: Mapped[uuid.UUID] = _fk("child.id", cascade=False)
    person_id: Mapped[uuid.UUID] = _fk("person.id", cascade=False)
    outcome: Mapped[Outcome] = _enum(Outcome, "outcome")
    category: Mapped[Category | None] = _enum(Category, "category", nullable=True)
    note: Mapped[str] = mapped_column(default="")
    dissent: Mapped[str] = mapped_column(default="")


class DecisionRow(Base):
    __tablename__ = "decision"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    child_id: Mapped[uuid.UUID] = _fk("child.id", cascade=False)
    outcome: Mapped[Outcome] = _enum(Outcome, "outcome")
    initial_category: Mapped[Category | None] = _enum(Category, "initial_category", nullable=True)
    latest_category: Mapped[Category | None] = _enum(Category, "latest_category", nullable=True)
    contributing_categories: Mapped[list] = mapped_column(CodeList(Category), default=list)
    lead_agency: Mapped[str] = mapped_column(default="")
    reasons: Mapped[str] = mapped_column(default="")
    no_plan_next_step: Mapped[str] = mapped_column(default="")
    end_reason: Mapped[str] = mapped_column(default="")
    repeat_plan_analysis: Mapped[str] = mapped_column(default="")
    dissent: Mapped[str] = mapped_column(default="")
    decided_on: Mapped[date | None]
    secondary_category: Mapped[Category | None] = _enum(Category, "secondary_category", nullable=True)
    category_reason: Mapped[str] = mapped_column(default="")
    agreed_by: Mapped[str] = mapped_column(default="")  # issue 14: a second person's agreement
    agreed_on: Mapped[date | None]
    agreed_outcome: Mapped[str] = mapped_column(default="")
    dissent_by: Mapped[str] = mapped_column(default="")  # issue 14: a dissent's route and clock
    dissent_route: Mapped[str] = mapped_column(default="")
    dissent_raised_on: Mapped[date | None]
    dissent_answer: Mapped[str] = mapped_column(default="")  # revision 0014: the senior chair's answer
    dissent_answered_by: Mapped[str] = mapped_column(default="")
    dissent_answered_on: Mapped[date | None]


class PlanActionRow(Base):
    __tablename__ = "plan_action"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    what: Mapped[str]
    who: Mapped[str] = mapped_column(default="")
    by_when: Mapped[date | None]
    how_we_know: Mapped[str] = mapped_column(default="")
    position: Mapped[int] = mapped_column(default=0)
    child_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("child.id", ondelete="SET NULL"), nullable=True)
    # Revision 0008: the last plan's action come back, and its progress.
    carried_from_id: Mapped[uuid.UUID | None]
    progress: Mapped[str] = mapped_column(String(16), default="", server_default="")
    progress_note: Mapped[str] = mapped_column(Text, default="", server_default="")


class CoreGroupRow(Base):
    """Revision 0008 (issue 13): a core group meeting, recorded on the review conference it reports to."""

    __tablename__ = "core_group"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    held_on: Mapped[date]
    who_came: Mapped[str] = mapped_column(default="")
    concerns: Mapped[str] = mapped_column(default="")
    position: Mapped[int] = mapped_column(default=0)


class CoreGroupProgressRow(Base):
    __tablename__ = "core_group_progress"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    core_group_id: Mapped[uuid.UUID] = _fk("core_group.id")
    action_id: Mapped[uuid.UUID] = _fk("plan_action.id")
    progress: Mapped[str] = mapped_column(String(16), default="")
    note: Mapped[str] = mapped_column(default="")


class DelayReasonRow(Base):
    __tablename__ = "delay_reason"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    measure: Mapped[str] = mapped_column(String(64))
    reason: Mapped[str]


class DocumentRecordRow(Base):
    __tablename__ = "document_record"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    kind: Mapped[DocumentKind] = _enum(DocumentKind, "kind")
    recipient: Mapped[str] = mapped_column(default="")
    produced_at: Mapped[datetime] = mapped_column(default=utcnow)
    document_version: Mapped[int] = mapped_column(default=1)
    distributed_on: Mapped[date | None]
    method: Mapped[str] = mapped_column(default="")
    queue: Mapped[str] = mapped_column(default="")
    job_id: Mapped[str] = mapped_column(default="")
    pages: Mapped[int | None]


class AmendmentRow(Base):
    __tablename__ = "amendment"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    made_by: Mapped[str]
    reason: Mapped[str]
    text: Mapped[str]
    record_kind: Mapped[str] = mapped_column(default="")  # revision 0008: a corrected field
    record_id: Mapped[uuid.UUID | None]
    field_name: Mapped[str] = mapped_column(default="")
    old_value: Mapped[str] = mapped_column(default="")
    new_value: Mapped[str] = mapped_column(default="")


# The family network, sharing restrictions and audience marks (revision 0010_audience, issue 12).


class NetworkLinkRow(Base):
    __tablename__ = "network_link"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    person_id: Mapped[uuid.UUID] = _fk("person.id", cascade=False)
    child_id: Mapped[uuid.UUID] = _fk("child.id", cascade=False)
    relationship: Mapped[Relationship] = _enum(Relationship, "relationship")
    lives_with: Mapped[bool] = mapped_column(default=False)


class SharingRestrictionRow(Base):
    __tablename__ = "sharing_restriction"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    about_id: Mapped[uuid.UUID] = _fk("person.id", cascade=False)
    person_id: Mapped[uuid.UUID] = _fk("person.id", cascade=False)
    details: Mapped[str] = mapped_column(default="")
    reason: Mapped[str]


class AudienceMarkRow(Base):
    __tablename__ = "audience_mark"
    conference_id: Mapped[uuid.UUID] = _fk("conference.id")
    subject_id: Mapped[uuid.UUID] = mapped_column(index=True)  # a record of any kind: no foreign key
    part: Mapped[str] = mapped_column(String(64), default="")
    audience: Mapped[Audience] = _enum(Audience, "audience")
    person_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("person.id", ondelete="SET NULL"), nullable=True)
    reason: Mapped[str]
    restriction_id: Mapped[uuid.UUID | None]  # soft, like subject_id: a mark outlives a restriction lifted


# ---------------------------------------------------------------------------------------------------------
# The journal and the sign-off snapshot (store/journal.py): plain tables, written with Core statements only,
# so that the ORM's flush listener never journals the journal.

JournalTable = Table(
    "journal",
    Base.metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),  # the order entries were written in
    Column("uid", Uuid(), nullable=False, unique=True),  # the entry's identity on every laptop and server
    Column("at", UTCDateTime(), nullable=False),
    Column("last_at", UTCDateTime(), nullable=False),  # the last keystroke of an open run
    Column("who", Text, nullable=False),
    Column("device", String(36), nullable=False),
    Column("operation", String(64), nullable=False),
    Column("conference_id", Uuid(), nullable=True, index=True),  # soft: the journal outlives what it names
    Column("detail", Text, nullable=False, default=""),
    Column("typing_key", Text, nullable=True),  # "table/uuid#field" while a run of typing may continue
    Column("old_values", Text, nullable=False),  # JSON {"table/uuid": {field: value} | null}
    Column("new_values", Text, nullable=False),
    Column("closed", Boolean, nullable=False),
    Index("ix_journal_device_closed", "device", "closed"),
)

SnapshotTable = Table(
    "record_snapshot",
    Base.metadata,
    Column("conference_id", Uuid(), primary_key=True),
    Column("taken_at", UTCDateTime(), nullable=False),
    Column("document", Text, nullable=False),  # JSON: family, children, people, plan history at sign-off
)

# ---------------------------------------------------------------------------------------------------------
# Accounts (issue 14; store/accounts.py, services/accounts.py): who may sign in, with which roles. A plain table,
# written with Core statements only: no record of a conference, never in a conference file. Passwords are kept
# only as argon2 hashes; accounts are disabled, never deleted (so a database that has had accounts keeps them).

AccountTable = Table(
    "account",
    Base.metadata,
    Column("id", Uuid(), primary_key=True),
    Column("name", String(64), nullable=False, unique=True),  # what is typed to sign in, e.g. "jsmith"
    Column("full_name", Text, nullable=False, default=""),  # shown and written as who signed a record off
    Column("roles", Text, nullable=False),  # comma-separated: chair, clerk, manager, administrator
    Column("password_hash", Text, nullable=False),  # argon2id, with its own salt and parameters
    Column("failed_attempts", Integer, nullable=False, default=0),  # wrong passwords in a row
    Column("locked", Boolean, nullable=False, default=False),  # after the policy's failed attempts
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_at", UTCDateTime(), nullable=False),
    Column("updated_at", UTCDateTime(), nullable=False),
)
