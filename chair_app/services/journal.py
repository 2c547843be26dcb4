"""The journal as people read it: a conference's history of changes, and its audit trail.

``history`` is what the workspace's History panel and `chair-app history REF` show: who changed what, when,
from what to what. ``audit`` answers "who saw or sent this family's record, and when": opening, showing,
previewing, printing, exporting and importing. Both read the one append-only journal (``store/journal.py``);
``note_event`` is how a service records an action that changes nothing.
"""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from chair_app.domain import model as m
from chair_app.store import journal as store
from chair_app.store import repository as repo
from chair_app.store.engine import Database

SHORT = 60  # characters of a long text shown in the history
_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?Z)?$")

# What each operation is called in the audit trail and the history.
VERBS = {
    "open": "opened in the workspace",
    "show": "shown",
    "preview": "previewed a document",
    "print": "printed a document",
    "save": "saved a document",
    "export": "exported to a conference file",
    "import": "imported from a conference file",
    "finalise": "signed off (finalised)",
    "amend": "amended",
    # Changes, in the words the History panel and `chair-app history` show
    "set_fields": "changed",
    "add_records": "added",
    "remove_records": "removed",
    "add_conference": "created the conference",
    "undo": "undid a change",
    "redo": "redid a change",
    "record_attendance": "recorded attendance",
    "record_participation": "recorded participation",
    "record_delay_reason": "recorded a reason for delay",
    "set_next_dates": "set the next dates",
    "record_distribution": "recorded a document sent",
    "mark_item": "marked who may read an item",
    "convene_review": "convened the review",
    "rearrange": "rearranged the conference",
    "record_core_group": "recorded a core group",
    "record_progress": "recorded progress on an action",
    "use_registered": "used a registered child or family",
    "merge_children": "merged two records of a child",
    "undo_merge": "undid a merge",
    "record_quorate": "recorded the conference quorate",
    "proceed_not_quorate": "went ahead although not quorate",
    "stand_down": "stood the conference down",
    "record_decision": "recorded a decision",
    "withdraw_decision": "withdrew a decision",
    "record_scale": "recorded a safety scale",
    "reveal_scores": "showed the private scores",
    "hide_scores": "hid the private scores",
    "give_agreement": "gave an agreement",
    "record_dissent": "recorded a dissent",
}


def operation_words(operation: str) -> str:
    """How an entry's operation reads to a person: "changed", "stood the conference down"; an operation without
    words of its own reads as its name with spaces."""
    return VERBS.get(operation, operation.replace("_", " "))


@dataclass(frozen=True)
class Change:
    record: str  # e.g. "Mapping item 1a2b3c4d"
    field: str  # the words a user sees for the field, or "" for a record added or removed
    before: str
    after: str


@dataclass(frozen=True)
class HistoryEntry:
    id: int
    at: datetime
    until: datetime
    who: str
    operation: str
    detail: str
    changes: tuple[Change, ...]


@dataclass(frozen=True)
class AuditEntry:
    at: datetime
    who: str
    action: str
    detail: str


def _conference_id(db: Database, ref: str | uuid.UUID) -> uuid.UUID:
    if isinstance(ref, uuid.UUID):
        return ref
    with db.unit_of_work() as session:
        return repo.get_conference_row(session, ref).id


def _entries(db: Database, ref: str | uuid.UUID) -> list[store.Entry]:
    conference_id = _conference_id(db, ref)
    with db.unit_of_work() as session:
        return store.entries(session, conference_id)


def shorten(value: Any, limit: int = SHORT) -> str:
    """A stored value in a line of the history: text quoted and cut to ``limit`` characters, nothing as "(empty)"."""
    if value is None or value == "":
        return "(empty)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "(empty)"
    if isinstance(value, str) and _STAMP.match(value):  # dates as people read them: dd/mm/yyyy, UTC times
        stamp = datetime.fromisoformat(value.replace("Z", "+00:00"))
        return f"{stamp:%d/%m/%Y %H:%M} UTC" if "T" in value else f"{stamp:%d/%m/%Y}"
    text = " ".join(str(value).split())
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f'"{text}"' if isinstance(value, str) else text


def _labels() -> dict[str, tuple[str, dict[str, str]]]:
    """Per table: the record's name in words, and its fields' labels where the workspace names them."""
    from chair_app.services.workspace import field_labels

    out = {}
    for cls, row in repo.RECORD_ROWS.items():
        words = "".join(" " + ch.lower() if ch.isupper() else ch for ch in cls.__name__).strip().capitalize()
        out[row.__tablename__] = (words, field_labels(cls))
    return out


_NAMING_FIELDS = ("name", "text", "what", "danger_statement", "reason", "measure", "kind", "forename")


def _around(before: Any, after: Any) -> tuple[str, str]:
    """Two long texts shown where they differ (a run of typing at the end of a paragraph shows its end)."""
    if not (isinstance(before, str) and isinstance(after, str)) or max(len(before), len(after)) <= SHORT:
        return shorten(before), shorten(after)
    start = 0
    while start < min(len(before), len(after)) and before[start] == after[start]:
        start += 1
    cut = max(0, start - SHORT // 3)
    if cut == 0:
        return shorten(before), shorten(after)
    return shorten("…" + before[cut:]), shorten("…" + after[cut:])


_PLURALS = {"child": "children", "person": "people", "history": "histories"}


def _plural(words: str, n: int) -> str:
    words = words.lower()
    if n == 1:
        return f"{n} {words}"
    head, _, last = words.rpartition(" ")
    many = _PLURALS.get(last, last + "s")
    return f"{n} {head + ' ' if head else ''}{many}"


def _changes(entry: store.Entry) -> tuple[Change, ...]:
    labels = _labels()
    out: list[Change] = []
    added: dict[str, list[Change]] = {}
    for key in entry.new_values.keys() | entry.old_values.keys():
        table, _, rid = key.partition("/")
        words, fields = labels.get(table, (table.replace("_", " ").capitalize(), {}))
        record = f"{words} {rid[:8]}"
        before, after = entry.old_values.get(key), entry.new_values.get(key)
        if table == "amendment" and before is None and after and after.get("field_name"):
            # An amendment correcting a field: shown as that field's change, from the text it showed to the new
            kind = after.get("record_kind") or ""
            r_words, r_fields = labels.get(kind, (kind.replace("_", " ").capitalize(), {}))
            name = after["field_name"]
            label = r_fields.get(name, name.replace("_", " ").capitalize())
            record = f"{r_words} {str(after.get('record_id') or '')[:8]}"
            out.append(Change(record, f"{label} (amended)", *_around(after.get("old_value"), after.get("new_value"))))
            continue
        if before is None or after is None:
            values = after if before is None else before
            name = next((values[f] for f in _NAMING_FIELDS if values and values.get(f)), "")
            said = shorten(name) if name else "(record)"
            if before is None:
                added.setdefault(words, []).append(Change(record, "", "(none)", said))
            else:
                out.append(Change(record, "", said, "(removed)"))
            continue
        for name, value in after.items():
            label = fields.get(name, name.replace("_", " ").capitalize())
            out.append(Change(record, label, *_around(before.get(name), value)))
    if sum(len(v) for v in added.values()) > 8:  # a whole conference added: counted, not listed
        out += [Change(_plural(words, len(v)), "", "(none)", "") for words, v in added.items()]
    else:
        out += [c for v in added.values() for c in v]
    return tuple(sorted(out, key=lambda c: (c.record, c.field)))


def history(db: Database, conference_id: str | uuid.UUID) -> list[HistoryEntry]:
    """Every change to a conference's record, oldest first (a run of typing is one entry)."""
    return [
        HistoryEntry(e.id, e.at, e.last_at, e.who, e.operation, e.detail, _changes(e))
        for e in _entries(db, conference_id)
        if e.changes
    ]


def audit(db: Database, conference_id: str | uuid.UUID) -> list[AuditEntry]:
    """Who opened, saw, printed, exported or imported a conference's record, and when, oldest first."""
    return [
        AuditEntry(e.at, e.who, operation_words(e.operation), e.detail)
        for e in _entries(db, conference_id)
        if e.operation in store.AUDIT_OPERATIONS or e.operation in ("finalise", "amend")
    ]


def note_event(
    db: Database, conference_id: uuid.UUID, operation: str, *, detail: str = "", who: str | None = None
) -> None:
    """Record an action that changes nothing (opening, showing, previewing, exporting) in the audit trail."""
    with db.unit_of_work(operation, who=who, conference_id=conference_id, event=True, detail=detail):
        pass


def close_typing(db: Database) -> None:
    """End this installation's run of typing: the next keystroke starts a new journal entry (and undo step)."""
    with db.unit_of_work("close_typing") as session:
        store.close_open_entries(session)


# ---------------------------------------------------------------------------------------------------------
# As text (the CLI)


def _when(at: datetime) -> str:
    return f"{at:%d/%m/%Y %H:%M} UTC"


def history_lines(ref: str, entries: list[HistoryEntry]) -> list[str]:
    if not entries:
        return [f"No changes recorded for {ref}."]
    out = [f"History of {ref} ({len(entries)} change{'s' if len(entries) != 1 else ''}), oldest first"]
    for e in entries:
        until = (
            f" to {e.until:%H:%M}"
            if e.until.replace(second=0, microsecond=0) != e.at.replace(second=0, microsecond=0)
            else ""
        )
        detail = f" ({e.detail})" if e.detail else ""
        out.append(f"{_when(e.at)}{until}  {e.who}  {operation_words(e.operation)}{detail}")
        for c in e.changes:
            if c.field:
                out.append(f"    {c.record}, {c.field}: {c.before} -> {c.after}")
            elif c.before == "(none)":
                out.append(f"    {c.record}: added {c.after}".rstrip())
            else:
                out.append(f"    {c.record}: removed {c.before}")
    return out


def audit_lines(ref: str, entries: list[AuditEntry]) -> list[str]:
    if not entries:
        return [f"No one has opened, printed or sent {ref} yet (as far as this database knows)."]
    out = [f"Who saw or sent {ref}, oldest first"]
    for e in entries:
        detail = f" ({e.detail})" if e.detail else ""
        out.append(f"{_when(e.at)}  {e.who}  {e.action}{detail}")
    return out


def setup_app_role(db: Database, role: str = "chair_app") -> bool:
    """PostgreSQL: create (if missing) the role the app connects as, and grant it exactly what it needs."""
    from chair_app.domain.errors import InvalidInput
    from chair_app.store.guards import create_app_role

    db.authorise("setup_app_role")
    if db.dialect != "postgresql":
        raise InvalidInput("setup-app-role: only a PostgreSQL database has roles; give --db postgresql://owner@...")
    try:
        with db.engine.begin() as conn:
            return create_app_role(conn, role)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from exc


def reference(db: Database, ref: str) -> str:
    """The short reference of a conference given by any form `chair-app` accepts."""
    return m.short_ref(_conference_id(db, ref))
