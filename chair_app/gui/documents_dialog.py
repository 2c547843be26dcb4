"""Documents for one conference: choose, preview, print through the system dialog, or save as PDF.

Building a document runs on a worker thread. A preview is not recorded; printing or saving records what
was produced, for whom and at which version (the service does that).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRect, QSize, Qt, Signal
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
)

from chair_app.gui.tasks import TaskRunner
from chair_app.gui.theme import apply_theme

if TYPE_CHECKING:
    from chair_app.rules.policy import Policy
    from chair_app.services.documents import Produced
    from chair_app.store.engine import Database


PRINT_DPI = 300  # plenty for text on paper; the printer's own 1200 dpi would mean 100-megapixel pages


def print_pdf(
    pdf: bytes,
    printer: QPrinter,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Render each page of ``pdf`` at 300 dpi and send it to ``printer``, fitted to the page; returns pages sent.

    Runs on a worker thread (Qt paints on a QPrinter from any thread): about 0.3 s a page. ``progress`` is
    told after each page; when ``cancelled`` says so, the job is aborted before the next page.
    """
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        total = document.pageCount()
        for index in range(total):
            if cancelled is not None and cancelled():
                printer.abort()
                return index
            if index:
                printer.newPage()
            points = document.pagePointSize(index)
            image = document.render(
                index, QSize(round(points.width() / 72 * PRINT_DPI), round(points.height() / 72 * PRINT_DPI))
            )
            area = painter.viewport()
            fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), fitted), image)
            if progress is not None:
                progress(index + 1, total)
        return total
    finally:
        painter.end()


class _Progress(QObject):
    """Carries a worker's page count to the UI thread."""

    sig_page = Signal(int, int)


class DocumentsDialog(QDialog):
    #: A print job ended (pages sent; fewer than all when cancelled).
    sig_printed = Signal(int)

    def __init__(self, db: Database, policy: Policy, ref: str, title: str, parent=None) -> None:
        super().__init__(parent)
        from chair_app.services.documents import CHOICES

        self.db, self.policy, self.ref = db, policy, ref
        self.choices = CHOICES
        self.produced: Produced | None = None
        self.done_purpose = ""  # the purpose of the request whose result is shown
        self.printing = None  # the print job under way
        self._generation = 0
        self.tasks = TaskRunner(self)
        self.setWindowTitle(f"Documents: {title}")
        apply_theme(self)

        self.choice = QComboBox()
        self.choice.setAccessibleName("Document")
        for _key, label, _fn in CHOICES:
            self.choice.addItem(label)
        self.preview_button = QPushButton("&Preview")
        self.print_button = QPushButton("P&rint…")
        self.save_button = QPushButton("&Save PDF…")
        for button, name in (
            (self.preview_button, "Preview the document"),
            (self.print_button, "Print the document"),
            (self.save_button, "Save the document as a PDF file"),
        ):
            button.setAccessibleName(name)
        self.cancel_button = QPushButton("Cancel")
        self.cancel_button.setAccessibleName("Stop preparing the document")
        self.cancel_button.hide()
        self.cancel_button.clicked.connect(self.cancel)
        self.status = QLabel("Choose a document, then preview, print or save it.")
        self.status.setWordWrap(True)
        self.status.setAccessibleName("Document status")

        self.pdf = QPdfDocument(self)
        self._buffer = QBuffer(self)
        self.view = QPdfView(self)
        self.view.setDocument(self.pdf)
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setAccessibleName("Document preview")

        row = QHBoxLayout()
        row.addWidget(self.choice, 1)
        row.addWidget(self.preview_button)
        row.addWidget(self.print_button)
        row.addWidget(self.save_button)
        row.addWidget(self.cancel_button)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(self.status)
        layout.addWidget(self.view, 1)
        self.resize(1000, 760)

        self.preview_button.clicked.connect(lambda: self.produce("preview"))
        self.print_button.clicked.connect(lambda: self.produce("print"))
        self.save_button.clicked.connect(lambda: self.produce("save"))
        self.choice.currentIndexChanged.connect(lambda _i: self.produce("preview"))

    def choose(self, key: str) -> None:
        """Choose a document by its key (e.g. "plan"), without preparing it."""
        keys = [k for k, _label, _fn in self.choices]
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(keys.index(key))
        self.choice.blockSignals(False)

    def _busy(self, busy: bool) -> None:
        for w in (self.choice, self.preview_button, self.print_button, self.save_button):
            w.setEnabled(not busy)
        self.cancel_button.setVisible(busy and self.printing is None)

    def cancel(self) -> None:
        """Stop waiting for the document being prepared: its result, when it comes, is dropped."""
        self._generation += 1
        self._busy(False)
        self.status.setText("Cancelled. Choose a document, then preview, print or save it.")

    def produce(self, purpose: str) -> None:
        """Build the chosen document off the UI thread; then show, print or save it."""
        key, label, make = self.choices[self.choice.currentIndex()]
        db, policy, ref = self.db, self.policy, self.ref
        self._generation += 1
        generation = self._generation
        self._busy(True)
        self.status.setText(f"Preparing: {label}…")
        self.tasks.start(
            lambda: make(db, ref, policy, record=purpose != "preview"),
            lambda produced: self._ready(generation, purpose, key, label, produced),
            lambda exc: self._failed(generation, exc),
        )

    def _failed(self, generation: int, exc: Exception) -> None:
        from chair_app.domain.errors import ChairError

        if generation != self._generation:  # a newer request has been made since
            return
        self._busy(False)
        self.status.setText(
            str(exc) if isinstance(exc, ChairError) else f"Could not prepare it ({type(exc).__name__})."
        )

    def _ready(self, generation: int, purpose: str, key: str, label: str, produced: Produced) -> None:
        if generation != self._generation:  # superseded: a newer request's result will follow
            return
        self._busy(False)
        self.produced = produced
        self.done_purpose = purpose
        self._show(produced.pdf)
        copies = len(produced.copies)
        note = f"{label}: {copies} cop{'ies' if copies != 1 else 'y'}, {self.pdf.pageCount()} pages."
        if produced.unprintable:
            note += f" Warning: {len(produced.unprintable)} character(s) cannot be printed with the bundled font."
        self.status.setText(note)
        if purpose == "print":
            self._print(produced.pdf)
        elif purpose == "save":
            self._save(produced.pdf, key)

    def _show(self, pdf: bytes) -> None:
        self.pdf.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)

    def _print(self, pdf: bytes) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(pdf, printer)

    def print_to(self, pdf: bytes, printer: QPrinter) -> None:
        """Send the pages on a worker, with a progress window whose Cancel stops before the next page."""
        import threading

        cancel = threading.Event()
        progress = QProgressDialog("Sending pages to the printer…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Printing")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.canceled.connect(cancel.set)
        relay = _Progress(self)
        relay.sig_page.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        self.printing = (printer, progress, relay)  # kept alive until the job ends
        self._busy(True)

        def finished(pages: int) -> None:
            self._busy(False)
            progress.reset()
            progress.hide()
            self.printing = None
            self.status.setText("Printing cancelled." if cancel.is_set() else f"Sent {pages} pages to the printer.")
            self.sig_printed.emit(pages)

        def failed(exc: Exception) -> None:
            progress.hide()
            self.printing = None
            self._failed(self._generation, exc)

        self.tasks.start(lambda: print_pdf(pdf, printer, relay.sig_page.emit, cancel.is_set), finished, failed)

    def _save(self, pdf: bytes, key: str) -> None:
        from pathlib import Path

        from chair_app.domain.errors import ChairError
        from chair_app.services.conferences import write_bytes

        path, _ = QFileDialog.getSaveFileName(self, "Save PDF", f"{self.ref}-{key}.pdf", "PDF files (*.pdf)")
        if path:
            try:
                write_bytes(Path(path), pdf, "Save PDF")
            except ChairError as exc:  # a folder, a link, a device or a place that cannot hold a file
                self.status.setText(str(exc))
                return
            self.status.setText(f"Saved {path}.")
