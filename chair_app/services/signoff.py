"""Signing a conference record off, and amending it afterwards.

Finalising keeps a snapshot of the shared records the record shows (family, children, people and plan history
as they are that day), so that a family's later, legitimate changes never alter a finalised record; from then
on the database refuses any change to the record (``store/guards.py``) and only amendments are appended.

Who may sign off is ``may_sign_off`` (today: the conference's chair; issue 14 adds roles there). What must be
done first is the Close step's checklist (``services/readiness.py``): the kinds of gap the policy's
``[sign_off] blocking`` names refuse the sign-off, the rest are warnings.

An amendment is either a note, or a correction of one text field of the finalised record: the amendment row
holds the record (table and id), the field, the text before and after, the reason, who and when. The stored
record never changes; ``amended`` applies the corrections to a loaded bundle before documents and
`chair-app show` lay it out, and ``amendment_lines`` is the list of amendments they print.
"""

from __future__ import annotations

import copy
import uuid
from dataclasses import dataclass
from datetime import date

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import RecordStatus
from chair_app.domain.errors import InvalidInput, NotFound, RecordFinalised
from chair_app.rules import inputs
from chair_app.rules.policy import Policy
from chair_app.services import readiness
from chair_app.services.agreements import require_agreements
from chair_app.store import journal
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database


class NotReady(InvalidInput):
    """Sign-off refused because the checklist's blocking gaps are not put right: ``missing`` lists them."""

    def __init__(self, headline: str, missing: list[str]) -> None:
        n = len(missing)
        words = "one thing is" if n == 1 else f"{n} things are"
        super().__init__(f"{headline}: {words} missing: " + "; ".join(missing))
        self.headline = headline
        self.missing = missing


def _name(text: str) -> str:
    return " ".join(text.split()).casefold()


def may_sign_off(conference: m.Conference, who: str) -> bool:
    """Whether ``who`` may sign this conference's record off: its chair (issue 14 extends this with roles)."""
    return bool(conference.chair.strip()) and _name(who) == _name(conference.chair)


def sign_off_refusal(conference: m.Conference, who: str) -> str | None:
    """Why ``who`` may not sign the record off, in one line; None when they may."""
    if may_sign_off(conference, who):
        return None
    if not conference.chair.strip():
        return "signed off by: the conference has no chair recorded; record the chair (step 1, Before) first"
    return f"signed off by: only the conference's chair, {conference.chair}, signs the record off (not {who.strip()})"


@dataclass(frozen=True)
class Readiness:
    """The checklist at sign-off: what stops it (``blocking``) and what is only a warning."""

    blocking: tuple[readiness.Gap, ...]
    warnings: tuple[readiness.Gap, ...]


def check_ready(
    bundle: m.ConferenceBundle, policy: Policy, today: date, previous: m.Conference | None = None
) -> Readiness:
    gaps = readiness.gaps_before_sign_off(
        bundle,
        policy,
        today,
        previous.held_on if previous else None,
        previous.quoracy_outcome if previous else None,
    )
    stop = readiness.blocking(gaps, policy)
    return Readiness(tuple(stop), tuple(g for g in gaps if g not in stop))


def _previous(session, conference: m.Conference) -> m.Conference | None:
    if conference.previous_conference_id is None:
        return None
    row = session.get(rows.ConferenceRow, conference.previous_conference_id)
    return repo.to_record(row, m.Conference) if row else None


def finalise(
    db: Database, ref: str, *, who: str, policy: Policy | None = None, today: date | None = None
) -> m.Conference:
    """Sign the record off: check who and what is missing, snapshot its shared records, then mark it finalised,
    in one transaction. ``policy`` defaults to the policy in force (the check is never skipped)."""
    if not who.strip():
        raise InvalidInput("signed off by: give the name of the person signing the record off")
    if policy is None:
        from chair_app.services.context import policy_in_force

        policy = policy_in_force(None)
    today = today or date.today()
    with db.unit_of_work("finalise", who=who) as session:
        row = repo.get_conference_row(session, ref)
        if row.record_status is RecordStatus.FINALISED:
            when = uk_date(row.finalised_at.date()) if row.finalised_at else "an earlier date"
            raise RecordFinalised(
                f"finalise: {m.short_ref(row.id)} was signed off by {row.signed_off_by or 'someone'} on {when}; "
                "add an amendment instead"
            )
        bundle = repo.load_bundle(session, row.id)
        refusal = sign_off_refusal(bundle.conference, who)
        if refusal:
            raise InvalidInput(refusal)
        ready = check_ready(bundle, policy, today, _previous(session, bundle.conference))
        if ready.blocking:
            raise NotReady(
                f"finalise: {m.short_ref(row.id)} is not ready to sign off", [g.text for g in ready.blocking]
            )
        require_agreements(session, row.id, policy)  # a second person's agreement the policy asks for (issue 14)
        journal.write_snapshot(session, bundle)
        row.record_status = RecordStatus.FINALISED
        row.signed_off_by = who.strip()
        row.finalised_at = m.utcnow()
        row.updated_by = who.strip()
        session.flush()
        return repo.to_record(row, m.Conference)


# ---------------------------------------------------------------------------------------------------------
# Amendments

# Text fields that hold a policy key or a code, not words: corrected by a note, not by an amendment of the field.
_NOT_AMENDABLE = frozenset({"role_code", "referral_source", "stood_down_reason", "label"})


def amendable_fields(cls: type[m.Record]) -> dict[str, str]:
    """The text fields of a record type that an amendment may correct, with the words the workspace uses."""
    from chair_app.services.workspace import EDITABLE

    types = m.field_types(cls)
    return {
        name: label
        for name, label in EDITABLE.get(cls, {}).items()
        if types[name][0] is str and name not in _NOT_AMENDABLE
    }


def _records(bundle: m.ConferenceBundle) -> list[m.Record]:
    out: list[m.Record] = [bundle.conference, bundle.family]
    for name, _cls in m.BUNDLE_LISTS:
        if name not in ("documents", "amendments"):
            out += getattr(bundle, name)
    return out


def _table(cls: type[m.Record]) -> str:
    return repo.RECORD_ROWS[cls].__tablename__


def shorten(text: str, limit: int = 40) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


_NAMING = ("text", "danger_statement", "what", "reason", "note")


def describe(bundle: m.ConferenceBundle, record: m.Record, *, quoting: bool = True) -> str:
    """A record in words a clerk recognises: "Mapping item "Dad drinks…"", "Decision for Kayden Hayes"."""
    if isinstance(record, m.Conference):
        return "Conference"
    if isinstance(record, m.Family):
        return f"Family {record.name}"
    if isinstance(record, m.Child):
        return f"Child {record.full_name}"
    if isinstance(record, m.Person):
        return f"Person {record.name}"
    child_id = getattr(record, "child_id", None)
    if isinstance(record, m.Decision | m.ConferenceChild) and child_id:
        child = next((c for c in bundle.children if c.id == child_id), None)
        words = "Decision" if isinstance(record, m.Decision) else "Child's voice"
        return f"{words} for {child.full_name if child else 'a child'}"
    if isinstance(record, m.Invitation):
        person = bundle.person(record.person_id)
        return f"Attendance of {person.name if person else 'an invitee'}"
    words = "".join(" " + ch.lower() if ch.isupper() else ch for ch in type(record).__name__).strip().capitalize()
    if not quoting:  # the field named is the one that would quote it: the words alone
        return words
    for name in _NAMING:
        value = getattr(record, name, "")
        if isinstance(value, str) and value.strip():
            return f'{words} "{shorten(value)}"'
    return f"{words} {record.id.hex[:8]}"


@dataclass(frozen=True)
class AmendableField:
    """One field of the finalised record an amendment may correct, as shown and as now amended."""

    record: m.Record
    field_name: str
    label: str  # e.g. 'Mapping item "Dad drinks…": Text'
    value: str  # the value the record shows now (with earlier amendments applied)

    @property
    def record_kind(self) -> str:
        return _table(type(self.record))


def amendable(bundle: m.ConferenceBundle) -> list[AmendableField]:
    """Every field of the (amended) record an amendment may correct, in the order of the meeting."""
    shown = amended(bundle)
    out = []
    for record in _records(shown):
        for name, label in amendable_fields(type(record)).items():
            out.append(
                AmendableField(record, name, f"{describe(shown, record)}, {label.lower()}", getattr(record, name))
            )
    return out


def find_record(bundle: m.ConferenceBundle, spec: str | uuid.UUID) -> m.Record:
    """A record of the bundle by its id, a unique prefix of it (as `chair-app history` prints), or "conference"."""
    if isinstance(spec, uuid.UUID):
        found = [r for r in _records(bundle) if r.id == spec]
    elif spec.strip().lower() == "conference":
        return bundle.conference
    else:
        prefix = spec.strip().lower().replace("-", "")
        if len(prefix) < 4 or any(ch not in "0123456789abcdef" for ch in prefix):
            raise InvalidInput(
                f"--field: {spec!r} is not a record; give the record's id as `chair-app history` prints it "
                "(8 letters and digits), or conference, then .field"
            )
        found = [r for r in _records(bundle) if r.id.hex.startswith(prefix)]
    if not found:
        raise NotFound(f"--field: no record {spec} in {bundle.conference.ref}; see `chair-app history` for the ids")
    if len(found) > 1:
        raise InvalidInput(f"--field: {spec} names {len(found)} records; give more of the id")
    return found[0]


def _check_note(who: str, reason: str) -> None:
    if not who.strip():
        raise InvalidInput("amended by: give the name of the person making the amendment")
    if not reason.strip():
        raise InvalidInput("reason: say why the finalised record needs amending")
    problem = inputs.text_problem("reason", reason)
    if problem:
        raise InvalidInput(f"reason: {problem}")


def _finalised_row(session, ref: str | uuid.UUID) -> rows.ConferenceRow:
    row = (
        session.get_one(rows.ConferenceRow, ref)
        if isinstance(ref, uuid.UUID)
        else repo.get_conference_row(session, ref)
    )
    if row.record_status is not RecordStatus.FINALISED:
        raise InvalidInput(f"amend: {m.short_ref(row.id)} is not finalised yet; change the record itself")
    return row


def amend(db: Database, ref: str | uuid.UUID, *, who: str, reason: str, text: str) -> m.Amendment:
    """Append an amendment that is a note to a finalised record (the record itself never changes)."""
    _check_note(who, reason)
    if not text.strip():
        raise InvalidInput("amendment: write what the record should say")
    problem = inputs.text_problem("text", text)
    if problem:
        raise InvalidInput(f"amendment: {problem}")
    with db.unit_of_work("amend", who=who) as session:
        row = _finalised_row(session, ref)
        amendment = rows.AmendmentRow(conference_id=row.id, made_by=who.strip(), reason=reason.strip(), text=text)
        session.add(amendment)
        session.flush()
        return repo.to_record(amendment, m.Amendment)


def amend_field(
    db: Database,
    ref: str | uuid.UUID,
    *,
    who: str,
    reason: str,
    record: str | uuid.UUID,
    field_name: str,
    value: str,
) -> m.Amendment:
    """Correct one text field of a finalised record: an amendment holding the record, the field, the text it
    showed and the new text, the reason, who and when. The stored record is not changed (the guards refuse
    that); documents and `chair-app show` show the new text, marked amended."""
    _check_note(who, reason)
    with db.unit_of_work("amend", who=who) as session:
        row = _finalised_row(session, ref)
        bundle = repo.load_bundle(session, row.id)
        target = find_record(bundle, record)
        fields = amendable_fields(type(target))
        if field_name not in fields:
            choices = ", ".join(fields) or "none (add a note instead)"
            raise InvalidInput(
                f"--field: {describe(bundle, target)} has no field {field_name!r} an amendment can correct; "
                f"choose one of: {choices}"
            )
        label = fields[field_name]
        problem = inputs.text_problem(field_name, value)
        if problem:
            raise InvalidInput(f"{label}: {problem}")
        before = getattr(find_record(amended(bundle), target.id), field_name)
        if value == before:
            raise InvalidInput(f"{label}: the record already says that; type the corrected text")
        words = describe(bundle, target)
        amendment = rows.AmendmentRow(
            conference_id=row.id,
            made_by=who.strip(),
            reason=reason.strip(),
            text=f"{words}, {label.lower()}: corrected",
            record_kind=_table(type(target)),
            record_id=target.id,
            field_name=field_name,
            old_value=before,
            new_value=value,
        )
        session.add(amendment)
        session.flush()
        return repo.to_record(amendment, m.Amendment)


def _in_order(bundle: m.ConferenceBundle) -> list[m.Amendment]:
    return sorted(bundle.amendments, key=lambda a: (a.created_at, str(a.id)))


def amended(bundle: m.ConferenceBundle) -> m.ConferenceBundle:
    """The bundle as the record now reads: every field amendment's new text applied, oldest first (a copy;
    the bundle given is untouched). A record without field amendments is returned as it is."""
    corrections = [a for a in _in_order(bundle) if a.field_name and a.record_id is not None]
    if not corrections:
        return bundle
    out = copy.deepcopy(bundle)
    by_id = {r.id: r for r in _records(out)}
    for a in corrections:
        record = by_id.get(a.record_id)
        if record is not None and a.field_name in m.field_types(type(record)):
            setattr(record, a.field_name, a.new_value)
    return out


def amendment_lines(bundle: m.ConferenceBundle, only: uuid.UUID | None = None) -> list[str]:
    """Each amendment in one line, oldest first: what changed (or the note), "amended dd/mm/yyyy: reason", by.
    ``only``: just that amendment's line."""
    out = []
    shown = amended(bundle)
    by_id = {r.id: r for r in _records(shown)}
    for a in _in_order(bundle):
        if only is not None and a.id != only:
            continue
        when = f"amended {uk_date(a.created_at.date())}: {a.reason} (by {a.made_by})"
        if a.field_name and a.record_id is not None:
            record = by_id.get(a.record_id)
            label = amendable_fields(type(record)).get(a.field_name, a.field_name) if record else a.field_name
            what = describe(shown, record, quoting=a.field_name not in _NAMING) if record else "A record"
            was = f'"{shorten(a.old_value, 80)}"' if a.old_value else "empty"
            out.append(f'{what}, {label.lower()}: now "{a.new_value}" (was {was}); {when}')
        else:
            out.append(f"{a.text}; {when}")
    return out


def amendment_line(db: Database, amendment: m.Amendment) -> str:
    """One amendment as the record's list of amendments shows it."""
    with db.unit_of_work() as session:
        bundle = repo.load_bundle(session, amendment.conference_id)
    return amendment_lines(bundle, only=amendment.id)[0]
