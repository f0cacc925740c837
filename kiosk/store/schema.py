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

import sqlite3

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from kiosk.content.model import LANGS
from kiosk.store.layout import (  # noqa: F401 (re-exported: the schema's public names)
    CREATE_ARGS,
    IMAGE_TABLE,
    LEGACY_TABLE,
    MIGRATION_SET,
    MIGRATIONS_TABLE,
    SCHEMA_VERSION,
    STEP_NAMES,
    TABLE_ORDER,
    TABLES,
    has_table,
    schema_version,
)
from kiosk.store.migrating import apply_set, migration_set


def default_categories(keys) -> list[dict]:
    """Category rows for ``keys`` with the names and colours the kiosk has always shown."""
    from kiosk.content.colors import CATEGORY_COLORS
    from kiosk.content.i18n import category_name

    rows = []
    for position, key in enumerate(dict.fromkeys(k.strip().lower() for k in keys if k)):
        colour = CATEGORY_COLORS.get(key, CATEGORY_COLORS["other"])
        names = {lang: category_name(key, lang) for lang in LANGS}
        rows.append(
            {
                "key": key,
                "name_vi": names["vi"],
                "name_en": names["en"],
                "color": colour,
                "position": (position + 1) * 10,
            }
        )
    return rows


# Steps: append new ones with the next number (the name to layout.STEP_NAMES, the function
# to STEPS below); never edit one that has shipped. Step 1 creates the tables as CREATE_ARGS
# describes them today, so later steps must be idempotent (``if_not_exists``, ``add_column``
# only when the column is missing).
def _content_tables(db: Database) -> None:
    for table, args in CREATE_ARGS.items():
        db[table].create(**args, if_not_exists=True)


def _timeline_indexes(db: Database) -> None:
    # The touch timeline filters thousands of milestones by year and category.
    db["milestones"].create_index(["date"], if_not_exists=True)
    db["milestones"].create_index(["category"], if_not_exists=True)
    db["playlist"].create_index(["position"], if_not_exists=True)


def _categories_and_showing(db: Database) -> None:
    # Additive: a categories table, and show_from/show_until on milestones ('' = always).
    db["categories"].create(**CREATE_ARGS["categories"], if_not_exists=True)
    columns = {c.name for c in db["milestones"].columns}
    for name in ("show_from", "show_until"):
        if name not in columns:
            db["milestones"].add_column(name, str, not_null_default="")
    # A DB from before this step has milestones but no categories: the categories its
    # milestones use become rows (the names the kiosk showed for them, and their colours),
    # so it validates as it did. A new DB gets its categories from db/categories.csv.
    if db["categories"].count == 0:
        used = [r[0] for r in db.execute("SELECT DISTINCT category FROM milestones")]
        db["categories"].insert_all(default_categories(used), pk="key")


def _milestone_images(db: Database) -> None:
    # Uploaded milestone images, re-encoded by the studio; named by their content hash.
    db[IMAGE_TABLE].create(
        {"name": str, "mime": str, "data": bytes},
        pk="name",
        not_null={"mime", "data"},
        if_not_exists=True,
    )


# The step names live in ``layout`` (the read path needs them without sqlite-utils).
STEPS = tuple(
    zip(
        STEP_NAMES,
        (_content_tables, _timeline_indexes, _categories_and_showing, _milestone_images),
        strict=True,
    )
)
assert Migrations.migrations_table == MIGRATIONS_TABLE
migrations = migration_set(MIGRATION_SET, STEPS)


def apply_migrations(conn: sqlite3.Connection) -> list[str]:
    """Apply missing steps inside the caller's transaction; return the names applied."""
    from kiosk.store.errors import StoreError, newer_version_message

    current = schema_version(conn)
    if current > SCHEMA_VERSION:
        raise StoreError(newer_version_message(current))
    pending = apply_set(conn, migrations, SCHEMA_VERSION)
    if has_table(conn, LEGACY_TABLE):
        # Its steps (only 0001) were re-applied above as no-ops; one record is enough.
        conn.execute(f'DROP TABLE "{LEGACY_TABLE}"')
    return pending
