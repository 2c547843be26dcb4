"""Step 6, Plan: actions, the core group, and the next dates the rules suggest."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QComboBox, QGroupBox, QHBoxLayout, QLabel, QLineEdit, QPlainTextEdit, QVBoxLayout

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.gui.workspace.audience_marks import MARK_KEY, MarkedFields, marker
from chair_app.gui.workspace.audience_marks import menu as audience_menu
from chair_app.gui.workspace.common import button, select_id, selected_id, table
from chair_app.gui.workspace.fields import ChoiceBinder, DateBinder, TextBinder
from chair_app.gui.workspace.models import Column, RecordTableModel
from chair_app.gui.workspace.steps.base import Page, form, invitations_in_order, person_name, role_label
from chair_app.rules.timescales import next_dates

if TYPE_CHECKING:
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


def progress_tag(action: m.PlanAction) -> str:
    """An action of the last plan, in the list: "[last plan]" until its progress is recorded, then how far
    it got ("[last plan: partly done]"); a new action: nothing. (A tag, not a column: the step fits 1024.)"""
    if action.carried_from_id is None:
        return ""
    return f"  [last plan: {m.PROGRESS[action.progress].lower()}]" if action.progress else "  [last plan]"


class PlanPage(Page):
    def __init__(self, workspace: ConferenceWorkspace) -> None:
        super().__init__(
            workspace,
            "Outline child protection plan",
            "What needs to happen, who does it, by when, and how everyone will know. Ctrl+Shift+A adds an action.",
        )
        ws = workspace
        body = self.side_by_side(1150)
        left = QVBoxLayout()
        self.model = RecordTableModel(
            [
                Column(
                    "What needs to happen", lambda a: marker(self.bundle, a.id) + a.what + progress_tag(a)
                ),  # issue 13: the last plan's
                Column("Who", lambda a: a.who),
                Column("By when", lambda a: uk_date(a.by_when), sort=lambda a: (a.by_when or date.max).toordinal()),
                Column("How we will know", lambda a: a.how_we_know),
            ],
            lambda: sorted(self.bundle.actions, key=lambda a: (a.position, a.created_at)),
            self,
        )
        self.view = table(self.model, "Plan actions", stretch=0, sortable=True, max_column=180)
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
        # Issue 13: an action of the last plan comes back for how far it got.
        self.progress = QComboBox()
        self.progress.setAccessibleName("Progress since the last review")
        ChoiceBinder(
            ws,
            self.progress,
            target,
            "progress",
            "Progress",
            [("Not recorded yet", ""), *((w, k) for k, w in m.PROGRESS.items())],
        )
        f.addRow("Progress", self.progress)
        self.progress_note = QLineEdit(placeholderText="What happened, in a few words")
        TextBinder(ws, self.progress_note, target, "progress_note", "Progress note")
        f.addRow("Progress note", self.progress_note)
        body.addWidget(editor, 2)
        self.lay.addLayout(body, 1)

        lower = self.side_by_side(1000)
        core = QGroupBox("Core group")
        cl = QVBoxLayout(core)
        self.core_model = RecordTableModel(
            [
                Column(
                    "Core group",
                    lambda i: marker(self.bundle, i.id, "core_group") + ("✔ Member" if i.core_group_member else ""),
                ),
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
        # Issue 12: F8 in the contingency plan marks that paragraph of the record; its label shows the marker.
        self.marked = MarkedFields(self)
        self.marked.add(
            self.contingency, lambda: self.bundle.conference.id, "contingency_plan", df.labelForField(self.contingency)
        )
        lower.addWidget(dates, 2)
        self.lay.addLayout(lower)
        self.shortcut("Add an action", "Ctrl+Shift+A", self.add_action, "addAction")
        self.shortcut(
            "Who may read the action (everyone, professionals, not for...)",
            MARK_KEY,
            self.mark_action,
            "actionAudience",
        )

    def mark_action(self) -> None:
        """Who may read the selected action: the same menu as a map item's (issue 12). With the keyboard in the
        core group list, the selected person's core group entry; in the contingency plan, that paragraph."""
        if self.ws.session is None:
            return
        field = self.marked.focused()
        if field is not None:
            self.marked.mark(field)
            return
        if self.core_view.hasFocus():
            self.mark_core_group()
            return
        aid = selected_id(self.view) if self.ws.session else None
        if aid is None or not self.ws.editable():
            return
        self.audience_menu = audience_menu(self, self.s, aid)
        rect = self.view.visualRect(self.view.currentIndex())
        self.audience_menu.popup(self.view.viewport().mapToGlobal(rect.bottomLeft()))

    def mark_core_group(self) -> None:
        """Who may read the selected person's core group entry (their row in the plan's core group)."""
        iid = selected_id(self.core_view) if self.ws.session else None
        if iid is None or not self.ws.editable():
            return
        self.audience_menu = audience_menu(self, self.s, iid, "core_group")
        rect = self.core_view.visualRect(self.core_view.currentIndex())
        self.audience_menu.popup(self.core_view.viewport().mapToGlobal(rect.bottomLeft()))

    def _target(self):
        aid = selected_id(self.view) if self.ws.session else None
        return (m.PlanAction, aid) if aid else None

    def _chosen(self) -> None:
        self.for_child_binder.set_choices(
            [("All the children", None)] + [(c.full_name, c.id) for c in self.bundle.considered_children()]
        )
        self.ws.refresh_binders(self._target)
        t = self._target()
        action = self.s.record(m.PlanAction, t[1]) if t else None
        carried = action is not None and action.carried_from_id is not None
        self.progress.setEnabled(carried)
        self.progress_note.setEnabled(carried)

    def opened(self) -> None:
        self.model.refresh()
        self.core_model.refresh()
        self.marked.refresh()
        self.view.selectRow(0)
        self._chosen()

    def changed(self, cls, record_id=None) -> None:
        if cls is m.AudienceMark:  # a marker changed: the actions, the core group and the contingency plan show it
            self.model.refresh(None)
            self.core_model.refresh(None)
            self.marked.refresh()
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
