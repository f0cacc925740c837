"""The content DB schema and its migrations, run by sqlite-utils' ``Migrations``.

Columns mirror ``kiosk.content.model``: a ``Text`` field ``title`` becomes ``title_vi`` and
``title_en``. Each migration step is a function using the sqlite-utils ``Database``/``Table``
API, registered in the ``kiosk_content`` set; sqlite-utils records every applied step in
``_sqlite_migrations`` (one transaction per step, inside the caller's transaction as a
savepoint). The schema version is the number of the highest applied step, also written to
``PRAGMA user_version`` so any SQLite tool shows it. A DB with a step or version this code
does not know was made by a newer kiosk and is refused rather than guessed at.

Usage::

    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    applied = apply_migrations(conn)  # ["0002_timeline_indexes"], [] when up to date
    conn.execute("COMMIT")
"""

from __future__ import annotations

import re
import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

T, INT = "TEXT NOT NULL DEFAULT ''", "INTEGER NOT NULL DEFAULT 0"
SRC = "TEXT NOT NULL REFERENCES sources(key)"

# table -> ordered (column, SQL type). Order is the CSV column order of export.
TABLES: dict[str, list[tuple[str, str]]] = {
    "sources": [
        ("key", "TEXT PRIMARY KEY"),
        *[(c, T) for c in ("title_vi", "title_en", "publisher_vi", "publisher_en")],
        *[(c, T) for c in ("published", "note_vi", "note_en")],
    ],
    "indicators": [
        ("key", "TEXT PRIMARY KEY"),
        ("label_vi", T),
        ("label_en", T),
        ("value", "REAL"),
        ("unit_vi", T),
        ("unit_en", T),
        ("kind", T),
        ("period", T),
        ("source_key", SRC),
        ("qualifier", T),
        ("group_key", T),
        ("group_label_vi", T),
        ("group_label_en", T),
        ("national_note_vi", T),
        ("national_note_en", T),
        ("explanation_vi", T),
        ("explanation_en", T),
        ("position", INT),
    ],
    "achievements": [
        ("key", "TEXT PRIMARY KEY"),
        ("title_vi", T),
        ("title_en", T),
        ("giver_vi", T),
        ("giver_en", T),
        ("year", INT),
        ("category", T),
        ("source_key", SRC),
        ("body_vi", T),
        ("body_en", T),
        ("rank", "INTEGER"),
        ("group_key", T),
        ("position", INT),
    ],
    "milestones": [
        ("key", "TEXT PRIMARY KEY"),
        ("date", T),
        ("precision", T),
        ("title_vi", T),
        ("title_en", T),
        ("body_vi", T),
        ("body_en", T),
        ("category", T),
        ("source_key", SRC),
        ("image", T),
    ],
    "quotes": [
        ("key", "TEXT PRIMARY KEY"),
        ("speaker", T),
        ("role_vi", T),
        ("role_en", T),
        ("text_vi", T),
        ("text_en", T),
        ("source_key", SRC),
        ("direct", "INTEGER NOT NULL DEFAULT 1"),
        ("said_on", T),
    ],
    "projects": [
        ("key", "TEXT PRIMARY KEY"),
        ("title_vi", T),
        ("title_en", T),
        ("body_vi", T),
        ("body_en", T),
        ("year", INT),
        ("status_vi", T),
        ("status_en", T),
        ("source_key", SRC),
        ("position", INT),
    ],
    "statements": [
        ("key", "TEXT PRIMARY KEY"),
        ("category", T),
        ("text_vi", T),
        ("text_en", T),
        ("source_key", SRC),
        ("position", INT),
    ],
    "playlist": [
        ("key", "TEXT PRIMARY KEY"),
        ("position", INT),
        ("kind", T),
        ("ref", T),
        ("duration_s", "REAL"),
        ("enabled", "INTEGER NOT NULL DEFAULT 1"),
        ("show_from", T),
        ("show_until", T),
        ("title_vi", T),
        ("title_en", T),
    ],
}
# Tables in load order: sources first so source_key references resolve.
TABLE_ORDER = tuple(TABLES)

MIGRATION_SET = "kiosk_content"
MIGRATIONS_TABLE = Migrations.migrations_table  # "_sqlite_migrations"
# The hand-rolled runner before sqlite-utils kept its record here; it is adopted and dropped.
LEGACY_TABLE = "schema_migrations"
_TYPES = {"TEXT": str, "INTEGER": int, "REAL": float}

migrations = Migrations(MIGRATION_SET)


def create_args(cols: list[tuple[str, str]]) -> dict:
    """TABLES' SQL column kinds -> keyword arguments for sqlite-utils ``Table.create``."""
    args: dict = {"columns": {}, "not_null": set(), "defaults": {}, "foreign_keys": []}
    for name, kind in cols:
        args["columns"][name] = _TYPES[kind.split()[0]]
        if "PRIMARY KEY" in kind:
            args["pk"] = name
        if "NOT NULL" in kind:
            args["not_null"].add(name)
        default = re.search(r"DEFAULT ('[^']*'|-?\d+)", kind)
        if default:
            value = default.group(1)
            args["defaults"][name] = value.strip("'") if value.startswith("'") else int(value)
        ref = re.search(r"REFERENCES (\w+)\((\w+)\)", kind)
        if ref:
            args["foreign_keys"].append((name, ref.group(1), ref.group(2)))
    return args


# Steps: append new ones with the next number; never edit one that has shipped. Step 1
# creates the tables as TABLES describes them today, so later steps must be idempotent
# (``if_not_exists``, ``add_column`` only when the column is missing).
@migrations(name="0001_content_tables")
def _content_tables(db: Database) -> None:
    for table, cols in TABLES.items():
        db[table].create(**create_args(cols), if_not_exists=True)


@migrations(name="0002_timeline_indexes")
def _timeline_indexes(db: Database) -> None:
    # The touch timeline filters thousands of milestones by year and category.
    db["milestones"].create_index(["date"], if_not_exists=True)
    db["milestones"].create_index(["category"], if_not_exists=True)
    db["playlist"].create_index(["position"], if_not_exists=True)


STEP_NAMES = ("0001_content_tables", "0002_timeline_indexes")
SCHEMA_VERSION = len(STEP_NAMES)


def _step_number(name: str) -> int:
    """A known step's number; an unknown step ('0003_x') came from a newer kiosk."""
    if name in STEP_NAMES:
        return STEP_NAMES.index(name) + 1
    match = re.match(r"(\d+)_", name)
    return max(int(match.group(1)) if match else 0, SCHEMA_VERSION + 1)


def _has_table(conn: sqlite3.Connection, name: str) -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"
    return conn.execute(sql, (name,)).fetchone() is not None


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied step number (0 for a DB without one); works read-only."""
    versions = [int(conn.execute("PRAGMA user_version").fetchone()[0])]
    if _has_table(conn, MIGRATIONS_TABLE):
        rows = conn.execute(
            f'SELECT name FROM "{MIGRATIONS_TABLE}" WHERE migration_set = ?', (MIGRATION_SET,)
        )
        versions += [_step_number(name) for (name,) in rows]
    if _has_table(conn, LEGACY_TABLE):
        legacy = conn.execute(f"SELECT MAX(number) FROM {LEGACY_TABLE}").fetchone()[0]
        versions.append(int(legacy or 0))
    return max(versions)


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply missing steps inside the caller's transaction; return the names applied."""
    from kiosk.store.errors import StoreError, newer_version_message

    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise StoreError(newer_version_message(current))
    # No plugins (start-up time, and nothing outside the kiosk touches its DB connection).
    db = Database(conn, execute_plugins=False, recursive_triggers=False)
    pending = [step.name for step in migrations.pending(db)]
    migrations.apply(db)
    if _has_table(conn, LEGACY_TABLE):
        # Its steps (only 0001) were re-applied above as no-ops; one record is enough.
        db[LEGACY_TABLE].drop()
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
    return pending
