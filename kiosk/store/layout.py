"""The content DB's tables and schema version, readable without sqlite-utils.

The kiosk's read path (``reader``, ``ContentSource``) needs the table layout and the
applied schema version at start-up; importing sqlite-utils for that would delay the
first frame. The migration steps themselves live in ``schema``.
"""

from __future__ import annotations

import re
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
    # Milestone categories staff can extend: a name in both languages and a colour.
    "categories": [
        ("key", "TEXT PRIMARY KEY"),
        ("name_vi", T),
        ("name_en", T),
        ("color", T),
        ("position", INT),
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
        ("show_from", T),  # '' = always, as for slides
        ("show_until", T),
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
MIGRATIONS_TABLE = "_sqlite_migrations"  # sqlite-utils' Migrations.migrations_table
# The hand-rolled runner before sqlite-utils kept its record here; it is adopted and dropped.
LEGACY_TABLE = "schema_migrations"

STEP_NAMES = (
    "0001_content_tables",
    "0002_timeline_indexes",
    "0003_categories_and_showing",
    "0004_milestone_images",
)
# Milestone images live inside the content DB (one file carries all content): a milestone's
# ``image`` is either a file path next to the DB or ``db:<name>``, a row of this table.
IMAGE_TABLE = "images"
DB_IMAGE_PREFIX = "db:"
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


def image_names(conn: sqlite3.Connection) -> set[str]:
    """The ``db:`` names of the images stored in the DB (empty before the images step)."""
    if not _has_table(conn, IMAGE_TABLE):
        return set()
    return {DB_IMAGE_PREFIX + n for (n,) in conn.execute(f"SELECT name FROM {IMAGE_TABLE}")}


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
