"""Conference > Convene review… and Rearrange…: the next meeting from the last one (issue 13).

The form is a Qt Designer file, ui/next_meeting.ui, loaded with QUiLoader; this module keeps the behaviour.
Both act on the conference chosen in the list (or open in the workspace) and call services/continuity.py,
which makes the new conference with the same family, children, invitees and chair, linked to the one before.
A refusal is shown in the form as the service's one line, and nothing is stored; on success the window opens
the new conference at its Before step.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
)

from chair_app.domain.errors import ChairError
from chair_app.gui.theme import apply_theme
from chair_app.paths import UI

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database

CONVENE, REARRANGE = "convene", "rearrange"
WORDS = {
    CONVENE: (
        "Convene review",
        "&Convene review",
        "The review after this conference, for the children on a plan, with the same family, invitees and "
        "chair. Leave the date empty for the review date set at the conference (or the date the review is due "
        "by, if that is sooner).",
    ),
    REARRANGE: (
        "Rearrange",
        "&Rearrange",
        "The same conference on a new date, with the same family, children, invitees and chair. The stood-down "
        "meeting stays as its history. An initial conference stood down as not quorate is re-convened.",
    ),
}


class NextMeetingDialog(QDialog):
    def __init__(self, db: Database, policy: Policy, ref: str, action: str, who: str, parent=None) -> None:
        super().__init__(parent)
        from chair_app.gui.workspace.create_dialog import load_form

        self.db, self.policy, self.ref, self.action, self.who = db, policy, ref, action, who
        self.created = None
        title, button, explanation = WORDS[action]
        self.setWindowTitle(title)
        self.setObjectName("nextMeeting")
        apply_theme(self)
        form = load_form(UI / "next_meeting.ui", self)
        self.form = form
        QVBoxLayout(self).addWidget(form)
        form.findChild(QLabel, "explanation").setText(explanation)
        self.held_on = form.findChild(QLineEdit, "held_on")
        self.message = form.findChild(QLabel, "message")
        self.message.setObjectName("formMessage")
        self.message.hide()
        buttons = form.findChild(QDialogButtonBox, "buttons")
        self.ok_button = buttons.addButton(button, QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.make)
        buttons.rejected.connect(self.reject)
        self.resize(560, 220)

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def make(self) -> None:
        from chair_app.gui.workspace.fields import parse_date
        from chair_app.services import continuity

        try:
            held_on = parse_date(self.held_on.text())
            if self.action == REARRANGE:
                if held_on is None:
                    self.refuse("Date: give the new date, dd/mm/yyyy")
                    return
                self.created = continuity.rearrange(self.db, self.ref, held_on, self.policy, who=self.who)
            else:
                self.created = continuity.convene_review(self.db, self.ref, self.policy, who=self.who, held_on=held_on)
        except ChairError as exc:
            # The service's line names the command line's option; here the field is the form's Date.
            self.refuse(str(exc).replace("--date:", "Date:").replace("REF: ", ""))
            return
        self.accept()


class CoreGroupDialog(QDialog):
    """Record a core group on the review it reports to: date, who came, progress per action, concerns."""

    def __init__(self, db: Database, policy: Policy, ref: str, who: str, parent=None) -> None:
        super().__init__(parent)
        from PySide6.QtCore import Qt

        from chair_app.domain.model import PROGRESS
        from chair_app.gui.workspace.create_dialog import load_form
        from chair_app.services import conferences
        from chair_app.services.core_groups import plan_actions

        self.db, self.policy, self.ref, self.who = db, policy, ref, who
        self.created = None
        bundle = conferences.load(db, ref)
        self.plan = plan_actions(bundle)
        self.setWindowTitle("Record a core group")
        self.setObjectName("coreGroup")
        apply_theme(self)
        form = load_form(UI / "core_group.ui", self)
        self.form = form
        QVBoxLayout(self).addWidget(form)
        c = bundle.conference
        form.findChild(QLabel, "explanation").setText(
            f"A core group of the {bundle.family.name}'s plan, reported to the {c.kind.label.lower()} "
            f"on {c.held_on:%d/%m/%Y} ({c.ref})."
        )
        self.held_on = form.findChild(QLineEdit, "held_on")
        self.came = form.findChild(QPlainTextEdit, "came")
        self.concerns = form.findChild(QPlainTextEdit, "concerns")
        self.actions = form.findChild(QTableWidget, "actions")
        self.actions.setRowCount(len(self.plan))
        self.progress_boxes: list[QComboBox] = []
        for row, action in enumerate(self.plan):
            what = QTableWidgetItem(action.what)
            what.setFlags(what.flags() & ~Qt.ItemFlag.ItemIsEditable)
            self.actions.setItem(row, 0, what)
            box = QComboBox()
            box.setAccessibleName(f"Progress: {action.what}")
            box.addItem("Not discussed", "")
            for key, words in PROGRESS.items():
                box.addItem(words, key)
            self.actions.setCellWidget(row, 1, box)
            self.progress_boxes.append(box)
            self.actions.setItem(row, 2, QTableWidgetItem(""))
        header = self.actions.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.actions.verticalHeader().hide()
        self.message = form.findChild(QLabel, "message")
        self.message.setObjectName("formMessage")
        self.message.hide()
        buttons = form.findChild(QDialogButtonBox, "buttons")
        buttons.addButton("&Record core group", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.accepted.connect(self.record)
        buttons.rejected.connect(self.reject)
        self.resize(760, 560)

    def refuse(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    def record(self) -> None:
        from chair_app.gui.workspace.fields import parse_date
        from chair_app.services.core_groups import ActionProgress, record_core_group

        try:
            held_on = parse_date(self.held_on.text())
            if held_on is None:
                self.refuse("Date: give the date the core group met, dd/mm/yyyy")
                return
            progress = [
                ActionProgress(
                    action.id, box.currentData() or "", (self.actions.item(row, 2) or QTableWidgetItem()).text()
                )
                for row, (action, box) in enumerate(zip(self.plan, self.progress_boxes, strict=True))
            ]
            self.created = record_core_group(
                self.db,
                self.ref,
                held_on,
                self.policy,
                who_came=self.came.toPlainText(),
                concerns=self.concerns.toPlainText(),
                progress=progress,
                who=self.who,
            )
        except ChairError as exc:
            self.refuse(str(exc).replace("REF: ", ""))
            return
        self.accept()


def record_core_group_action(window) -> None:
    """Conference > Record core group…: on the chosen review; the workspace, if it shows it, reads it again."""
    if window.db is None or window.policy is None:
        return
    ref = chosen_ref(window)
    if ref is None:
        window.statusBar().showMessage("Choose the review the core group reports to in the list first.")
        return
    dialog = CoreGroupDialog(window.db, window.policy, ref, window.who(), window)
    window.core_group_dialog = dialog
    if dialog.exec() and dialog.created is not None:
        window.statusBar().showMessage(f"Core group of {dialog.created.held_on:%d/%m/%Y} recorded")
        if window.in_workspace():
            window.session.reload()


def add_continuity_menu(window) -> None:
    """Give the window its Conference menu: Convene review…, Rearrange…, Record core group…, the family views and
    Merge family records…"""
    from chair_app.gui.menus import menu_named

    menu = menu_named(window, "&Conference")
    for action_key in (CONVENE, REARRANGE):  # no shortcuts: the workspace's steps use Ctrl+Shift+letters
        title = WORDS[action_key][0]
        action = QAction(f"{title}…", window)
        action.setObjectName(f"{action_key}Action")
        action.setStatusTip(WORDS[action_key][2].split(". ")[0])
        action.triggered.connect(lambda _checked=False, k=action_key: next_meeting(window, k))
        menu.addAction(action)
        setattr(window, f"{action_key}_action", action)
    action = QAction("Record core &group…", window)
    action.setObjectName("coreGroupAction")
    action.setStatusTip("A core group meeting: when, who came, progress against each action, concerns")
    action.triggered.connect(lambda _checked=False: record_core_group_action(window))
    menu.addAction(action)
    window.core_group_action = action
    menu.addSeparator()
    from chair_app.gui.family_views import add_family_views

    add_family_views(window, menu)
    from chair_app.gui.family_merge import add_family_merge_action

    add_family_merge_action(window, menu)
    from chair_app.gui.child_merge import add_child_merge_action

    add_child_merge_action(window, menu)


def chosen_ref(window) -> str | None:
    if window.in_workspace():
        return str(window.session.bundle.conference.id)
    return window.selected_id()


def chosen_family_ref(window) -> str | None:
    """The conference whose family a family action is for; None (saying so in the status bar) when none is chosen."""
    ref = chosen_ref(window) if window.db is not None else None
    if ref is None:
        window.statusBar().showMessage("Choose a conference of the family in the list first.")
    return ref


def next_meeting(window, action: str) -> None:
    """Ask for the date, make the meeting, and open it in the workspace."""
    if window.db is None or window.policy is None:
        return
    ref = chosen_ref(window)
    if ref is None:
        window.statusBar().showMessage("Choose a conference in the list first.")
        return
    dialog = NextMeetingDialog(window.db, window.policy, ref, action, window.who(), window)
    window.next_meeting_dialog = dialog
    if dialog.exec() and dialog.created is not None:
        c = dialog.created.conference
        window.statusBar().showMessage(f"{c.ref}: {c.kind.label}, {c.held_on:%d/%m/%Y}")
        window._show_workspace(dialog.created, "before")
