"""The one way the store runs a sqlite-utils migration set on an open connection.

Both the content DB (``schema``) and the visit statistics file (``stats``) use it: each
names its set and its steps; sqlite-utils records the applied steps in
``_sqlite_migrations`` and ``PRAGMA user_version`` is set to the highest step number so any
SQLite tool shows it. sqlite-utils is imported here, on first use only, never on the
kiosk's read path.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence

Step = tuple[str, Callable]  # ("0001_content_tables", function(db))


def database(conn: sqlite3.Connection):
    """A sqlite-utils ``Database`` over ``conn`` (which stays the caller's to close)."""
    from sqlite_utils import Database

    # No plugins (start-up time, and nothing outside the kiosk touches its DB connection).
    return Database(conn, execute_plugins=False, recursive_triggers=False)


def migration_set(name: str, steps: Sequence[Step]):
    """A sqlite-utils ``Migrations`` set named ``name`` with ``steps`` in order."""
    from sqlite_utils.migrations import Migrations

    migrations = Migrations(name)
    for step_name, function in steps:
        migrations(name=step_name)(function)
    return migrations


def apply_set(conn: sqlite3.Connection, migrations, version: int) -> list[str]:
    """Apply the set's missing steps inside the caller's transaction (each one a savepoint),
    set ``PRAGMA user_version`` to ``version``; return the names of the steps applied."""
    db = database(conn)
    pending = [step.name for step in migrations.pending(db)]
    migrations.apply(db)
    conn.execute(f"PRAGMA user_version = {int(version)}")
    return pending
