"""The timeline's one painted widget: every card, the date line and the year markers.

``TimelineCanvas`` is as wide as the whole strip but paints only the cards in the exposed
rectangle, found by binary search in the pure layout (``kiosk.content.timeline``), so a
frame with 2,000 milestones costs what a frame with a handful does. No widget per card.
Text is drawn with ``drawText`` (always plain text) and wrapped/elided by ``wrap_elided``.
"""

from __future__ import annotations

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QFontMetrics,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QTextLayout,
)
from PySide6.QtWidgets import QWidget

from kiosk.content.i18n import format_date
from kiosk.content.model import Content, Milestone
from kiosk.content.timeline import (
    TimelineLayout,
    category_colour,
    category_label,
    item_at,
    layout,
    visible,
)
from kiosk.content.timeline import visible_years as years_within
from kiosk.ui.theme import Theme
from kiosk.ui.touch import kiosk_manners

TITLE_PX = 26
DATE_PX = 24
YEAR_PX = 52


def _break(text: str, font, width: int) -> list[str]:
    tl = QTextLayout(text, font)
    tl.beginLayout()
    spans = []
    while True:
        line = tl.createLine()
        if not line.isValid():
            break
        line.setLineWidth(width)
        spans.append((line.textStart(), line.textLength()))
    tl.endLayout()
    # QTextLayout counts UTF-16 units; Vietnamese text is all in the BMP, where they match.
    return [text[s : s + n].strip() for s, n in spans] or [""]


def wrap_elided(text: str, font, width: int, max_lines: int) -> list[str]:
    """``text`` broken into at most ``max_lines`` lines of ``width`` px, the last elided.

    Line breaks in the text are kept (staff may write paragraphs); plain text throughout.
    """
    if not text or width <= 0 or max_lines <= 0:
        return []
    lines: list[str] = []
    for paragraph in text.splitlines():
        lines.extend(_break(paragraph, font, width))
    if len(lines) > max_lines:
        rest = " ".join(lines[max_lines - 1 :])
        lines = lines[: max_lines - 1]
        lines.append(QFontMetrics(font).elidedText(rest, Qt.TextElideMode.ElideRight, width))
    return lines


class TimelineCanvas(QWidget):
    """Paints the visible cards, the date line and the year markers; taps hit-test."""

    tapped = Signal(str)  # milestone key
    pressed = Signal()

    def __init__(self, theme: Theme, lang: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        kiosk_manners(self)
        self.theme = theme
        self.lang = lang
        self.lay: TimelineLayout = layout([])
        self.content = Content()  # names and colours of the categories
        self.dx = 0  # left offset that centres a strip narrower than the screen
        self.paints = 0  # paint events so far (test hook)
        self.painted_count = 0  # cards drawn by the last paint (test hook)
        self.painted_keys: list[str] = []
        self._lines: dict[tuple[str, str], list[str]] = {}
        self._press: QPointF | None = None
        self.pressed_key: str | None = None  # the card under the finger, drawn highlighted
        self.current_key: str | None = None  # the milestone last opened, drawn outlined
        # Where the scroller saw the press, for platforms whose scroller delivers only the
        # release of a tap to the canvas (seen on the offscreen platform); None once it drags.
        self.scroller_press: QPointF | None = None
        self.press_paints = 0  # paints that showed a pressed card (test hook)
        self._title_font = theme.font(TITLE_PX, bold=True)
        self._date_font = theme.font(DATE_PX, bold=True)
        self._year_font = theme.font(YEAR_PX, bold=True)
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def painted_fonts(self) -> list:
        """The card titles', dates' and year markers' fonts (the type-scale tests read it)."""
        return [self._title_font, self._date_font, self._year_font] if self.lay.items else []

    def set_current(self, key: str | None) -> None:
        if key != self.current_key:
            self.current_key = key
            self.update()

    def set_layout(self, lay: TimelineLayout, viewport_w: int) -> None:
        self.lay = lay
        self._lines.clear()
        self.dx = max(0, (viewport_w - lay.width) // 2)
        self.setFixedSize(max(lay.width, viewport_w), lay.height)
        self.update()

    def set_language(self, lang: str) -> None:
        self.lang = lang
        self._lines.clear()
        self.update()

    def show_pressed_at(self, pos: QPointF | None) -> None:
        """Highlight the card under ``pos`` (canvas coordinates) at once, or clear it."""
        hit = None if pos is None else item_at(self.lay, pos.x() - self.dx, pos.y())
        key = hit.milestone.key if hit else None
        if key != self.pressed_key:
            self.pressed_key = key
            # repaint(), not update(): the feedback belongs in the frame of the touch.
            self.repaint()

    # -- input: a tap is a press and release that did not turn into a drag -----------------
    def mousePressEvent(self, event) -> None:  # noqa: N802
        self._press = event.position()
        self.scroller_press = None  # the real press arrived: no fallback needed
        self.pressed.emit()
        event.accept()

    def mouseReleaseEvent(self, event) -> None:  # noqa: N802
        start, self._press = self._press, None
        if start is None:
            start, self.scroller_press = self.scroller_press, None
        if start is None:
            return
        pos = event.position()
        slop = self.theme.px(24)
        if abs(pos.x() - start.x()) > slop or abs(pos.y() - start.y()) > slop:
            return
        hit = item_at(self.lay, pos.x() - self.dx, pos.y())
        if hit is not None:
            self.tapped.emit(hit.milestone.key)

    # -- painting --------------------------------------------------------------------------
    def paintEvent(self, event) -> None:  # noqa: N802
        th = self.theme
        rect = event.rect()
        with QPainter(self) as p:
            p.fillRect(rect, QColor(th.bg))
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            p.translate(self.dx, 0)
            x0, x1 = rect.left() - self.dx, rect.right() + 1 - self.dx
            line_y = self.lay.line_y
            p.setPen(QPen(QColor(th.muted), max(2, th.px(3))))
            p.drawLine(max(0, x0), line_y, min(self.lay.width, x1), line_y)
            p.setFont(self._year_font)
            year_w = self.lay.params.year_gap
            for marker in years_within(self.lay, x0, x1, pad=year_w):
                self._paint_year(p, marker.year, marker.x, line_y, year_w)
            shown = visible(self.lay, x0, x1)
            self.paints += 1
            self.painted_count = len(shown)
            self.painted_keys = [it.milestone.key for it in shown]
            for item in shown:
                self._paint_card(p, item, line_y)
            p.translate(-self.dx, 0)
            self._paint_fades(p)

    def _visible_span(self) -> tuple[int, int]:
        # The canvas sits in the scroll area's viewport at x = -scroll.
        left = -self.x()
        width = self.parentWidget().width() if self.parentWidget() else self.width()
        return left, left + width

    def fades(self) -> tuple[bool, bool]:
        left, right = self._visible_span()
        return left > 0, right < self.width()

    def _paint_fades(self, p: QPainter) -> None:
        """A fade to the background at an edge with more strip beyond it."""
        left, right = self._visible_span()
        more_left, more_right = self.fades()
        w = self.theme.px(110)
        inner, outer = QColor(self.theme.bg), QColor(self.theme.bg)
        inner.setAlpha(0)
        outer.setAlpha(235)
        for show, x0, start, end in (
            (more_left, left, outer, inner),
            (more_right, right - w, inner, outer),
        ):
            if show:
                gradient = QLinearGradient(x0, 0, x0 + w, 0)
                gradient.setColorAt(0.0, start)
                gradient.setColorAt(1.0, end)
                p.fillRect(QRectF(x0, 0, w, self.height()), gradient)

    def _paint_year(self, p: QPainter, year: int, x: int, line_y: int, w: int) -> None:
        th = self.theme
        r = th.px(14)
        p.setPen(Qt.PenStyle.NoPen)
        # Years in the text colour: no category's colour (Award is yellow), so a year marker
        # is never mistaken for a milestone of some kind.
        p.setBrush(QColor(th.year_marker))
        p.drawEllipse(QPointF(x + w / 2, line_y), r, r)
        p.setPen(QColor(th.year_marker))
        fm = QFontMetrics(self._year_font)
        p.drawText(
            QRectF(x, line_y - th.px(24) - fm.height(), w, fm.height()),
            Qt.AlignmentFlag.AlignCenter,
            str(year),
        )

    def _paint_card(self, p: QPainter, item, line_y: int) -> None:
        th = self.theme
        m: Milestone = item.milestone
        color = QColor(category_colour(self.content, m.category) or th.category_color(m.category))
        # connector and dot on the date line
        p.setPen(QPen(color, max(2, th.px(3))))
        above = item.y + item.h <= line_y
        edge = item.y + item.h if above else item.y
        p.drawLine(item.anchor_x, line_y, item.anchor_x, edge)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(color)
        p.drawEllipse(QPointF(item.anchor_x, line_y), th.px(10), th.px(10))
        # the card
        card = QRectF(item.x, item.y, item.w, item.h)
        path = QPainterPath()
        path.addRoundedRect(card, th.px(16), th.px(16))
        pressed = m.key == self.pressed_key
        if pressed:
            self.press_paints += 1
        p.fillPath(path, QColor(th.surface_hi if pressed else th.surface))
        p.save()
        p.setClipPath(path)
        p.fillRect(QRectF(card.left(), card.top(), th.px(10), card.height()), color)
        p.restore()
        if m.key == self.current_key:
            # The milestone last read on the card: after closing it the visitor sees where
            # they are on the strip (the strip followed their swipes).
            p.setPen(QPen(QColor(th.text), max(2, th.px(4))))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawPath(path)
        pad = th.px(22)
        inner = card.adjusted(pad + th.px(8), pad * 0.8, -pad, -pad * 0.8)
        p.setFont(self._date_font)
        p.setPen(color)
        date_fm = QFontMetrics(self._date_font)
        when = format_date(m.date, m.precision, self.lang)
        head = f"{when} · {category_label(self.content, m.category, self.lang)}"
        head = date_fm.elidedText(head, Qt.TextElideMode.ElideRight, int(inner.width()))
        p.drawText(QRectF(inner.left(), inner.top(), inner.width(), date_fm.height()), 0, head)
        p.setFont(self._title_font)
        p.setPen(QColor(th.text))
        fm = QFontMetrics(self._title_font)
        top = inner.top() + date_fm.height() + th.px(10)
        max_lines = max(1, int((inner.bottom() - top) // fm.lineSpacing()))
        for i, line in enumerate(self._title_lines(m, int(inner.width()), max_lines)):
            y = top + i * fm.lineSpacing()
            p.drawText(QRectF(inner.left(), y, inner.width(), fm.height()), 0, line)

    def _title_lines(self, m: Milestone, width: int, max_lines: int) -> list[str]:
        key = (m.key, self.lang)
        lines = self._lines.get(key)
        if lines is None:
            lines = wrap_elided(m.title.get(self.lang), self._title_font, width, max_lines)
            self._lines[key] = lines
        return lines
