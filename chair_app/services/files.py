"""Every file and folder Chair writes for a person: atomic, private, and never somewhere it should not be.

- A file is written to a temporary file beside it, flushed to disk, then renamed over the target: a
  half-written file never replaces a good one, and a refused write leaves nothing behind.
- The target must be a regular file or not exist yet. A symbolic link, a folder, a device (``/dev/full``),
  a pipe or a socket is refused, never replaced; the check uses ``lstat`` so a link is not followed.
- Files are created 0600 and folders 0700 whatever the umask: reports and exports hold families' details.
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from chair_app.domain.errors import InvalidInput
from chair_app.paths import make_private_folders

FILE_MODE = 0o600


def _kind(mode: int) -> str:
    if stat.S_ISLNK(mode):
        return "a symbolic link"
    if stat.S_ISDIR(mode):
        return "a folder"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISFIFO(mode):
        return "a pipe"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def check_target(out: Path, label: str = "--out") -> None:
    """Refuse a target that is not a regular file (or a new name in an existing folder)."""
    if not str(out).strip():
        raise InvalidInput(f"{label}: give a file name")
    try:
        info = os.lstat(out)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InvalidInput(f"{label}: cannot use {out} ({exc.strerror}); choose another path") from None
    if info is not None and not stat.S_ISREG(info.st_mode):
        kind = _kind(info.st_mode)
        if kind == "a folder":
            raise InvalidInput(f"{label}: {out} is a folder: give a file name inside it")
        raise InvalidInput(f"{label}: {out} is {kind}; Chair writes only regular files: give another path")
    folder = out.parent if str(out.parent) else Path(".")
    if not folder.is_dir():
        raise InvalidInput(f"{label}: folder {folder} does not exist; create it or choose another path")


def write_file(out: Path, data: bytes, label: str = "--out") -> None:
    """Write ``data`` to ``out`` atomically, as a private (0600) regular file."""
    check_target(out, label)
    folder = out.parent if str(out.parent) else Path(".")
    try:
        fd, tmp = tempfile.mkstemp(prefix=".chair-", suffix=".part", dir=folder)
    except OSError as exc:
        raise InvalidInput(
            f"{label}: cannot write in {folder} ({exc.strerror}); choose a folder you can write to"
        ) from None
    try:
        with os.fdopen(fd, "wb") as fh:
            os.fchmod(fh.fileno(), FILE_MODE)
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        check_target(out, label)  # still not a link or device (it may have appeared while writing)
        os.replace(tmp, out)
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise InvalidInput(f"{label}: could not write {out} ({exc.strerror}); nothing was written") from None
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def private_folder(path: Path, label: str = "--out", *, parents: bool = True) -> Path:
    """``path`` as a folder only this user can open (0700), created if need be.

    A folder that already exists is used as it is (its mode is the owner's choice), unless it is a symbolic
    link or not a folder at all. With ``parents=False`` the folder above must exist.
    """
    if not str(path).strip():
        raise InvalidInput(f"{label}: give a folder")
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        info = None
    except OSError as exc:
        raise InvalidInput(f"{label}: cannot use {path} ({exc.strerror}); choose another folder") from None
    if info is not None:
        if stat.S_ISDIR(info.st_mode):
            return path
        kind = _kind(info.st_mode)
        kind = "a file" if kind == "not a regular file" or stat.S_ISREG(info.st_mode) else kind
        raise InvalidInput(f"{label}: {path} is {kind}; give a folder")
    if not parents and not path.parent.is_dir():
        raise InvalidInput(f"{label}: folder {path.parent} does not exist; create it or choose another path")
    try:
        make_private_folders(path)
    except OSError as exc:
        raise InvalidInput(f"{label}: cannot create folder {path} ({exc.strerror}); choose another") from None
    return path
