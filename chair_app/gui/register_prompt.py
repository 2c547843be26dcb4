"""The register's question when a child is added to a new conference (issue 13): "Is this the same child?"

The register is searched for the child typed (local child ID, else name and date of birth); each possible match
is put to the clerk, who says whether it is the same child. Nothing is merged or reused without that answer.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from chair_app.services.register import ChildMatch
    from chair_app.services.workspace import NewChild
    from chair_app.store.engine import Database


def look_up(parent, db: Database, child: NewChild) -> tuple[uuid.UUID | None, str]:
    """The registered record the clerk confirms for ``child`` (or None), and words for the list of children."""
    from chair_app.services.register import Wanted, find_child

    matches = find_child(
        db, Wanted(child.forename, child.surname, child.date_of_birth, "", child.expected_date_of_birth)
    )
    for match in matches:
        if confirm(parent, child, match):
            return match.child_id, f" (already known: {match.family})"
    return None, ""


def confirm(parent, child: NewChild, match: ChildMatch) -> bool:
    """Ask the clerk; Yes means the conference uses the register's record of this child."""
    answer = QMessageBox.question(
        parent,
        "Already known?",
        f"{child.forename.strip()} {child.surname.strip()} may be a child already known:\n\n{match.line}\n\n"
        "Is this the same child? Yes uses that record (and that family); No adds a new one.",
    )
    return answer == QMessageBox.StandardButton.Yes
