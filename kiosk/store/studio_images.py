"""Where the studio keeps uploaded milestone images for the draft content DB.

An image is stored under a name made from its SHA-256 (never a name from the upload), in
the ``images`` folder beside the draft, which is where the kiosk and the validator look
for a milestone's ``image`` (relative to the content DB's folder).
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path

IMAGE_DIR = "images"


def store_image(draft_path, data: bytes, ext: str) -> str:
    """Write ``data`` atomically; return the ``image`` value for the milestone row."""
    if ext not in ("png", "jpg"):
        raise ValueError(ext)
    folder = Path(draft_path).resolve().parent / IMAGE_DIR
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{hashlib.sha256(data).hexdigest()[:32]}.{ext}"
    target = folder / name
    if not target.exists():
        fd, tmp = tempfile.mkstemp(dir=folder, suffix=".part")
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, target)
    return f"{IMAGE_DIR}/{name}"


def image_file(draft_path, value: str) -> Path | None:
    """The file for a milestone's ``image`` value when it is one the studio stored."""
    parts = Path(value).parts
    if len(parts) != 2 or parts[0] != IMAGE_DIR or not parts[1].replace(".", "").isalnum():
        return None
    path = Path(draft_path).resolve().parent / IMAGE_DIR / parts[1]
    return path if path.is_file() else None
