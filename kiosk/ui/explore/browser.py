"""A swipeable browser of chart pages (the Indicators and the Awards-and-rankings screens).

Each page is drawn by the attract loop's own slide classes (``make_slide``), built the
first time it is shown and then kept: pyqtgraph leaks when plots are created and
destroyed, so a visitor paging back and forth reuses the same widgets and only replays
their reveal. A transparent ``SwipeSurface`` over the chart takes one-finger swipes (real
touch events, or a mouse / a panel that reports itself as a mouse); big previous/next
buttons do the same for visitors who tap, and page dots show where they are.
"""

from __future__ import annotations

from PySide6.QtCore import QEasingCurve, QEvent, Qt, QVariantAnimation, Signal
from PySide6.QtGui import QPainter, QPixmap
from PySide6.QtWidgets import (
    QAbstractButton,
    QHBoxLayout,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from kiosk.content.clock import Clock
from kiosk.content.model import Content
from kiosk.content.playlist import resolve
from kiosk.ui.explore.controls import PageDots
from kiosk.ui.explore.indicator_page import IndicatorSlide
from kiosk.ui.explore.pages import ChartPage, page_for
from kiosk.ui.explore.strings import tr
from kiosk.ui.slides import Slide, make_slide
from kiosk.ui.theme import Theme
from kiosk.ui.touch import SwipeDetector, TouchButton
from kiosk.ui.widgets import set_label_text, text_label


class SwipeSurface(QWidget):
    """Transparent layer over the chart that takes every touch and press.

    The shared ``SwipeDetector`` watching it turns a one-finger horizontal drag into a page
    turn. The layer also keeps fingers off the charts, which have nothing to press.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_AcceptTouchEvents, True)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)

    def event(self, event) -> bool:
        if event.type() in (
            QEvent.Type.TouchBegin,
            QEvent.Type.TouchUpdate,
            QEvent.Type.TouchEnd,
            QEvent.Type.TouchCancel,
        ):
            event.accept()  # keep receiving this finger's updates; the detector has seen it
            return True
        return super().event(event)

    def mousePressEvent(self, event) -> None:
        event.accept()

    def mouseReleaseEvent(self, event) -> None:
        event.accept()


class PageCover(QWidget):
    """The page being left, as a picture over the new one: it fades out while sliding a
    little the way the finger went; under reduced motion it only fades."""

    DURATION_MS = 280

    def __init__(self, reduced_motion: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reduced_motion = reduced_motion
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents, True)
        self.pixmap = QPixmap()
        self.direction = 0
        self.value = 1.0
        self.anim = QVariantAnimation(self)
        self.anim.setStartValue(0.0)
        self.anim.setEndValue(1.0)
        self.anim.setDuration(self.DURATION_MS)
        self.anim.setEasingCurve(QEasingCurve.Type.OutCubic)
        self.anim.valueChanged.connect(self._step)
        self.anim.finished.connect(self._done)
        self.hide()

    @property
    def offset(self) -> int:
        """Pixels the old page has moved (always 0 under reduced motion)."""
        if self.reduced_motion or not self.direction:
            return 0
        return round(-self.direction * self.value * self.width() * 0.25)

    def start(self, pixmap: QPixmap, direction: int) -> None:
        self.anim.stop()
        self.pixmap, self.direction, self.value = pixmap, direction, 0.0
        self.show()  # made after the stack and before the swipe layer: it sits between them
        self.anim.start()

    def _done(self) -> None:
        self.hide()
        self.pixmap = QPixmap()  # a 4K page picture is ~25 MB: do not keep it

    def _step(self, value) -> None:
        self.value = float(value)
        self.update()

    def paintEvent(self, event) -> None:
        with QPainter(self) as p:
            p.setOpacity(max(0.0, 1.0 - self.value))
            p.drawPixmap(self.offset, 0, self.pixmap)


class _Layers(QWidget):
    """Children stacked on top of each other, each filling the widget; the last on top."""

    def resizeEvent(self, event) -> None:
        for child in self.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly):
            child.setGeometry(self.rect())
        super().resizeEvent(event)


class ChartBrowser(QWidget):
    """Pages of charts with an explanation line, prev/next buttons and page dots."""

    page_changed = Signal(int)

    def __init__(
        self,
        pages: tuple[ChartPage, ...],
        content: Content,
        theme: Theme,
        lang: str,
        reduced_motion: bool = False,
        parent: QWidget | None = None,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang = lang
        self.reduced_motion = reduced_motion
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, theme.px(16))
        layout.setSpacing(theme.px(8))

        self.stack_host = _Layers()
        self.stack = QStackedWidget(self.stack_host)
        centre = Qt.AlignmentFlag.AlignCenter
        self.empty = text_label("", theme, 36, color=theme.muted, align=centre)
        self.stack.addWidget(self.empty)  # shown while there is no page at all
        self.cover = PageCover(reduced_motion, self.stack_host)
        self.surface = SwipeSurface(self.stack_host)
        self.swipe = SwipeDetector(self.surface, clock=clock)  # None: the real clock
        layout.addWidget(self.stack_host, 1)

        # One row under the chart: previous, the explanation over the page dots, next. Kept
        # to one row so the chart keeps the height it needs (a ranking headline card is tall).
        side = theme.margin
        controls = QHBoxLayout()
        controls.setContentsMargins(side, 0, side, 0)
        controls.setSpacing(theme.px(24))
        self.prev_button = TouchButton("", theme, size_px=32)
        self.next_button = TouchButton("", theme, size_px=32)
        self.explanation = text_label(
            "", theme, 30, color=theme.accent2, align=Qt.AlignmentFlag.AlignHCenter
        )
        self.dots = PageDots(theme)
        self.dots.setFixedHeight(theme.px(28))
        self.counter = text_label("", theme, 24, color=theme.muted, wrap=False)
        middle = QVBoxLayout()
        middle.setSpacing(theme.px(4))
        middle.addWidget(self.explanation)
        dots_row = QHBoxLayout()
        dots_row.addWidget(self.dots, 1)
        dots_row.addWidget(self.counter)
        middle.addLayout(dots_row)
        controls.addWidget(self.prev_button, 0, Qt.AlignmentFlag.AlignVCenter)
        controls.addLayout(middle, 1)
        controls.addWidget(self.next_button, 0, Qt.AlignmentFlag.AlignVCenter)
        layout.addLayout(controls)

        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.swipe.swiped.connect(self.step)
        self.swipe.tapped.connect(self._tap_through)

        self.pages: tuple[ChartPage, ...] = ()
        self.slides: dict[int, Slide] = {}
        self.current = 0
        self.builds = 0  # how many slides were ever built (tests check reuse)
        self.set_pages(pages, content)

    # -- public API ----------------------------------------------------------------------
    def set_pages(self, pages: tuple[ChartPage, ...], content: Content) -> None:
        """Use new pages (new content): old slides are dropped, new ones built on demand."""
        for slide in self.slides.values():
            slide.stop()
            self.stack.removeWidget(slide)
            slide.deleteLater()
        self.slides = {}
        self.pages = tuple(pages)
        self.content = content
        self.current = 0
        # Nothing is built yet: the first slide is made when the screen is first opened,
        # so start-up (and the attract loop's first frame) never waits for chart pages.
        self._sync_controls()

    def step(self, delta: int) -> bool:
        """Next (+1) or previous (-1) page; False at either end.

        One rule with the milestone card: the ends do not wrap (a visitor paging past the
        last chart should feel the end), and the button pointing past an end is disabled.
        """
        target = self.current + delta
        if not self.pages or not 0 <= target < len(self.pages):
            return False
        self.show_page(target, direction=delta)
        return True

    def show_page(self, index: int, animate: bool = True, direction: int = 0) -> None:
        """Show page ``index``; ``direction`` (+1/-1) is where the old page leaves to."""
        if not self.pages:
            return
        index = max(0, min(index, len(self.pages) - 1))
        old = self.slides.get(self.current)
        if old is not None and index != self.current:
            old.stop()
            if animate and self.isVisible():
                self.cover.start(self.stack.grab(), direction)
        self.current = index
        slide = self._slide(index)
        self.stack.setCurrentWidget(slide)
        if animate:
            slide.play()
        else:
            slide.show_final()
        self._sync_controls()
        self.page_changed.emit(index)

    def replay(self) -> None:
        """Show the current page with its reveal (each time the screen is opened)."""
        if self.pages:
            self.show_page(self.current)

    def reset(self) -> None:
        """Back to the first page (the kiosk returned to attract); built when next shown."""
        if self.current in self.slides:
            self.slides[self.current].stop()
        self.current = 0
        self._sync_controls()

    def set_language(self, lang: str) -> None:
        if lang == self.lang:
            return
        self.lang = lang
        for slide in self.slides.values():  # built slides switch now, the rest when built
            slide.set_language(lang)
        self._sync_controls()

    def open_indicator(self, key: str) -> None:
        """Show the page of indicator ``key`` (a related-figure tile was tapped)."""
        index = page_for(self.pages, key)
        if index is not None and index != self.current:
            self.show_page(index, direction=1 if index > self.current else -1)

    def _tap_through(self, pos) -> None:
        """A tap on the swipe layer presses the button of the page beneath it, if any
        (the related-figure tiles): the layer keeps swipes working over the whole page."""
        slide = self.current_slide
        if slide is None:
            return
        # The layer and the page are siblings: map through the screen.
        target = slide.childAt(slide.mapFromGlobal(self.surface.mapToGlobal(pos.toPoint())))
        while target is not None and target is not slide:
            if isinstance(target, QAbstractButton) and target.isEnabled():
                target.click()
                return
            target = target.parentWidget()

    @property
    def current_slide(self) -> Slide | None:
        return self.slides.get(self.current)

    # -- internals -----------------------------------------------------------------------
    def _slide(self, index: int) -> Slide:
        slide = self.slides.get(index)
        if slide is None:
            page = self.pages[index]
            if page.indicator_key:
                slide = IndicatorSlide(
                    resolve(page.entry, self.content),
                    self.content,
                    self.theme,
                    self.lang,
                    self.reduced_motion,
                    related=page.related,
                )
                slide.open_indicator.connect(self.open_indicator)
            else:
                slide = make_slide(
                    page.entry, self.content, self.theme, self.lang, self.reduced_motion
                )
            slide.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
            # Under the top bar the slide needs no top margin of its own: the room goes to
            # the chart, which is shorter here than in the full-screen attract loop.
            margins = slide.layout().contentsMargins()
            margins.setTop(self.theme.px(20))
            margins.setBottom(self.theme.px(8))
            slide.layout().setContentsMargins(margins)
            self.stack.addWidget(slide)
            self.slides[index] = slide
            self.builds += 1
        return slide

    def _sync_controls(self) -> None:
        count = len(self.pages)
        self.dots.set_state(count, self.current)
        many = count > 1
        self.prev_button.setVisible(many)
        self.next_button.setVisible(many)
        self.counter.setVisible(many)
        self.prev_button.setEnabled(self.current > 0)
        self.next_button.setEnabled(self.current < count - 1)
        self.prev_button.setText("‹ " + tr("nav.previous", self.lang))
        self.next_button.setText(tr("nav.next", self.lang) + " ›")
        position = tr("card.position", self.lang, n=self.current + 1, total=count)
        set_label_text(self.counter, position)
        text = self.pages[self.current].explanation.get(self.lang) if self.pages else ""
        set_label_text(self.explanation, text)
        set_label_text(self.empty, "" if self.pages else tr("explore.empty", self.lang))
        if not self.pages:
            self.stack.setCurrentWidget(self.empty)
        self.explanation.setVisible(bool(text))
