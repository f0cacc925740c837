"""Whole-DB staff operations: build, restore, validate, migrate (rows: ``importing``, ``applying``).

Every operation that replaces content first makes a backup (``backups``) and installs a
complete, checked copy in one step (``install``).
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from pathlib import Path

from kiosk.store.applying import ImportResult, apply_import
from kiosk.store.backups import backup_before_change, backup_folder
from kiosk.store.errors import StoreError, explain, os_error
from kiosk.store.importing import plan_import
from kiosk.store.install import check_copy, copy_to_temp, install, remove_quietly
from kiosk.store.layout import image_names
from kiosk.store.reader import check_schema, open_ro, snapshot
from kiosk.store.schema import SCHEMA_VERSION, apply_migrations, schema_version
from kiosk.store.transaction import write_transaction
from kiosk.store.validate import Problem, check_rows


def _backup_or_raw_copy(target: Path, action: str) -> Path | None:
    """The backup before replacing ``target``; a damaged file is kept as a raw copy."""
    if not target.exists() or target.stat().st_size == 0:
        return None
    try:
        return backup_before_change(target, action)
    except StoreError:
        folder = backup_folder(target)
        out = folder / f"{target.stem}-damaged-before-{action}{target.suffix}"
        try:
            folder.mkdir(exist_ok=True)
            shutil.copy2(target, out)
        except OSError as error:
            raise os_error(out, error, "nothing changed") from None
        return out


def build_db(target, seed_dir, *, force: bool = False) -> ImportResult:
    """Build a DB from the CSV/XLSX/JSON files in ``seed_dir`` and install it at ``target``.

    An existing DB holds staff content: it is replaced only with ``force`` (after a backup).
    """
    target, seed_dir = Path(target), Path(seed_dir)
    if target.exists() and target.stat().st_size > 0 and not force:
        raise StoreError(
            f"{target} already exists and may hold staff content; nothing changed. Update rows "
            "with 'kiosk db import', or replace everything with 'kiosk db build --force' "
            "(a backup is made first)"
        )
    if not target.parent.is_dir():
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise os_error(target.parent, error, "nothing changed") from None
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp) / "build.db"
        plan = plan_import(fresh, seed_dir)
        if not plan.ok:
            errors = plan.errors
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise StoreError(f"build from {seed_dir}: nothing changed; {errors[0]}{more}")
        apply_import(fresh, plan)
        temp = copy_to_temp(fresh, target)
    try:
        problems = check_copy(temp, target, target.resolve().parent)
        backup = _backup_or_raw_copy(target, "build")
        install(temp, target)
    finally:
        remove_quietly(temp)
    counts = ", ".join(f"{len(p.added)} {p.table}" for p in plan.parts)
    warnings = sum(p.level == "warning" for p in problems)
    return ImportResult(target, backup, f"built {counts}; {warnings} warning(s)")


def restore_db(db_path, backup_file) -> ImportResult:
    """Make ``backup_file`` the content of ``db_path``: checked, backed up first, atomic."""
    target, source = Path(db_path), Path(backup_file)
    if not source.is_file():
        raise StoreError(f"{source}: backup file not found; nothing changed")
    if source.resolve() == target.resolve():
        raise StoreError(f"{source} is the content DB itself; give a backup file")
    temp = copy_to_temp(source, target)
    try:
        problems = check_copy(temp, source, target.resolve().parent)
        backup = _backup_or_raw_copy(target, "restore")
        install(temp, target)
    finally:
        remove_quietly(temp)
    warnings = sum(p.level == "warning" for p in problems)
    return ImportResult(target, backup, f"restored from {source}; {warnings} warning(s)")


def validate_db(db_path) -> list[Problem]:
    """Every content rule over the DB; StoreError only if it cannot be read at all."""
    path = Path(db_path)
    conn = open_ro(path)
    try:
        rows = snapshot(conn, path)
        images = image_names(conn)
    finally:
        conn.close()
    return check_rows(rows, path.resolve().parent, images)


def migrate_db(db_path) -> list[str]:
    """Apply missing schema steps (after a backup); return their names ([] when up to date)."""
    path = Path(db_path)
    if path.exists():
        conn = open_ro(path)
        try:
            version = schema_version(conn)
        except sqlite3.Error as error:
            raise explain(path, error) from None
        finally:
            conn.close()
        if 0 < version < SCHEMA_VERSION:
            backup_before_change(path, "migrate")
    with write_transaction(path) as conn:
        applied = apply_migrations(conn)
    # "Up to date" only if the kiosk can read every table and column it needs.
    conn = open_ro(path)
    try:
        check_schema(conn, path)
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    return applied


def upgrade_on_start(db_path) -> list[str]:
    """At kiosk start-up: migrate an older content DB in place; return the steps applied.

    Writes nothing when the schema is current (the kiosk may run without write access), and
    leaves missing, empty or non-content files to the read path, which explains them.
    A newer schema raises StoreError, as does a DB that cannot be written.
    """
    path = Path(db_path)
    if not path.is_file() or path.stat().st_size == 0:
        return []
    conn = open_ro(path)
    try:
        version = schema_version(conn)
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    if version == 0 or version == SCHEMA_VERSION:
        return []
    return migrate_db(path)
