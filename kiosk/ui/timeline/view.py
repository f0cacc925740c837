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

from PySide6.QtCore import QEvent, QPointF, QRect, Qt, Signal
from PySide6.QtGui import QCursor
from PySide6.QtWidgets import QFrame, QScrollArea, QScroller, QScrollerProperties, QWidget

from kiosk.content.model import Milestone
from kiosk.content.timeline import LayoutParams, layout
from kiosk.ui.theme import Theme
from kiosk.ui.timeline.canvas import TimelineCanvas
from kiosk.ui.touch import kiosk_manners, no_double_clicks


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
        # them along: repaint what is visible on every scroll step (cheap enough; see
        # benchmarks/timeline.py).
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
