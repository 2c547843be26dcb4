"""The seven steps of the workspace. Each page shows the open conference and edits it through the session.

A page reacts to three calls from the workspace: ``opened()`` (a conference was opened), ``shown()`` (the
step became visible) and ``changed(cls)`` (records of that type changed; None: everything).
"""

from __future__ import annotations

import html
import uuid
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSpinBox,
    QStackedWidget,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import (
    AttendanceMode,
    AttendanceStatus,
    Category,
    ConferenceStatus,
    MappingColumn,
    MappingSection,
    MeetingKind,
    Outcome,
    ParticipationCode,
    QuoracyOutcome,
    Sex,
)
from chair_app.gui.workspace.ask import FormDialog
from chair_app.gui.workspace.common import Notice, button, heading, select_id, selected_id, table
from chair_app.gui.workspace.fields import (
    CheckBinder,
    ChoiceBinder,
    DateBinder,
    ScaleBinder,
    TextBinder,
    parse_date,
)
from chair_app.gui.workspace.models import Column, RecordTableModel
from chair_app.rules import participation, quoracy
from chair_app.rules.ages import age_text
from chair_app.rules.decisions import read_scale, repeat_facts
from chair_app.rules.timescales import conference_timescales, next_dates

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


class Page(QScrollArea):
    """A step: its content scrolls when the window is small (1366x768), and never clips."""

    def __init__(self, workspace: ConferenceWorkspace, title: str, intro: str) -> None:
        super().__init__()
        self.ws = workspace
        self.setWidgetResizable(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.body = QWidget()
        self.body.setObjectName("page")
        self.setWidget(self.body)
        self.lay = QVBoxLayout(self.body)
        self.lay.setContentsMargins(16, 4, 8, 8)
        self.lay.setSpacing(10)
        self.lay.addWidget(heading(title))
        if intro:
            note = QLabel(intro)
            note.setObjectName("intro")
            note.setWordWrap(True)
            self.lay.addWidget(note)

    @property
    def s(self) -> EditSession:
        assert self.ws.session is not None
        return self.ws.session

    @property
    def bundle(self) -> m.ConferenceBundle:
        return self.s.bundle

    def conf_target(self):
        return (m.Conference, self.s.conference_id) if self.ws.session else None

    def opened(self) -> None:
        pass

    def shown(self) -> None:
        pass

    def changed(self, cls, record_id=None) -> None:
        pass

    def shortcut(self, text: str, key: str, slot: Callable[[], None], name: str) -> QAction:
        """A shortcut that works while this step is shown (listed on the F1 sheet)."""
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcut(QKeySequence(key))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)
        return action


def _enum(cls, value):
    """A combo's item data back as its enum: Qt keeps a string enum as a plain string."""
    return cls(value) if value else None


def form() -> QFormLayout:
    f = QFormLayout()
    f.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
    f.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
    f.setLabelAlignment(Qt.AlignmentFlag.AlignLeft)
    return f


def person_name(bundle: m.ConferenceBundle, person_id: uuid.UUID | None, *, public: bool = False) -> str:
    person = bundle.person(person_id)
    if person is None:
        return ""
    if public and person.name_withheld:
        return person.role or "Withheld"
    return person.name


def role_label(person: m.Person | None) -> str:
    if person is None:
        return ""
    return ", ".join(x for x in (person.role, person.agency) if x)


ATTENDANCE_CHOICES: tuple[tuple[str, AttendanceStatus, AttendanceMode | None], ...] = (
    ("Not yet known", AttendanceStatus.INVITED, None),
    ("Present in person", AttendanceStatus.ATTENDED, AttendanceMode.IN_PERSON),
    ("Present by video", AttendanceStatus.ATTENDED, AttendanceMode.VIDEO),
    ("Present by phone", AttendanceStatus.ATTENDED, AttendanceMode.PHONE),
    ("Apologies", AttendanceStatus.APOLOGIES, None),
    ("Did not attend", AttendanceStatus.DID_NOT_ATTEND, None),
)


def attendance_words(inv: m.Invitation) -> str:
    for text, status, mode in ATTENDANCE_CHOICES:
        if inv.status is status and inv.mode is mode:
            return text
    return inv.status.value.replace("_", " ").capitalize()


def attendance_notes(inv: m.Invitation) -> str:
    notes = []
    if inv.arrived_at:
        notes.append(f"arrived {inv.arrived_at:%H:%M}")
    if inv.left_at:
        notes.append(f"left {inv.left_at:%H:%M}")
    if inv.excluded_from_part:
        notes.append("excluded for part")
    return ", ".join(notes)


def invitations_in_order(bundle: m.ConferenceBundle) -> list[m.Invitation]:
    return sorted(bundle.invitations, key=lambda i: (i.position, i.created_at))


# ---------------------------------------------------------------------------------------------------------
# 1. Before


class BeforePage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Before the conference",
            "Details, children, invitees and reports. Everything you type is stored as you type it.",
        )
        ws = workspace
        top = QHBoxLayout()
        details = QGroupBox("Conference")
        f = form()
        details.setLayout(f)
        ct = self.conf_target
        self.kind = QComboBox()
        ChoiceBinder(ws, self.kind, ct, "kind", "Meeting", [(k.label, k) for k in MeetingKind])
        f.addRow("&Meeting", self.kind)
        self.held_on = QLineEdit()
        DateBinder(ws, self.held_on, ct, "held_on", "Date")
        self.start = QLineEdit()
        DateBinder(ws, self.start, ct, "start_time", "Start time", clock=True)
        when = QHBoxLayout()
        when.addWidget(self.held_on)
        when.addWidget(QLabel("at"))
        when.addWidget(self.start)
        when.addStretch(1)
        f.addRow("Date", when)
        self.venue = QLineEdit()
        TextBinder(ws, self.venue, ct, "venue", "Venue")
        f.addRow("&Venue", self.venue)
        self.remote = QCheckBox("Held remotely (video or phone)")
        CheckBinder(ws, self.remote, ct, "remote", "Held remotely")
        f.addRow("", self.remote)
        self.chair = QLineEdit()
        TextBinder(ws, self.chair, ct, "chair", "Chair")
        f.addRow("C&hair", self.chair)
        self.minute_taker = QLineEdit()
        TextBinder(ws, self.minute_taker, ct, "minute_taker", "Minute-taker")
        f.addRow("Minute-ta&ker", self.minute_taker)
        self.family = QLineEdit()
        TextBinder(
            ws, self.family, lambda: (m.Family, self.bundle.family.id) if ws.session else None, "name", "Family name"
        )
        f.addRow("&Family", self.family)
        top.addWidget(details, 1)

        facts = QGroupBox("Timeliness facts")
        g = form()
        facts.setLayout(g)
        self.date_fields: dict[str, QLineEdit] = {}
        for name, label in (
            ("strategy_discussion_on", "Strategy discussion"),
            ("transfer_notified_on", "Transfer notified on"),
            ("requested_on", "Conference requested on"),
            ("report_to_parents_on", "Report shared with parents"),
            ("report_to_chair_on", "Report shared with chair"),
            ("cin_referral_date", "CIN referral date"),
        ):
            w = QLineEdit()
            DateBinder(ws, w, ct, name, label)
            self.date_fields[name] = w
            g.addRow(label, w)
        from chair_app.services.statutory import referral_sources

        self.source = QComboBox()
        self.source.setMinimumContentsLength(24)
        self.source.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        ChoiceBinder(
            ws,
            self.source,
            ct,
            "referral_source",
            "Referral source",
            [("Not recorded", "")] + [(f"{code}: {words}", code) for code, words in referral_sources().items()],
        )
        g.addRow("Referral source", self.source)
        top.addWidget(facts, 1)
        self.lay.addLayout(top)

        # Timeliness status, with the reason-for-delay prompt when late.
        self.timeliness = QGroupBox("Timescales")
        tl = QVBoxLayout(self.timeliness)
        self.timescale_text = QLabel()
        self.timescale_text.setWordWrap(True)
        self.timescale_text.setTextFormat(Qt.TextFormat.RichText)
        tl.addWidget(self.timescale_text)
        self.delay_form = form()
        tl.addLayout(self.delay_form)
        self.delay_edits: dict[str, QLineEdit] = {}
        self.lay.addWidget(self.timeliness)

        # Children.
        kids = QGroupBox("Children")
        kl = QHBoxLayout(kids)
        self.children_model = RecordTableModel(
            [
                Column("Name", lambda c: c.full_name),
                Column(
                    "Age",
                    lambda c: age_text(c.date_of_birth, self.bundle.conference.held_on, c.expected_date_of_birth),
                    sort=lambda c: (c.date_of_birth or c.expected_date_of_birth or date.max).toordinal(),
                ),
                Column("Born / due", lambda c: uk_date(c.date_of_birth or c.expected_date_of_birth)),
                Column("Sex", lambda c: c.sex.value.replace("_", " ").capitalize()),
            ],
            lambda: self.bundle.considered_children(),  # noqa: PLW0108 - the bundle changes
            self,
        )
        self.children_view = table(self.children_model, "Children", stretch=0)
        self.children_view.setMinimumHeight(130)
        self.children_view.selectionModel().selectionChanged.connect(lambda *_: self._child_chosen())
        left = QVBoxLayout()
        left.addWidget(self.children_view, 1)
        left.addWidget(button("Add &child…", "Add a child or an unborn baby", self.add_child))
        kl.addLayout(left, 1)
        cf = form()
        target = self._child_target
        self.child_fields = {}
        for name, label in (
            ("forename", "Forename"),
            ("surname", "Surname"),
            ("ethnicity", "Ethnicity code"),
            ("local_child_id", "Local child ID"),
            ("upn", "UPN"),
        ):
            w = QLineEdit()
            TextBinder(ws, w, target, name, label)
            cf.addRow(label, w)
            self.child_fields[name] = w
        for name, label in (("date_of_birth", "Date of birth"), ("expected_date_of_birth", "Expected date (unborn)")):
            w = QLineEdit()
            DateBinder(ws, w, target, name, label)
            cf.addRow(label, w)
            self.child_fields[name] = w
        sex = QComboBox()
        ChoiceBinder(ws, sex, target, "sex", "Sex", [(s.value.replace("_", " ").capitalize(), s) for s in Sex])
        cf.addRow("Sex", sex)
        kl.addLayout(cf, 1)
        self.lay.addWidget(kids)

        # Invitees.
        people = QGroupBox("Invitees and reports")
        pl = QHBoxLayout(people)
        self.invitees_model = RecordTableModel(
            [
                Column("Name", lambda i: person_name(self.bundle, i.person_id)),
                Column("Role", lambda i: role_label(self.bundle.person(i.person_id))),
                Column(
                    "Report",
                    lambda i: (
                        ("Received " + uk_date(i.report_submitted_on)).strip() if i.report_submitted else "Not received"
                    ),
                ),
            ],
            lambda: invitations_in_order(self.bundle),
            self,
        )
        self.invitees_view = table(self.invitees_model, "Invitees", stretch=1, sortable=True)
        self.invitees_view.setMinimumHeight(200)
        self.invitees_view.selectionModel().selectionChanged.connect(lambda *_: self._invitee_chosen())
        left = QVBoxLayout()
        left.addWidget(self.invitees_view, 1)
        row = QHBoxLayout()
        row.addWidget(button("Add &invitee…", "Invite someone: a parent, relative or professional", self.add_invitee))
        row.addWidget(button("Remove invitee", "Take the selected invitee off this conference", self.remove_invitee))
        left.addLayout(row)
        pl.addLayout(left, 3)
        pf = form()
        person = self._person_target
        for name, label in (
            ("name", "Name"),
            ("agency", "Agency"),
            ("relationship", "Relationship"),
            ("phone", "Phone"),
            ("email", "Email"),
        ):
            w = QLineEdit()
            TextBinder(ws, w, person, name, label)
            pf.addRow(label, w)
        role = QComboBox()
        self.role_binder = ChoiceBinder(ws, role, person, "role_code", "Role", [])
        pf.addRow("Role", role)
        withheld = QCheckBox("Contact details withheld from the family")
        CheckBinder(ws, withheld, person, "contact_withheld", "Contact details withheld from the family")
        pf.addRow("", withheld)
        name_withheld = QCheckBox("Name withheld from other recipients")
        CheckBinder(ws, name_withheld, person, "name_withheld", "Name withheld from other recipients")
        pf.addRow("", name_withheld)
        report = QCheckBox("Report received")
        CheckBinder(ws, report, self._invitation_target, "report_submitted", "Report received")
        report_on = QLineEdit()
        DateBinder(ws, report_on, self._invitation_target, "report_submitted_on", "Report received on")
        rr = QHBoxLayout()
        rr.addWidget(report)
        rr.addWidget(QLabel("on"))
        rr.addWidget(report_on)
        rr.addStretch(1)
        pf.addRow("Report", rr)
        pl.addLayout(pf, 2)
        self.lay.addWidget(people)
        self.lay.addStretch(1)
        self._previous_held_on: date | None = None

    # Targets
    def _child_target(self):
        cid = selected_id(self.children_view) if self.ws.session else None
        return (m.Child, cid) if cid else None

    def _invitation_target(self):
        iid = selected_id(self.invitees_view) if self.ws.session else None
        return (m.Invitation, iid) if iid else None

    def _person_target(self):
        t = self._invitation_target()
        if t is None:
            return None
        inv = self.s.record(*t)
        return (m.Person, inv.person_id) if inv else None

    def _child_chosen(self) -> None:
        for b in self.ws.binders:
            if b.target == self._child_target:
                b.refresh()

    def _invitee_chosen(self) -> None:
        for b in self.ws.binders:
            if b.target in (self._person_target, self._invitation_target):
                b.refresh()

    def opened(self) -> None:
        from chair_app.services.conferences import previous_conference

        previous = previous_conference(self.s.db, self.bundle)
        self._previous_held_on = previous.held_on if previous else None
        self.s.previous = previous
        self.role_binder.set_choices([("Not set", "")] + [(r.label, k) for k, r in self.s.policy.roles.items()])
        self.children_model.refresh()
        self.invitees_model.refresh()
        self.children_view.selectRow(0)
        self.invitees_view.selectRow(0)

    def changed(self, cls, record_id=None) -> None:
        if cls in (None, m.Child, m.ConferenceChild, m.Conference):
            self.children_model.refresh(record_id)
        if cls in (None, m.Invitation, m.Person):
            self.invitees_model.refresh(record_id)
        if cls in (None, m.Conference, m.Invitation, m.DelayReason):
            self._timescales()

    def _timescales(self) -> None:
        results = conference_timescales(self.bundle, self.s.policy, date.today(), self._previous_held_on)
        lines = []
        for r in results:
            mark = {"Met": "✔ Met", "Missed": "✖ Missed"}.get(r.status_word, "● " + r.status_word)
            lines.append(f"<b>{mark}</b> · {html.escape(r.explanation)}")
        self.timescale_text.setText("<br>".join(lines))
        late = [r for r in results if r.met is False]
        if [r.key for r in late] != list(self.delay_edits):
            while self.delay_form.rowCount():
                self.delay_form.removeRow(0)
            self.delay_edits = {}
            for r in late:
                edit = QLineEdit(placeholderText="Why was this late? e.g. request received late from the team")
                edit.setAccessibleName(f"Reason for delay: {r.label}")
                edit.textEdited.connect(lambda text, key=r.key: self._delay_typed(key, text))
                edit.editingFinished.connect(self.ws.end_typing)
                self.delay_form.addRow(f"Reason for delay ({r.label})", edit)
                self.delay_edits[r.key] = edit
        for key, edit in self.delay_edits.items():
            stored = next((d.reason for d in self.bundle.delay_reasons if d.measure == key), "")
            if edit.text() != stored and not edit.hasFocus():
                edit.setText(stored)

    def _delay_typed(self, key: str, text: str) -> None:
        existing = next((d for d in self.bundle.delay_reasons if d.measure == key), None)
        if existing is None:
            self.s.add(
                [m.DelayReason(conference_id=self.s.conference_id, measure=key, reason=text)], "add reason for delay"
            )
        else:
            self.s.set(m.DelayReason, existing.id, {"reason": text}, typing=True)

    def add_child(self) -> None:
        dialog = FormDialog(self, "Add a child", "For an unborn baby give the expected date of birth instead.")
        dialog.line("forename", "Forename", '"Baby" for an unborn child')
        dialog.line("surname", "Surname", text=self.bundle.children[0].surname if self.bundle.children else "")
        dialog.line("dob", "Date of birth", "dd/mm/yyyy")
        dialog.line("edd", "Expected date (unborn)", "dd/mm/yyyy")
        dialog.choice("sex", "Sex", [(s.value.replace("_", " ").capitalize(), s) for s in Sex])

        def check(a: dict[str, Any]) -> m.Child:
            try:
                dob, edd = parse_date(a["dob"]), parse_date(a["edd"])
            except ValueError:
                raise ValueError("Date of birth: type a date as dd/mm/yyyy, e.g. 07/03/2019") from None
            if not a["forename"]:
                raise ValueError('Forename: give a name ("Baby" for an unborn child)')
            if dob is None and edd is None:
                raise ValueError("Date of birth: give it, or the expected date for an unborn child")
            return m.Child(
                family_id=self.bundle.family.id,
                forename=a["forename"],
                surname=a["surname"],
                date_of_birth=dob,
                expected_date_of_birth=edd,
                sex=Sex(a["sex"]),
            )

        dialog.check = check
        if dialog.exec():
            child: m.Child = dialog.result_value
            position = len(self.bundle.conference_children)
            voice = m.ConferenceChild(conference_id=self.s.conference_id, child_id=child.id, position=position)
            if self.s.add([child, voice], f"add {child.forename}"):
                select_id(self.children_view, child.id)

    def add_invitee(self) -> None:
        dialog = FormDialog(self, "Invite someone")
        dialog.line("name", "Name")
        dialog.choice("role", "Role", [(r.label, key) for key, r in self.s.policy.roles.items()])
        dialog.line("agency", "Agency", "e.g. Meadowbank Primary School")

        def check(a: dict[str, Any]) -> m.Person:
            if not a["name"]:
                raise ValueError("Name: give the person's name")
            role = self.s.policy.role(a["role"])
            return m.Person(name=a["name"], role_code=a["role"], role=role.label if role else "", agency=a["agency"])

        dialog.check = check
        if dialog.exec():
            person: m.Person = dialog.result_value
            inv = m.Invitation(
                conference_id=self.s.conference_id,
                person_id=person.id,
                position=1 + max((i.position for i in self.bundle.invitations), default=-1),
            )
            if self.s.add([person, inv], f"invite {person.name}"):
                select_id(self.invitees_view, inv.id)

    def remove_invitee(self) -> None:
        t = self._invitation_target()
        if t:
            self.s.remove([t], "remove invitee")


# ---------------------------------------------------------------------------------------------------------
# 2. Welcome and attendance


class WelcomePage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Welcome and attendance",
            "Take the roll-call: choose each person, then how they are here. Alt+Down moves to the next person.",
        )
        ws = workspace
        self.banner = Notice("Quoracy")
        self.banner.setObjectName("quoracyBanner")
        self.lay.addWidget(self.banner)
        self.outcome = QLabel()
        self.outcome.setWordWrap(True)
        row = QHBoxLayout()
        self.quorate_button = button("Record as &quorate", "The conference is quorate and goes ahead", self.quorate)
        self.proceed_button = button(
            "&Proceed without quorum…", "Go ahead although not quorate: a rationale is recorded", self.proceed
        )
        self.stand_down_button = button("&Stand down…", "The conference cannot go ahead: record why", self.stand_down)
        for b in (self.quorate_button, self.proceed_button, self.stand_down_button):
            row.addWidget(b)
        row.addWidget(self.outcome, 1)
        self.lay.addLayout(row)

        body = QHBoxLayout()
        self.model = RecordTableModel(
            [
                Column("Name", lambda i: person_name(self.bundle, i.person_id)),
                Column("Role", lambda i: role_label(self.bundle.person(i.person_id))),
                Column("Attendance", attendance_words),
                Column("Report", lambda i: "Report" if i.report_submitted else ""),
                Column("Notes", attendance_notes),
            ],
            lambda: invitations_in_order(self.bundle),
            self,
        )
        self.view = table(self.model, "Roll-call", stretch=1)
        self.view.setMinimumHeight(300)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        body.addWidget(self.view, 3)

        detail = QGroupBox("How they are here")
        dl = QVBoxLayout(detail)
        self.who = QLabel()
        self.who.setObjectName("subheading")
        self.who.setWordWrap(True)
        dl.addWidget(self.who)
        self.group = QButtonGroup(self)
        for n, (text, _status, _mode) in enumerate(ATTENDANCE_CHOICES):
            radio = QRadioButton(f"{n}  {text}")
            radio.setAccessibleName(text)
            self.group.addButton(radio, n)
            dl.addWidget(radio)
        self.group.idClicked.connect(self._attendance)
        target = self._target
        self.report = QCheckBox("Report provided (counts for apologies with a report)")
        CheckBinder(ws, self.report, target, "report_submitted", "Report provided")
        dl.addWidget(self.report)
        times = QHBoxLayout()
        arrived = QLineEdit()
        DateBinder(ws, arrived, target, "arrived_at", "Arrived late at", clock=True)
        left = QLineEdit()
        DateBinder(ws, left, target, "left_at", "Left early at", clock=True)
        times.addWidget(QLabel("Arrived late at"))
        times.addWidget(arrived)
        times.addWidget(QLabel("Left early at"))
        times.addWidget(left)
        times.addStretch(1)
        dl.addLayout(times)
        self.excluded = QCheckBox("Excluded for part of the meeting")
        CheckBinder(ws, self.excluded, target, "excluded_from_part", "Excluded for part of the meeting")
        dl.addWidget(self.excluded)
        note = QLineEdit(placeholderText="Which part, and why")
        TextBinder(ws, note, target, "exclusion_note", "Exclusion note")
        dl.addWidget(note)
        dl.addStretch(1)
        body.addWidget(detail, 2)
        self.lay.addLayout(body, 1)
        for n, (text, _status, _mode) in enumerate(ATTENDANCE_CHOICES):
            # A bare digit: text boxes keep their own digits (they take the key before any shortcut).
            self.shortcut(text, str(n), lambda n=n: self._attendance(n), f"attendance{n}")
        self.shortcut("Next person", "Alt+Down", lambda: self._move(1), "nextPerson")
        self.shortcut("Previous person", "Alt+Up", lambda: self._move(-1), "previousPerson")

    def _target(self):
        iid = selected_id(self.view) if self.ws.session else None
        return (m.Invitation, iid) if iid else None

    def _move(self, step: int) -> None:
        rows = self.view.selectionModel().selectedRows()
        row = (rows[0].row() if rows else -1) + step
        if 0 <= row < self.model.rowCount():
            self.view.selectRow(row)

    def _chosen(self) -> None:
        t = self._target()
        inv = self.s.record(*t) if t else None
        self.who.setText(
            person_name(self.bundle, inv.person_id) + " — " + role_label(self.bundle.person(inv.person_id))
            if inv
            else "Choose a person in the roll-call."
        )
        for b in self.group.buttons():
            b.setEnabled(inv is not None and self.ws.editable())
        if inv is not None:
            for n, (_text, status, mode) in enumerate(ATTENDANCE_CHOICES):
                if inv.status is status and inv.mode is mode:
                    self.group.button(n).setChecked(True)
        for b in self.ws.binders:
            if b.target == self._target:
                b.refresh()

    def _attendance(self, n: int) -> None:
        t = self._target()
        if t is None:
            return
        _text, status, mode = ATTENDANCE_CHOICES[n]
        self.s.set(m.Invitation, t[1], {"status": status, "mode": mode})

    def opened(self) -> None:
        self.model.refresh()
        self.view.selectRow(0)

    def shown(self) -> None:
        self.view.setFocus()

    def changed(self, cls, record_id=None) -> None:
        if cls in (None, m.Invitation, m.Person):
            self.model.refresh(record_id)
            self._chosen()
        if cls in (None, m.Invitation, m.Person, m.Conference):
            self._quoracy()

    def assess(self) -> quoracy.QuoracyResult:
        previous = self.s.previous
        return quoracy.assess_conference(self.bundle, self.s.policy, previous.quoracy_outcome if previous else None)

    def _quoracy(self) -> None:
        result = self.assess()
        counted = ", ".join(self.s.policy.group_label(g) for g in result.groups_counted) or "no agency yet"
        if result.quorate:
            self.banner.say("ok", f"{result.explanation} Counted: {counted}.")
        else:
            self.banner.say(
                "stop" if not result.may_proceed else "warning",
                f"{result.explanation} Counted so far: {counted}.",
            )
        c = self.bundle.conference
        words = {
            QuoracyOutcome.NOT_ASSESSED: "Not yet recorded.",
            QuoracyOutcome.QUORATE: "Recorded: quorate.",
            QuoracyOutcome.PROCEEDED_NOT_QUORATE: f"Recorded: proceeded without quorum. Rationale: "
            f"{c.quoracy_rationale}",
            QuoracyOutcome.STOOD_DOWN: "Recorded: stood down.",
        }[c.quoracy_outcome]
        if c.status is ConferenceStatus.STOOD_DOWN:
            reason = self.s.policy.stood_down_reasons.get(c.stood_down_reason, c.stood_down_reason)
            words = f"Stood down: {reason}." + (f" {c.stood_down_note}" if c.stood_down_note else "")
        self.outcome.setText(words)
        editable = self.ws.editable()
        self.quorate_button.setEnabled(editable and result.quorate)
        self.proceed_button.setEnabled(editable and not result.quorate and result.may_proceed)
        self.stand_down_button.setEnabled(editable)

    def _restore(self) -> dict[str, Any]:
        c = self.bundle.conference
        return {
            k: getattr(c, k)
            for k in ("status", "quoracy_outcome", "quoracy_rationale", "stood_down_reason", "stood_down_note")
        }

    def _undo_to(self, old: dict[str, Any]) -> None:
        from chair_app.services import workspace as wsvc

        wsvc.set_fields(self.s.db, self.s.conference_id, m.Conference, self.s.conference_id, old, who=self.s.who)

    def quorate(self) -> None:
        from chair_app.services import recording

        old, s = self._restore(), self.s
        s.operation(
            "record quorate",
            lambda: (recording.record_quorate(s.db, s.conference_id, s.policy, who=s.who), old)[1],
            self._undo_to,
        )

    def proceed(self) -> None:
        from chair_app.services import recording

        result = self.assess()
        dialog = FormDialog(
            self,
            "Proceed without quorum",
            result.explanation + " Record why the conference goes "
            "ahead: the rationale appears in the record and in the service's measures.",
        )
        dialog.para(
            "rationale",
            "Rationale",
            "e.g. the police sent a full report and the risk to the baby means delay would be unsafe",
        )

        def check(a):
            if not a["rationale"]:
                raise ValueError("Rationale: say why the conference goes ahead without being quorate")
            return a["rationale"]

        dialog.check = check
        if dialog.exec():
            old, s, text = self._restore(), self.s, dialog.result_value
            s.operation(
                "proceed without quorum",
                lambda: (recording.proceed_not_quorate(s.db, s.conference_id, s.policy, text, who=s.who), old)[1],
                self._undo_to,
            )

    def stand_down(self) -> None:
        from chair_app.services import recording

        dialog = FormDialog(
            self,
            "Stand the conference down",
            "The conference will not go ahead today. Choose the reason: it is counted in the "
            "service's measures of stood-down conferences.",
        )
        result = self.assess()
        reasons = list(self.s.policy.stood_down_reasons.items())
        if not result.quorate:  # the likely reason first
            reasons.sort(key=lambda kv: kv[0] != "not_quorate")
        dialog.choice("reason", "Reason", [(text, key) for key, text in reasons])
        dialog.para("note", "Note", "What happens next, e.g. re-arranged for 02/12/2026")
        if dialog.exec():
            a = dialog.answers()
            old, s = self._restore(), self.s
            s.operation(
                "stand down",
                lambda: (recording.stand_down(s.db, s.conference_id, s.policy, a["reason"], a["note"], who=s.who), old)[
                    1
                ],
                self._undo_to,
            )


# ---------------------------------------------------------------------------------------------------------
# 3. Mapping

SECTION_ORDER = (
    MappingSection.PAST_HARM,
    MappingSection.COMPLICATING_FACTOR,
    MappingSection.STRENGTH,
    MappingSection.EXISTING_SAFETY,
    MappingSection.NEXT_STEP,
)
COLUMN_ORDER = (MappingColumn.WORRIED, MappingColumn.WORKING_WELL, MappingColumn.NEEDS_TO_HAPPEN)
ADD_KEYS = {
    MappingSection.PAST_HARM: "Ctrl+1",
    MappingSection.COMPLICATING_FACTOR: "Ctrl+2",
    MappingSection.STRENGTH: "Ctrl+3",
    MappingSection.EXISTING_SAFETY: "Ctrl+4",
    MappingSection.NEXT_STEP: "Ctrl+5",
}
ADD_PAIR_KEY = "Ctrl+6"


def items_of(bundle: m.ConferenceBundle, section: MappingSection) -> list[m.MappingItem]:
    return sorted((i for i in bundle.mapping_items if i.section is section), key=lambda i: (i.position, i.created_at))


def pairs_of(bundle: m.ConferenceBundle) -> list[m.DangerGoalPair]:
    return sorted(bundle.pairs, key=lambda p: (p.position, p.created_at))


class MappingPage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Mapping",
            "Ctrl+1 to Ctrl+5 add to a part of the map, Ctrl+6 a danger statement. Alt+Up/Down reorder, "
            "Ctrl+Shift+Left/Right move an item to the next column. F5 shows the map on the projector.",
        )
        ws = workspace
        grid = QHBoxLayout()
        self.section_views: dict[MappingSection, QTableView] = {}
        self.section_models: dict[MappingSection, RecordTableModel] = {}
        columns = QHBoxLayout()
        for column in COLUMN_ORDER:
            box = QGroupBox(column.label)
            box.setObjectName("mapColumn")
            cl = QVBoxLayout(box)
            for section in (s for s in SECTION_ORDER if s.column is column):
                model = RecordTableModel(
                    [Column(section.label, self._item_text)],
                    lambda section=section: items_of(self.bundle, section),
                    self,
                )
                view = table(model, section.label)
                view.horizontalHeader().hide()
                view.setMinimumHeight(110)
                view.selectionModel().selectionChanged.connect(
                    lambda selected, _d, section=section: self._item_chosen(section) if selected.indexes() else None
                )
                self.section_models[section], self.section_views[section] = model, view
                head = QHBoxLayout()
                head.addWidget(QLabel(f"<b>{section.label}</b>"), 1)
                add = QPushButton("+ Add")
                add.setObjectName("small")
                add.setAccessibleName(f"Add to {section.label} ({ADD_KEYS[section]})")
                add.setToolTip(f"Add to {section.label} ({ADD_KEYS[section]})")
                add.clicked.connect(lambda _=False, section=section: self.add_item(section))
                head.addWidget(add)
                cl.addLayout(head)
                cl.addWidget(view, 1)
                self.shortcut(
                    f"Add to {section.label}",
                    ADD_KEYS[section],
                    lambda section=section: self.add_item(section),
                    f"add_{section.value}",
                )
            columns.addWidget(box, 1)
        left = QVBoxLayout()
        left.addLayout(columns, 3)

        pairs_box = QGroupBox("Danger statements and safety goals")
        pl = QVBoxLayout(pairs_box)
        self.pairs_model = RecordTableModel(
            [
                Column("Danger statement", lambda p: p.danger_statement),
                Column("Safety goal", lambda p: p.safety_goal),
                Column("Agreed scale", lambda p: "" if p.scale is None else f"{p.scale} / 10"),
                Column("Private scores", self._scores_summary),
            ],
            lambda: pairs_of(self.bundle),
            self,
        )
        self.pairs_view = table(self.pairs_model, "Danger statements and safety goals", stretch=0)
        self.pairs_view.horizontalHeader().setSectionResizeMode(
            1, self.pairs_view.horizontalHeader().ResizeMode.Stretch
        )
        self.pairs_view.setMinimumHeight(120)
        self.pairs_view.selectionModel().selectionChanged.connect(
            lambda selected, _d: self._pair_chosen() if selected.indexes() else None
        )
        pl.addWidget(self.pairs_view, 1)
        prow = QHBoxLayout()
        add_pair = button(
            f"Add danger statement ({ADD_PAIR_KEY})",
            "A danger statement and the safety goal that answers it",
            self.add_pair,
        )
        prow.addWidget(add_pair)
        self.shortcut("Add a danger statement and safety goal", ADD_PAIR_KEY, self.add_pair, "add_pair")
        prow.addStretch(1)
        prow.addWidget(QLabel("Overall safety scale"))
        self.overall = QSpinBox()
        ScaleBinder(ws, self.overall, self.conf_target, "overall_scale", "Overall safety scale")
        prow.addWidget(self.overall)
        prow.addWidget(
            button(
                "Private scores…",
                "Everyone scores the overall judgement privately, then all are revealed together",
                self._overall_chosen,
                "Private scores for the overall scale",
            )
        )
        pl.addLayout(prow)
        left.addWidget(pairs_box, 2)
        grid.addLayout(left, 3)

        # The editor for what is chosen.
        self.editor = QStackedWidget()
        self.editor.setFixedWidth(370)
        hint = QLabel("Choose an item or a danger statement to edit it here, or add one.")
        hint.setWordWrap(True)
        hint.setAlignment(Qt.AlignmentFlag.AlignTop)
        self.editor.addWidget(hint)
        self.editor.addWidget(self._item_editor(ws))
        self.editor.addWidget(self._pair_editor(ws))
        grid.addWidget(self.editor)
        self.lay.addLayout(grid, 1)
        self.shortcut("Move item up", "Alt+Up", lambda: self.move_item(-1), "itemUp")
        self.shortcut("Move item down", "Alt+Down", lambda: self.move_item(1), "itemDown")
        self.shortcut("Move item to the next column", "Ctrl+Shift+Right", lambda: self.move_column(1), "itemRight")
        self.shortcut("Move item to the previous column", "Ctrl+Shift+Left", lambda: self.move_column(-1), "itemLeft")
        self.item_id: uuid.UUID | None = None
        self.pair_id: uuid.UUID | None = None
        self.scoring_overall = False

    # Editors
    def _item_editor(self, ws) -> QWidget:
        box = QGroupBox("Item")
        f = QVBoxLayout(box)
        self.item_text = QPlainTextEdit(placeholderText="In plain words a parent understands")
        self.item_text.setMinimumHeight(120)
        TextBinder(ws, self.item_text, self._item_target, "text", "Item text")
        f.addWidget(self.item_text)
        ff = form()
        self.said_by = QComboBox()
        self.said_by_binder = ChoiceBinder(ws, self.said_by, self._item_target, "said_by", "Said by", [])
        ff.addRow("Said by", self.said_by)
        self.about = QComboBox()
        self.about_binder = ChoiceBinder(ws, self.about, self._item_target, "child_id", "About", [])
        ff.addRow("About", self.about)
        self.part = QComboBox()
        ChoiceBinder(
            ws,
            self.part,
            self._item_target,
            "section",
            "Part of the map",
            [(f"{s.label} ({s.column.label})", s) for s in SECTION_ORDER],
        )
        ff.addRow("Part", self.part)
        f.addLayout(ff)
        row = QGridLayout()
        row.addWidget(button("Up (Alt+Up)", "Move up", lambda: self.move_item(-1), "Move item up"), 0, 0)
        row.addWidget(button("Down (Alt+Down)", "Move down", lambda: self.move_item(1), "Move item down"), 0, 1)
        row.addWidget(
            button(
                "◀ Column",
                "Move to the previous column (Ctrl+Shift+Left)",
                lambda: self.move_column(-1),
                "Move item to the previous column",
            ),
            1,
            0,
        )
        row.addWidget(
            button(
                "Column ▶",
                "Move to the next column (Ctrl+Shift+Right)",
                lambda: self.move_column(1),
                "Move item to the next column",
            ),
            1,
            1,
        )
        row.addWidget(button("Remove item", "Remove this item (undo with Ctrl+Z)", self.remove_item), 2, 0, 1, 2)
        f.addLayout(row)
        f.addStretch(1)
        return box

    def _pair_editor(self, ws) -> QWidget:
        box = QGroupBox("Danger statement and safety goal")
        self.pair_box = box
        f = QVBoxLayout(box)
        self.pair_texts = QWidget()
        pt = QVBoxLayout(self.pair_texts)
        pt.setContentsMargins(0, 0, 0, 0)
        pt.addWidget(QLabel("Danger statement"))
        self.danger = QPlainTextEdit(placeholderText="Children's services and the agencies are worried that…")
        self.danger.setMinimumHeight(80)
        TextBinder(ws, self.danger, self._pair_target, "danger_statement", "Danger statement")
        pt.addWidget(self.danger)
        pt.addWidget(QLabel("Safety goal"))
        self.goal = QPlainTextEdit(placeholderText="Everyone will know the children are safe when…")
        self.goal.setMinimumHeight(80)
        TextBinder(ws, self.goal, self._pair_target, "safety_goal", "Safety goal")
        pt.addWidget(self.goal)
        srow = QHBoxLayout()
        srow.addWidget(QLabel("Agreed scale"))
        self.agreed = QSpinBox()
        self.agreed.setFixedWidth(150)
        ScaleBinder(ws, self.agreed, self._pair_target, "scale", "Agreed scale")
        srow.addWidget(self.agreed)
        srow.addStretch(1)
        pt.addLayout(srow)
        f.addWidget(self.pair_texts)
        self.scale_note = QLabel()
        self.scale_note.setWordWrap(True)
        f.addWidget(self.scale_note)
        self.escalation = Notice("Escalation prompt")
        f.addWidget(self.escalation)
        private = QLabel("<b>Private scaling</b>: each person's score stays hidden until all are revealed.")
        private.setWordWrap(True)
        f.addWidget(private)
        self.scores_model = RecordTableModel(
            [
                Column("Who", lambda s: person_name(self.bundle, s.person_id) or s.label),
                Column("Score", lambda s: str(s.score) if s.revealed else "Hidden"),
            ],
            self._scores,
            self,
        )
        self.scores_view = table(self.scores_model, "Private scores", stretch=0)
        self.scores_view.setMinimumHeight(110)
        f.addWidget(self.scores_view)
        add = QHBoxLayout()
        self.score_who = QComboBox()
        self.score_who.setAccessibleName("Who is scoring")
        self.score_value = QSpinBox()
        self.score_value.setRange(0, 10)
        self.score_value.setAccessibleName("Their score, 0 to 10")
        self.score_value.setFixedWidth(96)
        f.addWidget(self.score_who)
        add.addWidget(QLabel("Score"))
        add.addWidget(self.score_value)
        add.addStretch(1)
        add.addWidget(
            button("Add hidden", "Store this person's score, hidden until revealed", self.add_score, "Add hidden score")
        )
        f.addLayout(add)
        self.reveal_button = button("&Reveal scores", "Show everyone's scores together", self.reveal)
        f.addWidget(self.reveal_button)
        row = QHBoxLayout()
        self.remove_pair_button = button(
            "Remove danger statement", "Remove it and its scores (undo with Ctrl+Z)", self.remove_pair
        )
        row.addWidget(self.remove_pair_button)
        f.addLayout(row)
        f.addStretch(1)
        return box

    def _item_text(self, item: m.MappingItem) -> str:
        who = person_name(self.bundle, item.said_by)
        return item.text + (f"  ({who})" if who else "")

    def _scores_summary(self, pair: m.DangerGoalPair) -> str:
        scores = [s for s in self.bundle.scores if s.pair_id == pair.id]
        if not scores:
            return ""
        hidden = sum(not s.revealed for s in scores)
        shown = ", ".join(str(s.score) for s in scores if s.revealed)
        return shown + (f" ({hidden} hidden)" if hidden else "")

    def _scores(self) -> list[m.ScaleScore]:
        if self.ws.session is None:
            return []
        pair_id = None if self.scoring_overall else self.pair_id
        if pair_id is None and not self.scoring_overall:
            return []
        return sorted((s for s in self.bundle.scores if s.pair_id == pair_id), key=lambda s: s.created_at)

    # Targets and choosing
    def _item_target(self):
        return (m.MappingItem, self.item_id) if self.ws.session and self.item_id else None

    def _pair_target(self):
        return (
            (m.DangerGoalPair, self.pair_id) if self.ws.session and self.pair_id and not self.scoring_overall else None
        )

    def _item_chosen(self, section: MappingSection) -> None:
        self.item_id = selected_id(self.section_views[section])
        for other, view in self.section_views.items():
            if other is not section:
                view.clearSelection()
        self.pairs_view.clearSelection()
        self.editor.setCurrentIndex(1)
        self._refresh_editor()

    def _pair_chosen(self) -> None:
        self.pair_id = selected_id(self.pairs_view)
        self.scoring_overall = False
        for view in self.section_views.values():
            view.clearSelection()
        self.editor.setCurrentIndex(2)
        self._refresh_editor()

    def _overall_chosen(self) -> None:
        self.scoring_overall = True
        self.pairs_view.clearSelection()
        self.editor.setCurrentIndex(2)
        self._refresh_editor()

    def _refresh_editor(self) -> None:
        b = self.bundle
        self.said_by_binder.set_choices(
            [("Not recorded", None)] + [(f"{p.name} ({p.role})" if p.role else p.name, p.id) for p in self._people()]
        )
        self.about_binder.set_choices(
            [("All the children", None)] + [(c.full_name, c.id) for c in b.considered_children()]
        )
        for binder in self.ws.binders:
            if binder.target in (self._item_target, self._pair_target):
                binder.refresh()
        self.pair_texts.setVisible(not self.scoring_overall)
        self.pair_box.setTitle(
            "Overall judgement: private scores" if self.scoring_overall else "Danger statement and safety goal"
        )
        self.remove_pair_button.setVisible(not self.scoring_overall)
        self.score_who.clear()
        self.score_who.addItem("Parents jointly", None)
        for p in self._people():
            self.score_who.addItem(f"{p.name} ({p.role})" if p.role else p.name, p.id)
        self.scores_model.refresh()
        scores = self._scores()
        self.reveal_button.setEnabled(any(not s.revealed for s in scores) and self.ws.editable())
        policy = self.s.policy
        ends = f"0: {policy.zero_means.rstrip('.')}. 10: {policy.ten_means.rstrip('.')}."
        self.scale_note.setText(ends)
        pair = self.s.record(m.DangerGoalPair, self.pair_id) if self.pair_id else None
        value = b.conference.overall_scale if self.scoring_overall else (pair.scale if pair else None)
        reading = read_scale(value, policy) if value is not None else None
        self.escalation.say("warning", reading.explanation) if reading and reading.escalate else self.escalation.hide()

    def _people(self) -> list[m.Person]:
        ids = [i.person_id for i in invitations_in_order(self.bundle)]
        return [p for p in (self.bundle.person(i) for i in ids) if p is not None]

    # Actions
    def add_item(self, section: MappingSection) -> None:
        if not self.ws.editable():
            return
        position = 1 + max((i.position for i in items_of(self.bundle, section)), default=-1)
        item = m.MappingItem(conference_id=self.s.conference_id, section=section, text="", position=position)
        if self.s.add([item], f"add to {section.label.lower()}"):
            self.ws.go("mapping")
            self.section_models[section].refresh()
            select_id(self.section_views[section], item.id)
            self.item_text.setFocus()

    def remove_item(self) -> None:
        if self.item_id:
            self.s.remove([(m.MappingItem, self.item_id)], "remove item")
            self.item_id = None
            self.editor.setCurrentIndex(0)

    def move_item(self, step: int) -> None:
        item = self.s.record(m.MappingItem, self.item_id) if self.item_id else None
        if item is None:
            return
        siblings = items_of(self.bundle, item.section)
        index = next(i for i, x in enumerate(siblings) if x.id == item.id)
        other_index = index + step
        if not 0 <= other_index < len(siblings):
            return
        other = siblings[other_index]
        positions = list(range(len(siblings)))  # normalise: equal positions would make a swap a no-op
        positions[index], positions[other_index] = positions[other_index], positions[index]
        self.s.stack.beginMacro("move item")
        for sibling, pos in zip(siblings, positions, strict=True):
            self.s.set(m.MappingItem, sibling.id, {"position": pos})
        self.s.stack.endMacro()
        select_id(self.section_views[item.section], item.id)
        del other

    def move_column(self, step: int) -> None:
        item = self.s.record(m.MappingItem, self.item_id) if self.item_id else None
        if item is None:
            return
        col = COLUMN_ORDER.index(item.section.column) + step
        if not 0 <= col < len(COLUMN_ORDER):
            return
        target = next(s for s in SECTION_ORDER if s.column is COLUMN_ORDER[col])
        position = 1 + max((i.position for i in items_of(self.bundle, target)), default=-1)
        if self.s.set(m.MappingItem, item.id, {"section": target, "position": position}):
            select_id(self.section_views[target], item.id)

    def add_pair(self) -> None:
        if not self.ws.editable():
            return
        position = 1 + max((p.position for p in self.bundle.pairs), default=-1)
        pair = m.DangerGoalPair(conference_id=self.s.conference_id, danger_statement="", position=position)
        if self.s.add([pair], "add danger statement"):
            self.ws.go("mapping")
            self.pairs_model.refresh()
            select_id(self.pairs_view, pair.id)
            self.danger.setFocus()

    def remove_pair(self) -> None:
        if self.pair_id:
            self.s.remove([(m.DangerGoalPair, self.pair_id)], "remove danger statement")
            self.pair_id = None
            self.editor.setCurrentIndex(0)

    def add_score(self) -> None:
        if not self.scoring_overall and self.pair_id is None:
            return
        who = self.score_who.currentData()
        score = m.ScaleScore(
            conference_id=self.s.conference_id,
            pair_id=None if self.scoring_overall else self.pair_id,
            person_id=who,
            label="" if who else "Parents jointly",
            score=self.score_value.value(),
        )
        self.s.add([score], "add a private score")
        self.score_value.setValue(0)

    def reveal(self) -> None:
        from chair_app.services import workspace as wsvc

        s, pair_id = self.s, None if self.scoring_overall else self.pair_id
        s.operation(
            "reveal scores",
            lambda: wsvc.reveal_scores(s.db, s.conference_id, pair_id, who=s.who),
            lambda ids: wsvc.hide_scores(s.db, s.conference_id, ids, who=s.who),
        )

    # Page
    def opened(self) -> None:
        self.item_id = self.pair_id = None
        self.scoring_overall = False
        self.editor.setCurrentIndex(0)

    def changed(self, cls, record_id=None) -> None:
        if cls in (None, m.MappingItem, m.Person):
            item = self.s.record(m.MappingItem, record_id) if cls is m.MappingItem and record_id else None
            for section, model in self.section_models.items():
                if item is None or item.section is section or model.row_of(item.id) >= 0:
                    model.refresh(record_id)
        if cls in (None, m.DangerGoalPair, m.ScaleScore):
            self.pairs_model.refresh(record_id if cls is m.DangerGoalPair else None)
        if cls is None:
            for section, view in self.section_views.items():
                if self.item_id and self.s.record(m.MappingItem, self.item_id) is not None:
                    item = self.s.record(m.MappingItem, self.item_id)
                    if item.section is section:
                        select_id(view, self.item_id)
        if (
            self.editor.currentIndex() == 1
            and cls in (None, m.MappingItem)
            and (self.item_id is None or self.s.record(m.MappingItem, self.item_id) is None)
        ):
            self.editor.setCurrentIndex(0)
        if self.editor.currentIndex() == 2 and cls in (None, m.DangerGoalPair, m.ScaleScore, m.Conference):
            if not self.scoring_overall and self.s.record(m.DangerGoalPair, self.pair_id) is None:
                self.editor.setCurrentIndex(0)
            else:
                self._refresh_editor()


# ---------------------------------------------------------------------------------------------------------
# 4. Child's voice


class VoicePage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Child's voice",
            "For each child: their views in their own words, how they were given, and the participation code.",
        )
        ws = workspace
        body = QHBoxLayout()
        self.model = RecordTableModel(
            [
                Column("Child", lambda v: self.bundle.child(v.child_id).full_name),
                Column("Age", self._age),
                Column("Code", lambda v: v.participation_code.value if v.participation_code else ""),
            ],
            lambda: sorted(self.bundle.conference_children, key=lambda v: v.position),
            self,
        )
        self.view = table(self.model, "Children", stretch=0)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        self.view.setMaximumWidth(420)
        body.addWidget(self.view, 1)
        right = QVBoxLayout()
        target = self._target
        right.addWidget(QLabel("Their views, in their words"))
        self.views = QPlainTextEdit(placeholderText="What the child said, as they said it")
        self.views.setMinimumHeight(140)
        TextBinder(ws, self.views, target, "views", "Child's views in their own words")
        right.addWidget(self.views)
        f = form()
        self.how = QLineEdit(placeholderText="e.g. met the social worker at school; Mind of My Own; advocate")
        TextBinder(ws, self.how, target, "views_how", "How the views were given")
        f.addRow("How they were given", self.how)
        self.code = QComboBox()
        self.code_binder = ChoiceBinder(ws, self.code, target, "participation_code", "Participation code", [])
        f.addRow("Participation code", self.code)
        self.wording = QLabel()
        self.wording.setWordWrap(True)
        f.addRow("", self.wording)
        self.advocacy = QComboBox()
        ChoiceBinder(
            ws,
            self.advocacy,
            target,
            "advocacy_offered",
            "Advocacy offered",
            [("Not recorded", None), ("Advocacy was offered", True), ("Advocacy was not offered", False)],
        )
        f.addRow("Advocacy", self.advocacy)
        self.advocacy_note = QLineEdit(placeholderText="e.g. accepted; declined, prefers to talk to the school nurse")
        TextBinder(ws, self.advocacy_note, target, "advocacy_note", "Advocacy note")
        f.addRow("Advocacy note", self.advocacy_note)
        right.addLayout(f)
        self.prompt = Notice("Advocacy prompt")
        right.addWidget(self.prompt)
        right.addStretch(1)
        body.addLayout(right, 2)
        self.lay.addLayout(body, 1)

    def _age(self, voice: m.ConferenceChild) -> str:
        c = self.bundle.child(voice.child_id)
        return age_text(c.date_of_birth, self.bundle.conference.held_on, c.expected_date_of_birth)

    def _target(self):
        vid = selected_id(self.view) if self.ws.session else None
        return (m.ConferenceChild, vid) if vid else None

    def _chosen(self) -> None:
        t = self._target()
        voice = self.s.record(*t) if t else None
        held_on = self.bundle.conference.held_on
        if voice is None:
            return
        child = self.bundle.child(voice.child_id)
        codes = participation.allowed_codes(child.date_of_birth, held_on)
        self.code_binder.set_choices([("Not recorded", None)] + [(f"{c.value}", c) for c in codes])
        derived = participation.derived_code(child.date_of_birth, held_on)
        if voice.participation_code is None and derived is not None and self.ws.editable():
            self.s.set(m.ConferenceChild, voice.id, {"participation_code": derived})  # PN0 for an under-4
        for b in self.ws.binders:
            if b.target == self._target:
                b.refresh()
        self._describe()

    def _describe(self) -> None:
        t = self._target()
        voice = self.s.record(*t) if t else None
        if voice is None:
            return
        child = self.bundle.child(voice.child_id)
        held_on = self.bundle.conference.held_on
        if participation.is_unborn(child.date_of_birth, held_on):
            self.wording.setText("An unborn baby has no participation code.")
        elif voice.participation_code is ParticipationCode.PN0:
            self.wording.setText("PN0 filled in: " + participation.WORDING[ParticipationCode.PN0].lower() + ".")
        elif voice.participation_code:
            self.wording.setText(participation.WORDING[voice.participation_code] + ".")
        else:
            self.wording.setText("Choose the code that says how the child took part (PN1 to PN7).")
        prompt = participation.advocacy_prompt(child.date_of_birth, held_on, self.s.policy)
        if prompt.due and voice.advocacy_offered is None:
            self.prompt.say("warning", prompt.explanation)
        else:
            self.prompt.hide()

    def opened(self) -> None:
        self.model.refresh()
        self.view.selectRow(0)

    def shown(self) -> None:
        self._chosen()

    def changed(self, cls, record_id=None) -> None:
        if cls in (None, m.ConferenceChild, m.Child):
            self.model.refresh(record_id)
            if cls is None:
                self._chosen()
            self._describe()


# ---------------------------------------------------------------------------------------------------------
# 5. Recommendations and decision


def outcome_words(outcome: Outcome) -> str:
    return {
        Outcome.PLAN: "Child protection plan",
        Outcome.NO_PLAN: "No child protection plan",
        Outcome.CONTINUE: "Plan continues",
        Outcome.END: "Plan ends",
    }[outcome]


class DecisionPage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Recommendations and decision",
            "Each person's recommendation for each child, then the chair's decision. Ctrl+Return records it.",
        )
        ws = workspace
        top = QHBoxLayout()
        top.addWidget(QLabel("Child"))
        self.child = QComboBox()
        self.child.setAccessibleName("Child the recommendations and decision are for")
        self.child.currentIndexChanged.connect(lambda _i: self._child_changed())
        top.addWidget(self.child, 1)
        self.lay.addLayout(top)
        recs = QGroupBox("Recommendations")
        rl = QVBoxLayout(recs)
        self.recs_model = RecordTableModel(
            [
                Column("Who", lambda r: f"{person_name(self.bundle, r.person_id)}"),
                Column("Role", lambda r: role_label(self.bundle.person(r.person_id))),
                Column("Recommendation", lambda r: outcome_words(r.outcome)),
                Column("Category", lambda r: r.category.label if r.category else ""),
                Column("Note", lambda r: r.note),
            ],
            lambda: [r for r in self.bundle.recommendations if r.child_id == self.child_id()],
            self,
        )
        self.recs_view = table(self.recs_model, "Recommendations", stretch=4, sortable=True)
        self.recs_view.setMinimumHeight(150)
        rl.addWidget(self.recs_view)
        add = QHBoxLayout()
        self.rec_who = QComboBox()
        self.rec_who.setAccessibleName("Who recommends")
        self.rec_outcome = QComboBox()
        self.rec_outcome.setAccessibleName("Their recommendation")
        self.rec_category = QComboBox()
        self.rec_category.setAccessibleName("Category they recommend")
        self.rec_note = QLineEdit(placeholderText="Note (optional)")
        self.rec_note.setAccessibleName("Note on the recommendation")
        for w, stretch in ((self.rec_who, 2), (self.rec_outcome, 2), (self.rec_category, 1), (self.rec_note, 2)):
            add.addWidget(w, stretch)
        add.addWidget(button("Add", "Add this recommendation", self.add_recommendation, "Add recommendation"))
        add.addWidget(
            button("Remove", "Remove the selected recommendation", self.remove_recommendation, "Remove recommendation")
        )
        rl.addLayout(add)
        self.lay.addWidget(recs)

        box = QGroupBox("The chair's decision")
        f = form()
        box.setLayout(f)
        self.outcome = QComboBox()
        self.outcome.setAccessibleName("Decision")
        f.addRow("Decision", self.outcome)
        self.category = QComboBox()
        self.category.setAccessibleName("Category of abuse")
        self.category.addItem("Not applicable", None)
        for c in Category:
            self.category.addItem(c.label, c)
        f.addRow("Category", self.category)
        self.contributing = {c: QCheckBox(c.label) for c in Category if c is not Category.MUL}
        crow = QHBoxLayout()
        for cb in self.contributing.values():
            cb.setAccessibleName(f"Contributing category: {cb.text()}")
            crow.addWidget(cb)
        crow.addStretch(1)
        self.contributing_row = QWidget()
        self.contributing_row.setLayout(crow)
        f.addRow("With multiple", self.contributing_row)
        self.lead = QLineEdit(placeholderText="e.g. Children's social care")
        self.lead.setAccessibleName("Lead agency")
        f.addRow("Lead agency", self.lead)
        self.next_step = QComboBox()
        self.next_step.setAccessibleName("Next step when there is no plan")
        f.addRow("If no plan", self.next_step)
        self.end_reason = QComboBox()
        self.end_reason.setAccessibleName("Why the plan ends")
        f.addRow("If the plan ends", self.end_reason)
        self.reasons = QPlainTextEdit(placeholderText="The reasons for the decision, in plain words")
        self.reasons.setAccessibleName("Reasons")
        self.reasons.setTabChangesFocus(True)
        self.reasons.setMaximumHeight(90)
        f.addRow("Reasons", self.reasons)
        self.repeat = Notice("Repeat plan")
        f.addRow(self.repeat)
        self.analysis = QPlainTextEdit(placeholderText="The chair's analysis of why a plan is needed again")
        self.analysis.setAccessibleName("Repeat-plan analysis")
        self.analysis.setTabChangesFocus(True)
        self.analysis.setMaximumHeight(80)
        f.addRow("Repeat-plan analysis", self.analysis)
        self.dissent = QPlainTextEdit(placeholderText="Anyone who disagreed, and why")
        self.dissent.setAccessibleName("Recorded dissent")
        self.dissent.setTabChangesFocus(True)
        self.dissent.setMaximumHeight(70)
        f.addRow("Dissent", self.dissent)
        row = QHBoxLayout()
        self.record_button = button(
            "Record &decision", "Store the decision for this child (Ctrl+Return)", self.record_decision
        )
        row.addWidget(self.record_button)
        self.stored = QLabel()
        self.stored.setWordWrap(True)
        row.addWidget(self.stored, 1)
        f.addRow(row)
        self.lay.addWidget(box)
        self.lay.addStretch(1)
        self.shortcut("Record the decision", "Ctrl+Return", self.record_decision, "recordDecision")
        # Once a decision exists, its words are stored as they are typed.
        self._text_binders = [
            TextBinder(ws, self.reasons, self._decision_target, "reasons", "Reasons"),
            TextBinder(ws, self.analysis, self._decision_target, "repeat_plan_analysis", "Repeat-plan analysis"),
            TextBinder(ws, self.dissent, self._decision_target, "dissent", "Recorded dissent"),
            TextBinder(ws, self.lead, self._decision_target, "lead_agency", "Lead agency"),
        ]
        for b in self._text_binders:
            b.draft = True  # typed before the decision is recorded, then stored with it

    def child_id(self) -> uuid.UUID | None:
        value = self.child.currentData()
        return uuid.UUID(value) if value else None

    def decision(self) -> m.Decision | None:
        cid = self.child_id()
        return next((d for d in self.bundle.decisions if d.child_id == cid), None) if cid else None

    def _decision_target(self):
        d = self.decision() if self.ws.session else None
        return (m.Decision, d.id) if d else None

    def opened(self) -> None:
        b = self.bundle
        self.child.blockSignals(True)
        self.child.clear()
        for c in b.considered_children():
            self.child.addItem(c.full_name, str(c.id))
        self.child.blockSignals(False)
        self.outcome.clear()
        outcomes = (Outcome.PLAN, Outcome.NO_PLAN) if b.conference.kind.is_initial else (Outcome.CONTINUE, Outcome.END)
        for o in outcomes:
            self.outcome.addItem(outcome_words(o), o)
        self.rec_outcome.clear()
        for o in outcomes:
            self.rec_outcome.addItem(outcome_words(o), o)
        self.rec_category.clear()
        self.rec_category.addItem("No category", None)
        for c in Category:
            self.rec_category.addItem(c.label, c)
        self.next_step.clear()
        self.next_step.addItem("Not applicable", "")
        for step in self.s.policy.no_plan_next_steps:
            self.next_step.addItem(step, step)
        self.end_reason.clear()
        self.end_reason.addItem("Not applicable", "")
        for key, text in self.s.policy.end_reasons.items():
            self.end_reason.addItem(text, key)
        self._child_changed()

    def _people(self) -> list[m.Person]:
        out = []
        for inv in invitations_in_order(self.bundle):
            if (
                inv.status is AttendanceStatus.ATTENDED
                or inv.report_submitted
                or inv.status is AttendanceStatus.INVITED
            ):
                person = self.bundle.person(inv.person_id)
                if person is not None:
                    out.append(person)
        return out

    def _child_changed(self) -> None:
        self.recs_model.refresh()
        self.rec_who.clear()
        for p in self._people():
            self.rec_who.addItem(f"{p.name} ({p.role})" if p.role else p.name, str(p.id))
        self._show_decision()

    def _show_decision(self) -> None:
        d = self.decision()
        cid = self.child_id()
        if cid is None:
            return

        def pick(combo: QComboBox, value) -> None:
            i = combo.findData(value)
            combo.setCurrentIndex(max(i, 0))

        if d is not None:
            pick(self.outcome, d.outcome)
            pick(self.category, d.latest_category or d.initial_category)
            for c, cb in self.contributing.items():
                cb.setChecked(c in d.contributing_categories)
            pick(self.next_step, d.no_plan_next_step)
            pick(self.end_reason, d.end_reason)
            for b in self._text_binders:
                b.refresh()
            self.stored.setText(
                f"Stored: {outcome_words(d.outcome)}"
                + (
                    f", {(d.latest_category or d.initial_category).label}"
                    if (d.latest_category or d.initial_category)
                    else ""
                )
                + f" (recorded {uk_date(d.decided_on)}). Change it and record again to replace it."
            )
        else:
            self.stored.setText("No decision recorded for this child yet.")
            for combo in (self.outcome, self.category, self.next_step, self.end_reason):
                combo.setCurrentIndex(0)
            for cb in self.contributing.values():
                cb.setChecked(False)
            for b in self._text_binders:
                b.show("")  # empty: this child's decision is not made yet
                b.refresh()
        facts = repeat_facts(self.bundle.plan_history, cid, self.bundle.conference.held_on)
        if self.bundle.conference.kind.is_initial and facts.is_repeat:
            self.repeat.say("info", facts.explanation)
        else:
            self.repeat.hide()
        self.record_button.setEnabled(self.ws.editable())

    def changed(self, cls, record_id=None) -> None:
        if cls in (None, m.Recommendation, m.Person, m.Invitation):
            self.recs_model.refresh()
        if cls in (None, m.Decision):
            self._show_decision()

    def add_recommendation(self) -> None:
        cid, who = self.child_id(), self.rec_who.currentData()
        if cid is None or who is None:
            self.ws.problem("Recommendation: choose the child and who recommends")
            return
        rec = m.Recommendation(
            conference_id=self.s.conference_id,
            child_id=cid,
            person_id=uuid.UUID(who),
            outcome=Outcome(self.rec_outcome.currentData()),
            category=_enum(Category, self.rec_category.currentData()),
            note=self.rec_note.text().strip(),
        )
        if self.s.add([rec], "add recommendation"):
            self.rec_note.clear()
            self.rec_who.setCurrentIndex(min(self.rec_who.currentIndex() + 1, self.rec_who.count() - 1))

    def remove_recommendation(self) -> None:
        rid = selected_id(self.recs_view)
        if rid:
            self.s.remove([(m.Recommendation, rid)], "remove recommendation")

    def record_decision(self) -> None:
        from chair_app.services import recording

        cid = self.child_id()
        if cid is None or not self.ws.editable():
            return
        s = self.s
        previous = self.decision()
        category = _enum(Category, self.category.currentData())
        values = dict(
            category=category,
            contributing=[c for c, cb in self.contributing.items() if cb.isChecked()]
            if category is Category.MUL
            else [],
            lead_agency=self.lead.text(),
            reasons=self.reasons.toPlainText(),
            no_plan_next_step=self.next_step.currentData() or "",
            end_reason=self.end_reason.currentData() or "",
            repeat_plan_analysis=self.analysis.toPlainText(),
            dissent=self.dissent.toPlainText(),
        )
        outcome = Outcome(self.outcome.currentData())

        def do():
            recording.record_decision(
                s.db, s.conference_id, cid, outcome, s.policy, decided_on=date.today(), who=s.who, **values
            )
            return previous

        def undo(prev: m.Decision | None) -> None:
            if prev is None:
                recording.withdraw_decision(s.db, s.conference_id, cid, who=s.who)
            else:
                recording.record_decision(
                    s.db,
                    s.conference_id,
                    cid,
                    prev.outcome,
                    s.policy,
                    decided_on=prev.decided_on or date.today(),
                    category=prev.latest_category or prev.initial_category,
                    contributing=prev.contributing_categories,
                    lead_agency=prev.lead_agency,
                    reasons=prev.reasons,
                    no_plan_next_step=prev.no_plan_next_step,
                    end_reason=prev.end_reason,
                    repeat_plan_analysis=prev.repeat_plan_analysis,
                    dissent=prev.dissent,
                    who=s.who,
                )

        if s.operation("record decision", do, undo):
            self.ws.clear_problem()


# ---------------------------------------------------------------------------------------------------------
# 6. Plan


class PlanPage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Outline child protection plan",
            "What needs to happen, who does it, by when, and how everyone will know. Ctrl+Shift+A adds an action.",
        )
        ws = workspace
        body = QHBoxLayout()
        left = QVBoxLayout()
        self.model = RecordTableModel(
            [
                Column("What needs to happen", lambda a: a.what),
                Column("Who", lambda a: a.who),
                Column("By when", lambda a: uk_date(a.by_when), sort=lambda a: (a.by_when or date.max).toordinal()),
                Column("How we will know", lambda a: a.how_we_know),
            ],
            lambda: sorted(self.bundle.actions, key=lambda a: (a.position, a.created_at)),
            self,
        )
        self.view = table(self.model, "Plan actions", stretch=0, sortable=True)
        self.view.horizontalHeader().setSectionResizeMode(3, self.view.horizontalHeader().ResizeMode.Stretch)
        self.view.setMinimumHeight(220)
        self.view.selectionModel().selectionChanged.connect(lambda *_: self._chosen())
        left.addWidget(self.view, 1)
        row = QHBoxLayout()
        row.addWidget(button("&Add action", "Add an action to the plan (Ctrl+Shift+A)", self.add_action))
        row.addWidget(button("Remove action", "Remove the selected action (undo with Ctrl+Z)", self.remove_action))
        row.addStretch(1)
        left.addLayout(row)
        body.addLayout(left, 3)
        editor = QGroupBox("Action")
        f = form()
        editor.setLayout(f)
        target = self._target
        self.what = QPlainTextEdit(placeholderText="What needs to happen")
        self.what.setMaximumHeight(90)
        TextBinder(ws, self.what, target, "what", "What needs to happen")
        f.addRow("What", self.what)
        self.who = QLineEdit(placeholderText="Who will do it")
        TextBinder(ws, self.who, target, "who", "Who")
        f.addRow("Who", self.who)
        self.by_when = QLineEdit()
        DateBinder(ws, self.by_when, target, "by_when", "By when")
        f.addRow("By when", self.by_when)
        self.how = QPlainTextEdit(placeholderText="How we will know it has happened")
        self.how.setMaximumHeight(80)
        TextBinder(ws, self.how, target, "how_we_know", "How we will know")
        f.addRow("How we will know", self.how)
        self.for_child = QComboBox()
        self.for_child_binder = ChoiceBinder(ws, self.for_child, target, "child_id", "For", [])
        f.addRow("For", self.for_child)
        body.addWidget(editor, 2)
        self.lay.addLayout(body, 1)

        lower = QHBoxLayout()
        core = QGroupBox("Core group")
        cl = QVBoxLayout(core)
        self.core_model = RecordTableModel(
            [
                Column("Core group", lambda i: "✔ Member" if i.core_group_member else ""),
                Column("Name", lambda i: person_name(self.bundle, i.person_id)),
                Column("Role", lambda i: role_label(self.bundle.person(i.person_id))),
            ],
            lambda: invitations_in_order(self.bundle),
            self,
        )
        self.core_view = table(self.core_model, "Core group members", stretch=2)
        self.core_view.setMinimumHeight(180)
        cl.addWidget(self.core_view)
        cl.addWidget(
            button(
                "In or out of the core &group",
                "Add the selected person to the core group, or take them out",
                self.toggle_core,
                "Toggle core group member",
            )
        )
        lower.addWidget(core, 3)
        dates = QGroupBox("Next dates")
        df = form()
        dates.setLayout(df)
        self.suggested = QLabel()
        self.suggested.setWordWrap(True)
        df.addRow(self.suggested)
        self.note = QLineEdit(placeholderText="Only when the dates differ from the suggestion")
        TextBinder(ws, self.note, self.conf_target, "next_dates_note", "Reason the dates differ")
        df.addRow("Reason they differ", self.note)
        self.first_core = QLineEdit()
        DateBinder(ws, self.first_core, self.conf_target, "first_core_group_on", "First core group")
        df.addRow("First core group", self.first_core)
        self.next_review = QLineEdit()
        DateBinder(ws, self.next_review, self.conf_target, "next_review_on", "Next review")
        df.addRow("Next review", self.next_review)
        df.addRow(button("Use the suggested dates", "Fill in the dates the rules suggest", self.use_suggested))
        self.contingency = QPlainTextEdit(placeholderText="What happens if the plan is not followed")
        self.contingency.setMaximumHeight(80)
        TextBinder(ws, self.contingency, self.conf_target, "contingency_plan", "Contingency plan")
        df.addRow("Contingency plan", self.contingency)
        lower.addWidget(dates, 2)
        self.lay.addLayout(lower)
        self.shortcut("Add an action", "Ctrl+Shift+A", self.add_action, "addAction")

    def _target(self):
        aid = selected_id(self.view) if self.ws.session else None
        return (m.PlanAction, aid) if aid else None

    def _chosen(self) -> None:
        self.for_child_binder.set_choices(
            [("All the children", None)] + [(c.full_name, c.id) for c in self.bundle.considered_children()]
        )
        for b in self.ws.binders:
            if b.target == self._target:
                b.refresh()

    def opened(self) -> None:
        self.model.refresh()
        self.core_model.refresh()
        self.view.selectRow(0)
        self._chosen()

    def changed(self, cls, record_id=None) -> None:
        if cls in (None, m.PlanAction):
            self.model.refresh(record_id)
        if cls in (None, m.Invitation, m.Person):
            self.core_model.refresh(record_id)
        if cls in (None, m.Conference):
            c = self.bundle.conference
            d = next_dates(c.held_on, c.kind, self.s.policy)
            self.suggested.setText(
                f"The rules suggest the first core group on {uk_date(d.first_core_group)} and "
                f"the next review on {uk_date(d.next_review)}. {d.explanation}"
            )

    def add_action(self) -> None:
        if not self.ws.editable():
            return
        position = 1 + max((a.position for a in self.bundle.actions), default=-1)
        action = m.PlanAction(conference_id=self.s.conference_id, what="", position=position)
        if self.s.add([action], "add action"):
            self.ws.go("plan")
            self.model.refresh()
            select_id(self.view, action.id)
            self.what.setFocus()

    def remove_action(self) -> None:
        t = self._target()
        if t:
            self.s.remove([t], "remove action")

    def toggle_core(self) -> None:
        iid = selected_id(self.core_view)
        inv = self.s.record(m.Invitation, iid) if iid else None
        if inv is not None:
            self.s.set(m.Invitation, inv.id, {"core_group_member": not inv.core_group_member})
            select_id(self.core_view, inv.id)

    def use_suggested(self) -> None:
        c = self.bundle.conference
        d = next_dates(c.held_on, c.kind, self.s.policy)
        self.s.set(m.Conference, c.id, {"first_core_group_on": d.first_core_group, "next_review_on": d.next_review})


# ---------------------------------------------------------------------------------------------------------
# 7. Close


class ClosePage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Close",
            "What is still missing before the record goes for sign-off, and the documents: the mapping handout "
            "for everyone in the room, the plan, the record and the letter.",
        )
        self.checklist = QLabel()
        self.checklist.setObjectName("checklist")
        self.checklist.setWordWrap(True)
        self.checklist.setTextFormat(Qt.TextFormat.PlainText)
        self.status = Notice("Ready for sign-off")
        self.lay.addWidget(self.status)
        self.lay.addWidget(self.checklist)
        row = QHBoxLayout()
        self.document_buttons = {}
        for key, text, tip in (
            ("handout-copies", "&Handouts for everyone…", "A personalised mapping handout for each attendee"),
            ("plan", "Child protection &plan…", "The outline child protection plan"),
            ("record", "Conference &record…", "The record of the conference"),
            ("letter", "Decision &letters…", "The letter to each parent or carer"),
        ):
            b = button(
                text, tip + ": preview, print or save (Ctrl+P)", lambda _=False, k=key: workspace.sig_documents.emit(k)
            )
            self.document_buttons[key] = b
            row.addWidget(b)
        self.lay.addLayout(row)
        self.lay.addStretch(1)

    def shown(self) -> None:
        self._check()

    def changed(self, cls, record_id=None) -> None:
        if self.ws.stack.currentWidget() is self:
            self._check()

    def _check(self) -> None:
        from chair_app.services.readiness import missing_before_sign_off

        previous = self.s.previous
        gaps = missing_before_sign_off(self.bundle, self.s.policy, date.today(), previous.held_on if previous else None)
        if gaps:
            self.status.say(
                "warning", f"{len(gaps)} thing(s) still missing before sign-off. The handout can be printed now."
            )
            self.checklist.setText("\n".join(f"•  {g}" for g in gaps))
            self.checklist.show()
        else:
            self.status.say("ok", "Nothing missing: the record is ready for sign-off.")
            self.checklist.setText("")
            self.checklist.hide()
