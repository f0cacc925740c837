"""Damaged, replaced and restored content files, as the running kiosk's ContentSource sees
them: every bad state is refused with one line, a refused file is not read again until it
changes, a good file copied back is shown at the next poll, and a copy over the live DB is
what is shown (no stale -wal replayed over it). The last good content is kept on disk."""

import logging
import os
import shutil
import sqlite3
import time

import pytest

from kiosk.store import ContentSource, StoreError, backup_db, import_file, load_content
from kiosk.store.last_good import describe, last_good_path


def _warnings(caplog):
    return [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]


def _overwrite(path, data: bytes):
    # In place, as `cp` does: same inode, new content.
    with open(path, "r+b") as handle:
        handle.truncate(0)
        handle.write(data)


def _execute(db, sql):
    conn = sqlite3.connect(db)
    conn.execute(sql)
    conn.commit()
    conn.close()


def _value(content, key="procedures"):
    return content.indicator(key).value


@pytest.mark.parametrize("keep", [0.25, 0.5, 0.75, 0.9])
def test_truncated_file_is_refused(built_db, keep):
    data = built_db.read_bytes()
    _overwrite(built_db, data[: int(len(data) * keep)])
    with pytest.raises(StoreError):
        load_content(built_db)


@pytest.mark.parametrize("cut", [4096, 8192, 100, 5000])
def test_truncation_is_one_line_and_good_file_back_is_shown(built_db, caplog, cut):
    source = ContentSource(built_db)
    good = source.current
    data = built_db.read_bytes()
    _overwrite(built_db, data[: len(data) - cut])
    for _ in range(3):
        assert source.poll() is None
    assert source.current is good
    assert len(_warnings(caplog)) == 1, _warnings(caplog)
    _overwrite(built_db, data)
    assert source.poll() is None  # the same content as on screen: nothing to hand over
    assert source.last_error == "" and source.current is good


def test_garbage_is_reported_once_and_not_read_again(built_db, caplog, monkeypatch):
    source = ContentSource(built_db)
    assert source.current.playlist
    _overwrite(built_db, os.urandom(64 * 1024))
    loads = []
    real = source._load
    monkeypatch.setattr(source, "_load", lambda identity: loads.append(1) or real(identity))
    for _ in range(5):
        assert source.poll() is None
    assert len(loads) == 1, "a refused file is read again at every poll"
    assert len(_warnings(caplog)) == 1, _warnings(caplog)


def test_stale_and_garbage_wal_then_good_file_back_is_shown_at_once(built_db, tmp_path, caplog):
    source = ContentSource(built_db)
    assert _value(source.current) == 1890
    good = built_db.read_bytes()
    # A -wal from another DB (a commit there, its WAL kept by an open reader).
    other = tmp_path / "other.db"
    shutil.copy(built_db, other)
    keep = sqlite3.connect(other)
    keep.execute("SELECT count(*) FROM indicators").fetchone()
    writer = sqlite3.connect(other)
    writer.execute("UPDATE indicators SET value = 7 WHERE key = 'procedures'")
    writer.commit()
    shutil.copy(tmp_path / "other.db-wal", tmp_path / "content.db-wal")
    writer.close()
    keep.close()
    source.poll()
    # Then a zeroed header, then a garbage -wal.
    _overwrite(built_db, bytes(100) + good[100:])
    assert source.poll() is None
    (tmp_path / "content.db-wal").write_bytes(os.urandom(40_000))
    assert source.poll() is None
    # Staff copy the good file back in place (the -wal stays): shown at the next poll.
    _overwrite(built_db, good)
    new = source.poll()
    assert new is not None and _value(new) == 1890, source.last_error
    assert "no transaction is active" not in " ".join(_warnings(caplog))


def test_copy_over_live_db_is_what_is_shown(built_db, tmp_path):
    # kiosk db backup; kiosk db import; cp backup over the live DB, the kiosk running.
    source = ContentSource(built_db)
    assert _value(source.current) == 1890
    backup = backup_db(built_db, tmp_path / "b.db")
    csv = tmp_path / "indicators.csv"
    csv.write_text("key,value\nprocedures,2222\n", encoding="utf-8")
    import_file(built_db, csv)
    assert _value(source.poll()) == 2222
    assert source.poll() is None
    shutil.copyfile(backup, built_db)  # cp b.db c.db
    new = source.poll()
    assert new is not None and _value(new) == 1890
    assert _value(load_content(built_db)) == 1890  # and not undone by a -wal later
    time.sleep(0.01)
    assert source.poll() is None
    assert _value(source.current) == 1890


def test_last_good_copy_is_kept_and_used_when_the_db_is_bad(built_db, caplog):
    source = ContentSource(built_db)
    assert source.current.playlist
    copy = last_good_path(built_db)
    assert copy.is_file() and _value(load_content(copy)) == 1890
    # Pictures stored in the DB are read from that copy, never from the live DB.
    assert source.current.db_path == str(copy.resolve())
    present, line = describe(built_db)
    assert present and "last-good" in line
    # A bad edit is refused; the copy keeps the last good content.
    conn = sqlite3.connect(built_db)
    conn.execute("ALTER TABLE indicators RENAME COLUMN value TO v")
    conn.commit()
    conn.close()
    assert source.poll() is None
    assert _value(load_content(copy)) == 1890
    # A restart: the DB is bad, the last good copy is shown.
    restarted = ContentSource(built_db)
    with pytest.raises(StoreError):
        assert restarted.current
    assert _value(restarted.load_last_good()) == 1890 and restarted.from_last_good
    assert restarted.poll() is None  # the bad DB is not read again, nor logged again


def test_a_view_in_place_of_a_table_is_refused_without_running_it(built_db):
    source = ContentSource(built_db)
    assert source.current.playlist
    conn = sqlite3.connect(built_db)
    conn.executescript(
        """ALTER TABLE quotes RENAME TO q2;
        CREATE VIEW quotes AS WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n
        WHERE i < 100000000) SELECT q2.* FROM q2, n WHERE n.i = 100000000;"""
    )
    conn.close()
    start = time.monotonic()
    assert source.poll() is None
    assert time.monotonic() - start < 3
    assert "'quotes' is a view" in source.last_error


def test_a_read_that_takes_too_long_is_stopped(built_db, monkeypatch):
    import kiosk.store.reader as reader

    def costly(conn, path):
        sql = "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n) SELECT max(i) FROM n"
        conn.execute(sql).fetchone()

    monkeypatch.setattr(reader, "READ_DEADLINE_S", 0.2)
    monkeypatch.setattr(reader, "check_limits", costly)  # stands in for any slow statement
    source = ContentSource(built_db)
    with pytest.raises(StoreError, match="longer than 0.2 s"):
        assert source.current


def test_a_schema_damaged_into_invalid_utf8_is_one_line(built_db):
    # SQLite quotes the damaged CREATE statement in its error; Python cannot decode it.
    _execute(built_db, "PRAGMA journal_mode = DELETE")
    data = bytearray(built_db.read_bytes())
    at = data.index(b"CREATE TABLE") + 2
    data[at] = 0x8F
    built_db.write_bytes(bytes(data))
    with pytest.raises(StoreError, match="damaged"):
        load_content(built_db)
    source = ContentSource(built_db)
    with pytest.raises(StoreError, match="damaged"):
        assert source.current


def test_a_failed_read_leaves_the_file_unlocked(built_db):
    # A value that cannot be decoded stops the read mid-table; the statement must not stay
    # open (kept alive by the exception's traceback) and hold the file and a read lock.
    import gc

    _execute(
        built_db, "UPDATE indicators SET label_en = CAST(x'fffe' AS TEXT) WHERE key = 'phones'"
    )
    gc.disable()
    try:
        with pytest.raises(StoreError) as failed:
            load_content(built_db)
        writer = sqlite3.connect(built_db, timeout=0.1)
        # Leaving WAL mode needs every other connection gone.
        assert writer.execute("PRAGMA journal_mode = DELETE").fetchone()[0] == "delete"
        writer.close()
        assert failed.value
    finally:
        gc.enable()


@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE categories SET position = 'abc' WHERE key = 'policy'",
        "UPDATE categories SET position = ' ' WHERE key = 'policy'",
        "UPDATE quotes SET direct = 9e999",
        "UPDATE achievements SET year = 2021.5",
        "UPDATE playlist SET position = 10.5 WHERE key = 'kpi_services'",
    ],
)
def test_a_row_the_kiosk_cannot_read_never_replaces_the_last_good_copy(built_db, sql):
    # A value the reader cannot turn into a whole number must fail the checks too; the
    # file must never become the last good copy the kiosk falls back on at the next start.
    assert ContentSource(built_db).current
    copy = last_good_path(built_db)
    kept = copy.read_bytes()
    _execute(built_db, sql)
    restarted = ContentSource(built_db)
    with pytest.raises(StoreError, match="whole number|a year"):
        assert restarted.current
    assert copy.read_bytes() == kept
    assert _value(restarted.load_last_good()) == 1890 and restarted.from_last_good


def test_the_last_good_copy_is_replaced_only_after_the_content_is_read(built_db, monkeypatch):
    # Defence in depth: whatever the checks miss, a file whose rows cannot be turned into
    # content is not installed as the copy the kiosk falls back on.
    from kiosk.store import source as source_module

    assert ContentSource(built_db).current
    copy = last_good_path(built_db)
    kept = copy.read_bytes()
    _execute(built_db, "UPDATE indicators SET value = 1891 WHERE key = 'procedures'")

    def unreadable(*args, **kwargs):
        raise ValueError("a value the reader cannot read")

    monkeypatch.setattr(source_module, "rows_to_content", unreadable)
    with pytest.raises(StoreError, match="bad value"):
        assert ContentSource(built_db).current
    assert copy.read_bytes() == kept
