"""Before Qt loads: name a missing system library or screen in plain words instead of letting Qt abort.

Imports no Qt itself, so it can run first.
"""

from __future__ import annotations

import os
import sys

# Shared libraries Qt needs on Linux, with the Debian package that provides each.
OFFSCREEN_LIBS = {
    "GL": "libgl1",
    "EGL": "libegl1",
    "fontconfig": "libfontconfig1",
    "xkbcommon": "libxkbcommon0",
    "dbus-1": "libdbus-1-3",
    "glib-2.0": "libglib2.0-0",
}
XCB_LIBS = {
    "xkbcommon-x11": "libxkbcommon-x11-0",
    "xcb-cursor": "libxcb-cursor0",
    "xcb-icccm": "libxcb-icccm4",
    "xcb-image": "libxcb-image0",
    "xcb-keysyms": "libxcb-keysyms1",
    "xcb-randr": "libxcb-randr0",
    "xcb-render-util": "libxcb-render-util0",
    "xcb-shape": "libxcb-shape0",
    "xcb-xkb": "libxcb-xkb1",
    "xcb-xfixes": "libxcb-xfixes0",
    "X11-xcb": "libx11-xcb1",
}


# Where Debian (and most distributions) keep shared libraries; the multiarch folder first.
LIBRARY_DIRS = tuple(
    d
    for d in (
        f"/usr/lib/{getattr(sys.implementation, '_multiarch', '')}",
        f"/lib/{getattr(sys.implementation, '_multiarch', '')}",
        "/usr/lib64",
        "/lib64",
        "/usr/lib",
        "/lib",
        "/usr/local/lib",
    )
    if not d.endswith("/")
)


def _known_libraries() -> set[str] | None:
    """Shared library file names in the system library folders (a directory listing: no subprocess on the way
    to the window), else the sonames `ldconfig -p` knows, or None when neither can be asked."""
    names: set[str] = set()
    for folder in LIBRARY_DIRS:
        try:
            with os.scandir(folder) as entries:
                names.update(e.name for e in entries if ".so" in e.name)
        except OSError:
            continue
    return names or _ldconfig_libraries()


def _ldconfig_libraries() -> set[str] | None:
    import subprocess

    for ldconfig in ("/sbin/ldconfig", "/usr/sbin/ldconfig"):
        if os.path.exists(ldconfig):
            try:
                out = subprocess.run([ldconfig, "-p"], capture_output=True, text=True, timeout=5, check=True).stdout
            except (OSError, subprocess.SubprocessError):
                return None
            return {line.split()[0] for line in out.splitlines()[1:] if line.strip()}
    return None


def missing_packages(platform: str) -> list[str]:
    libs = dict(OFFSCREEN_LIBS)
    if platform == "xcb":
        libs |= XCB_LIBS
    known = _known_libraries()
    if known is None:
        import ctypes.util

        return [pkg for name, pkg in libs.items() if ctypes.util.find_library(name) is None]
    return [pkg for name, pkg in libs.items() if not any(so.startswith(f"lib{name}.so") for so in known)]


def problem() -> str | None:
    """A one-line explanation of why the window cannot open here, or None when it can."""
    if not sys.platform.startswith("linux"):
        return None
    platform = os.environ.get("QT_QPA_PLATFORM", "")
    if not platform:
        if os.environ.get("WAYLAND_DISPLAY"):
            platform = "wayland"
        elif os.environ.get("DISPLAY"):
            platform = "xcb"
        else:
            return (
                "no screen: the window needs a desktop session (DISPLAY is not set); "
                "use the subcommands (chair-app --help) or run under xvfb-run"
            )
    missing = missing_packages(platform.split(":")[0])
    if missing:
        return f"Qt needs system libraries that are not installed: sudo apt-get install {' '.join(missing)}"
    return None


def explain_import_error(exc: ImportError) -> str:
    import re

    match = re.search(r"(lib[\w.+-]+\.so[.\d]*)", str(exc))
    if match:
        return f"Qt could not load the system library {match.group(1)}: install it (see README, 'System libraries')"
    return "Qt could not be loaded (PySide6 is missing or broken): run the README's set-up command again"
