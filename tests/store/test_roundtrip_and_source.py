"""Export/import round trip, backup, and ContentSource change detection."""

import logging
import os
import sqlite3

import pytest

from kiosk.store import ContentSource, StoreError, backup_db, build_db, export_dir, load_content


def test_export_then_build_round_trip(built_db, tmp_path):
    out = tmp_path / "export"
    written = export_dir(built_db, out)
    assert len(written) == 9
    again = tmp_path / "again.db"
    build_db(again, out)
    a, b = load_content(built_db), load_content(again)
    for table in (
        "sources",
        "indicators",
        "achievements",
        "milestones",
        "quotes",
        "projects",
        "statements",
        "playlist",
        "categories",
    ):
        assert getattr(a, table) == getattr(b, table)


def test_backup(built_db, tmp_path):
    dest = backup_db(built_db, tmp_path / "bk")
    assert dest.parent == tmp_path / "bk" or dest == tmp_path / "bk"
    assert load_content(dest).indicators == load_content(built_db).indicators


def test_backup_never_writes_over_a_file(built_db, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    first, second = backup_db(built_db, folder), backup_db(built_db, folder)
    assert first != second and first.exists() and second.exists()  # same second: -2
    older = tmp_path / "older.db"
    older.write_bytes(b"an older backup")
    with pytest.raises(StoreError, match="already exists"):
        backup_db(built_db, older)
    assert older.read_bytes() == b"an older backup"
    live = built_db.read_bytes()
    with pytest.raises(StoreError, match="already exists"):
        backup_db(built_db, built_db)  # onto the live DB itself
    assert built_db.read_bytes() == live


def test_rebuild_keeps_file_identity(built_db, seed_dir):
    inode = os.stat(built_db).st_ino
    build_db(built_db, seed_dir, force=True)
    assert os.stat(built_db).st_ino == inode


def test_poll_sees_wal_commit_without_mtime_change(built_db):
    src = ContentSource(built_db, clock=lambda: 0.0)
    assert src.current.indicator("procedures").value == 1890
    assert src.poll() is None
    stat = os.stat(built_db)
    writer = sqlite3.connect(built_db)
    assert writer.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    writer.execute("UPDATE indicators SET value = 1900 WHERE key = 'procedures'")
    writer.commit()
    # The change sits in the -wal file; the main file's mtime did not move.
    assert os.stat(built_db).st_mtime_ns == stat.st_mtime_ns
    new = src.poll()
    assert new is not None and new.indicator("procedures").value == 1900
    assert src.poll() is None
    writer.close()
    src.close()


def test_poll_keeps_last_good_on_bad_content(built_db, caplog):
    src = ContentSource(built_db)
    good = src.current
    conn = sqlite3.connect(built_db)
    conn.execute("UPDATE indicators SET value = 250 WHERE key = 'online_level34'")
    conn.commit()
    with caplog.at_level(logging.WARNING, logger="kiosk.store"):
        assert src.poll() is None
        assert src.poll() is None
    assert src.current is good
    lines = [r.getMessage() for r in caplog.records if r.name == "kiosk.store"]
    assert len(lines) == 1 and "above 100" in lines[0] and "\n" not in lines[0]
    conn.execute("UPDATE indicators SET value = 98 WHERE key = 'online_level34'")
    conn.commit()
    conn.close()
    assert src.poll().indicator("online_level34").value == 98
    src.close()


def test_poll_survives_missing_and_replaced_file(built_db, tmp_path, seed_dir):
    src = ContentSource(built_db)
    good = src.current
    src.close()
    built_db.rename(tmp_path / "moved.db")
    assert src.poll() is None and src.current is good
    assert "not found" in src.last_error
    other = tmp_path / "other.db"
    build_db(other, seed_dir)
    conn = sqlite3.connect(other)
    conn.execute("UPDATE indicators SET value = 1 WHERE key = 'phones'")
    conn.commit()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    other.rename(built_db)
    assert src.poll().indicator("phones").value == 1
    src.close()


def test_import_json_with_table_key_and_multiline_csv(built_db, tmp_path):
    from kiosk.store import import_file

    f = tmp_path / "anything.json"
    f.write_text(
        '{"table": "statements", "rows": [{"key": "s_mandate", "position": 999}]}',
        encoding="utf-8",
    )
    import_file(built_db, f)
    assert load_content(built_db).statements[-1].key == "s_mandate"
    g = tmp_path / "projects.csv"
    g.write_text('key,body_en\np_ioc,"line one\nline two"\n', encoding="utf-8")
    import_file(built_db, g)
    ioc = next(p for p in load_content(built_db).projects if p.key == "p_ioc")
    assert ioc.body.en == "line one\nline two"


def test_poll_sees_commits_from_writers_that_already_closed(built_db):
    # Staff tools (sqlite-utils CLI, DB Browser) open, write, commit and close.
    src = ContentSource(built_db, clock=lambda: 0.0)
    assert src.current.indicator("procedures").value == 1890
    for value in (1900, 1910):
        writer = sqlite3.connect(built_db)
        writer.execute("UPDATE indicators SET value = ? WHERE key = 'procedures'", (value,))
        writer.commit()
        writer.close()
        new = src.poll()
        assert new is not None and new.indicator("procedures").value == value
        assert src.poll() is None
    src.close()
