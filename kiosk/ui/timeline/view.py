"""The horizontal timeline strip: kinetic scrolling over one painted canvas.

``TimelineView`` is a ``QScrollArea`` whose viewport carries a ``QScroller``: the strip
follows the finger, keeps gliding after release and bounces back at either end. Inside is
ONE ``TimelineCanvas`` widget, however many milestones there are: its ``paintEvent`` asks
the pure layout (``kiosk.content.timeline``) for the cards in the exposed rectangle and
draws only those, so 2,000 milestones cost what a handful do.

Why ``LeftMouseButtonGesture`` and not ``TouchGesture``: Qt allows one scroll gesture per
object (a second ``grabGesture`` ungrabs the first). Qt turns the first touch point into
mouse events, so the mouse gesture scrolls for real touch screens AND for panels that
report as a mouse; the touch gesture leaves mouse-reporting panels dead and, after a drag,
still delivers the press/release to the canvas, which would open a milestone by accident.
Both are covered by tests with real ``QTest.touchEvent`` sequences.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QCursor,
    QFontMetrics,
    QLinearGradient,
    QPainter,
    QPainterPath,
    QPen,
    QTextLayout,
)
from PySide6.QtWidgets import QFrame, QScrollArea, QScroller, QScrollerProperties, QWidget

from kiosk.content.i18n import category_name, format_date
from kiosk.content.model import Milestone
from kiosk.content.timeline import LayoutParams, TimelineLayout, item_at, layout, visible
from kiosk.content.timeline import visible_years as years_within
from kiosk.ui.theme import Theme
from kiosk.ui.touch import kiosk_manners, no_double_clicks

TITLE_PX = 26
DATE_PX = 22
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
        p = QPainter(self)
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
        p.end()

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
        p.setBrush(QColor(th.accent2))
        p.drawEllipse(QPointF(x + w / 2, line_y), r, r)
        p.setPen(QColor(th.accent2))
        fm = QFontMetrics(self._year_font)
        p.drawText(
            QRectF(x, line_y - th.px(24) - fm.height(), w, fm.height()),
            Qt.AlignmentFlag.AlignCenter,
            str(year),
        )

    def _paint_card(self, p: QPainter, item, line_y: int) -> None:
        th = self.theme
        m: Milestone = item.milestone
        color = QColor(th.category_color(m.category))
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
        head = f"{when} · {category_name(m.category, self.lang)}"
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


class TimelineView(QScrollArea):
    """The kinetic horizontal strip. ``milestone_tapped(key)`` on a tap on a card."""

    milestone_tapped = Signal(str)
    interacted = Signal()

    def __init__(
        self,
        theme: Theme,
        lang: str = "vi",
        *,
        reduced_motion: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        kiosk_manners(self)
        # The strip cannot work with double-clicks on (see no_double_clicks); the app turns
        # them off at start-up too, this makes the widget right wherever it is used.
        no_double_clicks()
        self.theme = theme
        self.reduced_motion = reduced_motion
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWidgetResizable(False)
        self.canvas = TimelineCanvas(theme, lang)
        self.canvas.tapped.connect(self.milestone_tapped)
        self.canvas.pressed.connect(self.interacted)
        self.setWidget(self.canvas)
        self.viewport().setStyleSheet(f"background: {theme.bg};")
        self._milestones: tuple[Milestone, ...] = ()
        QScroller.grabGesture(self.viewport(), QScroller.ScrollerGestureType.LeftMouseButtonGesture)
        self.scroller = QScroller.scroller(self.viewport())
        self.scroller.stateChanged.connect(self._on_scroller_state)
        self._tune_scroller()
        # The edge fades are drawn at the visible edges, so a blitted scroll would drag
        # them along: repaint what is visible on every scroll step (a full repaint of the
        # visible cards is a few ms, see benchmarks/timeline.py).
        self.horizontalScrollBar().valueChanged.connect(self._on_scrolled)
        self._touch_pos: QPointF | None = None
        self._last_state = QScroller.State.Inactive
        self.viewport().installEventFilter(self)

    def _tune_scroller(self) -> None:
        m = QScrollerProperties.ScrollMetric
        props = self.scroller.scrollerProperties()
        always_on = QScrollerProperties.OvershootPolicy.OvershootAlwaysOn
        always_off = QScrollerProperties.OvershootPolicy.OvershootAlwaysOff
        # Reduced motion: the strip still follows the finger (that is not animation, it is
        # the visitor's own movement) but stops soon after release and never bounces.
        bounce = always_off if self.reduced_motion else always_on
        props.setScrollMetric(m.HorizontalOvershootPolicy, bounce)
        props.setScrollMetric(m.VerticalOvershootPolicy, always_off)
        # Tuned for a wall panel: glide a little longer than a phone (big arm movements),
        # bounce visibly but briefly, and never move vertically.
        props.setScrollMetric(m.DecelerationFactor, 3.0 if self.reduced_motion else 0.6)
        props.setScrollMetric(m.MaximumVelocity, 0.9)
        props.setScrollMetric(m.OvershootDragResistanceFactor, 0.4)
        props.setScrollMetric(m.OvershootDragDistanceFactor, 0.15)
        props.setScrollMetric(m.OvershootScrollDistanceFactor, 0.08)
        props.setScrollMetric(m.OvershootScrollTime, 0.35)
        props.setScrollMetric(m.AxisLockThreshold, 0.6)
        props.setScrollMetric(m.FrameRate, QScrollerProperties.FrameRates.Fps60)
        self.scroller.setScrollerProperties(props)

    def _on_scroller_state(self, state) -> None:
        if state in (QScroller.State.Pressed, QScroller.State.Dragging):
            self.interacted.emit()
        # Press feedback: the scroller holds the press back from the canvas until it knows
        # the finger is not dragging (~250 ms), so the card is highlighted here, when the
        # scroller first sees the press, and un-highlighted once it turns into a drag.
        was_moving = self._last_state == QScroller.State.Scrolling
        self._last_state = state
        if state == QScroller.State.Pressed:
            pos = self._touch_pos
            if pos is None:  # a mouse-reporting panel: the cursor is where the press is
                pos = QPointF(self.viewport().mapFromGlobal(QCursor.pos()))
            at = QPointF(self.canvas.mapFrom(self.viewport(), pos))
            # A touch that stops a gliding strip only stops it: no highlight, no tap.
            self.canvas.show_pressed_at(None if was_moving else at)
            self.canvas.scroller_press = None if was_moving else at
        else:
            self.canvas.show_pressed_at(None)
            if state != QScroller.State.Inactive:
                self.canvas.scroller_press = None  # a drag, not a tap
        if state == QScroller.State.Inactive:
            self._touch_pos = None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        # Only watches: the touch's position, which the scroller's Pressed state lacks.
        if event.type() == QEvent.Type.TouchBegin and event.points():
            self._touch_pos = QPointF(event.points()[0].position())
        return False

    # -- content -------------------------------------------------------------------------
    def set_milestones(self, milestones: tuple[Milestone, ...]) -> None:
        """Show these milestones (already filtered); the strip goes back to its start."""
        self._milestones = tuple(milestones)
        self.scroller.stop()
        self._relayout()
        self.horizontalScrollBar().setValue(0)

    def set_language(self, lang: str) -> None:
        self.canvas.set_language(lang)

    def params(self) -> LayoutParams:
        th = self.theme
        height = max(th.px(300), self.viewport().height())
        connector = th.px(36)
        lane_gap = th.px(24)
        half = height // 2 - connector - th.px(12)
        # A tall strip (portrait) has room for near and far lanes on each side: twice the
        # cards per screen width instead of empty bands above and below.
        lanes = 4 if (half - lane_gap) // 2 >= th.px(200) else 2
        card_h = (half - lane_gap) // 2 if lanes == 4 else half
        return LayoutParams(
            height=height,
            card_w=th.px(440 if not th.portrait else 400),
            card_h=max(th.px(120), min(th.px(250), card_h)),
            gap=th.px(32),
            year_gap=th.px(180),
            margin=th.px(56),
            connector=connector,
            lanes=lanes,
            lane_gap=lane_gap,
        )

    def _relayout(self) -> None:
        lay = layout(self._milestones, self.params())
        self.canvas.set_layout(lay, self.viewport().width())

    def resizeEvent(self, event) -> None:  # noqa: N802
        super().resizeEvent(event)
        if self.canvas.lay.height != max(self.theme.px(300), self.viewport().height()):
            self._relayout()
        else:
            self.canvas.set_layout(self.canvas.lay, self.viewport().width())

    def _on_scrolled(self, value: int) -> None:
        self.canvas.update(QRect(value, 0, self.viewport().width(), self.canvas.height()))

    def fades(self) -> tuple[bool, bool]:
        """Whether the left / right edge fade is drawn ("there is more this way")."""
        return self.canvas.fades()

    def hideEvent(self, event) -> None:  # noqa: N802
        # Leaving the screen mid-glide must not leave a scroll gesture running for a hidden
        # strip (it would also hold the gesture machinery for the next touch).
        self.scroller.stop()
        super().hideEvent(event)

    # -- scrolling -----------------------------------------------------------------------
    def scroll_x(self) -> int:
        return self.horizontalScrollBar().value()

    def max_scroll(self) -> int:
        return self.horizontalScrollBar().maximum()

    def scroll_to_index(self, index: int) -> None:
        """Bring card ``index`` into the middle of the view (e.g. after a swipe on the card)."""
        items = self.canvas.lay.items
        if not items:
            return
        item = items[max(0, min(index, len(items) - 1))]
        target = item.anchor_x + self.canvas.dx - self.viewport().width() // 2
        self.scroller.stop()
        self.horizontalScrollBar().setValue(max(0, min(target, self.max_scroll())))
