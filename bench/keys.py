"""Opening an encrypted laptop database against the same database plain (issue 14): `python -m bench.keys`.

One archive of 10,000 conferences (bench/county.py, cached like bench/scale.py's), with an administrator; one
copy kept plain, one encrypted by the app's own conversion (services/encryption.py). Timed, interleaved, with
ratios against the plain copy measured in the same run:

- the whole `chair-app --user admin list` process, as a person waits for it (password from CHAIR_PASSWORD:
  the encrypted copy also unwraps its key, one more argon2 derivation);
- in one process, opening the database and reading the full conference list, the key already unwrapped (what
  SQLCipher itself costs: page decryption, no key derivation, since the key is given raw).

Budget (issue 14): the encrypted database opens in <= 1.3x the plain one's time.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from bench.common import median, table
from bench.scale import CACHE, GENERATOR, child_env

PASSWORD = "bench password, long enough"
BUDGET = 1.3


def _archive(size: int, folder: Path) -> Path:
    from bench.county import build_archive
    from chair_app.store.engine import open_database, sqlite_url

    cached = CACHE / f"{GENERATOR}-keys-{size}.db"
    if not cached.exists():
        CACHE.mkdir(parents=True, exist_ok=True)
        building = cached.with_name(cached.name + ".building")
        building.unlink(missing_ok=True)
        db = open_database(sqlite_url(building))
        build_archive(db, size, date.today() + timedelta(days=28))
        db.dispose()
        os.replace(building, cached)
    target = folder / "plain.db"
    shutil.copyfile(cached, target)
    return target


def _prepare(folder: Path, size: int) -> tuple[Path, Path]:
    from chair_app.rules.policy import load_policy
    from chair_app.services import accounts
    from chair_app.services.encryption import encrypt_database
    from chair_app.store.engine import open_database, sqlite_url

    policy = load_policy()
    plain = _archive(size, folder)
    db = open_database(sqlite_url(plain))
    accounts.first_administrator(db, policy, name="admin", full_name="", password=PASSWORD, also=("chair",))
    with db.engine.connect() as conn:
        conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    db.dispose()
    encrypted = folder / "encrypted.db"
    shutil.copyfile(plain, encrypted)
    db = open_database(sqlite_url(encrypted))
    accounts.sign_in(db, policy, "admin", PASSWORD)
    encrypt_database(db, PASSWORD)
    return plain, encrypted


def _process(path: Path) -> float:
    env = child_env(CHAIR_PASSWORD=PASSWORD, CHAIR_DB_URL=f"sqlite:///{path}")
    start = time.perf_counter()
    proc = subprocess.run([sys.executable, "-m", "chair_app", "--user", "admin", "list"], env=env, capture_output=True)
    took = time.perf_counter() - start
    if proc.returncode != 0:
        raise SystemExit(f"chair-app list failed on {path.name}: {proc.stderr.decode()[:300]}")
    return took


def measure(size: int, runs: int) -> list[tuple[str, str, str, str]]:
    from chair_app.store import keys

    with tempfile.TemporaryDirectory(prefix="chair-bench-keys-") as tmp:
        plain, encrypted = _prepare(Path(tmp), size)
        key = keys.unlock(encrypted, "admin", PASSWORD)
        whole = {"plain": [], "encrypted": []}
        inner = {"plain": [], "encrypted": []}
        for _ in range(runs):  # interleaved, so a busy moment on the machine hits both
            whole["plain"].append(_process(plain))
            whole["encrypted"].append(_process(encrypted))
        for _ in range(runs):
            db_plain = _in_process_signed(plain, None)
            db_enc = _in_process_signed(encrypted, key)
            inner["plain"].append(db_plain)
            inner["encrypted"].append(db_enc)
    rows = []
    for label, got in (
        (f"`chair-app --user admin list`, {size:,} conferences, whole process, median", whole),
        (f"open + read the list of {size:,} conferences in one process (key unwrapped), median", inner),
    ):
        p, e = median(got["plain"]), median(got["encrypted"])
        rows.append(
            (
                label,
                f"{e:.3f} s",
                f"plain {p:.3f} s / {e / p:.2f}x",
                f"<= {BUDGET}x " + ("met" if e / p <= BUDGET else "NOT MET"),
            )
        )
    return rows


def _in_process_signed(path: Path, key: bytes | None) -> float:
    """Open and list with the administrator signed in (the list is the chair's, clerk's or manager's: the
    bench reads it as the app's Core reader does, through the same engine, without the role check)."""
    from sqlalchemy import text

    from chair_app.store.engine import open_database, sqlite_url

    start = time.perf_counter()
    db = open_database(sqlite_url(path), key=key)
    with db.engine.connect() as conn:
        conn.execute(text("SELECT id, held_on, family_id, chair, record_status FROM conference ORDER BY held_on")).all()
    took = time.perf_counter() - start
    db.dispose()
    return took


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.keys")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    print(table("Encrypted laptop database (issue 14)", measure(args.size, args.runs)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
