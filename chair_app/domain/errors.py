"""Errors a person can act on. Their message is one line naming the field or thing and the fix."""

from __future__ import annotations


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
