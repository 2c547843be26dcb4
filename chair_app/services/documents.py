"""Producing documents: prepare a plain view per recipient, lay it out, record what was produced for whom.

Every copy is built for a named reader from what ``rules.audience.for_reader`` says they may see: the
conference with everything not for them already taken out (audience marks, withheld contact details and
addresses, people hidden from them, parts of the meeting they were excluded from), before any layout. The
chair's copy and professionals' copies are complete. Before a family member's copy leaves the app it is
checked against every "not to be shared with" restriction on them (``rules.audience.release_breaches``) and
refused, naming the item, if it would breach one.
"""

from __future__ import annotations

import functools
import io
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from chair_app.documents import views as v
from chair_app.documents.views import REMOVED_END, REMOVED_MARK, plain
from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import (
    AttendanceStatus,
    Category,
    ConferenceStatus,
    DocumentKind,
    MappingSection,
    Outcome,
    RecordStatus,
    Relationship,
)
from chair_app.domain.errors import InvalidInput
from chair_app.rules import audience, quoracy
from chair_app.rules.ages import age_text
from chair_app.rules.decisions import repeat_facts
from chair_app.rules.participation import WORDING
from chair_app.rules.policy import Policy
from chair_app.services import conferences
from chair_app.services.signoff import amended, amendment_lines
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database

PLAIN_CATEGORY = {
    Category.NEG: "neglect (their needs not being met)",
    Category.EMO: "emotional harm",
    Category.PHY: "physical harm",
    Category.SAB: "sexual abuse",
    Category.MUL: "more than one kind of harm",
}
WITHHELD = "[withheld]"


def load(db: Database, ref: str) -> m.ConferenceBundle:
    """The conference as its documents show it: a finalised record with its amendments' corrections applied."""
    return amended(conferences.load(db, ref))


_d = uk_date


def plain_decision(decision: m.Decision | None, policy: Policy, *, reasons: bool = False) -> tuple[str, str, str]:
    """(outcome in words, category label, a sentence a parent understands). With ``reasons``, the sentence
    gives the conference's recorded reasons (the letter); without, the kind of harm in plain words (the
    handout, where space is short)."""
    if decision is None:
        return "No decision recorded", "", "no decision has been recorded yet."
    if decision.outcome is Outcome.PLAN:
        cat = decision.initial_category
        return (
            "Child protection plan",
            cat.label if cat else "",
            f"needs a child protection plan {_because(decision, cat, reasons)}",
        )
    if decision.outcome is Outcome.CONTINUE:
        cat = decision.latest_category or decision.initial_category
        return (
            "Plan continues",
            cat.label if cat else "",
            f"the child protection plan will carry on {_because(decision, cat, reasons)}",
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


def _because(decision: m.Decision, category: Category | None, with_reasons: bool) -> str:
    """Why: the conference's own words when asked for and recorded, else the kind of harm; never "because
    everyone is worried"."""
    reasons = decision.reasons.strip()
    if plain(reasons).strip() and with_reasons:
        lead = reasons[: len(reasons) - len(reasons.lstrip(REMOVED_MARK))]  # the preview's mark stays in front
        rest = reasons[len(lead) :]
        return "because " + lead + rest[0].lower() + rest[1:] + ("" if plain(reasons).endswith(".") else ".")
    return f"because of the risk of {PLAIN_CATEGORY[category] if category else 'the harm described'}."


def dissent_words(decision: m.Decision) -> str:
    """The record's line on a dissent from the decision: who, its route and day, their view, and for an escalated
    one the senior chair's answer (or that it is awaited)."""
    from chair_app.rules.agreements import ROUTES

    d = decision
    if not d.dissent_by.strip():
        return d.dissent  # a dissent written before the route and clock were recorded (or by hand)
    raised = f" on {uk_date(d.dissent_raised_on)}" if d.dissent_raised_on else ""
    text = f"{d.dissent_by.strip()}, {ROUTES.get(d.dissent_route, d.dissent_route)}{raised}: {d.dissent.strip()}"
    if d.dissent_route == "escalated" and not text.endswith((".", "!", "?")):
        text += "."  # the answer follows as a sentence of its own
        if d.dissent_answered_on is not None:
            text += (
                f" The senior chair's answer ({uk_date(d.dissent_answered_on)}, "
                f"{d.dissent_answered_by.strip()}): {d.dissent_answer.strip()}"
            )
        else:
            text += " The senior chair's answer is awaited."
    return text


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
    return audience.is_family(person, policy)


#: What a paragraph left out of a reader's copy says instead ("Not recorded" would not be true).
OMITTED = "Not included in this copy."


def build_view(
    bundle: m.ConferenceBundle,
    policy: Policy,
    recipient: m.Person | None = None,
    *,
    copy: audience.ReaderCopy | None = None,
) -> v.ConferenceView:
    """The conference as plain text for one recipient (None: the chair's full copy), built from what they may
    see (``copy``, worked out here when not given)."""
    original = bundle
    copy = copy or audience.for_reader(bundle, recipient, policy)
    bundle = copy.bundle
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
                dissent=dissent_words(d) if d else "",
                reasons=(d.reasons or d.no_plan_next_step) if d else "",
                secondary_category=d.secondary_category.label if d and d.secondary_category else "",
                category_reason=d.category_reason if d else "",
            )
        )

    def items(section: MappingSection) -> list[v.Item]:
        chosen = sorted((i for i in bundle.mapping_items if i.section is section), key=lambda i: i.position)
        return [v.Item(i.text + m.last_time_words(i), name(i.said_by)) for i in chosen]  # issue 13: last time

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
        recommender = people.get(r.person_id)
        role = policy.role(recommender.role_code) if recommender else None
        recs.append(
            v.Recommendation(
                name(r.person_id),
                bundle.child(r.child_id).full_name,
                words + (f", {category.lower()}" if category else ""),
                agency=policy.group_label(role.group) if role else "",
                dissent=r.dissent,
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
        amendments=amendment_lines(bundle),
        family_views=family_views(bundle, policy),
        stood_down=policy.stood_down_reasons.get(c.stood_down_reason, c.stood_down_reason)
        if c.status is ConferenceStatus.STOOD_DOWN
        else "",
        reconvene_on=_d(c.reconvene_on) if c.status is ConferenceStatus.STOOD_DOWN else "",
        interim_arrangement=c.interim_arrangement if c.status is ConferenceStatus.STOOD_DOWN else "",
    )
    if view.family_views and not view.parents_views:  # the plan's "What the family said" reads this one text
        view.parents_views = " ".join(f"{f.who}: {f.views}" for f in view.family_views)
    gone = copy.removed_ids()
    for part in audience.PARAGRAPHS:
        if (c.id, part) in gone and hasattr(view, part):
            setattr(view, part, OMITTED)
    return redact(view, original, policy, recipient)


def family_views(bundle: m.ConferenceBundle, policy: Policy) -> list[v.FamilyView]:
    """Each family member's own views, in invitation order (issue 20: apart from the recommendations)."""
    out = []
    for inv in sorted(bundle.invitations, key=lambda i: i.position):
        person = bundle.person(inv.person_id)
        if person is not None and inv.views.strip() and is_family(person, policy):
            who = f"{person.name} ({person.role})" if person.role else person.name
            out.append(v.FamilyView(who, inv.views.strip()))
    return out


def withheld_details(bundle: m.ConferenceBundle, policy: Policy, recipient: m.Person | None) -> list[tuple[str, str]]:
    """Withheld names as (name, who they are) pairs, for a family member's copy.

    Contact details and addresses are not here: they are taken out of the data by ``rules.audience`` and
    anything of them typed into free text stops the copy at the release check. A withheld person's full name
    typed into an item is replaced by who they are (their forename alone is caught by the release check).
    """
    if recipient is None or not is_family(recipient, policy):
        return []
    out = [
        (p.name, p.relationship or p.role or "a family member")
        for p in bundle.people
        if p.name_withheld and p.id != recipient.id and p.name
    ]
    return sorted(out, key=lambda pair: -len(pair[0]))


#: Where each part of a view sits, for the release check's message.
PLACES = {
    "children": "Child",
    "pairs": "Danger statement and safety goal",
    "past_harm": "Past harm",
    "complicating": "Complicating factors",
    "strengths": "Strengths",
    "existing_safety": "Existing safety",
    "next_steps": "Next steps",
    "contact": "Who to contact",
    "attendance": "Who took part",
    "recommendations": "Recommendations",
    "parents_views": "The parents' views",
    "contingency_plan": "The contingency plan",
    "actions": "What needs to happen",
    "core_group": "The core group",
    "distribution": "Who receives it",
    "address": "The family's address",
    "quoracy": "Quoracy",
    "letter": "The letter",
}
NOT_CHECKED = ("recipient",)  # the reader's own name, on their own copy


def located_texts(view: v.ConferenceView) -> list[tuple[str, str]]:
    """Every string a view holds, each with where it sits: "Next steps, item 2"."""
    import dataclasses

    out: list[tuple[str, str]] = []

    def walk(value, where: str) -> None:
        if isinstance(value, str):
            out.append((where, value))
        elif isinstance(value, list):
            for i, x in enumerate(value):
                walk(x, f"{where}, item {i + 1}")
        elif dataclasses.is_dataclass(value):
            for f in dataclasses.fields(value):
                walk(getattr(value, f.name), where)

    for f in dataclasses.fields(view):
        if f.name not in NOT_CHECKED:
            walk(getattr(view, f.name), PLACES.get(f.name, f.name.replace("_", " ").capitalize()))
    return out


class ReleaseRefused(InvalidInput):
    """A family member's copy that would breach a "not to be shared with" restriction or a withheld detail."""


def check_release(
    bundle: m.ConferenceBundle,
    policy: Policy,
    reader: m.Person | None,
    copy: audience.ReaderCopy,
    view: v.ConferenceView,
) -> None:
    """Refuse a copy for ``reader`` that would breach a restriction, naming the item (the first of them)."""
    found = audience.release_breaches(bundle, reader, policy, copy, located_texts(view))
    if found:
        more = f" (and {len(found) - 1} more)" if len(found) > 1 else ""
        raise ReleaseRefused(f"copy for {reader.name if reader else 'the chair'}: not released. {found[0]}{more}")


def find_reader(bundle: m.ConferenceBundle, name: str) -> m.Person:
    """The person a copy is for, by name (any case) or id; one line naming the fix when there is none."""
    wanted = name.strip().casefold()
    found = [p for p in bundle.people if p.name.casefold() == wanted or str(p.id) == wanted]
    if not found:
        names = ", ".join(p.name for p in bundle.people)
        raise InvalidInput(f"for: nobody called {name!r} is in {bundle.conference.ref}; use one of: {names}")
    return found[0]


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


def scale_history_words(db: Database, bundle: m.ConferenceBundle) -> list[str]:
    """Issue 13: each danger statement's scale at the earlier conferences, in the order the view lists the
    statements ("" where it has none): what the handout prints under today's scale."""
    pairs = sorted(bundle.pairs, key=lambda p: p.position)
    if not any(p.carried_from_id for p in pairs):
        return []
    from chair_app.services.continuity import scale_histories

    found = scale_histories(db, bundle.conference.id)
    out = []
    for pair in pairs:
        earlier = found.get(pair.id, ())[:-1]
        out.append(
            "Earlier: " + ", ".join(f"{'-' if s.scale is None else s.scale} ({_d(s.held_on)})" for s in earlier)
            if earlier
            else ""
        )
    return out


def with_history(view: v.ConferenceView, histories: list[str]) -> None:
    for shown, words in zip(view.pairs, histories, strict=False):
        shown.history = words


def _produce(
    db: Database,
    bundle: m.ConferenceBundle,
    policy: Policy,
    kind: DocumentKind,
    recipients: list[m.Person | None],
    build: Callable[[v.ConferenceView, m.Person | None], bytes],
    *,
    record: bool | None,
    view_for: Callable[[m.Person, audience.ReaderCopy], v.ConferenceView] | None = None,
) -> Produced:
    from chair_app.documents.page import missing_characters

    pdfs, names, unprintable = [], [], []
    histories = scale_history_words(db, bundle)
    for person in recipients:
        copy = audience.for_reader(bundle, person, policy)
        if view_for is not None and person is not None:
            view = view_for(person, copy)
        else:
            view = build_view(bundle, policy, person, copy=copy)
        with_history(view, histories)
        check_release(bundle, policy, person, copy, view)
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
    recipient: str | None = None,
) -> Produced:
    """The mapping handout: the chair's copy, one copy for ``recipient`` (a name), or one per attendee."""
    from chair_app.documents.handout import handout_pdf

    if per_attendee:
        return _handout_copies(db, ref, policy, large_print=large_print, a3=a3, record=record)
    bundle = load(db, ref)
    return _produce(
        db,
        bundle,
        policy,
        DocumentKind.HANDOUT,
        [_reader(bundle, recipient)],
        lambda view, _p: handout_pdf(view, large_print=large_print, a3=a3),
        record=record,
    )


def _reader(bundle: m.ConferenceBundle, recipient: str | None) -> m.Person | None:
    return find_reader(bundle, recipient) if recipient else None


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
    histories = scale_history_words(db, bundle)
    for person in attendees:
        copy = audience.for_reader(bundle, person, policy)
        view = build_view(bundle, policy, person, copy=copy)
        with_history(view, histories)
        check_release(bundle, policy, person, copy, view)
        view.recipient = ""  # the footer line is stamped per copy
        key = repr(view)  # copies that show the same share one layout
        if key not in layouts:
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


def cp_plan(
    db: Database, ref: str, policy: Policy, *, record: bool | None = True, recipient: str | None = None
) -> Produced:
    """The child protection plan: the chair's copy, or ``recipient``'s (a name)."""
    from chair_app.documents.plan import plan_pdf

    bundle = load(db, ref)
    if not any(d.outcome in (Outcome.PLAN, Outcome.CONTINUE) for d in bundle.decisions):
        raise InvalidInput("plan: no child has a child protection plan at this conference")
    return _produce(
        db,
        bundle,
        policy,
        DocumentKind.CP_PLAN,
        [_reader(bundle, recipient)],
        lambda view, _p: plan_pdf(view),
        record=record,
    )


def conference_record(
    db: Database, ref: str, policy: Policy, *, record: bool | None = True, recipient: str | None = None
) -> Produced:
    """The conference record: the chair's copy, or ``recipient``'s (a name), leaving out any part of the
    meeting they were excluded from."""
    from chair_app.documents.record import record_pdf

    bundle = load(db, ref)
    return _produce(
        db,
        bundle,
        policy,
        DocumentKind.RECORD,
        [_reader(bundle, recipient)],
        lambda view, _p: record_pdf(view),
        record=record,
    )


def letter_recipients(bundle: m.ConferenceBundle) -> list[tuple[m.Person, list[m.Child]]]:
    """Who gets a decision letter, each with the children it is about, in invitation order.

    Each person with parental responsibility for a child considered (from the family network), and for an
    unborn child each expectant parent. A conference recorded before the family network existed falls back to
    every parent and carer invited, about every child.
    """
    considered = bundle.considered_children()
    people = {p.id: p for p in bundle.people}
    order = {i.person_id: i.position for i in bundle.invitations}
    chosen: dict[uuid.UUID, list[m.Child]] = {}
    if bundle.network:
        ids = {c.id for c in considered}
        for link in bundle.network:
            if link.child_id not in ids or link.person_id not in people:
                continue
            child = bundle.child(link.child_id)
            unborn = child.date_of_birth is None and child.expected_date_of_birth is not None
            if link.relationship is Relationship.PARENT_WITH_PR or (
                unborn and link.relationship is Relationship.PARENT_WITHOUT_PR
            ):
                chosen.setdefault(link.person_id, [])
                if child not in chosen[link.person_id]:
                    chosen[link.person_id].append(child)
    else:
        for inv in bundle.invitations:
            if people[inv.person_id].role_code in ("parent", "carer"):
                chosen[inv.person_id] = list(considered)
    rank = {c.id: i for i, c in enumerate(considered)}
    return [
        (people[pid], sorted(children, key=lambda c: rank[c.id]))
        for pid, children in sorted(chosen.items(), key=lambda kv: (order.get(kv[0], 10**6), people[kv[0]].name))
    ]


def _decision_sentence(child: m.Child, decision: m.Decision | None, policy: Policy) -> str:
    who = "your baby" if child.date_of_birth is None and child.expected_date_of_birth else child.forename
    if decision is None:
        return f"The conference has not yet recorded a decision about {who}."
    _outcome, _category, sentence = plain_decision(decision, policy, reasons=True)
    if decision.outcome is Outcome.CONTINUE:
        rest = sentence.removeprefix("the child protection plan will carry on ")
        return f"The conference decided that {who}'s child protection plan will carry on {rest}"
    if decision.outcome is Outcome.END:
        rest = sentence.removeprefix("the child protection plan will end.").strip()
        return f"The conference decided that {who}'s child protection plan will end. {rest}".strip()
    return f"The conference decided that {who} {sentence}"


def next_conference(db: Database, bundle: m.ConferenceBundle) -> m.Conference | None:
    """The conference convened to follow this one (its review, or the meeting that replaced a review that was
    stood down), when there is one: linked by ``previous_conference_id`` (services/continuity.py)."""
    c = rows.ConferenceRow
    with db.unit_of_work() as session:
        row = session.scalars(
            select(c)
            .where(c.previous_conference_id == bundle.conference.id, c.status != ConferenceStatus.STOOD_DOWN)
            .order_by(c.held_on.desc())
            .limit(1)
        ).first()
        return repo.to_record(row, m.Conference) if row is not None else None


#: Day names in English whatever the machine's locale (strftime's %A follows it; Qt sets it from the system).
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def next_meeting_words(following: m.Conference | None, *, on_plan: bool) -> str:
    """The next meeting in plain words: its date, time and place once it has been arranged; until then, that
    they will be sent (a date the review is due by is not a meeting a parent can come to). "" when there is no
    next conference to speak of (no child on a plan and none arranged)."""
    if following is None:
        if not on_plan:
            return ""
        return (
            "The next conference, called a review, has not been arranged yet. "
            "We will write to you with its date, time and place when it is arranged."
        )
    when = f"on {DAYS[following.held_on.weekday()]} {_d(following.held_on)}"
    if following.start_time:
        when += f" at {following.start_time:%H:%M}"
    if following.remote:
        where = ". It will be held online; we will send you how to join"
    elif following.venue.strip():
        where = f", at {following.venue.strip()}"
    else:
        where = ""
    missing = [x for x, known in (("time", following.start_time), ("place", where)) if not known]
    words = f"The next conference, called a review, will be {when}{where}."
    if missing:
        they = "they are" if len(missing) > 1 else "it is"
        words += f" We will write to you with the {' and '.join(missing)} when {they} arranged."
    return words + " You will be invited."


def letter_part(
    bundle: m.ConferenceBundle,
    copy: audience.ReaderCopy,
    reader: m.Person,
    children: list[m.Child],
    policy: Policy,
    today: date,
    following: m.Conference | None = None,
) -> v.LetterPart:
    """The letter's own parts for ``reader``, from what they may see (``copy``); ``following`` is the next
    conference when it has been convened (``next_conference``)."""
    decisions = {d.child_id: d for d in copy.bundle.decisions}
    own = copy.bundle.person(reader.id) or reader
    home = own.address or (copy.bundle.family.address if audience.lives_with_children(bundle, reader) else "")
    address = [] if reader.contact_withheld else [line.strip() for line in home.split(",") if line.strip()]
    status = next((i.status for i in bundle.invitations if i.person_id == reader.id), None)
    on_plan = any(
        decisions.get(ch.id) and decisions[ch.id].outcome in (Outcome.PLAN, Outcome.CONTINUE) for ch in children
    )
    next_meeting = next_meeting_words(following, on_plan=on_plan)
    return v.LetterPart(
        addressee=reader.name,
        address=address,
        dated=_d(today),
        took_part=status is AttendanceStatus.ATTENDED,
        sent_apologies=status is AttendanceStatus.APOLOGIES,
        decisions=[_decision_sentence(ch, decisions.get(ch.id), policy) for ch in children],
        next_meeting=next_meeting,
        core_group=(
            "A smaller meeting called the core group will meet soon to make the plan work and check how things are "
            "going. The social worker will tell you its date, time and place. You will be invited."
            if on_plan
            else ""
        ),
        complaints=policy.complaints
        or "If you are unhappy with the decision, you can ask the social worker or me how to complain.",
    )


def decision_letter(
    db: Database,
    ref: str,
    policy: Policy,
    *,
    record: bool | None = True,
    recipient: str | None = None,
    today: date | None = None,
) -> Produced:
    """One letter per person with parental responsibility (``letter_recipients``), each about their own
    children and built from what they may see; with ``recipient``, that person's letter only."""
    from chair_app.documents.letter import letter_pdf

    bundle = load(db, ref)
    chosen = letter_recipients(bundle)
    if recipient:
        reader = find_reader(bundle, recipient)
        chosen = [(p, kids) for p, kids in chosen if p.id == reader.id]
        if not chosen:
            raise InvalidInput(
                f"for: {reader.name} has no parental responsibility for a child of this conference; "
                "record it in the family network (Before step) or choose a parent"
            )
    if not chosen:
        raise InvalidInput(
            "letter: nobody with parental responsibility is recorded; add the parents to the family network "
            "(Before step)"
        )
    children_of = {p.id: kids for p, kids in chosen}
    day = today or date.today()
    following = next_conference(db, bundle)

    def build(view: v.ConferenceView, person: m.Person | None) -> bytes:
        return letter_pdf(view, person.name if person else "parent")

    def view_for(person: m.Person, copy: audience.ReaderCopy) -> v.ConferenceView:
        view = build_view(bundle, policy, person, copy=copy)
        kids = children_of[person.id]
        considered = copy.bundle.considered_children()
        view.children = [line for line, ch in zip(view.children, considered, strict=True) if ch in kids]
        view.letter = letter_part(bundle, copy, person, kids, policy, day, following)
        return view

    return _produce(
        db,
        bundle,
        policy,
        DocumentKind.DECISION_LETTER,
        [p for p, _kids in chosen],
        build,
        record=record,
        view_for=view_for,
    )


# ---------------------------------------------------------------------------------------------------------
# "View as": the chair's preview of a person's copy


@dataclass(frozen=True)
class ViewAs:
    produced: Produced  # the chair's preview: everything, with what the reader does not get shaded
    removed: tuple[audience.Removed, ...]  # what the reader's copy leaves out, and why
    refusal: str = ""  # why the reader's copy could not be released as it stands ("" when it could)


def readers(db: Database, ref: str) -> list[tuple[str, str]]:
    """(name, role) of everyone a copy may be made for, in invitation order."""
    bundle = load(db, ref)
    people = {p.id: p for p in bundle.people}
    return [
        (people[i.person_id].name, people[i.person_id].role)
        for i in sorted(bundle.invitations, key=lambda i: i.position)
        if i.person_id in people
    ]


def preview_view(
    bundle: m.ConferenceBundle,
    copy: audience.ReaderCopy,
    policy: Policy,
    reader: m.Person,
    kind: DocumentKind,
    today: date,
    following: m.Conference | None = None,
) -> v.ConferenceView:
    """The chair's "view as" view: everything, with what ``reader``'s copy (``copy``) leaves out between the
    layout's marks, so that it is shaded where it stands: an item, a table row, a sentence, a cell."""
    shaded = audience.shaded(bundle, copy, REMOVED_MARK, REMOVED_END)
    view = build_view(shaded, policy, None)
    view.recipient = f"View as {reader.name}: shaded = left out"
    # A core group entry left out is no text the bundle can mark: its row in the core group is shaded here.
    gone = copy.removed_ids()
    people = {p.id: p for p in bundle.people}
    left_out = {
        people[i.person_id].name
        for i in bundle.invitations
        if (i.id, "core_group") in gone and i.core_group_member and i.person_id in people
    }
    view.core_group = [
        v.Contact(*(_marked(x) for x in (c.name, c.role, c.agency, c.phone, c.email)))
        if plain(c.name) in left_out
        else c
        for c in view.core_group
    ]
    if kind is DocumentKind.DECISION_LETTER:
        kids = {p.id: k for p, k in letter_recipients(bundle)}.get(reader.id)
        if kids is None:
            raise InvalidInput(f"for: {reader.name} has no parental responsibility for a child of this conference")
        considered = bundle.considered_children()
        view.children = [line for line, ch in zip(view.children, considered, strict=True) if ch in kids]
        # The letter's own parts from the shaded conference: a reason, a detail the letter leaves out, shaded.
        own = audience.ReaderCopy(shaded, [], (reader,))
        view.letter = letter_part(bundle, own, reader, kids, policy, today, following)
    return view


def _marked(text: str) -> str:
    return f"{REMOVED_MARK}{plain(text)}{REMOVED_END}" if plain(text) else text


def view_as(db: Database, ref: str, policy: Policy, kind: DocumentKind, recipient: str) -> ViewAs:
    """The document as ``recipient`` will receive it, for the chair's eyes only: the whole document with what
    their copy leaves out shaded, the list of what and why, and whether their copy may be released.

    Not recorded as a document produced (it is nobody's copy); the audit trail notes the preview.
    """
    from chair_app.documents.handout import handout_pdf
    from chair_app.documents.letter import letter_pdf
    from chair_app.documents.page import missing_characters
    from chair_app.documents.plan import plan_pdf
    from chair_app.documents.record import record_pdf

    bundle = load(db, ref)
    reader = find_reader(bundle, recipient)
    copy = audience.for_reader(bundle, reader, policy)
    refusal = ""
    try:
        check_release(bundle, policy, reader, copy, build_view(bundle, policy, reader, copy=copy))
    except ReleaseRefused as exc:
        refusal = str(exc)
    following = next_conference(db, bundle) if kind is DocumentKind.DECISION_LETTER else None
    view = preview_view(bundle, copy, policy, reader, kind, date.today(), following)
    build = {
        DocumentKind.HANDOUT: handout_pdf,
        DocumentKind.CP_PLAN: plan_pdf,
        DocumentKind.RECORD: record_pdf,
        DocumentKind.DECISION_LETTER: lambda view: letter_pdf(view, reader.name),
    }[kind]
    pdf = build(view)
    made = Produced(
        pdf,
        (f"{reader.name} (preview)",),
        tuple(dict.fromkeys(missing_characters([plain(t) for t in _texts(view)]))),
        kind,
        bundle.conference.ref,
        bundle.conference.id,
        bundle.conference.version,
        (_page_count(pdf),),
    )
    _previewed(db, made)
    return ViewAs(made, tuple(copy.removed), refusal)


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
    ("letter", "Decision letter to each parent with parental responsibility", decision_letter),
)
