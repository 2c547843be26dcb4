"""Where the app's non-code parts are: ``resources/``, ``db/`` and ``ui/`` beside the package.

The app is installed editable from its checkout (the README's commands) or frozen by PyInstaller, which
copies the same folders next to the executable; both put them one level above ``chair_app``.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(getattr(sys, "_MEIPASS", Path(__file__).resolve().parent.parent))
RESOURCES = ROOT / "resources"
MIGRATIONS = ROOT / "db"
UI = ROOT / "ui"
