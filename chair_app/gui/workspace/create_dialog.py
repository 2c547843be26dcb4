"""Create a conference: kind, date, venue or remote, chair, minute-taker, family, children and invitees.

The form's layout is a Qt Designer file, ui/new_conference.ui, loaded with QUiLoader; this module fills its
choices from the policy and keeps every behaviour.

Nothing is stored until Create is pressed; then the service checks everything and either stores the whole
conference or refuses with one line naming the field and the fix, leaving the form as it was.
"""

from __future__ import annotations

import uuid
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from chair_app.domain.dates import uk_date
from chair_app.domain.enums import MeetingKind, Sex
from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.fields import parse_date, parse_time
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database


def fit_placeholder(edit: QLineEdit, sample: str = "") -> None:
    """A box never narrower than its placeholder (or a sample of what is typed), so neither is clipped."""
    metrics = edit.fontMetrics()
    text = max(edit.placeholderText(), sample, key=metrics.horizontalAdvance)
    margins = edit.textMargins()
    # The frame and the theme's padding: what a line edit adds around its text (Qt's own sizeHint margin).
    edit.setMinimumWidth(metrics.horizontalAdvance(text) + margins.left() + margins.right() + 2 * 12 + 8)


def load_form(path: Path, parent: QWidget) -> QWidget:
    """A Qt Designer form, built as a child of ``parent``: one line naming the file when it cannot be read."""
    from PySide6.QtCore import QFile, QIODevice
    from PySide6.QtUiTools import QUiLoader

    file = QFile(str(path))
    if not file.open(QIODevice.OpenModeFlag.ReadOnly):
        raise RuntimeError(f"{path}: cannot be read ({file.errorString()})")
    try:
        widget = QUiLoader().load(file, parent)
    finally:
        file.close()
    if widget is None:
        raise RuntimeError(f"{path}: not a form Qt can load")
    return widget


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
        # The layout is a Qt Designer form (ui/new_conference.ui); this class keeps the behaviour.
        form = load_form(UI / "new_conference.ui", self)
        self.form = form
        lay = QVBoxLayout(self)
        lay.addWidget(form)

        self.kind = form.findChild(QComboBox, "kind")
        for k in MeetingKind:
            self.kind.addItem(k.label, k)
        self.held_on = form.findChild(QLineEdit, "held_on")
        self.held_on.setText(uk_date(date.today() + timedelta(days=7)))
        self.start = form.findChild(QLineEdit, "start")
        self.venue = form.findChild(QLineEdit, "venue")
        self.remote = form.findChild(QCheckBox, "remote")
        self.chair = form.findChild(QLineEdit, "chair")
        self.minute_taker = form.findChild(QLineEdit, "minute_taker")
        self.family = form.findChild(QLineEdit, "family")

        self.child_list = form.findChild(QListWidget, "child_list")
        self.c_forename = form.findChild(QLineEdit, "c_forename")
        self.c_surname = form.findChild(QLineEdit, "c_surname")
        self.c_dob = form.findChild(QLineEdit, "c_dob")
        self.c_edd = form.findChild(QLineEdit, "c_edd")
        self.c_sex = form.findChild(QComboBox, "c_sex")
        for s in Sex:
            self.c_sex.addItem(s.value.replace("_", " ").capitalize(), s)
        self.c_sex.setPlaceholderText("Sex")  # no default: left unchosen, it is stored as not known
        self.c_sex.setCurrentIndex(-1)
        form.findChild(QPushButton, "add_child_button").clicked.connect(self.add_child)

        self.invitee_list = form.findChild(QListWidget, "invitee_list")
        self.p_name = form.findChild(QLineEdit, "p_name")
        self.p_role = form.findChild(QComboBox, "p_role")
        for key, role in policy.roles.items():
            self.p_role.addItem(role.label, key)
        self.p_agency = form.findChild(QLineEdit, "p_agency")
        form.findChild(QPushButton, "add_invitee_button").clicked.connect(self.add_invitee)

        self.message = form.findChild(QLabel, "message")
        self.message.setObjectName("formMessage")
        # The line's space is kept when there is nothing to say, so a message never moves the form under
        # the pointer: two lines' height, reserved whether shown or not.
        keep = self.message.sizePolicy()
        keep.setRetainSizeWhenHidden(True)
        self.message.setSizePolicy(keep)
        self.message.setFixedHeight(self.message.fontMetrics().lineSpacing() * 2 + 6)
        self.message.hide()
        buttons = form.findChild(QDialogButtonBox, "buttons")
        self.create_button = buttons.addButton("&Create conference", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.create)
        buttons.rejected.connect(self.reject)
        missing = [
            name
            for name in ("kind", "held_on", "start", "family", "c_sex", "p_role", "message")
            if getattr(self, name) is None
        ]
        if missing:
            raise RuntimeError(f"ui/new_conference.ui: no widget named {', '.join(missing)}")
        self.resize(860, 720)

    def showEvent(self, event) -> None:
        # Measured once styled (the theme sets the type size): before that the font is not the one shown.
        for edit, sample in ((self.held_on, "00/00/0000"), (self.start, "00:00"), (self.c_dob, ""), (self.c_edd, "")):
            edit.ensurePolished()
            fit_placeholder(edit, sample)
        super().showEvent(event)

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
        sex = Sex(self.c_sex.currentData()) if self.c_sex.currentIndex() >= 0 else Sex.NOT_KNOWN
        child = NewChild(self.c_forename.text(), self.c_surname.text(), dob, edd, sex)
        try:
            new_child(uuid.uuid4(), child)  # the checks the conference will be stored with, said now
        except ChairError as exc:
            self.say(str(exc))
            return
        from chair_app.gui.register_prompt import look_up

        child.registered_id, known = look_up(self, self.db, child)  # issue 13: the clerk confirms, never silent
        self.children.append(child)
        when = f"born {uk_date(dob)}" if dob else f"due {uk_date(edd)}"
        sex = f", {child.sex.value.replace('_', ' ')}" if child.sex is not Sex.NOT_KNOWN else ""
        self.child_list.addItem(f"{child.forename.strip()} {child.surname.strip()}, {when}{sex}{known}")
        for w in (self.c_forename, self.c_dob, self.c_edd):
            w.clear()
        self.c_sex.setCurrentIndex(-1)
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
        if not any(c.registered_id for c in new.children) and new.family_name.strip():
            from chair_app.gui.register_prompt import look_up_family

            new.registered_family_id = look_up_family(self, self.db, new.family_name)  # issue 13: the clerk says
        try:
            self.created = create_conference(self.db, new, self.policy, who=self.who)
        except ChairError as exc:
            self.say(str(exc))
            return
        self.accept()
