"""The app's log: events and faults, never personal data.

Log lines name operations, record ids and exception *types* with the code locations they passed through.
Exception messages are never written, because database and validation errors quote the values involved
(names, addresses, views). The log lives in the user's log folder, not in a temp directory.
"""

from __future__ import annotations

import logging
import logging.handlers
import os
import traceback
from dataclasses import dataclass
from pathlib import Path

from chair_app.paths import make_private_folders

ENV_LOG_DIR = "CHAIR_LOG_DIR"


def log_dir() -> Path:
    if os.environ.get(ENV_LOG_DIR):
        return Path(os.environ[ENV_LOG_DIR])
    import platformdirs

    return Path(platformdirs.user_log_dir("chair-app", appauthor=False))


def safe_trace(exc: BaseException) -> str:
    """Type and stack of an exception, without its message or any local values."""
    frames = traceback.extract_tb(exc.__traceback__)
    where = " <- ".join(f"{Path(f.filename).name}:{f.lineno}:{f.name}" for f in reversed(frames))
    return f"{type(exc).__module__}.{type(exc).__qualname__} at {where}"


@dataclass
class AppLog:
    logger: logging.Logger

    def crash(self, exc: BaseException) -> None:
        self.logger.error("unexpected error: %s", safe_trace(exc))
        cause = exc.__cause__ or exc.__context__
        if cause is not None:
            self.logger.error("  caused by: %s", safe_trace(cause))


def setup_logging() -> AppLog:
    logger = logging.getLogger("chair_app")
    if not logger.handlers:
        logger.setLevel(logging.INFO)
        logger.propagate = False
        try:
            directory = log_dir()
            make_private_folders(directory)
            path = directory / "chair-app.log"
            os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND | os.O_NOFOLLOW, 0o600))
            handler: logging.Handler = logging.handlers.RotatingFileHandler(
                path, maxBytes=1_000_000, backupCount=3, encoding="utf-8"
            )
        except OSError:
            handler = logging.NullHandler()
        handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(message)s"))
        logger.addHandler(handler)
    return AppLog(logger)
