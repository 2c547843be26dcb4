"""Fixtures and settings for the window's tests (pytest-qt, offscreen)."""

from __future__ import annotations

import functools

from pytestqt.qtbot import QtBot

# How long a test waits for the window to become ready before it fails. This is a readiness wait, not a
# claim about speed (bench/ measures speed): CI may share its two cores with other work, and a 5-second
# default failed the kill-and-reopen test 4 times in 20 on a loaded machine while the window was only slow.
READY_MS = 60_000


@functools.wraps(QtBot.waitUntil)
def _wait_until(self, callback, *, timeout: int = READY_MS) -> None:
    return _original_wait_until(self, callback, timeout=max(timeout, READY_MS))


_original_wait_until = QtBot.waitUntil
QtBot.waitUntil = _wait_until
