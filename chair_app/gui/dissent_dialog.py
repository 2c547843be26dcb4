"""A professional's dissent from a child's decision (issue 14, point 6: "a dissent is recorded with its route and
clock"). The form is ui/dissent.ui; this module keeps the behaviour.

Opened from the Decision step for the child chosen there, once the decision is recorded: who dissents (one of
the people invited, or typed), their view, the route (rules/agreements.ROUTES: recorded in the record, or
escalated to the safeguarding manager) and the day it was raised. The clock is shown as the form changes: the
last day the policy allows it to be raised and, for an escalated one, the day the answer is due (the policy's
``[dissent]``); when the senior chair's answer comes, the same form records what they decided, who answered and
the day (an escalated dissent's only). Record the dissent writes the fields through the workspace's session
(set_fields, with the version the person saw: journal, undo and conflicts as every edit), where the service checks
the role
(``record_dissent`` in the policy) and the rules; a refusal is shown in the form and nothing is stored.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
)

from chair_app.domain import model as m
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.create_dialog import load_form
from chair_app.gui.workspace.steps.base import invitations_in_order
from chair_app.paths import UI
from chair_app.rules.agreements import ROUTES

if TYPE_CHECKING:
    from chair_app.gui.workspace.session import EditSession


def who_choices(bundle: m.ConferenceBundle, policy) -> list[str]:
    """ "Name (role, agency)" for each professional invited, in the invitation order (a parent's disagreement
    is their views, and the complaints route, not a professional's dissent)."""
    out = []
    for inv in invitations_in_order(bundle):
        person = bundle.person(inv.person_id)
        if person is None:
            continue
        role = policy.role(person.role_code)
        if role is not None and not role.counts_as_agency:
            continue
        agency = policy.group_label(role.group) if role else ""
        words = ", ".join(dict.fromkeys(w for w in (person.role, agency) if w))
        out.append(f"{person.name} ({words})" if words else person.name)
    return out


def clock_words(decision: m.Decision, held_on: date, policy) -> str:
    from chair_app.rules.agreements import read_dissent
    from chair_app.services.agreements import dissent_clock_for

    clock = dissent_clock_for(decision, held_on, policy)
    hours = read_dissent(policy.raw, policy.source).raise_within_hours
    words = f"Raise by {clock.raise_by:%d/%m/%Y} (the policy: within {hours} hours of the conference)."
    if clock.answer_by is not None:
        words += f" Respond by {clock.answer_by:%d/%m/%Y}: the senior chair's answer to the escalation."
    elif decision.dissent_route == "escalated":
        words += " Give the day it was raised to see when the answer is due."
    return words


class DissentDialog(QDialog):
    def __init__(self, session: EditSession, decision: m.Decision, child_name: str, parent=None) -> None:
        super().__init__(parent)
        self.s, self.decision = session, decision
        self.setWindowTitle("Dissent from the decision")
        self.setObjectName("dissent")
        apply_theme(self)
        form = load_form(UI / "dissent.ui", self)
        QVBoxLayout(self).addWidget(form)
        self.heading: QLabel = form.findChild(QLabel, "heading")
        self.who: QComboBox = form.findChild(QComboBox, "who")
        self.view: QPlainTextEdit = form.findChild(QPlainTextEdit, "view")
        self.route: QComboBox = form.findChild(QComboBox, "route")
        self.raised_on: QDateEdit = form.findChild(QDateEdit, "raised_on")
        self.clock: QLabel = form.findChild(QLabel, "clock")
        self.message: QLabel = form.findChild(QLabel, "message")
        self.answer_box: QGroupBox = form.findChild(QGroupBox, "answer_box")
        self.answer: QPlainTextEdit = form.findChild(QPlainTextEdit, "answer")
        self.answered_by: QLineEdit = form.findChild(QLineEdit, "answered_by")
        self.answered_on: QDateEdit = form.findChild(QDateEdit, "answered_on")
        self.save: QPushButton = form.findChild(QPushButton, "save")
        self.cancel: QPushButton = form.findChild(QPushButton, "cancel")
        bundle = session.bundle
        held_on = bundle.conference.held_on
        self.heading.setText(f"Dissent from the decision for {child_name} (conference of {held_on:%d/%m/%Y})")
        self.who.addItems(who_choices(bundle, session.policy))
        self.who.lineEdit().setPlaceholderText("Choose one of the people invited, or type a name and agency")
        self.who.setCurrentIndex(-1)
        self.who.setEditText(decision.dissent_by)
        self.view.setPlainText(decision.dissent)
        for key, words in ROUTES.items():
            self.route.addItem(words[:1].upper() + words[1:], key)
        self.route.setCurrentIndex(max(self.route.findData(decision.dissent_route or "recorded"), 0))
        raised = decision.dissent_raised_on or held_on  # most are raised at the conference itself
        self.raised_on.setDate(QDate(raised.year, raised.month, raised.day))
        self.raised_on.setMinimumDate(QDate(held_on.year, held_on.month, held_on.day))
        # The senior chair's answer: an escalated dissent's only, filled in when it comes (the form shows it then).
        self.answer_box.setChecked(decision.dissent_answered_on is not None)
        self.answer.setPlainText(decision.dissent_answer)
        self.answered_by.setText(decision.dissent_answered_by)
        answered = decision.dissent_answered_on or date.today()
        self.answered_on.setDate(QDate(answered.year, answered.month, answered.day))
        self.answered_on.setMaximumDate(QDate.currentDate())
        self.route.currentIndexChanged.connect(lambda _i: self._show_clock())
        self.raised_on.dateChanged.connect(lambda _d: self._show_clock())
        self.save.clicked.connect(self.record)
        self.cancel.clicked.connect(self.reject)
        self._show_clock()
        self.who.setFocus()

    def values(self) -> dict:
        d = self.raised_on.date()
        answered = self.route.currentData() == "escalated" and self.answer_box.isChecked()
        a = self.answered_on.date()
        return {
            "dissent_by": self.who.currentText().strip(),
            "dissent": self.view.toPlainText().strip(),
            "dissent_route": self.route.currentData(),
            "dissent_raised_on": date(d.year(), d.month(), d.day()),
            # the answer, when the box says it has been given; else none (a recorded dissent has none)
            "dissent_answer": self.answer.toPlainText().strip() if answered else "",
            "dissent_answered_by": self.answered_by.text().strip() if answered else "",
            "dissent_answered_on": date(a.year(), a.month(), a.day()) if answered else None,
        }

    def _show_clock(self) -> None:
        from dataclasses import replace

        proposed = replace(self.decision, **self.values())
        self.clock.setText(clock_words(proposed, self.s.bundle.conference.held_on, self.s.policy))
        self.answer_box.setVisible(self.route.currentData() == "escalated")

    def record(self) -> None:
        if not self.who.currentText().strip():
            self.message.setText("Who dissents: choose one of the people invited, or type a name and agency")
            self.who.setFocus()
            return
        said: list[str] = []
        self.s.sig_problem.connect(said.append)
        try:
            ok = self.s.set(m.Decision, self.decision.id, self.values())
        finally:
            self.s.sig_problem.disconnect(said.append)
        if ok:
            self.accept()
            return
        self.message.setText(said[-1] if said else "The dissent was not stored: someone changed the decision since")
