"""Importing staff files, step two: write a checked plan (and deleting rows by key).

``apply_import`` makes a backup, then writes the plan in one transaction, refusing if the
plan has errors or the DB changed since the plan was made (``ImportPlan.fingerprint``).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.backups import backup_before_change
from kiosk.store.errors import StoreError
from kiosk.store.importing import (
    ImportPlan,
    TableChanges,
    current_rows,
    fingerprint,
    new_problems,
    plan_import,
)
from kiosk.store.layout import TABLE_ORDER, TABLES
from kiosk.store.reader import read_rows
from kiosk.store.spreadsheet import refuse
from kiosk.store.transaction import write_transaction
from kiosk.store.validate import Problem


def errors_line(problems: list[Problem], what: str) -> StoreError:
    errors = [p for p in problems if p.level == "error"]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return StoreError(f"{what}: nothing changed; {errors[0]}{more}")


@dataclass
class ImportResult:
    """What a change did (import, delete, build, restore): the DB it wrote, the backup made
    first (None when there was no DB before), what changed, and the plan when it had one."""

    db_path: Path
    backup: Path | None
    summary: str
    plan: ImportPlan | None = None
    wrote: bool = True  # False: the plan changed nothing, so nothing was written

    def __str__(self) -> str:
        if not self.wrote:
            return f"{self.summary}; nothing to change in {self.db_path}"
        backup = f"; previous content backed up to {self.backup}" if self.backup else ""
        return f"{self.summary}; wrote {self.db_path}{backup}"


def apply_import(db_path, plan: ImportPlan, *, token: str | None = None) -> ImportResult:
    """Write a checked plan: backup first, then one transaction; all or nothing.

    Refused (StoreError, nothing written) if the plan has errors; refused (ImportRefused,
    bilingual) if the DB changed since the plan was made, or if ``token`` is given and is
    not ``plan.token``.
    """
    path = Path(db_path)
    if not plan.ok:
        raise errors_line(plan.problems, f"import into {path}")
    if token is not None and token != plan.token:
        raise refuse(str(path), "plan_changed")
    if not (plan.added or plan.changed or plan.deleted) and path.exists():
        return ImportResult(path, None, plan.summary(), plan, wrote=False)
    backup = backup_before_change(path, "import")
    from kiosk.store.schema import apply_migrations

    touched = {(p.table, k) for p in plan.parts for k in (*p.rows, *p.deleted)}
    with write_transaction(path) as conn:
        apply_migrations(conn)
        before = read_rows(conn)
        if fingerprint(before) != plan.fingerprint:
            raise refuse(str(path), "db_changed")
        for part in plan.parts:
            write_changes(conn, part)
        after = read_rows(conn)
        errors = [p for p in new_problems(before, after, path.resolve().parent, touched)]
        if any(p.level == "error" for p in errors):
            raise errors_line(errors, f"import into {path}")
    return ImportResult(path, backup, plan.summary(), plan)


def write_changes(conn: sqlite3.Connection, part: TableChanges) -> None:
    """One table's changes inside the caller's transaction: deletes, then the new and changed
    rows through sqlite-utils' ``upsert_all`` (each a savepoint within that transaction)."""
    from kiosk.store.migrating import database

    for key in part.deleted:
        conn.execute(f'DELETE FROM "{part.table}" WHERE key = ?', (key,))
    # Whole rows: an upsert inserts first, so a partial row would trip NOT NULL columns
    # without a default (source_key). Rows are grouped by their columns, as ``upsert_all``
    # writes NULL into a column one row of a batch has and another lacks.
    batches: dict[tuple[str, ...], list[dict]] = {}
    for key in (*part.changed, *part.added):
        row = part.rows[key]
        batches.setdefault(tuple(row), []).append(row)
    table = database(conn)[part.table]
    for rows in batches.values():
        table.upsert_all(rows, pk="key", alter=False)


def import_file(db_path, file, *, replace: bool = False, numbers=None) -> str:
    """Plan and apply in one go (the CLI and tests); StoreError names the first problem."""
    plan = plan_import(db_path, Path(file), replace=replace, numbers=numbers)
    return str(apply_import(db_path, plan))


def delete_rows(db_path, table: str, keys: list[str]) -> ImportResult:
    """Delete rows by key, backup first, all or nothing; refused if another row needs them."""
    path = Path(db_path)
    if table not in TABLES:
        raise StoreError(f"unknown table '{table}'; use one of: {', '.join(TABLE_ORDER)}")
    before = current_rows(path)
    present = {r["key"] for r in before[table]}
    missing = [k for k in keys if k not in present]
    if missing:
        raise StoreError(f"{path}: {table} has no row with key '{missing[0]}'; nothing changed")
    part = TableChanges(table, f"kiosk db delete {table}", deleted=list(keys))
    plan = ImportPlan(path, [part], [], False, fingerprint(before))
    after = {
        t: [r for r in rows if t != table or r["key"] not in keys] for t, rows in before.items()
    }
    plan.problems = new_problems(before, after, path.resolve().parent, set())
    return apply_import(path, plan)
