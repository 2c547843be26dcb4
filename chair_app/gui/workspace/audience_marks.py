"""Marking who may read a written thing, fast, during the meeting (issue 12, point 2).

One key (``MARK_KEY``) on the selected map item opens a short menu: everyone, professionals only, or everyone
except one of the family members invited. A choice that keeps the item from someone needs a reason: when a
"not to be shared with" restriction on that person is recorded (Before step), the mark carries it out and
takes its reason; otherwise the chair is asked for one. The item then shows a marker in its table, and every
document and the projector follow the mark (``rules.audience``). Changing the mark is one undo step.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QInputDialog, QMenu, QWidget

from chair_app.domain import model as m
from chair_app.domain.enums import Audience
from chair_app.rules import audience as rules

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession

MARK_KEY = "F8"
EVERYONE = "Everyone"
PROFESSIONALS = "Professionals only"


def marks_on(bundle: m.ConferenceBundle, subject_id: uuid.UUID, part: str = "") -> list[m.AudienceMark]:
    return [a for a in bundle.audience if a.subject_id == subject_id and a.part == part]


def marker(bundle: m.ConferenceBundle, subject_id: uuid.UUID) -> str:
    """What a marked item shows before its text: "[Professionals only] ", "[Not for Ryan Cole] "; "" for everyone."""
    names = []
    for mark in marks_on(bundle, subject_id):
        if mark.audience is Audience.PROFESSIONALS:
            names.append(PROFESSIONALS)
        else:
            person = bundle.person(mark.person_id)
            who = person.name if person else "someone"
            names.append(f"Not for {who}" + (" (excluded then)" if mark.audience is Audience.EXCLUDED_PART else ""))
    return f"[{'; '.join(names)}] " if names else ""


def choices(bundle: m.ConferenceBundle, policy) -> list[tuple[str, Audience | None, uuid.UUID | None]]:
    """(label, audience, person) for the menu: everyone, professionals only, and not for each family member."""
    out: list[tuple[str, Audience | None, uuid.UUID | None]] = [
        (EVERYONE, None, None),
        (PROFESSIONALS, Audience.PROFESSIONALS, None),
    ]
    invited = [(inv, bundle.person(inv.person_id)) for inv in sorted(bundle.invitations, key=lambda i: i.position)]
    family = [(inv, p) for inv, p in invited if p is not None and rules.is_family(p, policy)]
    out += [(f"Everyone except {p.name}", Audience.EXCEPT, p.id) for _inv, p in family]
    # Someone recorded as excluded from part of the meeting: what was said while they were out of the room.
    out += [
        (f"Said while {p.name} was excluded", Audience.EXCLUDED_PART, p.id)
        for inv, p in family
        if inv.excluded_from_part
    ]
    return out


def ask_reason(parent: QWidget, label: str) -> str | None:
    text, ok = QInputDialog.getText(parent, "Why", f"{label}: why? (recorded with the mark)")
    return text.strip() if ok and text.strip() else None


def set_audience(
    session: EditSession,
    subject_id: uuid.UUID,
    chosen: Audience | None,
    person_id: uuid.UUID | None,
    reason: Callable[[str], str | None],
) -> bool:
    """Replace the marks on a whole record with one (or none, for everyone), as one undo step."""
    bundle = session.bundle
    restriction = next((r for r in bundle.restrictions if person_id and r.person_id == person_id), None)
    new: m.AudienceMark | None = None
    if chosen is Audience.EXCLUDED_PART:
        person = bundle.person(person_id)
        restriction = None  # the exclusion is its own reason
        why = f"said while {person.name if person else 'they were'} excluded from part of the meeting"
    elif chosen is not None:
        why = restriction.reason if restriction else reason(PROFESSIONALS if person_id is None else "Not for them")
    if chosen is not None:
        if not why:
            return False  # cancelled: nothing changes
        new = m.AudienceMark(
            conference_id=session.conference_id,
            subject_id=subject_id,
            audience=chosen,
            person_id=person_id,
            reason=why,
            restriction_id=restriction.id if restriction else None,
        )
    old = [(m.AudienceMark, a.id) for a in marks_on(bundle, subject_id)]
    session.stack.beginMacro("who may read it")
    ok = True
    if old:
        ok = session.remove(old, "who may read it")
    if ok and new is not None:
        ok = session.add([new], "who may read it")
    session.stack.endMacro()
    return ok


def menu(parent: QWidget, session: EditSession, subject_id: uuid.UUID) -> QMenu:
    """The menu the key opens on the selected item; each action sets the item's audience."""
    box = QMenu("Who may read it", parent)
    box.setObjectName("audienceMenu")
    current = marker(session.bundle, subject_id)
    for label, chosen, person_id in choices(session.bundle, session.policy):
        action = box.addAction(label)
        action.setCheckable(True)
        action.setChecked(
            (chosen is None and not current)
            or any(a.audience is chosen and a.person_id == person_id for a in marks_on(session.bundle, subject_id))
        )
        action.triggered.connect(
            lambda _c=False, chosen=chosen, person_id=person_id, label=label: set_audience(
                session, subject_id, chosen, person_id, lambda _l: ask_reason(parent, label)
            )
        )
    return box
