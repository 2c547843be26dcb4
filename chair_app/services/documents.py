"""Producing documents: prepare a plain view per recipient, lay it out, record what was produced for whom.

Redaction happens here, on the data, before any layout: details marked withheld (a contact's phone, email
or address, a person's name, the family's address) are replaced in every string of a family member's view,
so they never reach that copy's text layer. The chair's copy and professionals' copies keep them.
"""

from __future__ import annotations

import functools
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass

from chair_app.documents import views as v
from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import AttendanceStatus, Category, DocumentKind, MappingSection, Outcome, RecordStatus
from chair_app.domain.errors import InvalidInput
from chair_app.rules import quoracy
from chair_app.rules.ages import age_text
from chair_app.rules.decisions import repeat_facts
from chair_app.rules.participation import WORDING
from chair_app.rules.policy import Policy
from chair_app.services.conferences import load
from chair_app.store import models as rows
from chair_app.store.engine import Database

PLAIN_CATEGORY = {
    Category.NEG: "neglect (their needs not being met)",
    Category.EMO: "emotional harm",
    Category.PHY: "physical harm",
    Category.SAB: "sexual abuse",
    Category.MUL: "more than one kind of harm",
}
WITHHELD = "[withheld]"


_d = uk_date


def plain_decision(decision: m.Decision | None, policy: Policy) -> tuple[str, str, str]:
    """(outcome in words, category label, a sentence a parent understands)."""
    if decision is None:
        return "No decision recorded", "", "no decision has been recorded yet."
    if decision.outcome is Outcome.PLAN:
        cat = decision.initial_category
        return (
            "Child protection plan",
            cat.label if cat else "",
            f"needs a child protection plan, because everyone is worried about "
            f"{PLAIN_CATEGORY[cat] if cat else 'the harm described'}.",
        )
    if decision.outcome is Outcome.CONTINUE:
        cat = decision.latest_category or decision.initial_category
        return (
            "Plan continues",
            cat.label if cat else "",
            f"the child protection plan will carry on, because of worries about "
            f"{PLAIN_CATEGORY[cat] if cat else 'the harm described'}.",
        )
    if decision.outcome is Outcome.END:
        why = policy.end_reasons.get(decision.end_reason, "")
        return "Plan ends", "", f"the child protection plan will end. {why + '.' if why else ''}".strip()
    step = decision.no_plan_next_step
    return (
        "No child protection plan",
        "",
        f"does not need a child protection plan.{' What happens instead: ' + step + '.' if step else ''}",
    )


def issue_text(bundle: m.ConferenceBundle) -> str:
    """What a finalised record's pages say instead of the internal version counter: the issue (1 when
    finalised, one more for each amendment since) and the day it was finalised; "" for a draft."""
    c = bundle.conference
    if c.record_status is not RecordStatus.FINALISED:
        return ""
    issue = f"Issue {1 + len(bundle.amendments)}"
    return f"{issue}, finalised {_d(c.finalised_at.date())}" if c.finalised_at else issue


def _attendance_text(inv: m.Invitation) -> str:
    if inv.status is AttendanceStatus.ATTENDED:
        text = "Present" + (f" ({inv.mode.value.replace('_', ' ')})" if inv.mode else "")
        if inv.arrived_at:
            text += f", arrived {inv.arrived_at:%H:%M}"
        if inv.left_at:
            text += f", left {inv.left_at:%H:%M}"
        if inv.excluded_from_part:
            text += ", not present for part"
        return text
    return {
        AttendanceStatus.APOLOGIES: "Apologies",
        AttendanceStatus.DID_NOT_ATTEND: "Did not attend",
        AttendanceStatus.INVITED: "Invited",
    }[inv.status]


def is_family(person: m.Person, policy: Policy) -> bool:
    role = policy.role(person.role_code)
    return bool(role and role.family)


def build_view(bundle: m.ConferenceBundle, policy: Policy, recipient: m.Person | None = None) -> v.ConferenceView:
    """The conference as plain text for one recipient (None: the chair's full copy)."""
    c = bundle.conference
    people = {p.id: p for p in bundle.people}
    decisions = {d.child_id: d for d in bundle.decisions}
    voices = {cc.child_id: cc for cc in bundle.conference_children}

    def name(pid: uuid.UUID | None) -> str:
        person = people.get(pid) if pid else None
        return f"{person.name}, {person.role}" if person and person.role else (person.name if person else "")

    children = []
    for child in bundle.considered_children():
        d = decisions.get(child.id)
        outcome, category, sentence = plain_decision(d, policy)
        voice = voices[child.id]
        repeat = ""
        if d and d.outcome is Outcome.PLAN:
            facts = repeat_facts(bundle.plan_history, child.id, c.held_on)
            if facts.is_repeat:
                repeat = facts.explanation.replace(" Record the chair's repeat-plan analysis.", "")
                if d.repeat_plan_analysis:
                    repeat += f" Chair's analysis: {d.repeat_plan_analysis}"
        children.append(
            v.ChildLine(
                name=child.full_name,
                age=age_text(child.date_of_birth, c.held_on, child.expected_date_of_birth),
                outcome=outcome,
                category=category,
                plain_decision=sentence,
                participation=(
                    f"{voice.participation_code.value}: {WORDING[voice.participation_code]}"
                    if voice.participation_code
                    else ""
                ),
                views=voice.views,
                views_how=voice.views_how,
                repeat=repeat,
                dissent=d.dissent if d else "",
                reasons=(d.reasons or d.no_plan_next_step) if d else "",
            )
        )

    def items(section: MappingSection) -> list[v.Item]:
        chosen = sorted((i for i in bundle.mapping_items if i.section is section), key=lambda i: i.position)
        return [v.Item(i.text, name(i.said_by)) for i in chosen]

    invitations = sorted(bundle.invitations, key=lambda i: i.position)
    attendance = []
    for inv in invitations:
        person = people[inv.person_id]
        report = f"Report provided {_d(inv.report_submitted_on)}".strip() if inv.report_submitted else "No report"
        attendance.append(
            v.Attendee(person.name, person.role, person.agency, _attendance_text(inv), report, inv.information_shared)
        )
    core = [people[i.person_id] for i in invitations if i.core_group_member]
    social_worker = next(
        (people[i.person_id] for i in invitations if people[i.person_id].role_code == "social_worker"), None
    )
    recs = []
    for r in bundle.recommendations:
        words, category, _ = plain_decision(
            m.Decision(
                conference_id=c.id,
                child_id=r.child_id,
                outcome=r.outcome,
                initial_category=r.category,
                latest_category=r.category,
            ),
            policy,
        )
        recs.append(
            v.Recommendation(
                name(r.person_id),
                bundle.child(r.child_id).full_name,
                words + (f", {category.lower()}" if category else ""),
            )
        )
    recs.sort(key=lambda r: (r.who, r.child))
    child_names = {ch.id: ch.full_name for ch in bundle.children}
    q = quoracy.assess(quoracy.attendees_from(bundle.invitations, bundle.people), c.kind, policy)
    quoracy_text = q.explanation
    if c.quoracy_rationale:
        quoracy_text += f" The chair proceeded because: {c.quoracy_rationale}"

    view = v.ConferenceView(
        ref=c.ref,
        family=bundle.family.name,
        kind=c.kind.label,
        date=_d(c.held_on),
        time=c.start_time.strftime("%H:%M") if c.start_time else "",
        venue="Remote meeting" if c.remote else c.venue,
        chair=c.chair,
        minute_taker=c.minute_taker,
        draft=c.record_status is not RecordStatus.FINALISED,
        issue=issue_text(bundle),
        recipient=_recipient_label(recipient) if recipient else "",
        family_recipient=bool(recipient and is_family(recipient, policy)),
        address=bundle.family.address,
        children=children,
        pairs=[
            v.Pair(p.danger_statement, p.safety_goal, p.scale) for p in sorted(bundle.pairs, key=lambda p: p.position)
        ],
        overall_scale=c.overall_scale,
        scale_zero=policy.zero_means,
        scale_ten=policy.ten_means,
        past_harm=items(MappingSection.PAST_HARM),
        complicating=items(MappingSection.COMPLICATING_FACTOR),
        strengths=items(MappingSection.STRENGTH),
        existing_safety=items(MappingSection.EXISTING_SAFETY),
        next_steps=items(MappingSection.NEXT_STEP),
        first_core_group=_d(c.first_core_group_on),
        next_review=_d(c.next_review_on),
        contact=v.Contact(
            social_worker.name, social_worker.role, social_worker.agency, social_worker.phone, social_worker.email
        )
        if social_worker
        else None,
        attendance=attendance,
        quoracy=quoracy_text,
        recommendations=recs,
        parents_views=c.parents_views,
        contingency_plan=c.contingency_plan,
        actions=[
            v.Action(a.what, a.who, _d(a.by_when), a.how_we_know, child_names.get(a.child_id, ""))
            for a in sorted(bundle.actions, key=lambda a: a.position)
        ],
        core_group=[v.Contact(p.name, p.role, p.agency, p.phone, p.email) for p in core],
        distribution=[f"{people[i.person_id].name} ({people[i.person_id].role})" for i in invitations],
        plan_per_child=policy.plan_per == "child",
    )
    return redact(view, bundle, policy, recipient)


def withheld_details(bundle: m.ConferenceBundle, policy: Policy, recipient: m.Person | None) -> list[tuple[str, str]]:
    """(secret, replacement) pairs this recipient must not see; none for the chair or a professional."""
    if recipient is None or not is_family(recipient, policy):
        return []
    out: list[tuple[str, str]] = []
    for person in bundle.people:
        if person.id == recipient.id:
            continue
        if person.contact_withheld:
            out += [(x, WITHHELD) for x in (person.phone, person.email, person.address) if x]
        if person.name_withheld:
            out.append((person.name, person.relationship or person.role or "a family member"))
    if bundle.family.address_withheld and bundle.family.address:
        out.append((bundle.family.address, WITHHELD))
    # Longest first, so that a full name is replaced before any part of it.
    return sorted(out, key=lambda pair: -len(pair[0]))


def redact(
    view: v.ConferenceView, bundle: m.ConferenceBundle, policy: Policy, recipient: m.Person | None
) -> v.ConferenceView:
    return v.replace_text(view, withheld_details(bundle, policy, recipient))


# ---------------------------------------------------------------------------------------------------------
# Producing documents


@dataclass(frozen=True)
class Produced:
    pdf: bytes
    copies: tuple[str, ...]  # recipients, "" for the chair's copy
    unprintable: tuple[str, ...]  # characters the bundled font cannot show
    kind: DocumentKind = DocumentKind.HANDOUT
    ref: str = ""  # the conference's reference
    conference_id: uuid.UUID | None = None
    version: int = 1  # the record's version the document shows
    copy_pages: tuple[int, ...] = ()  # pages of each copy, in ``copies`` order


def _attendees(bundle: m.ConferenceBundle) -> list[m.Person]:
    people = {p.id: p for p in bundle.people}
    chosen = [
        people[i.person_id]
        for i in sorted(bundle.invitations, key=lambda i: i.position)
        if i.status is AttendanceStatus.ATTENDED
    ]
    if not chosen:
        raise InvalidInput("attendance: nobody is recorded as present yet; take the roll-call first")
    return chosen


def _merge(pdfs: list[bytes]) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for pdf in pdfs:
        writer.append(io.BytesIO(pdf))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _texts(view: v.ConferenceView) -> list[str]:
    import dataclasses

    out: list[str] = []

    def walk(value) -> None:
        if isinstance(value, str):
            out.append(value)
        elif isinstance(value, list):
            for x in value:
                walk(x)
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name))

    walk(view)
    return out


#: What a job is called on a print queue: the conference reference and the document, never a family's name
#: (office printers are shared and their queues are on show).
JOB_NAMES = {
    DocumentKind.HANDOUT: "mapping handout",
    DocumentKind.CP_PLAN: "child protection plan",
    DocumentKind.RECORD: "conference record",
    DocumentKind.DECISION_LETTER: "decision letter",
}
METHODS = ("printed", "saved")


def _record(
    db: Database,
    conference_id: uuid.UUID,
    version: int,
    kind: DocumentKind,
    recipients: list[str],
    *,
    method: str,
    queue: str = "",
    job_id: str = "",
    pages: list[int | None] | None = None,
) -> None:
    """Note each document produced: what, for whom, when (created_at), at which version of the record, and how
    it left the app (printed to which queue as which job, or saved), with how many pages."""
    from datetime import date

    from chair_app.services.distribution import printed_at_meeting

    operation = "print" if method == "printed" else "save"
    with db.unit_of_work(operation, conference_id=conference_id, detail=kind.value.replace("_", " ")) as session:
        # Printed at the meeting for someone present: handed over there (issue 14, services/distribution.py).
        handed = {}
        if method == "printed":
            handed = printed_at_meeting(session, conference_id, kind, version, recipients, date.today())
        for index, name in enumerate(recipients):
            session.add(
                rows.DocumentRecordRow(
                    conference_id=conference_id,
                    kind=kind,
                    recipient=name or "Chair's copy",
                    document_version=version,
                    method=method,
                    queue=queue,
                    job_id=job_id,
                    pages=pages[index] if pages is not None else None,
                    distributed_on=handed.get(name),
                )
            )


def job_name(produced: Produced) -> str:
    """The print job's name: e.g. "CPC-2026-0001 mapping handout" (no personal data)."""
    return f"{produced.ref} {JOB_NAMES[produced.kind]}".strip()


def record_output(
    db: Database,
    produced: Produced,
    *,
    method: str,
    queue: str = "",
    job_id: str = "",
    pages: tuple[int, ...] | None = None,
) -> int:
    """Record a document that has left the app: handed to a print queue ("printed") or written to a file
    ("saved"). Call it only once that has happened: a cancelled dialog or an aborted job records nothing.

    ``pages`` says, per copy (in ``produced.copies`` order), how many pages went; a copy none of whose pages
    went (a page range that left it out) is not recorded. Returns the number of records written.
    """
    if method not in METHODS:
        raise InvalidInput(f"method: {method!r} is not one of {', '.join(METHODS)}")
    counts = list(pages) if pages is not None else list(produced.copy_pages)
    if len(counts) != len(produced.copies):
        raise InvalidInput("pages: give one page count per copy")
    chosen = [(name, n) for name, n in zip(produced.copies, counts, strict=True) if n]
    if not chosen:
        return 0
    _record(
        db,
        produced.conference_id,
        produced.version,
        produced.kind,
        [name for name, _n in chosen],
        method=method,
        queue=queue,
        job_id=job_id,
        pages=[n for _name, n in chosen],
    )
    return len(chosen)


def pages_sent(produced: Produced, first: int, last: int, copies: int = 1) -> tuple[int, ...]:
    """Pages of each copy that fall within pages ``first``..``last`` (1-based, inclusive) of the whole PDF,
    times the number of copies printed."""
    out, start = [], 1
    for n in produced.copy_pages:
        end = start + n - 1
        out.append(max(0, min(end, last) - max(start, first) + 1) * copies)
        start = end + 1
    return tuple(out)


def pdf_pages(pdf: bytes, first: int, last: int) -> bytes:
    """Pages ``first``..``last`` (1-based, inclusive) of ``pdf``, as a PDF of their own (still vector)."""
    from pypdf import PdfReader, PdfWriter

    reader = PdfReader(io.BytesIO(pdf))
    writer = PdfWriter()
    for index in range(max(first, 1) - 1, min(last, len(reader.pages))):
        writer.add_page(reader.pages[index])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _page_count(pdf: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(pdf)).pages)


def _recorded(db: Database, made: Produced, record: bool | None) -> None:
    """``record``: True, saved at once; False, built for the window's preview (the audit trail notes who saw
    it; printing or saving it records it later through record_output); None, the caller records it through
    record_output once its file is written (the command line), so a refused write leaves no trace."""
    if record:
        record_output(db, made, method="saved")
    elif record is False:
        _previewed(db, made)


def _previewed(db: Database, produced: Produced) -> None:
    """A preview is not a document produced, but it is someone seeing the record: the audit trail has it."""
    from chair_app.services.journal import note_event

    note_event(db, produced.conference_id, "preview", detail=produced.kind.value.replace("_", " "))


def _produce(
    db: Database,
    bundle: m.ConferenceBundle,
    policy: Policy,
    kind: DocumentKind,
    recipients: list[m.Person | None],
    build: Callable[[v.ConferenceView, m.Person | None], bytes],
    *,
    record: bool | None,
) -> Produced:
    from chair_app.documents.page import missing_characters

    pdfs, names, unprintable = [], [], []
    for person in recipients:
        view = build_view(bundle, policy, person)
        pdfs.append(build(view, person))
        names.append(person.name if person else "")
        unprintable += missing_characters(_texts(view))
    pdf = pdfs[0] if len(pdfs) == 1 else _merge(pdfs)
    made = Produced(
        pdf,
        tuple(names),
        tuple(dict.fromkeys(unprintable)),
        kind,
        bundle.conference.ref,
        bundle.conference.id,
        bundle.conference.version,
        tuple(_page_count(one) for one in pdfs),
    )
    _recorded(db, made, record)
    return made


def handout(
    db: Database,
    ref: str,
    policy: Policy,
    *,
    per_attendee: bool = False,
    large_print: bool = False,
    a3: bool = False,
    record: bool | None = True,
) -> Produced:
    from chair_app.documents.handout import handout_pdf

    if per_attendee:
        return _handout_copies(db, ref, policy, large_print=large_print, a3=a3, record=record)
    return _produce(
        db,
        load(db, ref),
        policy,
        DocumentKind.HANDOUT,
        [None],
        lambda view, _p: handout_pdf(view, large_print=large_print, a3=a3),
        record=record,
    )


def _recipient_label(person: m.Person) -> str:
    return f"Copy for {person.name}" + (f" ({person.role})" if person.role else "")


def _handout_copies(
    db: Database, ref: str, policy: Policy, *, large_print: bool, a3: bool, record: bool | None
) -> Produced:
    """One copy per attendee, in attendance order, in one PDF.

    Copies that redact the same details share one layout; each is then stamped with its recipient's footer.
    So twelve copies for professionals and a family cost two layouts, not twelve.
    """
    from pypdf import PdfWriter

    from chair_app.documents.handout import handout_pdf, handout_spec
    from chair_app.documents.page import add_personalised_copy, missing_characters

    bundle = load(db, ref)
    attendees = _attendees(bundle)
    layouts: dict[tuple, tuple[bytes, v.ConferenceView]] = {}
    writer = PdfWriter()
    unprintable: list[str] = []
    copy_pages: list[int] = []
    for person in attendees:
        key = tuple(withheld_details(bundle, policy, person))
        if key not in layouts:
            view = build_view(bundle, policy, person)
            view.recipient = ""  # the footer line is stamped per copy
            layouts[key] = (handout_pdf(view, large_print=large_print, a3=a3), view)
            unprintable += missing_characters(_texts(view))
        layout, view = layouts[key]
        before = len(writer.pages)
        add_personalised_copy(
            writer, handout_spec(view, large_print=large_print, a3=a3), layout, _recipient_label(person)
        )
        copy_pages.append(len(writer.pages) - before)
    out = io.BytesIO()
    writer.write(out)
    names = [p.name for p in attendees]
    made = Produced(
        out.getvalue(),
        tuple(names),
        tuple(dict.fromkeys(unprintable)),
        DocumentKind.HANDOUT,
        bundle.conference.ref,
        bundle.conference.id,
        bundle.conference.version,
        tuple(copy_pages),
    )
    _recorded(db, made, record)
    return made


def cp_plan(db: Database, ref: str, policy: Policy, *, record: bool | None = True) -> Produced:
    from chair_app.documents.plan import plan_pdf

    bundle = load(db, ref)
    if not any(d.outcome in (Outcome.PLAN, Outcome.CONTINUE) for d in bundle.decisions):
        raise InvalidInput("plan: no child has a child protection plan at this conference")
    return _produce(db, bundle, policy, DocumentKind.CP_PLAN, [None], lambda view, _p: plan_pdf(view), record=record)


def conference_record(db: Database, ref: str, policy: Policy, *, record: bool | None = True) -> Produced:
    from chair_app.documents.record import record_pdf

    return _produce(
        db, load(db, ref), policy, DocumentKind.RECORD, [None], lambda view, _p: record_pdf(view), record=record
    )


def decision_letter(db: Database, ref: str, policy: Policy, *, record: bool | None = True) -> Produced:
    """One letter per parent or carer invited, each their own copy (redacted for them)."""
    from chair_app.documents.letter import letter_pdf

    bundle = load(db, ref)
    people = {p.id: p for p in bundle.people}
    parents = [
        people[i.person_id]
        for i in sorted(bundle.invitations, key=lambda i: i.position)
        if people[i.person_id].role_code in ("parent", "carer")
    ]
    if not parents:
        raise InvalidInput("letter: no parent or carer is invited to this conference; add them as invitees")
    return _produce(
        db,
        bundle,
        policy,
        DocumentKind.DECISION_LETTER,
        list(parents),
        lambda view, person: letter_pdf(view, person.name if person else "parent"),
        record=record,
    )


# What the window offers, in its order: (key, label, producer).
CHOICES: tuple[tuple[str, str, Callable[..., Produced]], ...] = (
    (
        "handout-copies",
        "Mapping handout: a copy for each attendee",
        functools.partial(handout, per_attendee=True),
    ),
    ("handout", "Mapping handout: chair's copy", handout),
    (
        "handout-large",
        "Mapping handout: large print",
        functools.partial(handout, large_print=True),
    ),
    ("plan", "Child protection plan", cp_plan),
    ("record", "Conference record", conference_record),
    ("letter", "Decision letter to parents", decision_letter),
)
