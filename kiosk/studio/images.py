"""Milestone image uploads: checked, decoded under a pixel limit, scaled and re-encoded.

The uploaded file's name is never used: the stored name comes from the image's own hash.
Pillow's decompression-bomb guard is set to our limit and turned into an error, so a small
file that would decode to a huge image is refused before it is decoded.
"""

from __future__ import annotations

import io
import warnings

from PIL import Image

from kiosk.store.studio_images import store_image
from kiosk.store.validate import Problem
from kiosk.studio.problems import studio_problem

FORMATS = {"PNG", "JPEG", "WEBP"}
MAX_PIXELS = 40_000_000  # a 40-megapixel photo is fine; more is refused, not decoded
MAX_SIDE = 1600  # the card shows at most ~1000 px on a 4K screen


class BadImage(Exception):
    """Not an image we take; ``key``/``kw`` name the bilingual message."""

    def __init__(self, key: str, **kw) -> None:
        super().__init__(key)
        self.key, self.kw = key, kw


def normalise(data: bytes, limit_bytes: int) -> tuple[bytes, str]:
    """Upload bytes -> (re-encoded image, extension); BadImage when refused."""
    if len(data) > limit_bytes:
        raise BadImage("too_big", mb=limit_bytes // (1024 * 1024))
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            old_limit = Image.MAX_IMAGE_PIXELS
            Image.MAX_IMAGE_PIXELS = MAX_PIXELS
            try:
                image = Image.open(io.BytesIO(data), formats=sorted(FORMATS))
                pixels = image.width * image.height
                if pixels > MAX_PIXELS:
                    raise BadImage(
                        "image.too_many_pixels",
                        pixels=round(pixels / 1e6),
                        limit=MAX_PIXELS // 1_000_000,
                    )
                image.load()
            finally:
                Image.MAX_IMAGE_PIXELS = old_limit
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise BadImage(
            "image.too_many_pixels", pixels="> 40", limit=MAX_PIXELS // 1_000_000
        ) from None
    except BadImage:
        raise
    except Exception:  # Pillow raises many kinds for broken or foreign files
        raise BadImage("image.not_image") from None
    image.thumbnail((MAX_SIDE, MAX_SIDE))
    out = io.BytesIO()
    if (
        image.mode in ("RGBA", "LA", "P")
        and "transparency" in image.info
        or image.mode
        in (
            "RGBA",
            "LA",
        )
    ):
        image.convert("RGBA").save(out, "PNG", optimize=True)
        return out.getvalue(), "png"
    image.convert("RGB").save(out, "JPEG", quality=85, optimize=True)
    return out.getvalue(), "jpg"


def apply_image_field(table: str, values: dict, upload) -> Problem | None:
    """Handle the milestone form's upload/remove: sets ``values['image']`` or a Problem."""
    from kiosk.studio import messages
    from kiosk.studio.app import IMAGE_LIMIT_MB, studio_of

    if table != "milestones":
        return None
    from flask import request

    if request.form.get("image_remove"):
        values["image"] = ""
    if upload is None or not upload.filename:
        return None
    try:
        data, ext = normalise(upload.read(IMAGE_LIMIT_MB * 1024 * 1024 + 1), IMAGE_LIMIT_MB << 20)
    except BadImage as bad:
        text = messages.pair(bad.key, **bad.kw)
        return studio_problem(table, values.get("key", ""), "image", text)
    values["image"] = store_image(studio_of().draft, data, ext)
    return None
