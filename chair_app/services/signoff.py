"""Signing a conference record off, and amending it afterwards.

Finalising keeps a snapshot of the shared records the record shows (family, children, people and plan history
as they are that day), so that a family's later, legitimate changes never alter a finalised record; from then
on the database refuses any change to the record (``store/guards.py``) and only amendments are appended.
The rules for when a record may be signed off, and the Close step's sign-off, are the service half's work.
"""

from __future__ import annotations

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import RecordStatus
from chair_app.domain.errors import InvalidInput, RecordFinalised
from chair_app.services.agreements import require_agreements
from chair_app.store import journal
from chair_app.store import models as rows
from chair_app.store import repository as repo
from chair_app.store.engine import Database


def finalise(db: Database, ref: str, *, who: str) -> m.Conference:
    """Sign the record off: snapshot its shared records, then mark it finalised, in one transaction."""
    if not who.strip():
        raise InvalidInput("signed off by: give the name of the person signing the record off")
    with db.unit_of_work("finalise", who=who) as session:
        row = repo.get_conference_row(session, ref)
        if row.record_status is RecordStatus.FINALISED:
            when = uk_date(row.finalised_at.date()) if row.finalised_at else "an earlier date"
            raise RecordFinalised(
                f"finalise: {m.short_ref(row.id)} was signed off by {row.signed_off_by or 'someone'} on {when}; "
                "add an amendment instead"
            )
        require_agreements(session, row.id)  # a second person's agreement the policy asks for (issue 14)
        journal.write_snapshot(session, repo.load_bundle(session, row.id))
        row.record_status = RecordStatus.FINALISED
        row.signed_off_by = who.strip()
        row.finalised_at = m.utcnow()
        row.updated_by = who.strip()
        session.flush()
        return repo.to_record(row, m.Conference)


def amend(db: Database, ref: str, *, who: str, reason: str, text: str) -> m.Amendment:
    """Append an amendment to a finalised record (the record itself never changes)."""
    if not reason.strip():
        raise InvalidInput("reason: say why the finalised record needs amending")
    if not text.strip():
        raise InvalidInput("amendment: write what the record should say")
    with db.unit_of_work("amend", who=who) as session:
        row = repo.get_conference_row(session, ref)
        if row.record_status is not RecordStatus.FINALISED:
            raise InvalidInput(f"amend: {m.short_ref(row.id)} is not finalised yet; change the record itself")
        amendment = rows.AmendmentRow(conference_id=row.id, made_by=who.strip(), reason=reason.strip(), text=text)
        session.add(amendment)
        session.flush()
        return repo.to_record(amendment, m.Amendment)
