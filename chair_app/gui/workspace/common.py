"""Small building blocks shared by the workspace's steps: tables over record models, headings, notices."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QSortFilterProxyModel, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QStyle,
    QTableView,
    QWidget,
)

from chair_app.gui.workspace.models import RecordTableModel


def table(model: RecordTableModel, name: str, *, stretch: int | None = None, sortable: bool = False) -> QTableView:
    """A read-only table of records: rows selected whole, sorted on raw values through a proxy when asked."""
    view = QTableView()
    view.setObjectName(name.replace(" ", "_").lower())
    view.setAccessibleName(name)
    if sortable:
        proxy = QSortFilterProxyModel(view)
        proxy.setSortRole(RecordTableModel.SortRole)
        proxy.setSourceModel(model)
        view.setModel(proxy)
        view.setSortingEnabled(True)
        view.sortByColumn(-1, Qt.SortOrder.AscendingOrder)
    else:
        view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.verticalHeader().hide()
    view.setWordWrap(True)
    view.setAlternatingRowColors(True)
    header = view.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.setTabKeyNavigation(False)
    return view


def selected_id(view: QTableView) -> uuid.UUID | None:
    rows = view.selectionModel().selectedRows() if view.selectionModel() else []
    if not rows:
        return None
    value = rows[0].data(RecordTableModel.IdRole)
    return uuid.UUID(value) if value else None


def select_id(view: QTableView, record_id: uuid.UUID | None) -> None:
    model = view.model()
    for row in range(model.rowCount()):
        if model.index(row, 0).data(RecordTableModel.IdRole) == str(record_id):
            view.selectRow(row)
            view.scrollTo(model.index(row, 0))
            return
    view.clearSelection()


def heading(text: str, level: int = 2) -> QLabel:
    label = QLabel(text)
    label.setObjectName("heading" if level == 2 else "subheading")
    label.setWordWrap(True)
    return label


def button(text: str, tip: str, slot, name: str | None = None) -> QPushButton:
    b = QPushButton(text)
    b.setToolTip(tip)
    b.setAccessibleName(name or text.replace("&", "").rstrip("…."))
    b.clicked.connect(slot)
    return b


class Notice(QFrame):
    """An icon and words (never colour alone): information, a warning, or all is well."""

    ICONS = {
        "ok": QStyle.StandardPixmap.SP_DialogApplyButton,
        "warning": QStyle.StandardPixmap.SP_MessageBoxWarning,
        "info": QStyle.StandardPixmap.SP_MessageBoxInformation,
        "stop": QStyle.StandardPixmap.SP_MessageBoxCritical,
    }

    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("notice")
        self.setAccessibleName(name)
        self.icon = QLabel()
        self.icon.setFixedSize(28, 28)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.text.setTextFormat(Qt.TextFormat.PlainText)
        lay = QHBoxLayout(self)
        lay.setContentsMargins(10, 8, 10, 8)
        lay.addWidget(self.icon, 0, Qt.AlignmentFlag.AlignTop)
        lay.addWidget(self.text, 1)
        self.kind = ""

    def say(self, kind: str, text: str) -> None:
        self.kind = kind
        self.setProperty("kind", kind)
        self.style().unpolish(self)
        self.style().polish(self)
        self.icon.setPixmap(self.style().standardIcon(self.ICONS[kind]).pixmap(24, 24))
        self.text.setText(text)
        self.setAccessibleDescription(text)
        self.setVisible(bool(text))
