"""Small file helpers for the fleet: atomic replacement and hashing.

A file another process may read at any moment (a served manifest, the installed state) is
written to a temporary file in the same folder, flushed, then renamed over the old one, and
the folder is flushed too: a reader sees the old file or the new one, never half of one,
and a power cut leaves one of the two.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

CHUNK = 1 << 16


def fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomic(path, data: bytes, mode: int = 0o644, mtime: float | None = None) -> None:
    """Replace ``path`` with ``data`` in one step (temp file, fsync, os.replace).

    ``mtime`` sets the new file's modification time before it appears under its name.
    """
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fchmod(handle.fileno(), mode)
            os.fsync(handle.fileno())
        if mtime is not None:
            os.utime(tmp, (mtime, mtime))
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    fsync_dir(path.parent)


def sha256_file(path) -> tuple[str, int]:
    """(hex SHA-256, size in bytes) of a file."""
    digest = hashlib.sha256()
    size = 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size
