"""The one calm theme: ui/theme.qss applied to a top-level window."""

from __future__ import annotations

from functools import cache

from PySide6.QtWidgets import QWidget

from chair_app.paths import UI


@cache
def stylesheet() -> str:
    return (UI / "theme.qss").read_text(encoding="utf-8")


def apply_theme(widget: QWidget) -> None:
    widget.setStyleSheet(stylesheet())
