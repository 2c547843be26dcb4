"""Create a conference: kind, date, venue or remote, chair, minute-taker, family, children and invitees.

Nothing is stored until Create is pressed; then the service checks everything and either stores the whole
conference or refuses with one line naming the field and the fix, leaving the form as it was.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
)

from chair_app.domain.dates import uk_date
from chair_app.domain.enums import MeetingKind, Sex
from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.fields import parse_date, parse_time

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database


class CreateConferenceDialog(QDialog):
    def __init__(self, db: Database, policy: Policy, who: str, parent=None) -> None:
        super().__init__(parent)
        from chair_app.services.workspace import NewChild, NewInvitee

        self.db, self.policy, self.who = db, policy, who
        self.children: list[NewChild] = []
        self.invitees: list[NewInvitee] = []
        self.created = None
        self.setWindowTitle("New conference")
        self.setObjectName("createConference")
        apply_theme(self)
        f = QFormLayout()
        self.kind = QComboBox()
        for k in MeetingKind:
            self.kind.addItem(k.label, k)
        self._row(f, "&Meeting", self.kind)
        self.held_on = QLineEdit(uk_date(date.today() + timedelta(days=7)), placeholderText="dd/mm/yyyy")
        self.start = QLineEdit("10:00", placeholderText="hh:mm")
        when = QHBoxLayout()
        when.addWidget(self.held_on)
        when.addWidget(QLabel("at"))
        when.addWidget(self.start)
        self.held_on.setAccessibleName("Date")
        self.start.setAccessibleName("Start time")
        f.addRow("Date", when)
        self.venue = QLineEdit(placeholderText="e.g. County Hall, Room 4")
        self._row(f, "&Venue", self.venue)
        self.remote = QCheckBox("Held remotely (video or phone)")
        self.remote.setAccessibleName("Held remotely")
        f.addRow("", self.remote)
        self.chair = QLineEdit()
        self._row(f, "C&hair", self.chair)
        self.minute_taker = QLineEdit()
        self._row(f, "Minute-ta&ker", self.minute_taker)
        self.family = QLineEdit(placeholderText="e.g. Hayes family")
        self._row(f, "&Family", self.family)

        kids = QGroupBox("Children (an unborn baby: give the expected date)")
        kl = QVBoxLayout(kids)
        self.child_list = QListWidget()
        self.child_list.setAccessibleName("Children added")
        self.child_list.setMaximumHeight(90)
        kl.addWidget(self.child_list)
        row = QHBoxLayout()
        self.c_forename = QLineEdit(placeholderText="Forename")
        self.c_surname = QLineEdit(placeholderText="Surname")
        self.c_dob = QLineEdit(placeholderText="Born dd/mm/yyyy")
        self.c_edd = QLineEdit(placeholderText="or due dd/mm/yyyy")
        self.c_sex = QComboBox()
        for s in Sex:
            self.c_sex.addItem(s.value.replace("_", " ").capitalize(), s)
        for w, name in (
            (self.c_forename, "Child's forename"),
            (self.c_surname, "Child's surname"),
            (self.c_dob, "Child's date of birth"),
            (self.c_edd, "Expected date of birth"),
            (self.c_sex, "Child's sex"),
        ):
            w.setAccessibleName(name)
            row.addWidget(w)
        add_child = QPushButton("Add child")
        add_child.clicked.connect(self.add_child)
        row.addWidget(add_child)
        kl.addLayout(row)

        people = QGroupBox("Invitees")
        pl = QVBoxLayout(people)
        self.invitee_list = QListWidget()
        self.invitee_list.setAccessibleName("Invitees added")
        self.invitee_list.setMaximumHeight(110)
        pl.addWidget(self.invitee_list)
        row = QHBoxLayout()
        self.p_name = QLineEdit(placeholderText="Name")
        self.p_role = QComboBox()
        for key, role in policy.roles.items():
            self.p_role.addItem(role.label, key)
        self.p_agency = QLineEdit(placeholderText="Agency")
        for w, name in (
            (self.p_name, "Invitee's name"),
            (self.p_role, "Invitee's role"),
            (self.p_agency, "Invitee's agency"),
        ):
            w.setAccessibleName(name)
            row.addWidget(w)
        add_person = QPushButton("Add invitee")
        add_person.clicked.connect(self.add_invitee)
        row.addWidget(add_person)
        pl.addLayout(row)

        self.message = QLabel()
        self.message.setObjectName("formMessage")
        self.message.setWordWrap(True)
        self.message.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.create_button = buttons.addButton("&Create conference", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addLayout(f)
        lay.addWidget(kids)
        lay.addWidget(people)
        lay.addWidget(self.message)
        lay.addWidget(buttons)
        self.resize(860, 720)

    def _row(self, f: QFormLayout, label: str, widget) -> None:
        widget.setAccessibleName(label.replace("&", ""))
        f.addRow(label, widget)

    def say(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def add_child(self) -> None:
        from chair_app.services.workspace import NewChild, new_child

        try:
            dob, edd = parse_date(self.c_dob.text()), parse_date(self.c_edd.text())
        except ValueError as exc:
            self.say(f"Child's date of birth: {exc}")
            return
        child = NewChild(self.c_forename.text(), self.c_surname.text(), dob, edd, Sex(self.c_sex.currentData()))
        try:
            new_child(uuid.uuid4(), child)  # the checks the conference will be stored with, said now
        except ChairError as exc:
            self.say(str(exc))
            return
        self.children.append(child)
        when = f"born {uk_date(dob)}" if dob else f"due {uk_date(edd)}"
        self.child_list.addItem(f"{child.forename.strip()} {child.surname.strip()}, {when}")
        for w in (self.c_forename, self.c_dob, self.c_edd):
            w.clear()
        self.say("")
        self.c_forename.setFocus()

    def add_invitee(self) -> None:
        from chair_app.services.workspace import NewInvitee

        if not self.p_name.text().strip():
            self.say("Invitee's name: give the person's name")
            return
        person = NewInvitee(self.p_name.text().strip(), self.p_role.currentData(), self.p_agency.text().strip())
        self.invitees.append(person)
        self.invitee_list.addItem(
            f"{person.name}, {self.p_role.currentText()}" + (f", {person.agency}" if person.agency else "")
        )
        self.p_name.clear()
        self.p_agency.clear()
        self.say("")
        self.p_name.setFocus()

    def create(self) -> None:
        from chair_app.services.workspace import NewConference, create_conference

        try:
            held_on = parse_date(self.held_on.text())
        except ValueError as exc:
            self.say(f"Date: {exc}")
            return
        if held_on is None:
            self.say("Date: give the date of the conference")
            return
        try:
            start = parse_time(self.start.text())
        except ValueError:
            self.say("Start time: type a time as hh:mm, e.g. 10:00")
            return
        new = NewConference(
            kind=MeetingKind(self.kind.currentData()),
            held_on=held_on,
            family_name=self.family.text(),
            start_time=start,
            venue=self.venue.text(),
            remote=self.remote.isChecked(),
            chair=self.chair.text(),
            minute_taker=self.minute_taker.text(),
            children=list(self.children),
            invitees=list(self.invitees),
        )
        try:
            self.created = create_conference(self.db, new, self.policy, who=self.who)
        except ChairError as exc:
            self.say(str(exc))
            return
        self.accept()
