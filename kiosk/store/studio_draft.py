"""Row edits on the studio's draft content DB, with optimistic locking and full validation.

Every save or delete runs in one ``BEGIN IMMEDIATE`` transaction: the row's fingerprint is
compared with the one the editor's form was made from (a mismatch is a ``Conflict``, nothing
written), the change is applied, and ``check_rows`` runs over the whole draft. A change that
adds a validation error is rolled back and its problems returned, so the draft only ever
gains errors from outside the studio (``kiosk db import``), never from a form.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import threading
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.store.conventions import CellError
from kiosk.store.errors import StoreError, explain
from kiosk.store.importing import convert
from kiosk.store.layout import image_names
from kiosk.store.reader import open_ro, read_rows, snapshot
from kiosk.store.schema import TABLES, apply_migrations
from kiosk.store.transaction import open_rw
from kiosk.store.validate import Problem, check_rows
from kiosk.store.writer import build_db


class Conflict(Exception):
    """The row changed since the form was opened; ``current`` is what is stored now."""

    def __init__(self, current: dict | None) -> None:
        super().__init__("row changed since it was opened")
        self.current = current


@dataclass
class Change:
    """One row that differs between two content snapshots."""

    table: str
    key: str
    status: str  # "added", "changed" or "deleted"
    fields: list[tuple[str, object, object]] = field(default_factory=list)  # (col, old, new)


def ensure_draft(draft_path, seed_dir) -> bool:
    """Build the draft from the seed CSVs when it does not exist; True if it was built."""
    path = Path(draft_path)
    if path.is_file() and path.stat().st_size > 0:
        return False
    build_db(path, seed_dir)
    return True


def read_all(db_path) -> dict[str, list[dict]]:
    """Every content table of ``db_path`` in one read transaction."""
    path = Path(db_path)
    conn = open_ro(path)
    try:
        return snapshot(conn, path)
    finally:
        conn.close()


def read_table(db_path, table: str) -> list[dict]:
    """One table's rows (by key order), read-only."""
    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}")
    conn = open_ro(Path(db_path))
    try:
        return [dict(r) for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY key')]
    finally:
        conn.close()


def read_page(
    db_path, table: str, query: str = "", *, page: int = 1, size: int = 100, by_position=False
) -> tuple[list[dict], int]:
    """One page of a table's rows and how many rows match; ``query`` matches any column,
    ignoring case (Vietnamese too: "đà" finds "Đà"). Only the page is turned into dicts."""
    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}")
    cols = [c for c, _ in TABLES[table]]
    where, params = "", []
    if query:
        joined = " || ' ' || ".join(f"COALESCE(\"{c}\", '')" for c in cols)
        where, params = f"WHERE instr(casefold({joined}), ?) > 0", [query.casefold()]
    order = "position, key" if by_position else "key"
    conn = open_ro(Path(db_path))
    try:
        conn.create_function("casefold", 1, lambda s: str(s).casefold(), deterministic=True)
        start = (max(page, 1) - 1) * size
        if query:  # one pass over the table; only the page becomes dicts
            found = conn.execute(f'SELECT * FROM "{table}" {where} ORDER BY {order}', params)
            matches = found.fetchall()
            return [dict(r) for r in matches[start : start + size]], len(matches)
        total = conn.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        sql = f'SELECT * FROM "{table}" ORDER BY {order} LIMIT ? OFFSET ?'
        return [dict(r) for r in conn.execute(sql, [size, start])], total
    except sqlite3.Error as error:
        raise explain(Path(db_path), error) from None
    finally:
        conn.close()


def read_row(db_path, table: str, key: str) -> dict | None:
    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}")
    conn = open_ro(Path(db_path))
    try:
        return _row(conn, table, key)
    finally:
        conn.close()


# Validation of a whole draft takes tens of milliseconds with thousands of rows; its
# result is kept per DB file until the file (or its WAL) changes.
_checked: dict[Path, tuple[tuple, list[Problem]]] = {}
_checked_lock = threading.Lock()


def _state(path: Path) -> tuple:
    """What changes whenever anyone writes the DB: size and time of the file and its WAL."""
    out = []
    for name in (path, path.with_name(path.name + "-wal")):
        try:
            st = name.stat()
        except FileNotFoundError:
            st = None
        # An empty WAL (made by opening a connection) holds no change: same as none.
        out.append((st.st_size, st.st_mtime_ns) if st and st.st_size else None)
    return tuple(out)


def _remember(path: Path, state: tuple, problems: list[Problem]) -> None:
    with _checked_lock:
        _checked[path] = (state, problems)


def _recalled(path: Path, state: tuple) -> list[Problem] | None:
    with _checked_lock:
        got = _checked.get(path)
    return got[1] if got and got[0] == state else None


def validate_draft(db_path) -> list[Problem]:
    """``check_rows`` over the whole draft, from the cache while the file is unchanged."""
    path = Path(db_path).resolve()
    state = _state(path)
    cached = _recalled(path, state)
    if cached is not None:
        return cached
    conn = open_ro(path)
    try:
        rows, images = snapshot(conn, path), image_names(conn)
    finally:
        conn.close()
    problems = check_rows(rows, path.parent, images)
    _remember(path, state, problems)
    return problems


def fingerprint(row: dict | None) -> str:
    """A short hash of a row's values: what the edit form remembers for the lock check."""
    text = json.dumps(row, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def content_hash(rows: dict[str, list[dict]]) -> str:
    """A hash of all content, for caches that must follow every change."""
    text = json.dumps(rows, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def coerce_values(table: str, values: dict[str, str]) -> tuple[dict, list[Problem]]:
    """Form strings -> column values, read by the import's own conventions.

    A number or date that cannot be read for sure is a problem beside its field, never a
    guess (``1.890`` could be 1890 or 1.89, so it is refused with both readings shown).
    """
    row: dict = {}
    problems: list[Problem] = []
    key = str(values.get("key") or "").strip()
    kind = str(values.get("kind") or "")
    for col, _sql in TABLES[table]:
        raw = values.get(col)
        try:
            row[col] = convert(table, col, raw, kind, {})
        except CellError as error:
            problems.append(Problem.of("error", table, key, col, error.code, **error.params))
            row[col] = raw
    if not key:
        problems.append(Problem.of("error", table, "", "key", "empty"))
    return row, problems


def _row(conn, table: str, key: str) -> dict | None:
    got = conn.execute(f'SELECT * FROM "{table}" WHERE key = ?', (key,)).fetchone()
    return dict(got) if got else None


def _all(conn, table: str) -> list[dict]:
    return [dict(r) for r in conn.execute(f'SELECT * FROM "{table}" ORDER BY key')]


def _problem_ids(problems: list[Problem]) -> set[tuple]:
    return {(p.table, p.key, p.field, p.message) for p in problems if p.level == "error"}


# Tables no other table refers to: a change to some of their rows can only change the
# problems of those rows, so only they need checking again (the rest comes from the cache).
LEAF_TABLES = ("milestones", "statements", "playlist")


def _check_after(conn, base: Path, table, touched, before, images) -> list[Problem]:
    if table not in LEAF_TABLES or touched is None:
        return check_rows(read_rows(conn), base, images)
    keys = sorted(touched)
    subset = {t: [] if t == table else _all(conn, t) for t in TABLES}
    marks = ", ".join("?" * len(keys))
    sql = f'SELECT * FROM "{table}" WHERE key IN ({marks}) ORDER BY key'
    subset[table] = [dict(r) for r in conn.execute(sql, keys)]
    mine = [p for p in check_rows(subset, base, images) if p.table == table]
    rest = [p for p in before if not (p.table == table and p.key in keys)]
    return sorted([*rest, *mine], key=lambda p: p.level != "error")


def _apply(path: Path, table: str, change, expect, old_key, touched=None):
    """Run ``change(conn)`` under the lock check; roll back if it adds validation errors.

    ``touched``: the keys of ``table`` the change writes or deletes. Returns (new errors,
    all problems after the change).
    """
    if table not in TABLES:
        raise StoreError(f"unknown table {table!r}")
    path = path.resolve()
    conn = open_rw(path)
    try:
        conn.execute("BEGIN IMMEDIATE")
        state = _state(path)  # before this transaction writes anything
        try:
            applied = apply_migrations(conn)
            if old_key is not None:
                current = _row(conn, table, old_key)
                if expect is not None and fingerprint(current) != expect:
                    raise Conflict(current)
            # Nobody else can write now, so a cached check of this very state is exact.
            cached = None if applied else _recalled(path, state)
            if cached is None:
                cached = check_rows(read_rows(conn), path.parent, image_names(conn))
            before = _problem_ids(cached)
            change(conn)
            images = image_names(conn)
            after = _check_after(conn, path.parent, table, touched, cached, images)
            new = [
                p
                for p in after
                if p.level == "error" and (p.table, p.key, p.field, p.message) not in before
            ]
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("ROLLBACK" if new else "COMMIT")
    except sqlite3.Error as error:
        raise explain(path, error) from None
    finally:
        conn.close()
    if not new:
        _remember(path, _state(path), after)
    return new, after


def save_row(
    db_path, table: str, row: dict, *, old_key: str | None = None, expect: str | None = None
) -> tuple[list[Problem], list[Problem]]:
    """Insert (``old_key`` None) or replace a row; returns (refusing errors, row's problems).

    When the first list is not empty nothing was written. A new row whose key is taken, or a
    renamed row whose new key is taken, is refused the same way.
    """
    path = Path(db_path)
    key = row["key"]
    cols = [c for c, _ in TABLES[table]]

    def change(conn):
        if key != old_key and _row(conn, table, key) is not None:
            raise _Taken()
        if old_key is not None:
            conn.execute(f'DELETE FROM "{table}" WHERE key = ?', (old_key,))
        names = ", ".join(f'"{c}"' for c in cols)
        conn.execute(
            f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" * len(cols))})',
            [row.get(c) for c in cols],
        )

    try:
        touched = {key} | ({old_key} if old_key is not None else set())
        new, after = _apply(path, table, change, expect, old_key, touched)
    except _Taken:
        taken = Problem.of("error", table, key, "key", "key_taken", value=key)
        return [taken], [taken]
    return new, [p for p in after if p.table == table and p.key == key]


class _Taken(Exception):
    pass


def delete_row(db_path, table: str, key: str, *, expect: str | None = None) -> list[Problem]:
    """Delete a row; returns the errors that refused it (e.g. still referenced), else []."""

    def change(conn):
        conn.execute(f'DELETE FROM "{table}" WHERE key = ?', (key,))

    new, _after = _apply(Path(db_path), table, change, expect, key, {key})
    return new


def reorder(db_path, table: str, keys: list[str]) -> None:
    """Give the rows in ``keys`` positions 10, 20, …; other rows keep theirs."""

    def change(conn):
        for n, key in enumerate(keys, start=1):
            conn.execute(f'UPDATE "{table}" SET position = ? WHERE key = ?', (n * 10, key))

    _apply(Path(db_path), table, change, None, None, set(keys))


def diff_rows(old: dict[str, list[dict]], new: dict[str, list[dict]]) -> list[Change]:
    """Rows added, changed (field by field) and deleted from ``old`` to ``new``."""
    changes: list[Change] = []
    for table, cols in TABLES.items():
        before = {r["key"]: r for r in old.get(table, [])}
        after = {r["key"]: r for r in new.get(table, [])}
        for key in sorted(before.keys() | after.keys()):
            a, b = before.get(key), after.get(key)
            if a is None:
                fields = [(c, None, b.get(c)) for c, _ in cols if b.get(c) not in (None, "")]
                changes.append(Change(table, key, "added", fields))
            elif b is None:
                fields = [(c, a.get(c), None) for c, _ in cols if a.get(c) not in (None, "")]
                changes.append(Change(table, key, "deleted", fields))
            else:
                fields = [(c, a.get(c), b.get(c)) for c, _ in cols if a.get(c) != b.get(c)]
                if fields:
                    changes.append(Change(table, key, "changed", fields))
    return changes
