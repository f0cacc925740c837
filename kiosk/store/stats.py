"""Local visit statistics in their own SQLite file (``visits.db`` beside the content DB).

Privacy: nothing personal is stored. A session is a sequential counter, the day and the hour
it started, its length, and why it ended; plus how often each screen and milestone was
opened in it. No names, no device or person IDs, no touch coordinates, no exact times.

Usage (the visitor controller; every call raises StoreError, one line, on a locked or
broken file; the UI catches it, logs it and carries on)::

    stats = StatsStore(default_stats_path(settings.db_path))
    sid = stats.start_session(datetime.now().isoformat())
    stats.screen_opened(sid, "timeline")
    stats.milestone_opened(sid, "m_dti")
    stats.end_session(sid, length_s=48.5, reason="idle")  # "idle" reset, or "other"
    stats.close()

Reading (``kiosk stats``): ``StatsStore(path, readonly=True).summary_text()`` or
``.write_csv(sys.stdout)``. The schema is created through sqlite-utils migrations, like the
content DB's, in the ``kiosk_visits`` set; sqlite-utils is imported only when the file is
new or old, never on an ordinary start.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import sqlite3
import statistics
from pathlib import Path
from typing import TextIO

from kiosk.store.errors import StoreError, explain
from kiosk.store.layout import has_table

STATS_FILE_NAME = "visits.db"
# Short: the UI thread makes these calls, and a stuck write must not freeze the screen.
BUSY_TIMEOUT_S = 0.5
END_REASONS = ("idle", "other")
MAX_NAME = 80  # screen names and milestone keys are short identifiers, never free text
TOP_MILESTONES = 10
RECENT_DAYS = 14

# Steps of the ``kiosk_visits`` migration set; append, never edit a shipped one.
STATS_VERSION = 1


def _visit_tables(db) -> None:
    db["sessions"].create(
        {"id": int, "day": str, "hour": int, "length_s": float, "end_reason": str},
        pk="id",
        not_null={"day", "hour"},
        if_not_exists=True,
    )
    db["opens"].create(
        {"session_id": int, "kind": str, "name": str, "count": int},
        pk=("session_id", "kind", "name"),
        not_null={"kind", "name", "count"},
        foreign_keys=[("session_id", "sessions", "id")],
        if_not_exists=True,
    )
    db["sessions"].create_index(["day"], if_not_exists=True)


def migrate_stats(conn: sqlite3.Connection, path: Path) -> None:
    """Bring the stats file to STATS_VERSION with sqlite-utils migrations, in one transaction.

    sqlite-utils is slow to import, so it is loaded only when the file is new or old;
    ``PRAGMA user_version`` says when it is current.
    """
    version = conn.execute("PRAGMA user_version").fetchone()[0]
    if version == STATS_VERSION:
        return
    if version > STATS_VERSION:
        raise StoreError(f"{path} was made by a newer kiosk (version {version}); update the kiosk")
    from kiosk.store.migrating import apply_set, migration_set

    migrations = migration_set("kiosk_visits", [("0001_visit_tables", _visit_tables)])
    conn.execute("BEGIN IMMEDIATE")
    try:
        apply_set(conn, migrations, STATS_VERSION)
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def default_stats_path(content_db_path) -> Path:
    """``visits.db`` in the content DB's folder (never the content file itself)."""
    return Path(content_db_path).with_name(STATS_FILE_NAME)


# sqlite_cause -> the line about the visit statistics file (``explain`` fills in {path}).
_MESSAGES = {
    "locked": "{path}: the visit statistics file is locked by another program",
    "damaged": (
        "{path}: the visit statistics file is damaged or not SQLite; "
        "move it aside and the kiosk starts a new one"
    ),
    "readonly": "{path}: cannot write the visit statistics file; check permissions",
    "unable_to_open": "{path}: cannot write the visit statistics file; check permissions",
    "other": "{path}: visit statistics error: {error}",
}
# A WAL reader needs the -shm file, or write access to the folder to create it.
_CANNOT_READ = (
    "{path}: cannot open the visit statistics file to read it; "
    "run 'kiosk stats' as the kiosk user or with sudo"
)
_READING_MESSAGES = _MESSAGES | {"readonly": _CANNOT_READ, "unable_to_open": _CANNOT_READ}


def _explain(path: Path, error: sqlite3.Error, reading: bool = False) -> StoreError:
    return explain(path, error, _READING_MESSAGES if reading else _MESSAGES)


class StatsStore:
    """Visit counters in their own SQLite file; every write is one small transaction."""

    def __init__(self, path, readonly: bool = False, *, content_db=None) -> None:
        self.path = Path(path)
        self.readonly = readonly
        if content_db is not None and _same_file(self.path, Path(content_db)):
            raise StoreError(
                f"{self.path} is the content DB; visit statistics need their own file "
                f"(default: {default_stats_path(content_db)})"
            )
        self._conn = self._open_ro() if readonly else self._open_rw()

    # -- opening -----------------------------------------------------------------------

    def _open_ro(self) -> sqlite3.Connection:
        if not self.path.is_file() or self.path.stat().st_size == 0:
            raise StoreError(
                f"no visits recorded yet at {self.path}; the kiosk creates this file "
                "when a visitor first touches the screen (or pass --stats-db)"
            )
        try:
            conn = sqlite3.connect(
                f"{self.path.resolve().as_uri()}?mode=ro", uri=True, isolation_level=None
            )
            self._check_kind(conn)
            if not has_table(conn, "sessions"):
                conn.close()
                raise StoreError(f"no visits recorded yet at {self.path}")
        except sqlite3.Error as error:
            raise _explain(self.path, error, reading=True) from None
        return conn

    def _open_rw(self) -> sqlite3.Connection:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            raise StoreError(f"{self.path}: cannot create its folder ({error.strerror})") from None
        conn = None
        try:
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None)
            self._check_kind(conn)
            if conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                # WAL: `kiosk stats` can read while the kiosk writes.
                conn.execute("PRAGMA journal_mode = WAL")
            # No fsync per write (the GUI thread would wait for it on a busy disk);
            # WAL keeps the file intact, a power cut may cost only the last few counts.
            conn.execute("PRAGMA synchronous = NORMAL")
            migrate_stats(conn, self.path)
        except sqlite3.Error as error:
            if conn is not None:
                conn.close()
            raise _explain(self.path, error) from None
        except StoreError:
            conn.close()
            raise
        return conn

    def _check_kind(self, conn: sqlite3.Connection) -> None:
        # Refuse the content DB (or any file with its tables) even under another name.
        if has_table(conn, "indicators") or has_table(conn, "playlist"):
            conn.close()
            raise StoreError(
                f"{self.path} is a content DB, not a visit statistics file; "
                f"use {STATS_FILE_NAME} beside it"
            )

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> StatsStore:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- writing -----------------------------------------------------------------------

    def _write(self, sql: str, params: tuple) -> sqlite3.Cursor:
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only; visits cannot be recorded")
        try:
            # One statement = one implicit transaction: small and quick.
            return self._conn.execute(sql, params)
        except sqlite3.Error as error:
            raise _explain(self.path, error) from None

    def start_session(self, now_iso: str) -> int:
        """Record a new session starting at ``now_iso`` (kept to the hour); return its id."""
        try:
            when = dt.datetime.fromisoformat(str(now_iso))
        except ValueError:
            raise StoreError(
                f"session start {now_iso!r} is not an ISO date-time like 2026-11-22T09:30:00"
            ) from None
        cur = self._write(
            "INSERT INTO sessions (day, hour) VALUES (?, ?)",
            (when.date().isoformat(), when.hour),
        )
        return int(cur.lastrowid)

    def screen_opened(self, session_id: int, screen: str) -> None:
        """Count one opening of ``screen`` (e.g. "timeline") in the session."""
        self._count(session_id, "screen", screen)

    def milestone_opened(self, session_id: int, key: str) -> None:
        """Count one opening of the milestone with content key ``key`` in the session."""
        self._count(session_id, "milestone", key)

    def _count(self, session_id: int, kind: str, name: str) -> None:
        if not isinstance(name, str) or not name.strip() or len(name) > MAX_NAME:
            raise StoreError(f"{kind} name {str(name)[:40]!r} must be 1 to {MAX_NAME} characters")
        self._session(session_id)
        self._write(
            "INSERT INTO opens (session_id, kind, name, count) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (session_id, kind, name) DO UPDATE SET count = count + 1",
            (session_id, kind, name.strip()),
        )

    def end_session(self, session_id: int, length_s: float, reason: str) -> None:
        """Close the session: its length in seconds and why ("idle" reset or "other")."""
        if reason not in END_REASONS:
            raise StoreError(f"end reason {reason!r} must be one of: {', '.join(END_REASONS)}")
        try:
            length = float(length_s)
        except (TypeError, ValueError):
            length = math.nan
        if not math.isfinite(length) or length < 0:
            raise StoreError(f"session length {length_s!r} must be a finite number >= 0")
        if self._session(session_id)["end_reason"] is not None:
            raise StoreError(f"session {session_id} has already ended")
        self._write(
            "UPDATE sessions SET length_s = ?, end_reason = ? WHERE id = ?",
            (round(length, 1), reason, session_id),
        )

    def prune(self, today: dt.date, keep_days: int) -> int:
        """Delete sessions (and their counts) that started more than ``keep_days`` before
        ``today``; return how many. One transaction: a failure leaves the file as it was."""
        if isinstance(keep_days, bool) or not isinstance(keep_days, int) or keep_days < 1:
            raise StoreError(f"keep_days {keep_days!r} must be a whole number of days >= 1")
        cutoff = (today - dt.timedelta(days=keep_days)).isoformat()
        if self.readonly:
            raise StoreError(f"{self.path}: opened read-only; visits cannot be pruned")
        try:
            self._conn.execute("BEGIN IMMEDIATE")
            try:
                self._conn.execute(
                    "DELETE FROM opens WHERE session_id IN (SELECT id FROM sessions WHERE day < ?)",
                    (cutoff,),
                )
                removed = self._conn.execute("DELETE FROM sessions WHERE day < ?", (cutoff,))
            except BaseException:
                self._conn.execute("ROLLBACK")
                raise
            self._conn.execute("COMMIT")
        except sqlite3.Error as error:
            raise _explain(self.path, error) from None
        return removed.rowcount

    def _session(self, session_id: int) -> dict:
        try:
            row = self._conn.execute(
                "SELECT id, end_reason FROM sessions WHERE id = ?", (int(session_id),)
            ).fetchone()
        except (TypeError, ValueError):
            row = None
        except sqlite3.Error as error:
            raise _explain(self.path, error) from None
        if row is None:
            raise StoreError(f"no session {session_id!r} in {self.path}; call start_session first")
        return {"id": row[0], "end_reason": row[1]}

    # -- reading -----------------------------------------------------------------------

    def _query(self, sql: str, params: tuple = ()) -> list[tuple]:
        try:
            return self._conn.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise _explain(self.path, error) from None

    def summary(self) -> dict:
        """Aggregates: sessions per day, lengths, screen and milestone counts, idle resets."""
        sessions = self._query("SELECT day, length_s, end_reason FROM sessions ORDER BY id")
        lengths = [r[1] for r in sessions if r[1] is not None]
        per_day: dict[str, int] = {}
        for day, _, _ in sessions:
            per_day[day] = per_day.get(day, 0) + 1
        counts = "SELECT name, SUM(count) AS n FROM opens WHERE kind = ? GROUP BY name "
        order = "ORDER BY n DESC, name"
        return {
            "sessions": len(sessions),
            "ended": len(lengths),
            "idle_resets": sum(r[2] == "idle" for r in sessions),
            "per_day": dict(sorted(per_day.items())),
            "median_s": statistics.median(lengths) if lengths else None,
            "mean_s": statistics.fmean(lengths) if lengths else None,
            "screens": dict(self._query(counts + order, ("screen",))),
            "milestones": dict(self._query(counts + order, ("milestone",))),
        }

    def summary_text(self) -> str:
        """The summary as plain English lines, for ``kiosk stats``."""
        s = self.summary()
        if not s["sessions"]:
            return f"No visits recorded yet in {self.path}."
        days = list(s["per_day"].items())
        lines = [
            f"Visit statistics from {self.path}",
            f"Sessions: {s['sessions']} on {len(days)} day(s), {days[0][0]} to {days[-1][0]}",
        ]
        recent = days[-RECENT_DAYS:]
        lines.append(
            f"Sessions per day (last {len(recent)} day(s)): "
            + ", ".join(f"{day} {n}" for day, n in recent)
        )
        if s["ended"]:
            lines.append(
                f"Session length: median {_secs(s['median_s'])}, mean {_secs(s['mean_s'])} "
                f"({s['ended']} ended session(s))"
            )
        unfinished = s["sessions"] - s["ended"]
        open_note = f"; {unfinished} session(s) not ended (still open, or the kiosk stopped)"
        lines.append(f"Idle resets: {s['idle_resets']}" + (open_note if unfinished else ""))
        lines.append("Screens opened: " + _pairs(s["screens"]))
        top = dict(list(s["milestones"].items())[:TOP_MILESTONES])
        lines.append("Top milestones: " + _pairs(top))
        return "\n".join(lines)

    def write_csv(self, fileobj: TextIO) -> int:
        """One CSV row per session with its counts; returns the number of sessions."""
        screens = [
            r[0]
            for r in self._query(
                "SELECT DISTINCT name FROM opens WHERE kind = ? ORDER BY name", ("screen",)
            )
        ]
        per: dict[tuple[int, str], dict[str, int]] = {}
        for sid, kind, name, count in self._query(
            "SELECT session_id, kind, name, count FROM opens"
        ):
            per.setdefault((sid, kind), {})[name] = count
        writer = csv.writer(fileobj, lineterminator="\n")
        writer.writerow(
            [
                "session",
                "day",
                "hour",
                "length_s",
                "end_reason",
                "screens_opened",
                "milestones_opened",
                *[f"screen_{name}" for name in screens],
            ]
        )
        rows = self._query("SELECT id, day, hour, length_s, end_reason FROM sessions ORDER BY id")
        for sid, day, hour, length, reason in rows:
            opened = per.get((sid, "screen"), {})
            writer.writerow(
                [
                    sid,
                    day,
                    hour,
                    "" if length is None else length,
                    reason or "",
                    sum(opened.values()),
                    sum(per.get((sid, "milestone"), {}).values()),
                    *[opened.get(name, 0) for name in screens],
                ]
            )
        return len(rows)


def _secs(value: float) -> str:
    return f"{value:.0f} s" if value < 120 else f"{value / 60:.1f} min"


def _pairs(counts: dict[str, int]) -> str:
    return ", ".join(f"{name} {n}" for name, n in counts.items()) or "none"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return a.resolve() == b.resolve() or (a.exists() and b.exists() and a.samefile(b))
    except OSError:
        return False
