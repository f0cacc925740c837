"""Milestone images the studio stores inside the draft content DB.

An image is stored under a name made from its SHA-256 (never a name from the upload), in
the content DB's ``images`` table, so the one DB file (and every snapshot published from
it) carries its images. A milestone refers to it as ``db:<name>``.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from kiosk.store.layout import DB_IMAGE_PREFIX, IMAGE_TABLE
from kiosk.store.reader import read_image
from kiosk.store.schema import apply_migrations
from kiosk.store.transaction import write_transaction

MIME = {"png": "image/png", "jpg": "image/jpeg"}


def store_image(draft_path, data: bytes, ext: str) -> str:
    """Store ``data`` (already checked and re-encoded); return the milestone's ``image``."""
    if ext not in MIME:
        raise ValueError(ext)
    name = f"{hashlib.sha256(data).hexdigest()[:32]}.{ext}"
    with write_transaction(Path(draft_path)) as conn:
        apply_migrations(conn)
        conn.execute(
            f"INSERT OR IGNORE INTO {IMAGE_TABLE} (name, mime, data) VALUES (?, ?, ?)",
            (name, MIME[ext], data),
        )
    return DB_IMAGE_PREFIX + name


def image_bytes(draft_path, value: str) -> tuple[bytes, str] | None:
    """(bytes, mime type) of a stored image, for the studio's thumbnails."""
    data = read_image(Path(draft_path), value)
    if data is None:
        return None
    return data, MIME.get(value.rsplit(".", 1)[-1], "application/octet-stream")


def prune_images(draft_path) -> int:
    """Delete stored images no milestone uses any more (uploads of refused forms, old
    images); returns how many. Run before a publish so snapshots carry only what shows."""
    with write_transaction(Path(draft_path)) as conn:
        apply_migrations(conn)
        used = {
            r[0][len(DB_IMAGE_PREFIX) :]
            for r in conn.execute("SELECT image FROM milestones WHERE image LIKE 'db:%'")
        }
        names = [r[0] for r in conn.execute(f"SELECT name FROM {IMAGE_TABLE}")]
        unused = [n for n in names if n not in used]
        conn.executemany(f"DELETE FROM {IMAGE_TABLE} WHERE name = ?", [(n,) for n in unused])
    return len(unused)
