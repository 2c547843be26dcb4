"""Smoke test of the PyInstaller bundle: runs only when CHAIR_BUNDLE names a built one.

    bash scripts/bundle --smoke          (builds dist/chair, then runs this with CHAIR_BUNDLE set)
    CHAIR_BUNDLE=dist/chair/chair-app pytest tests/e2e/test_bundle.py

Every step runs the bundle's executable as a person would: a fresh temporary HOME, a PATH of system folders
only (no virtual environment, no PYTHONPATH), offscreen Qt. The window opens and closes, the demo county is
made (which runs the migrations from inside the bundle), documents and the report are written, backup and
restore work, and a bad policy file is refused with exit status 2.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

BUNDLE = os.environ.get("CHAIR_BUNDLE", "")
pytestmark = pytest.mark.skipif(not BUNDLE, reason="set CHAIR_BUNDLE to a built bundle (bash scripts/bundle --smoke)")


def _executable() -> Path:
    path = Path(BUNDLE).resolve()  # the steps run in another folder
    if path.is_dir():
        path = path / ("chair-app.exe" if os.name == "nt" else "chair-app")
    assert path.is_file(), f"CHAIR_BUNDLE={BUNDLE}: no chair-app executable there"
    return path


@pytest.fixture(scope="module")
def home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("bundle-home")


def _env(home: Path, **extra: str) -> dict[str, str]:
    env = {
        "HOME": str(home),
        "PATH": "/usr/bin:/bin" if os.name != "nt" else os.environ.get("SystemRoot", r"C:\Windows"),
        "LANG": "C.UTF-8",
        "QT_QPA_PLATFORM": "offscreen",
    }
    if os.name == "nt":
        env |= {"USERPROFILE": str(home), "APPDATA": str(home / "AppData"), "LOCALAPPDATA": str(home / "Local")}
    env.update(extra)
    return env


def run(home: Path, *args: str, check: bool = True, **extra: str) -> subprocess.CompletedProcess:
    started = time.perf_counter()
    proc = subprocess.run(
        [str(_executable()), *args], env=_env(home, **extra), cwd=home, capture_output=True, text=True, timeout=180
    )
    print(f"chair-app {' '.join(args)}: exit {proc.returncode} in {time.perf_counter() - started:.2f} s")
    if check and proc.returncode != 0:
        raise AssertionError(f"{args}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}")
    return proc


def _pdf(path: Path) -> None:
    assert path.is_file() and path.stat().st_size > 1000
    assert path.read_bytes()[:5] == b"%PDF-"


def test_the_window_opens_offscreen_and_closes_with_no_python_on_the_path(home):
    shown = run(home, CHAIR_EXIT_WHEN_SHOWN="1")  # no arguments: the entry point's own path to the window
    assert re.search(r"^SHOWN \d+\.\d+$", shown.stdout, re.M), shown.stdout
    assert "Traceback" not in shown.stderr


def test_demo_documents_plan_report_backup_and_restore_produce_files(home):
    made = run(home, "--demo", "demo")  # creates and migrates the demo database inside HOME
    ref = re.search(r"Added demo conference (C-[0-9A-F]{6})", made.stdout).group(1)
    assert list(home.rglob("demo.db")), "the demo database should be in the user data folder under HOME"

    ready = run(home, "--demo", CHAIR_EXIT_WHEN_SHOWN="ready")  # the window lists the county
    assert "SHOWN" in ready.stdout

    run(home, "--demo", "handout", ref, "--per-attendee", "--out", str(home / "handout.pdf"))
    _pdf(home / "handout.pdf")
    run(home, "--demo", "plan", ref, "--out", str(home / "plan.pdf"))
    _pdf(home / "plan.pdf")

    today = date.today()
    first = (today - timedelta(days=364)).strftime("%d/%m/%Y")
    report = run(home, "--demo", "report", "--from", first, "--to", today.strftime("%d/%m/%Y"), "--out", "report")
    assert "14 CSV files" in report.stdout
    _pdf(home / "report" / "summary.pdf")
    assert (home / "report" / "measures.xlsx").stat().st_size > 0
    assert len(list((home / "report").glob("*.png"))) >= 1

    run(home, "--demo", "backup", "--out", str(home / "copy.db"))
    restored = run(home, "--db", f"sqlite:///{home / 'restored.db'}", "restore", str(home / "copy.db"))
    assert "Restored" in restored.stdout
    # The demo database has the demo's accounts (issue 14): away from --demo, one signs in as on any database.
    restored_db = f"sqlite:///{home / 'restored.db'}"
    listed = run(home, "--db", restored_db, "--user", "demo-chair", "list", CHAIR_PASSWORD="demo")
    assert ref in listed.stdout


def test_a_bad_policy_file_is_refused_with_exit_status_2(home):
    bad = home / "bad-policy.toml"
    bad.write_text('[policy]\nname = "Broken"\n[timescales]\nreview_months = "six"\n', encoding="utf-8")
    proc = run(home, "policy", "check", str(bad), check=False)
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "bad-policy.toml" in lines[0] and "Traceback" not in proc.stderr


def test_the_bundle_carries_what_loads_the_designer_forms():
    """Every window and dialog made in Qt Designer (ui/*.ui) is loaded with QtUiTools' QUiLoader: the sign-in
    form is the first thing a database with accounts shows, so a bundle without it could not be used."""
    internal = _executable().parent / "_internal"
    assert list(internal.rglob("QtUiTools.*")), "PySide6.QtUiTools is missing from the bundle"
    forms = {p.name for p in internal.rglob("*.ui")}
    assert {"signin.ui", "new_conference.ui", "conflict.ui"} <= forms, sorted(forms)


@pytest.mark.skipif(not shutil.which("objdump"), reason="objdump (binutils) lists what a library needs")
def test_every_qt_library_a_bundled_library_needs_is_in_the_bundle():
    internal = _executable().parent / "_internal"
    present = {p.name for p in internal.rglob("*.so*")}
    missing = []
    for lib in internal.rglob("*.so*"):
        out = subprocess.run(["objdump", "-p", str(lib)], capture_output=True, text=True).stdout
        for name in re.findall(r"NEEDED\s+(\S+)", out):
            if name.startswith("libQt6") and name not in present:
                missing.append(f"{lib.relative_to(internal)} needs {name}")
    assert not missing, missing
