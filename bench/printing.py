"""Printing: the job the print queue receives, as pictures of pages (the old path) and as the PDF itself.

For the demo's chair's handout (2 pages) and its copies for each attendee, in the same run:
- the image path: each page drawn at 300 dpi onto a QPrinter writing PDF. That file is what Qt spools to
  CUPS for a native printer (Qt's CUPS support prints through the same PDF engine), so its size is the job's;
- the vector path: the PDF bytes that ``lp`` hands to the queue, unchanged.
Time is to a job ready to hand over (in process); where a CUPS queue is reachable (``lp`` and a default
destination, or CHAIR_BENCH_QUEUE) the ``lp`` hand-over itself is timed too. Whether the job has text is
read back with pypdf. Run: ``python -m bench.printing`` (or as part of ``python -m bench``).
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
import time
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

FAMILY = "Hayes family"


def _has_text(pdf: bytes) -> bool:
    from pypdf import PdfReader

    return any(FAMILY in (page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages)


def _raster_job(pdf: bytes, folder: Path) -> tuple[bytes, float]:
    from PySide6.QtPrintSupport import QPrinter

    from chair_app.gui.printing import prepare, print_raster

    out = folder / "raster.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(out))
    prepare(printer, pdf, "bench")
    start = time.perf_counter()
    print_raster(pdf, printer)
    return out.read_bytes(), time.perf_counter() - start


def _queue() -> str:
    if shutil.which("lp") is None or shutil.which("lpstat") is None:
        return ""
    if os.environ.get("CHAIR_BENCH_QUEUE"):
        return os.environ["CHAIR_BENCH_QUEUE"]
    found = subprocess.run(["lpstat", "-d"], capture_output=True, text=True, check=False).stdout
    return found.split(":", 1)[1].strip() if "destination:" in found else ""


def _hand_over(pdf: bytes, queue: str) -> float:
    start = time.perf_counter()
    subprocess.run(["lp", "-d", queue, "-t", "bench", "-"], input=pdf, capture_output=True, check=True)
    return time.perf_counter() - start


def measure(policy, runs: int = 3) -> list[tuple[str, str, str, str]]:
    from PySide6.QtWidgets import QApplication

    from chair_app.services import conferences, documents
    from chair_app.services.demo import build_demo
    from chair_app.store.engine import open_database, sqlite_url

    QApplication.instance() or QApplication([])
    rows = []
    queue = _queue()
    with tempfile.TemporaryDirectory(prefix="chair-bench-print-") as tmp:
        folder = Path(tmp)
        db = open_database(sqlite_url(folder / "print.db"))
        ref = conferences.add_conference(db, build_demo(policy, date(2026, 11, 23))).conference.ref
        for label, make in (
            ("chair's handout", lambda: documents.handout(db, ref, policy, record=False)),
            ("a copy per attendee", lambda: documents.handout(db, ref, policy, per_attendee=True, record=False)),
        ):
            made = make()
            pages = sum(made.copy_pages)
            raster, raster_s = min((_raster_job(made.pdf, folder) for _ in range(runs)), key=lambda r: r[1])
            vector = made.pdf
            size_ratio = len(raster) / len(vector)
            rows.append(
                (
                    f"print job size, {label} ({pages} pages): PDF itself",
                    f"{len(vector) / 1e6:.2f} MB",
                    f"pictures {len(raster) / 1e6:.2f} MB / {size_ratio:.0f}x smaller",
                    f"text in job: PDF {'yes' if _has_text(vector) else 'NO'}, "
                    f"pictures {'yes' if _has_text(raster) else 'no'}",
                )
            )
            if queue:
                handed = min(_hand_over(vector, queue) for _ in range(runs))
                figure, ratio, note = f"{handed:.3f} s", f" / {raster_s / handed:.0f}x faster", f"lp to {queue}"
            else:
                figure, ratio, note = "no wait (bytes as made)", "", "no CUPS queue here: lp not timed"
            rows.append(
                (
                    f"time to a job handed over, {label}: PDF itself",
                    figure,
                    f"pictures {raster_s:.2f} s{ratio}",
                    note,
                )
            )
        db.dispose()
    return rows


def main() -> None:
    from bench.common import table
    from chair_app.rules.policy import load_policy

    print(table("Printing: the PDF itself vs pictures of its pages (same run)", measure(load_policy())))


if __name__ == "__main__":
    main()
