"""Installing a whole content DB (restore, build): check a complete copy, then swap it in.

The new content is first written to a temporary file beside the live DB and checked there
(``PRAGMA quick_check``, schema, every content rule). It is then installed in one step:

- into a live DB that SQLite can open, with the SQLite backup API: one write transaction on
  the same file, so the running kiosk's open connection and its ``-wal``/``-shm`` stay
  coherent and its next read shows exactly the new content (a file renamed over a WAL DB
  can have the old ``-wal`` replayed over it by the next connection);
- over a missing or damaged file, with ``os.replace`` of the checked copy, after removing
  the old file's ``-wal`` and ``-shm`` so nothing of the damaged DB is replayed over it.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from pathlib import Path

from kiosk.store.errors import StoreError, explain, os_error
from kiosk.store.layout import SCHEMA_VERSION, image_names, schema_version
from kiosk.store.reader import open_ro, read_rows
from kiosk.store.transaction import open_rw
from kiosk.store.validate import Problem, check_rows


def temp_path_for(target: Path) -> Path:
    return target.with_name(f".{target.name}.new-{os.getpid()}")


def remove_quietly(*paths: Path) -> None:
    for path in paths:
        with contextlib.suppress(OSError):
            path.unlink()


def copy_to_temp(source: Path, target: Path) -> Path:
    """A complete, standalone copy of ``source`` beside ``target`` (same file system)."""
    temp = temp_path_for(target)
    remove_quietly(temp)
    src = open_ro(source)
    try:
        dst = sqlite3.connect(temp, isolation_level=None)
        try:
            src.backup(dst)
            dst.execute("PRAGMA journal_mode = WAL")  # the mode the live DB uses
        finally:
            dst.close()
    except sqlite3.Error as error:
        remove_quietly(temp)
        text = str(error).lower()
        if "unable to open" in text or "readonly" in text:
            raise StoreError(
                f"{target.parent}: cannot write the new content there ({error}); check the "
                "folder's permissions or run the command as the kiosk user; nothing changed"
            ) from None
        raise explain(target if "disk" in text else source, error) from None
    except OSError as error:
        remove_quietly(temp)
        raise os_error(target.parent, error, "nothing changed") from None
    finally:
        src.close()
    return temp


def check_copy(temp: Path, shown: Path, base_dir: Path) -> list[Problem]:
    """quick_check, schema and content rules of a copy; returns warnings, raises on errors."""
    conn = sqlite3.connect(temp, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        result = [r[0] for r in conn.execute("PRAGMA quick_check")]
        if result != ["ok"]:
            raise StoreError(
                f"{shown} is damaged (SQLite quick_check: {result[0]}); nothing changed"
            )
        version = schema_version(conn)
        if version > SCHEMA_VERSION or version == 0:
            raise StoreError(
                f"{shown} is not a content DB of this kiosk (schema version {version}); "
                "nothing changed"
            )
        if version < SCHEMA_VERSION:
            from kiosk.store.schema import apply_migrations

            conn.execute("BEGIN IMMEDIATE")
            apply_migrations(conn)
            conn.execute("COMMIT")
        problems = check_rows(read_rows(conn), base_dir, image_names(conn))
    except sqlite3.Error as error:
        raise explain(shown, error) from None
    finally:
        conn.close()
    errors = [p for p in problems if p.level == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise StoreError(f"{shown} has content errors; nothing changed; {errors[0]}{more}")
    return problems


def _readable(target: Path) -> bool:
    try:
        open_ro(target).close()
    except StoreError:
        return False
    return True


def install(temp: Path, target: Path) -> None:
    """Make the checked ``temp`` the content of ``target`` in one step; ``temp`` is consumed."""
    try:
        if target.exists() and _readable(target):
            src = sqlite3.connect(temp, isolation_level=None)
            dst = open_rw(target)
            try:
                src.backup(dst)
                dst.execute("PRAGMA wal_checkpoint(PASSIVE)")
            except sqlite3.Error as error:
                raise explain(target, error) from None
            finally:
                dst.close()
                src.close()
            remove_quietly(temp)
        else:
            remove_quietly(Path(f"{target}-wal"), Path(f"{target}-shm"))
            os.replace(temp, target)
    except OSError as error:
        raise os_error(target, error, "nothing changed") from None
    finally:
        remove_quietly(temp)
