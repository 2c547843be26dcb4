"""Settings and fixtures for the window's tests (pytest-qt, offscreen).

A real print queue for the printing tests: a private CUPS scheduler with a cups-pdf printer.

Like tests/conftest.py starts PostgreSQL, the session starts its own ``cupsd`` (configuration, spool and
socket in a temporary folder; nothing of the machine's own CUPS is used or changed) with one queue whose
backend is cups-pdf, the default destination. ``CUPS_SERVER`` points every GUI test at it from the start,
before Qt first asks CUPS for printers, so no test can reach a real printer. Where CUPS or cups-pdf is not
installed (or the tests do not run as root, which cupsd and cups-pdf need) the printing tests are skipped
with the reason shown, unless CHAIR_REQUIRE_CUPS=1 says the queue is required (then it is an error).

Debian packages: cups printer-driver-cups-pdf poppler-utils.
"""

from __future__ import annotations

import functools
import glob
import os
import re
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

CUPS_DIR = Path(tempfile.gettempdir()) / f"chair-cups-{os.getpid()}"
os.environ["CUPS_SERVER"] = str(CUPS_DIR / "cups.sock")  # before any QPrinter asks CUPS
WAIT_S = 60  # setup only: how long to wait for the scheduler or a job before giving up


# How long a test waits for the window to become ready before it fails. This is a readiness wait, not a
# claim about speed (bench/ measures speed): CI may share its two cores with other work, and a 5-second
# default failed the kill-and-reopen test 4 times in 20 on a loaded machine while the window was only slow.
READY_MS = 60_000


@functools.wraps(QtBot.waitUntil)
def _wait_until(self, callback, *, timeout: int = READY_MS) -> None:
    return _original_wait_until(self, callback, timeout=max(timeout, READY_MS))


_original_wait_until = QtBot.waitUntil
QtBot.waitUntil = _wait_until


def _ppd() -> str | None:
    found = sorted(glob.glob("/usr/share/ppd/cups-pdf/CUPS-PDF*.ppd"))
    return found[-1] if found else None


class CupsQueue:
    """A private cupsd with one cups-pdf queue; jobs land as PDF files in ``out``."""

    def __init__(self) -> None:
        cupsd = shutil.which("cupsd") or ("/usr/sbin/cupsd" if Path("/usr/sbin/cupsd").exists() else None)
        missing = [
            name
            for name, present in (
                ("cups (cupsd, lpadmin, lp)", cupsd and shutil.which("lpadmin") and shutil.which("lp")),
                ("printer-driver-cups-pdf", Path("/usr/lib/cups/backend/cups-pdf").exists() and _ppd()),
                ("poppler-utils (pdftotext, pdfinfo)", shutil.which("pdftotext") and shutil.which("pdfinfo")),
            )
            if not present
        ]
        if missing:
            raise FileNotFoundError("not installed: " + ", ".join(missing))
        if os.geteuid() != 0:
            raise FileNotFoundError("a private cupsd with the cups-pdf backend needs root")
        self.name = f"ChairTest{os.getpid()}"
        self.dir = CUPS_DIR
        self.out = self.dir / "out"
        for sub in ("spool/tmp", "cache", "state", "log", "out"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        os.chmod(self.dir, 0o755)
        for sub in ("spool", "cache", "state", "log"):
            os.chmod(self.dir / sub, 0o755)
        os.chmod(self.dir / "spool/tmp", 0o1777)
        os.chmod(self.out, 0o1777)
        (self.dir / "cupsd.conf").write_text(
            f"Listen {self.dir}/cups.sock\nLogLevel info\nWebInterface No\nBrowsing No\nDefaultShared No\n"
            "<Location />\n  Order allow,deny\n  Allow all\n</Location>\n"
            "<Policy default>\n  <Limit All>\n    Order deny,allow\n  </Limit>\n</Policy>\n"
        )
        (self.dir / "cups-files.conf").write_text(
            f"ServerRoot {self.dir}\nRequestRoot {self.dir}/spool\nTempDir {self.dir}/spool/tmp\n"
            f"CacheDir {self.dir}/cache\nStateDir {self.dir}/state\nErrorLog {self.dir}/log/error_log\n"
            f"AccessLog {self.dir}/log/access_log\nPageLog {self.dir}/log/page_log\n"
            f"Printcap {self.dir}/printcap\nSystemGroup root\nFileDevice No\n"
        )
        # cups-pdf reads its settings from /etc/cups only; a queue-named file there (device cups-pdf:/NAME)
        # sends this queue's output to our folder and leaves the machine's cups-pdf.conf alone.
        self.pdf_conf = Path("/etc/cups") / f"cups-pdf-{self.name}.conf"
        self.pdf_conf.write_text(f"Out {self.out}\nLabel 2\nUserUMask 0022\n")
        self.proc = subprocess.Popen(
            [cupsd, "-f", "-c", str(self.dir / "cupsd.conf"), "-s", str(self.dir / "cups-files.conf")],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            self._until(self._running, "the scheduler to start")
            self._run(["lpadmin", "-p", self.name, "-v", f"cups-pdf:/{self.name}", "-E", "-P", _ppd()])
            self._run(["lpadmin", "-d", self.name])
        except BaseException:
            self.stop()
            raise

    def _running(self) -> bool:
        if not (self.dir / "cups.sock").exists():
            return False
        said = self._run(["lpstat", "-r"], check=False).stdout
        return "scheduler is running" in said

    def _run(self, cmd: list[str], *, check: bool = True) -> subprocess.CompletedProcess:
        return subprocess.run(cmd, capture_output=True, timeout=WAIT_S, check=check, text=True)

    def _until(self, ready, what: str) -> None:
        deadline = time.monotonic() + WAIT_S
        while not ready():
            if time.monotonic() > deadline or self.proc.poll() is not None:
                log = self.dir / "log" / "error_log"
                tail = log.read_text(errors="replace")[-400:] if log.exists() else ""
                raise RuntimeError(f"CUPS: gave up waiting for {what}. {tail}")
            time.sleep(0.1)

    def completed(self) -> list[str]:
        """The ids of the jobs the queue has finished (e.g. "ChairTest123-4")."""
        listing = self._run(["lpstat", "-W", "completed", "-o", self.name], check=False).stdout
        return [line.split()[0] for line in listing.splitlines() if line.strip()]

    def spooled(self, job_id: str) -> Path:
        """Wait for a job to finish; the PDF cups-pdf wrote for it."""
        number = job_id.rsplit("-", 1)[-1]
        self._until(lambda: job_id in self.completed(), f"job {job_id}")
        found = [p for p in self.out.glob("*.pdf") if re.search(rf"-job_{number}\.pdf$", p.name)]
        assert found, f"job {job_id} completed but cups-pdf wrote no file into {self.out}"
        return found[0]

    def stop(self) -> None:
        try:
            self.proc.terminate()
            self.proc.wait(timeout=WAIT_S)
        finally:
            self.pdf_conf.unlink(missing_ok=True)
            shutil.rmtree(self.dir, ignore_errors=True)


@pytest.fixture(scope="session")
def cups_queue() -> Iterator[CupsQueue]:
    try:
        queue = CupsQueue()
    except (FileNotFoundError, PermissionError, RuntimeError, subprocess.CalledProcessError) as exc:
        detail = exc.stderr if isinstance(exc, subprocess.CalledProcessError) else exc
        if os.environ.get("CHAIR_REQUIRE_CUPS") == "1":
            pytest.fail(f"a CUPS print queue is required here but could not be started: {detail}")
        pytest.skip(f"CUPS print queue not available: {detail}")
    yield queue
    queue.stop()
