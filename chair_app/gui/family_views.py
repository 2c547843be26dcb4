"""A chair's caseload and a family's timeline (issue 13, Build 1 and 6): two read-only views, Qt Designer forms
(ui/caseload.ui, ui/family_timeline.ui) loaded with QUiLoader; the services read, this module fills the tables.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from chair_app.domain.dates import uk_date
from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database


def _fill(table: QTableWidget, rows: list[tuple[str, ...]], stretch: int) -> None:
    table.setRowCount(len(rows))
    for r, values in enumerate(rows):
        for c, value in enumerate(values):
            table.setItem(r, c, QTableWidgetItem(value))
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def _form(dialog: QDialog, name: str):
    from chair_app.gui.workspace.create_dialog import load_form

    form = load_form(UI / name, dialog)
    QVBoxLayout(dialog).addWidget(form)
    buttons = form.findChild(QDialogButtonBox, "buttons")
    buttons.rejected.connect(dialog.reject)
    return form


class CaseloadDialog(QDialog):
    def __init__(self, db: Database, policy: Policy, chair: str = "", parent=None) -> None:
        super().__init__(parent)
        self.db, self.policy = db, policy
        self.setWindowTitle("Caseload")
        self.setObjectName("caseload")
        apply_theme(self)
        form = _form(self, "caseload.ui")
        self.chair = form.findChild(QLineEdit, "chair")
        self.chair.setText(chair)
        self.chair.returnPressed.connect(self.show_caseload)
        form.findChild(QPushButton, "show_button").clicked.connect(self.show_caseload)
        self.families = form.findChild(QTableWidget, "families")
        self.message = form.findChild(QLabel, "message")
        self.rows = []
        self.resize(980, 520)
        if chair:
            self.show_caseload()

    def show_caseload(self) -> None:
        from chair_app.services.continuity import caseload

        try:
            self.rows = caseload(self.db, self.chair.text(), self.policy)
        except ChairError as exc:
            self.message.setText(str(exc))
            return
        _fill(
            self.families,
            [
                (
                    r.family,
                    ", ".join(r.children),
                    uk_date(r.plan_started),
                    str(r.months_open),
                    uk_date(r.next_review, "not set"),
                    r.prompt,
                )
                for r in self.rows
            ],
            stretch=5,
        )
        n = len(self.rows)
        self.message.setText(
            f"{n} famil{'ies' if n != 1 else 'y'} on a plan." if n else "No family on a plan has this chair."
        )


class FamilyTimelineDialog(QDialog):
    def __init__(self, db: Database, policy: Policy, ref: str, parent=None) -> None:
        super().__init__(parent)
        from chair_app.services.register import family_timeline

        self.setWindowTitle("Family timeline")
        self.setObjectName("familyTimeline")
        apply_theme(self)
        form = _form(self, "family_timeline.ui")
        family, self.entries = family_timeline(db, ref, policy)
        form.findChild(QLabel, "family").setText(f"<b>{family}</b>: conferences, plans and core groups, oldest first")
        self.timeline = form.findChild(QTableWidget, "timeline")
        _fill(self.timeline, [(uk_date(e.on), e.ref, e.what) for e in self.entries], stretch=2)
        self.resize(860, 520)


def add_family_views(window, menu) -> None:
    """Conference > Family timeline… (the chosen conference's family) and Caseload… (the chosen one's chair)."""
    from PySide6.QtGui import QAction

    timeline = QAction("&Family timeline…", window)
    timeline.setObjectName("familyTimelineAction")
    timeline.triggered.connect(lambda _checked=False: open_timeline(window))
    menu.addAction(timeline)
    window.family_timeline_action = timeline
    load = QAction("Case&load…", window)
    load.setObjectName("caseloadAction")
    load.triggered.connect(lambda _checked=False: open_caseload(window))
    menu.addAction(load)
    window.caseload_action = load


def open_timeline(window) -> None:
    from chair_app.gui.continuity_dialog import chosen_family_ref

    ref = chosen_family_ref(window)
    if ref is None:
        return
    window.timeline_dialog = FamilyTimelineDialog(window.db, window.policy, ref, window)
    window.timeline_dialog.show()


def open_caseload(window) -> None:
    if window.db is None:
        return
    chair = window.session.bundle.conference.chair if window.in_workspace() else ""
    window.caseload_dialog = CaseloadDialog(window.db, window.policy, chair, window)
    window.caseload_dialog.show()
