"""Where windows open: the chair's window on one monitor, the room's view on another when there is one.

Qt knows the monitors of a RandR desktop (``QGuiApplication.screens()``). An older two-monitor X setup that
offers only Xinerama shows Qt one screen spanning both (e.g. 2390x768 for a 1366x768 laptop beside a
1024x768 projector), so the window opened 1600 px wide across both and ended up under the projector's
window. There the monitors are read from Xinerama itself (libXinerama through ctypes); failing that, a
screen more than 2.1 times as wide as it is high is taken to hold more than one monitor and the window is
kept within the first 16:9 of it.
"""

from __future__ import annotations

import functools

from PySide6.QtCore import QPoint, QRect
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

WIDEST = 16 / 9  # the widest one monitor is taken to be, when several are seen as one screen
SEVERAL = 2.1  # a "screen" wider than this times its height is taken to be several monitors side by side
MAX_W, MAX_H = 1600, 950  # the chair's window need not be larger


@functools.cache
def _head_info():
    """Xinerama's XineramaScreenInfo (ctypes is imported only on an X desktop, not at every start)."""
    import ctypes

    class HeadInfo(ctypes.Structure):
        _fields_ = [
            ("screen_number", ctypes.c_int),
            ("x_org", ctypes.c_short),
            ("y_org", ctypes.c_short),
            ("width", ctypes.c_short),
            ("height", ctypes.c_short),
        ]

    return HeadInfo


def _library(soname: str, name: str):
    """A shared library by its usual soname; ctypes.util.find_library (which runs ldconfig) only failing that."""
    import ctypes

    try:
        return ctypes.CDLL(soname)
    except OSError:
        import ctypes.util

        found = ctypes.util.find_library(name)
        return ctypes.CDLL(found) if found else None


def xinerama_heads() -> list[QRect]:
    """The monitors of an X display as Xinerama lists them; [] when not X, not Xinerama, or not readable."""
    if QGuiApplication.platformName() != "xcb":
        return []
    import ctypes

    _HeadInfo = _head_info()
    try:
        x11, xin = _library("libX11.so.6", "X11"), _library("libXinerama.so.1", "Xinerama")
        if x11 is None or xin is None:
            return []
        x11.XOpenDisplay.restype = ctypes.c_void_p
        x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        x11.XCloseDisplay.argtypes = [ctypes.c_void_p]
        x11.XFree.argtypes = [ctypes.c_void_p]
        xin.XineramaIsActive.argtypes = [ctypes.c_void_p]
        xin.XineramaQueryScreens.restype = ctypes.POINTER(_HeadInfo)
        xin.XineramaQueryScreens.argtypes = [ctypes.c_void_p, ctypes.POINTER(ctypes.c_int)]
        display = x11.XOpenDisplay(None)
        if not display:
            return []
        try:
            if not xin.XineramaIsActive(display):
                return []
            count = ctypes.c_int(0)
            info = xin.XineramaQueryScreens(display, ctypes.byref(count))
            if not info:
                return []
            heads = [QRect(info[i].x_org, info[i].y_org, info[i].width, info[i].height) for i in range(count.value)]
            x11.XFree(info)
            return heads
        finally:
            x11.XCloseDisplay(display)
    except (OSError, AttributeError):
        return []


def monitors(screen_geometry: QRect, heads: list[QRect]) -> list[QRect]:
    """The monitors within one Qt screen: Xinerama's heads inside it, else the screen itself."""
    inside = [h for h in heads if screen_geometry.contains(h.center())]
    return inside if len(inside) > 1 else [screen_geometry]


def chair_window_rect(available: QRect, heads: list[QRect]) -> QRect:
    """The chair's window: on the first monitor of the available area (never across two), 95% of it at most."""
    found = monitors(available, heads)
    if len(found) > 1:
        area = min(found, key=lambda r: (r.x(), r.y())).intersected(available)
    elif available.width() > available.height() * SEVERAL:  # several monitors that Qt sees as one
        area = QRect(available.x(), available.y(), round(available.height() * WIDEST), available.height())
    else:
        area = available
    w = min(MAX_W, int(area.width() * 0.95))
    h = min(MAX_H, int(area.height() * 0.92))
    return QRect(area.x() + (area.width() - w) // 2, area.y() + (area.height() - h) // 2, w, h)


def place_chair_window(window: QWidget) -> None:
    """Before the window is first shown: size and place it on one monitor of the primary screen."""
    screen = QGuiApplication.primaryScreen()
    if screen is None:
        return
    heads = xinerama_heads() if len(QGuiApplication.screens()) == 1 else []
    window.setGeometry(chair_window_rect(screen.availableGeometry(), heads))


def projector_area(chair: QWidget | None) -> tuple[QRect, bool]:
    """Where the room's view goes: (area, on the chair's own monitor). Another Qt screen if there is one,
    else another Xinerama monitor, else the chair's own screen."""
    primary = QGuiApplication.primaryScreen()
    own = (chair.window().screen() if chair is not None else None) or primary
    others = [s for s in QGuiApplication.screens() if s is not own]
    if others:
        return others[0].geometry(), False
    heads = monitors(own.geometry(), xinerama_heads())
    if len(heads) > 1:
        centre = chair.window().frameGeometry().center() if chair is not None else QPoint(0, 0)
        away = [h for h in heads if not h.contains(centre)]
        if away:
            return away[0], False
    return own.geometry(), True
