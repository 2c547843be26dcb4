"""The `chair-app` entry point: with no arguments the window opens without building the command parser.

Everything else goes to `chair_app.cli`. Both paths refuse in one line on stderr with exit status 2, never
with a traceback; an unexpected fault is logged without personal data.
"""

from __future__ import annotations

import sys
from collections.abc import Callable

EXIT_REFUSED = 2


def guarded(run: Callable[[], int]) -> int:
    from chair_app.domain.errors import ChairError

    try:
        return run()
    except ChairError as exc:
        print(f"chair-app: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except KeyboardInterrupt:
        print("chair-app: interrupted; nothing more was written", file=sys.stderr)
        return EXIT_REFUSED
    except Exception as exc:  # an unexpected fault: no traceback on screen, no personal data in the log
        from chair_app.logs import setup_logging

        setup_logging().crash(exc)
        print(
            f"chair-app: unexpected error ({type(exc).__name__}); nothing more was written. "
            "The log has details for support.",
            file=sys.stderr,
        )
        return EXIT_REFUSED


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if not args:  # the window: the common case, and the one whose start-up time a person waits for
        from types import SimpleNamespace

        from chair_app.gui.launch import launch

        return guarded(lambda: launch(SimpleNamespace(command=None, db=None, policy=None, demo=False)))
    from chair_app.cli import main as cli_main

    return cli_main(args)
