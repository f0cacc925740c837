"""Content snapshots: one self-contained SQLite file that travels through the fleet channel.

``copy_snapshot`` makes a consistent copy of a live content DB (SQLite's backup API, so a
staff import running at the same time is either wholly in it or not at all) in rollback
journal mode, so the copy is one file with no ``-wal`` beside it. ``check_snapshot`` is
what a kiosk runs on a downloaded file before it may replace the content DB: integrity,
schema version (an older one is migrated in the file, a newer one refused) and every
content rule.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.errors import StoreError, explain, newer_version_message
from kiosk.store.layout import SCHEMA_VERSION, image_names, schema_version
from kiosk.store.reader import open_ro, read_rows
from kiosk.store.validate import Problem, check_rows


@dataclass(frozen=True)
class SnapshotCheck:
    """What ``check_snapshot`` found in a file that passed."""

    schema_version: int  # after migration
    migrated: tuple[str, ...]  # schema steps applied to the file ("" when none)
    warnings: tuple[Problem, ...]


def first_errors_line(problems: list[Problem]) -> str:
    """'<first error> (and N more)' for a list with at least one error."""
    errors = [p for p in problems if p.level == "error"]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{errors[0]}{more}"


def copy_snapshot(src, dest) -> int:
    """Copy the content DB ``src`` to the new file ``dest``; return its schema version.

    The copy is flushed to disk (fsync) before this returns.
    """
    src, dest = Path(src), Path(dest)
    conn = open_ro(src)
    try:
        target = sqlite3.connect(dest, isolation_level=None)
        try:
            conn.backup(target)
            # One file: a WAL-mode source would otherwise make the copy want a -wal file.
            target.execute("PRAGMA journal_mode = DELETE")
            version = schema_version(target)
        finally:
            target.close()
    except sqlite3.Error as error:
        raise explain(src, error) from None
    finally:
        conn.close()
    fsync_file(dest)
    return version


def fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def snapshot_schema_version(path) -> int:
    """The schema version recorded in a snapshot file (read-only)."""
    path = Path(path)
    conn = open_ro(path)
    try:
        return schema_version(conn)
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()


def check_snapshot(path, base_dir=None) -> SnapshotCheck:
    """Check a downloaded snapshot before it is installed; StoreError (one line) if unfit.

    ``base_dir`` is the folder the file will be installed into (image paths in the content
    are relative to it). An older schema is migrated in ``path`` itself, so only call this
    on a private copy.
    """
    path = Path(path)
    base = Path(base_dir) if base_dir is not None else path.resolve().parent
    conn = open_ro(path)
    try:
        result = conn.execute("PRAGMA integrity_check").fetchall()
        if [tuple(r) for r in result] != [("ok",)]:
            raise StoreError(
                f"{path}: SQLite integrity check failed ({result[0][0]}); the file is damaged"
            )
        version = schema_version(conn)
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: " + newer_version_message(version))
    migrated: tuple[str, ...] = ()
    if version < SCHEMA_VERSION:
        from kiosk.store.writer import migrate_db

        migrated = tuple(migrate_db(path))
        # migrate_db leaves the file in WAL mode; fold it back into one file.
        _to_rollback_journal(path)
    conn = open_ro(path)
    try:
        conn.execute("BEGIN")
        try:
            rows = read_rows(conn)
            images = image_names(conn)
            version = schema_version(conn)
        finally:
            conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    problems = check_rows(rows, base, images)
    if any(p.level == "error" for p in problems):
        raise StoreError(f"content check failed: {first_errors_line(problems)}")
    warnings = tuple(p for p in problems if p.level == "warning")
    return SnapshotCheck(version, migrated, warnings)


def _to_rollback_journal(path: Path) -> None:
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise explain(path, error) from None
