"""The conference list as a Qt table model; sorted on raw values through a proxy."""

from __future__ import annotations

from datetime import time
from typing import TYPE_CHECKING

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, QSortFilterProxyModel

from chair_app.domain.dates import uk_date

if TYPE_CHECKING:  # the window shows before the store's modules are imported
    from chair_app.services.conferences import ConferenceSummary

Index = QModelIndex | QPersistentModelIndex

# Qt.ItemDataRole and Qt.Orientation values as plain numbers. Naming any of Qt's namespace enums costs about
# 23 ms the first time (PySide builds every one of them), and this model is used before the window is shown:
# with plain numbers that cost comes after the window is up (docs/performance.md).
DISPLAY_ROLE, ACCESSIBLE_TEXT_ROLE, USER_ROLE = 0, 11, 256
HORIZONTAL = 1


def _number(value) -> int:
    """An enum member Qt passes in (or a plain int) as its number."""
    return getattr(value, "value", value)


class ConferenceListModel(QAbstractTableModel):
    #: Role returning native, comparable values for sorting via the proxy.
    SortRole = USER_ROLE
    #: Role returning the conference UUID of a row.
    IdRole = USER_ROLE + 1

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

    def headerData(self, section: int, orientation, role: int = DISPLAY_ROLE):
        if _number(orientation) == HORIZONTAL and _number(role) == DISPLAY_ROLE:
            return self.HEADERS[section]
        return None

    def data(self, index: Index, role: int = DISPLAY_ROLE):
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        s = self._rows[index.row()]
        col = index.column()
        role = _number(role)
        if role in (DISPLAY_ROLE, ACCESSIBLE_TEXT_ROLE):
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
