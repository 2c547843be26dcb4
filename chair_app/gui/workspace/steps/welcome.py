"""Step 2, Welcome and attendance: the roll-call, the live quoracy banner, and the proceed-with-rationale
or stand-down-with-reason dialogs."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
)

from chair_app.domain import model as m
from chair_app.domain.dates import DateNotValid, parse_date, uk_date
from chair_app.domain.enums import ConferenceStatus, QuoracyOutcome
from chair_app.gui.workspace.ask import FormDialog
from chair_app.gui.workspace.audience_marks import MARK_KEY, MarkedFields, marker, menu
from chair_app.gui.workspace.common import Notice, button, select_id, selected_id, table
from chair_app.gui.workspace.fields import CheckBinder, DateBinder, TextBinder
from chair_app.gui.workspace.models import Column, RecordTableModel
from chair_app.gui.workspace.steps.base import (
    ATTENDANCE_CHOICES,
    Page,
    attendance_notes,
    attendance_words,
    invitations_in_order,
    person_name,
    role_label,
)
from chair_app.rules import quoracy
from chair_app.rules.standdown import reconvene_words, stand_down_problems
from chair_app.rules.timescales import reconvene_by

if TYPE_CHECKING:
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


#: The part of the conference a mark on the proceed-without-quorum rationale names (rules.audience.PARAGRAPHS).
RATIONALE = "quoracy_rationale"


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
        self.outcome.setObjectName("quoracyOutcome")
        self.outcome.setAccessibleName("Recorded quoracy outcome")
        self.outcome.setWordWrap(True)
        self.stale = False  # the recorded outcome no longer matches attendance
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
        # Issue 12: F8 says who may read what a person told the conference (with the keyboard in it), else why the
        # chair proceeded without quorum: both are paragraphs of the record.
        self.shortcut(
            "Who may read what they told the conference, or why the chair proceeded without quorum",
            MARK_KEY,
            self.mark_paragraph,
            "rationaleAudience",
        )

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
        self.view = table(self.model, "Roll-call", stretch=1, max_column=200)
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
        self.report = QCheckBox("Report provided")
        self.report.setToolTip("A written report: where the policy says so, it counts for quoracy with apologies")
        CheckBinder(ws, self.report, target, "report_submitted", "Report provided")
        dl.addWidget(self.report)
        times = QFormLayout()  # one time to a line: the panel stays narrow enough for a small screen
        arrived = QLineEdit()
        arrived.setMaximumWidth(110)
        DateBinder(ws, arrived, target, "arrived_at", "Arrived late at", clock=True)
        left = QLineEdit()
        left.setMaximumWidth(110)
        DateBinder(ws, left, target, "left_at", "Left early at", clock=True)
        times.addRow("Arrived late at", arrived)
        times.addRow("Left early at", left)
        dl.addLayout(times)
        self.excluded = QCheckBox("Excluded for part of the meeting")
        CheckBinder(ws, self.excluded, target, "excluded_from_part", "Excluded for part of the meeting")
        dl.addWidget(self.excluded)
        note = QLineEdit(placeholderText="Which part, and why")
        TextBinder(ws, note, target, "exclusion_note", "Exclusion note")
        dl.addWidget(note)
        # What they told the conference goes to the record's list of who came; F8 in it says who may read it.
        told_label = QLabel("What they told the conference")
        self.told = QPlainTextEdit(placeholderText="e.g. Report provided and summarised to conference")
        self.told.setAccessibleName("What they told the conference")
        self.told.setMaximumHeight(46)
        told_label.setBuddy(self.told)
        TextBinder(ws, self.told, target, "information_shared", "What they told the conference")
        dl.addWidget(told_label)
        dl.addWidget(self.told)
        self.marked = MarkedFields(self)
        self.marked.add(self.told, lambda: t[1] if (t := self._target()) else None, "information_shared", told_label)
        dl.addStretch(1)
        detail.setMaximumWidth(440)
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
        self.ws.refresh_binders(self._target)
        self.marked.refresh()

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
        if cls in (None, m.Invitation, m.Person, m.Conference, m.AudienceMark):
            self._quoracy()
        if cls is m.AudienceMark:
            self.marked.refresh()

    def mark_paragraph(self) -> None:
        """Who may read what the chosen person told the conference (with the keyboard in it), or else why the chair
        proceeded without quorum: the same menu as a map item's (issue 12)."""
        if self.ws.session is None or not self.ws.editable():
            return
        field = self.marked.focused()
        if field is not None:
            self.marked.mark(field)
            return
        c = self.bundle.conference
        if c.quoracy_outcome is not QuoracyOutcome.PROCEEDED_NOT_QUORATE or not c.quoracy_rationale.strip():
            self.ws.problem("Who may read it: F8 here marks why the chair went ahead without quorum, once recorded")
            return
        self.audience_menu = menu(self, self.s, c.id, RATIONALE)
        self.audience_menu.popup(self.outcome.mapToGlobal(self.outcome.rect().bottomLeft()))

    def show_record(self, record, record_id) -> None:
        if record is m.Invitation and record_id is not None:
            select_id(self.view, record_id)
            self.view.setFocus()
            return
        for b in (self.quorate_button, self.proceed_button, self.stand_down_button):
            if b.isEnabled():
                b.setFocus()
                return

    def assess(self) -> quoracy.QuoracyResult:
        previous = self.s.previous
        return quoracy.assess_conference(self.bundle, self.s.policy, previous.quoracy_outcome if previous else None)

    def _quoracy(self) -> None:
        result = self.assess()
        if result.quorate:
            self.banner.say("ok", result.explanation)
        else:
            self.banner.say("stop" if not result.may_proceed else "warning", result.explanation)
        c = self.bundle.conference
        words = {
            QuoracyOutcome.NOT_ASSESSED: "Not yet recorded.",
            QuoracyOutcome.QUORATE: "Recorded: quorate.",
            QuoracyOutcome.PROCEEDED_NOT_QUORATE: f"Recorded: proceeded without quorum. Rationale: "
            f"{marker(self.bundle, c.id, RATIONALE)}{c.quoracy_rationale}",
            QuoracyOutcome.STOOD_DOWN: "Recorded: stood down.",
        }[c.quoracy_outcome]
        if c.status is ConferenceStatus.STOOD_DOWN:
            reason = self.s.policy.stood_down_reasons.get(c.stood_down_reason, c.stood_down_reason)
            words = f"Stood down: {reason}." + (f" {c.stood_down_note}" if c.stood_down_note else "")
            if c.reconvene_on:
                words += f" Re-convened on {uk_date(c.reconvene_on)}."
            if c.interim_arrangement:
                words += f" Until then: {c.interim_arrangement}"
        stale = quoracy.recorded_outcome_stale(
            c.quoracy_outcome, result, stood_down_not_quorate=c.stood_down_reason == "not_quorate"
        )
        self.stale = bool(stale)
        if stale:
            words = f"⚠ No longer matches attendance. {stale}"
            self.outcome.setStyleSheet("font-weight: bold;")
        else:
            self.outcome.setStyleSheet("")
        self.outcome.setText(words)
        self.outcome.setAccessibleDescription(words)
        editable = self.ws.editable()
        self.quorate_button.setEnabled(editable and result.quorate)
        self.proceed_button.setEnabled(editable and not result.quorate and result.may_proceed)
        self.stand_down_button.setEnabled(editable)

    def quorate(self) -> None:
        from chair_app.services import recording

        s = self.s
        s.operation("record quorate", lambda: recording.record_quorate(s.db, s.conference_id, s.policy, who=s.who))

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
            s, text = self.s, dialog.result_value
            s.operation(
                "proceed without quorum",
                lambda: recording.proceed_not_quorate(s.db, s.conference_id, s.policy, text, who=s.who),
            )

    def stand_down(self) -> None:
        from chair_app.services import recording

        c = self.bundle.conference
        latest = reconvene_by(c.held_on, c.kind, self.s.policy)
        dialog = FormDialog(
            self,
            "Stand the conference down",
            "The conference will not go ahead today. Choose the reason: it is counted in the "
            f"service's measures of stood-down conferences. Give the new date ({reconvene_words(c.kind, self.s.policy)}"
            f", so by {uk_date(latest)}) and what keeps the child safe until then.",
        )
        result = self.assess()
        reasons = list(self.s.policy.stood_down_reasons.items())
        if not result.quorate:  # the likely reason first
            reasons.sort(key=lambda kv: kv[0] != "not_quorate")
        dialog.choice("reason", "Reason", [(text, key) for key, text in reasons])
        dialog.line("reconvene_on", "New date", f"dd/mm/yyyy, by {uk_date(latest)}")
        dialog.para(
            "interim",
            "Interim arrangement",
            "What keeps the child safe until then, e.g. the safety plan from the strategy discussion stays in place",
        )
        dialog.para("note", "Note", "Anything else, e.g. the interpreter is booked for the new date")

        def check(a):
            try:
                a["reconvene_on"] = parse_date(a["reconvene_on"])
            except DateNotValid as exc:
                raise ValueError(f"New date: {exc}") from None
            problems = stand_down_problems(
                c.kind, c.held_on, a["reason"], a["reconvene_on"], a["interim"], self.s.policy
            )
            if problems:
                raise ValueError(problems[0][0].upper() + problems[0][1:])
            return a

        dialog.check = check
        if dialog.exec():
            a = dialog.result_value
            s = self.s
            s.operation(
                "stand down",
                lambda: recording.stand_down(
                    s.db,
                    s.conference_id,
                    s.policy,
                    a["reason"],
                    a["note"],
                    reconvene_on=a["reconvene_on"],
                    interim_arrangement=a["interim"],
                    who=s.who,
                ),
            )
