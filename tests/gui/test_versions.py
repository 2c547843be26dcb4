"""The tested set of packages, and the probe that chose PySide6's version (docs/reliability.md)."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROBE = Path(__file__).with_name("none_probe.py")


def test_qt_calls_that_return_nothing_keep_none_s_reference_count():
    done = subprocess.run(
        [sys.executable, str(PROBE)],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, f"the probe process ended with {done.returncode}: {done.stderr[-800:]}"
    drift = {name: float(value) for name, value in re.findall(r"^PROBE (\S+) (\S+)$", done.stdout, re.M)}
    assert len(drift) == 10, done.stdout
    leaking = {name: d for name, d in drift.items() if abs(d) >= 0.01}
    assert not leaking, f"references to None gained or lost per call: {leaking}"


def _lock() -> dict[str, str]:
    pins = {}
    for raw in (ROOT / "requirements.lock").read_text().splitlines():
        pin = raw.split("#", 1)[0].strip()
        if pin:
            name, version = pin.split("==")
            pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def test_every_installed_package_is_the_version_in_the_lock():
    pins = _lock()
    assert pins["pyside6-essentials"] == "6.11.3"
    installed = {
        re.sub(r"[-_.]+", "-", d.metadata["Name"]).lower(): d.version
        for d in metadata.distributions()
        if d.metadata["Name"]
    }
    drifted = {name: (want, installed.get(name)) for name, want in pins.items() if installed.get(name) != want}
    assert not drifted, f"installed packages differ from requirements.lock (wanted, found): {drifted}"
