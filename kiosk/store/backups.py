"""Backups of the content DB: on request, and automatically before every change.

Copies use the SQLite backup API, so a backup taken while the kiosk runs or staff write is
a consistent snapshot (a plain file copy can miss the ``-wal``). Automatic backups go to a
``backups`` folder beside the DB, named after the change they precede; the newest
``KEEP_AUTOMATIC`` are kept.
"""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from pathlib import Path

from kiosk.store.errors import StoreError, explain, os_error
from kiosk.store.install import remove_quietly
from kiosk.store.reader import open_ro

KEEP_AUTOMATIC = 30
AUTO_MARK = "-before-"


def backup_folder(db_path: Path) -> Path:
    return Path(db_path).resolve().parent / "backups"


def backup_db(db_path, dest=None) -> Path:
    """Copy the DB with the SQLite backup API to ``dest`` (file or folder) or beside it.

    ``dest`` ending in a slash, or an existing folder, receives a time-stamped file; a folder
    that does not exist is refused (never a file named like the folder). A backup never
    writes over an existing file: a time-stamped name gets a ``-2``, ``-3`` … suffix, an
    explicit file name that exists is refused.
    """
    path = Path(db_path)
    name = f"{path.stem}-{_stamp()}.db"
    if dest is None:
        out = _unused(path.with_name(name))
    else:
        text = str(dest)
        dest = Path(dest)
        if dest.is_dir():
            out = _unused(dest / name)
        elif text.endswith(("/", "\\")):
            raise StoreError(f"{text}: no such folder; create it first or give a file name")
        elif dest.exists():
            raise StoreError(
                f"{dest} already exists; give a new file name or a folder, "
                "a backup never writes over a file"
            )
        elif not dest.parent.is_dir():
            raise StoreError(f"{dest}: the folder {dest.parent} does not exist; create it first")
        else:
            out = dest
    _copy(path, out)
    return out


def backup_before_change(db_path, action: str) -> Path | None:
    """The automatic backup before ``action`` changes the DB; None if there is no DB yet."""
    path = Path(db_path)
    if not path.exists():
        return None
    folder = backup_folder(path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as error:
        raise os_error(folder, error, "cannot make the backup folder; nothing changed") from None
    out = _unused(folder / f"{path.stem}-{_stamp()}{AUTO_MARK}{action}.db")
    _copy(path, out)
    _prune(folder, path.stem)
    return out


def _copy(path: Path, out: Path) -> None:
    conn = open_ro(path)
    try:
        target = sqlite3.connect(out)
        try:
            conn.backup(target)
        finally:
            target.close()
    except sqlite3.Error as error:
        remove_quietly(out)
        text = str(error).lower()
        if "disk is full" in text:
            raise explain(out, error) from None
        if "unable to open" in text or "readonly" in text or "read-only" in text:
            raise StoreError(
                f"{out}: cannot write the backup there ({error}); check the folder's "
                "permissions, or run the command as the kiosk user; nothing changed"
            ) from None
        raise explain(path, error) from None
    finally:
        conn.close()


def _prune(folder: Path, stem: str) -> None:
    autos = sorted(folder.glob(f"{stem}-*{AUTO_MARK}*.db"), key=os.path.getmtime)
    for old in autos[:-KEEP_AUTOMATIC]:
        remove_quietly(old)


def latest_backups(db_path, count: int = 10) -> list[Path]:
    """The newest automatic backups of ``db_path``, newest first (for the studio and docs)."""
    path = Path(db_path)
    folder = backup_folder(path)
    found = sorted(folder.glob(f"{path.stem}-*.db"), key=os.path.getmtime, reverse=True)
    return found[:count]


def _stamp() -> str:
    return dt.datetime.now().strftime("%Y%m%d-%H%M%S")


def _unused(path: Path) -> Path:
    """``path``, or the first of ``stem-2``, ``stem-3`` … that does not exist yet."""
    candidate, n = path, 1
    while candidate.exists():
        n += 1
        candidate = path.with_name(f"{path.stem}-{n}{path.suffix}")
    return candidate
