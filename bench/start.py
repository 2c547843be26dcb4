"""Process start to main window shown, and to conference list filled: chair-app against a bare PySide6 window
started the same way in the same run."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from bench.common import median

HERE = Path(__file__).resolve().parent


def shown_after(cmd: list[str], env: dict[str, str]) -> float:
    start = time.time()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("SHOWN "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{cmd}: no SHOWN line (exit {proc.returncode}): {proc.stderr[-500:]}")


def measure_start(db_url: str, runs: int = 11, *, when: str = "1") -> tuple[float, float, float]:
    """Median seconds for chair-app (shown, or list filled with when="ready") and for the bare window, and the
    ratio of their minimums (less sensitive to a busy machine)."""
    env = dict(
        os.environ,
        QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
        CHAIR_DB_URL=db_url,
        CHAIR_EXIT_WHEN_SHOWN=when,
    )
    bare_cmd = [sys.executable, str(HERE / "bare_window.py")]
    chair_cmd = [sys.executable, "-m", "chair_app"]
    shown_after(bare_cmd, env)  # warm the file cache and the database's schema for both before timing
    shown_after(chair_cmd, env)
    bare, chair = [], []
    for _ in range(runs):  # interleaved, so drift in the machine's load hits both alike
        bare.append(shown_after(bare_cmd, env))
        chair.append(shown_after(chair_cmd, env))
    return median(chair), median(bare), min(chair) / min(bare)


def measure_list_ready(empty_url: str, full_url: str, runs: int = 7) -> tuple[float, float, float]:
    """Start to usable conference list: median seconds on a full database and on an empty one, interleaved in
    the same run, and the ratio of their minimums."""
    base = dict(
        os.environ, QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), CHAIR_EXIT_WHEN_SHOWN="ready"
    )
    cmd = [sys.executable, "-m", "chair_app"]
    empty_env, full_env = dict(base, CHAIR_DB_URL=empty_url), dict(base, CHAIR_DB_URL=full_url)
    shown_after(cmd, empty_env)  # warm caches and schema checks
    shown_after(cmd, full_env)
    empty, full = [], []
    for _ in range(runs):
        empty.append(shown_after(cmd, empty_env))
        full.append(shown_after(cmd, full_env))
    return median(full), median(empty), min(full) / min(empty)
