"""Pictures from content, decoded at the size they are shown, never at the size they were shot.

A milestone photo straight from a camera or a scanner (8000 x 7900 px) would take ~250 MB
decoded; the card shows it a few hundred pixels tall. ``load_scaled`` asks the decoder for
the shown size (JPEG decodes at a fraction of full size directly) and refuses pictures so
large that even looking at them is a risk (a "decompression bomb").
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QImageReader, QPixmap

from kiosk.system.memory import release_free_memory

MAX_SOURCE_PIXELS = 80_000_000  # larger pictures are not decoded at all
DECODE_LIMIT_MB = 512  # Qt's own cap for one decode (its default is 256)


def load_scaled(path: Path, max_w: int, max_h: int) -> tuple[QPixmap, str]:
    """The picture at ``path`` fitted into ``max_w`` x ``max_h`` (never enlarged), and ""
    or why it could not be shown."""
    reader = QImageReader(str(path))
    reader.setAutoTransform(True)
    size = reader.size()
    if not size.isValid():
        return QPixmap(), reader.errorString() or "not a picture"
    if size.width() * size.height() > MAX_SOURCE_PIXELS:
        return QPixmap(), (
            f"{size.width()} x {size.height()} px is too large; save it at most 4000 px wide"
        )
    if size.width() > max_w or size.height() > max_h:
        reader.setScaledSize(size.scaled(QSize(max_w, max_h), Qt.AspectRatioMode.KeepAspectRatio))
    QImageReader.setAllocationLimit(DECODE_LIMIT_MB)
    image = reader.read()
    if image.isNull():
        return QPixmap(), reader.errorString() or "could not be decoded"
    pixmap = QPixmap.fromImage(image)
    if size.width() * size.height() > 4 * max_w * max_h:
        # Formats without scaled decoding (PNG) were decoded at full size first: hand that
        # memory back to the OS now, or glibc keeps it for good (kiosk.system.memory says why).
        del image
        release_free_memory()
    return pixmap, ""
