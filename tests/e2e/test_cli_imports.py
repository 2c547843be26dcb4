"""Commands import only what their work needs: `list` reads with Core (no ORM, no mapped classes), `policy`
opens no database, and the statutory exports and `show` never load pandas. Checked in real processes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
WATCHED = ("sqlalchemy", "sqlalchemy.orm", "chair_app.store.models", "pandas", "numpy", "matplotlib", "alembic")


def loaded_after(args: list[str], tmp_path) -> tuple[set[str], str]:
    code = (
        "import sys\nfrom chair_app.entry import main\ncode = main(sys.argv[1:])\n"
        f"print('LOADED', ','.join(m for m in {WATCHED!r} if m in sys.modules))\nsys.exit(code)\n"
    )
    env = dict(os.environ, PYTHONPATH=str(ROOT), CHAIR_DB_URL=f"sqlite:///{tmp_path / 'chair.db'}")
    proc = subprocess.run([sys.executable, "-c", code, *args], env=env, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    line = next(x for x in proc.stdout.splitlines() if x.startswith("LOADED"))
    return set(filter(None, line.split(" ", 1)[1].split(","))), proc.stdout


@pytest.fixture
def with_demo(tmp_path):
    env = dict(os.environ, PYTHONPATH=str(ROOT), CHAIR_DB_URL=f"sqlite:///{tmp_path / 'chair.db'}")
    subprocess.run([sys.executable, "-m", "chair_app", "demo"], env=env, check=True, capture_output=True, timeout=120)
    return tmp_path


def test_list_builds_no_orm_objects(with_demo):
    loaded, out = loaded_after(["list"], with_demo)
    assert "Hayes family" in out
    assert "sqlalchemy" in loaded
    assert not loaded & {"sqlalchemy.orm", "chair_app.store.models", "alembic", "pandas", "numpy"}


def test_policy_show_opens_no_database(tmp_path):
    loaded, out = loaded_after(["policy", "show"], tmp_path)
    assert "# Policy in force:" in out
    assert not loaded


def test_show_and_the_statutory_export_never_load_pandas(with_demo):
    loaded, _ = loaded_after(
        ["export-participation", "--from", "01/01/2020", "--to", "31/12/2030", "--out", str(with_demo / "p.csv")],
        with_demo,
    )
    assert not loaded & {"pandas", "numpy", "matplotlib"}
    _, out = loaded_after(["list"], with_demo)
    ref = out.splitlines()[1].split()[0]
    loaded, out = loaded_after(["show", ref], with_demo)
    assert "Hayes family" in out
    assert not loaded & {"pandas", "numpy", "matplotlib"}
