"""Marking who may read a written thing, fast, during the meeting (issue 12, point 2).

One key (``MARK_KEY``) on the selected item opens a short menu: everyone, professionals only, or everyone
except one of the family members invited. A choice that keeps the item from someone needs a reason: when a
"not to be shared with" restriction on that person is recorded (Before step), the mark carries it out and
takes its reason; otherwise the chair is asked for one. The item then shows a marker in its table, and every
document and the projector follow the mark (``rules.audience``). Changing the mark is one undo step.

The same key and menu work on every kind the audience model knows: a map item, a danger statement, a plan
action, a child's views (Voice step), a person's contact details (Before step's invitees), a core group entry
(Plan step), and a paragraph that goes to the record (the Decision step's reasons, analysis, dissent and the
family's views; the contingency plan). A part of a record (its contact details, its core group entry, one of
its paragraphs) is marked with that part's name (``rules.audience``); a text field shows its marker in its
label (``MarkedFields``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication, QInputDialog, QLabel, QMenu, QWidget

from chair_app.domain import model as m
from chair_app.domain.enums import Audience
from chair_app.rules import audience as rules

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession

MARK_KEY = "F8"
EVERYONE = "Everyone"
PROFESSIONALS = "Professionals only"


#: How a marked part of a record is named in its marker ("[Contact details: Professionals only] ").
PART_LABELS = {"contact": "Contact details", "core_group": "Core group"}


def marks_on(bundle: m.ConferenceBundle, subject_id: uuid.UUID, part: str = "") -> list[m.AudienceMark]:
    return [a for a in bundle.audience if a.subject_id == subject_id and a.part == part]


def marker(bundle: m.ConferenceBundle, subject_id: uuid.UUID | None, part: str = "") -> str:
    """What a marked item shows before its text: "[Professionals only] ", "[Not for Ryan Cole] "; "" for everyone.
    A marked part of a record says which part: "[Contact details: Professionals only] "."""
    if subject_id is None:
        return ""
    names = []
    for mark in marks_on(bundle, subject_id, part):
        if mark.audience is Audience.PROFESSIONALS:
            names.append(PROFESSIONALS)
        else:
            person = bundle.person(mark.person_id)
            who = person.name if person else "someone"
            names.append(f"Not for {who}" + (" (excluded then)" if mark.audience is Audience.EXCLUDED_PART else ""))
    if not names:
        return ""
    label = PART_LABELS.get(part, "")
    return f"[{label + ': ' if label else ''}{'; '.join(names)}] "


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
    part: str = "",
) -> bool:
    """Replace the marks on a whole record (or on one ``part`` of it) with one (or none, for everyone), as one
    undo step, through the workspace's one write path (journaled, undoable)."""
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
            part=part,
            audience=chosen,
            person_id=person_id,
            reason=why,
            restriction_id=restriction.id if restriction else None,
        )
    old = [(m.AudienceMark, a.id) for a in marks_on(bundle, subject_id, part)]
    session.stack.beginMacro("who may read it")
    ok = True
    if old:
        ok = session.remove(old, "who may read it")
    if ok and new is not None:
        ok = session.add([new], "who may read it")
    session.stack.endMacro()
    return ok


def menu(parent: QWidget, session: EditSession, subject_id: uuid.UUID, part: str = "") -> QMenu:
    """The menu the key opens on the selected item (or ``part`` of it); each action sets its audience."""
    box = QMenu("Who may read it", parent)
    box.setObjectName("audienceMenu")
    current = marker(session.bundle, subject_id, part)
    for label, chosen, person_id in choices(session.bundle, session.policy):
        action = box.addAction(label)
        action.setCheckable(True)
        action.setChecked(
            (chosen is None and not current)
            or any(
                a.audience is chosen and a.person_id == person_id for a in marks_on(session.bundle, subject_id, part)
            )
        )
        action.triggered.connect(
            lambda _c=False, chosen=chosen, person_id=person_id, label=label: set_audience(
                session, subject_id, chosen, person_id, lambda _l: ask_reason(parent, label), part
            )
        )
    return box


@dataclass
class MarkedField:
    """A text field whose words go to the record as a paragraph of their own: F8 in it marks that paragraph."""

    widget: QWidget
    subject: Callable[[], uuid.UUID | None]  # the record the field shows now (the chosen child's decision...)
    part: str  # the record's field: "reasons", "contingency_plan", "views"
    label: QLabel | None = None  # shows the marker after its own words
    words: str = ""


class MarkedFields:
    """The paragraphs a page sends to the record, each open to the same key and menu as an item, each showing
    its marker in its label ("Reasons [Professionals only]")."""

    def __init__(self, page) -> None:
        self.page = page
        self.fields: list[MarkedField] = []

    def add(self, widget: QWidget, subject: Callable[[], uuid.UUID | None], part: str, label: QLabel | None) -> None:
        self.fields.append(MarkedField(widget, subject, part, label, label.text() if label is not None else ""))

    def focused(self) -> MarkedField | None:
        """The field the keyboard is in, if it is one of these."""
        now = QApplication.focusWidget()
        if now is None:
            return None
        return next((f for f in self.fields if now is f.widget or f.widget.isAncestorOf(now)), None)

    def mark(self, field: MarkedField) -> bool:
        """Open the menu on ``field``'s paragraph; False when there is nothing to mark (no record chosen)."""
        subject = field.subject()
        if subject is None or self.page.ws.session is None or not self.page.ws.editable():
            return False
        self.page.audience_menu = menu(self.page, self.page.s, subject, field.part)
        self.page.audience_menu.popup(field.widget.mapToGlobal(field.widget.rect().bottomLeft()))
        return True

    def refresh(self) -> None:
        if self.page.ws.session is None:
            return
        for f in self.fields:
            if f.label is not None:
                shown = marker(self.page.bundle, f.subject(), f.part).strip()
                f.label.setText(f"{f.words} {shown}" if shown else f.words)
