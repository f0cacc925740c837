"""The studio's own SQLite DB: users, the audit log, sign-in throttling, kiosks and heartbeats.

It is separate from the content DB (``draft.db``) so a published snapshot never carries
staff accounts. Every function opens its own short connection: the studio is served by
several waitress threads and SQLite connections must not cross threads.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from kiosk.store.errors import explain

ROLES = ("editor", "publisher", "admin")

_SCHEMA = """
CREATE TABLE IF NOT EXISTS users (
    name TEXT PRIMARY KEY, role TEXT NOT NULL, password TEXT NOT NULL,
    created_at TEXT NOT NULL, generation INTEGER NOT NULL DEFAULT 1);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, user TEXT NOT NULL,
    address TEXT NOT NULL, action TEXT NOT NULL, detail TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS login_failures (
    name TEXT PRIMARY KEY, count INTEGER NOT NULL, locked_until TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS row_edits (
    tbl TEXT NOT NULL, key TEXT NOT NULL, user TEXT NOT NULL, at TEXT NOT NULL,
    PRIMARY KEY (tbl, key));
CREATE TABLE IF NOT EXISTS kiosks (
    name TEXT PRIMARY KEY, token_hash TEXT NOT NULL, created_at TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS heartbeats (
    name TEXT PRIMARY KEY, received_at TEXT NOT NULL, address TEXT NOT NULL,
    payload TEXT NOT NULL);
"""


def now_utc() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@dataclass(frozen=True)
class User:
    name: str
    role: str
    password: str  # the scrypt hash string, never the password
    generation: int  # bumped on password change: older sessions stop working


@dataclass(frozen=True)
class Heartbeat:
    name: str
    received_at: dt.datetime
    address: str
    payload: dict


class StudioDB:
    """Users, audit log, throttling, kiosk tokens and heartbeats in one small SQLite file."""

    def __init__(self, path) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with closing(self._connect()) as conn:
            conn.executescript(_SCHEMA)

    def _connect(self) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(self.path, timeout=5.0, isolation_level=None)
            conn.row_factory = sqlite3.Row
            conn.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error as error:
            raise explain(self.path, error) from None
        return conn

    def _run(self, sql: str, params=()) -> list[sqlite3.Row]:
        with closing(self._connect()) as conn:
            try:
                return conn.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise explain(self.path, error) from None

    # Users ---------------------------------------------------------------------------
    def add_user(self, name: str, role: str, password_hash: str) -> bool:
        """Add a user; False when the name is taken (the existing user is unchanged)."""
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        if self.user(name) is not None:
            return False
        self._run(
            "INSERT INTO users (name, role, password, created_at) VALUES (?, ?, ?, ?)",
            (name, role, password_hash, now_utc().isoformat()),
        )
        return True

    def set_password(self, name: str, password_hash: str) -> None:
        self._run(
            "UPDATE users SET password = ?, generation = generation + 1 WHERE name = ?",
            (password_hash, name),
        )

    def set_role(self, name: str, role: str) -> None:
        if role not in ROLES:
            raise ValueError(f"unknown role {role!r}")
        self._run(
            "UPDATE users SET role = ?, generation = generation + 1 WHERE name = ?", (role, name)
        )

    def delete_user(self, name: str) -> None:
        self._run("DELETE FROM users WHERE name = ?", (name,))

    def user(self, name: str) -> User | None:
        rows = self._run(
            "SELECT name, role, password, generation FROM users WHERE name = ?", (name,)
        )
        return User(*rows[0]) if rows else None

    def users(self) -> list[User]:
        rows = self._run("SELECT name, role, password, generation FROM users ORDER BY name")
        return [User(*r) for r in rows]

    def count_users(self) -> int:
        return self._run("SELECT count(*) FROM users")[0][0]

    # Sign-in throttling ----------------------------------------------------------------
    def locked_until(self, name: str) -> dt.datetime | None:
        rows = self._run("SELECT locked_until FROM login_failures WHERE name = ?", (name,))
        if not rows or not rows[0][0]:
            return None
        until = dt.datetime.fromisoformat(rows[0][0])
        return until if until > now_utc() else None

    def record_failure(self, name: str, limit: int, lock_s: int) -> int:
        """Count a failed sign-in; the ``limit``-th locks the name for ``lock_s``."""
        with closing(self._connect()) as conn:
            conn.execute("BEGIN IMMEDIATE")
            row = conn.execute("SELECT count FROM login_failures WHERE name = ?", (name,))
            count = (row.fetchone() or [0])[0] + 1
            until = ""
            if count >= limit:
                until = (now_utc() + dt.timedelta(seconds=lock_s)).isoformat()
                count = 0
            conn.execute(
                "INSERT OR REPLACE INTO login_failures (name, count, locked_until) VALUES (?,?,?)",
                (name, count, until),
            )
            conn.execute("COMMIT")
        return count

    def clear_failures(self, name: str) -> None:
        self._run("DELETE FROM login_failures WHERE name = ?", (name,))

    # Audit log -------------------------------------------------------------------------
    def audit(self, user: str, address: str, action: str, detail: str = "") -> None:
        self._run(
            "INSERT INTO audit (at, user, address, action, detail) VALUES (?, ?, ?, ?, ?)",
            (now_utc().isoformat(), user, address, action, detail),
        )

    def audit_log(self, limit: int = 500, offset: int = 0) -> list[dict]:
        rows = self._run(
            "SELECT at, user, address, action, detail FROM audit ORDER BY id DESC LIMIT ? OFFSET ?",
            (limit, offset),
        )
        return [dict(r) for r in rows]

    # Who changed a content row last (for "changed by X at T") -------------------------
    def note_edit(self, table: str, key: str, user: str) -> None:
        self._run(
            "INSERT OR REPLACE INTO row_edits (tbl, key, user, at) VALUES (?, ?, ?, ?)",
            (table, key, user, now_utc().isoformat()),
        )

    def last_edit(self, table: str, key: str) -> tuple[str, str] | None:
        rows = self._run("SELECT user, at FROM row_edits WHERE tbl = ? AND key = ?", (table, key))
        return (rows[0][0], rows[0][1]) if rows else None

    # Kiosks and their heartbeats -------------------------------------------------------
    def set_kiosk_token(self, name: str, token_hash: str) -> None:
        self._run(
            "INSERT OR REPLACE INTO kiosks (name, token_hash, created_at) VALUES (?, ?, ?)",
            (name, token_hash, now_utc().isoformat()),
        )

    def kiosk_for_token(self, token_hash: str) -> str | None:
        rows = self._run("SELECT name FROM kiosks WHERE token_hash = ?", (token_hash,))
        return rows[0][0] if rows else None

    def kiosk_names(self) -> list[str]:
        return [r[0] for r in self._run("SELECT name FROM kiosks ORDER BY name")]

    def record_heartbeat(self, name: str, address: str, payload: dict) -> None:
        self._run(
            "INSERT OR REPLACE INTO heartbeats (name, received_at, address, payload) "
            "VALUES (?, ?, ?, ?)",
            (name, now_utc().isoformat(), address, json.dumps(payload, ensure_ascii=False)),
        )

    def heartbeats(self) -> dict[str, Heartbeat]:
        rows = self._run("SELECT name, received_at, address, payload FROM heartbeats")
        return {
            r[0]: Heartbeat(r[0], dt.datetime.fromisoformat(r[1]), r[2], json.loads(r[3]))
            for r in rows
        }
