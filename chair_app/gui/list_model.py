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
        """Show these rows. Rows kept from before keep their place in the view's selection: the list read
        again after a colleague's change (gui/changes.py) or a narrowed search leaves the chosen conference
        chosen. Rows gone are removed and new ones inserted in a few runs; when the change is too scattered
        for that to be cheap (a different search), the model is reset instead."""
        rows = list(rows)
        if not self._rows or not rows or not self._update_in_place(rows):
            self.beginResetModel()
            self._rows = rows
            self.endResetModel()

    MAX_RUNS = 32  # removals or insertions in more runs than this: reset instead (each run re-maps the proxy)

    def _update_in_place(self, rows: list[ConferenceSummary]) -> bool:
        new_ids = {r.id for r in rows}
        gone = [i for i, r in enumerate(self._rows) if r.id not in new_ids]
        old_ids = {r.id for r in self._rows}
        added = [r for r in rows if r.id not in old_ids]
        runs = _runs(gone)
        if len(runs) > self.MAX_RUNS or len(self._rows) - len(gone) == 0:
            return False
        for first, last in reversed(runs):
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._rows[first : last + 1]
            self.endRemoveRows()
        if added:
            self.beginInsertRows(QModelIndex(), len(self._rows), len(self._rows) + len(added) - 1)
            self._rows.extend(added)
            self.endInsertRows()
        # Now the same conferences: put them in the new order (persistent indexes follow) with the new values.
        old = {r.id: r for r in self._rows}
        changed = [i for i, r in enumerate(rows) if old[r.id] != r]
        position = {r.id: i for i, r in enumerate(rows)}
        if [r.id for r in self._rows] != [r.id for r in rows]:
            self.layoutAboutToBeChanged.emit()
            before = self.persistentIndexList()
            after = [self.index(position[self._rows[i.row()].id], i.column()) for i in before]
            self._rows = rows
            self.changePersistentIndexList(before, after)
            self.layoutChanged.emit()
        else:
            self._rows = rows
        for first, last in _runs(changed):
            self.dataChanged.emit(self.index(first, 0), self.index(last, len(self.HEADERS) - 1))
        return True

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
                # Issue 13: sorted by family, the list is grouped by family, each family's meetings in date order.
                f"{s.family.casefold()}\t{s.held_on.toordinal():07d}",
                ", ".join(s.children).casefold(),
                s.chair.casefold(),
                s.record_status.value,
            )[col]
        if role == self.IdRole:
            return str(s.id)
        return None


def _runs(indexes: list[int]) -> list[tuple[int, int]]:
    """Sorted row numbers as (first, last) runs of consecutive rows."""
    runs: list[tuple[int, int]] = []
    for i in indexes:
        if runs and runs[-1][1] == i - 1:
            runs[-1] = (runs[-1][0], i)
        else:
            runs.append((i, i))
    return runs


class ConferenceSortProxy(QSortFilterProxyModel):
    def __init__(self, parent=None) -> None:
        super().__init__(parent)
        self.setSortRole(ConferenceListModel.SortRole)
