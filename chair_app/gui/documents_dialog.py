"""Documents for one conference: choose, preview, print through the system dialog, or save as PDF.

Building a document runs on a worker thread and records nothing. A print is recorded only once the job has
been handed to the print queue (method "printed", the queue, the job's id and the pages sent), a save once
the file is written (method "saved"); a cancelled dialog or a job cancelled part-way records nothing.
How the pages go to the printer is in ``gui/printing.py``.

"For" chooses whose copy (issue 12): the chair's (complete) or any invitee's. With a person chosen, Preview
shows "view as": the whole document with what their copy leaves out shaded, and lists what and why; Print
and Save make their own copy, which is refused (naming the item) if it would breach a "not to be shared
with" restriction.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, Qt, Signal
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


CHAIRS_COPY = "Chair's copy (complete)"
#: The document kind each choice makes, for "view as".
KINDS = {
    "handout": "handout",
    "handout-large": "handout",
    "plan": "cp_plan",
    "record": "record",
    "letter": "decision_letter",
}


class _Progress(QObject):
    """Carries a worker's page count to the UI thread."""

    sig_page = Signal(int, int)


class DocumentsDialog(QDialog):
    #: A print job ended: the pages handed to the queue (0 when cancelled or refused).
    sig_printed = Signal(int)

    def __init__(self, db: Database, policy: Policy, ref: str, title: str, parent=None) -> None:
        super().__init__(parent)
        from chair_app.services.documents import CHOICES

        self.db, self.policy, self.ref = db, policy, ref
        self.choices = CHOICES
        self.produced: Produced | None = None
        self.done_purpose = ""  # the purpose of the request whose result is shown
        self.printing = None  # the print job under way
        self.print_dialog: QPrintDialog | None = None  # while the print dialog is open
        self._generation = 0
        self.tasks = TaskRunner(self)
        self.setWindowTitle(f"Documents: {title}")
        apply_theme(self)

        self.choice = QComboBox()
        self.choice.setAccessibleName("Document")
        for _key, label, _fn in CHOICES:
            self.choice.addItem(label)
        self.reader = QComboBox()
        self.reader.setObjectName("documentReader")
        self.reader.setAccessibleName("Whose copy")
        self.reader.addItem(CHAIRS_COPY, "")
        self.removed: tuple = ()  # what the chosen person's copy leaves out, from the last "view as"
        self.preview_pdf = b""  # the last "view as" preview (the chair's eyes only; never printed from here)
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
        row.addWidget(QLabel("&For:", buddy=self.reader))
        row.addWidget(self.reader, 1)
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
        self.reader.currentIndexChanged.connect(lambda _i: self.produce("preview"))
        from chair_app.services.documents import readers

        self.tasks.start(lambda: readers(db, ref), self._readers, lambda _exc: None)

    def _readers(self, people) -> None:
        self.reader.blockSignals(True)
        for name, role in people:
            self.reader.addItem(f"{name} ({role})" if role else name, name)
        self.reader.blockSignals(False)

    def choose_reader(self, name: str) -> None:
        """Choose whose copy by name ("" for the chair's), without preparing it."""
        self.reader.blockSignals(True)
        self.reader.setCurrentIndex(max(0, self.reader.findData(name)))
        self.reader.blockSignals(False)

    def choose(self, key: str) -> None:
        """Choose a document by its key (e.g. "plan"), without preparing it."""
        keys = [k for k, _label, _fn in self.choices]
        self.choice.blockSignals(True)
        self.choice.setCurrentIndex(keys.index(key))
        self.choice.blockSignals(False)

    def _busy(self, busy: bool) -> None:
        for w in (self.choice, self.reader, self.preview_button, self.print_button, self.save_button):
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
        person = self.reader.currentData() or ""
        if key == "handout-copies":
            person = ""  # one copy for each attendee already
        self._generation += 1
        generation = self._generation
        self._busy(True)
        self.status.setText(f"Preparing: {label}{' for ' + person if person else ''}…")
        if person and purpose == "preview":
            from chair_app.domain.enums import DocumentKind
            from chair_app.services.documents import view_as

            kind = DocumentKind(KINDS[key])
            self.tasks.start(
                lambda: view_as(db, ref, policy, kind, person),
                lambda seen: self._seen_as(generation, key, label, person, seen),
                lambda exc: self._failed(generation, exc),
            )
            return
        extra = {"recipient": person} if person else {}
        self.tasks.start(
            lambda: make(db, ref, policy, record=False, **extra),  # recorded once printed or saved, not before
            lambda produced: self._ready(generation, purpose, key, label, produced),
            lambda exc: self._failed(generation, exc),
        )

    def _seen_as(self, generation: int, key: str, label: str, person: str, seen) -> None:
        """A "view as" preview: the chair sees what the person's copy leaves out, shaded and listed."""
        if generation != self._generation:
            return
        self._busy(False)
        self.produced = None  # a preview is nobody's copy: Print and Save make the person's own
        self.done_purpose = "preview"
        self.removed = seen.removed
        self.preview_pdf = seen.produced.pdf
        self._show(seen.produced.pdf)
        if seen.removed:
            gone = "; ".join(f"{r.what} ({r.reason})" for r in seen.removed)
            note = f"{label} as {person} will receive it. Shaded, left out of their copy: {gone}."
        else:
            note = f"{label} as {person} will receive it: nothing is left out of their copy."
        if seen.refusal:
            note += f" Their copy cannot be released yet: {seen.refusal}"
        self.status.setText(note)

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
            self._print(produced)
        elif purpose == "save":
            self._save(produced, key)

    def _show(self, pdf: bytes) -> None:
        self.pdf.close()
        self._buffer.close()
        self._buffer.setData(QByteArray(pdf))
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.pdf.load(self._buffer)

    def _print(self, produced: Produced) -> None:
        from chair_app.gui.printing import prepare
        from chair_app.services.documents import job_name

        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        prepare(printer, produced.pdf, job_name(produced))  # A4 landscape for the handout, before the dialog
        dialog = QPrintDialog(printer, self)
        self.print_dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.print_dialog = None
        if accepted:
            self.print_to(produced, printer)
        else:
            self.status.setText("Printing cancelled: nothing was sent or recorded.")

    def print_to(self, produced: Produced, printer: QPrinter) -> None:
        """Hand the document to the printer on a worker, then record it; a progress window's Cancel stops the
        image path (the only slow one) before the next page, and then nothing is recorded."""
        import threading

        from chair_app.gui.printing import send
        from chair_app.services.documents import job_name, pages_sent, record_output

        cancel = threading.Event()
        progress = QProgressDialog("Sending the document to the printer…", "Cancel", 0, 0, self)
        progress.setWindowTitle("Printing")
        progress.setWindowModality(Qt.WindowModality.WindowModal)
        progress.setMinimumDuration(0)
        progress.canceled.connect(cancel.set)
        relay = _Progress(self)
        relay.sig_page.connect(lambda done, total: (progress.setMaximum(total), progress.setValue(done)))
        self.printing = (printer, progress, relay)  # kept alive until the job ends
        self._busy(True)
        db, name = self.db, job_name(produced)

        def job():
            sent = send(produced.pdf, printer, name, relay.sig_page.emit, cancel.is_set)
            if sent is not None:
                pages = pages_sent(produced, sent.first, sent.last, sent.copies)
                record_output(db, produced, method=sent.method, queue=sent.queue, job_id=sent.job_id, pages=pages)
            return sent

        def finished(sent) -> None:
            self._busy(False)
            progress.reset()
            progress.hide()
            self.printing = None
            if sent is None:
                self.status.setText("Printing cancelled: nothing was recorded.")
            elif sent.method == "saved":
                self.status.setText(f"Saved {sent.pages} pages to {printer.outputFileName()}.")
            else:
                job = f" as job {sent.job_id}" if sent.job_id else ""
                self.status.setText(f"Sent {sent.pages} pages to {sent.queue}{job}.")
            self.sig_printed.emit(sent.pages if sent is not None else 0)

        def failed(exc: Exception) -> None:
            progress.hide()
            self.printing = None
            self._failed(self._generation, exc)
            self.sig_printed.emit(0)

        self.tasks.start(job, finished, failed)

    def _save(self, produced: Produced, key: str) -> None:
        from pathlib import Path

        from chair_app.domain.errors import ChairError
        from chair_app.services.conferences import write_bytes
        from chair_app.services.documents import record_output

        path, _ = QFileDialog.getSaveFileName(
            self, "Save PDF", f"{produced.ref or self.ref}-{key}.pdf", "PDF files (*.pdf)"
        )
        if path:
            try:
                write_bytes(Path(path), produced.pdf, "Save PDF")
            except ChairError as exc:  # a folder, a link, a device or a place that cannot hold a file
                self.status.setText(str(exc))
                return
            record_output(self.db, produced, method="saved")
            self.status.setText(f"Saved {path}.")
