"""Checks a content DB file must pass before any of it is read.

``check_header``: the SQLite header's page size and page count agree with the file's size
(a truncated or padded copy is refused before SQLite reads a page of it); ``quick_check``:
SQLite's own structural check; ``check_limits``: nothing larger than the kiosk can show
(rows per table, characters per value). Each raises a one-line StoreError.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

from kiosk.store.errors import StoreError
from kiosk.store.layout import TABLES

MAGIC = b"SQLite format 3\x00"
MAX_DB_BYTES = 64 * 1024 * 1024  # the shipped content is ~100 KB; pictures live beside it
MAX_ROWS = 5_000  # per table
MAX_CHARS = 20_000  # per value (the longest shipped text is ~550)

RESTORE = "restore a backup ('kiosk db restore') or rebuild the DB"


def check_header(path: Path) -> None:
    """The header is SQLite's and its page count fits the file's size; else StoreError."""
    with open(path, "rb") as handle:
        header = handle.read(100)
        size = handle.seek(0, 2)
    if size > MAX_DB_BYTES:
        raise StoreError(
            f"{path} is {size // 2**20} MiB, more than the {MAX_DB_BYTES // 2**20} MiB a "
            f"content DB may be; {RESTORE}"
        )
    if len(header) < 100 or not header.startswith(MAGIC):
        raise StoreError(
            f"{path} is not a SQLite content DB (damaged or another kind of file); {RESTORE}"
        )
    page_size = int.from_bytes(header[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        raise StoreError(f"{path} has a damaged header (page size {page_size}); {RESTORE}")
    if size % page_size:
        raise StoreError(
            f"{path} is cut short or damaged ({size} bytes is not a whole number of "
            f"{page_size}-byte pages); {RESTORE}"
        )
    pages = int.from_bytes(header[28:32], "big")
    # The header's page count is only kept up to date when bytes 24-27 equal bytes 92-95.
    if pages and header[24:28] == header[92:96] and pages * page_size > size:
        raise StoreError(
            f"{path} is cut short: its header says {pages} pages, the file holds "
            f"{size // page_size}; {RESTORE}"
        )


def quick_check(conn: sqlite3.Connection, path: Path) -> None:
    """SQLite's ``PRAGMA quick_check``: StoreError naming its first finding unless 'ok'."""
    with contextlib.closing(conn.execute("PRAGMA quick_check(3)")) as rows:
        found = [row[0] for row in rows]
    if found != ["ok"]:
        first = " ".join(str(found[0] if found else "no answer").split())[:160]
        raise StoreError(f"{path} is damaged (SQLite's check: {first}); {RESTORE}")


def check_limits(conn: sqlite3.Connection, path: Path) -> None:
    """No table longer than MAX_ROWS, no value longer than MAX_CHARS; else StoreError."""
    for table, columns in TABLES.items():
        (count,) = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()
        if count > MAX_ROWS:
            raise StoreError(
                f"{path}: the table '{table}' has {count} rows, more than the {MAX_ROWS} "
                f"the kiosk shows; {RESTORE}"
            )
        lengths = ", ".join(f'length("{name}")' for name, _ in columns)
        row = conn.execute(
            f'SELECT key, max({lengths}) FROM "{table}" WHERE max({lengths}) > ? LIMIT 1',
            (MAX_CHARS,),
        ).fetchone()
        if row is not None:
            key = " ".join(str(row[0])[:40].split())
            raise StoreError(
                f"{path}: a value in '{table}' (row '{key}') is {row[1]} characters long, "
                f"more than the {MAX_CHARS} the kiosk shows; shorten it"
            )
