"""ContentSource: hands the UI the last good content and notices when the DB changes.

No connection is kept open between polls: a kept-open reader stops the last writer from
checkpointing and removing its ``-wal``, and SQLite would replay that ``-wal`` over a good
file copied in place later. A change is noticed from the files themselves: the main file's
identity (inode, size, mtime), the ``-wal``'s, and the ``-shm`` header (whose change counter
moves with every WAL commit).

A new file is read through a private copy (``last_good.copy_snapshot``): header, quick_check,
schema, limits and content rules are checked on that copy, and a copy that passes becomes
the last good copy on disk. A file that was refused is not read again until it changes, and
each refusal is logged as one line. ``poll`` never raises; it is safe to call from a worker
thread (it touches nothing but this object and the files).
"""

from __future__ import annotations

import dataclasses
import logging
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

from kiosk.content.model import Content
from kiosk.store.errors import StoreError, explain
from kiosk.store.file_checks import check_header
from kiosk.store.last_good import copy_files, install, last_good_path
from kiosk.store.layout import image_names
from kiosk.store.reader import (
    damaged_schema,
    load_content,
    open_ro,
    open_ro_checks,
    rows_to_content,
    snapshot,
)
from kiosk.store.validate import check_rows

log = logging.getLogger("kiosk.store")

SHM_HEADER_BYTES = 48  # the WAL index header: change counter, frame count, salts
COPY_ATTEMPTS = 3


class ContentSource:
    """The kiosk's view of the content DB. ``current`` is the last good Content."""

    def __init__(
        self, db_path, clock: Callable[[], float] = time.monotonic, keep_last_good: bool = True
    ) -> None:
        self.path = Path(db_path)
        self.clock = clock
        self.keep_last_good = keep_last_good
        self.last_error = ""
        self.checked_at: float | None = None
        self.from_last_good = False  # ``current`` came from the last good copy
        self._identity: tuple | None = None  # of the files ``current`` was read from
        self._rejected: tuple | None = None  # of files refused: not read again until changed
        self._current: Content | None = None
        self._copy_warned = False
        self._loads = 0

    @property
    def current(self) -> Content:
        """The last good content; the first call loads it and raises StoreError (one line)."""
        if self._current is None:
            identity = self.identity()
            try:
                self._current = self._load(identity)
            except StoreError as error:
                # The caller logs this one; polls stay quiet until the file changes.
                self.last_error, self._rejected = str(error), self._settled(identity)
                raise
            self._identity = self._settled(identity)
        return self._current

    def load_last_good(self) -> Content:
        """The last good copy beside the DB, as ``current``; StoreError if there is none."""
        copy = last_good_path(self.path)
        if not copy.is_file():
            raise StoreError(f"no last good copy ({copy} does not exist)")
        content = load_content(copy)
        self._current, self.from_last_good = content, True
        return content

    def poll(self) -> Content | None:
        """New validated content if the DB changed since the last load, else None."""
        self.checked_at = self.clock()
        identity = self.identity()
        if identity in (self._identity, self._rejected):
            return None
        try:
            content = self._load(identity)
        except StoreError as error:
            self._refuse(self._settled(identity), str(error))
            return None
        except Exception as error:  # noqa: BLE001 - the UI must never see a store crash
            message = f"{self.path}: unexpected error while reloading: {error}"
            self._refuse(self._settled(identity), message)
            return None
        same = self._current is not None and not self.from_last_good
        same = same and dataclasses.replace(content, version=self._current.version) == self._current
        self._identity, self._rejected, self.last_error = self._settled(identity), None, ""
        if same:
            return None  # the files moved (a checkpoint, a reader's -shm), the content did not
        self._current, self.from_last_good = content, False
        return content

    def close(self) -> None:
        """Nothing is kept open between polls; kept for callers that close a source."""

    def identity(self) -> tuple:
        """What changes whenever the DB's content can have changed (any commit, any copy)."""
        return (_stat(self.path), _stat(_beside(self.path, "-wal")), _shm_header(self.path))

    def _settled(self, before: tuple) -> tuple:
        """The identity to remember for what was read with ``before``.

        Reading a WAL-mode DB creates an empty ``-wal`` and a ``-shm`` where there were
        none; that is not a change. Anything else that moved meanwhile was somebody's
        commit: ``before`` is kept, so the next poll reads again.
        """
        after = self.identity()
        main, wal, shm = before
        created = not wal and after[1][2:3] == (0,) and not shm
        if after[0] == main and (after[1:] == before[1:] or created):
            return after
        return before

    def _refuse(self, identity: tuple, message: str) -> None:
        self._rejected = identity
        # One line per problem: the same message again (the file touched, still bad) is quiet.
        if message != self.last_error:
            log.warning("keeping the last good content: %s", message)
        self.last_error = message

    def _load(self, identity: tuple) -> Content:
        # Checked before SQLite reads a page: a folder, a pipe, an empty or truncated file.
        open_ro_checks(self.path)
        try:
            check_header(self.path)
        except OSError as error:
            raise StoreError(f"{self.path}: cannot read it ({error.strerror})") from None
        copy = self._private_copy(identity)
        self._loads += 1
        conn = open_ro(copy or self.path)
        try:
            rows = snapshot(conn, copy or self.path, shown_as=self.path)
            images = image_names(conn)
        except sqlite3.Error as error:
            raise explain(self.path, error) from None
        finally:
            conn.close()
        base = self.path.resolve().parent
        errors = [p for p in check_rows(rows, base, images) if p.level == "error"]
        if errors:
            more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
            raise StoreError(f"{self.path}: content has errors: {errors[0]}{more}")
        # Pictures stored in the DB are read, when a card opens, from the last good copy:
        # the very file this content came from, never the live DB (which may change).
        db_file = last_good_path(self.path) if copy is not None else self.path
        try:
            content = rows_to_content(rows, str(base), f"{self._loads}", str(db_file.resolve()))
        except (ValueError, TypeError, OverflowError) as error:
            raise StoreError(f"{self.path}: a row has a bad value ({error})") from None
        # Only content that became the kiosk's own replaces the last good copy: a file whose
        # rows cannot be read must never overwrite the copy the kiosk falls back on.
        if copy is not None and not self._keep(copy):
            content = dataclasses.replace(content, db_path=str(self.path.resolve()))
        return content

    def _private_copy(self, identity: tuple) -> Path | None:
        """A private, self-contained copy of the DB beside it; None where none can be
        written (the DB is then read in place)."""
        if not self.keep_last_good:
            return None
        copy = _beside(self.path, ".reading")
        for _ in range(COPY_ATTEMPTS):
            try:
                copy_files(self.path, copy)
            except sqlite3.Error as error:
                raise explain(self.path, error) from None
            except UnicodeDecodeError:
                raise damaged_schema(self.path) from None
            except PermissionError as error:
                return self._no_copy(error)
            except OSError as error:
                raise StoreError(f"{self.path}: cannot read it ({error.strerror})") from None
            if self.identity() == identity:
                return copy
            identity = self.identity()  # written to meanwhile: copy again
        raise StoreError(f"{self.path} kept changing while it was read; trying again later")

    def _no_copy(self, error: Exception) -> None:
        if not self._copy_warned:
            log.warning(
                "no last good copy is kept beside %s (%s); the DB is read in place",
                self.path,
                error,
            )
            self._copy_warned = True
        return None

    def _keep(self, copy: Path) -> bool:
        """Make ``copy`` the last good copy; False (one warning) where it cannot be."""
        try:
            install(copy, self.path)
        except OSError as error:
            copy.unlink(missing_ok=True)
            self._no_copy(error)
            return False
        return True


def _beside(path: Path, suffix: str) -> Path:
    return path.with_name(path.name + suffix)


def _stat(path: Path) -> tuple:
    try:
        st = path.stat()
    except OSError:
        return ()
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_mode & 0o170000)


def _shm_header(path: Path) -> bytes:
    try:
        with open(_beside(path, "-shm"), "rb") as handle:
            return handle.read(SHM_HEADER_BYTES)
    except OSError:
        return b""
