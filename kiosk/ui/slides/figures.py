"""Painted KPI tiles whose numbers count up, and the quote card.

The tiles cache their layout (rects and fonts) per size and language; an animation frame
only formats one number per tile and draws it, so counting up costs almost nothing.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPixmap, QRegion
from PySide6.QtWidgets import QSizePolicy, QWidget

from kiosk.content.i18n import t
from kiosk.content.model import Indicator, Quote, nfc
from kiosk.content.numbers import format_value, qualifier_word
from kiosk.ui.slides.glyphs import GlyphCache
from kiosk.ui.slides.painted import (
    WRAP,
    TextBlock,
    blocks_height,
    draw_blocks,
    fit_factor,
    fit_font,
    stagger,
    text_fits,
)
from kiosk.ui.theme import Theme


class KpiTiles(QWidget):
    """Tiles of figures: qualifier, counting number, unit, label, national comparison."""

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.indicators: tuple[Indicator, ...] = ()
        self.lang = "vi"
        self.progress = 1.0
        self._layout: list[tuple] | None = None
        self.overflow = False  # True when some text did not fit even at the smallest size
        # The counting numbers are composed from cached glyphs: at 4K they are too big for
        # Qt's glyph cache and would be filled as paths on every frame.
        self.glyphs = GlyphCache()
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_data(self, indicators, lang: str) -> None:
        self.indicators = tuple(indicators)
        self.lang = lang
        self._layout = None
        self.glyphs.clear()
        self.update()

    def set_progress(self, t: float) -> None:
        before, self.progress = self.progress, t
        self.update(self._changed(before, t))

    def _changed(self, before: float, after: float) -> QRegion:
        """What a step from ``before`` to ``after`` changes: fading tiles, changed numbers.

        Once a tile has faded in, only its number line changes; repainting and flushing that
        instead of the whole 4K widget keeps a count-up frame a few ms.
        """
        if self._layout is None:
            return QRegion(self.rect())
        region = QRegion()
        n = len(self._layout)
        for i, row in enumerate(self._layout):
            was = stagger(before, i, n, spread=0.25)
            now = stagger(after, i, n, spread=0.25)
            if _fade(was) != _fade(now):
                region += row[0]
            elif _fade(now) > 0:
                ind = self.indicators[i]
                if self.shown_value(ind, was) != self.shown_value(ind, now):
                    region += _number_rect(row)
        return region

    def shown_value(self, indicator: Indicator, t: float) -> str:
        """The number on the tile at progress ``t`` (the true value at t = 1).

        ``t`` comes from the slide's eased animation, so the count decelerates into the value.
        """
        value = indicator.value if t >= 1 else indicator.value * max(0.0, t)
        return format_value(indicator, self.lang, value)

    def _unit(self, ind: Indicator) -> str:
        """The unit line under the number; a percentage's "%" is part of the number."""
        unit = ind.unit.get(self.lang)
        if ind.kind == "percent":
            return "" if unit in ("", "%") else unit.replace("%", "").strip()
        return unit

    def tile_rects(self) -> list[QRect]:
        n = len(self.indicators)
        if not n:
            return []
        gap = self.theme.px(32)
        area = self.rect()
        vertical = area.width() / self.theme.scale < 1300 and n > 1
        rects = []
        if vertical:
            h = (area.height() - gap * (n - 1)) / n
            for i in range(n):
                rects.append(
                    QRect(area.left(), round(area.top() + i * (h + gap)), area.width(), round(h))
                )
        else:
            w = (area.width() - gap * (n - 1)) / n
            for i in range(n):
                rects.append(
                    QRect(round(area.left() + i * (w + gap)), area.top(), round(w), area.height())
                )
        return rects

    def _compute_layout(self) -> list[tuple]:
        theme = self.theme
        pad = theme.px(36)
        self.overflow = False
        rects = self.tile_rects()
        layout = []
        # Side by side, the tiles share their lines (qualifier, number, unit) so the figures
        # line up across the row; stacked (portrait), each tile keeps only its own lines.
        row = len(rects) > 1 and rects[0].top() == rects[1].top()
        any_qualifier = row and any(ind.qualifier for ind in self.indicators)
        any_unit = row and any(self._unit(ind) for ind in self.indicators)
        for ind, rect in zip(self.indicators, rects, strict=True):
            inner = rect.adjusted(pad, pad, -pad, -pad)
            number_h = min(theme.px(170), round(inner.height() * 0.42))
            final = self.shown_value(ind, 1.0)
            number_font = fit_font(
                theme,
                final,
                number_h / theme.scale,
                True,
                inner.width(),
                number_h * 2,
                Qt.TextFlag.TextSingleLine,
            )
            qual = qualifier_word(ind.qualifier, self.lang)
            # A tile without a unit line keeps an empty one when another tile in the row
            # has one, so the labels below the numbers line up too.
            unit = self._unit(ind) or (" " if any_unit else "")
            below = [
                TextBlock(unit, 38, True, theme.accent, 14),
                TextBlock(ind.label.get(self.lang), 30, False, theme.text, 14),
                TextBlock(ind.national_note.get(self.lang), 27, True, theme.accent2, 0),
            ]
            number_line = QFontMetrics(number_font).height()
            qual_h = QFontMetrics(theme.font(34)).height() if qual or any_qualifier else 0
            rest_h = inner.height() - number_line - qual_h
            fit = fit_factor(theme, [below], inner.width(), rest_h)
            overflow = blocks_height(theme, below, inner.width(), fit) > rest_h
            overflow |= QFontMetrics(number_font).horizontalAdvance(final) > inner.width()
            self.overflow |= overflow
            layout.append([rect, inner, qual, number_font, number_line, qual_h, below, fit])
        # One number size for all the tiles (the smallest that fits each), so the figures
        # read as a set.
        if layout:
            smallest = min((tile[3] for tile in layout), key=lambda font: font.pixelSize())
            for tile in layout:
                tile[3], tile[4] = smallest, QFontMetrics(smallest).height()
        # Centre each tile's content vertically; in a row, all on the tallest stack, so the
        # shared lines stay aligned.
        stacks = [
            tile[5] + tile[4] + blocks_height(theme, tile[6], tile[1].width(), tile[7])
            for tile in layout
        ]
        for tile, stack in zip(layout, stacks, strict=True):
            tallest = max(stacks) if row else stack
            tile[1] = tile[1].adjusted(0, max(0, (tile[1].height() - tallest) // 2), 0, 0)
        return layout

    def painted_fonts(self) -> list[QFont]:
        """Every font the tiles are drawn in at this size (the type-scale tests read it)."""
        if self._layout is None:
            self._layout = self._compute_layout()
        fonts = []
        for _rect, _inner, qual, number_font, _line, _qual_h, below, fit in self._layout:
            fonts.append(number_font)
            if qual:
                fonts.append(self.theme.font(34))
            fonts += [self.theme.font(b.size_px * fit, b.bold) for b in below if b.text.strip()]
        return fonts

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._layout = None
        self.glyphs.clear()
        super().resizeEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        # Rebuilt on the next count-up; off screen the glyphs only hold memory.
        self.glyphs.clear()
        super().hideEvent(event)

    def paintEvent(self, event) -> None:  # noqa: N802
        theme = self.theme
        if self._layout is None:
            self._layout = self._compute_layout()
        with QPainter(self) as painter:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
            painter.fillRect(self.rect(), QColor(theme.bg))
            # Everything is drawn even when only a number line is dirty: Qt clips the rest, and
            # the tiles' text stays whole however far its ink reaches.
            n = len(self._layout)
            for i, (rect, inner, qual, number_font, number_line, qual_h, below, fit) in enumerate(
                self._layout
            ):
                p = stagger(self.progress, i, n, spread=0.25)
                painter.setOpacity(_fade(p))
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(QColor(theme.surface))
                radius = theme.px(22)
                painter.drawRoundedRect(QRectF(rect), radius, radius)
                y = inner.top()
                if qual:
                    painter.setFont(theme.font(34))
                    painter.setPen(QColor(theme.muted))
                    qual_rect = QRect(inner.left(), y, inner.width(), qual_h)
                    painter.drawText(qual_rect, Qt.AlignmentFlag.AlignLeft, qual)
                # Every tile keeps the qualifier line (qual_h is 0 when no tile has one), so the
                # numbers line up whether or not this tile has its own "hơn" / "gần".
                y += qual_h
                self.glyphs.draw_text(
                    painter,
                    QRect(inner.left(), y, inner.width(), number_line),
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    self.shown_value(self.indicators[i], p),
                    number_font,
                    QColor(theme.accent),
                )
                y += number_line
                draw_blocks(
                    painter,
                    theme,
                    below,
                    QRect(inner.left(), y, inner.width(), inner.bottom() - y),
                    fit,
                )


def _fade(p: float) -> float:
    """A tile's opacity at its own progress ``p``: it fades in over the first third."""
    return min(1.0, p * 3) if p > 0 else 0.0


def _number_rect(row: list) -> QRect:
    """The band of a tile's counting number, the tile's full width (see paintEvent)."""
    rect, inner, _qual, _, number_line, qual_h = row[:6]
    return QRect(rect.left(), inner.top() + qual_h, rect.width(), number_line)


class QuoteCard(QWidget):
    """A leader's words: large text, speaker and role; reported speech is marked as such."""

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.quote: Quote | None = None
        self.lang = "vi"
        self.progress = 1.0
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self._cache = None
        self.overflow = False

    def set_data(self, quote: Quote, lang: str) -> None:
        self.quote = quote
        self.lang = lang
        self._cache = None
        self.update()

    def set_progress(self, t: float) -> None:
        self.progress = t
        self.update()

    def text_blocks(self) -> tuple[str, list[TextBlock]]:
        theme, q, lang = self.theme, self.quote, self.lang
        text = nfc(q.text.get(lang))
        reported = "" if q.direct else t("quote.reported.mark", lang)
        who = [
            TextBlock(q.speaker, 36, True, theme.text, 6),
            TextBlock(q.role.get(lang), 28, False, theme.muted, 6),
            TextBlock(reported, 24, False, theme.accent2, 0),
        ]
        return text, who

    def resizeEvent(self, event) -> None:  # noqa: N802
        self._cache = None
        super().resizeEvent(event)

    def hideEvent(self, event) -> None:  # noqa: N802
        # The cached text pixmaps are rebuilt on the next paint; off screen they only cost memory.
        self._cache = None
        super().hideEvent(event)

    def _render(self) -> tuple:
        """Lay out and draw the quote once into two pixmaps (text, speaker) for this size.

        Laying out and filling a long wrapped quote costs tens of ms (much more at 4K, where
        glyphs are too big for Qt's glyph cache), far too slow for every animation frame.
        """
        theme = self.theme
        pad = theme.px(56)
        mark_w = theme.px(150)
        area = self.rect().adjusted(pad, pad, -pad, -pad)
        text, who = self.text_blocks()
        fit_who = fit_factor(theme, [who], area.width() - mark_w, area.height() // 3)
        who_h = blocks_height(theme, who, area.width() - mark_w, fit_who)
        text_box = QRect(
            area.left() + mark_w,
            area.top(),
            area.width() - mark_w,
            area.height() - who_h - theme.px(40),
        )
        font = fit_font(theme, text, 58, False, text_box.width(), text_box.height())
        self.overflow = not text_fits(font, text, text_box.width(), text_box.height())
        text_h = QFontMetrics(font).boundingRect(text_box, WRAP, text).height()

        mark_font = theme.font(220, True)
        mark_box = QRect(area.left(), area.top() - theme.px(40), mark_w, theme.px(260))
        ink = self.ink_rect(
            QFontMetrics(mark_font).boundingRect(mark_box, Qt.AlignmentFlag.AlignLeft, "“")
            | QFontMetrics(font).boundingRect(text_box, WRAP, text)
        )
        quote_pm = QPixmap(ink.size())
        quote_pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(quote_pm)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QColor(theme.accent if self.quote.direct else theme.surface_hi))
        painter.setFont(mark_font)
        painter.drawText(mark_box, Qt.AlignmentFlag.AlignLeft, "“")
        painter.setFont(font)
        painter.setPen(QColor(theme.text))
        painter.drawText(text_box, WRAP, text)
        painter.end()

        who_rect = QRect(0, 0, text_box.width(), who_h + theme.px(10))
        who_pm = QPixmap(who_rect.size())
        who_pm.fill(Qt.GlobalColor.transparent)
        painter = QPainter(who_pm)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw_blocks(painter, theme, who, who_rect, fit_who)
        painter.end()
        who_pos = (text_box.left(), text_box.top() + text_h + theme.px(40))
        self._fonts = [font] + [theme.font(b.size_px * fit_who, b.bold) for b in who if b.text]
        return quote_pm, who_pm, who_pos

    def painted_fonts(self) -> list[QFont]:
        """The quote's and the speaker's fonts at this size (the type-scale tests read it)."""
        if self.quote is None:
            return []
        if self._cache is None:
            self._cache = self._render()
        return self._fonts

    def ink_rect(self, layout: QRect) -> QRect:
        """The part of the card the quote pixmap covers: its top down to the laid-out text.

        A card-sized pixmap would be mostly empty below the text, held while a fade's
        full-window grab is held too. Cut at the bottom only: the mark's large glyph is
        filled as a path, which a moved origin antialiases differently; the margin keeps
        descenders that reach below their line box.
        """
        bottom = min(self.height(), layout.bottom() + 1 + self.theme.px(32))
        return QRect(0, 0, self.width(), bottom)

    def paintEvent(self, event) -> None:  # noqa: N802
        theme = self.theme
        with QPainter(self) as painter:
            painter.fillRect(self.rect(), QColor(theme.bg))
            if self.quote is None:
                return
            if self._cache is None:
                self._cache = self._render()
            quote_pm, who_pm, (who_x, who_y) = self._cache
            t = self.progress
            rise = round((1 - t) * theme.px(40))
            painter.setOpacity(t)
            painter.drawPixmap(0, rise, quote_pm)
            painter.setOpacity(max(0.0, min(1.0, t * 1.5 - 0.5)))
            painter.drawPixmap(who_x, who_y, who_pm)
