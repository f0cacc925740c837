"""Content snapshots: one self-contained SQLite file that travels through the fleet channel.

``copy_snapshot`` makes a consistent copy of a live content DB (SQLite's backup API, so a
staff import running at the same time is either wholly in it or not at all) in rollback
journal mode, so the copy is one file with no ``-wal`` beside it. ``check_snapshot`` is
what a kiosk runs on a downloaded file before it may replace the content DB: integrity,
schema version (an older one is migrated in the file, a newer one refused) and every
content rule.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.errors import StoreError, explain, newer_version_message
from kiosk.store.layout import SCHEMA_VERSION, image_names, schema_version
from kiosk.store.reader import open_ro, read_rows, snapshot
from kiosk.store.validate import Problem, check_rows


@dataclass(frozen=True)
class SnapshotCheck:
    """What ``check_snapshot`` found in a file that passed."""

    schema_version: int  # after migration
    migrated: tuple[str, ...]  # schema steps applied to the file ("" when none)
    warnings: tuple[Problem, ...]
    digest: str  # ``rows_digest`` of the content


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
    return SnapshotCheck(version, migrated, warnings, rows_digest(rows))


def rows_digest(rows: dict[str, list[dict]]) -> str:
    """SHA-256 of the content's rows, whatever the file's bytes (journal mode, page order).

    Two DBs with the same digest show the same content; a staff edit changes it.
    """
    text = json.dumps(rows, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def content_digest(path) -> str:
    """``rows_digest`` of a content DB, read read-only in one transaction (WAL included)."""
    path = Path(path)
    conn = open_ro(path)
    try:
        return rows_digest(snapshot(conn, path))
    finally:
        conn.close()


def _to_rollback_journal(path: Path) -> None:
    try:
        conn = sqlite3.connect(path, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            conn.close()
    except sqlite3.Error as error:
        raise explain(path, error) from None


def _wal_files(db_path: Path) -> list[Path]:
    return [db_path.with_name(db_path.name + suffix) for suffix in ("-wal", "-shm")]


def install_snapshot(new_file, db_path) -> None:
    """Put the checked file ``new_file`` in place of the content DB with one rename.

    ``new_file`` must be in the DB's folder (same file system). A reader sees the old file
    or the new one, never a mix. The old DB may be in WAL mode with a ``-wal`` file beside
    it: SQLite would apply that file's pages to whatever DB carries the name, so it is
    checkpointed into the old file first and removed after the rename.
    """
    new_file, db_path = Path(new_file), Path(db_path)
    wal = _wal_files(db_path)[0]
    if db_path.is_file() and wal.exists() and wal.stat().st_size > 0:
        try:
            conn = sqlite3.connect(db_path, timeout=5.0, isolation_level=None)
            try:
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
            finally:
                conn.close()
        except sqlite3.Error as error:
            raise explain(db_path, error) from None
    fsync_file(new_file)
    os.replace(new_file, db_path)
    fd = os.open(db_path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)
    # The old inode keeps its open readers; these names now belong to the new file, which
    # is in rollback-journal mode and needs neither.
    for leftover in _wal_files(db_path):
        leftover.unlink(missing_ok=True)
