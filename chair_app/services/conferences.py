"""Named operations on conferences, one per user action; each owns its unit of work."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from chair_app.domain import model as m
from chair_app.domain.enums import RecordStatus
from chair_app.domain.errors import Conflict, InvalidInput, RecordFinalised
from chair_app.exchange import conference_file
from chair_app.services.listing import today_first
from chair_app.store import repository as repo
from chair_app.store.engine import Database
from chair_app.store.transactions import retry_transient

# One row of the conference list: the repository's light row (only the columns the list shows, and `ref`).
ConferenceSummary = repo.ListRow


def list_conferences(db: Database, search: str = "", **page) -> list[ConferenceSummary]:
    """The conference list (soonest first), or one page of it (see ``repository.list_conferences``)."""
    with db.unit_of_work() as session:
        return repo.list_conferences(session, search, **page)


RECENT = 200  # past conferences in the list's first page; older ones follow a moment later


def first_page(db: Database, today: date, search: str = "") -> tuple[list[ConferenceSummary], bool]:
    """Today's and upcoming conferences, then the most recent past ones: what the list shows first.

    Returns the rows (in ``today_first`` order) and whether older conferences remain to be read. A search
    reads all its matches at once.
    """
    if search.strip():
        return today_first(list_conferences(db, search), today), False
    upcoming = list_conferences(db, from_day=today)
    recent = list_conferences(db, before_day=today, newest_first=True, limit=RECENT + 1)
    return upcoming + recent[:RECENT], len(recent) > RECENT


def older_conferences(db: Database, today: date) -> list[ConferenceSummary]:
    """The past conferences after the first page, most recent first."""
    return list_conferences(db, before_day=today, newest_first=True, offset=RECENT)


def load(db: Database, ref: str) -> m.ConferenceBundle:
    with db.unit_of_work() as session:
        row = repo.get_conference_row(session, ref)
        return repo.load_bundle(session, row.id)


def previous_conference(db: Database, bundle: m.ConferenceBundle) -> m.Conference | None:
    """The conference this one follows on from, when it is in this database."""
    prev_id = bundle.conference.previous_conference_id
    if prev_id is None:
        return None
    with db.unit_of_work() as session:
        row = session.get(repo.rows.ConferenceRow, prev_id)
        return repo.to_record(row, m.Conference) if row else None


def write_export(db: Database, ref: str, out: Path) -> m.ConferenceBundle:
    """Write the conference file, with its journal, atomically: a half-written file never replaces a good one.

    This device's run of typing is closed first, so the file's last entry is final; the export is in the audit
    trail only if the file was written.
    """
    from chair_app.store import journal as store_journal
    from chair_app.store.journal_exchange import conference_entries

    with db.unit_of_work("export", event=True) as session:
        row = repo.get_conference_row(session, ref)
        store_journal.close_open_entries(session)
        bundle = repo.load_bundle(session, row.id)
        carried = conference_entries(session, row.id)
        store_journal.operation_of(session).conference_id = row.id
        store_journal.operation_of(session).detail = f"conference file, version {bundle.conference.version}"
        text = conference_file.dumps(conference_file.bundle_to_document(bundle, carried))
        write_bytes(out, text.encode("utf-8"))
    return bundle


def write_bytes(out: Path, data: bytes, label: str = "--out") -> None:
    """Write a produced file atomically and privately; see ``services.files.write_file``.

    ``label`` starts a refusal's message: the option on the command line, the action's name in the window.
    """
    from chair_app.services.files import write_file

    write_file(out, data, label)


@dataclass(frozen=True)
class ImportResult:
    ref: str
    action: str  # "added", "updated", "merged", "unchanged"
    version: int


def _who(conf: m.Conference) -> str:
    who = conf.updated_by or "unknown"
    return f"version {conf.version}, last changed by {who} on {conf.updated_at:%d/%m/%Y %H:%M} UTC"


SHARED_PARTS = ("family", "children", "people", "plan_history")  # written newest-wins, not judged per conference


def _own_part(bundle: m.ConferenceBundle) -> dict:
    """The conference file without the records it shares with other conferences of the family."""
    doc = conference_file.bundle_to_document(bundle)
    return {k: v for k, v in doc.items() if k not in SHARED_PARTS and k != "generator"}


def _shared_newer(stored: m.ConferenceBundle, incoming: m.ConferenceBundle) -> bool:
    """Whether the file brings a shared record (family, child, person, plan) the database lacks or has older."""
    have = {r.id: r.version for name in SHARED_PARTS[1:] for r in getattr(stored, name)}
    have[stored.family.id] = stored.family.version
    mine = [incoming.family, *(r for name in SHARED_PARTS[1:] for r in getattr(incoming, name))]
    return any(r.version > have.get(r.id, 0) for r in mine)


def _check_stored(session, bundle: m.ConferenceBundle) -> ImportResult | None:
    """For a conference already stored: "unchanged", a refusal, or None (the file is newer: write it).

    The conference's own records decide: the family, children, people and plan history it shares with the
    family's other conferences are written newest-wins whatever happens to the conference (so a file exported
    before a sibling conference renamed a child is still "unchanged", not a conflict).
    """
    incoming = bundle.conference
    ref = m.short_ref(incoming.id)
    stored = repo.load_bundle(session, incoming.id)
    if _own_part(stored) == _own_part(bundle):
        return ImportResult(ref, "updated" if _shared_newer(stored, bundle) else "unchanged", stored.conference.version)
    if stored.conference.record_status is RecordStatus.FINALISED:
        raise RecordFinalised(
            f"import: conference {ref} is finalised here and the file differs from it; "
            "finalised records are changed only by amendments"
        )
    if stored.conference.version >= incoming.version:
        why = "both were changed" if stored.conference.version == incoming.version else "the stored one is newer"
        raise Conflict(
            f"import: conference {ref} here is {_who(stored.conference)}; the file is "
            f"{_who(incoming)}: {why}, so nothing was imported"
        )
    return None


def import_bundle(db: Database, bundle: m.ConferenceBundle) -> ImportResult:
    """Store a validated conference; refuse it when it would overwrite newer or finalised work."""
    return import_bundles(db, [bundle])[0]


@retry_transient
def import_bundles(db: Database, bundles: list[m.ConferenceBundle]) -> list[ImportResult]:
    """Store several validated conferences in one transaction: all of them, or (on any refusal) none.

    Safe to run while others import the same or overlapping files: the conferences already stored are locked
    while they are compared and written, shared records are written with the database's insert-or-update
    (newest version wins), and a conference another import stored in the meantime makes the whole import run
    again (``retry_transient``), when it is found stored and judged by the usual rules.
    """
    seen: set[uuid.UUID] = set()
    for bundle in bundles:
        if bundle.conference.id in seen:
            raise InvalidInput(f"import: conference {bundle.conference.ref} is in more than one of the files")
        seen.add(bundle.conference.id)
    with db.unit_of_work("import") as session:
        stored = repo.lock_conferences(session, list(seen))
        results, to_write, shared_only = [], [], []
        for bundle in bundles:
            ref, version = bundle.conference.ref, bundle.conference.version
            known = bundle.conference.id in stored
            result = _check_stored(session, bundle) if known else None
            if result is None:
                to_write.append(bundle)
                result = ImportResult(ref, "updated" if known else "added", version)
            elif result.action == "updated":
                shared_only.append(bundle)
            results.append(result)
        repo.replace_bundles(session, to_write, shared_only, checked=stored)
        return results


def import_file(db: Database, path: Path, **choose) -> ImportResult:
    """Validate the whole file first, then write it in one transaction."""
    return import_files(db, [path], **choose)[0]


def import_files(db: Database, paths: list[Path], **choose) -> list[ImportResult]:
    """Validate every file first, then write them all in one transaction (a clerk's batch)."""
    return import_conference_files(db, [conference_file.read_conference_file(p) for p in paths], **choose)


@retry_transient
def import_conference_files(
    db: Database,
    files: list[conference_file.ConferenceFile],
    *,
    resolve: list[str] | None = None,
    resolve_all: str | None = None,
    chosen: dict[int, str] | None = None,
) -> list[ImportResult]:
    """Store validated conference files in one transaction: all of them, or (on any refusal) none.

    A file carrying a journal is merged into its stored conference field by field (``services/merge.py``):
    both sides' changes land and the same field changed differently on both sides is a conflict, refused as
    ``MergeConflicts`` (numbered from 1 across the files) until each is chosen: ``resolve`` as the CLI's
    ``ID=mine|theirs`` texts, ``resolve_all`` ("mine" or "theirs"), or ``chosen`` ({number: choice}, the
    window's dialog). A file without a journal (written before files merged), and every conference not stored
    yet, is imported as ``import_bundles`` always has.
    """
    from chair_app.services import merge
    from chair_app.store.journal_exchange import append_entries, held_uids

    seen: set[uuid.UUID] = set()
    for file in files:
        if file.bundle.conference.id in seen:
            raise InvalidInput(f"import: conference {file.bundle.conference.ref} is in more than one of the files")
        seen.add(file.bundle.conference.id)
    with db.unit_of_work("import") as session:
        stored = repo.lock_conferences(session, list(seen))
        plans: dict[uuid.UUID, merge.Plan] = {}
        merging = [f for f in files if f.journal is not None and f.bundle.conference.id in stored]
        here = merge.load_stored(session, [f.bundle.conference.id for f in merging], [f.bundle for f in merging])
        for file in merging:
            plans[file.bundle.conference.id] = merge.plan(session, file, here[file.bundle.conference.id])
        conflicts = merge.number(list(plans.values()))
        picked = merge.parse_resolutions(resolve, resolve_all, conflicts)
        picked.update({int(k): v for k, v in (chosen or {}).items()})  # type: ignore[misc]
        unresolved = [c for c in conflicts if c.number not in picked]
        if unresolved:
            raise merge.MergeConflicts(unresolved)
        results: dict[uuid.UUID, ImportResult] = {}
        for cid, plan in plans.items():  # through the ORM first: the Core writes below never stale its rows
            merge.resolve(plan, picked)
            changed = merge.apply(session, plan)
            session.flush()
            version = session.get(repo.rows.ConferenceRow, cid).version
            results[cid] = ImportResult(plan.ref, "merged" if changed else "unchanged", version)
        to_write, shared_only = [], []
        for file in files:
            bundle = file.bundle
            cid, ref, version = bundle.conference.id, bundle.conference.ref, bundle.conference.version
            if cid in plans:
                continue
            known = cid in stored
            result = _check_stored(session, bundle) if known else None
            if result is None:
                to_write.append(bundle)
                result = ImportResult(ref, "updated" if known else "added", version)
            elif result.action == "updated":
                shared_only.append(bundle)
            results[cid] = result
        repo.replace_bundles(session, to_write, shared_only, checked=stored)
        for file in files:  # a new conference arrives with its history
            if file.journal is not None and file.bundle.conference.id not in stored:
                held = held_uids(session, [e.uid for e in file.journal])
                append_entries(session, file.bundle.conference.id, [e for e in file.journal if e.uid not in held])
        return [results[f.bundle.conference.id] for f in files]


def add_conference(db: Database, bundle: m.ConferenceBundle) -> m.ConferenceBundle:
    with db.unit_of_work() as session:
        repo.add_bundle(session, bundle)
    return load(db, str(bundle.conference.id))
