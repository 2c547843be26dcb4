"""What the commands write: private modes whatever the umask, cells kept as text, a document recorded only once
its file exists, and the user's own folders untouched by the tests."""

from __future__ import annotations

import csv
import os
import stat
import subprocess
import sys
import tempfile
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from chair_app.services import conferences
from chair_app.services.demo import build_demo
from chair_app.store import models as rows
from chair_app.store.engine import default_data_dir, open_database, sqlite_url

ATTACK = "@SUM(1+1)*cmd|' /C calc'!A0"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def world(tmp_path, policy):
    url = sqlite_url(tmp_path / "chair.db")
    db = open_database(url)
    bundle = build_demo(policy, date(2026, 11, 23))
    bundle.children[0].local_child_id = ATTACK
    bundle.family.name = '=HYPERLINK("http://x")'
    conferences.add_conference(db, bundle)
    yield url, bundle.conference.ref, db
    db.dispose()


def run(*args, umask=0o000, cwd=None):
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "chair_app", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        cwd=cwd,
        preexec_fn=lambda: os.umask(umask),
    )


def test_export_participation_writes_the_issue_example_as_text_in_a_private_file(world, tmp_path):
    url, _ref, _db = world
    out = tmp_path / "pn.csv"
    proc = run("--db", url, "export-participation", "--from", "01/04/2026", "--to", "31/03/2027", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    cells = [cell for row in csv.reader(out.open()) for cell in row]
    assert "'" + ATTACK in cells and ATTACK not in cells
    assert not any(cell.startswith(FORMULA_STARTS) for cell in cells)
    assert mode(out) == 0o600


def test_the_report_folder_is_0700_its_files_0600_and_no_cell_is_a_formula(world, tmp_path):
    url, _ref, _db = world
    out = tmp_path / "reports" / "2026"
    proc = run("--db", url, "report", "--from", "01/04/2026", "--to", "31/03/2027", "--out", str(out))
    assert proc.returncode == 0, proc.stderr
    assert mode(tmp_path / "reports") == 0o700 and mode(out) == 0o700
    files = sorted(out.iterdir())
    assert files and all(mode(f) == 0o600 for f in files)
    for path in out.glob("*.csv"):
        for row in csv.reader(path.open(encoding="utf-8")):
            assert not any(cell.startswith(FORMULA_STARTS) for cell in row), (path.name, row)
    book = load_workbook(out / "measures.xlsx")
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)


def test_a_new_database_is_0600_whatever_the_umask(tmp_path):
    proc = run("--db", sqlite_url(tmp_path / "new.db"), "list")
    assert proc.returncode == 0, proc.stderr
    assert mode(tmp_path / "new.db") == 0o600


def test_export_to_dev_full_leaves_the_device_a_device(world):
    url, ref, _db = world
    before = os.lstat("/dev/full")
    proc = run("--db", url, "export", ref, "--out", "/dev/full")
    assert proc.returncode == 2 and "is a device" in proc.stderr
    after = os.lstat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev and after.st_ino == before.st_ino


def _documents(db) -> int:
    with db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(rows.DocumentRecordRow.__table__)).scalar_one()


def test_a_refused_document_command_records_no_document_and_a_written_one_records_it(world, tmp_path, capsys):
    from chair_app.cli import main

    url, ref, db = world
    assert main(["--db", url, "handout", ref, "--out", "/missing/x.pdf"]) == 2
    assert main(["--db", url, "record", ref, "--out", "/proc/x.pdf"]) == 2
    assert _documents(db) == 0
    assert main(["--db", url, "handout", ref, "--out", str(tmp_path / "h.pdf")]) == 0
    assert _documents(db) == 1 and (tmp_path / "h.pdf").read_bytes()[:4] == b"%PDF"
    capsys.readouterr()


def test_the_tests_run_with_their_own_data_and_log_folders():
    """tests/conftest.py points HOME, XDG_* and CHAIR_LOG_DIR at a temporary folder for the whole session."""
    from chair_app.logs import log_dir

    temp = Path(tempfile.gettempdir()).resolve()
    assert default_data_dir().resolve().is_relative_to(temp)
    assert log_dir().resolve().is_relative_to(temp)
    assert Path.home().resolve().is_relative_to(temp)
    child = subprocess.run(
        [sys.executable, "-c", "import platformdirs; print(platformdirs.user_data_dir('chair-app'))"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert Path(child.stdout.strip()).resolve().is_relative_to(temp)


def test_a_policy_label_that_looks_like_a_formula_stays_text_in_the_report_csv_and_workbook(world, policy, tmp_path):
    from dataclasses import replace

    from chair_app.services import reporting

    _url, _ref, db = world
    labels = dict(policy.agency_groups, health='=HYPERLINK("http://x","Health")')
    files = reporting.write_report(
        db, replace(policy, agency_groups=labels), reporting.parse_period("01/04/2026", "31/03/2027"), tmp_path / "r"
    )
    attendance = (tmp_path / "r" / "11_agency_attendance.csv").read_text(encoding="utf-8")
    assert "'=HYPERLINK" in attendance
    values = [c.value for s in load_workbook(files.workbook).worksheets for row in s.iter_rows() for c in row]
    assert "'" + labels["health"] in values and labels["health"] not in values
