"""Step 4, Child's voice: views in the child's words, how they were given, the participation code and
the advocacy offer."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from chair_app.domain import model as m
from chair_app.domain.enums import ParticipationCode
from chair_app.gui.workspace.audience_marks import MARK_KEY, MarkedFields, marker
from chair_app.gui.workspace.common import Notice, select_id, selected_id, table
from chair_app.gui.workspace.fields import ChoiceBinder, TextBinder
from chair_app.gui.workspace.models import Column, RecordTableModel
from chair_app.gui.workspace.steps.base import Page, form
from chair_app.rules import participation
from chair_app.rules.ages import age_text

if TYPE_CHECKING:
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


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
                Column("Child", lambda v: marker(self.bundle, v.id) + self.bundle.child(v.child_id).full_name),
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
        views_label = QLabel("Their views, in their words")
        right.addWidget(views_label)
        self.views = QPlainTextEdit(placeholderText="What the child said, as they said it")
        self.views.setMinimumHeight(140)
        TextBinder(ws, self.views, target, "views", "Child's views in their own words")
        right.addWidget(self.views)
        # Issue 12: who may read the chosen child's views (their words and how they were given), F8.
        self.marked = MarkedFields(self)
        self.marked.add(self.views, lambda: (self._target() or (None, None))[1], "", views_label)
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
        self.shortcut(
            "Who may read the child's views (everyone, professionals, not for...)",
            MARK_KEY,
            self.mark_views,
            "viewsAudience",
        )

    def mark_views(self) -> None:
        """Who may read the chosen child's views: the same menu as a map item's (issue 12)."""
        self.marked.mark(self.marked.fields[0])

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
        self.ws.refresh_binders(self._target)
        self.marked.refresh()
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

    def show_record(self, record, record_id) -> None:
        voice = next((v for v in self.bundle.conference_children if v.child_id == record_id), None)
        if voice is not None:
            select_id(self.view, voice.id)
        self.code.setFocus()

    def opened(self) -> None:
        self.model.refresh()
        self.view.selectRow(0)

    def shown(self) -> None:
        self._chosen()

    def changed(self, cls, record_id=None) -> None:
        if cls is m.AudienceMark:  # a marker changed: the children and the views' label show it
            self.model.refresh(None)
            self.marked.refresh()
        if cls in (None, m.ConferenceChild, m.Child):
            self.model.refresh(record_id)
            if cls is None:
                self._chosen()
            self._describe()
