"""Step 5, Recommendations and decision: one recommendation per agency for each child, the family's views
apart from them, then the chair's decision with its primary and secondary category."""

from __future__ import annotations

import json
import uuid
from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from chair_app.domain import model as m
from chair_app.domain.dates import uk_date
from chair_app.domain.enums import AttendanceStatus, Category, Outcome
from chair_app.gui.workspace.audience_marks import MARK_KEY, MarkedFields
from chair_app.gui.workspace.common import Notice, button, selected_id, shrinkable, table
from chair_app.gui.workspace.fields import TextBinder
from chair_app.gui.workspace.models import Column, RecordTableModel
from chair_app.gui.workspace.steps.base import Page, as_enum, form, invitations_in_order, person_name, role_label
from chair_app.rules.decisions import category_definition, category_reason_prompt, repeat_facts

if TYPE_CHECKING:
    from chair_app.gui.workspace.workspace import ConferenceWorkspace


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
            "One recommendation per agency for each child, the family's views apart, then the chair's decision. "
            "Ctrl+Return records it.",
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
                Column("Agency", lambda r: self._agency(r.person_id)),
                Column("Who", lambda r: f"{person_name(self.bundle, r.person_id)}"),
                Column("Role", lambda r: role_label(self.bundle.person(r.person_id))),
                Column("Recommendation", lambda r: outcome_words(r.outcome)),
                Column("Category", lambda r: r.category.label if r.category else ""),
                Column("Note", lambda r: r.note),
                Column("Dissent", lambda r: r.dissent),  # within the agency (its colleagues)
            ],
            lambda: [r for r in self.bundle.recommendations if r.child_id == self.child_id()],
            self,
        )
        self.recs_view = table(self.recs_model, "Recommendations", stretch=5, sortable=True, max_column=120)
        self.recs_view.setMinimumHeight(150)
        rl.addWidget(self.recs_view)
        add = QHBoxLayout()
        self.rec_who = shrinkable(QComboBox(), 8)
        self.rec_who.setAccessibleName("Who recommends")
        self.rec_outcome = shrinkable(QComboBox(), 8)
        self.rec_outcome.setAccessibleName("Their recommendation")
        self.rec_category = shrinkable(QComboBox(), 8)
        self.rec_category.setAccessibleName("Category they recommend")
        self.rec_note = QLineEdit(placeholderText="Note (optional)")
        self.rec_note.setAccessibleName("Note on the recommendation")
        self.rec_dissent = QLineEdit(placeholderText="A colleague's different view (optional)")
        self.rec_dissent.setAccessibleName("Dissent within the agency")
        for w, stretch in (
            (self.rec_who, 2),
            (self.rec_outcome, 2),
            (self.rec_category, 1),
            (self.rec_note, 2),
            (self.rec_dissent, 2),
        ):
            add.addWidget(w, stretch)
        add.addWidget(button("Add", "Add this recommendation", self.add_recommendation, "Add recommendation"))
        add.addWidget(
            button("Remove", "Remove the selected recommendation", self.remove_recommendation, "Remove recommendation")
        )
        rl.addLayout(add)
        self.lay.addWidget(recs)

        # The family's views, apart from the professionals' recommendations: each parent or carer invited, in
        # their own words (stored on their invitation as typed), and the child's views from the child's voice.
        family = QGroupBox("The family's views")
        self.family_form = form()
        family.setLayout(self.family_form)
        self.child_views = QLabel()
        self.child_views.setWordWrap(True)
        self.child_views.setAccessibleName("The child's views")
        self.family_form.addRow(self.child_views)
        self._family_binders: list[TextBinder] = []
        self.lay.addWidget(family)

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
        self.secondary = QComboBox()
        self.secondary.setAccessibleName("Secondary category")
        self.secondary.addItem("None", None)
        for c in Category:
            if c is not Category.MUL:
                self.secondary.addItem(c.label, c)
        f.addRow("Secondary category", self.secondary)
        self.definition = QLabel()
        self.definition.setWordWrap(True)
        self.definition.setObjectName("categoryDefinition")
        self.definition.setAccessibleName("What the category means")
        f.addRow(self.definition)
        self.category_reason = QPlainTextEdit()
        self.category_reason.setAccessibleName("Reason for the category")
        self.category_reason.setTabChangesFocus(True)
        self.category_reason.setMaximumHeight(70)
        f.addRow("Why these categories", self.category_reason)
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
        dissent_row = QHBoxLayout()  # issue 14: who dissents, the route and the clock (gui/dissent_dialog.py)
        self.dissent_button = button(
            "Dissent, route and c&lock…",
            "Record who dissents from this child's decision, their view, the route and the day raised",
            self.open_dissent,
        )
        self.dissent_button.setObjectName("dissentButton")
        dissent_row.addWidget(self.dissent_button)
        self.dissent_clock = QLabel()
        self.dissent_clock.setObjectName("dissentClock")
        self.dissent_clock.setWordWrap(True)
        dissent_row.addWidget(self.dissent_clock, 1)
        f.addRow(dissent_row)
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
        # Issue 12: F8 in a paragraph that goes to the record marks who may read it; its label shows the marker.
        self.marked = MarkedFields(self)
        self._decision_fields = []
        for edit, part in (
            (self.reasons, "reasons"),
            (self.analysis, "repeat_plan_analysis"),
            (self.dissent, "dissent"),
            (self.category_reason, "category_reason"),
        ):
            self.marked.add(edit, self._decision_id, part, f.labelForField(edit))
        self._decision_fields = list(self.marked.fields)
        self.shortcut(
            "Who may read this paragraph of the record (everyone, professionals, not for...)",
            MARK_KEY,
            self.mark_paragraph,
            "paragraphAudience",
        )
        # Once a decision exists, its words are stored as they are typed.
        self._text_binders = [
            TextBinder(ws, self.reasons, self._decision_target, "reasons", "Reasons"),
            TextBinder(ws, self.analysis, self._decision_target, "repeat_plan_analysis", "Repeat-plan analysis"),
            TextBinder(ws, self.dissent, self._decision_target, "dissent", "Recorded dissent"),
            TextBinder(ws, self.lead, self._decision_target, "lead_agency", "Lead agency"),
            TextBinder(ws, self.category_reason, self._decision_target, "category_reason", "Reason for the category"),
        ]
        for b in self._text_binders:
            b.draft = True  # before the decision is recorded, what is typed goes into the stored draft
        # Before it is recorded, the whole form is stored as a draft on every change (nothing lost).
        self._showing_draft = False
        for combo in (self.outcome, self.category, self.secondary, self.next_step, self.end_reason):
            combo.activated.connect(lambda _i: self._store_draft())
        for combo in (self.category, self.secondary):
            combo.currentIndexChanged.connect(lambda _i: self._explain_category())
        for cb in self.contributing.values():
            cb.clicked.connect(lambda _checked: self._store_draft())
        self.lead.textEdited.connect(lambda _t: self._store_draft(typing=True))
        for edit in (self.reasons, self.analysis, self.dissent, self.category_reason):
            edit.textChanged.connect(lambda: self._store_draft(typing=True))

    def _agency(self, person_id) -> str:
        person = self.bundle.person(person_id)
        role = self.s.policy.role(person.role_code) if person else None
        return self.s.policy.group_label(role.group) if role else ""

    def _explain_category(self) -> None:
        """The policy's definition of the chosen category (and the secondary one), and whether a reason is asked."""
        policy = self.s.policy
        primary = as_enum(Category, self.category.currentData())
        secondary = as_enum(Category, self.secondary.currentData())
        lines = [
            f"{c.label}: {category_definition(c, policy)}"
            for c in (primary, secondary)
            if c is not None and category_definition(c, policy)
        ]
        self.definition.setText("\n\n".join(lines))
        self.definition.setVisible(bool(lines))
        self.secondary.setEnabled(policy.categories.secondary or secondary is not None)
        prompt = category_reason_prompt(primary, secondary, policy)
        self.category_reason.setPlaceholderText(prompt or "Needed only when the policy asks why (e.g. multiple)")

    def _voice(self) -> m.ConferenceChild | None:
        cid = self.child_id()
        return next((v for v in self.bundle.conference_children if v.child_id == cid), None)

    def _form(self) -> dict:
        """The form as it stands, as plain values (what a draft stores and what recording uses)."""
        category = as_enum(Category, self.category.currentData())
        secondary = as_enum(Category, self.secondary.currentData())
        return {
            "outcome": self.outcome.currentData() or "",
            "category": category.value if category else "",
            "secondary_category": secondary.value if secondary else "",
            "category_reason": self.category_reason.toPlainText(),
            "contributing": [c.value for c, cb in self.contributing.items() if cb.isChecked()],
            "lead_agency": self.lead.text(),
            "reasons": self.reasons.toPlainText(),
            "no_plan_next_step": self.next_step.currentData() or "",
            "end_reason": self.end_reason.currentData() or "",
            "repeat_plan_analysis": self.analysis.toPlainText(),
            "dissent": self.dissent.toPlainText(),
        }

    def _store_draft(self, *, typing: bool = False) -> None:
        """No decision recorded yet for this child: store the form as its draft."""
        if self._showing_draft or self.ws.session is None or self.decision() is not None or not self.ws.editable():
            return
        voice = self._voice()
        if voice is None:
            return
        draft = json.dumps(self._form(), sort_keys=True)
        if draft != voice.decision_draft:
            self.s.set(m.ConferenceChild, voice.id, {"decision_draft": draft}, typing=typing)

    def _show_draft(self, draft: dict) -> None:
        def pick(combo: QComboBox, value) -> None:
            combo.setCurrentIndex(max(combo.findData(value), 0))

        self._showing_draft = True
        try:
            pick(self.outcome, draft.get("outcome", ""))
            pick(self.category, draft.get("category") or None)
            pick(self.secondary, draft.get("secondary_category") or None)
            for c, cb in self.contributing.items():
                cb.setChecked(c.value in draft.get("contributing", []))
            pick(self.next_step, draft.get("no_plan_next_step", ""))
            pick(self.end_reason, draft.get("end_reason", ""))
            for widget, key in (
                (self.lead, "lead_agency"),
                (self.reasons, "reasons"),
                (self.analysis, "repeat_plan_analysis"),
                (self.dissent, "dissent"),
                (self.category_reason, "category_reason"),
            ):
                text = draft.get(key, "")
                current = widget.text() if isinstance(widget, QLineEdit) else widget.toPlainText()
                if current != text:
                    widget.setText(text) if isinstance(widget, QLineEdit) else widget.setPlainText(text)
        finally:
            self._showing_draft = False

    def child_id(self) -> uuid.UUID | None:
        value = self.child.currentData()
        return uuid.UUID(value) if value else None

    def decision(self) -> m.Decision | None:
        cid = self.child_id()
        return next((d for d in self.bundle.decisions if d.child_id == cid), None) if cid else None

    def _decision_id(self) -> uuid.UUID | None:
        d = self.decision() if self.ws.session else None
        return d.id if d else None

    def mark_paragraph(self) -> None:
        """Who may read the paragraph the keyboard is in: the same menu as a map item's (issue 12)."""
        field = self.marked.focused() if self.ws.session else None
        if field is None:
            return
        if not self.marked.mark(field) and field in self._decision_fields:
            self.ws.problem("Who may read it: record the decision first (Ctrl+Return), then mark its paragraphs")

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
        self.outcome.addItem("Choose the decision…", "")  # a new child's decision starts empty
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
        self._family_rows()
        self._child_changed()

    def _family_rows(self) -> None:
        """One views box per family member invited (rebuilt when the conference is opened)."""
        ws = self.ws
        for old in self._family_binders:  # their boxes go with the rows: the workspace must not refresh them
            if old in ws.binders:
                ws.binders.remove(old)
        while self.family_form.rowCount() > 1:
            self.family_form.removeRow(1)
        self._family_binders = []
        self.marked.fields = list(self._decision_fields)  # the family's boxes went with their rows
        for inv in invitations_in_order(self.bundle):
            person = self.bundle.person(inv.person_id)
            role = self.s.policy.role(person.role_code) if person else None
            if person is None or role is None or not role.family:
                continue
            edit = QPlainTextEdit(placeholderText=f"What {person.name} said, in their own words")
            edit.setMaximumHeight(60)
            label = f"{person.name} ({person.role})" if person.role else person.name
            binder = TextBinder(
                ws,
                edit,
                lambda inv_id=inv.id: (m.Invitation, inv_id) if ws.session else None,
                "views",
                f"Views of {person.name}",
            )
            edit.setAccessibleName(f"Views of {person.name}")
            edit.setEnabled(ws.editable())
            self.family_form.addRow(label, edit)
            self.marked.add(edit, lambda inv_id=inv.id: inv_id, "views", self.family_form.labelForField(edit))
            self._family_binders.append(binder)
            binder.refresh()

    def _people(self) -> list[m.Person]:
        out = []
        for inv in invitations_in_order(self.bundle):
            if (
                inv.status is AttendanceStatus.ATTENDED
                or inv.report_submitted
                or inv.status is AttendanceStatus.INVITED
            ):
                person = self.bundle.person(inv.person_id)
                role = self.s.policy.role(person.role_code) if person is not None else None
                if person is not None and (role is None or role.counts_as_agency):  # professionals recommend
                    out.append(person)
        return out

    def _child_changed(self) -> None:
        voice = self._voice()
        self.child_views.setText(
            f"{self.child.currentText() or 'The child'}: "
            + (voice.views if voice and voice.views else "no views recorded yet (see the child's voice step).")
        )
        self.recs_model.refresh()
        self.rec_who.clear()
        for p in self._people():
            self.rec_who.addItem(f"{p.name} ({p.role})" if p.role else p.name, str(p.id))
        self._show_decision()
        self.marked.refresh()

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
            pick(self.secondary, d.secondary_category)
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
            voice = self._voice()
            draft = json.loads(voice.decision_draft) if voice is not None and voice.decision_draft else {}
            self.stored.setText(
                "Not recorded yet: what you choose and type here is kept as a draft until you record it."
            )
            self._show_draft(draft)  # an empty draft empties the form
            for b in self._text_binders:
                b.refresh()
        facts = repeat_facts(self.bundle.plan_history, cid, self.bundle.conference.held_on)
        if self.bundle.conference.kind.is_initial and facts.is_repeat:
            self.repeat.say("info", facts.explanation)
        else:
            self.repeat.hide()
        self.record_button.setEnabled(self.ws.editable())
        self._show_dissent(d)

    def _show_dissent(self, d: m.Decision | None) -> None:
        from chair_app.services.agreements import dissent_clock_for

        self.dissent_button.setVisible(self.ws.may("record_dissent"))
        self.dissent_button.setEnabled(d is not None and self.ws.editable())
        if d is None or not d.dissent_by:
            self.dissent_clock.setText("" if d is not None else "Record the decision first to record a dissent.")
            return
        raised = f", raised {uk_date(d.dissent_raised_on)}" if d.dissent_raised_on else ""
        due = dissent_clock_for(d, self.bundle.conference.held_on, self.s.policy).answer_by
        clock = f"; respond by {uk_date(due)}" if due else ""
        if d.dissent_answered_on is not None:  # the senior chair's answer is recorded
            clock = f"; answered {uk_date(d.dissent_answered_on)} by {d.dissent_answered_by}"
        self.dissent_clock.setText(f"Dissent by {d.dissent_by}: {d.dissent_route}{raised}{clock}")

    def open_dissent(self) -> None:
        from chair_app.gui.dissent_dialog import DissentDialog

        d = self.decision()
        if d is None or not self.ws.editable():
            self.ws.problem("Dissent: record the decision for this child first")
            return
        self.ws.end_typing()
        self.dissent_dialog = DissentDialog(self.s, d, self.child.currentText(), self)
        self.dissent_dialog.open()

    def show_record(self, record, record_id) -> None:
        index = self.child.findData(str(record_id)) if record_id is not None else -1
        if index >= 0:
            self.child.setCurrentIndex(index)
        self.outcome.setFocus()

    def changed(self, cls, record_id=None) -> None:
        if cls in (None, m.Recommendation, m.Person, m.Invitation):
            self.recs_model.refresh()
        if cls in (None, m.Invitation):
            for b in self._family_binders:
                b.refresh()
        if cls in (None, m.Decision):
            self._show_decision()
        if cls in (None, m.AudienceMark, m.Decision):  # a marker changed, or the decision its fields show
            self.marked.refresh()

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
            category=as_enum(Category, self.rec_category.currentData()),
            note=self.rec_note.text().strip(),
            dissent=self.rec_dissent.text().strip(),
        )
        if self.s.add([rec], "add recommendation"):
            self.rec_note.clear()
            self.rec_dissent.clear()
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
        form = self._form()
        category = as_enum(Category, form["category"])
        values = dict(
            category=category,
            contributing=[Category(c) for c in form["contributing"]] if category is Category.MUL else [],
            lead_agency=form["lead_agency"],
            reasons=form["reasons"],
            no_plan_next_step=form["no_plan_next_step"],
            end_reason=form["end_reason"],
            repeat_plan_analysis=form["repeat_plan_analysis"],
            dissent=form["dissent"],
            secondary_category=as_enum(Category, form["secondary_category"] or None),
            category_reason=form["category_reason"],
        )
        outcome = Outcome(form["outcome"]) if form["outcome"] else None

        def do():
            recording.record_decision(
                s.db, s.conference_id, cid, outcome, s.policy, decided_on=date.today(), who=s.who, **values
            )

        if s.operation("record decision", do):
            self.ws.clear_problem()
