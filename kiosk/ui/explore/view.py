"""``ExploreView``: what a visitor gets after touching the slideshow.

A top bar (home, back, title, VI/EN toggle) over a ``QStackedWidget`` of five screens:
home (four tiles), the timeline, indicators, awards and rankings, and about. Every screen
is built once; moving between them only switches the stack. The countdown overlay covers
the whole view while the kiosk is about to return to the slideshow.

API (used by ``kiosk.ui.visitor.VisitorController`` and tests)::

    view = ExploreView(content, theme, lang="vi", reduced_motion=False)
    view = ExploreView(content, theme, "vi", staged=True)  # only the top bar and overlay;
    view.build_in_steps()               # then a screen per event-loop turn (app start-up)
    view.built; view.finish_build()     # every method below finishes a staged build first
    view.show_screen("indicators")      # "home", "timeline", "indicators", "awards", "about"
    view.go_home(); view.back()
    view.set_language("en")             # every string and content field, at once
    view.set_content(content)           # new DB snapshot
    view.reset()                        # home, first chart pages, about at top, no overlay
    view.show_countdown(10, 10.0); view.set_countdown(9); view.hide_countdown()
    signals: screen_opened(str), milestone_opened(str), language_changed(str)
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable, Iterator

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from kiosk.content.clock import Clock
from kiosk.content.model import Content
from kiosk.ui.explore.about import AboutScreen
from kiosk.ui.explore.browser import ChartBrowser
from kiosk.ui.explore.countdown import CountdownOverlay
from kiosk.ui.explore.home import TOPICS, HomeScreen
from kiosk.ui.explore.pages import award_pages, indicator_pages
from kiosk.ui.explore.staging import qt_type_steps
from kiosk.ui.explore.topbar import TopBar
from kiosk.ui.theme import Theme

log = logging.getLogger("kiosk.explore")

SCREENS = ("home", *TOPICS)
_TITLES = {
    "home": "",
    "timeline": "tile.timeline",
    "indicators": "tile.indicators",
    "awards": "tile.awards",
    "about": "tile.about",
}


def _timeline(
    content: Content, theme: Theme, lang: str, reduced_motion: bool, clock: Clock | None
) -> QWidget:
    from kiosk.ui.timeline import TimelineScreen

    return TimelineScreen(content, theme, lang, reduced_motion=reduced_motion, clock=clock)


def _needs_screens(method):
    """Finish a staged build first: these methods use every screen."""

    @functools.wraps(method)
    def run(self, *args, **kwargs):
        if self._steps is not None:
            self.finish_build()
        return method(self, *args, **kwargs)

    return run


class ExploreView(QWidget):
    """The explore mode: top bar, five screens, countdown overlay."""

    screen_opened = Signal(str)
    milestone_opened = Signal(str)
    language_changed = Signal(str)

    def __init__(
        self,
        content: Content,
        theme: Theme,
        lang: str = "vi",
        reduced_motion: bool = False,
        timeline_factory: Callable[[Content, Theme, str], QWidget] | None = None,
        parent: QWidget | None = None,
        staged: bool = False,
        clock: Clock | None = None,
    ) -> None:
        super().__init__(parent)
        self.theme = theme
        self.lang = lang
        self.content = content
        self._clock = clock  # times the swipes on the screens (None: the real clock)
        self.setContextMenuPolicy(Qt.ContextMenuPolicy.PreventContextMenu)
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        self.setStyleSheet(f"ExploreView {{ background: {theme.bg}; }}")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        self.top_bar = TopBar(theme, lang)
        self.stack = QStackedWidget()
        layout.addWidget(self.top_bar)
        layout.addWidget(self.stack, 1)
        self.countdown = CountdownOverlay(theme, lang, self)  # last: it covers the rest
        self.top_bar.home_clicked.connect(self.go_home)
        self.top_bar.back_clicked.connect(self.back)
        self.top_bar.language_clicked.connect(self.toggle_language)

        self.screens: dict[str, QWidget] = {}
        self.current_screen = "home"
        self._history: list[str] = []
        self._staged = staged
        self._hurry = False
        self._build_args = (reduced_motion, timeline_factory)
        self._steps: Iterator[None] | None = self._build_screens(reduced_motion, timeline_factory)
        if not staged:
            self.finish_build()

    # -- building ------------------------------------------------------------------------
    @property
    def built(self) -> bool:
        return self._steps is None

    def build_step(self) -> bool:
        """Build the next screen (one step of a staged build); True while more remain."""
        if self._steps is None:
            return False
        try:
            next(self._steps)
        except StopIteration:
            self._steps = None
        except Exception:
            # A step that fails (a hiccup in one screen's construction) must not leave
            # explore mode without screens: every touch would then fail. Start again, in one
            # piece; a second failure is a real bug and is raised.
            log.exception("explore mode: a build step failed; building every screen again")
            self._rebuild()
        return self._steps is not None

    def _rebuild(self) -> None:
        for widget in self.screens.values():
            self.stack.removeWidget(widget)
            widget.deleteLater()
        self.screens.clear()
        self._history.clear()
        self._staged, self._steps = False, None
        for _ in self._build_screens(*self._build_args):
            pass

    def build_in_steps(self) -> None:
        """Build the remaining screens one per event-loop turn, so that no turn blocks
        the GUI thread for long; any call that needs them finishes them at once."""

        def step() -> None:
            if self.build_step():
                QTimer.singleShot(1, self, step)

        QTimer.singleShot(1, self, step)

    def finish_build(self) -> None:
        """Build every screen not built yet (at once)."""
        self._hurry = True
        while self.build_step():
            pass

    def _build_screens(self, reduced_motion: bool, timeline_factory) -> Iterator[None]:
        # One screen per step: each takes tens of ms (the timeline and the About text
        # most), and a staged build yields to the event loop between them.
        content, theme = self.content, self.theme
        if self._staged:
            # Qt's Python types are made on first use (the timeline's scroll area alone
            # needs many enum types): make them first, in short slices; in a hurry
            # (a touch) only the types the screens use are made, as they are used.
            for _ in qt_type_steps():
                if self._hurry:
                    break
                yield
        self.home = HomeScreen(theme, self.lang, content)
        self.home.topic_chosen.connect(self.show_screen)
        self._add_screen("home", self.home)
        self._show("home")
        yield
        if timeline_factory is None:
            import kiosk.ui.timeline  # noqa: F401 - its import alone is a step's worth

            yield
            self.timeline = _timeline(content, theme, self.lang, reduced_motion, self._clock)
        else:
            self.timeline = timeline_factory(content, theme, self.lang)
        opened = getattr(self.timeline, "milestone_opened", None)
        if opened is not None:
            opened.connect(self.milestone_opened)
        self._add_screen("timeline", self.timeline)
        yield
        pages = indicator_pages(content)
        self.indicators = ChartBrowser(
            pages, content, theme, self.lang, reduced_motion, clock=self._clock
        )
        self._add_screen("indicators", self.indicators)
        yield
        pages = award_pages(content)
        self.awards = ChartBrowser(
            pages, content, theme, self.lang, reduced_motion, clock=self._clock
        )
        self._add_screen("awards", self.awards)
        yield
        self.about = AboutScreen(content, theme, self.lang)
        self._add_screen("about", self.about)
        if self._staged:
            yield
            # The screens came into a view already in the window, which lays out a hidden
            # page only when it is shown: do it now, at the page's size, not in the first
            # touch.
            area = self.parentWidget()
            if area is not None:
                self.resize(area.size())
            self.layout().activate()

    def _add_screen(self, name: str, widget: QWidget) -> None:
        self.screens[name] = widget
        self.stack.addWidget(widget)

    # -- navigation ----------------------------------------------------------------------
    @_needs_screens
    def show_screen(self, name: str) -> None:
        """Open a screen by name, remembering where the visitor came from."""
        if name not in self.screens:
            raise ValueError(f"no explore screen {name!r}; choose one of {', '.join(SCREENS)}")
        if name == self.current_screen:
            return
        self._history.append(self.current_screen)
        self._show(name)
        self.screen_opened.emit(name)

    @_needs_screens
    def go_home(self) -> None:
        self._history.clear()
        self._show("home")

    @_needs_screens
    def back(self) -> None:
        """One step back: an open milestone card closes first, then the previous screen."""
        if self.current_screen == "timeline" and getattr(self.timeline, "open_key", None):
            self.timeline.close_card()
            return
        self._show(self._history.pop() if self._history else "home")

    def _show(self, name: str) -> None:
        self.current_screen = name
        widget = self.screens[name]
        self.stack.setCurrentWidget(widget)
        self.top_bar.set_screen(_TITLES[name], at_home=name == "home")
        if isinstance(widget, ChartBrowser):
            widget.replay()  # the charts grow again each time the screen is opened

    # -- language and content ------------------------------------------------------------
    def toggle_language(self) -> None:
        self.set_language("en" if self.lang == "vi" else "vi")
        self.language_changed.emit(self.lang)

    @_needs_screens
    def set_language(self, lang: str) -> None:
        """Switch every string and content field of every screen (built ones included)."""
        if lang == self.lang:
            return
        self.lang = lang
        self.top_bar.set_language(lang)
        self.home.set_language(lang)
        self.timeline.set_language(lang)
        self.indicators.set_language(lang)
        self.awards.set_language(lang)
        self.about.set_language(lang)
        self.countdown.set_language(lang)

    @_needs_screens
    def set_content(self, content: Content) -> None:
        self.content = content
        self.home.set_content(content)
        self.timeline.set_content(content)
        self.indicators.set_pages(indicator_pages(content), content)
        self.awards.set_pages(award_pages(content), content)
        self.about.set_content(content)
        current = self.screens[self.current_screen]
        if isinstance(current, ChartBrowser):
            current.replay()  # the visitor is looking at it: rebuild its first page now

    @_needs_screens
    def reset(self) -> None:
        """As a new visitor should find it: home, first pages, top of About, no overlay."""
        self.hide_countdown()
        self.indicators.reset()
        self.awards.reset()
        self.about.scroll_to_top()
        reset_timeline = getattr(self.timeline, "reset", None)
        if callable(reset_timeline):
            reset_timeline()
        self.go_home()

    # -- countdown -----------------------------------------------------------------------
    def show_countdown(self, seconds: int, total: float) -> None:
        self.countdown.show_countdown(seconds, total)

    def set_countdown(self, seconds: int, fraction: float | None = None) -> None:
        self.countdown.set_seconds(seconds, fraction)

    def hide_countdown(self) -> None:
        self.countdown.hide()

    @property
    def countdown_visible(self) -> bool:
        return self.countdown.isVisible()

    def resizeEvent(self, event) -> None:
        super().resizeEvent(event)
        self.countdown.cover_parent()
