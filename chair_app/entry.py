"""The `chair-app` entry point: with no arguments the window opens without building the command parser.

Everything else goes to `chair_app.cli`. Both paths refuse in one line on stderr with exit status 2, never
with a traceback; an unexpected fault is logged without personal data.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

EXIT_REFUSED = 2
EXIT_BROKEN_PIPE = 141  # what a command killed by SIGPIPE reports (128 + 13): `chair-app list | head`


def one_line(message: str, limit: int = 400) -> str:
    """A message as one printable line: line breaks become spaces, characters that cannot be encoded are
    escaped (a lone surrogate from a bad file must not turn a refusal into a crash)."""
    text = " ".join(str(message).split())
    text = text.encode("utf-8", "backslashreplace").decode("utf-8")
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _quiet_stdout() -> None:
    """The reader of stdout has gone (`| head`): send the rest nowhere, so exit does not complain either."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def guarded(run: Callable[[], int]) -> int:
    from chair_app.domain.errors import ChairError

    try:
        code = run()
        sys.stdout.flush()  # a closed pipe shows here, inside the guard, not at exit
        return code
    except ChairError as exc:
        print(f"chair-app: {one_line(str(exc))}", file=sys.stderr)
        return EXIT_REFUSED
    except BrokenPipeError:  # not a fault: the program reading the output stopped reading
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
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
