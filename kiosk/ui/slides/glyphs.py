"""Numbers drawn from small pre-rendered glyph pixmaps, for the KPI count-up.

Qt's raster engine caches glyphs only up to 64 px; larger text (a KPI number is 150 px at
1080p and 340 px at 4K) is filled as a path on every frame, which costs several ms per
number at 4K. ``GlyphCache`` renders each character a formatted number can use once per
font, colour and device pixel ratio, and composes the changing number from those pixmaps at
the positions Qt's own layout gives them (kerning included), so a frame only blits.
"""

from __future__ import annotations

import math
from collections import OrderedDict

from PySide6.QtCore import QPointF, QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPixmap

# What kiosk.content.numbers.format_value writes: digits, both languages' marks, the percent
# sign and the spaces (no-break, narrow no-break before "%" in Vietnamese, thin).
NUMBER_CHARS = frozenset("0123456789.,% \u00a0\u202f\u2009")
MAX_FONTS = 4  # (font, colour, pixel ratio) sets kept; a KPI slide uses one to three
_MARGIN = 2  # device pixels of transparent border, so antialiased edges are not cut off

Glyph = tuple[QPixmap, int, int] | None  # pixmap, origin x and y inside it (device px)


class GlyphCache:
    """Pixmaps of the characters in ``chars``, per font, colour and device pixel ratio.

    Holds at most ``max_fonts`` sets of at most ``len(chars)`` glyphs; the least recently
    used set is dropped first. The owner calls
    ``clear()`` when its slide is hidden, as the card caches do.
    """

    def __init__(self, chars=NUMBER_CHARS, max_fonts: int = MAX_FONTS) -> None:
        self.chars = frozenset(chars)
        self.max_fonts = max_fonts
        self._sets: OrderedDict[tuple, dict[str, Glyph]] = OrderedDict()

    def clear(self) -> None:
        self._sets.clear()

    def glyph_count(self) -> int:
        """How many glyphs are held, in all sets (for tests and memory checks)."""
        return sum(len(glyphs) for glyphs in self._sets.values())

    def covers(self, text: str) -> bool:
        return bool(text) and all(ch in self.chars for ch in text)

    def draw_text(
        self, painter: QPainter, rect: QRect, flags, text: str, font: QFont, color: QColor
    ) -> bool:
        """Draw ``text`` as ``painter.drawText(rect, flags, text)`` would, on one line.

        Returns True when the cached glyphs were used; a string with a character outside
        the cache is drawn with ``drawText`` instead (and False is returned).
        """
        if not self.covers(text):
            painter.setFont(font)
            painter.setPen(color)
            painter.drawText(rect, flags, text)
            return False
        dpr = painter.device().devicePixelRatioF()
        key = (font.toString(), color.rgba(), dpr)
        glyphs = self._sets.get(key)
        if glyphs is None:
            glyphs = self._sets[key] = {}
            while len(self._sets) > self.max_fonts:
                self._sets.popitem(last=False)
        self._sets.move_to_end(key)
        metrics = QFontMetricsF(font)
        x, baseline = _origin(metrics, QRectF(rect), flags, text)
        for i, ch in enumerate(text):
            if ch not in glyphs:
                glyphs[ch] = _render(ch, font, color, dpr)
            glyph = glyphs[ch]
            if glyph is None:  # a space: nothing to draw, only its advance
                continue
            pixmap, ox, oy = glyph
            # Whole device pixels: the pixmap was rendered at whole-pixel origin, and a
            # shift below half a pixel on a 150-340 px glyph is invisible.
            gx = round((x + metrics.horizontalAdvance(text[:i])) * dpr) - ox
            gy = round(baseline * dpr) - oy
            painter.drawPixmap(QPointF(gx / dpr, gy / dpr), pixmap)
        return True


def _origin(metrics: QFontMetricsF, rect: QRectF, flags, text: str) -> tuple[float, float]:
    """Pen position (left end of the baseline) of one line of ``text`` aligned in ``rect``."""
    align = Qt.AlignmentFlag(int(flags))
    A = Qt.AlignmentFlag
    width = metrics.horizontalAdvance(text)
    height = metrics.ascent() + metrics.descent()
    x = _aligned(rect.left(), rect.width(), width, align & A.AlignRight, align & A.AlignHCenter)
    top = _aligned(rect.top(), rect.height(), height, align & A.AlignBottom, align & A.AlignVCenter)
    return x, top + metrics.ascent()


def _aligned(start: float, span: float, size: float, to_end, centred) -> float:
    """Where something ``size`` long starts in ``span`` from ``start``, on one axis."""
    if to_end:
        return start + span - size
    if centred:
        return start + (span - size) / 2
    return start


def _render(ch: str, font: QFont, color: QColor, dpr: float) -> Glyph:
    """One character drawn with ``drawText`` into a tight transparent pixmap."""
    box = QFontMetricsF(font).boundingRect(ch)
    if box.isEmpty():
        return None
    ox = math.ceil(-box.left() * dpr) + _MARGIN
    oy = math.ceil(-box.top() * dpr) + _MARGIN
    width = ox + math.ceil(box.right() * dpr) + _MARGIN
    height = oy + math.ceil(box.bottom() * dpr) + _MARGIN
    pixmap = QPixmap(width, height)
    pixmap.setDevicePixelRatio(dpr)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(QPointF(ox / dpr, oy / dpr), ch)
    painter.end()
    return pixmap, ox, oy
