"""The register's question when a child is added to a new conference (issue 13): "Is this the same child?"

The register is searched for the child typed (local child ID, else name and date of birth); each possible match
is put to the clerk, who says whether it is the same child. Nothing is merged or reused without that answer.
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QMessageBox

if TYPE_CHECKING:
    from chair_app.services.register import ChildMatch, FamilyMatch
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


def look_up_family(parent, db: Database, name: str) -> uuid.UUID | None:
    """A family of this name already in the register, as the clerk confirms it (or None: a new family)."""
    from chair_app.services.register import find_family

    for family in find_family(db, name):
        if confirm_family(parent, family):
            return family.family_id
    return None


def confirm_family(parent, family: FamilyMatch) -> bool:
    """Ask the clerk; Yes means the conference is for this family already known (its record is used)."""
    children = ", ".join(family.children) or "no children recorded"
    answer = QMessageBox.question(
        parent,
        "Family already known?",
        f"A family called {family.name} is already known (children: {children}).\n\n"
        "Is this conference for that family? Yes uses its record; No makes a new family.",
    )
    return answer == QMessageBox.StandardButton.Yes
