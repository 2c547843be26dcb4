"""Printing a prepared PDF: the document's own pages go to the print queue, not pictures of them.

Where the platform's print system takes PDF (CUPS, on Linux and macOS), the PDF bytes themselves are handed
to the queue the person chose in the print dialog, with ``lp``: the job keeps its text and fonts (a screen
reader or a "find" works on the spooled file), is a fraction of the size of page images, and the queue
names it by the conference reference and the document (never a family's name). "Print to file" in the
dialog writes the PDF itself. Only where neither is possible (Windows' native printers) are the pages
drawn as 300 dpi images through Qt, the old path, which can be cancelled between pages.

Before the dialog opens, the printer is set to the document's paper and orientation (A4 landscape for the
handout, A3 for the wall copy); whatever the person then changes in the dialog is what is sent.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QMarginsF, QRect, QSize, QSizeF, Qt
from PySide6.QtGui import QPageLayout, QPageSize, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from chair_app.domain.errors import ChairError

PRINT_DPI = 300  # the image path only: plenty for text on paper; 1200 dpi would mean 100-megapixel pages
LP_TIMEOUT_S = 120


@dataclass(frozen=True)
class Sent:
    """A job handed over: how, where, and which pages of the PDF (1-based, inclusive), how many times."""

    method: str  # "printed" (to a queue) or "saved" (print to file)
    queue: str
    job_id: str
    first: int
    last: int
    copies: int = 1

    @property
    def pages(self) -> int:
        return (self.last - self.first + 1) * self.copies


def open_pdf(pdf: bytes) -> tuple[QPdfDocument, QBuffer]:
    """The PDF as a QPdfDocument (keep the buffer alive as long as the document)."""
    document = QPdfDocument()
    buffer = QBuffer()
    buffer.setData(QByteArray(pdf))
    buffer.open(QIODevice.OpenModeFlag.ReadOnly)
    document.load(buffer)
    return document, buffer


def page_count(pdf: bytes) -> int:
    document, _buffer = open_pdf(pdf)
    return document.pageCount()


def document_layout(pdf: bytes) -> QPageLayout:
    """The paper size and orientation of the document's first page (A4 landscape for the handout)."""
    document, _buffer = open_pdf(pdf)
    points = document.pagePointSize(0) if document.pageCount() else QSizeF(595.28, 841.89)
    w, h = points.width(), points.height()
    size = QPageSize(QSizeF(min(w, h), max(w, h)), QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = QPageLayout.Orientation.Landscape if w > h else QPageLayout.Orientation.Portrait
    return QPageLayout(size, orientation, QMarginsF(0, 0, 0, 0))


def prepare(printer: QPrinter, pdf: bytes, job_name: str) -> None:
    """Before the print dialog: the document's paper and orientation, and the job's name."""
    layout = document_layout(pdf)
    printer.setPageSize(layout.pageSize())
    printer.setPageOrientation(layout.orientation())
    printer.setDocName(job_name)


def cups_queue(printer: QPrinter) -> str:
    """The print queue to hand the PDF to as it is, or "" where the platform cannot take a PDF."""
    if sys.platform.startswith("win") or printer.outputFormat() is not QPrinter.OutputFormat.NativeFormat:
        return ""
    if shutil.which("lp") is None:
        return ""
    return printer.printerName()


def page_range(printer: QPrinter, total: int) -> tuple[int, int]:
    """The pages the person asked for (1-based, inclusive): all unless they gave a range."""
    if printer.printRange() is QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(total, printer.toPage() or total)
        return first, max(first, last)
    return 1, total


def lp_command(printer: QPrinter, queue: str, job_name: str, document: QPageLayout, first: int, last: int, total: int):
    """``lp`` with the choices made in the dialog: paper, orientation, copies, pages, two-sided."""
    layout = printer.pageLayout()
    cmd = ["lp", "-d", queue, "-t", job_name, "-n", str(max(1, printer.copyCount()))]
    key = layout.pageSize().key()
    if key:
        cmd += ["-o", f"media={key}"]
    landscape = layout.orientation() is QPageLayout.Orientation.Landscape
    cmd += ["-o", f"orientation-requested={4 if landscape else 3}"]
    if not layout.pageSize().isEquivalentTo(document.pageSize()):
        cmd += ["-o", "fit-to-page"]  # e.g. the person chose A3 for an A4 document: scale it up, not shrink
    if printer.copyCount() > 1:
        cmd += ["-o", f"collate={'true' if printer.collateCopies() else 'false'}"]
    sides = {
        QPrinter.DuplexMode.DuplexNone: "one-sided",
        QPrinter.DuplexMode.DuplexLongSide: "two-sided-long-edge",
        QPrinter.DuplexMode.DuplexShortSide: "two-sided-short-edge",
    }.get(printer.duplex())
    if sides:
        cmd += ["-o", f"sides={sides}"]
    if (first, last) != (1, total):
        cmd += ["-P", f"{first}-{last}"]
    return cmd


def send_to_queue(pdf: bytes, printer: QPrinter, queue: str, job_name: str) -> Sent:
    """Hand the PDF to a CUPS queue with ``lp`` (reading it from stdin, so no temporary file holds it)."""
    total = page_count(pdf)
    first, last = page_range(printer, total)
    cmd = lp_command(printer, queue, job_name, document_layout(pdf), first, last, total)
    try:
        done = subprocess.run(cmd, input=pdf, capture_output=True, timeout=LP_TIMEOUT_S, check=False)
    except (OSError, subprocess.TimeoutExpired) as exc:
        raise ChairError(f"printing: the print system did not answer ({type(exc).__name__}); try again") from None
    out = done.stdout.decode(errors="replace")
    found = re.search(r"request id is (\S+)", out)
    if done.returncode != 0 or not found:
        why = (done.stderr.decode(errors="replace").strip().splitlines() or ["no reason given"])[0]
        raise ChairError(f"printing: the print system refused the job ({why}); check the printer and try again")
    return Sent("printed", queue, found.group(1), first, last, max(1, printer.copyCount()))


def save_to_file(pdf: bytes, printer: QPrinter) -> Sent:
    """ "Print to file" (PDF): the PDF itself, or the pages asked for, written to the chosen file."""
    from pathlib import Path

    from chair_app.services.conferences import write_bytes
    from chair_app.services.documents import pdf_pages

    total = page_count(pdf)
    first, last = page_range(printer, total)
    write_bytes(Path(printer.outputFileName()), pdf if (first, last) == (1, total) else pdf_pages(pdf, first, last))
    return Sent("saved", "", "", first, last, 1)


def print_raster(
    pdf: bytes,
    printer: QPrinter,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> int:
    """Draw each page of ``pdf`` as a 300 dpi image on ``printer``, fitted to the page; returns pages sent,
    or 0 if the job was cancelled (and aborted) part-way.

    The fallback where the print system cannot take a PDF: about 0.3 s a page and no text in the job. Runs on
    a worker thread; ``progress`` is told after each page; when ``cancelled`` says so, the job is aborted
    before the next page.
    """
    document, _buffer = open_pdf(pdf)
    total = document.pageCount()
    first, last = page_range(printer, total)
    painter = QPainter()
    if not painter.begin(printer):
        return 0
    try:
        for index in range(first - 1, last):
            if cancelled is not None and cancelled():
                printer.abort()
                return 0
            if index > first - 1:
                printer.newPage()
            points = document.pagePointSize(index)
            image = document.render(
                index, QSize(round(points.width() / 72 * PRINT_DPI), round(points.height() / 72 * PRINT_DPI))
            )
            area = painter.viewport()
            fitted = image.size().scaled(area.size(), Qt.AspectRatioMode.KeepAspectRatio)
            painter.drawImage(QRect(area.topLeft(), fitted), image)
            if progress is not None:
                progress(index - first + 2, last - first + 1)
        return last - first + 1
    finally:
        painter.end()


def send(
    pdf: bytes,
    printer: QPrinter,
    job_name: str,
    progress: Callable[[int, int], None] | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> Sent | None:
    """Send ``pdf`` the best way the platform allows; None when nothing was handed over (cancelled)."""
    if printer.outputFormat() is QPrinter.OutputFormat.PdfFormat and printer.outputFileName():
        return save_to_file(pdf, printer)
    queue = cups_queue(printer)
    if queue:
        return send_to_queue(pdf, printer, queue, job_name)
    printer.setDocName(job_name)
    sent = print_raster(pdf, printer, progress, cancelled)
    if not sent:
        return None
    first, last = page_range(printer, page_count(pdf))
    return Sent("printed", printer.printerName(), "", first, last, max(1, printer.copyCount()))
