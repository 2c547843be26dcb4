"""Previewing, printing and saving documents from the window (offscreen; printing to a PDF file)."""

from __future__ import annotations

from datetime import date

from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from chair_app.domain.enums import DocumentKind
from chair_app.gui.documents_dialog import DocumentsDialog
from chair_app.gui.main_window import MainWindow
from chair_app.gui.printing import print_raster
from chair_app.services import conferences, documents
from chair_app.services.demo import build_demo


def test_preview_and_print_alone_record_nothing_a_save_is_recorded_as_saved(
    qtbot, sqlite_db, policy, tmp_path, monkeypatch
):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, date(2026, 11, 23)))
    dialog = DocumentsDialog(sqlite_db, policy, bundle.conference.ref, "Hayes family")
    qtbot.addWidget(dialog)
    dialog.produce("preview")
    qtbot.waitUntil(lambda: dialog.produced is not None and dialog.pdf.pageCount() > 0, timeout=20000)
    assert "copies" in dialog.status.text()
    assert conferences.load(sqlite_db, bundle.conference.ref).documents == []  # a preview is not recorded

    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "printed.pdf"))
    assert print_raster(dialog.produced.pdf, printer) == dialog.pdf.pageCount()  # the image path still works
    assert len(PdfReader(tmp_path / "printed.pdf").pages) == dialog.pdf.pageCount()
    assert conferences.load(sqlite_db, bundle.conference.ref).documents == []  # printing alone records nothing

    from PySide6.QtWidgets import QFileDialog

    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *_a, **_k: (str(tmp_path / "plan.pdf"), ""))
    dialog.choice.setCurrentIndex([k for k, _l, _f in documents.CHOICES].index("plan"))  # starts a preview
    dialog.produce("save")  # supersedes the preview
    qtbot.waitUntil(lambda: dialog.done_purpose == "save", timeout=20000)
    qtbot.waitUntil(lambda: not dialog.tasks.busy(), timeout=20000)
    records = conferences.load(sqlite_db, bundle.conference.ref).documents
    assert [(d.kind, d.method) for d in records] == [(DocumentKind.CP_PLAN, "saved")]
    assert (tmp_path / "plan.pdf").read_bytes() == dialog.produced.pdf


def test_a_refusal_is_shown_in_words(qtbot, sqlite_db, policy):
    bundle = build_demo(policy, date(2026, 11, 23))
    bundle.decisions = []
    conferences.add_conference(sqlite_db, bundle)
    dialog = DocumentsDialog(sqlite_db, policy, bundle.conference.ref, "Hayes family")
    qtbot.addWidget(dialog)
    dialog.choice.setCurrentIndex([k for k, _l, _f in documents.CHOICES].index("plan"))
    qtbot.waitUntil(lambda: "no child has a child protection plan" in dialog.status.text(), timeout=20000)
    assert dialog.preview_button.isEnabled()


def test_the_window_opens_documents_for_the_selected_conference(qtbot, sqlite_db, policy):
    conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    window = MainWindow(lambda: (sqlite_db, policy))
    qtbot.addWidget(window)
    window.show()
    qtbot.waitUntil(window.documents_button.isEnabled)
    window.open_documents()
    qtbot.waitUntil(lambda: window.documents.produced is not None, timeout=20000)
    window.documents.close()


def test_printing_runs_off_the_ui_thread_with_progress_and_can_be_cancelled(qtbot, sqlite_db, policy, monkeypatch):
    from chair_app.gui import printing

    monkeypatch.setattr(printing, "cups_queue", lambda _printer: "")  # the image path, as without CUPS
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    dialog = DocumentsDialog(sqlite_db, policy, bundle.conference.ref, "Hayes family", None)
    qtbot.addWidget(dialog)
    dialog.produce("preview")
    qtbot.waitUntil(lambda: dialog.produced is not None and not dialog.tasks.busy(), timeout=30_000)

    with qtbot.waitSignal(dialog.sig_printed, timeout=60_000) as sent:
        dialog.print_to(dialog.produced, QPrinter(QPrinter.PrinterMode.HighResolution))
        assert not dialog.preview_button.isEnabled()  # the window stays responsive but busy controls wait
        dialog.printing[1].canceled.emit()  # what its Cancel button sends
    assert sent.args == [0]
    assert dialog.status.text() == "Printing cancelled: nothing was recorded."
    assert conferences.load(sqlite_db, bundle.conference.ref).documents == []


def test_preparing_a_document_can_be_cancelled(qtbot, sqlite_db, policy):
    bundle = conferences.add_conference(sqlite_db, build_demo(policy, date.today()))
    dialog = DocumentsDialog(sqlite_db, policy, bundle.conference.ref, "Hayes family", None)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.produce("preview")
    assert dialog.cancel_button.isVisible()
    dialog.cancel_button.click()
    assert dialog.preview_button.isEnabled() and dialog.status.text().startswith("Cancelled.")
    qtbot.waitUntil(lambda: not dialog.tasks.busy(), timeout=30_000)
    assert dialog.produced is None  # the result that came later was dropped
