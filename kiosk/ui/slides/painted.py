"""Painted slide bodies: card grids, KPI tiles and quote cards.

One widget paints a whole grid instead of one widget per card: fewer objects, and the
reveal animation only blits cached card pixmaps with an opacity and an offset, which
keeps each animation frame cheap even at 4K. Text is drawn with ``QPainter.drawText``,
which never interprets markup, and shrinks until it fits its box, so a long staff-entered
title wraps and shrinks instead of being clipped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.content.model import nfc
from kiosk.ui.theme import Theme

WRAP = Qt.TextFlag.TextWordWrap
MIN_FIT = 0.55  # never shrink text below this share of its design size


@dataclass(frozen=True)
class TextBlock:
    """One run of text in a card: what, how big (1080p px), bold, colour."""

    text: str
    size_px: float
    bold: bool = False
    color: str = ""
    gap_after: float = 10


def stagger(t: float, index: int, count: int, spread: float = 0.45) -> float:
    """Progress of item ``index`` when ``count`` items reveal one after another."""
    if count <= 1:
        return max(0.0, min(1.0, t))
    step = spread / (count - 1)
    local = (t - index * step) / (1.0 - spread)
    return max(0.0, min(1.0, local))


def blocks_height(theme: Theme, blocks: list[TextBlock], width: int, fit: float) -> int:
    """Height the blocks need at ``width`` pixels when scaled by ``fit``."""
    total = 0
    for block in blocks:
        if not block.text:
            continue
        metrics = QFontMetrics(theme.font(block.size_px * fit, block.bold))
        total += metrics.boundingRect(QRect(0, 0, width, 100000), WRAP, block.text).height()
        total += theme.px(block.gap_after * fit)
    return total


def fit_factor(theme: Theme, cards: list[list[TextBlock]], width: int, height: int) -> float:
    """The largest scale (<= 1) at which every card's blocks fit ``width`` x ``height``."""
    fit = 1.0
    while fit > MIN_FIT:
        if all(blocks_height(theme, blocks, width, fit) <= height for blocks in cards):
            return fit
        fit -= 0.05
    return MIN_FIT


def draw_blocks(
    painter: QPainter, theme: Theme, blocks: list[TextBlock], rect: QRect, fit: float
) -> int:
    """Draw blocks top-down inside ``rect``; returns the y where drawing stopped."""
    y = rect.top()
    for block in blocks:
        if not block.text:
            continue
        font = theme.font(block.size_px * fit, block.bold)
        painter.setFont(font)
        painter.setPen(QColor(block.color or theme.text))
        box = QRect(rect.left(), y, rect.width(), rect.bottom() - y)
        used = painter.boundingRect(box, WRAP, block.text)
        painter.drawText(box, WRAP, block.text)
        y += used.height() + theme.px(block.gap_after * fit)
    return y


@dataclass(frozen=True)
class Card:
    """A card: coloured edge, text blocks top-down."""

    blocks: tuple[TextBlock, ...]
    accent: str


class CardGrid(QWidget):
    """A grid of cards revealed one after another; optionally a full-width hero card first."""

    def __init__(self, theme: Theme, hero_first: bool = False, parent=None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.hero_first = hero_first
        self.cards: list[Card] = []
        self.progress = 1.0
        self._pixmaps: list[tuple[QRect, QPixmap]] = []
        self._fonts: list[QFont] = []
        self.overflow = False  # True when some text did not fit even at the smallest size
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_cards(self, cards: list[Card]) -> None:
        self.cards = [
            Card(
                tuple(
                    TextBlock(nfc(b.text), b.size_px, b.bold, b.color, b.gap_after)
                    for b in c.blocks
                ),
                c.accent,
            )
            for c in cards
        ]
        self._pixmaps = []
        self.update()

    def set_progress(self, t: float) -> None:
        self.progress = t
        self.update()

    def columns(self, count: int) -> int:
        logical_width = self.width() / self.theme.scale
        if logical_width < 1300:
            return 1 if count <= 3 else 2
        if count <= 4:
            return max(1, count)
        return 3 if count in (5, 6, 9) else 4

    def cell_rects(self) -> list[QRect]:
        """Where each card goes inside the widget."""
        n = len(self.cards)
        if n == 0:
            return []
        gap = self.theme.px(28)
        area = self.rect()
        rects: list[QRect] = []
        top = area.top()
        rest = n
        if self.hero_first:
            hero_h = self._hero_height(area) if n > 1 else area.height()
            rects.append(QRect(area.left(), top, area.width(), hero_h - (gap if n > 1 else 0)))
            top += hero_h
            rest -= 1
        if rest:
            cols = self.columns(rest)
            rows = math.ceil(rest / cols)
            cell_w = (area.width() - gap * (cols - 1)) / cols
            cell_h = (area.bottom() - top - gap * (rows - 1)) / rows
            for i in range(rest):
                r, c = divmod(i, cols)
                x = area.left() + c * (cell_w + gap)
                y = top + r * (cell_h + gap)
                rects.append(QRect(round(x), round(y), round(cell_w), round(cell_h)))
        return rects

    def _hero_height(self, area: QRect) -> int:
        """The hero card's height above other cards: 42 % of the area, more (up to 62 %)
        when its text needs it, so its giver and body keep a readable size."""
        pad, edge = self.theme.px(30), self.theme.px(10)
        blocks = list(self.cards[0].blocks)
        width = area.width() - 2 * pad - edge
        low, high = int(area.height() * 0.42), int(area.height() * 0.62)
        fit = 1.0
        while fit > MIN_FIT:
            need = blocks_height(self.theme, blocks, width, fit) + 2 * pad + self.theme.px(28)
            if need <= high:
                return max(low, need)
            fit -= 0.05
        return high

    def _render_cards(self) -> None:
        theme = self.theme
        rects = self.cell_rects()
        pad = theme.px(30)
        edge = theme.px(10)
        groups = [(0, 1)] if self.hero_first else []
        start = 1 if self.hero_first else 0
        groups.append((start, len(self.cards)))
        fits: dict[int, float] = {}
        self.overflow = False
        for lo, hi in groups:
            if lo >= hi:
                continue
            inner = rects[lo].adjusted(pad + edge, pad, -pad, -pad)
            fit = fit_factor(
                theme, [list(c.blocks) for c in self.cards[lo:hi]], inner.width(), inner.height()
            )
            for i in range(lo, hi):
                fits[i] = fit
        self._pixmaps = []
        self._fonts = [
            theme.font(b.size_px * fits.get(i, 1.0), b.bold)
            for i, card in enumerate(self.cards)
            for b in card.blocks
            if b.text
        ]
        for i, (card, rect) in enumerate(zip(self.cards, rects, strict=True)):
            pixmap = QPixmap(rect.size())
            pixmap.fill(Qt.GlobalColor.transparent)
            painter = QPainter(pixmap)
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(QColor(theme.surface))
            radius = theme.px(18)
            painter.drawRoundedRect(QRectF(0, 0, rect.width(), rect.height()), radius, radius)
            painter.setBrush(QColor(card.accent))
            painter.drawRoundedRect(QRectF(0, 0, edge * 2, rect.height()), radius, radius)
            painter.setBrush(QColor(theme.surface))
            painter.drawRect(QRectF(edge, 0, edge * 2, rect.height()))
            inner = QRect(pad + edge, pad, rect.width() - 2 * pad - edge, rect.height() - 2 * pad)
            fit = fits.get(i, 1.0)
            # Centre the text vertically: sparse cards look empty when top-aligned.
            used = blocks_height(theme, list(card.blocks), inner.width(), fit)
            if used > inner.height():
                self.overflow = True
            inner.adjust(0, max(0, (inner.height() - used) // 2), 0, 0)
            draw_blocks(painter, theme, list(card.blocks), inner, fit)
            painter.end()
            self._pixmaps.append((rect, pixmap))

    def painted_fonts(self) -> list[QFont]:
        """Every font the cards are drawn in at this size (the type-scale tests read it)."""
        if not self._pixmaps and self.cards:
            self._render_cards()
        return self._fonts

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt naming)
        self._pixmaps = []
        super().resizeEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        # Card pixmaps are rebuilt on the next paint; while the slide is off screen they would
        # only hold memory (several full-card pictures per slide, four times more at 4K).
        self._pixmaps = []
        super().hideEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802
        if not self._pixmaps and self.cards:
            self._render_cards()
        with QPainter(self) as painter:
            painter.fillRect(self.rect(), QColor(self.theme.bg))
            n = len(self._pixmaps)
            rise = self.theme.px(48)
            for i, (rect, pixmap) in enumerate(self._pixmaps):
                p = stagger(self.progress, i, n)
                if p <= 0:
                    continue
                painter.setOpacity(p)
                painter.drawPixmap(rect.left(), rect.top() + round((1 - p) * rise), pixmap)


def text_fits(font: QFont, text: str, width: int, height: int, flags=WRAP) -> bool:
    """True when ``text`` in ``font`` fits a ``width`` x ``height`` box."""
    box = QFontMetrics(font).boundingRect(QRect(0, 0, width, 100000), flags, text)
    return box.width() <= width and box.height() <= height


def fit_font(
    theme: Theme, text: str, size_px: float, bold: bool, width: int, height: int, flags=WRAP
) -> QFont:
    """The biggest font (<= size_px) at which ``text`` fits the box."""
    fit = 1.0
    while fit > MIN_FIT:
        font = theme.font(size_px * fit, bold)
        box = QFontMetrics(font).boundingRect(QRect(0, 0, width, 100000), flags, text)
        if box.width() <= width and box.height() <= height:
            return font
        fit -= 0.05
    return theme.font(size_px * MIN_FIT, bold)
