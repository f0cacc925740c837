"""The last good content on disk: a validated copy beside the content DB.

Every read of the live DB goes through a private copy of its files (SQLite never opens the
live DB in the kiosk, so the kiosk never holds a lock, a ``-wal`` or a ``-shm`` there):
the copy is checked and read, and only when its content passed every check does it replace
``content.db.last-good`` (an atomic rename). At start-up, when the live DB is missing or
bad, the kiosk shows this copy instead of a holding screen.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sqlite3
from pathlib import Path

from kiosk.store.errors import StoreError

SUFFIX = ".last-good"


def last_good_path(db_path) -> Path:
    """``content.db.last-good`` beside ``content.db``."""
    path = Path(db_path)
    return path.with_name(path.name + SUFFIX)


def copy_files(db_path: Path, dest: Path) -> None:
    """Copy the DB's files as they are (the main file, then its ``-wal`` or ``-journal``)
    to ``dest``, then let SQLite make ``dest`` one self-contained file.

    SQLite opens only the copy: its recovery applies the valid frames of the copied
    ``-wal`` (or rolls back a hot journal) and ignores a garbage one, as a fresh opener of
    the live DB would, while a stale ``-shm`` beside the live DB plays no part. The
    caller checks that the files did not change during the copy.
    """
    for suffix in ("", "-wal", "-journal", "-shm"):
        Path(f"{dest}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(db_path, dest)
    for suffix in ("-wal", "-journal"):
        side = Path(f"{db_path}{suffix}")
        try:
            if side.stat().st_size:
                shutil.copyfile(side, f"{dest}{suffix}")
        except FileNotFoundError:
            pass
    conn = sqlite3.connect(dest, isolation_level=None)
    try:
        # A private copy: no fsyncs (they slow the start-up); it is checked when read.
        conn.execute("PRAGMA synchronous = OFF")
        # Checkpoints the copied -wal into the copy and removes it: a file that reads alone.
        conn.execute("PRAGMA journal_mode = DELETE").fetchone()
    finally:
        conn.close()


def describe(db_path) -> tuple[bool, str]:
    """(present, one line) about the last good copy, for ``kiosk doctor``."""
    path = last_good_path(db_path)
    try:
        stat = path.stat()
    except OSError:
        return False, f"no last good copy yet ({path.name} is made when the kiosk shows content)"
    saved = dt.datetime.fromtimestamp(stat.st_mtime).strftime("%Y-%m-%d %H:%M")
    try:
        from kiosk.store.reader import load_content

        content = load_content(path)
    except StoreError as error:
        return False, f"{path} does not load: {error}"
    return True, f"{path} saved {saved}, {len(content.playlist)} slides; shown if the DB is bad"


def install(copy: Path, db_path) -> None:
    """Make ``copy`` (already checked) the last good copy, atomically."""
    os.replace(copy, last_good_path(db_path))
