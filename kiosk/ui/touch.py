"""Touch widgets: big buttons with instant press feedback, filter chips, a one-finger swipe.

Lobby panels deliver either real touch events or mouse events (many report themselves as a
mouse). Qt turns the first touch point into mouse events for any widget that does not take
touch itself, so these widgets handle the mouse and thereby both: one code path, tested
with real ``QTest.touchEvent`` sequences and with the mouse.

No widget here takes keyboard focus, draws a focus rectangle or opens a context menu.
"""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFontMetrics, QGuiApplication, QPainter, QPainterPath
from PySide6.QtWidgets import QAbstractButton, QSizePolicy, QWidget

from kiosk.content.clock import Clock, MonotonicClock
from kiosk.content.model import nfc
from kiosk.ui.theme import Theme

MIN_TARGET_PX = 96  # smallest touch target, in 1080p pixels (scaled by the theme)


def no_double_clicks() -> None:
    """Turn double-clicks off app-wide: every touch arrives as a plain press.

    Qt turns a second press within the double-click interval (400 ms) near the first into a
    double-click event instead of a press. A quick visitor does exactly that (tap a card,
    close it, drag the strip), and ``QScroller`` ignores double-clicks, so that drag would
    not scroll at all. Nothing in the kiosk uses double-clicks. Idempotent.
    """
    hints = QGuiApplication.styleHints()
    if hints.mouseDoubleClickInterval() != 0:
        hints.setMouseDoubleClickInterval(0)


def kiosk_manners(widget: QWidget) -> None:
    """No focus (no keyboard, no focus rectangle) and no right-click/long-press menu."""
    widget.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    widget.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)


class TouchButton(QAbstractButton):
    """A large plain-text button whose pressed state is painted in the frame of the press.

    ``clicked`` comes from ``QAbstractButton``: on release inside the button only, so a
    finger that slides off cancels the press.
    """

    def __init__(
        self,
        text: str,
        theme: Theme,
        *,
        size_px: float = 30,
        min_px: float = MIN_TARGET_PX,
        bold: bool = True,
        round_px: float = 20,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        kiosk_manners(self)
        self.theme = theme
        self._size_px = size_px
        self._min = theme.px(min_px)
        self._round = theme.px(round_px)
        self._dot: str | None = None  # a colour dot before the text (category chips)
        self.paints = 0  # how many times it was painted (tests)
        self.press_paints = 0  # how many of those showed the pressed look (tests)
        self.setFont(theme.font(size_px, bold))
        self.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
        self.setText(text)

    def setText(self, text: str) -> None:  # noqa: N802 - Qt naming
        # Plain text by construction (paintEvent draws it); NFC so diacritics stack right.
        super().setText(nfc(text))
        self.updateGeometry()
        self.update()

    def set_dot(self, color: str | None) -> None:
        self._dot = color
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802
        fm = QFontMetrics(self.font())
        pad = self.theme.px(30)
        dot = self.theme.px(26) if self._dot else 0
        width = fm.horizontalAdvance(self.text()) + 2 * pad + dot
        return QSize(max(self._min, width), self._min)

    def minimumSizeHint(self) -> QSize:  # noqa: N802
        return QSize(self._min, self._min)

    # No mousePressEvent override: QAbstractButton already calls repaint() (not update())
    # when it goes down, so the pressed look is painted inside the press handler, within
    # the frame of the touch (tests/ui/test_touch.py checks it with a loop-free sendEvent).

    def colors(self) -> tuple[str, str, str]:
        """(fill, border, text) for the current state."""
        th = self.theme
        if not self.isEnabled():
            return th.surface, th.surface_hi, th.muted  # e.g. "next" on the last card
        if self.isDown():
            return th.accent, th.text, th.bg
        if self.isChecked():
            return th.text, th.text, th.bg
        return th.surface_hi, th.surface_hi, th.text

    def paintEvent(self, event) -> None:  # noqa: N802
        fill, border, text = self.colors()
        self.paints += 1
        if self.isDown():
            self.press_paints += 1
        with QPainter(self) as p:
            p.setRenderHint(QPainter.RenderHint.Antialiasing)
            rect = QRectF(self.rect()).adjusted(1.5, 1.5, -1.5, -1.5)
            path = QPainterPath()
            path.addRoundedRect(rect, self._round, self._round)
            p.fillPath(path, QColor(fill))
            p.setPen(QColor(border))
            p.drawPath(path)
            text_rect = rect.adjusted(self.theme.px(16), 0, -self.theme.px(16), 0)
            if self._dot:
                d = self.theme.px(16)
                cy = rect.center().y()
                p.setBrush(QColor(self._dot))
                p.setPen(Qt.PenStyle.NoPen)
                p.drawEllipse(QRectF(text_rect.left() + self.theme.px(6), cy - d / 2, d, d))
                text_rect.setLeft(text_rect.left() + d + self.theme.px(12))
            p.setPen(QColor(text))
            p.setFont(self.font())
            shown = QFontMetrics(self.font()).elidedText(
                self.text(), Qt.TextElideMode.ElideRight, int(text_rect.width())
            )
            p.drawText(text_rect, Qt.AlignmentFlag.AlignCenter, shown)


class Chip(TouchButton):
    """A toggle for a filter: checked chips are drawn filled."""

    def __init__(self, text: str, theme: Theme, value=None, parent: QWidget | None = None):
        super().__init__(text, theme, size_px=26, round_px=48, bold=False, parent=parent)
        self.value = value
        self.setCheckable(True)


class SwipeDetector(QObject):
    """Recognises a one-finger horizontal swipe, or a tap, on ``widget``.

    A swipe is a press-move-release that is mostly horizontal and either travels at least
    ``distance_frac`` of the widget's width, or is a fast flick (``flick_px_s``) of at
    least a third of that. Swiping the finger to the left means "next" (+1), to the right
    "previous" (-1), as on a phone. A press and release that moves less than ``slop_px``
    is a tap. The detector only watches: it never consumes events, so buttons inside the
    widget keep working.
    """

    swiped = Signal(int)
    tapped = Signal(QPointF)  # in the widget's coordinates
    moved = Signal(float)  # horizontal distance from the press so far, while the finger is down
    ended = Signal()  # the finger left without a swipe (a tap, too short, or cancelled)

    def __init__(
        self,
        widget: QWidget,
        *,
        distance_frac: float = 0.08,
        flick_px_s: float = 900.0,
        slop_px: float = 24.0,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(widget)
        self.widget = widget
        self.distance_frac = distance_frac
        self.flick_px_s = flick_px_s
        self.slop_px = slop_px
        self.clock = clock or MonotonicClock()
        self._start: QPointF | None = None
        self._start_t = 0.0
        self._last: QPointF | None = None
        widget.installEventFilter(self)

    @property
    def tracking(self) -> bool:
        return self._start is not None

    def eventFilter(self, obj, event) -> bool:  # noqa: N802
        kind = event.type()
        # A press within the double-click interval of the previous one arrives as a
        # double-click: on a kiosk that is just a quick visitor, so it starts a swipe too.
        if kind in (QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick):
            if event.button() == Qt.MouseButton.LeftButton:
                self._begin(event.globalPosition())
        elif kind == QEvent.Type.MouseMove:
            if self._start is not None:
                self._move(event.globalPosition())
        elif kind == QEvent.Type.MouseButtonRelease:
            if self._start is not None and event.button() == Qt.MouseButton.LeftButton:
                self._finish(event.globalPosition())
        elif kind == QEvent.Type.TouchBegin:
            points = event.points()
            if len(points) == 1:
                self._begin(points[0].globalPosition())
        elif kind == QEvent.Type.TouchUpdate and self._start is not None:
            points = event.points()
            if len(points) != 1:
                self._cancel()  # a second finger: not a one-finger swipe
            else:
                self._move(points[0].globalPosition())
        elif kind == QEvent.Type.TouchEnd and self._start is not None:
            points = event.points()
            if points:
                self._finish(points[0].globalPosition())
        elif kind == QEvent.Type.TouchCancel and self._start is not None:
            self._cancel()
        return False

    def _begin(self, pos: QPointF) -> None:
        self._start = QPointF(pos)
        self._last = QPointF(pos)
        self._start_t = self.clock.now()

    def _move(self, pos: QPointF) -> None:
        self._last = QPointF(pos)
        self.moved.emit(pos.x() - self._start.x())

    def _cancel(self) -> None:
        self._start = None
        self.ended.emit()

    def _finish(self, pos: QPointF) -> None:
        start, self._start = self._start, None
        dx = pos.x() - start.x()
        dy = pos.y() - start.y()
        direction = self.classify(dx, dy, self.clock.now() - self._start_t)
        if direction:
            self.swiped.emit(direction)
            return
        if abs(dx) < self.slop_px and abs(dy) < self.slop_px:
            self.tapped.emit(QPointF(self.widget.mapFromGlobal(pos)))
        self.ended.emit()

    def classify(self, dx: float, dy: float, seconds: float) -> int:
        """+1 (next), -1 (previous) or 0 (no swipe) for a movement of (dx, dy)."""
        if abs(dx) < 1.5 * abs(dy):
            return 0  # mostly vertical or diagonal: not a horizontal swipe
        needed = self.distance_frac * max(1, self.widget.width())
        speed = abs(dx) / max(seconds, 1e-3)
        far = abs(dx) >= needed
        flick = abs(dx) >= needed / 3 and speed >= self.flick_px_s
        if not (far or flick):
            return 0
        return 1 if dx < 0 else -1
