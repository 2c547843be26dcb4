"""The PyInstaller bundle: its size, and process start to window shown against the venv's in the same run.

Uses the bundle CHAIR_BUNDLE names, else dist/chair/chair-app (bash scripts/bundle builds it). Both starts
open the same one-conference database with CHAIR_EXIT_WHEN_SHOWN=1, interleaved so the machine's load hits
both alike.
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.common import median

ROOT = Path(__file__).resolve().parent.parent


def shown_after(cmd: list[str], env: dict[str, str]) -> float:
    """Seconds from starting ``cmd`` to its window shown (the "SHOWN <epoch>" line CHAIR_EXIT_WHEN_SHOWN prints)."""
    start = time.time()
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=180, check=False)
    for line in proc.stdout.splitlines():
        if line.startswith("SHOWN "):
            return float(line.split()[1]) - start
    raise RuntimeError(f"{cmd[0]}: no SHOWN line (exit {proc.returncode}): {proc.stderr[-500:]}")


def find_bundle() -> Path | None:
    named = os.environ.get("CHAIR_BUNDLE")
    path = Path(named) if named else ROOT / "dist" / "chair" / "chair-app"
    if path.is_dir():
        path = path / "chair-app"
    return path if path.is_file() else None


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())


def cpu_seconds(cmd: list[str], env: dict[str, str]) -> float:
    """User + system CPU time of one start (to window shown): steadier than wall time on a busy machine."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, env=env, capture_output=True, check=True, timeout=180)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def measure(runs: int = 11) -> list[tuple[str, str, str, str]]:
    exe = find_bundle()
    if exe is None:
        return [("bundle", "not built", "bash scripts/bundle, or set CHAIR_BUNDLE", "(skipped)")]
    size = folder_size(exe.parent)
    rows = [
        (
            "bundle size, unpacked",
            f"{size / 1e6:.0f} MB",
            f"{exe.parent}",
            "<= 250 MB " + ("met" if size <= 250e6 else "NOT MET"),
        )
    ]
    with tempfile.TemporaryDirectory(prefix="chair-bench-bundle-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'one.db'}"
        env = dict(
            os.environ,
            QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"),
            CHAIR_DB_URL=url,
            CHAIR_EXIT_WHEN_SHOWN="1",
            CHAIR_LOG_DIR=str(Path(tmp) / "log"),
        )
        subprocess.run([str(exe), "demo"], env=env, capture_output=True, check=True, timeout=300)
        venv_cmd, bundle_cmd = [sys.executable, "-m", "chair_app"], [str(exe)]
        shown_after(venv_cmd, env)  # warm the file cache for both before timing
        shown_after(bundle_cmd, env)
        venv, bundle, venv_cpu, bundle_cpu = [], [], [], []
        for _ in range(runs):
            venv.append(shown_after(venv_cmd, env))
            bundle.append(shown_after(bundle_cmd, env))
            venv_cpu.append(cpu_seconds(venv_cmd, env))
            bundle_cpu.append(cpu_seconds(bundle_cmd, env))
    ratio = median(bundle) / median(venv)
    rows.append(
        (
            "bundle start to window shown, median",
            f"{median(bundle):.3f} s",
            f"venv {median(venv):.3f} s / {ratio:.2f}x (min {min(bundle) / min(venv):.2f}x)",
            "<= 1.2x " + ("met" if ratio <= 1.2 else "NOT MET"),
        )
    )
    rows.append(
        (
            "bundle start to window shown, CPU time, median",
            f"{median(bundle_cpu):.3f} s",
            f"venv {median(venv_cpu):.3f} s / {median(bundle_cpu) / median(venv_cpu):.2f}x",
            "(reported)",
        )
    )
    return rows


if __name__ == "__main__":
    from bench.common import table

    print(table("The bundle", measure()))
