"""Files Chair writes: only regular files replaced, private modes whatever the umask, spreadsheet cells as text."""

from __future__ import annotations

import csv
import io
import os
import stat
from pathlib import Path

import pandas as pd
import pytest
from sqlalchemy import String

from chair_app.domain.errors import ChairError, InvalidInput
from chair_app.exchange import cin
from chair_app.exchange.cells import safe_frame, text_cell
from chair_app.rules import inputs
from chair_app.services.files import private_folder, write_file
from chair_app.store.engine import open_database, sqlite_url


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


@pytest.fixture
def open_umask():
    old = os.umask(0o000)  # the most permissive umask: nothing is taken away
    yield
    os.umask(old)


def test_a_written_file_is_0600_even_with_umask_000(tmp_path, open_umask):
    out = tmp_path / "x.pdf"
    write_file(out, b"%PDF")
    assert out.read_bytes() == b"%PDF" and mode(out) == 0o600


def test_a_replaced_file_becomes_0600_and_no_temporary_file_is_left(tmp_path, open_umask):
    out = tmp_path / "x.json"
    out.write_text("old")
    os.chmod(out, 0o644)
    write_file(out, b"new")
    assert out.read_bytes() == b"new" and mode(out) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["x.json"]


def test_folders_are_created_0700_even_with_umask_000(tmp_path, open_umask):
    folder = tmp_path / "a" / "b"
    private_folder(folder)
    assert mode(tmp_path / "a") == 0o700 and mode(folder) == 0o700


def test_a_new_sqlite_database_is_0600_even_with_umask_000(tmp_path, open_umask):
    path = tmp_path / "chair.db"
    db = open_database(sqlite_url(path))
    db.dispose()
    assert mode(path) == 0o600
    for extra in ("chair.db-wal", "chair.db-shm"):  # SQLite gives its journal files the database's mode
        if (tmp_path / extra).exists():
            assert mode(tmp_path / extra) & 0o077 == 0


def test_the_default_data_and_log_folders_are_created_0700(tmp_path, open_umask, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    monkeypatch.setenv("CHAIR_LOG_DIR", str(tmp_path / "logs" / "chair"))
    from chair_app.logs import setup_logging
    from chair_app.store.engine import default_data_dir

    db = open_database(None)
    db.dispose()
    assert default_data_dir().is_relative_to(tmp_path)
    assert mode(default_data_dir()) == 0o700 and mode(default_data_dir() / "chair.db") == 0o600
    import logging

    logger = logging.getLogger("chair_app")
    saved = logger.handlers[:]
    logger.handlers.clear()
    try:
        setup_logging()
        assert mode(tmp_path / "logs" / "chair") == 0o700
        assert mode(tmp_path / "logs" / "chair" / "chair-app.log") == 0o600
    finally:
        for h in logger.handlers:
            h.close()
        logger.handlers[:] = saved


def test_an_explicit_database_path_never_creates_folders(tmp_path):
    with pytest.raises(ChairError, match="does not exist"):
        open_database(sqlite_url(tmp_path / "missing" / "dir" / "x.db"))
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("content", [b"hello\n", b'{"a": 1}', b"%PDF-1.4"])
def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path, content):
    path = tmp_path / "not.db"
    path.write_bytes(content)
    with pytest.raises(ChairError, match="not a SQLite database"):
        open_database(sqlite_url(path))
    assert path.read_bytes() == content


def test_a_device_is_never_replaced(tmp_path):
    before = os.lstat("/dev/full")
    with pytest.raises(InvalidInput, match="is a device"):
        write_file(Path("/dev/full"), b"x")
    after = os.lstat("/dev/full")
    assert stat.S_ISCHR(after.st_mode) and after.st_ino == before.st_ino


def test_a_symbolic_link_is_never_replaced_nor_followed(tmp_path):
    target = tmp_path / "target.txt"
    target.write_text("keep")
    link = tmp_path / "link.txt"
    link.symlink_to(target)
    with pytest.raises(InvalidInput, match="symbolic link"):
        write_file(link, b"x")
    assert link.is_symlink() and target.read_text() == "keep"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.txt", "target.txt"]


def test_a_pipe_and_a_folder_are_refused(tmp_path):
    os.mkfifo(tmp_path / "pipe")
    with pytest.raises(InvalidInput, match="is a pipe"):
        write_file(tmp_path / "pipe", b"x")
    with pytest.raises(InvalidInput, match="is a folder"):
        write_file(tmp_path, b"x")
    with pytest.raises(InvalidInput, match="is a symbolic link"):
        (tmp_path / "dirlink").symlink_to(tmp_path)
        private_folder(tmp_path / "dirlink")


def test_a_place_that_cannot_hold_a_file_is_refused_in_words():
    with pytest.raises(InvalidInput, match="--out: cannot write in /proc"):
        write_file(Path("/proc/x.pdf"), b"x")


# ---------------------------------------------------------------------------------------------------------
# Spreadsheet cells


ATTACK = "@SUM(1+1)*cmd|' /C calc'!A0"


@pytest.mark.parametrize("value", [ATTACK, "=1+1", "+44 20", "-2+3", "\tx", "\rx", "@x"])
def test_a_cell_a_spreadsheet_would_run_gets_a_leading_quote(value):
    assert text_cell(value) == "'" + value


@pytest.mark.parametrize("value", ["Hayes", "", "12", 12, -5, 3.5, None, "a=b"])
def test_other_cells_are_unchanged(value):
    assert text_cell(value) == value


def test_the_participation_csv_writes_the_issue_example_as_text():
    from datetime import date

    text = cin.participation_csv([cin.ParticipationRow(ATTACK, date(2016, 1, 2), date(2026, 1, 5), "PN1")])
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[1][0] == "'" + ATTACK
    assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows for cell in row)


def test_a_workbook_written_from_a_safe_frame_has_no_formula_cells(tmp_path):
    from openpyxl import load_workbook

    df = pd.DataFrame({"Child": [ATTACK, "=1+1", "Ava"], "Count": [-1, 2, 3]})
    book = tmp_path / "b.xlsx"
    safe_frame(df).to_excel(book, index=False)
    cells = [c for row in load_workbook(book).active.iter_rows() for c in row]
    assert not any(c.data_type == "f" for c in cells)
    assert [c.value for c in cells if c.column == 1][1:] == ["'" + ATTACK, "'=1+1", "Ava"]
    assert [c.value for c in cells if c.column == 2][1:] == [-1, 2, 3]  # numbers stay numbers


# ---------------------------------------------------------------------------------------------------------
# Text caps: the same as the store's columns


def test_short_field_caps_are_the_stores_column_lengths():
    """Every text field the store keeps in a String(n) column is capped at n before it reaches the store."""
    from chair_app.domain import model as m
    from chair_app.store.repository import RECORD_ROWS

    lengths = {}
    for record_cls, row_cls in RECORD_ROWS.items():
        kinds = m.field_types(record_cls)
        for column in row_cls.__table__.columns:
            if isinstance(column.type, String) and column.type.length and kinds[column.key][0] is str:
                lengths[column.key] = column.type.length
    assert lengths == inputs.SHORT_FIELDS


def test_an_older_default_database_left_readable_by_others_is_closed_when_opened(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    from chair_app.store.engine import default_data_dir

    folder = default_data_dir()
    folder.mkdir(parents=True)
    db = open_database(sqlite_url(folder / "chair.db"))
    db.dispose()
    os.chmod(folder, 0o755)
    os.chmod(folder / "chair.db", 0o644)  # as an older version left it under a 022 umask
    db = open_database(None)
    db.dispose()
    assert mode(folder) == 0o700 and mode(folder / "chair.db") == 0o600
