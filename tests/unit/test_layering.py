"""The house rules, checked rather than remembered: import contracts and the linter."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _tool(name: str) -> str:
    found = shutil.which(name, path=str(Path(sys.executable).parent)) or shutil.which(name)
    assert found, f"{name} is not installed: run the README's test command"
    return found


def test_import_contracts_hold():
    proc = subprocess.run([_tool("lint-imports")], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stdout[-3000:]
    assert "broken" in proc.stdout and " 0 broken" in proc.stdout


def test_ruff_finds_nothing():
    proc = subprocess.run(
        [_tool("ruff"), "check", "chair_app", "tests", "bench", "db/env.py"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stdout[-3000:]


def test_no_qt_import_below_the_gui_even_lazily():
    """import-linter sees module-level and function-level imports; this also catches importlib strings."""
    offenders = []
    for path in (ROOT / "chair_app").rglob("*.py"):
        rel = path.relative_to(ROOT / "chair_app")
        if rel.parts[0] == "gui":
            continue
        if "PySide6" in path.read_text(encoding="utf-8"):
            offenders.append(str(rel))
    assert offenders == []
