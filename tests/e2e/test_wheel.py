"""`pip install .` gives a working Chair: the wheel, installed into a fresh virtual environment, runs.

The wheel is built from this checkout, installed with the locked set (pip install -c requirements.lock) into
a new venv with no system site-packages, and its `chair-app` runs `demo`, `handout` and `report` from a
folder outside the checkout with no PYTHONPATH, so nothing can come from the repository. That proves the
resources, migrations and style sheet travel inside the package and are found there.

Costs about a minute with pip's cache warm (most of it installing PySide6, pandas and matplotlib).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import time
import venv
from datetime import date, timedelta
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _timed(what: str, cmd: list[str], **kw) -> subprocess.CompletedProcess:
    started = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=900, **kw)
    print(f"{what}: exit {proc.returncode} in {time.perf_counter() - started:.1f} s")
    if proc.returncode != 0:
        raise AssertionError(f"{what} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}")
    return proc


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> tuple[Path, dict[str, str]]:
    """A fresh venv with the wheel of this checkout installed, and an environment that cannot see the checkout."""
    where = tmp_path_factory.mktemp("wheel")
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME")}
    _timed(
        "build the wheel",
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(where / "dist"), str(ROOT)],
        env=env,
    )
    (wheel,) = (where / "dist").glob("chair_app-*.whl")
    target = where / "venv"
    venv.EnvBuilder(with_pip=True, system_site_packages=False).create(target)
    python = target / ("Scripts" if os.name == "nt" else "bin") / "python"
    _timed(
        "install the wheel with the locked set",
        [
            str(python),
            "-m",
            "pip",
            "install",
            "-q",
            "--retries",
            "5",
            "-c",
            str(ROOT / "requirements.lock"),
            str(wheel),
        ],
        env=env,
    )
    home = where / "home"
    home.mkdir()
    env |= {
        "CHAIR_DB_URL": f"sqlite:///{where / 'chair.db'}",
        "CHAIR_LOG_DIR": str(where / "log"),
        "HOME": str(home),
        "QT_QPA_PLATFORM": "offscreen",
    }
    env.pop("CHAIR_POLICY", None)
    return target, env


def _chair(installed, *args: str) -> subprocess.CompletedProcess:
    target, env = installed
    exe = target / ("Scripts" if os.name == "nt" else "bin") / "chair-app"
    return _timed(f"chair-app {' '.join(args[:1])}", [str(exe), *args], env=env, cwd=env["HOME"])


def test_the_installed_package_finds_its_resources_inside_itself_through_importlib_resources(installed):
    target, env = installed
    python = target / ("Scripts" if os.name == "nt" else "bin") / "python"
    code = (
        "import importlib.resources as r, chair_app.paths as p\n"
        "for name, path in (('resources', p.RESOURCES), ('db', p.MIGRATIONS), ('ui', p.UI)):\n"
        "    assert str(path) == str(r.files('chair_app') / name), (name, path)\n"
        "print(p.RESOURCES)\n"
    )
    out = _timed("resource lookup", [str(python), "-c", code], env=env, cwd=env["HOME"]).stdout
    assert "site-packages" in out and str(ROOT) not in out
    installed_package = Path(out.strip()).parent
    for top in ("resources", "db", "ui"):  # every file of the three folders travels in the wheel
        ours = {
            p.relative_to(ROOT / top) for p in (ROOT / top).rglob("*") if p.is_file() and "__pycache__" not in p.parts
        }
        theirs = {p.relative_to(installed_package / top) for p in (installed_package / top).rglob("*") if p.is_file()}
        assert ours <= theirs, f"{top}: missing from the wheel: {sorted(map(str, ours - theirs))}"


def test_the_installed_chair_app_runs_demo_handout_and_report(installed, tmp_path):
    assert _chair(installed, "--version").stdout.startswith("chair-app ")
    made = _chair(installed, "demo").stdout
    ref = re.search(r"Added demo conference (C-[0-9A-F]{6})", made).group(1)
    _chair(installed, "handout", ref, "--out", str(tmp_path / "handout.pdf"))
    assert (tmp_path / "handout.pdf").read_bytes()[:5] == b"%PDF-"
    today = date.today()
    start, end = (today - timedelta(days=364)).strftime("%d/%m/%Y"), today.strftime("%d/%m/%Y")
    report = _chair(installed, "report", "--from", start, "--to", end, "--out", str(tmp_path / "report")).stdout
    assert "14 CSV files" in report
    assert (tmp_path / "report" / "summary.pdf").read_bytes()[:5] == b"%PDF-"
    plans = (tmp_path / "report" / "04_plans.csv").read_text(encoding="utf-8")
    assert re.search(r"^Plans started in the period,[1-9]", plans, re.M), plans
