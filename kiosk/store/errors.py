"""Store errors: always one line that says what is wrong and what to do."""

from __future__ import annotations

import errno
import sqlite3
from pathlib import Path

MAX_MESSAGE = 600  # characters in one StoreError line


class StoreError(Exception):
    """A content DB problem, with a one-line message fit for staff and the error screen."""

    def __init__(self, message: str) -> None:
        text = " ".join(str(message).split())
        if len(text) > MAX_MESSAGE:  # a huge value quoted in it must not flood the log
            text = text[: MAX_MESSAGE - 1] + "…"
        super().__init__(text)


def newer_version_message(version: int) -> str:
    return (
        f"the content DB has schema version {version}, which was made by a newer kiosk "
        "version; update the kiosk or restore a backup"
    )


def sqlite_cause(error: sqlite3.Error) -> str:
    """What a sqlite3 error means for staff: locked, damaged, readonly, disk, unable_to_open
    or other (SQLite's messages are the only sign; its error codes vary by version)."""
    text = str(error).lower()
    if "locked" in text or "busy" in text:
        return "locked"
    if "not a database" in text or "malformed" in text or "encrypted" in text:
        return "damaged"
    if "readonly" in text or "read-only" in text:
        return "readonly"
    if "disk is full" in text or "disk i/o" in text:
        return "disk"
    if "unable to open" in text:
        return "unable_to_open"
    return "other"


# sqlite_cause -> the line staff see about the content DB; {path} and {error} are filled in.
CONTENT_DB_MESSAGES = {
    "locked": "{path}: the DB is locked by another program (close DB Browser?) and try again",
    "damaged": (
        "{path} is not a valid content DB (damaged or another kind of file); restore a backup "
        "with 'kiosk db restore' or rebuild it with 'kiosk db build --force'"
    ),
    "readonly": (
        "{path}: the content DB cannot be written (read-only file or folder; SQLite needs "
        "to write beside it even to read it); run the command as the DB's owner "
        "(sudo -u kiosk kiosk ...) or check the permissions"
    ),
    "disk": (
        "{path}: the disk is full or failing ({error}); free some space, then try again; "
        "nothing was changed"
    ),
    "unable_to_open": "{path}: cannot open the content DB; check the path and permissions",
    "other": (
        "{path}: database error: {error}; restore a backup with 'kiosk db restore' "
        "or rebuild it with 'kiosk db build --force'"
    ),
}


def explain(
    path: Path, error: sqlite3.Error, messages: dict[str, str] = CONTENT_DB_MESSAGES
) -> StoreError:
    """Turn a sqlite3 error into a one-line StoreError naming the file and the remedy.

    ``messages`` (by ``sqlite_cause``, "other" for a cause it leaves out) words it for
    another kind of file, e.g. the visit statistics.
    """
    template = messages.get(sqlite_cause(error), messages["other"])
    return StoreError(template.format(path=path, error=error))


def os_error(path: Path, error: OSError, doing: str = "") -> StoreError:
    """Turn a file-system error into one line naming the path, the cause and the remedy."""
    what = {
        errno.EACCES: "permission denied; check the permissions or run the command as its owner",
        errno.EPERM: "permission denied; check the permissions or run the command as its owner",
        errno.ENOSPC: "the disk is full; free some space, then try again",
        errno.EROFS: "the disk is read-only",
        errno.ENOENT: "no such file or folder",
        errno.EISDIR: "is a folder, not a file",
    }.get(error.errno, error.strerror or str(error))
    return StoreError(f"{path}: {what}" + (f"; {doing}" if doing else ""))
