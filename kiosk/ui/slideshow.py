"""The attract loop: slides on a timer, a cross-fade between them, a progress bar, a hint.

Slides are built once per playlist entry (lazily, the first time they are needed, so the
first frame does not wait for pyqtgraph) and kept in a ``QStackedWidget``; a new content
snapshot replaces them at the next slide change, never mid-slide. Time comes from an
injected clock: ``tick()`` is called by a QTimer in the app and directly by tests.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable

from PySide6.QtCore import QEasingCurve, QRect, Qt, QTimer, QVariantAnimation
from PySide6.QtGui import QColor, QPainter, QPixmap
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.content.clock import Clock, MonotonicClock
from kiosk.content.i18n import t
from kiosk.content.model import Content, PlaylistEntry
from kiosk.content.playlist import active_entries, duration_of, next_index
from kiosk.system.memory import release_free_memory
from kiosk.ui.slides import Slide, make_slide
from kiosk.ui.theme import Theme
from kiosk.ui.widgets import text_label

log = logging.getLogger("kiosk.slideshow")

FADE_MS = 700
TRIM_AFTER_FADE_MS = 1000  # after the new slide's reveal (REVEAL_MS from the change)
MAX_KEPT_SLIDES = 16  # built slides kept for the next rounds (the shipped playlist has 11)
TICK_MS = 33  # the progress bar moves smoothly at ~30 Hz; nothing else runs per tick
HINT = t("hint.explore", "vi")  # bilingual in itself
BACK_SOON_MS = 6000  # how long a touch on the holding screen shows "back soon"


class ProgressBar(QWidget):
    """A thin bar at the bottom showing how much of the current slide's time is left."""

    def __init__(self, theme: Theme, parent=None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.fraction = 0.0
        self.setFixedHeight(theme.px(6))
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)

    def set_fraction(self, fraction: float) -> None:
        fraction = max(0.0, min(1.0, fraction))
        if abs(fraction - self.fraction) * self.width() >= 0.5 or fraction in (0.0, 1.0):
            self.fraction = fraction
            self.update()

    def paintEvent(self, event) -> None:  # noqa: N802
        with QPainter(self) as painter:
            painter.fillRect(self.rect(), QColor(self.theme.track))
            done = round(self.width() * self.fraction)
            painter.fillRect(QRect(0, 0, done, self.height()), QColor(self.theme.accent))


class FadeOverlay(QWidget):
    """Paints a snapshot of the previous slide over the new one while it fades out."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.pixmap: QPixmap | None = None
        self.opacity = 0.0
        self.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.hide()

    def paintEvent(self, event) -> None:  # noqa: N802
        if self.pixmap is None:
            return
        with QPainter(self) as painter:
            painter.setOpacity(self.opacity)
            painter.drawPixmap(0, 0, self.pixmap)


class Slideshow(QWidget):
    """The attract loop. API: start, pause, resume, restart, tick, set_content, set_language."""

    def __init__(
        self,
        content: Content,
        theme: Theme,
        lang: str = "vi",
        default_duration_s: float = 12.0,
        reduced_motion: bool = False,
        clock: Clock | None = None,
        today: Callable[[], dt.date] = dt.date.today,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang = lang
        self.default_duration_s = default_duration_s
        self.reduced_motion = reduced_motion
        self.clock = clock or MonotonicClock()
        self.today = today
        self.content = content
        self._pending: Content | None = None
        self.entries: tuple[PlaylistEntry, ...] = ()
        self.slides: dict[str, Slide] = {}
        self.current_index = -1
        self.started_at = 0.0
        self.changes = 0  # slide changes since start, for logs and benchmarks
        self.running = False
        # True while the app warms up the chart library in steps (it then builds the
        # next slide itself): a prebuild meanwhile would do that import in one block.
        self.hold_prebuild = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.stack = QStackedWidget()
        self.empty = text_label("", theme, 48, bold=True, align=Qt.AlignmentFlag.AlignCenter)
        self.stack.addWidget(self.empty)
        # What a touch on the holding screen says, for a few seconds, in both languages.
        self.back_soon = text_label(
            t("holding.back_soon", "vi"),
            theme,
            40,
            bold=True,
            color=theme.bg,
            align=Qt.AlignmentFlag.AlignCenter,
        )
        self.back_soon.setStyleSheet(
            f"color: {theme.bg}; background: {theme.accent2};"
            f" border-radius: {theme.px(30)}px; padding: {theme.px(18)}px {theme.px(44)}px;"
        )
        self.back_soon.setWordWrap(False)
        self.back_soon.hide()
        self.back_soon_timer = QTimer(self)
        self.back_soon_timer.setSingleShot(True)
        self.back_soon_timer.setInterval(BACK_SOON_MS)
        self.back_soon_timer.timeout.connect(self.back_soon.hide)
        self.hint = text_label(
            HINT, theme, 30, bold=True, color=theme.text, align=Qt.AlignmentFlag.AlignCenter
        )
        self.hint.setStyleSheet(
            f"color: {theme.text}; background: {theme.surface_hi};"
            f" border-radius: {theme.px(30)}px; padding: {theme.px(10)}px {theme.px(36)}px;"
        )
        self.hint.setWordWrap(False)
        self.bar = ProgressBar(theme)
        layout.addWidget(self.stack, 1)
        layout.addWidget(self.back_soon, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.hint, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addSpacing(theme.px(22))
        layout.addWidget(self.bar)
        self.overlay = FadeOverlay(self.stack)

        self._fade = QVariantAnimation(self)
        self._fade.setStartValue(1.0)
        self._fade.setEndValue(0.0)
        self._fade.setDuration(FADE_MS)
        self._fade.setEasingCurve(QEasingCurve.Type.InOutQuad)
        self._fade.valueChanged.connect(self._on_fade)
        self._fade.finished.connect(self._fade_done)
        self.trims = 0
        self._trim_timer = QTimer(self)
        self._trim_timer.setSingleShot(True)
        self._trim_timer.setInterval(TRIM_AFTER_FADE_MS)
        self._trim_timer.timeout.connect(self._trim_memory)

        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.setTimerType(Qt.TimerType.PreciseTimer)
        self.timer.timeout.connect(self.tick)
        self._apply_content(content)

    # -- public API ---------------------------------------------------------------------
    @property
    def current_entry(self) -> PlaylistEntry | None:
        if 0 <= self.current_index < len(self.entries):
            return self.entries[self.current_index]
        return None

    @property
    def current_slide(self) -> Slide | None:
        entry = self.current_entry
        return self.slides.get(entry.key) if entry else None

    def start(self) -> None:
        """Show the first slide and start the timer."""
        self.running = True
        self.show_index(0, fade=False)
        self.timer.start()

    def restart(self) -> None:
        """Back to the first slide (the attract loop after a visitor leaves)."""
        self.running = True
        self._take_pending()
        self.show_index(0, fade=False)
        self.timer.start()

    def pause(self) -> None:
        """Stop time and animations (explore mode covers the slideshow)."""
        self.running = False
        self.timer.stop()
        slide = self.current_slide
        if slide is not None:
            slide.stop()

    def resume(self) -> None:
        self.running = True
        self.started_at = self.clock.now()
        self.timer.start()

    def set_content(self, content: Content) -> None:
        """Use ``content`` from the next slide change on (never mid-slide)."""
        self._pending = content
        if not self.entries:
            self._take_pending()
            if self.running:
                self.show_index(0, fade=False)

    def set_language(self, lang: str) -> None:
        if lang == self.lang:
            return
        self.lang = lang
        for slide in self.slides.values():
            slide.set_language(lang)

    @property
    def holding(self) -> bool:
        """True while the holding screen is up (no slide to show)."""
        return not self.entries

    def show_back_soon(self) -> None:
        """A touch on the holding screen: "back soon" in both languages, for a few seconds."""
        self.back_soon.show()
        self.back_soon_timer.start()

    def set_theme(self, theme: Theme) -> None:
        """A new screen size: rebuild the slides for it at the current position."""
        self.theme = theme
        self._drop_slides()
        if self.running:
            self.show_index(max(0, self.current_index), fade=False)

    def duration(self) -> float:
        entry = self.current_entry
        return duration_of(entry, self.default_duration_s) if entry else self.default_duration_s

    def tick(self) -> None:
        """Advance time: move the progress bar, change slide when its time is up."""
        if not self.running:
            return
        elapsed = self.clock.now() - self.started_at
        duration = self.duration()
        self.bar.set_fraction(elapsed / duration)
        if elapsed >= duration:
            self.advance()

    def advance(self) -> None:
        """Show the next slide (taking new content first, if any arrived)."""
        if self._take_pending():
            self.show_index(0)
        else:
            self.show_index(next_index(self.current_index, len(self.entries)))

    def slide_for(self, index: int) -> Slide:
        """The slide for entry ``index``, built on first use and kept (the most recently
        used ``MAX_KEPT_SLIDES``: a playlist of thousands must not keep thousands)."""
        entry = self.entries[index]
        slide = self.slides.pop(entry.key, None)
        if slide is None:
            slide = make_slide(entry, self.content, self.theme, self.lang, self.reduced_motion)
            self.stack.addWidget(slide)
        self.slides[entry.key] = slide  # last = most recently used
        while len(self.slides) > MAX_KEPT_SLIDES:
            key = next(iter(self.slides))
            if self.slides[key] is self.current_slide:
                self.slides[key] = self.slides.pop(key)  # on screen: keep, look further
                continue
            old = self.slides.pop(key)
            old.stop()
            self.stack.removeWidget(old)
            old.deleteLater()
        return slide

    def show_index(self, index: int, fade: bool = True) -> None:
        if not self.entries:
            self.current_index = -1
            self.stack.setCurrentWidget(self.empty)
            return
        index %= len(self.entries)
        old = self.current_slide
        if old is not None:
            old.stop()
        slide = self.slide_for(index)
        if fade and old is not None and old is not slide and self.isVisible():
            self.overlay.pixmap = self.stack.grab()
            self.overlay.setGeometry(self.stack.rect())
            self.overlay.opacity = 1.0
            self.overlay.show()
            self.overlay.raise_()
            self._fade.start()
        self.current_index = index
        self.stack.setCurrentWidget(slide)
        slide.play()
        self.started_at = self.clock.now()
        self.bar.set_fraction(0.0)
        self.changes += 1
        log.debug("slide change %d: %s", self.changes, self.entries[index].key)
        # Build the next slide while this one is on screen, after its reveal settles.
        if len(self.entries) > 1:
            QTimer.singleShot(1500, self.prebuild_next)

    def prebuild_next(self) -> None:
        """Build the slide after the current one now, unless ``hold_prebuild`` says wait."""
        if self.entries and self.current_index >= 0 and not self.hold_prebuild:
            self.slide_for(next_index(self.current_index, len(self.entries)))

    # -- internals ----------------------------------------------------------------------
    def _fade_done(self) -> None:
        self.overlay.hide()
        self.overlay.pixmap = None  # a full-window grab: 8 MiB at 1080p, 32 MiB at 4K
        # Hand what the change freed back to the OS once the new slide's reveal is over
        # (kiosk.system.memory explains why glibc would keep it).
        self._trim_timer.start()

    def _trim_memory(self) -> None:
        took = release_free_memory()
        self.trims += 1
        if took is not None:
            log.debug("freed heap returned to the OS in %.1f ms", took)

    def _on_fade(self, value) -> None:
        self.overlay.opacity = float(value)
        self.overlay.update()

    def _take_pending(self) -> bool:
        if self._pending is None:
            today = self.today()
            if today == self._day:
                return False
            # Midnight: slides whose show_until was yesterday leave, show_from today join.
            self._day = today
            if active_entries(self.content, today) == self.entries:
                return False
            self._apply_content(self.content)
            log.info("a new day (%s): the playlist is %d slide(s)", self._day, len(self.entries))
            return True
        content, self._pending = self._pending, None
        self._apply_content(content)
        log.info("content %s is on screen from this slide", content.version or "(unversioned)")
        return True

    def _apply_content(self, content: Content) -> None:
        self.content = content
        self._drop_slides()
        self._day = self.today()
        self.entries = active_entries(content, self._day)
        self.current_index = -1
        self.empty.setText(t("holding.title", "vi") if not self.entries else "")
        # The "touch to explore" hint only where a touch leads somewhere.
        self.hint.setVisible(not content.shows_nothing)
        if self.entries:
            self.back_soon.hide()

    def _drop_slides(self) -> None:
        for slide in self.slides.values():
            slide.stop()
            self.stack.removeWidget(slide)
            slide.deleteLater()
        self.slides.clear()
