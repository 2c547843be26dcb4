import os, time
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtWidgets import QApplication
app = QApplication([])
from pathlib import Path
from datetime import date
from chair_app.store.engine import open_database, sqlite_url
from chair_app.rules.policy import load_policy
from chair_app.services import conferences, documents
from chair_app.services.demo import build_demo
from chair_app.gui.documents_dialog import print_pdf
from PySide6.QtPrintSupport import QPrinter
p=Path("/tmp/ws/d.db"); p.unlink(missing_ok=True)
db=open_database(sqlite_url(p)); pol=load_policy()
b=conferences.add_conference(db, build_demo(pol, date.today()))
pdf = documents.handout(db, b.conference.ref, pol, record=False).pdf
pr = QPrinter(QPrinter.PrinterMode.HighResolution); pr.setOutputFormat(QPrinter.OutputFormat.PdfFormat); pr.setOutputFileName("/tmp/ws/o.pdf")
t=time.perf_counter(); n=print_pdf(pdf, pr); print(n, time.perf_counter()-t)
