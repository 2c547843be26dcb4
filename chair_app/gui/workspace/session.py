"""The open conference as the workspace edits it: the stored record, an in-memory copy, and the undo stack.

Every edit goes to the store first, in its own short unit of work (services/workspace, services/recording);
only when the store has it does the in-memory copy change and the edit go on the undo stack. A refused edit
changes nothing and is reported by ``sig_problem`` as the service's one-line message.

The undo stack holds journal entries, nothing else. Each service operation is one journal entry
(store/journal.py); the session keeps the entry's id, and undo and redo ask the services to apply the entry's
inverse, or the entry again (services/undo). So the window never restates what an operation writes: change a
service and its undo follows. A run of typing in one field is one journal entry, so keystrokes that come
back with the same entry id merge into one undo step. The services refuse an undo that would put a value
back over someone else's later change (``UndoRefused``): the step then stays where it was, and the one line
naming who and when is shown.

Versions: every record in the copy carries the version the person saw. Each edit passes it to the service
(``seen=``), which refuses a stale one (``StaleEdit``) rather than overwrite a colleague's change without a
word; the session then keeps what was typed (``unsaved``) and asks the workspace to show the conflict dialog
(``sig_conflict``, gui/workspace/conflict.py). The versions of what the store wrote come back in
``Written.versions`` and are copied onto the records here; nothing else moves a version.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from chair_app.domain import model as m
from chair_app.domain.errors import ChairError, NotFound, StaleEdit, UndoRefused
from chair_app.services import workspace as ws

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database

_LIST_OF = {cls: name for name, cls in m.BUNDLE_LISTS}
_MERGE_ID = 0x4348  # "CH": steps that come back with the same journal entry (a run of typing) merge

Key = tuple[type, uuid.UUID, str]  # a record's field: (record type, id, field name)


@dataclass
class Conflict:
    """An edit the store refused because someone else changed the record since this window read it."""

    cls: type[m.Record]
    record_id: uuid.UUID
    yours: dict[str, Any]  # what this person typed or chose, not stored
    stale: StaleEdit  # who changed it, when, their values and the record's version now
    typing: bool

    def keys(self) -> list[Key]:
        return [(self.cls, self.record_id, name) for name in self.yours]


class EditSession(QObject):
    #: Something in the record changed: the record type (a class; None: anything) and, for an edit to one
    #: record's fields, its id (else None), so views refresh only what they show.
    sig_changed = Signal(object, object)
    #: An edit was refused: the one-line message to show.
    sig_problem = Signal(str)
    #: An edit met someone else's change (a ``Conflict``): the workspace asks the person what to keep.
    sig_conflict = Signal(object)
    #: A conflict already being asked about has new "yours" (the person typed on): the ``Conflict``.
    sig_conflict_updated = Signal(object)

    def __init__(
        self,
        db: Database,
        policy: Policy,
        bundle: m.ConferenceBundle,
        who: str,
        parent=None,
        *,
        previous: m.Conference | None = None,
    ) -> None:
        super().__init__(parent)
        self.db, self.policy, self.bundle, self.who = db, policy, bundle, who
        self.stack = QUndoStack(self)
        self._typing_in: tuple[type, uuid.UUID] | None = None  # the record whose field typing merges into
        self._typing_entry: uuid.UUID | None = None  # its journal entry, still open in the store
        self._moving = False  # True while the stack is moved after the services undid or redid its steps
        #: What the person typed or chose that the store has not taken (a conflict not yet settled).
        self.unsaved: dict[Key, Any] = {}
        self.conflicts: dict[Key, Conflict] = {}  # the conflict each unsaved field is waiting on
        self.previous = previous  # the conference this one follows, when stored here
        self.opened_at = m.utcnow()  # changes before this are in the copy

    @property
    def conference_id(self) -> uuid.UUID:
        return self.bundle.conference.id

    # The in-memory copy ------------------------------------------------------------------------------

    def record(self, cls: type[m.Record], record_id: uuid.UUID) -> m.Record | None:
        if cls is m.Conference:
            return self.bundle.conference
        if cls is m.Family:
            return self.bundle.family
        return next((r for r in getattr(self.bundle, _LIST_OF[cls]) if r.id == record_id), None)

    def _records(self, bundle: m.ConferenceBundle | None = None) -> Iterator[m.Record]:
        b = bundle or self.bundle
        yield b.conference
        yield b.family
        for name, _cls in m.BUNDLE_LISTS:
            yield from getattr(b, name)

    def _versions(self, written: ws.Written) -> None:
        """Take the versions the store gave the records it wrote (and only those)."""
        versions = written.versions or {}
        if not versions:
            return
        for record in self._records():
            version = versions.get(record.id)
            if version is not None:
                record.version = version

    def _apply(self, cls: type[m.Record], record_id: uuid.UUID, values: dict[str, Any]) -> None:
        record = self.record(cls, record_id)
        if record is not None:
            for name, value in values.items():
                setattr(record, name, value)

    def _added(self, records: list[m.Record]) -> None:
        for record in records:
            target = getattr(self.bundle, _LIST_OF[type(record)])
            if all(r.id != record.id for r in target):
                target.append(record)

    def _removed(self, snapshots: list[m.Record]) -> None:
        for record in snapshots:
            target = getattr(self.bundle, _LIST_OF[type(record)])
            target[:] = [r for r in target if r.id != record.id]

    def _changed(self, *classes: type[m.Record], record_id: uuid.UUID | None = None) -> None:
        for cls in dict.fromkeys(classes):
            self.sig_changed.emit(cls, record_id)

    def reload(self) -> None:
        """Read the record again (after an operation with effects beyond one row, or someone else's change).

        The record being typed into, and any record holding an unsaved edit, keep the copy (and so the
        version) the person saw: their next keystroke is then checked against what they saw, and a
        colleague's change to that field meets them as a conflict, not as text replaced under the cursor.
        """
        fresh = ws.load(self.db, self.conference_id)
        keep = {rid for _cls, rid, _name in self.unsaved}
        if self._typing_in is not None:
            keep.add(self._typing_in[1])
        if keep:
            mine = {r.id: r for r in self._records() if r.id in keep}
            if fresh.conference.id in mine:
                fresh.conference = mine[fresh.conference.id]
            if fresh.family.id in mine:
                fresh.family = mine[fresh.family.id]
            for name, _cls in m.BUNDLE_LISTS:
                target = getattr(fresh, name)
                target[:] = [mine.get(r.id, r) for r in target]
        self.bundle = fresh
        self.sig_changed.emit(None, None)

    # Edits -----------------------------------------------------------------------------------------

    def _try(self, fn: Callable[[], Any], *, stale: bool = False) -> tuple[bool, Any]:
        """Run a service call: (True, its result), or (False, None) with the one-line reason shown.

        ``stale``: a ``StaleEdit`` is not reported but returned, (False, the exception), for the caller to ask.
        """
        try:
            return True, fn()
        except StaleEdit as exc:
            if stale:
                return False, exc
            self.sig_problem.emit(str(exc))
            return False, None
        except ChairError as exc:
            self.sig_problem.emit(str(exc))
            return False, None
        except Exception as exc:  # e.g. the database went away: the unit of work rolled the edit back
            from chair_app.logs import setup_logging

            setup_logging().crash(exc)  # type and place only: the message may quote what was typed
            self.sig_problem.emit(
                f"That change could not be stored ({type(exc).__name__}) and nothing was changed; "
                "try again, and if it keeps happening the log has details for support"
            )
            return False, None

    def _push(self, text: str, entry: uuid.UUID | None) -> None:
        if entry is not None:
            self.stack.push(_Step(self, text, entry))

    def set(self, cls: type[m.Record], record_id: uuid.UUID, values: dict[str, Any], *, typing: bool = False) -> bool:
        """Store new values for fields of one record. ``typing``: a keystroke, merged into the field's undo step.

        False when refused (the reason is shown) or when it met someone else's change: then what was typed is
        kept in ``unsaved`` and the conflict is asked about (``sig_conflict``).
        """
        record = self.record(cls, record_id)
        keys = [(cls, record_id, name) for name in values]
        waiting = next((self.conflicts[k] for k in keys if k in self.conflicts), None)
        if waiting is not None:  # typed on while the conflict is being asked about: that is "yours" now
            waiting.yours.update(values)
            self.unsaved.update(zip(keys, values.values(), strict=True))
            self.sig_conflict_updated.emit(waiting)
            return False
        if record is not None and all(getattr(record, k) == v for k, v in values.items()):
            return True
        if not typing or self._typing_in != (cls, record_id):
            self._forget_typing()  # the journal ends the run itself when anything else is written

        def write(seen: int | None) -> ws.Written:
            try:
                return ws.set_fields(
                    self.db, self.conference_id, cls, record_id, values, who=self.who, policy=self.policy, seen=seen
                )
            except NotFound as exc:  # in the copy, gone from the store: removed by someone since it was read
                if record is None:
                    raise
                raise _removed_since(cls, record_id, values) from exc

        ok, written = self._try(lambda: write(record.version if record is not None else None), stale=True)
        other_fields = isinstance(written, StaleEdit) and self._only_other_fields(record, values, written)
        if other_fields:  # someone changed other fields of the record: these are as the person saw them
            now = written.version
            ok, written = self._try(lambda: write(now), stale=True)
        if isinstance(written, StaleEdit):
            self._conflict(Conflict(cls, record_id, dict(values), written, typing))
            return False
        if not ok:
            return False
        self._apply(cls, record_id, values)
        self._versions(written)
        if other_fields:
            self._try(lambda: self._take_stored(cls, record_id))  # their other fields too, to match its version
        label = ws.EDITABLE[cls][next(iter(values))]
        self._push(f"change {label.lower()}", written.entry)
        if typing:
            self._typing_in, self._typing_entry = (cls, record_id), written.entry
        self._changed(cls, record_id=record_id)
        return True

    @staticmethod
    def _only_other_fields(record: m.Record | None, values: dict[str, Any], stale: StaleEdit) -> bool:
        """Whether a stale record's change left these fields as the person saw them (no conflict in them)."""
        missing = object()
        return (
            record is not None
            and not stale.removed
            and all(stale.theirs.get(name, missing) == getattr(record, name) for name in values)
        )

    def _take_stored(self, cls: type[m.Record], record_id: uuid.UUID) -> None:
        """Replace one record of the copy with the stored one (its fields and version)."""
        stored = ws.load(self.db, self.conference_id)
        fresh = next((r for r in self._records(stored) if r.id == record_id), None)
        if fresh is None:
            return
        if cls is m.Conference:
            self.bundle.conference = fresh
        elif cls is m.Family:
            self.bundle.family = fresh
        else:
            target = getattr(self.bundle, _LIST_OF[cls])
            target[:] = [fresh if r.id == record_id else r for r in target]

    def end_typing(self) -> None:
        """The user left the text box: the next keystroke there starts a new undo step (and journal entry)."""
        if self._typing_entry is not None:
            from chair_app.services import journal

            self._typing_entry = None
            self._try(lambda: journal.close_typing(self.db))
        self._typing_in = None

    def _forget_typing(self) -> None:
        self._typing_in, self._typing_entry = None, None

    def add(self, records: list[m.Record], text: str) -> bool:
        self._forget_typing()
        ok, written = self._try(
            lambda: ws.add_records(self.db, self.conference_id, records, who=self.who, policy=self.policy)
        )
        if ok:
            self._added(records)
            self._versions(written)
            self._push(text, written.entry)
            self._changed(*(type(r) for r in records))
        return ok

    def remove(self, items: list[tuple[type[m.Record], uuid.UUID]], text: str) -> bool:
        self._forget_typing()
        seen = {rid: r.version for cls, rid in items if (r := self.record(cls, rid)) is not None}
        ok, written = self._try(
            lambda: ws.remove_records(self.db, self.conference_id, items, who=self.who, seen=seen), stale=True
        )
        if isinstance(written, StaleEdit):  # changed elsewhere since it was read: show it as it is now
            self.sig_problem.emit(_stale_line(written, "Not removed") + "; it now shows their change")
            self._try(self.reload)
            return False
        if not ok:
            return False
        self._removed(written.snapshots)
        self._push(text, written.entry)
        self._changed(*(type(r) for r in written.snapshots))
        return True

    def operation(self, text: str, do: Callable[[], Any]) -> bool:
        """A rule-checked operation of services/recording with effects on several rows: reloads the record.

        The operation's journal entry (``services.undo.last_entry``) is the undo step.
        """
        from chair_app.services import undo as undo_service

        self._forget_typing()
        before = undo_service.last_entry()
        ok, _result = self._try(do)
        if ok:
            entry = undo_service.last_entry()
            self._push(text, entry if entry != before else None)  # (an operation that wrote nothing: no step)
            self._try(self.reload)
        return ok

    # Undo and redo ---------------------------------------------------------------------------------

    def undo(self) -> bool:
        """Undo the step before the stack's index through the services; the stack moves only if they did."""
        return self._move(back=True)

    def redo(self) -> bool:
        return self._move(back=False)

    def _move(self, *, back: bool) -> bool:
        from chair_app.services import undo as undo_service

        if not (self.stack.canUndo() if back else self.stack.canRedo()):
            return False
        self._forget_typing()
        command = self.stack.command(self.stack.index() - 1 if back else self.stack.index())
        entries = _entries_of(command)
        if back:
            entries.reverse()
        fn, again = (undo_service.undo, undo_service.redo) if back else (undo_service.redo, undo_service.undo)
        done: list[uuid.UUID] = []
        refused = False
        verb = "Undo" if back else "Redo"

        def apply(entry: uuid.UUID) -> Any:
            try:
                return fn(self.db, entry, who=self.who)
            except UndoRefused as exc:  # say which step, and that it is still in place
                raise ChairError(f"{verb} of “{command.text()}” not done, nothing was changed: {exc}") from exc

        for entry in entries:
            ok, _ = self._try(lambda entry=entry: apply(entry))
            if not ok:
                refused = True
                break
            done.append(entry)
        if refused:
            for entry in reversed(done):  # a step of several entries is undone whole or not at all
                self._try(lambda entry=entry: again(self.db, entry, who=self.who))
            self._try(self.reload)
            return False
        self._moving = True
        try:
            self.stack.undo() if back else self.stack.redo()
        finally:
            self._moving = False
        self._try(self.reload)
        return True

    # Conflicts ---------------------------------------------------------------------------------------

    def _conflict(self, conflict: Conflict) -> None:
        for key, value in zip(conflict.keys(), conflict.yours.values(), strict=True):
            self.unsaved[key] = value
            self.conflicts[key] = conflict
        self._typing_in, self._typing_entry = None, None
        self.sig_conflict.emit(conflict)

    def held(self, cls: type[m.Record], record_id: uuid.UUID, name: str) -> tuple[bool, Any]:
        """Whether this field holds something not stored (a conflict not yet settled), and what."""
        key = (cls, record_id, name)
        return (key in self.unsaved), self.unsaved.get(key)

    def _settled(self, conflict: Conflict) -> None:
        for key in conflict.keys():
            self.unsaved.pop(key, None)
            if self.conflicts.get(key) is conflict:
                del self.conflicts[key]

    def keep_mine(self, conflict: Conflict, values: dict[str, Any] | None = None) -> bool:
        """Store the person's values (or a merge of both) over the other change they have now seen."""
        values = dict(conflict.yours if values is None else values)
        c = conflict
        ok, written = self._try(
            lambda: ws.set_fields(
                self.db,
                self.conference_id,
                c.cls,
                c.record_id,
                values,
                who=self.who,
                policy=self.policy,
                seen=c.stale.version,
            ),
            stale=True,
        )
        if isinstance(written, StaleEdit):  # changed yet again while the dialog was open: ask again, with the news
            conflict.stale = written
            self.sig_conflict_updated.emit(conflict)
            return False
        if not ok:
            return False
        self._settled(conflict)
        label = ws.EDITABLE[conflict.cls][next(iter(values))]
        self._push(f"change {label.lower()}", written.entry)
        self._try(self.reload)  # the record as stored now: their other changes and the version after ours
        return True

    def keep_theirs(self, conflict: Conflict) -> None:
        """Drop the person's values and show the record as the other person left it."""
        self._settled(conflict)
        self._try(self.reload)

    def decide_later(self, conflict: Conflict) -> None:
        """The dialog was closed without a choice: nothing is stored or read; what was typed stays unsaved."""
        self.sig_changed.emit(conflict.cls, conflict.record_id)


def _removed_since(cls: type[m.Record], record_id: uuid.UUID, values: dict[str, Any]) -> StaleEdit:
    """A record removed from the store since the copy was read, as a conflict (who and when not known here)."""
    labels = ws.EDITABLE.get(cls, {})
    label = labels.get(next(iter(values)), cls.__name__) if len(values) == 1 else cls.__name__
    return StaleEdit(
        label=label,
        cls_name=cls.__name__,
        record_id=record_id,
        fields=tuple(values),
        theirs={},
        who="",
        at=m.utcnow(),
        version=0,
        removed=True,
    )


def _stale_line(exc: StaleEdit, what: str) -> str:
    when = exc.at.astimezone().strftime("%d/%m/%Y %H:%M")
    return f"{what}: {exc.who or 'someone'} changed {exc.label} at {when}"


def _entries_of(command: QUndoCommand) -> list[uuid.UUID]:
    """The journal entries of one step, oldest first (a macro's steps, or the step's own entry)."""
    if isinstance(command, _Step):
        return [command.entry]
    out: list[uuid.UUID] = []
    for i in range(command.childCount()):
        out += _entries_of(command.child(i))
    return out


class _Step(QUndoCommand):
    """One journal entry on the undo stack. Undo and redo happen in the services (EditSession.undo/redo);
    the stack only records where the person is."""

    def __init__(self, session: EditSession, text: str, entry: uuid.UUID) -> None:
        super().__init__(text)
        self.session, self.entry = session, entry

    def id(self) -> int:
        return _MERGE_ID

    def mergeWith(self, other: QUndoCommand) -> bool:
        """A keystroke the journal folded into this step's entry (a run of typing) is part of this step."""
        return isinstance(other, _Step) and other.entry == self.entry

    def redo(self) -> None:
        """Nothing here: a step is pushed after the store made it, and moved only by EditSession.undo/redo
        after the services have undone or redone its entry (so a refused one leaves the stack where it was)."""

    def undo(self) -> None:
        """Nothing here (see redo)."""
