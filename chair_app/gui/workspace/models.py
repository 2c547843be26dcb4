"""One table model for every list of records the workspace shows (children, invitees, map parts, actions...).

Each model reads its rows from the edit session's in-memory copy through ``rows()``, shows them through a
list of columns, and sorts on raw values through ``SortRole`` (a proxy sorts, the model never does).
``refresh()`` keeps the rows the view already has when only their contents changed, so a selection and an
open editor survive typing.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from chair_app.domain import model as m

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Column:
    header: str
    display: Callable[[Any], str]
    sort: Callable[[Any], Any] | None = None  # raw value for sorting; the display text when None
    tooltip: Callable[[Any], str] | None = None


class RecordTableModel(QAbstractTableModel):
    IdRole = Qt.ItemDataRole.UserRole
    SortRole = Qt.ItemDataRole.UserRole + 1

    def __init__(self, columns: list[Column], rows: Callable[[], list[m.Record]], parent=None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._rows_fn = rows
        self._rows: list[m.Record] = []

    def refresh(self, record_id: uuid.UUID | None = None) -> None:
        """Read the rows again. ``record_id``: only that record's fields changed, so only its row is repainted."""
        new = list(self._rows_fn())
        if [r.id for r in new] == [r.id for r in self._rows]:
            self._rows = new
            row = self.row_of(record_id) if record_id is not None else -1
            first, last = (row, row) if row >= 0 else (0, len(new) - 1)
            if new:
                self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.columns) - 1))
            return
        self.beginResetModel()
        self._rows = new
        self.endResetModel()

    def record_at(self, row: int) -> m.Record | None:
        return self._rows[row] if 0 <= row < len(self._rows) else None

    def row_of(self, record_id: uuid.UUID) -> int:
        return next((i for i, r in enumerate(self._rows) if r.id == record_id), -1)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008 - Qt signature
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole):
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            if 0 <= section < len(self.columns):
                return self.columns[section].header
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        if not 0 <= index.column() < len(self.columns):
            return None
        record, column = self._rows[index.row()], self.columns[index.column()]
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.AccessibleTextRole):
            return column.display(record)
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip:
            return column.tooltip(record)
        if role == self.SortRole:
            return column.sort(record) if column.sort else column.display(record)
        if role == self.IdRole:
            return str(record.id)
        return None
