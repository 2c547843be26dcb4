"""The Reports screen: choose a period, read each measure as a table with its chart, export the lot."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QSortFilterProxyModel, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
)

from chair_app.gui.dataframe_model import DataFrameModel
from chair_app.gui.tasks import TaskRunner
from chair_app.gui.theme import apply_theme

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.store.engine import Database


def _financial_year(today: date) -> tuple[date, date]:
    start_year = today.year if today.month >= 4 else today.year - 1
    return date(start_year, 4, 1), date(start_year + 1, 3, 31)


class ReportsDialog(QDialog):
    def __init__(self, db: Database, policy: Policy, parent=None, *, today: date | None = None) -> None:
        super().__init__(parent)
        self.db, self.policy = db, policy
        self.tables: dict = {}
        self.tasks = TaskRunner(self)
        self.setWindowTitle("Reports: the service's measures")
        apply_theme(self)
        first, last = _financial_year(today or date.today())
        self.start = QDateEdit(QDate(first.year, first.month, first.day))
        self.end = QDateEdit(QDate(last.year, last.month, last.day))
        for edit, name in ((self.start, "First day of the period"), (self.end, "Last day of the period")):
            edit.setDisplayFormat("dd/MM/yyyy")
            edit.setCalendarPopup(True)
            edit.setAccessibleName(name)
        self.show_button = QPushButton("&Show")
        self.show_button.setAccessibleName("Show the measures for the period")
        self.export_button = QPushButton("&Export…")
        self.export_button.setAccessibleName("Export CSV files, a workbook, charts and a PDF summary")
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Stop working out the measures")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self._generation = 0
        self.measure = QComboBox()
        self.measure.setAccessibleName("Measure")
        self.status = QLabel("Choose a period and press Show.")
        self.status.setWordWrap(True)
        self.model = DataFrameModel(parent=self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setSortRole(DataFrameModel.SortRole)
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # the measure's own row order until a click
        self.table.setAccessibleName("Measure table")
        self.chart = QLabel()
        self.chart.setAccessibleName("Measure chart")
        self.chart.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The chart is drawn to fit the room it is given: its picture never makes the dialog taller than the screen.
        self.chart.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Ignored)
        self.chart.setMinimumHeight(160)
        self._chart_picture = QPixmap()

        row = QHBoxLayout()
        row.addWidget(QLabel("From"))
        row.addWidget(self.start)
        row.addWidget(QLabel("to"))
        row.addWidget(self.end)
        row.addWidget(self.show_button)
        row.addWidget(self.cancel_button)
        row.addStretch(1)
        row.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.measure)
        layout.addWidget(self.status)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.chart, 2)
        self.fit_screen()
        self.show_button.clicked.connect(self.compute)
        self.export_button.clicked.connect(self.export)
        self.measure.currentIndexChanged.connect(self._show_measure)

    def fit_screen(self) -> None:
        """1100 by 780 pixels where the screen allows, else the screen's free area less room for a title bar."""
        screen = (self.parentWidget().screen() if self.parentWidget() else self.screen()).availableGeometry()
        self.resize(min(1100, screen.width() - 24), min(780, screen.height() - 48))

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self._draw_chart()

    def _draw_chart(self) -> None:
        if self._chart_picture.isNull():
            self.chart.clear()
            return
        room = self.chart.size()
        if not self.chart.isVisible() or room.width() < 50 or room.height() < 50:  # not laid out yet
            self.chart.setPixmap(self._chart_picture)
            return
        self.chart.setPixmap(
            self._chart_picture.scaled(
                room, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        )

    def period(self):
        from chair_app.services.reporting import Period

        return Period(self.start.date().toPython(), self.end.date().toPython())

    def compute(self) -> None:
        from chair_app.services import reporting

        period = self.period()
        if period.end < period.start:
            self.status.setText("The end of the period is before its start.")
            return
        db, policy = self.db, self.policy
        self.show_button.setEnabled(False)
        self.cancel_button.show()
        self.status.setText(f"Working out the measures for {period.label}…")
        self._generation += 1
        generation = self._generation
        self.tasks.start(
            lambda: reporting.measures(db, policy, period),
            lambda t: self._computed(period, t) if generation == self._generation else None,
            lambda exc: self._failed(exc) if generation == self._generation else None,
        )

    def cancel(self) -> None:
        """Stop waiting for the measures: the result, when it comes, is dropped."""
        self._generation += 1
        self.show_button.setEnabled(True)
        self.cancel_button.hide()
        self.status.setText("Cancelled. Choose a period and press Show.")

    def _computed(self, period, tables: dict) -> None:
        from chair_app.services.reporting import TITLES

        self.show_button.setEnabled(True)
        self.cancel_button.hide()
        self.tables = tables
        self.measure.blockSignals(True)
        self.measure.clear()
        for key in tables:
            self.measure.addItem(TITLES[key], key)
        self.measure.blockSignals(False)
        self.status.setText(f"{len(tables)} measures for {period.label}.")
        self._show_measure()

    def _failed(self, exc: Exception) -> None:
        self.show_button.setEnabled(True)
        self.cancel_button.hide()
        self.export_button.setEnabled(True)
        self.status.setText(str(exc))

    def _show_measure(self) -> None:
        from chair_app.services.reporting import chart_for

        key = self.measure.currentData()
        if key is None:
            return
        self.model.set_frame(self.tables[key])
        self.table.resizeColumnsToContents()
        draw = chart_for(key)
        self._chart_picture = QPixmap()
        if draw:
            self._chart_picture.loadFromData(draw(self.tables[key]))
        self._draw_chart()

    def export(self, folder: str | None = None) -> None:
        from pathlib import Path

        from chair_app.services import reporting

        folder = folder or QFileDialog.getExistingDirectory(self, "Export the report to a folder")
        if not folder:
            return
        db, policy, period = self.db, self.policy, self.period()
        self.export_button.setEnabled(False)
        self.status.setText("Exporting…")
        self.tasks.start(lambda: reporting.write_report(db, policy, period, Path(folder)), self._exported, self._failed)

    def _exported(self, files) -> None:
        self.export_button.setEnabled(True)
        self.status.setText(
            f"Exported {len(files.csvs)} CSV files, the workbook, charts and summary.pdf to {files.folder}."
        )
