"""A journal entry as a conference file carries it between laptops (issue 11, "Files merge").

The store's journal (``store/journal.py``) keeps one row per operation; a conference file carries the rows
of its conference so that the importing side can tell which fields each side changed since the last entry
both hold. ``uid`` is an entry's identity everywhere; ``old_values`` and ``new_values`` are the journal's own
JSON, ``{"table/uuid": {field: value} | None}``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

#: The operation an import's own entry is written under. Its changes only repeat entries that came with the
#: file (now held on both sides), so a merge never counts them as either side's change.
IMPORT_OPERATION = "import"


@dataclass(frozen=True)
class CarriedEntry:
    uid: uuid.UUID
    at: datetime
    last_at: datetime
    who: str
    device: str
    operation: str
    detail: str
    old_values: dict[str, dict[str, Any] | None]
    new_values: dict[str, dict[str, Any] | None]

    def touched(self) -> dict[str, tuple[frozenset[str], bool, bool]]:
        """Per record key: the fields it changed, whether it added the record, whether it removed it."""
        out = {}
        for key in self.old_values.keys() | self.new_values.keys():
            before, after = self.old_values.get(key), self.new_values.get(key)
            names = frozenset((before or {}).keys() | (after or {}).keys())
            out[key] = (names, before is None and after is not None, after is None and before is not None)
        return out
