"""Where the app's non-code parts are: ``resources/``, ``db/`` and ``ui/``.

In the repository they sit at the top, beside ``chair_app``. A wheel (``pip install .``) carries them inside
the package as ``chair_app/resources``, ``chair_app/db`` and ``chair_app/ui`` (pyproject.toml maps the top
folders there), and the PyInstaller bundle puts them at the same place under its ``_internal`` folder
(build_spec/chair.spec). So each is looked up the same way everywhere: inside the package first (the folder
``importlib.resources.files("chair_app")`` names; tests/e2e/test_wheel.py checks they agree in a wheel
install), then beside it (a checkout, installed editable or run from its folder).

The package folder is taken from ``__file__`` rather than by calling ``importlib.resources``: for a package
on disk, as all three installs are, they are the same folder, and importing ``importlib.resources`` would
add several milliseconds to every start of the window.
"""

from __future__ import annotations

from pathlib import Path

PACKAGE = Path(__file__).resolve().parent


def _folder(name: str) -> Path:
    inside = PACKAGE / name
    if inside.is_dir():  # a wheel or the bundle
        return inside
    beside = PACKAGE.parent / name
    if beside.is_dir():  # a checkout
        return beside
    raise FileNotFoundError(f"Chair is incomplete: its {name} folder is missing from {PACKAGE}; reinstall Chair")


RESOURCES = _folder("resources")
MIGRATIONS = _folder("db")
UI = _folder("ui")


PRIVATE_FOLDER_MODE = 0o700


def make_private_folders(folder: Path) -> None:
    """Create ``folder`` and any missing parents so only this user can open them (0700), whatever the umask.

    Folders that already exist are left as they are (their modes are the owner's choice). Raises OSError
    (FileExistsError when something else took the name meanwhile is ignored).
    """
    import os

    missing = []
    here = folder
    while not here.exists() and here != here.parent:
        missing.append(here)
        here = here.parent
    for part in reversed(missing):
        part.mkdir(mode=PRIVATE_FOLDER_MODE, exist_ok=True)
        os.chmod(part, PRIVATE_FOLDER_MODE)  # the umask may have taken bits away; it never adds them
