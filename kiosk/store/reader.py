"""Read the content DB read-only, in one snapshot, into the frozen model dataclasses.

Before any row is read, the file's header is checked against its size, ``PRAGMA
quick_check`` runs, and every table and column the kiosk reads is checked to exist (a real
table, not a view); the read is bounded in time (SQLite's progress handler) and in size
(file bytes, rows per table, characters per value). Every problem is one StoreError line.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sqlite3
import time
from pathlib import Path

from kiosk.content import model as m
from kiosk.store.errors import StoreError, explain, newer_version_message
from kiosk.store.file_checks import check_header, check_limits, quick_check
from kiosk.store.layout import (
    DB_IMAGE_PREFIX,
    IMAGE_TABLE,
    SCHEMA_VERSION,
    TABLE_ORDER,
    TABLES,
    image_names,
    schema_version,
    whole_number,
)

BUSY_TIMEOUT_S = 5.0
READ_DEADLINE_S = 3.0  # a content read that takes longer is refused (a costly view, say)
PROGRESS_STEPS = 20_000  # SQLite VM steps between two looks at the clock


def open_ro(path: Path) -> sqlite3.Connection:
    """Open the DB read-only (never creates or migrates it); missing file -> StoreError."""
    path = Path(path)
    open_ro_checks(path)
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
        )
    except sqlite3.Error as error:
        raise explain(path, error) from None
    try:
        conn.row_factory = sqlite3.Row
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except (sqlite3.Error, UnicodeDecodeError) as error:
        conn.close()  # not left to the garbage collector, with its file handle and locks
        if isinstance(error, UnicodeDecodeError):
            raise damaged_schema(path) from None
        raise explain(path, error) from None
    return conn


def damaged_schema(path: Path) -> StoreError:
    # SQLite quotes the damaged schema text in its message, and Python cannot decode it.
    return StoreError(
        f"{path} is damaged (its table definitions are unreadable); "
        "restore a backup ('kiosk db restore') or rebuild the DB"
    )


def open_ro_checks(path: Path) -> None:
    """What ``open_ro`` checks before SQLite sees the file: a folder, a pipe, missing, empty."""
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a content DB; pass the DB file with --db")
    if path.exists() and not path.is_file():
        raise StoreError(
            f"{path} is not a regular file (a pipe or device?); pass the content DB file"
        )
    if not path.is_file():
        raise StoreError(
            f"content DB not found: {path}; build it with 'kiosk db build' or pass --db"
        )
    if path.stat().st_size == 0:
        raise StoreError(
            f"{path} is empty (0 bytes); restore a backup with 'kiosk db restore' "
            "or rebuild it with 'kiosk db build'"
        )


def check_version(conn: sqlite3.Connection, path: Path) -> None:
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: " + newer_version_message(version))
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path} has an old or missing schema (version {version}); run 'kiosk db migrate'"
        )


def check_schema(conn: sqlite3.Connection, path: Path) -> None:
    """Every table and column the kiosk reads is there (a table, not a view); else one line."""
    kinds = dict(conn.execute("SELECT lower(name), type FROM sqlite_master"))
    for table, columns in TABLES.items():
        kind = kinds.get(table)
        if kind is None:
            raise StoreError(
                f"{path}: the table '{table}' is missing; restore a backup "
                "('kiosk db restore') or rebuild the DB"
            )
        if kind != "table":
            raise StoreError(
                f"{path}: '{table}' is a {kind}, not a table; restore a backup "
                "('kiosk db restore') or rebuild the DB"
            )
        have = {row[1].lower() for row in conn.execute(f'PRAGMA table_info("{table}")')}
        missing = [name for name, _ in columns if name not in have]
        if missing:
            raise StoreError(
                f"{path}: the table '{table}' has no column {', '.join(missing)} "
                "(renamed or dropped); restore a backup ('kiosk db restore') or rebuild the DB"
            )


def read_rows(conn: sqlite3.Connection) -> dict[str, list[dict]]:
    """All content tables as plain dicts, read inside the caller's transaction.

    Only the columns the kiosk knows are read, so an extra column is harmless.
    """
    rows = {}
    for table in TABLE_ORDER:
        names = ", ".join(f'"{name}"' for name, _ in TABLES[table])
        # Closed even when a row fails to decode: a cursor kept alive by the exception's
        # traceback would keep its statement, and so the file and its read lock, open.
        with contextlib.closing(
            conn.execute(f'SELECT {names} FROM "{table}" ORDER BY key')
        ) as rows_of:
            rows[table] = [dict(r) for r in rows_of]
    return rows


def bounded(conn: sqlite3.Connection, deadline_s: float) -> None:
    """Make every statement on ``conn`` stop with an error after ``deadline_s`` from now."""
    deadline = time.monotonic() + deadline_s
    conn.set_progress_handler(lambda: time.monotonic() > deadline, PROGRESS_STEPS)


def _s(v) -> str:
    return m.nfc("" if v is None else str(v))


def _t(row: dict, name: str) -> m.Text:
    return m.Text(_s(row.get(f"{name}_vi")), _s(row.get(f"{name}_en")))


def _date(v) -> dt.date | None:
    return dt.date.fromisoformat(v) if v else None


def rows_to_content(
    rows: dict[str, list[dict]], base_dir: str = "", version: str = "", db_path: str = ""
) -> m.Content:
    """Build the Content dataclasses from rows (NFC text, sorted by position/date)."""
    src = [
        m.Source(
            key=_s(r["key"]),
            title=_t(r, "title"),
            publisher=_t(r, "publisher"),
            published=_s(r["published"]),
            note=_t(r, "note"),
        )
        for r in rows["sources"]
    ]
    ind = [
        m.Indicator(
            key=_s(r["key"]),
            label=_t(r, "label"),
            value=float(r["value"]),
            unit=_t(r, "unit"),
            kind=_s(r["kind"]),
            period=_s(r["period"]),
            source_key=_s(r["source_key"]),
            qualifier=_s(r["qualifier"]),
            group_key=_s(r["group_key"]),
            group_label=_t(r, "group_label"),
            national_note=_t(r, "national_note"),
            explanation=_t(r, "explanation"),
            position=whole_number(r["position"] or 0),
        )
        for r in rows["indicators"]
    ]
    ach = [
        m.Achievement(
            key=_s(r["key"]),
            title=_t(r, "title"),
            giver=_t(r, "giver"),
            year=whole_number(r["year"]),
            category=_s(r["category"]),
            source_key=_s(r["source_key"]),
            body=_t(r, "body"),
            rank=None if r["rank"] in (None, "") else whole_number(r["rank"]),
            group_key=_s(r["group_key"]),
            position=whole_number(r["position"] or 0),
        )
        for r in rows["achievements"]
    ]
    mil = [
        m.Milestone(
            key=_s(r["key"]),
            date=_date(r["date"]),
            precision=_s(r["precision"]),
            title=_t(r, "title"),
            body=_t(r, "body"),
            # Keys compare in lower case: "Event" typed in Excel is the category "event".
            category=_s(r["category"]).strip().lower(),
            source_key=_s(r["source_key"]),
            image=_s(r["image"]),
            show_from=_date(r.get("show_from")),
            show_until=_date(r.get("show_until")),
        )
        for r in rows["milestones"]
    ]
    cat = [
        m.Category(
            key=_s(r["key"]).strip().lower(),
            name=_t(r, "name"),
            color=_s(r["color"]),
            position=whole_number(r["position"] or 0),
        )
        for r in rows.get("categories", ())
    ]
    quo = [
        m.Quote(
            key=_s(r["key"]),
            speaker=_s(r["speaker"]),
            role=_t(r, "role"),
            text=_t(r, "text"),
            source_key=_s(r["source_key"]),
            direct=bool(whole_number(r["direct"])),
            said_on=_s(r["said_on"]),
        )
        for r in rows["quotes"]
    ]
    pro = [
        m.Project(
            key=_s(r["key"]),
            title=_t(r, "title"),
            body=_t(r, "body"),
            year=whole_number(r["year"]),
            status=_t(r, "status"),
            source_key=_s(r["source_key"]),
            position=whole_number(r["position"] or 0),
        )
        for r in rows["projects"]
    ]
    sta = [
        m.Statement(
            key=_s(r["key"]),
            category=_s(r["category"]),
            text=_t(r, "text"),
            source_key=_s(r["source_key"]),
            position=whole_number(r["position"] or 0),
        )
        for r in rows["statements"]
    ]
    pla = [
        m.PlaylistEntry(
            key=_s(r["key"]),
            position=whole_number(r["position"] or 0),
            kind=_s(r["kind"]),
            ref=_s(r["ref"]),
            duration_s=float(r["duration_s"]),
            enabled=bool(whole_number(r["enabled"])),
            show_from=_date(r["show_from"]),
            show_until=_date(r["show_until"]),
            title=_t(r, "title"),
        )
        for r in rows["playlist"]
    ]
    return m.Content(
        sources=tuple(src),
        indicators=tuple(sorted(ind, key=lambda x: (x.position, x.key))),
        achievements=tuple(sorted(ach, key=lambda x: (x.position, x.key))),
        milestones=tuple(sorted(mil, key=lambda x: (x.date, x.key))),
        quotes=tuple(quo),
        projects=tuple(sorted(pro, key=lambda x: (x.position, x.key))),
        statements=tuple(sorted(sta, key=lambda x: (x.position, x.key))),
        playlist=tuple(sorted(pla, key=lambda x: (x.position, x.key))),
        categories=tuple(sorted(cat, key=lambda x: (x.position, x.key))),
        version=version,
        base_dir=base_dir,
        db_path=db_path,
    )


def snapshot(
    conn: sqlite3.Connection,
    path: Path,
    deadline_s: float | None = None,
    shown_as: Path | None = None,
) -> dict[str, list[dict]]:
    """Check the file, then read every table in ONE read transaction (never half an import).

    Bounded: after ``deadline_s`` the read stops with a StoreError. ``shown_as``: the name
    messages give (the live DB, when ``path`` is a private copy of it).
    """
    deadline_s = READ_DEADLINE_S if deadline_s is None else deadline_s
    bounded(conn, deadline_s)
    file, path = path, shown_as or path
    try:
        check_header(file)
        conn.execute("BEGIN")
        try:
            quick_check(conn, path)
            check_version(conn, path)
            check_schema(conn, path)
            check_limits(conn, path)
            return read_rows(conn)
        finally:
            if conn.in_transaction:  # a failed read may have ended it; keep its real error
                conn.execute("COMMIT")
    except sqlite3.OperationalError as error:
        if "interrupted" in str(error):
            raise StoreError(
                f"{path}: reading the content took longer than {deadline_s:g} s "
                "(a view or a very large table?); restore a backup or rebuild the DB"
            ) from None
        raise explain(path, error) from None
    except sqlite3.Error as error:
        raise explain(path, error) from None
    except UnicodeDecodeError:
        raise damaged_schema(path) from None
    finally:
        conn.set_progress_handler(None, 0)


def read_image(db_path, value: str) -> bytes | None:
    """The bytes of a ``db:<name>`` milestone image, None when it is not in the DB."""
    if not value.startswith(DB_IMAGE_PREFIX):
        return None
    conn = open_ro(Path(db_path))
    try:
        if value not in image_names(conn):
            return None
        sql = f"SELECT data FROM {IMAGE_TABLE} WHERE name = ?"
        row = conn.execute(sql, (value[len(DB_IMAGE_PREFIX) :],)).fetchone()
    except sqlite3.Error as error:
        raise explain(Path(db_path), error) from None
    finally:
        conn.close()
    return bytes(row[0]) if row else None


def load_content(db_path) -> m.Content:
    """Load all content from ``db_path`` read-only; StoreError (one line) on any problem."""
    path = Path(db_path)
    conn = open_ro(path)
    try:
        rows = snapshot(conn, path)
        version = str(conn.execute("PRAGMA data_version").fetchone()[0])
    finally:
        conn.close()
    try:
        return rows_to_content(rows, str(path.resolve().parent), version, str(path.resolve()))
    except (ValueError, TypeError, OverflowError) as error:
        raise StoreError(
            f"{path}: a row has a bad value ({error}); run 'kiosk db validate' to find it"
        ) from None
