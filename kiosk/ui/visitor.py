"""The visitor controller: touches and time in, page switches and resets out.

API::

    visitor = VisitorController(window, slideshow, explore, settings, clock=None, stats=None)
    visitor.touch()      # what every touch/press anywhere does (the app event filter calls it)
    visitor.tick()       # let time pass (a QTimer calls it every 250 ms in explore/countdown;
                         #  tests call it after advancing a FakeClock)
    visitor.state        # kiosk.content.attract.State
    visitor.lang         # the language now on screen
    visitor.close()      # remove the event filter, stop the timer, end the stats session

``kiosk.ui.app.attach_explore_mode`` creates the controller, its ``ExploreView`` and its
``StatsRecorder`` for a running kiosk.

It owns the one ``AttractMachine`` (``kiosk.content.attract``) and carries out its actions:
attract -> explore pauses the slideshow and shows explore home; explore -> countdown shows
the overlay; a touch hides it; countdown -> attract resets explore, goes back to the default
language (``settings.language``) and restarts the slideshow at its first slide. A touch that
wakes the kiosk or cancels the countdown changes the screen when that finger lifts, so it
cannot also press a tile or button that appears under it.

The machine is fed by an application-wide event filter (every touch begin and mouse press,
wherever it lands), so no screen has to remember to report activity. The tick timer runs
only while a visitor session is open: in the attract loop it is stopped, so an unattended
kiosk spends no CPU on it.

Visit statistics (optional) go through a ``kiosk.store.stats_recorder.StatsRecorder``,
which logs and swallows every failure: a locked or broken statistics file must never take
the visitor screens down.
"""

from __future__ import annotations

import logging
from collections import deque

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.content.attract import Action, AttractMachine, State, Transition
from kiosk.content.clock import Clock, MonotonicClock
from kiosk.store.stats_recorder import StatsRecorder
from kiosk.system.config import Settings

log = logging.getLogger("kiosk.visitor")

RECENT_TRANSITIONS = 200
TICK_MS = 250  # countdown seconds update visibly on time; 4 wake-ups/s only in explore
# Events that mean "someone is here": touch begin and mouse press (a quick second press
# arrives as a double-click). Moves and releases belong to a gesture already counted,
# and hover events come from no one.
ACTIVITY_EVENTS = frozenset(
    {QEvent.Type.TouchBegin, QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonDblClick}
)
# The end of a gesture: the moment the page may change under the finger.
GESTURE_ENDS = frozenset(
    {QEvent.Type.TouchEnd, QEvent.Type.TouchCancel, QEvent.Type.MouseButtonRelease}
)


class VisitorController(QObject):
    """Connects the state machine to the window, the slideshow and the explore view."""

    def __init__(
        self,
        kiosk_window,
        slideshow,
        explore,
        settings: Settings,
        clock: Clock | None = None,
        stats: StatsRecorder | None = None,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent or kiosk_window)
        self.window = kiosk_window
        self.slideshow = slideshow
        self.explore = explore
        self.settings = settings
        self.clock = clock or MonotonicClock()
        self.stats = stats if stats is not None else StatsRecorder(None)
        self.machine = AttractMachine(settings.idle_timeout_s, settings.countdown_s)
        self.lang = settings.language
        self.session_started = 0.0
        self.visits = 0  # explore sessions since start (the fleet's kiosk_visits_total)
        # The latest changes, in order (tests, debugging); bounded, as the kiosk runs for months.
        self.transitions: deque[Transition] = deque(maxlen=RECENT_TRANSITIONS)

        kiosk_window.add_page(explore)
        self.timer = QTimer(self)
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self.tick)
        explore.language_changed.connect(self._language_chosen)
        explore.screen_opened.connect(self.stats.screen)
        explore.milestone_opened.connect(self.stats.milestone)
        self._closed = False
        self._screen_after_lift = False  # a screen change waits for the finger to lift
        self._app = QApplication.instance()
        self._app.installEventFilter(self)

    # -- inputs --------------------------------------------------------------------------
    @property
    def state(self) -> State:
        return self.machine.state

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        kind = event.type()
        if kind in ACTIVITY_EVENTS:
            if self.machine.state is not State.EXPLORE:
                # This filter runs before Qt picks the widget under the finger. A touch that
                # wakes the kiosk or cancels the countdown must not also press the tile or
                # button that would appear under it, so the screen changes when this finger
                # lifts (until then the slideshow or the overlay takes the gesture).
                self._screen_after_lift = True
            self.touch()
        elif kind in GESTURE_ENDS and self._screen_after_lift:
            self._sync_screen()
        return False  # only watch: the touch still reaches its widget

    def touch(self) -> None:
        """Somebody touched the screen (anywhere, any widget)."""
        if self._holding():
            # Nothing to show at all: explore would open on empty pages. The holding
            # screen says "back soon" in both languages instead, and stays.
            self.slideshow.show_back_soon()
            return
        self._apply(self.machine.touch(self.clock.now()))

    def replay_touch(self, lifted: bool) -> None:
        """A touch made before this controller was listening (start-up), as if seen now.

        ``lifted``: its finger has already left the screen, so the screen changes now.
        """
        if self.machine.state is not State.EXPLORE and not self._holding():
            self._screen_after_lift = True
        self.touch()
        if lifted and self._screen_after_lift:
            self._sync_screen()

    def _holding(self) -> bool:
        """True while the kiosk has nothing a visitor could be shown (holding screen)."""
        if self.machine.state is not State.ATTRACT:
            return False
        return self.explore.content.shows_nothing and getattr(self.slideshow, "holding", False)

    def tick(self) -> None:
        """Let time pass: idle timeout, countdown seconds, return to the attract loop."""
        now = self.clock.now()
        if self._screen_after_lift:
            self._sync_screen()  # the end of that gesture was never seen
        self._apply(self.machine.tick(now))
        if self.machine.state is State.COUNTDOWN:
            self.explore.set_countdown(self._seconds_left(now), self._fraction_left(now))

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        self._app.removeEventFilter(self)
        self.timer.stop()
        if self.machine.active:
            self.stats.end(self._session_length(), "other")
        self.stats.close()

    # -- actions -------------------------------------------------------------------------
    def _apply(self, changes: list[Transition]) -> None:
        for change in changes:
            self.transitions.append(change)
            if change.action is Action.OPEN_EXPLORE:
                self._open_explore(change.at)
            elif change.action is Action.SHOW_COUNTDOWN:
                self.explore.show_countdown(self._seconds_left(change.at), self.machine.countdown_s)
            elif change.action is Action.CANCEL_COUNTDOWN:
                if not self._screen_after_lift:
                    self.explore.hide_countdown()
            elif change.action is Action.RETURN_TO_ATTRACT:
                self._return_to_attract()

    def _open_explore(self, now: float) -> None:
        self.session_started = now
        self.visits += 1
        self.slideshow.pause()
        self.explore.hide_countdown()
        self.explore.go_home()
        if not self._screen_after_lift:
            self._sync_screen()
        self.timer.start()
        self.stats.start()

    def _sync_screen(self) -> None:
        """Show what the state says once the finger that changed it has lifted."""
        self._screen_after_lift = False
        if self.machine.state is State.EXPLORE:
            self.explore.hide_countdown()
            self.window.show_page(self.explore)

    def _return_to_attract(self) -> None:
        self._screen_after_lift = False
        self.timer.stop()
        self.stats.end(self._session_length(), "idle")
        default = self.settings.language
        self.explore.reset()
        self.explore.set_language(default)
        self.slideshow.set_language(default)
        self.lang = default
        self.window.show_attract()
        self.slideshow.restart()

    def _language_chosen(self, lang: str) -> None:
        # The slideshow follows, so it is already in the visitor's language if they come
        # back to it; the return to the attract loop resets both to the default.
        self.lang = lang
        self.slideshow.set_language(lang)

    # -- helpers -------------------------------------------------------------------------
    def _session_length(self) -> float:
        # From the first touch to the last one: the walk-away wait is nobody's visit.
        return max(0.0, self.machine.last_touch - self.session_started)

    def _seconds_left(self, now: float) -> int:
        return self.machine.seconds_left(now)

    def _fraction_left(self, now: float) -> float:
        total = self.machine.countdown_s
        if total <= 0:
            return 0.0
        elapsed = now - self.machine.last_touch - self.machine.idle_timeout_s
        return max(0.0, min(1.0, 1.0 - elapsed / total))
