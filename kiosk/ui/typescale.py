"""Every text size on a laid-out screen, read from its widgets (for the type-scale tests).

``text_sizes(root)`` walks the visible widgets under ``root`` and returns ``(what, px)``
for each text it shows: labels and buttons by their font, pyqtgraph text items by theirs,
and painted widgets (cards, tiles, the timeline strip) by the fonts they report through
``painted_fonts()``. Nothing is guessed from pixels.
"""

from __future__ import annotations

from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtWidgets import QAbstractButton, QGraphicsTextItem, QGraphicsView, QLabel, QWidget


def _px(font: QFont) -> int:
    """The pixel size the font is really drawn at (point-sized fonts included)."""
    return QFontInfo(font).pixelSize()


def _shown(widget: QWidget, root: QWidget) -> bool:
    return widget.isVisibleTo(root) and widget.width() > 0 and widget.height() > 0


def text_sizes(root: QWidget) -> list[tuple[str, int]]:
    """``(description, pixel size)`` of every text visible under ``root``."""
    found: list[tuple[str, int]] = []
    for widget in [root, *root.findChildren(QWidget)]:
        if widget is not root and not _shown(widget, root):
            continue
        name = type(widget).__name__
        painted = getattr(widget, "painted_fonts", None)
        if callable(painted):  # it draws its own text, in these fonts
            found += [(f"{name} painted", _px(font)) for font in painted()]
        elif isinstance(widget, (QLabel, QAbstractButton)) and widget.text().strip():
            found.append((f"{name} {widget.text()[:40]!r}", _px(widget.font())))
        if isinstance(widget, QGraphicsView) and widget.scene() is not None:
            for item in widget.scene().items():
                text = item.toPlainText() if isinstance(item, QGraphicsTextItem) else ""
                if text.strip() and item.isVisible():
                    found.append((f"{name} item {text[:40]!r}", _px(item.font())))
    return found
