"""ContentSource: hands the UI the last good content and notices when the DB changes.

Change detection uses ``PRAGMA data_version`` on a kept-open read-only connection (it moves
when another connection commits, including WAL commits that leave the main file's mtime
alone) plus the file's identity (inode, size, mtime) so a file replaced by a copy is noticed.
A poll never raises: problems are logged as one line and the last good content stays.
"""

from __future__ import annotations

import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.content.model import Content
from kiosk.store.errors import StoreError
from kiosk.store.reader import open_ro, rows_to_content, snapshot
from kiosk.store.validate import check_rows

log = logging.getLogger("kiosk.store")


class ContentSource:
    """The kiosk's view of the content DB. ``current`` is the last good Content."""

    def __init__(self, db_path, clock: Callable[[], float] = time.monotonic) -> None:
        self.path = Path(db_path)
        self.clock = clock
        self.last_error = ""
        self.checked_at: float | None = None
        self._conn: sqlite3.Connection | None = None
        self._identity: tuple | None = None
        self._data_version: int | None = None
        self._current: Content | None = None

    @property
    def current(self) -> Content:
        """The last good content; the first call loads it and raises StoreError (one line)."""
        if self._current is None:
            self._current = self._load()
        return self._current

    def poll(self) -> Content | None:
        """New validated content if the DB changed since the last load, else None."""
        self.checked_at = self.clock()
        try:
            if self._current is not None and not self._changed():
                return None
            content = self._load()
        except StoreError as error:
            self._note(str(error))
            return None
        except Exception as error:  # noqa: BLE001 - the UI must never see a store crash
            self._note(f"{self.path}: unexpected error while reloading: {error}")
            return None
        self._current = content
        self.last_error = ""
        return content

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def _note(self, message: str) -> None:
        # Log each distinct problem once, not on every poll.
        if message != self.last_error:
            log.warning("keeping the last good content: %s", message)
        self.last_error = message

    def _file_identity(self) -> tuple:
        try:
            st = self.path.stat()
        except OSError:
            return ()
        return (st.st_ino, st.st_size, st.st_mtime_ns)

    def _changed(self) -> bool:
        if self._file_identity() != self._identity or self._conn is None:
            return True
        try:
            version = self._conn.execute("PRAGMA data_version").fetchone()[0]
        except sqlite3.Error:
            return True
        return version != self._data_version

    def _load(self) -> Content:
        self.close()
        identity = self._file_identity()
        conn = open_ro(self.path)
        try:
            rows = snapshot(conn, self.path)
            version = conn.execute("PRAGMA data_version").fetchone()[0]
            errors = [p for p in check_rows(rows, self.path.resolve().parent) if p.level == "error"]
            if errors:
                more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
                raise StoreError(f"{self.path}: content has errors: {errors[0]}{more}")
            folder, db = str(self.path.resolve().parent), str(self.path.resolve())
            content = rows_to_content(rows, folder, str(version), db)
        except (ValueError, TypeError) as error:
            conn.close()
            raise StoreError(f"{self.path}: a row has a bad value ({error})") from None
        except BaseException:
            conn.close()
            raise
        self._conn, self._identity, self._data_version = conn, identity, version
        return content
