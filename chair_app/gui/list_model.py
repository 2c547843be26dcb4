"""The conference list as a Qt table model; sorted on raw values through a proxy."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel, Qt

from chair_app.domain.dates import uk_date

if TYPE_CHECKING:  # the window shows before the store's modules are imported
    from chair_app.services.conferences import ConferenceSummary

Index = QModelIndex | QPersistentModelIndex


class ConferenceListModel(QAbstractTableModel):
    #: Role returning native, comparable values for sorting via the proxy.
    SortRole = Qt.ItemDataRole.UserRole
    #: Role returning the conference UUID of a row.
    IdRole = Qt.ItemDataRole.UserRole + 1

    HEADERS = ("Ref", "Date", "Time", "Meeting", "Family", "Children", "Chair", "Record")

    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self._rows: list[ConferenceSummary] = []

    def set_rows(self, rows: list[ConferenceSummary]) -> None:
        self.beginResetModel()
        self._rows = list(rows)
        self.endResetModel()

    def append_rows(self, rows: list[ConferenceSummary]) -> None:
        if not rows:
            return
        self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(rows) - 1)
        self._rows.extend(rows)
        self.endInsertRows()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.HEADERS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        col = index.column()
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return (
                s.ref,
                uk_date(s.held_on),
                s.start_time.strftime("%H:%M") if s.start_time else "",
                s.kind.short_label,
                s.family,
                ", ".join(s.children),
                s.chair,
                s.record_status.value.replace("_", " ").capitalize(),
            )[col]
        if role == self.SortRole:
            return (
                s.ref,
                s.held_on.toordinal(),
                (s.start_time or time.min).isoformat(),
                s.kind.label,
                s.family.casefold(),
                ", ".join(s.children).casefold(),
                s.chair.casefold(),
                s.record_status.value,
            )[col]
        if role == self.IdRole:
            return str(s.id)
        return None


class ConferenceSortProxy(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(ConferenceListModel.SortRole)
