"""The clerk's queue window (issue 14): the form is ui/clerk_queue.ui; this module keeps the behaviour.

Conferences by stage with what is due and by when, overdue first (services/queue.py), the chosen one's
documents and who has not had them yet, and recording how a document went out (services/distribution.py).
Read on a worker thread; a refusal is shown in the window's message line and changes nothing.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from chair_app.domain.dates import uk_date
from chair_app.domain.errors import ChairError
from chair_app.gui.tasks import TaskRunner
from chair_app.gui.theme import apply_theme
from chair_app.gui.workspace.create_dialog import load_form
from chair_app.paths import UI
from chair_app.rules.distribution import KIND_WORDS, Method, Stage

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database

COLUMNS = ("Reference", "Held", "Family", "Stage", "Next due", "")
DOCUMENTS = (("record", "Conference record"), ("plan", "Child protection plan"), ("letter", "Decision letter"))
METHODS = (("secure-email", Method.SECURE_EMAIL), ("post", Method.POST), ("meeting", Method.MEETING))


class ClerkQueueDialog(QDialog):
    def __init__(self, db: Database, policy: Policy, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.db, self.policy = db, policy
        self.today = today or date.today()
        self.items: list = []
        self.tasks = TaskRunner(self)
        self.setWindowTitle("Clerk's queue: to type up, to sign off, to send out")
        self.setObjectName("clerkQueue")
        apply_theme(self)
        form = load_form(UI / "clerk_queue.ui", self)
        QVBoxLayout(self).addWidget(form)
        self.stage: QComboBox = form.findChild(QComboBox, "stage")
        self.summary: QLabel = form.findChild(QLabel, "summary")
        self.table: QTableWidget = form.findChild(QTableWidget, "queue")
        self.detail: QLabel = form.findChild(QLabel, "detail")
        self.document: QComboBox = form.findChild(QComboBox, "document")
        self.method: QComboBox = form.findChild(QComboBox, "method")
        self.sent_on: QDateEdit = form.findChild(QDateEdit, "sent_on")
        self.send: QPushButton = form.findChild(QPushButton, "send")
        self.message: QLabel = form.findChild(QLabel, "message")
        self.send_box: QWidget = form.findChild(QWidget, "send_box")
        self.stage.addItem("Every stage", None)
        for stage in Stage:
            self.stage.addItem(stage.value[0].upper() + stage.value[1:], stage)
        for key, label in DOCUMENTS:
            self.document.addItem(label, key)
        for key, method in METHODS:
            self.method.addItem(method.value[0].upper() + method.value[1:], key)
        self.sent_on.setDate(QDate(self.today.year, self.today.month, self.today.day))
        self.table.setColumnCount(len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.verticalHeader().hide()
        self.stage.currentIndexChanged.connect(self._fill)
        self.table.itemSelectionChanged.connect(self._chosen)
        self.send.clicked.connect(self.record_sent)
        from chair_app.gui.signin import may

        self.send_box.setVisible(may(db, "record_distribution"))  # a manager reads the queue, a clerk works it
        self.resize(960, 620)
        self.refresh()

    def refresh(self) -> None:
        from chair_app.services.queue import clerk_queue

        db, policy, today = self.db, self.policy, self.today
        self.tasks.start(lambda: clerk_queue(db, policy, today), self._arrived, self._failed)

    def _arrived(self, items) -> None:
        self.items = items
        overdue = sum(1 for i in items if i.overdue(self.today))
        self.summary.setText(f"{overdue} overdue of {len(items)}" if items else "Nothing to do")
        self._fill()

    def _failed(self, exc: Exception) -> None:
        self.message.setText(
            str(exc) if isinstance(exc, ChairError) else f"Could not read the queue ({type(exc).__name__})"
        )

    def shown(self) -> list:
        chosen = self.stage.currentData()
        return [i for i in self.items if chosen is None or i.stage == chosen]  # (Qt hands back the text)

    def _fill(self) -> None:
        rows = self.shown()
        self.table.setRowCount(len(rows))
        for r, item in enumerate(rows):
            nxt = item.next_due()
            due = "all sent" if nxt is None else f"{nxt.words} by {uk_date(nxt.due_on)}"
            late = "Overdue" if nxt is not None and nxt.overdue(self.today) else ""
            values = (item.ref, uk_date(item.held_on), item.family, item.stage.value, due, late)
            for c, text in enumerate(values):
                self.table.setItem(r, c, QTableWidgetItem(text))
        if rows:
            self.table.selectRow(0)
        self._chosen()  # also when the same row stays chosen (no selection signal): its figures are new

    def current(self):
        rows = self.table.selectionModel().selectedRows()
        shown = self.shown()
        return shown[rows[0].row()] if rows and rows[0].row() < len(shown) else None

    def _chosen(self) -> None:
        item = self.current()
        if item is None:
            self.detail.setText("")
            return
        lines = []
        for d in item.dues:
            state = f"sent {uk_date(d.sent_on)}" if d.sent_on else "not sent"
            late = " (late)" if d.late() else " (overdue)" if d.overdue(self.today) else ""
            waiting = item.missing.get(d.kind, ())
            who = f"; not yet to {', '.join(waiting)}" if waiting and not d.sent_on else ""
            lines.append(f"{KIND_WORDS[d.kind].capitalize()}: due {uk_date(d.due_on)}, {state}{late}{who}")
        self.detail.setText(f"{item.ref}, {item.family}, held {uk_date(item.held_on)}\n" + "\n".join(lines))

    def record_sent(self) -> None:
        from chair_app.services.distribution import record_distribution

        item = self.current()
        if item is None:
            self.message.setText("Choose a conference in the queue first")
            return
        q = self.sent_on.date()
        on = date(q.year(), q.month(), q.day())
        try:
            names = record_distribution(
                self.db,
                item.ref,
                self.policy,
                kind=self.document.currentData(),
                method=self.method.currentData(),
                on=on,
                today=self.today,
            )
        except ChairError as exc:
            self.message.setText(str(exc))
            return
        self.message.setText(
            f"Noted: {self.document.currentText().lower()} sent on {uk_date(on)} to {'; '.join(names)}"
        )
        self.refresh()
