"""The kiosk migrates an older content DB at start-up (and only then loads sqlite-utils)."""

import logging
import sqlite3

from kiosk.store import ContentSource, load_content
from kiosk.store.layout import SCHEMA_VERSION


def _as_v1(db):
    conn = sqlite3.connect(db)
    conn.executescript(
        "DELETE FROM _sqlite_migrations WHERE name != '0001_content_tables'; DROP TABLE images;"
        "DROP INDEX idx_milestones_date; DROP INDEX idx_milestones_category;"
        "DROP INDEX idx_playlist_position; PRAGMA user_version = 1;"
    )
    conn.close()


def test_initial_content_migrates_a_v1_db(built_db, caplog):
    from kiosk.ui.app import initial_content

    expected = load_content(built_db).indicators
    _as_v1(built_db)
    source = ContentSource(built_db)
    with caplog.at_level(logging.INFO, logger="kiosk"):
        content = initial_content(source)
    source.close()
    assert content.indicators == expected
    assert (
        "content DB migrated at start-up: 0002_timeline_indexes, 0003_categories_and_showing, "
        "0004_milestone_images" in caplog.text
    )
    conn = sqlite3.connect(built_db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.close()


def test_initial_content_leaves_a_newer_db_alone(built_db, caplog):
    from kiosk.ui.app import initial_content

    conn = sqlite3.connect(built_db)
    conn.execute("PRAGMA user_version = 9")
    conn.close()
    before = built_db.read_bytes()
    source = ContentSource(built_db)
    with caplog.at_level(logging.INFO, logger="kiosk"):
        content = initial_content(source)
    source.close()
    assert content.playlist == ()  # the calm holding screen
    assert "newer kiosk version" in caplog.text
    assert built_db.read_bytes() == before
