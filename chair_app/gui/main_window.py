"""The main window: the conference list, today's and upcoming first, with search and a summary pane."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QItemSelection, Qt, QTimer
from PySide6.QtGui import QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from chair_app.domain.errors import ChairError
from chair_app.gui.list_model import ConferenceListModel, ConferenceSortProxy
from chair_app.gui.theme import apply_theme
from chair_app.rules.policy import Policy
from chair_app.services import conferences, overview
from chair_app.store.engine import Database


class MainWindow(QMainWindow):
    def __init__(self, db: Database, policy: Policy, *, demo: bool = False) -> None:
        super().__init__()
        self.db = db
        self.policy = policy
        self.setWindowTitle("Chair" + (" (demo data)" if demo else ""))
        self.setObjectName("mainWindow")
        apply_theme(self)

        self.search = QLineEdit(placeholderText="Search by family, child, reference or chair")
        self.search.setAccessibleName("Search conferences")
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=150)
        self._search_timer.timeout.connect(self.refresh)
        self.search.textChanged.connect(self._search_timer.start)

        self.model = ConferenceListModel(self)
        self.proxy = ConferenceSortProxy(self)
        self.proxy.setSourceModel(self.model)
        self.table = QTableView()
        self.table.setObjectName("conferenceList")
        self.table.setAccessibleName("Conferences")
        self.table.setModel(self.proxy)
        self.table.setSelectionBehavior(QTableView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QTableView.SelectionMode.SingleSelection)
        self.table.setSortingEnabled(False)  # rows arrive today-first; clicking a header sorts on raw values
        self.table.horizontalHeader().setSectionsClickable(True)
        self.table.horizontalHeader().sectionClicked.connect(self._sort_by)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(ConferenceListModel.HEADERS.index("Children"), QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().hide()
        self.table.setAlternatingRowColors(True)
        self.table.selectionModel().selectionChanged.connect(self._selected)

        self.summary = QPlainTextEdit(readOnly=True)
        self.summary.setObjectName("summary")
        self.summary.setAccessibleName("Conference summary")
        self.summary.setFont(QFont("DejaVu Sans Mono", 10))
        self.summary.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.summary.setPlaceholderText("Choose a conference to see its quoracy, timescales and decisions.")

        self.empty = QLabel("No conferences yet. Add the fictional demo with: chair-app demo")
        self.empty.setObjectName("emptyNote")

        left = QWidget()
        lay = QVBoxLayout(left)
        lay.setContentsMargins(12, 12, 6, 12)
        lay.addWidget(self.search)
        lay.addWidget(self.table, 1)
        lay.addWidget(self.empty)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(self.summary)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        self.setCentralWidget(split)
        self.statusBar().showMessage(f"Policy: {policy.name}")
        QShortcut(QKeySequence.StandardKey.Find, self, activated=self.search.setFocus)
        self._sort_column = -1
        self.resize(1280, 760)
        self.refresh()

    def refresh(self) -> None:
        try:
            rows = conferences.today_first(conferences.list_conferences(self.db, self.search.text()), date.today())
        except ChairError as exc:
            self.statusBar().showMessage(str(exc))
            return
        self.model.set_rows(rows)
        self.empty.setVisible(not rows and not self.search.text())
        if rows and not self.table.selectionModel().hasSelection():
            self.table.selectRow(0)

    def _sort_by(self, column: int) -> None:
        order = Qt.SortOrder.AscendingOrder
        if column == self._sort_column and self.proxy.sortOrder() == Qt.SortOrder.AscendingOrder:
            order = Qt.SortOrder.DescendingOrder
        self._sort_column = column
        self.proxy.sort(column, order)
        self.table.horizontalHeader().setSortIndicatorShown(True)
        self.table.horizontalHeader().setSortIndicator(column, order)

    def _selected(self, selected: QItemSelection, _deselected: QItemSelection) -> None:
        indexes = selected.indexes()
        if not indexes:
            self.summary.clear()
            return
        ref = indexes[0].data(ConferenceListModel.IdRole)
        try:
            ov = overview.conference_overview(self.db, ref, self.policy, date.today())
        except ChairError as exc:
            self.summary.setPlainText(str(exc))
            return
        self.summary.setPlainText("\n".join(overview.overview_lines(ov)))
