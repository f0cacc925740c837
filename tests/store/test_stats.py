"""Visit statistics: own file, privacy-safe, aggregated, one-line errors on bad files."""

import csv
import datetime as dt
import io
import sqlite3
import subprocess
import sys

import pytest

from kiosk.store import StoreError
from kiosk.store.stats import StatsStore, default_stats_path


@pytest.fixture
def stats(tmp_path):
    store = StatsStore(tmp_path / "visits.db")
    yield store
    store.close()


def _visit(store, when, length, reason, screens=(), milestones=()):
    sid = store.start_session(when)
    for screen in screens:
        store.screen_opened(sid, screen)
    for key in milestones:
        store.milestone_opened(sid, key)
    if length is not None:
        store.end_session(sid, length, reason)
    return sid


@pytest.fixture
def filled(stats):
    _visit(stats, "2026-11-20T09:05:00", 10, "idle", ["timeline", "timeline"], ["m_dti"])
    _visit(stats, "2026-11-20T14:59:59", 20, "other", ["awards"], ["m_dti", "m_ioc"])
    _visit(stats, "2026-11-21T08:00:00", 60, "idle", ["timeline", "indicators"], ["m_dti"])
    _visit(stats, "2026-11-22T10:00:00", None, None, ["timeline"])
    return stats


def test_summary_aggregates(filled):
    s = filled.summary()
    assert s["sessions"] == 4 and s["ended"] == 3 and s["idle_resets"] == 2
    assert s["per_day"] == {"2026-11-20": 2, "2026-11-21": 1, "2026-11-22": 1}
    assert s["median_s"] == 20 and s["mean_s"] == 30
    assert s["screens"] == {"timeline": 4, "awards": 1, "indicators": 1}
    assert list(s["milestones"].items()) == [("m_dti", 3), ("m_ioc", 1)]


def test_summary_text_is_plain_english_lines(filled):
    text = filled.summary_text()
    assert "Sessions: 4 on 3 day(s), 2026-11-20 to 2026-11-22" in text
    assert "2026-11-20 2, 2026-11-21 1, 2026-11-22 1" in text
    assert "median 20 s, mean 30 s (3 ended session(s))" in text
    assert "Idle resets: 2; 1 session(s) not ended" in text
    assert "Screens opened: timeline 4, awards 1, indicators 1" in text
    assert "Top milestones: m_dti 3, m_ioc 1" in text


def test_empty_store_summary(stats):
    assert stats.summary_text().startswith("No visits recorded yet")
    out = io.StringIO()
    assert stats.write_csv(out) == 0
    assert out.getvalue().splitlines() == [
        "session,day,hour,length_s,end_reason,screens_opened,milestones_opened"
    ]


def test_csv_one_row_per_session_with_counts(filled):
    out = io.StringIO()
    assert filled.write_csv(out) == 4
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    assert [r["session"] for r in rows] == ["1", "2", "3", "4"]
    first, last = rows[0], rows[3]
    assert (first["day"], first["hour"], first["length_s"], first["end_reason"]) == (
        "2026-11-20",
        "9",
        "10.0",
        "idle",
    )
    assert first["screens_opened"] == "2" and first["milestones_opened"] == "1"
    assert first["screen_timeline"] == "2" and first["screen_awards"] == "0"
    assert last["length_s"] == "" and last["end_reason"] == "" and last["screen_timeline"] == "1"


def test_only_coarse_non_personal_data_is_stored(stats, tmp_path):
    sid = _visit(stats, "2026-11-20T09:37:12.345678", 42.123, "idle", ["timeline"], ["m_dti"])
    conn = sqlite3.connect(tmp_path / "visits.db")
    tables = {
        name: [c[1] for c in conn.execute(f"PRAGMA table_info({name})")]
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE '\\_%' ESCAPE '\\'"
        )
    }
    # The visit rows only: sqlite-utils' _sqlite_migrations records when the file was made
    # (wall-clock time, which once made this fail when the suite ran at minute 37).
    dump = "\n".join(
        line
        for line in conn.iterdump()
        if line.startswith(('INSERT INTO "sessions"', 'INSERT INTO "opens"'))
    )
    conn.close()
    assert 'INSERT INTO "sessions"' in dump and 'INSERT INTO "opens"' in dump
    assert tables == {
        "sessions": ["id", "day", "hour", "length_s", "end_reason"],
        "opens": ["session_id", "kind", "name", "count"],
    }
    assert sid == 1  # a plain counter, not a device or person ID
    assert "09:37" not in dump and ":37" not in dump and "42.12" not in dump


def test_data_survives_reopen_and_reads_readonly_while_writing(tmp_path):
    path = tmp_path / "visits.db"
    with StatsStore(path) as writer:
        _visit(writer, "2026-11-20T09:00:00", 30, "idle", ["timeline"])
        reader = StatsStore(path, readonly=True)
        sid = writer.start_session("2026-11-20T10:00:00")
        assert reader.summary()["sessions"] == 2
        with pytest.raises(StoreError, match="read-only; visits cannot be recorded"):
            reader.start_session("2026-11-20T11:00:00")
        reader.close()
    with StatsStore(path) as again:
        again.end_session(sid, 5, "other")
        assert again.summary()["ended"] == 2


def test_missing_file_readonly_is_one_line_and_creates_nothing(tmp_path):
    path = tmp_path / "nope" / "visits.db"
    with pytest.raises(StoreError) as error:
        StatsStore(path, readonly=True)
    assert str(error.value).startswith(f"no visits recorded yet at {path}")
    assert "\n" not in str(error.value)
    assert not path.parent.exists()


def test_default_path_is_beside_the_content_db(tmp_path):
    content = tmp_path / "var" / "content.db"
    assert default_stats_path(content) == tmp_path / "var" / "visits.db"
    assert default_stats_path(content) != content


def test_refuses_the_content_db(built_db):
    before = built_db.read_bytes()
    with pytest.raises(StoreError, match="is the content DB"):
        StatsStore(built_db, content_db=built_db)
    for readonly in (False, True):
        with pytest.raises(StoreError, match="is a content DB, not a visit statistics file"):
            StatsStore(built_db, readonly=readonly)
    assert built_db.read_bytes() == before


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda s, sid: s.end_session(sid, 10, "crash"), "end reason 'crash' must be one of"),
        (lambda s, sid: s.end_session(sid, float("nan"), "idle"), "must be a finite number"),
        (lambda s, sid: s.end_session(sid, float("inf"), "idle"), "must be a finite number"),
        (lambda s, sid: s.end_session(sid, -1, "idle"), "must be a finite number >= 0"),
        (lambda s, sid: s.end_session(sid, "long", "idle"), "must be a finite number"),
        (lambda s, sid: s.end_session(999, 1, "idle"), "no session 999"),
        (lambda s, sid: s.screen_opened(999, "timeline"), "no session 999"),
        (lambda s, sid: s.screen_opened(sid, ""), "screen name '' must be 1 to 80"),
        (lambda s, sid: s.milestone_opened(sid, "x" * 500), "milestone name"),
        (lambda s, sid: s.start_session("yesterday"), "not an ISO date-time"),
    ],
)
def test_bad_calls_are_refused_and_change_nothing(stats, call, message):
    sid = _visit(stats, "2026-11-20T09:00:00", None, None, ["timeline"])
    before = stats.summary()
    with pytest.raises(StoreError, match=message) as error:
        call(stats, sid)
    assert "\n" not in str(error.value)
    assert stats.summary() == before


def test_ending_twice_is_refused(stats):
    sid = _visit(stats, "2026-11-20T09:00:00", 12, "idle")
    with pytest.raises(StoreError, match=f"session {sid} has already ended"):
        stats.end_session(sid, 99, "other")
    assert stats.summary()["mean_s"] == 12


def test_locked_file_raises_store_error_and_loses_nothing(stats, tmp_path):
    _visit(stats, "2026-11-20T09:00:00", 12, "idle")
    other = sqlite3.connect(tmp_path / "visits.db", isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="locked by another program"):
            stats.start_session("2026-11-20T10:00:00")
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert stats.summary()["sessions"] == 1
    assert stats.start_session("2026-11-20T10:00:00") == 2


@pytest.mark.parametrize(
    "content",
    [b"this is a text file, not SQLite\n" * 50, b"SQLite format 3\x00" + b"\xff" * 3000],
    ids=["text", "corrupt-header"],
)
@pytest.mark.parametrize("readonly", [False, True])
def test_broken_file_is_one_line_error_and_left_alone(tmp_path, content, readonly):
    path = tmp_path / "visits.db"
    path.write_bytes(content)
    with pytest.raises(StoreError, match="damaged or not SQLite; move it aside") as error:
        StatsStore(path, readonly=readonly)
    assert "\n" not in str(error.value)
    assert path.read_bytes() == content


def test_schema_version_recorded_and_newer_file_refused(tmp_path):
    path = tmp_path / "visits.db"
    StatsStore(path).close()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == 1
    names = [r[0] for r in conn.execute("SELECT name FROM _sqlite_migrations")]
    assert names == ["0001_visit_tables"]
    conn.execute("PRAGMA user_version = 7")
    conn.commit()
    conn.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match="made by a newer kiosk \\(version 7\\)"):
        StatsStore(path)
    assert path.read_bytes() == before


def test_writes_do_not_wait_for_fsync(stats):
    # WAL + synchronous=NORMAL: a tap on the GUI thread never waits for the disk.
    assert stats._conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert stats._conn.execute("PRAGMA synchronous").fetchone()[0] == 1


def test_reopening_a_current_file_does_not_load_sqlite_utils(tmp_path):
    # sqlite-utils costs ~200 ms to import; the kiosk opens its stats file at start-up.
    path = tmp_path / "visits.db"
    StatsStore(path).close()
    code = (
        "import sys; from kiosk.store.stats import StatsStore; "
        f"StatsStore({str(path)!r}).close(); "
        "sys.exit('sqlite_utils' in sys.modules)"
    )
    assert subprocess.run([sys.executable, "-c", code], check=False).returncode == 0


def test_unreadable_file_names_the_remedy(tmp_path, monkeypatch):
    # As root the permission case cannot be staged; sqlite3's own error text is used instead.
    path = tmp_path / "visits.db"
    StatsStore(path).close()

    def refuse(*args, **kwargs):
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    with pytest.raises(StoreError, match="run 'kiosk stats' as the kiosk user or with sudo"):
        StatsStore(path, readonly=True)
    with pytest.raises(StoreError, match="cannot write the visit statistics file"):
        StatsStore(path)


def test_prune_deletes_only_sessions_older_than_the_kept_days(filled):
    # filled: two sessions on 2026-11-20, one on 11-21, one on 11-22.
    assert filled.prune(dt.date(2026, 11, 22), keep_days=1) == 2
    s = filled.summary()
    assert s["per_day"] == {"2026-11-21": 1, "2026-11-22": 1}
    assert "awards" not in s["screens"]  # the counts of a pruned session went with it
    assert s["milestones"] == {"m_dti": 1}
    assert filled.prune(dt.date(2026, 11, 22), keep_days=1) == 0


def test_prune_refuses_a_bad_keep_days_and_a_readonly_store(filled, tmp_path):
    for bad in (0, -5, 1.5, True, "730"):
        with pytest.raises(StoreError, match="keep_days"):
            filled.prune(dt.date(2026, 11, 22), keep_days=bad)
    reader = StatsStore(tmp_path / "visits.db", readonly=True)
    try:
        with pytest.raises(StoreError, match="read-only"):
            reader.prune(dt.date(2026, 11, 22), keep_days=1)
    finally:
        reader.close()
    assert filled.summary()["sessions"] == 4
