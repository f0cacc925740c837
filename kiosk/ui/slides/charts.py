"""pyqtgraph charts: percentage rings and comparison bars.

Each chart builds its plot items once; the reveal animation only feeds new arrays to
the existing curves (``setData``) and bars (``setOpts``). View ranges are fixed before
the first frame and never auto-scale, so nothing jitters while values grow.
This module imports pyqtgraph, so the slideshow imports it only after the first frame.
"""

from __future__ import annotations

import os

os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")

import numpy as np  # noqa: E402
import pyqtgraph as pg  # noqa: E402
from PySide6.QtCore import (
    QRectF,  # noqa: E402
    Qt,  # noqa: E402
)
from PySide6.QtGui import QColor, QFontMetrics, QPainterPath, QPen  # noqa: E402
from PySide6.QtWidgets import (  # noqa: E402
    QGraphicsPathItem,  # noqa: E402
    QGridLayout,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.model import Indicator  # noqa: E402
from kiosk.content.numbers import format_value  # noqa: E402
from kiosk.ui.theme import Theme  # noqa: E402
from kiosk.ui.widgets import set_label_text, text_label  # noqa: E402

RING_PEN = None  # bands are filled shapes: wide pens are very slow without OpenGL
RING_INNER = 0.78
OTHER_BAR = "#5B6B8C"


def configure(theme: Theme) -> None:
    """Colours before any pyqtgraph widget exists (it follows the OS dark mode otherwise)."""
    pg.setConfigOptions(antialias=True, background=theme.bg, foreground=theme.text)


def _view(theme: Theme) -> tuple[pg.GraphicsView, pg.ViewBox]:
    view = pg.GraphicsView(background=theme.bg)
    # pyqtgraph caches the background in a viewport-sized pixmap that lives as long as the
    # view (a full-screen picture per chart, slide on screen or not); the background is
    # one flat colour, which Qt fills as fast as it would blit the cache.
    view.setCacheMode(view.CacheModeFlag.CacheNone)
    view.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
    view.setFrameShape(view.Shape.NoFrame)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    box = pg.ViewBox(enableMouse=False, enableMenu=False, defaultPadding=0)
    box.disableAutoRange()
    view.setCentralItem(box)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
    return view, box


def band_path(fraction: float, outer: float = 1.0, inner: float = RING_INNER) -> QPainterPath:
    """The ring's filled band from 12 o'clock, clockwise, covering ``fraction`` of the circle.

    Two analytic arcs (Qt draws them), not a polygon of sampled points: one step of the
    animation is a handful of calls instead of rebuilding hundreds of points in Python.
    The view's y axis points up, so Qt's angle 270 is 12 o'clock and positive sweeps run
    clockwise on screen.
    """
    path = QPainterPath()
    sweep = 360.0 * max(0.0, min(1.0, fraction))
    if sweep <= 0:
        return path
    out_rect = QRectF(-outer, -outer, 2 * outer, 2 * outer)
    in_rect = QRectF(-inner, -inner, 2 * inner, 2 * inner)
    path.arcMoveTo(out_rect, 270)
    path.arcTo(out_rect, 270, sweep)
    path.arcTo(in_rect, 270 + sweep, -sweep)
    path.closeSubpath()
    return path


def _band_item(color: str) -> QGraphicsPathItem:
    item = QGraphicsPathItem()
    item.setBrush(QColor(color))
    item.setPen(QPen(Qt.PenStyle.NoPen))
    return item


class Ring(QWidget):
    """One percentage ring with its number in the middle and its label below."""

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.indicator: Indicator | None = None
        self.lang = "vi"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(theme.px(16))
        self.view, self.box = _view(theme)
        self.box.setAspectLocked(True)
        self.box.setRange(xRange=(-1.04, 1.04), yRange=(-1.04, 1.04), padding=0)
        track = _band_item(theme.track)
        track.setPath(band_path(1.0))
        self.band = _band_item(theme.accent)
        self.box.addItem(track)
        self.box.addItem(self.band)
        self.number = pg.TextItem("", color=theme.text, anchor=(0.5, 0.5))
        self.number.setFont(theme.font(46, True))
        self.box.addItem(self.number)
        self.label = text_label(
            "", theme, 27, align=Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignTop
        )
        # Room for three lines under every ring, so the rings of a row line up.
        self.label.setMinimumHeight(round(self.label.fontMetrics().lineSpacing() * 3.2))
        self.box.sigResized.connect(self._fit_number)
        layout.addStretch(1)
        layout.addWidget(self.view, 4)
        layout.addWidget(self.label)
        layout.addStretch(1)

    def set_data(self, indicator: Indicator, lang: str) -> None:
        self.indicator, self.lang = indicator, lang
        set_label_text(self.label, indicator.label.get(lang))

    def set_progress(self, t: float) -> None:
        if self.indicator is None:
            return
        fraction = self.indicator.value / 100.0 * t
        self.band.setPath(band_path(fraction))
        value = self.indicator.value * t if t < 1 else None
        self.number.setText(format_value(self.indicator, self.lang, value))

    def resizeEvent(self, event) -> None:  # noqa: N802
        # Cap the ring's height at the cell width so the label sits right under the circle.
        self.view.setMaximumHeight(max(1, self.width()))
        super().resizeEvent(event)

    def _fit_number(self, *_) -> None:
        """The number scales with the ring as laid out, not with the screen alone."""
        side = min(self.view.width(), self.view.height())
        self.number.setFont(self.theme.font(max(24, side * 0.17 / self.theme.scale), True))


class RingsChart(QWidget):
    """Rings in a row (landscape) or a two-column grid (portrait)."""

    def __init__(self, theme: Theme, count: int, parent=None) -> None:
        super().__init__(parent)
        configure(theme)
        self.rings = [Ring(theme) for _ in range(count)]
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setSpacing(theme.px(36))
        cols = count if not theme.portrait else min(2, count)
        if not theme.portrait and count > 5:
            cols = (count + 1) // 2
        for i, ring in enumerate(self.rings):
            grid.addWidget(ring, i // cols, i % cols)
        for c in range(cols):
            grid.setColumnStretch(c, 1)

    def set_data(self, indicators, lang: str) -> None:
        for ring, indicator in zip(self.rings, indicators, strict=False):
            ring.set_data(indicator, lang)

    def set_progress(self, t: float) -> None:
        for ring in self.rings:
            ring.set_progress(t)


class BarsChart(QWidget):
    """Horizontal bars that grow to their values; the first bar is the highlighted one."""

    def __init__(self, theme: Theme, count: int, parent=None) -> None:
        super().__init__(parent)
        configure(theme)
        self.theme = theme
        self.indicators: tuple[Indicator, ...] = ()
        self.lang = "vi"
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.view, self.box = _view(theme)
        self.box.invertY(True)
        layout.addWidget(self.view)
        brushes = [QColor(theme.accent)] + [QColor(OTHER_BAR)] * (count - 1)
        self.y = np.arange(count, dtype=float)
        self.bars = pg.BarGraphItem(
            x0=np.zeros(count),
            y=self.y,
            height=0.42,
            width=np.zeros(count),
            brushes=brushes,
            pen=pg.mkPen(None),
        )
        self.box.addItem(self.bars)
        self.labels = []
        self.values = []
        for _ in range(count):
            label = pg.TextItem("", color=theme.text, anchor=(0, 1))
            value = pg.TextItem("", color=theme.text, anchor=(0, 0.5))
            self.box.addItem(label)
            self.box.addItem(value)
            self.labels.append(label)
            self.values.append(value)
        self._fonts()

    def _fonts(self) -> None:
        rows = max(1, len(self.labels))
        size = 34 if rows <= 3 else 28
        for label, value in zip(self.labels, self.values, strict=True):
            label.setFont(self.theme.font(size))
            value.setFont(self.theme.font(size * 1.5, True))

    def set_data(self, indicators, lang: str) -> None:
        self.indicators, self.lang = tuple(indicators), lang
        top = max(i.value for i in self.indicators) or 1.0
        n = len(self.indicators)
        # Room on the right for the value text; rows spaced for a label above each bar.
        right = top * (1.42 if self.theme.portrait else 1.6)
        self.box.setRange(xRange=(0, right), yRange=(-0.75, n - 0.45), padding=0)
        for i, indicator in enumerate(self.indicators):
            self.labels[i].setText(indicator.label.get(lang))
            self.labels[i].setPos(0, self.y[i] - 0.26)

    def value_text(self, indicator: Indicator, value: float | None) -> str:
        number = format_value(indicator, self.lang, value)
        unit = indicator.unit.get(self.lang)
        if indicator.kind == "percent":
            return number
        return f"{number} {unit}" if len(unit) <= 18 else number

    def set_progress(self, t: float) -> None:
        if not self.indicators:
            return
        widths = np.array([i.value for i in self.indicators]) * t
        self.bars.setOpts(width=widths)
        gap = max(i.value for i in self.indicators) * 0.02
        (x0, x1), _ = self.box.viewRange()
        units_per_px = (x1 - x0) / max(1, self.box.width())
        for i, indicator in enumerate(self.indicators):
            shown = indicator.value * t if t < 1 else None
            text = self.value_text(indicator, shown)
            item = self.values[i]
            item.setText(text)
            final_w = QFontMetrics(item.textItem.font()).horizontalAdvance(
                self.value_text(indicator, None)
            )
            if widths[i] + gap + final_w * units_per_px > x1 and t >= 1:
                # No room right of the bar (narrow portrait screens): write it inside the bar.
                item.setAnchor((1, 0.5))
                item.setColor(QColor(self.theme.bg))
                item.setPos(widths[i] - gap, self.y[i])
            else:
                item.setAnchor((0, 0.5))
                item.setColor(QColor(self.theme.text))
                item.setPos(widths[i] + gap, self.y[i])
