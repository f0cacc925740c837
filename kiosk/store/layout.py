"""The content DB's tables and schema version, readable without sqlite-utils.

``CREATE_ARGS`` defines each table as the keyword arguments of sqlite-utils'
``Table.create`` (the migration steps in ``schema`` pass them on as they are); ``TABLES``
is derived from it: each column with the SQL declaration it gets, in CSV column order.

The kiosk's read path (``reader``, ``ContentSource``) needs the table layout and the
applied schema version at start-up; importing sqlite-utils for that would delay the
first frame. The migration steps themselves live in ``schema``.
"""

from __future__ import annotations

import math
import re
import sqlite3

_SOURCE_KEY = [("source_key", "sources", "key")]


def _content_table(columns: dict[str, type], *, nullable=(), defaults=None) -> dict:
    """Keyword arguments for sqlite-utils ``Table.create`` of one content table.

    ``key`` is the primary key; every other column is NOT NULL unless ``nullable``, with
    the default '' (text) or 0 (whole number) unless ``defaults`` says otherwise;
    ``source_key`` references ``sources(key)`` and has no default (it must be given).
    """
    not_null = {c for c in columns if c != "key" and c not in nullable}
    implied = {c: "" if columns[c] is str else 0 for c in not_null if c != "source_key"}
    return {
        "columns": columns,
        "pk": "key",
        "not_null": not_null,
        "defaults": implied | (defaults or {}),
        "foreign_keys": _SOURCE_KEY if "source_key" in columns else [],
    }


def _text(*names: str) -> dict[str, type]:
    return dict.fromkeys(names, str)


# table -> sqlite-utils ``create()`` arguments; column order is the CSV order of export.
CREATE_ARGS: dict[str, dict] = {
    "sources": _content_table(
        _text("key", "title_vi", "title_en", "publisher_vi", "publisher_en")
        | _text("published", "note_vi", "note_en")
    ),
    # Milestone categories staff can extend: a name in both languages and a colour.
    "categories": _content_table(_text("key", "name_vi", "name_en", "color") | {"position": int}),
    "indicators": _content_table(
        _text("key", "label_vi", "label_en")
        | {"value": float}
        | _text("unit_vi", "unit_en", "kind", "period", "source_key", "qualifier", "group_key")
        | _text("group_label_vi", "group_label_en", "national_note_vi", "national_note_en")
        | _text("explanation_vi", "explanation_en")
        | {"position": int},
        nullable=("value",),
    ),
    "achievements": _content_table(
        _text("key", "title_vi", "title_en", "giver_vi", "giver_en")
        | {"year": int}
        | _text("category", "source_key", "body_vi", "body_en")
        | {"rank": int}
        | _text("group_key")
        | {"position": int},
        nullable=("rank",),
    ),
    "milestones": _content_table(
        _text("key", "date", "precision", "title_vi", "title_en", "body_vi", "body_en")
        | _text("category", "source_key", "image")
        | _text("show_from", "show_until")  # '' = always, as for slides
    ),
    "quotes": _content_table(
        _text("key", "speaker", "role_vi", "role_en", "text_vi", "text_en", "source_key")
        | {"direct": int}
        | _text("said_on"),
        defaults={"direct": 1},
    ),
    "projects": _content_table(
        _text("key", "title_vi", "title_en", "body_vi", "body_en")
        | {"year": int}
        | _text("status_vi", "status_en", "source_key")
        | {"position": int}
    ),
    "statements": _content_table(
        _text("key", "category", "text_vi", "text_en", "source_key") | {"position": int}
    ),
    "playlist": _content_table(
        _text("key")
        | {"position": int}
        | _text("kind", "ref")
        | {"duration_s": float, "enabled": int}
        | _text("show_from", "show_until", "title_vi", "title_en"),
        nullable=("duration_s",),
        defaults={"enabled": 1},
    ),
}

_SQL_TYPES = {str: "TEXT", int: "INTEGER", float: "REAL"}


def _sql_kind(args: dict, column: str) -> str:
    """How SQLite declares ``column`` of the table ``args`` makes: "INTEGER NOT NULL DEFAULT 0"."""
    parts = [_SQL_TYPES[args["columns"][column]]]
    if column == args["pk"]:
        parts.append("PRIMARY KEY")
    if column in args["not_null"]:
        parts.append("NOT NULL")
    if column in args["defaults"]:
        default = args["defaults"][column]
        parts.append(f"DEFAULT {default!r}" if isinstance(default, str) else f"DEFAULT {default}")
    parts += [f"REFERENCES {t}({c})" for col, t, c in args["foreign_keys"] if col == column]
    return " ".join(parts)


# table -> ordered (column, SQL declaration), derived from CREATE_ARGS for the code that
# reads a column's type, nullability or default.
TABLES: dict[str, list[tuple[str, str]]] = {
    table: [(column, _sql_kind(args, column)) for column in args["columns"]]
    for table, args in CREATE_ARGS.items()
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


# table -> the columns declared whole numbers (positions, years, ranks, yes/no flags).
WHOLE_COLUMNS: dict[str, tuple[str, ...]] = {
    table: tuple(c for c, kind in args["columns"].items() if kind is int)
    for table, args in CREATE_ARGS.items()
}


def whole_number(value) -> int:
    """A whole-number column's value as the kiosk reads it: an int, or a number or text that
    is exactly a whole number. Anything else (12.5, "", "abc", infinity) is a ValueError,
    never rounded: the validator and the reader share this, so they cannot disagree."""
    if isinstance(value, int):
        return int(value)
    number = float(str(value).strip()) if isinstance(value, str) else float(value)
    if not math.isfinite(number) or not number.is_integer():
        raise ValueError(f"{value!r} is not a whole number")
    return int(number)


def _step_number(name: str) -> int:
    """A known step's number; an unknown step ('0003_x') came from a newer kiosk."""
    if name in STEP_NAMES:
        return STEP_NAMES.index(name) + 1
    match = re.match(r"(\d+)_", name)
    return max(int(match.group(1)) if match else 0, SCHEMA_VERSION + 1)


def has_table(conn: sqlite3.Connection, name: str) -> bool:
    sql = "SELECT 1 FROM sqlite_master WHERE type='table' AND name=?"
    return conn.execute(sql, (name,)).fetchone() is not None


def image_names(conn: sqlite3.Connection) -> set[str]:
    """The ``db:`` names of the images stored in the DB (empty before the images step)."""
    if not has_table(conn, IMAGE_TABLE):
        return set()
    return {DB_IMAGE_PREFIX + n for (n,) in conn.execute(f"SELECT name FROM {IMAGE_TABLE}")}


def schema_version(conn: sqlite3.Connection) -> int:
    """The highest applied step number (0 for a DB without one); works read-only."""
    versions = [int(conn.execute("PRAGMA user_version").fetchone()[0])]
    if has_table(conn, MIGRATIONS_TABLE):
        rows = conn.execute(
            f'SELECT name FROM "{MIGRATIONS_TABLE}" WHERE migration_set = ?', (MIGRATION_SET,)
        )
        versions += [_step_number(name) for (name,) in rows]
    if has_table(conn, LEGACY_TABLE):
        legacy = conn.execute(f"SELECT MAX(number) FROM {LEGACY_TABLE}").fetchone()[0]
        versions.append(int(legacy or 0))
    return max(versions)
