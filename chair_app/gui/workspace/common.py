"""Small building blocks shared by the workspace's steps: tables over record models, headings, notices."""

from __future__ import annotations

import uuid

from PySide6.QtCore import QSortFilterProxyModel, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSizePolicy,
    QStyle,
    QTableView,
    QWidget,
)

from chair_app.gui.workspace.models import RecordTableModel


def table(
    model: RecordTableModel,
    name: str,
    *,
    stretch: int | None = None,
    sortable: bool = False,
    max_column: int | None = None,
) -> QTableView:
    """A read-only table of records: rows selected whole, sorted on raw values through a proxy when asked.

    ``max_column``: the widest a column grows to fit its text (pixels) before the text wraps instead.
    """
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
    header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    header.setStretchLastSection(stretch is None)
    if stretch is not None:
        header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    _fit_rows(view, max_column or MAX_COLUMN)
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


def shrinkable(combo: QComboBox, chars: int = 12) -> QComboBox:
    """A choice that takes the width it is given (down to ``chars`` characters) rather than the width of its
    longest choice, so that a long name cannot push a step wider than a small screen."""
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(chars)
    policy = combo.sizePolicy()
    policy.setHorizontalPolicy(QSizePolicy.Policy.Expanding)
    combo.setSizePolicy(policy)
    return combo


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


MAX_COLUMN = 320  # pixels: longer text wraps onto more lines rather than widening the table


def _fit_rows(view: QTableView, max_column: int = MAX_COLUMN) -> None:
    """Row heights and column widths follow the text, without measuring every row on every keystroke.

    Qt's ResizeToContents re-measures all rows whenever any cell changes; here a change to a few rows
    re-measures only those, and a new set of rows (or a new column width) is measured once, after the event.
    """
    model = view.model()
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
    rows_timer = QTimer(view, singleShot=True, interval=0)
    rows_timer.timeout.connect(view.resizeRowsToContents)
    all_timer = QTimer(view, singleShot=True, interval=0)

    def fit_all() -> None:
        header = view.horizontalHeader()
        need = 0
        for column in range(model.columnCount()):
            stretched = header.sectionResizeMode(column) == QHeaderView.ResizeMode.Stretch or (
                header.stretchLastSection() and column == model.columnCount() - 1
            )
            if not stretched:
                view.resizeColumnToContents(column)
                # Wide text wraps rather than widening the table, but the heading is never cut.
                width = max(min(header.sectionSize(column), max_column), header.sectionSizeHint(column))
                header.resizeSection(column, width)
                need += width
            else:
                need += header.sectionSizeHint(column)
        if not header.isHidden():
            # Narrow enough for a small screen, never so narrow that a column's heading is cut.
            scroll = view.verticalScrollBar().sizeHint().width()
            view.setMinimumWidth(need + 2 * view.frameWidth() + scroll)
        view.resizeRowsToContents()

    all_timer.timeout.connect(fit_all)
    for signal in (model.modelReset, model.layoutChanged, model.rowsInserted, model.rowsRemoved):
        signal.connect(all_timer.start)

    def changed(top, bottom, _roles=()) -> None:
        if bottom.row() - top.row() < 4:
            for row in range(top.row(), bottom.row() + 1):
                view.resizeRowToContents(row)
        else:
            rows_timer.start()

    model.dataChanged.connect(changed)
    view.horizontalHeader().sectionResized.connect(lambda *_: rows_timer.start())
    all_timer.start()
