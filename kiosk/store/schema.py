"""The content DB schema and its migrations.

Columns mirror ``kiosk.content.model``: a ``Text`` field ``title`` becomes ``title_vi`` and
``title_en``. Migrations are numbered steps recorded in ``schema_migrations``; the highest
applied number is the schema version. A DB with a version this code does not know was made by
a newer kiosk and is refused rather than guessed at.
"""

from __future__ import annotations

import sqlite3

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


def _create_all(conn: sqlite3.Connection) -> None:
    for table, cols in TABLES.items():
        body = ", ".join(f'"{name}" {kind}' for name, kind in cols)
        conn.execute(f'CREATE TABLE IF NOT EXISTS "{table}" ({body})')


# (number, name, function). Append new steps; never edit an applied one.
MIGRATIONS = [(1, "0001_content_tables", _create_all)]
SCHEMA_VERSION = MIGRATIONS[-1][0]


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied migration number, 0 for a DB without a migrations record."""
    has = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type='table' AND name='schema_migrations'"
    ).fetchone()
    if not has:
        return 0
    row = conn.execute("SELECT MAX(number) FROM schema_migrations").fetchone()
    return int(row[0] or 0)


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply missing steps inside the caller's transaction; return the names applied."""
    from kiosk.store.errors import StoreError, newer_version_message

    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations "
        "(number INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise StoreError(newer_version_message(current))
    applied = []
    for number, name, step in MIGRATIONS:
        if number > current:
            step(conn)
            conn.execute(
                "INSERT INTO schema_migrations VALUES (?, ?, datetime('now'))", (number, name)
            )
            applied.append(name)
    return applied
