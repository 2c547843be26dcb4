"""Step 1, Before: the details, timeliness facts, children, invitees and reports; timescales with the
reason-for-delay prompt."""

from __future__ import annotations

import html
from datetime import date
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import MeetingKind, Sex
from chair_app.domain.errors import ChairError
from chair_app.gui.workspace.ask import FormDialog
from chair_app.gui.workspace.audience_marks import MARK_KEY, marker
from chair_app.gui.workspace.audience_marks import menu as audience_menu
from chair_app.gui.workspace.common import button, select_id, selected_id, table
from chair_app.gui.workspace.fields import CheckBinder, ChoiceBinder, DateBinder, TextBinder, parse_date
from chair_app.gui.workspace.models import Column, RecordTableModel
from chair_app.gui.workspace.steps.base import Page, form, invitations_in_order, person_name, role_label
from chair_app.rules.ages import age_text
from chair_app.rules.timescales import TimescaleResult, conference_timescales

if TYPE_CHECKING:
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


def timescale_words(r: TimescaleResult) -> str:
    """What a timescale line says after its mark (Met, Missed...), without saying the mark's word again."""
    if r.met is True and r.actual and r.due:
        return f"{r.label}: {uk_date(r.actual)} (due by {uk_date(r.due)})."
    if r.met is False and r.actual and r.due:
        days = f"{r.working_days_late} working day{'s' if r.working_days_late != 1 else ''}"
        return f"{r.label}: {uk_date(r.actual)}, {days} late (due by {uk_date(r.due)})."
    return r.explanation.replace(f"{r.label}: cannot tell, ", f"{r.label}: ", 1)


class BeforePage(Page):
    #: The page can be built a part at a time (``staged``): the workspace builds one part per turn of the event
    #: loop when a conference is first opened, so the window keeps answering (docs/performance.md).
    STAGED = True

    def __init__(self, workspace: ConferenceWorkspace, *, staged: bool = False) -> None:
        super().__init__(
            workspace,
            "Before the conference",
            "Details, children, invitees and reports. Everything you type is stored as you type it.",
        )
        # Top to bottom, the part a person sees first first.
        self.parts_to_build = [self._build_details, self._build_timescales, self._build_children]
        self.parts_to_build += [self._build_invitees, self._build_network]
        if not staged:
            self.build_rest()

    def build_next(self) -> bool:
        """Build the next part of the page; False when every part is built."""
        if not self.parts_to_build:
            return False
        self.parts_to_build.pop(0)()
        return True

    def build_rest(self) -> None:
        while self.build_next():
            pass

    def _build_details(self) -> None:
        ws = self.ws
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

    def _build_timescales(self) -> None:
        # Timeliness status, with the reason-for-delay prompt when late.
        self.timeliness = QGroupBox("Timescales")
        tl = QVBoxLayout(self.timeliness)
        self.timescale_text = QLabel()
        self.timescale_text.setWordWrap(True)
        self.timescale_text.setTextFormat(Qt.TextFormat.RichText)
        tl.addWidget(self.timescale_text)
        # Issue 13: the core groups since the last conference (a review's), with their due dates.
        self.core_groups_text = QLabel()
        self.core_groups_text.setObjectName("coreGroups")
        self.core_groups_text.setWordWrap(True)
        self.core_groups_text.hide()
        tl.addWidget(self.core_groups_text)
        self.delay_form = form()
        tl.addLayout(self.delay_form)
        self.delay_edits: dict[str, QLineEdit] = {}
        self.lay.addWidget(self.timeliness)

    def _build_children(self) -> None:
        ws = self.ws
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

    def _build_invitees(self) -> None:
        ws = self.ws
        # Invitees.
        people = QGroupBox("Invitees and reports")
        pl = QHBoxLayout(people)
        self.invitees_model = RecordTableModel(
            [
                Column(
                    "Name",
                    lambda i: marker(self.bundle, i.person_id, "contact") + person_name(self.bundle, i.person_id),
                ),
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

    def _build_network(self) -> None:
        from chair_app.gui.workspace.network import NetworkBox  # issue 12: the family network

        self.network = NetworkBox(self)
        self.lay.addWidget(self.network)
        self.lay.addStretch(1)
        self.shortcut(
            "Who may read the invitee's contact details (everyone, professionals, not for...)",
            MARK_KEY,
            self.mark_contact,
            "contactAudience",
        )

    def mark_contact(self) -> None:
        """Who may read the selected invitee's phone, email and address: the same menu as a map item's (issue 12)."""
        t = self._person_target() if self.ws.session else None
        if t is None or not self.ws.editable():
            return
        self.audience_menu = audience_menu(self, self.s, t[1], "contact")
        rect = self.invitees_view.visualRect(self.invitees_view.currentIndex())
        self.audience_menu.popup(self.invitees_view.viewport().mapToGlobal(rect.bottomLeft()))

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
        self.ws.refresh_binders(self._child_target)

    def _invitee_chosen(self) -> None:
        self.ws.refresh_binders(self._person_target, self._invitation_target)

    def opened(self) -> None:
        self.role_binder.set_choices([("Not set", "")] + [(r.label, k) for k, r in self.s.policy.roles.items()])
        self.children_model.refresh()
        self.invitees_model.refresh()
        self.children_view.selectRow(0)
        self.invitees_view.selectRow(0)
        self.network.refresh()

    def changed(self, cls, record_id=None) -> None:
        if cls is m.AudienceMark:  # a marker changed: the invitees show it
            self.invitees_model.refresh(None)
        if cls in (None, m.Child, m.ConferenceChild, m.Conference):
            self.children_model.refresh(record_id)
        if cls in (None, m.Invitation, m.Person):
            self.invitees_model.refresh(record_id)
        if cls in (None, m.Conference, m.Invitation, m.DelayReason, m.CoreGroup, m.CoreGroupProgress):
            self._timescales()
        self.network.refresh(cls)

    def _timescales(self) -> None:
        previous = self.s.previous
        results = conference_timescales(
            self.bundle, self.s.policy, date.today(), previous.held_on if previous else None
        )
        lines = []
        for r in results:
            mark = {"Met": "✔ Met", "Missed": "✖ Missed"}.get(r.status_word, "● " + r.status_word)
            lines.append(f"<b>{mark}</b> · {html.escape(timescale_words(r))}")
        self.timescale_text.setText("<br>".join(lines))
        from chair_app.services.core_groups import core_group_lines

        groups = (
            []
            if self.bundle.conference.kind.is_initial
            else core_group_lines(self.bundle, previous.held_on if previous else None, self.s.policy)
        )
        self.core_groups_text.setText("Core groups since the last conference\n" + "\n".join(x.strip() for x in groups))
        self.core_groups_text.setVisible(bool(groups))
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
            from chair_app.services.workspace import NewChild, new_child

            try:
                dob, edd = parse_date(a["dob"]), parse_date(a["edd"])
            except ValueError as exc:
                raise ValueError(f"Date of birth: {exc}") from None
            try:
                return new_child(self.bundle.family.id, NewChild(a["forename"], a["surname"], dob, edd, Sex(a["sex"])))
            except ChairError as exc:
                raise ValueError(str(exc)) from None

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
