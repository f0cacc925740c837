"""Opening the content DB for writing, and one write transaction that reports the real error."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from kiosk.store.errors import StoreError, explain
from kiosk.store.reader import open_ro

WRITE_TIMEOUT_S = 3.0


def open_rw(path: Path) -> sqlite3.Connection:
    """A read-write connection in WAL mode (the kiosk keeps reading while staff write)."""
    if not path.parent.is_dir():
        raise StoreError(f"{path}: the folder {path.parent} does not exist; create it first")
    try:
        conn = sqlite3.connect(path, timeout=WRITE_TIMEOUT_S, isolation_level=None)
        conn.row_factory = sqlite3.Row
        conn.execute("PRAGMA foreign_keys = OFF")  # source_key is checked by validate
        if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
            conn.execute("PRAGMA journal_mode = WAL")
    except sqlite3.Error as error:
        raise explain(path, error) from None
    return conn


def check_existing(path: Path) -> None:
    """A file that exists must be a readable SQLite DB (one-line error otherwise)."""
    if path.exists():
        open_ro(path).close()


@contextlib.contextmanager
def write_transaction(path: Path) -> Iterator[sqlite3.Connection]:
    """``BEGIN IMMEDIATE`` … ``COMMIT`` on ``path``; any error rolls back and is one line.

    The rollback only runs while a transaction is open, so a failed statement that already
    ended it cannot hide the real error behind "cannot rollback - no transaction is active".
    """
    check_existing(path)
    conn = open_rw(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
