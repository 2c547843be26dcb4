"""The Reports screen: tables over DataFrames, charts, export."""

from __future__ import annotations

from datetime import date

import pandas as pd

from chair_app.gui.dataframe_model import DataFrameModel
from chair_app.gui.reports_dialog import ReportsDialog
from chair_app.services import conferences
from chair_app.services.demo import build_demo


def test_dataframe_model_passes_the_model_tester(qtmodeltester):
    model = DataFrameModel(pd.DataFrame({"measure": ["a", "b"], "count": [3, 1], "percent": [75.0, float("nan")]}))
    qtmodeltester.check(model)
    assert model.index(1, 2).data() == "" and model.index(0, 2).data() == "75.0"


def test_show_every_measure_and_export(qtbot, sqlite_db, policy, tmp_path):
    conferences.add_conference(sqlite_db, build_demo(policy, date(2026, 11, 23)))
    dialog = ReportsDialog(sqlite_db, policy, today=date(2026, 11, 23))
    qtbot.addWidget(dialog)
    assert dialog.start.date().toPython() == date(2026, 4, 1)  # the financial year, as the reports use
    dialog.compute()
    qtbot.waitUntil(lambda: dialog.measure.count() == 14, timeout=20000)
    assert dialog.model.rowCount() == 4 and dialog.chart.pixmap().isNull()  # timeliness (and first core groups)
    dialog.measure.setCurrentIndex([dialog.measure.itemData(i) for i in range(14)].index("09_participation"))
    assert not dialog.chart.pixmap().isNull()
    assert any(dialog.model.index(r, 0).data() == "PN5" for r in range(dialog.model.rowCount()))
    dialog.export(str(tmp_path / "out"))
    qtbot.waitUntil(lambda: "Exported 14 CSV files" in dialog.status.text(), timeout=30000)
    assert (tmp_path / "out" / "summary.pdf").exists()


def test_working_out_the_measures_can_be_cancelled(qtbot, sqlite_db, policy):
    conferences.add_conference(sqlite_db, build_demo(policy, date(2026, 11, 23)))
    dialog = ReportsDialog(sqlite_db, policy, today=date(2026, 11, 23))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.compute()
    assert dialog.cancel_button.isVisible() and not dialog.show_button.isEnabled()
    dialog.cancel_button.click()
    assert dialog.show_button.isEnabled() and dialog.status.text().startswith("Cancelled.")
    qtbot.waitUntil(lambda: not dialog.tasks.busy(), timeout=20000)
    assert dialog.measure.count() == 0  # the result that came later was dropped
