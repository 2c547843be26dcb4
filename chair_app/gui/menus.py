"""The main window's menus, shared by the modules that add to them (backup, import, history, continuity)."""

from __future__ import annotations

from PySide6.QtWidgets import QMainWindow, QMenu


def menu_named(window: QMainWindow, title: str) -> QMenu:
    """The window's menu called ``title`` (e.g. "&Conference"), made the first time it is asked for: one menu
    however many parts of Chair add to it."""
    found = next((a.menu() for a in window.menuBar().actions() if a.text() == title and a.menu()), None)
    return found if found is not None else window.menuBar().addMenu(title)
