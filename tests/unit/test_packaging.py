"""The wheel's package list: every package of chair_app, and the three top-level folders mapped into it."""

from __future__ import annotations

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_every_chair_app_package_and_every_resource_folder_is_listed_for_the_wheel():
    tool = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["tool"]["setuptools"]
    listed = set(tool["packages"])
    mapped = tool["package-dir"]
    on_disk = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "chair_app").rglob("__init__.py")}
    assert on_disk <= listed, f"add to [tool.setuptools] packages: {sorted(on_disk - listed)}"
    for top in ("resources", "db", "ui"):
        for folder in [ROOT / top, *(p for p in (ROOT / top).rglob("*") if p.is_dir() and p.name != "__pycache__")]:
            name = "chair_app." + ".".join(folder.relative_to(ROOT).parts)
            assert name in listed, f"add {name} to [tool.setuptools] packages"
            assert mapped[name] == folder.relative_to(ROOT).as_posix()
