"""Record values as JSON: one encoding for the conference file and the journal, so both say a date or a
moment the same way."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time
from enum import Enum
from typing import Any


def json_value(value: Any) -> Any:
    """A record's value as JSON: UUIDs, dates and times as ISO text (moments in UTC with a Z), enums as codes."""
    if value is None or isinstance(value, bool | int | float | str) and not isinstance(value, Enum):
        return value
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [json_value(v) for v in value]
    raise TypeError(type(value).__name__)
