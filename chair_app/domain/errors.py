"""Errors a person can act on. Their message is one line naming the field or thing and the fix."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any


class ChairError(Exception):
    """A refusal the user can act on: shown as one line, never with a traceback."""


class NotFound(ChairError):
    pass


class InvalidInput(ChairError):
    pass


class Conflict(ChairError):
    pass


class RecordFinalised(ChairError):
    pass


def _clock(at: datetime) -> str:
    """A time of day as the person reads it (their own clock), for a one-line message."""
    return at.astimezone().strftime("%H:%M") if at.tzinfo else at.strftime("%H:%M")


class StaleEdit(Conflict):
    """A record changed since the person's copy of it was read: nothing was written.

    ``theirs`` holds the stored values of the fields the edit would have changed, ``who`` and ``at`` the last
    change to the record (from the journal), ``version`` the record's version now: pass it as ``seen`` to
    store the person's own value over theirs (keep mine), after showing them both.
    """

    def __init__(
        self,
        *,
        label: str,
        cls_name: str,
        record_id: uuid.UUID,
        fields: tuple[str, ...],
        theirs: dict[str, Any],
        who: str,
        at: datetime,
        version: int,
        removed: bool = False,
    ) -> None:
        self.label, self.cls_name, self.record_id, self.fields = label, cls_name, record_id, tuple(fields)
        self.theirs, self.who, self.at, self.version, self.removed = dict(theirs), who, at, version, removed
        if removed:
            text = f"{label}: removed by {who or 'someone'} at {_clock(at)} since you opened it; nothing was changed"
        else:
            text = (
                f"{label}: changed by {who or 'someone'} at {_clock(at)} since you opened it: "
                "keep yours, keep theirs or merge"
            )
        super().__init__(text)


class UndoRefused(ChairError):
    """Undo (or redo) would overwrite what someone changed since: nothing was written."""

    def __init__(self, message: str, *, who: str, at: datetime) -> None:
        self.who, self.at = who, at
        super().__init__(message)
