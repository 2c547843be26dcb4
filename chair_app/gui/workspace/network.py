"""The family network and what is not to be shared with whom, in the Before step (issue 12, point 1).

Two tables: each person's relationship to each child (parent with or without parental responsibility, carer,
household member, relative, friend) and whether the child lives with them; and "details of X are not to be
shared with Y", each with what and why. Letters go by the network (parental responsibility); the release
check and the "Everyone except" marks go by the restrictions (``rules.audience``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QVBoxLayout

from chair_app.domain import model as m
from chair_app.domain.enums import Relationship
from chair_app.gui.workspace.ask import FormDialog
from chair_app.gui.workspace.common import button, select_id, selected_id, table
from chair_app.gui.workspace.models import Column, RecordTableModel
from chair_app.gui.workspace.steps.base import invitations_in_order

if TYPE_CHECKING:
    from chair_app.gui.workspace.steps.before import BeforePage

CHANGES = (m.NetworkLink, m.SharingRestriction, m.Person, m.Child, m.Invitation)


class NetworkBox(QGroupBox):
    def __init__(self, page: BeforePage) -> None:
        super().__init__("Family network, and what is not to be shared with whom")
        self.page = page
        lay = QVBoxLayout(self)  # one above the other: side by side they would not fit a 1024-pixel screen

        left = QVBoxLayout()
        self.links_model = RecordTableModel(
            [
                Column("Person", lambda n: self._name(n.person_id)),
                Column("Child", lambda n: self._child(n.child_id)),
                Column("Relationship", lambda n: n.relationship.label),
                Column("Lives with them", lambda n: "Yes" if n.lives_with else "No"),
            ],
            lambda: sorted(self.bundle.network, key=lambda n: (self._name(n.person_id), self._child(n.child_id))),
            self,
        )
        self.links_view = table(self.links_model, "Family network", stretch=2, max_column=260)
        self.links_view.setMinimumHeight(140)
        left.addWidget(self.links_view, 1)
        row = QHBoxLayout()
        row.addWidget(button("Add relationship…", "A person's relationship to one child", self.add_link))
        row.addWidget(button("Remove relationship", "Remove the selected relationship", self.remove_link))
        row.addStretch(1)
        left.addLayout(row)
        lay.addLayout(left, 1)

        right = QVBoxLayout()
        self.restrictions_model = RecordTableModel(
            [
                Column("Details of", lambda r: self._name(r.about_id)),
                Column("Not to be shared with", lambda r: self._name(r.person_id)),
                Column("What", lambda r: r.details),
                Column("Why", lambda r: r.reason),
            ],
            lambda: list(self.bundle.restrictions),
            self,
        )
        self.restrictions_view = table(self.restrictions_model, "Not to be shared", max_column=260)
        self.restrictions_view.setMinimumHeight(120)
        right.addWidget(self.restrictions_view, 1)
        row = QHBoxLayout()
        row.addWidget(
            button("Not to be shared…", "Details of one person that another must not receive", self.add_restriction)
        )
        row.addWidget(button("Remove", "Remove the selected restriction", self.remove_restriction))
        row.addStretch(1)
        right.addLayout(row)
        hint = QLabel("Mark what carries it out on the Mapping step (F8 on an item: Everyone except ...).")
        hint.setWordWrap(True)
        right.addWidget(hint)
        lay.addLayout(right, 1)

    @property
    def bundle(self) -> m.ConferenceBundle:
        return self.page.bundle

    def _name(self, person_id) -> str:
        person = self.bundle.person(person_id)
        return person.name if person else ""

    def _child(self, child_id) -> str:
        return next((c.full_name for c in self.bundle.children if c.id == child_id), "")

    def _people(self) -> list[tuple[str, Any]]:
        people = [self.bundle.person(i.person_id) for i in invitations_in_order(self.bundle)]
        return [(f"{p.name} ({p.role})" if p.role else p.name, p.id) for p in people if p is not None]

    def refresh(self, cls=None) -> None:
        if cls in (None, *CHANGES):
            self.links_model.refresh()
            self.restrictions_model.refresh()

    # Actions
    def add_link(self) -> None:
        if not self.page.ws.editable():
            return
        dialog = FormDialog(self, "Add a relationship", "How one person is related to one child.")
        dialog.choice("person", "Person", self._people())
        dialog.choice("child", "Child", [(c.full_name, c.id) for c in self.bundle.considered_children()])
        dialog.choice("relationship", "Relationship", [(r.label, r) for r in Relationship])
        dialog.choice("lives_with", "The child lives with them", [("No", False), ("Yes", True)])

        def check(a: dict[str, Any]) -> m.NetworkLink:
            if a["person"] is None or a["child"] is None:
                raise ValueError("Person: invite the person and add the child first")
            if any(n.person_id == a["person"] and n.child_id == a["child"] for n in self.bundle.network):
                raise ValueError("Relationship: already recorded for this person and child; remove it first")
            return m.NetworkLink(
                conference_id=self.page.s.conference_id,
                person_id=a["person"],
                child_id=a["child"],
                relationship=Relationship(a["relationship"]),
                lives_with=bool(a["lives_with"]),
            )

        dialog.check = check
        if dialog.exec():
            link = dialog.result_value
            if self.page.s.add([link], "add a relationship"):
                select_id(self.links_view, link.id)

    def remove_link(self) -> None:
        chosen = selected_id(self.links_view)
        if chosen:
            self.page.s.remove([(m.NetworkLink, chosen)], "remove a relationship")

    def add_restriction(self) -> None:
        if not self.page.ws.editable():
            return
        dialog = FormDialog(
            self,
            "Not to be shared",
            "Details of one person that another must not receive, and why. Every copy for that person is "
            "checked against it before it leaves the app.",
        )
        dialog.choice("about", "Details of", self._people())
        dialog.choice("person", "Not to be shared with", self._people())
        dialog.line("details", "What", "e.g. her support and where she would go to be safe")
        dialog.para("reason", "Why")

        def check(a: dict[str, Any]) -> m.SharingRestriction:
            if a["about"] is None or a["about"] == a["person"]:
                raise ValueError("Not to be shared with: choose someone other than the person the details are about")
            if not a["reason"]:
                raise ValueError("Why: say why (it is recorded with the restriction)")
            return m.SharingRestriction(
                conference_id=self.page.s.conference_id,
                about_id=a["about"],
                person_id=a["person"],
                details=a["details"],
                reason=a["reason"],
            )

        dialog.check = check
        if dialog.exec():
            restriction = dialog.result_value
            if self.page.s.add([restriction], "not to be shared"):
                select_id(self.restrictions_view, restriction.id)

    def remove_restriction(self) -> None:
        chosen = selected_id(self.restrictions_view)
        if chosen:
            self.page.s.remove([(m.SharingRestriction, chosen)], "remove a restriction")
