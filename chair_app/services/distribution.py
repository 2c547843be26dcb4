"""Distribution: for each document and recipient, how it went, when, and which version (issue 14).

Each copy that reached someone is a ``document_record`` row with its ``distributed_on`` day, its ``method``
(handed over at the meeting, secure email, post) and the record's version it showed. Rows are only ever
appended (a finalised record's rows too: the storage guards allow appending, never changing), so distribution
is recorded after sign-off without touching the signed-off record. Printing the plan, the record or a decision
letter on the meeting's day for someone present records it as handed over (``printed_at_meeting``, called by
services/documents.py when it notes a print). Measure 10 is computed from these rows (reports/measures.py).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import AttendanceMode, AttendanceStatus, DocumentKind, Outcome, RecordStatus
from chair_app.domain.errors import InvalidInput
from chair_app.rules import distribution as rules
from chair_app.rules.calendar import WorkingCalendar
from chair_app.rules.policy import Policy
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database

METHOD_NAMES = {"meeting": rules.Method.MEETING, "secure-email": rules.Method.SECURE_EMAIL, "post": rules.Method.POST}
KIND_NAMES = {"record": DocumentKind.RECORD, "plan": DocumentKind.CP_PLAN, "letter": DocumentKind.DECISION_LETTER}


@dataclass(frozen=True)
class Sent:
    recipient: str
    on: date
    method: str
    version: int


@dataclass(frozen=True)
class DocumentDue:
    due: rules.Due
    recipients: tuple[str, ...]  # the distribution list
    missing: tuple[str, ...]  # on the list and not sent yet
    sent: tuple[Sent, ...]


@dataclass(frozen=True)
class ConferenceDistribution:
    conference_id: uuid.UUID
    ref: str
    held_on: date
    version: int
    record_status: RecordStatus
    documents: tuple[DocumentDue, ...]


def has_plan(bundle: m.ConferenceBundle) -> bool:
    return any(d.outcome in (Outcome.PLAN, Outcome.CONTINUE) for d in bundle.decisions)


def distribution_list(bundle: m.ConferenceBundle, policy: Policy, kind: DocumentKind) -> tuple[str, ...]:
    """Who must have the document: the record and the plan everyone invited; the letter the family invited."""
    people = {p.id: p for p in bundle.people}
    names = []
    for inv in sorted(bundle.invitations, key=lambda i: i.position):
        person = people.get(inv.person_id)
        if person is None:
            continue
        if kind is DocumentKind.DECISION_LETTER:
            role = policy.role(person.role_code)
            if role is None or not role.family:
                continue
        names.append(person.name)
    return tuple(dict.fromkeys(names))


def _summarise(bundle: m.ConferenceBundle, policy: Policy, cal: WorkingCalendar) -> ConferenceDistribution:
    conf = bundle.conference
    dues = rules.due_dates(policy, cal, conf.held_on, plan=has_plan(bundle))
    docs = []
    for kind, due_on in dues.items():
        sent = tuple(
            Sent(d.recipient, d.distributed_on, d.method, d.document_version)
            for d in sorted(bundle.documents, key=lambda d: (d.distributed_on or date.max, d.recipient))
            if d.kind is kind and d.distributed_on is not None
        )
        needed = distribution_list(bundle, policy, kind)
        pairs = [(s.recipient, s.on) for s in sent]
        kept = getattr(conf, rules.kept_field(kind) or "", None) if not pairs else None
        docs.append(
            DocumentDue(
                rules.Due(kind, due_on, kept or rules.sent_on(pairs, needed)),
                needed,
                () if kept else tuple(rules.missing(pairs, needed)),
                sent,
            )
        )
    return ConferenceDistribution(conf.id, conf.ref, conf.held_on, conf.version, conf.record_status, tuple(docs))


def distribution_of(db: Database, ref: str, policy: Policy) -> ConferenceDistribution:
    """What is due to go out for one conference, by when, to whom, and what has gone."""
    with db.unit_of_work("distribution_of") as session:
        row = repo.get_conference_row(session, ref)
        bundle = repo.load_bundle(session, row.id)
    return _summarise(bundle, policy, WorkingCalendar.from_policy(policy))


def record_distribution(
    db: Database,
    ref: str,
    policy: Policy,
    *,
    kind: str | DocumentKind,
    method: str,
    on: date,
    recipients: list[str] | None = None,
    version: int | None = None,
    today: date | None = None,
    who: str = "",
) -> list[str]:
    """Note that a document reached its recipients (default: everyone on its list who has not had it yet), how
    and on which day, showing which version of the record (default: the current one). Returns the names noted."""
    today = today or date.today()
    doc_kind = KIND_NAMES.get(kind, kind) if isinstance(kind, str) else kind
    if doc_kind not in rules.DUE_KINDS:
        raise InvalidInput(f"document: {kind!r} is not one of {', '.join(KIND_NAMES)}")
    how = METHOD_NAMES.get(method) or next((m_ for m_ in rules.Method if m_.value == method), None)
    if how is None:
        raise InvalidInput(f"method: {method!r} is not one of {', '.join(METHOD_NAMES)}")
    if on > today:
        raise InvalidInput(f"sent on: {uk_date(on)} is after today; give the day it was sent")
    with db.unit_of_work("record_distribution", who=who or None) as session:
        row = repo.get_conference_row(session, ref)
        if on < row.held_on:
            raise InvalidInput(f"sent on: {uk_date(on)} is before the conference ({uk_date(row.held_on)})")
        if doc_kind is DocumentKind.RECORD and row.record_status is not RecordStatus.FINALISED:
            raise InvalidInput(f"record: {m.short_ref(row.id)} is not signed off yet; it goes out once it is")
        if how is rules.Method.MEETING and on != row.held_on:
            raise InvalidInput("method: handed over at the meeting means on the conference's day; choose post or email")
        shown = version if version is not None else row.version
        if not 1 <= shown <= row.version:
            raise InvalidInput(f"version: give a version from 1 to {row.version}")
        bundle = repo.load_bundle(session, row.id)
        summary = _summarise(bundle, policy, WorkingCalendar.from_policy(policy))
        listed = next((d for d in summary.documents if d.due.kind is doc_kind), None)
        if listed is None:
            raise InvalidInput(f"document: no {rules.KIND_WORDS[doc_kind]} is due for {m.short_ref(row.id)}")
        chosen = [r.strip() for r in recipients if r.strip()] if recipients is not None else list(listed.missing)
        if not chosen:
            raise InvalidInput("recipients: everyone on the list has it already; name who else had a copy")
        for name in chosen:
            session.add(
                rows.DocumentRecordRow(
                    conference_id=row.id,
                    kind=doc_kind,
                    recipient=name,
                    document_version=shown,
                    distributed_on=on,
                    method=how.value,
                )
            )
    return chosen


def printed_at_meeting(
    session, conference_id: uuid.UUID, kind: DocumentKind, version: int, recipients: list[str], today: date
) -> dict[str, date]:
    """A print of the plan, record or letter on the meeting's day is handed over there and then to those present
    in person (not on a video or phone call). Returns, for the copies addressed to someone present, their name ->
    the day (the caller notes it on their copy); an unaddressed copy (the chair's, "") printed then is handed to
    each person present who has no copy of their own in this print: a row each is added here. Called inside the
    print's unit of work; on any other day, or for a handout, nothing."""
    if kind not in rules.DUE_KINDS:
        return {}
    conf = session.get(rows.ConferenceRow, conference_id)
    if conf is None or conf.held_on != today:
        return {}
    inv, person = rows.InvitationRow, rows.PersonRow
    present = session.execute(
        select(person.name)
        .join(inv, inv.person_id == person.id)
        .where(inv.conference_id == conference_id, inv.status == AttendanceStatus.ATTENDED)
        .where(or_(inv.mode.is_(None), inv.mode == AttendanceMode.IN_PERSON))
        .order_by(inv.position)
    ).scalars()
    handed = dict.fromkeys(present, today)
    if "" in recipients:
        for name in handed.keys() - set(recipients):
            session.add(
                rows.DocumentRecordRow(
                    conference_id=conference_id,
                    kind=kind,
                    recipient=name,
                    document_version=version,
                    distributed_on=today,
                    method=rules.Method.MEETING.value,
                )
            )
    return handed
