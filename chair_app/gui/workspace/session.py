"""The open conference as the workspace edits it: the stored record, an in-memory copy, and the undo stack.

Every edit goes to the store first, in its own short unit of work (services/workspace); only when the store
has it does the in-memory copy change and the edit go on the undo stack. A refused edit changes nothing and
is reported by ``sig_problem`` as the service's one-line message. Undo and redo are edits too: they go
through the same services, so an undone change is as durable as a made one.

Typing in one text box merges into one undo step per field, while each keystroke is still stored.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QUndoCommand, QUndoStack

from chair_app.domain import model as m
from chair_app.domain.errors import ChairError
from chair_app.services import workspace as ws

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database

_LIST_OF = {cls: name for name, cls in m.BUNDLE_LISTS}
_MERGE_ID = 0x4348  # "CH": text edits to the same field merge into one undo step


class EditSession(QObject):
    #: Something in the record changed: the record type (a class; None: anything) and, for an edit to one
    #: record's fields, its id (else None), so views refresh only what they show.
    sig_changed = Signal(object, object)
    #: An edit was refused: the one-line message to show.
    sig_problem = Signal(str)

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
        self._merge_open: tuple[Any, ...] | None = None  # the text field typing currently merges into
        self.previous = previous  # the conference this one follows, when stored here

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

    def _apply(self, cls: type[m.Record], record_id: uuid.UUID, values: dict[str, Any]) -> None:
        record = self.record(cls, record_id)
        if record is not None:
            for name, value in values.items():
                setattr(record, name, value)
            record.version += 1
        if cls is not m.Conference:
            self.bundle.conference.version += 1

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
        """Read the record again (after an operation with effects beyond one row, e.g. a decision)."""
        self.bundle = ws.load(self.db, self.conference_id)
        self.sig_changed.emit(None, None)

    # Edits -----------------------------------------------------------------------------------------

    def _try(self, fn: Callable[[], Any]) -> tuple[bool, Any]:
        try:
            return True, fn()
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

    def set(self, cls: type[m.Record], record_id: uuid.UUID, values: dict[str, Any], *, typing: bool = False) -> bool:
        """Store new values for fields of one record. ``typing``: a keystroke, merged into the field's undo step."""
        record = self.record(cls, record_id)
        if record is not None and all(getattr(record, k) == v for k, v in values.items()):
            return True
        ok, old = self._try(
            lambda: ws.set_fields(self.db, self.conference_id, cls, record_id, values, who=self.who, policy=self.policy)
        )
        if not ok:
            return False
        self._apply(cls, record_id, values)
        key = (cls, record_id, tuple(values))
        merge = typing and self._merge_open == key and self.stack.index() == self.stack.count()
        command = _SetFields(self, cls, record_id, old, dict(values), typing=typing, continues=merge)
        self.stack.push(command)
        self._merge_open = key if typing else None
        self._changed(cls, record_id=record_id)
        return True

    def end_typing(self) -> None:
        """The user left the text box: the next keystroke there starts a new undo step."""
        self._merge_open = None

    def add(self, records: list[m.Record], text: str) -> bool:
        ok, _ = self._try(
            lambda: ws.add_records(self.db, self.conference_id, records, who=self.who, policy=self.policy)
        )
        if ok:
            self._added(records)
            self._merge_open = None
            self.stack.push(_AddRemove(self, text, added=list(records)))
            self._changed(*(type(r) for r in records))
        return ok

    def remove(self, items: list[tuple[type[m.Record], uuid.UUID]], text: str) -> bool:
        ok, snapshots = self._try(lambda: ws.remove_records(self.db, self.conference_id, items, who=self.who))
        if ok:
            self._removed(snapshots)
            self._merge_open = None
            self.stack.push(_AddRemove(self, text, removed=snapshots))
            self._changed(*(type(r) for r in snapshots))
        return ok

    def operation(self, text: str, do: Callable[[], Any], undo: Callable[[Any], None]) -> bool:
        """A rule-checked operation of services/recording with effects on several rows: reloads the record.

        ``undo`` receives what ``do`` returned and must put the record back as it was.
        """
        ok, result = self._try(do)
        if ok:
            self._merge_open = None
            self.stack.push(_Operation(self, text, do, undo, result))
            self.reload()
        return ok


class _SetFields(QUndoCommand):
    def __init__(
        self, session: EditSession, cls, record_id, old: dict, new: dict, *, typing: bool, continues: bool
    ) -> None:
        label = ws.EDITABLE[cls][next(iter(new))]
        super().__init__(f"change {label.lower()}")
        self.session, self.cls, self.record_id, self.old, self.new = session, cls, record_id, old, new
        self.typing, self.continues = typing, continues
        self._done = True  # made before being pushed: the first redo is the push itself

    def id(self) -> int:
        return _MERGE_ID if self.typing else -1

    def mergeWith(self, other: QUndoCommand) -> bool:
        """Keystrokes that continue the typing in the same field become part of this one step."""
        if not isinstance(other, _SetFields) or not other.continues:
            return False
        if (other.cls, other.record_id) != (self.cls, self.record_id):
            return False
        if set(other.new) != set(self.new):
            return False
        self.new = other.new
        return True

    def _put(self, values: dict) -> None:
        s = self.session
        ok, _ = s._try(
            lambda: ws.set_fields(s.db, s.conference_id, self.cls, self.record_id, values, who=s.who, policy=s.policy)
        )
        if ok:
            s._apply(self.cls, self.record_id, values)
            s._changed(self.cls, record_id=self.record_id)
        else:
            self.setObsolete(True)

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._put(self.new)

    def undo(self) -> None:
        self.session._merge_open = None
        self._put(self.old)


class _AddRemove(QUndoCommand):
    def __init__(self, session: EditSession, text: str, *, added=None, removed=None) -> None:
        super().__init__(text)
        self.session, self.added, self.removed = session, added or [], removed or []
        self._done = True

    def _add(self, records: list[m.Record], *, restoring: bool = False) -> None:
        s = self.session
        ok, _ = s._try(
            lambda: ws.add_records(s.db, s.conference_id, records, who=s.who, policy=s.policy, restoring=restoring)
        )
        if ok:
            s._added(records)
            s._changed(*(type(r) for r in records))

    def _remove(self, records: list[m.Record]) -> None:
        s = self.session
        items = [(type(r), r.id) for r in records if type(r) not in ws.SHARED]
        ok, snapshots = s._try(lambda: ws.remove_records(s.db, s.conference_id, items, who=s.who))
        if ok:
            s._removed(snapshots)
            s._changed(*(type(r) for r in records))

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        self._add(self.added)
        self._remove(self.removed)

    def undo(self) -> None:
        self.session._merge_open = None
        self._remove(self.added)
        self._add(self.removed, restoring=True)


class _Operation(QUndoCommand):
    def __init__(self, session: EditSession, text: str, do, undo, result) -> None:
        super().__init__(text)
        self.session, self.do, self.undo_fn, self.result = session, do, undo, result
        self._done = True

    def redo(self) -> None:
        if self._done:
            self._done = False
            return
        ok, result = self.session._try(self.do)
        if ok:
            self.result = result
        self.session.reload()

    def undo(self) -> None:
        self.session._try(lambda: self.undo_fn(self.result))
        self.session.reload()
