"""Schema migrations run through sqlite-utils' Migrations; the version lives in the file."""

import sqlite3
from dataclasses import replace

import pytest
from sqlite_utils import Database

from kiosk.store import StoreError, load_content, migrate_db, upgrade_on_start, validate_db
from kiosk.store.schema import (
    MIGRATION_SET,
    SCHEMA_VERSION,
    STEP_NAMES,
    TABLES,
    apply_migrations,
    migrations,
    schema_version,
)


def _rows(db_path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(db_path)
    try:
        return {t: conn.execute(f'SELECT * FROM "{t}" ORDER BY key').fetchall() for t in TABLES}
    finally:
        conn.close()


def _applied(db_path) -> list[str]:
    conn = sqlite3.connect(db_path)
    try:
        sql = "SELECT name FROM _sqlite_migrations WHERE migration_set = ? ORDER BY rowid"
        return [name for (name,) in conn.execute(sql, (MIGRATION_SET,))]
    finally:
        conn.close()


def _v1_from(built_db, tmp_path, *, legacy: bool):
    """A copy of the seed DB as the v1 schema left it: same rows, no step 2, version 1."""
    v1 = tmp_path / "v1.db"
    conn = sqlite3.connect(v1, isolation_level=None)
    db = Database(conn, execute_plugins=False)
    conn.execute("BEGIN")
    migrations.apply(db, stop_before="0002_timeline_indexes")
    conn.execute("PRAGMA user_version = 1")
    if legacy:
        # The hand-rolled runner this replaced: schema_migrations, no sqlite-utils record.
        conn.execute("DROP TABLE _sqlite_migrations")
        conn.execute("PRAGMA user_version = 0")
        conn.execute(
            "CREATE TABLE schema_migrations (number INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL)"
        )
        conn.execute("INSERT INTO schema_migrations VALUES (1, '0001_content_tables', 'then')")
    conn.execute("ATTACH ? AS seed", (str(built_db),))
    for table in TABLES:
        conn.execute(f'INSERT INTO "{table}" SELECT * FROM seed."{table}"')
    conn.execute("COMMIT")
    conn.execute("DETACH seed")
    conn.close()
    return v1


def test_step_names_match_the_registered_sqlite_utils_steps():
    db = Database(sqlite3.connect(":memory:"), execute_plugins=False)
    assert [m.name for m in migrations.pending(db)] == list(STEP_NAMES)
    assert SCHEMA_VERSION == len(STEP_NAMES) == 4


def test_built_db_records_every_step_and_the_version(built_db):
    assert _applied(built_db) == list(STEP_NAMES)
    conn = sqlite3.connect(built_db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert schema_version(conn) == SCHEMA_VERSION
    conn.close()
    assert migrate_db(built_db) == []
    assert _applied(built_db) == list(STEP_NAMES)


def test_tables_created_by_sqlite_utils_match_the_declared_columns(built_db):
    conn = sqlite3.connect(built_db)
    for table, cols in TABLES.items():
        info = conn.execute(f'PRAGMA table_info("{table}")').fetchall()
        assert [r[1] for r in info] == [c for c, _ in cols]
        for (_, name, sql_type, notnull, default, pk), (_, kind) in zip(info, cols, strict=True):
            assert kind.startswith(sql_type), (table, name)
            assert bool(notnull) == ("NOT NULL" in kind), (table, name)
            assert bool(pk) == ("PRIMARY KEY" in kind), (table, name)
            if "DEFAULT ''" in kind:
                assert default == "''", (table, name)
        fks = {(r[3], r[2], r[4]) for r in conn.execute(f'PRAGMA foreign_key_list("{table}")')}
        assert fks == {(c, "sources", "key") for c, k in cols if "REFERENCES" in k}
    conn.close()


@pytest.mark.parametrize("legacy", [False, True], ids=["sqlite-utils-v1", "legacy-runner-v1"])
def test_v1_db_migrates_to_current_keeping_its_rows(built_db, tmp_path, legacy):
    v1 = _v1_from(built_db, tmp_path, legacy=legacy)
    before = _rows(v1)
    assert sum(len(r) for r in before.values()) > 50
    with pytest.raises(StoreError, match=r"old or missing schema \(version 1\).*kiosk db migrate"):
        load_content(v1)

    applied = migrate_db(v1)

    assert applied == (list(STEP_NAMES) if legacy else list(STEP_NAMES[1:]))
    assert _rows(v1) == before
    assert _applied(v1) == list(STEP_NAMES)
    conn = sqlite3.connect(v1)
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(milestones)")}
    legacy_left = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE name = 'schema_migrations'"
    ).fetchone()
    conn.close()
    assert {"idx_milestones_date", "idx_milestones_category"} <= indexes
    assert legacy_left is None
    # The migrated DB reads back as exactly the content it held.
    assert replace(load_content(v1), version="") == replace(load_content(built_db), version="")


def test_failed_step_changes_nothing(built_db, tmp_path):
    v1 = _v1_from(built_db, tmp_path, legacy=False)
    conn = sqlite3.connect(v1)
    # A staff tool left a table under the index's name: step 2 cannot create its index.
    conn.execute("CREATE TABLE idx_milestones_category (x)")
    conn.commit()
    conn.close()
    before = _rows(v1)
    with pytest.raises(StoreError) as error:
        migrate_db(v1)
    assert "\n" not in str(error.value) and str(v1) in str(error.value)
    assert _rows(v1) == before
    assert _applied(v1) == ["0001_content_tables"]
    conn = sqlite3.connect(v1)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    indexes = {r[1] for r in conn.execute("PRAGMA index_list(milestones)")}
    assert "idx_milestones_date" not in indexes
    conn.close()


@pytest.mark.parametrize(
    "tamper",
    [
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('kiosk_content', '0003_future', 'now')",
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at)"
        " VALUES ('kiosk_content', 'unnumbered_step', 'now')",
        "PRAGMA user_version = 99",
    ],
    ids=["unknown-step", "unnumbered-step", "user-version"],
)
def test_newer_schema_is_refused_and_left_alone(built_db, tamper):
    conn = sqlite3.connect(built_db)
    conn.execute(tamper)
    conn.commit()
    conn.close()
    before = built_db.read_bytes()
    for call in (load_content, validate_db, migrate_db):
        with pytest.raises(StoreError, match="newer kiosk version; update the kiosk"):
            call(built_db)
    assert built_db.read_bytes() == before


def test_migrate_creates_schema_on_empty_sqlite(tmp_path):
    db = tmp_path / "x.db"
    sqlite3.connect(db).execute("CREATE TABLE t(x)").connection.commit()
    assert migrate_db(db) == list(STEP_NAMES)
    assert load_content(db).indicators == ()


def test_apply_runs_inside_the_callers_transaction(tmp_path):
    conn = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    conn.execute("BEGIN")
    assert apply_migrations(conn) == list(STEP_NAMES)
    conn.execute("ROLLBACK")
    assert schema_version(conn) == 0
    assert conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0] == 0
    conn.close()


def test_upgrade_on_start_migrates_old_and_leaves_current_alone(built_db, tmp_path):
    before = built_db.read_bytes()
    assert upgrade_on_start(built_db) == []
    assert built_db.read_bytes() == before  # no write when current: kiosk may be read-only
    v1 = _v1_from(built_db, tmp_path, legacy=False)
    assert upgrade_on_start(v1) == list(STEP_NAMES[1:])
    assert load_content(v1).indicators == load_content(built_db).indicators
    assert upgrade_on_start(tmp_path / "missing.db") == []
    assert not (tmp_path / "missing.db").exists()


def test_upgrade_on_start_leaves_non_content_files_to_the_read_path(tmp_path):
    other = tmp_path / "other.db"
    sqlite3.connect(other).execute("CREATE TABLE t(x)").connection.commit()
    before = other.read_bytes()
    assert upgrade_on_start(other) == []
    assert other.read_bytes() == before
    notdb = tmp_path / "notes.db"
    notdb.write_text("hello, not SQLite " * 100)
    with pytest.raises(StoreError, match="not a valid content DB"):
        upgrade_on_start(notdb)
