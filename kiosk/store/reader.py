"""Read the content DB read-only, in one snapshot, into the frozen model dataclasses."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path

from kiosk.content import model as m
from kiosk.store.errors import StoreError, explain, newer_version_message
from kiosk.store.layout import (
    DB_IMAGE_PREFIX,
    IMAGE_TABLE,
    SCHEMA_VERSION,
    TABLE_ORDER,
    image_names,
    schema_version,
)

BUSY_TIMEOUT_S = 5.0


def open_ro(path: Path) -> sqlite3.Connection:
    """Open the DB read-only (never creates or migrates it); missing file -> StoreError."""
    path = Path(path)
    if not path.is_file():
        raise StoreError(
            f"content DB not found: {path}; build it with 'kiosk db build' or pass --db"
        )
    if path.stat().st_size == 0:
        raise StoreError(
            f"{path} is empty (0 bytes); restore a backup with 'kiosk db restore' "
            "or rebuild it with 'kiosk db build'"
        )
    try:
        conn = sqlite3.connect(
            f"{path.resolve().as_uri()}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_S,
            isolation_level=None,
        )
        conn.row_factory = sqlite3.Row
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlite3.Error as error:
        raise explain(path, error) from None
    return conn


def check_version(conn: sqlite3.Connection, path: Path) -> None:
    version = schema_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(f"{path}: " + newer_version_message(version))
    if version < SCHEMA_VERSION:
        raise StoreError(
            f"{path} has an old or missing schema (version {version}); run 'kiosk db migrate'"
        )


def read_rows(conn: sqlite3.Connection) -> dict[str, list[dict]]:
    """All content tables as plain dicts, read inside the caller's transaction."""
    return {
        t: [dict(r) for r in conn.execute(f'SELECT * FROM "{t}" ORDER BY key')] for t in TABLE_ORDER
    }


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
            _s(r["key"]), _t(r, "title"), _t(r, "publisher"), _s(r["published"]), _t(r, "note")
        )
        for r in rows["sources"]
    ]
    ind = [
        m.Indicator(
            _s(r["key"]),
            _t(r, "label"),
            float(r["value"]),
            _t(r, "unit"),
            _s(r["kind"]),
            _s(r["period"]),
            _s(r["source_key"]),
            _s(r["qualifier"]),
            _s(r["group_key"]),
            _t(r, "group_label"),
            _t(r, "national_note"),
            _t(r, "explanation"),
            int(r["position"] or 0),
        )
        for r in rows["indicators"]
    ]
    ach = [
        m.Achievement(
            _s(r["key"]),
            _t(r, "title"),
            _t(r, "giver"),
            int(r["year"]),
            _s(r["category"]),
            _s(r["source_key"]),
            _t(r, "body"),
            None if r["rank"] in (None, "") else int(r["rank"]),
            _s(r["group_key"]),
            int(r["position"] or 0),
        )
        for r in rows["achievements"]
    ]
    mil = [
        m.Milestone(
            _s(r["key"]),
            _date(r["date"]),
            _s(r["precision"]),
            _t(r, "title"),
            _t(r, "body"),
            # Keys compare in lower case: "Event" typed in Excel is the category "event".
            _s(r["category"]).strip().lower(),
            _s(r["source_key"]),
            _s(r["image"]),
            _date(r.get("show_from")),
            _date(r.get("show_until")),
        )
        for r in rows["milestones"]
    ]
    cat = [
        m.Category(
            _s(r["key"]).strip().lower(), _t(r, "name"), _s(r["color"]), int(r["position"] or 0)
        )
        for r in rows.get("categories", ())
    ]
    quo = [
        m.Quote(
            _s(r["key"]),
            _s(r["speaker"]),
            _t(r, "role"),
            _t(r, "text"),
            _s(r["source_key"]),
            bool(int(r["direct"])),
            _s(r["said_on"]),
        )
        for r in rows["quotes"]
    ]
    pro = [
        m.Project(
            _s(r["key"]),
            _t(r, "title"),
            _t(r, "body"),
            int(r["year"]),
            _t(r, "status"),
            _s(r["source_key"]),
            int(r["position"] or 0),
        )
        for r in rows["projects"]
    ]
    sta = [
        m.Statement(
            _s(r["key"]),
            _s(r["category"]),
            _t(r, "text"),
            _s(r["source_key"]),
            int(r["position"] or 0),
        )
        for r in rows["statements"]
    ]
    pla = [
        m.PlaylistEntry(
            _s(r["key"]),
            int(r["position"] or 0),
            _s(r["kind"]),
            _s(r["ref"]),
            float(r["duration_s"]),
            bool(int(r["enabled"])),
            _date(r["show_from"]),
            _date(r["show_until"]),
            _t(r, "title"),
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


def snapshot(conn: sqlite3.Connection, path: Path) -> dict[str, list[dict]]:
    """Read every table in ONE read transaction so the kiosk never sees half an import."""
    try:
        conn.execute("BEGIN")
        try:
            check_version(conn, path)
            return read_rows(conn)
        finally:
            conn.execute("COMMIT")
    except sqlite3.Error as error:
        raise explain(path, error) from None


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
    except (ValueError, TypeError) as error:
        raise StoreError(
            f"{path}: a row has a bad value ({error}); run 'kiosk db validate' to find it"
        ) from None
