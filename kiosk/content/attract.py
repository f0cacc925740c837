"""The attract ↔ explore state machine: plain Python, time fed in, no Qt.

Three states::

    ATTRACT  --touch-->  EXPLORE  --idle_timeout_s without a touch-->  COUNTDOWN
    COUNTDOWN --touch--> EXPLORE
    COUNTDOWN --countdown_s without a touch--> ATTRACT

The machine never reads a clock: the UI calls ``touch(now)`` on every touch or press and
``tick(now)`` from a timer, with ``now`` from a ``kiosk.content.clock.Clock``. Both return
the ``Transition`` objects that happened (usually none or one), and the UI acts on each
transition's ``action``. Every state change is logged as exactly one line on the
``kiosk.visitor`` logger, e.g. ``state attract -> explore``, so an operator can follow what
the kiosk did from the journal.
"""

from __future__ import annotations

import enum
import logging
import math
from dataclasses import dataclass

log = logging.getLogger("kiosk.visitor")


class State(enum.Enum):
    ATTRACT = "attract"
    EXPLORE = "explore"
    COUNTDOWN = "countdown"


class Action(enum.Enum):
    """What the UI must do after a transition."""

    OPEN_EXPLORE = "open_explore"  # attract -> explore: leave the slideshow, show home
    SHOW_COUNTDOWN = "show_countdown"  # explore -> countdown: show the overlay
    CANCEL_COUNTDOWN = "cancel_countdown"  # countdown -> explore: hide it, stay put
    RETURN_TO_ATTRACT = "return_to_attract"  # countdown -> attract: default language, slide 1


_ACTIONS = {
    (State.ATTRACT, State.EXPLORE): Action.OPEN_EXPLORE,
    (State.EXPLORE, State.COUNTDOWN): Action.SHOW_COUNTDOWN,
    (State.COUNTDOWN, State.EXPLORE): Action.CANCEL_COUNTDOWN,
    (State.COUNTDOWN, State.ATTRACT): Action.RETURN_TO_ATTRACT,
}


@dataclass(frozen=True, slots=True)
class Transition:
    """One state change: from, to, what the UI must do, and when (clock seconds)."""

    old: State
    new: State
    action: Action
    at: float

    def __str__(self) -> str:
        return f"state {self.old.value} -> {self.new.value}"


class AttractMachine:
    """Decides when the kiosk is showing the slideshow, explore mode or the countdown.

    ``idle_timeout_s``: seconds without a touch in explore mode before the countdown.
    ``countdown_s``: seconds the countdown runs before returning to the slideshow (0 = at once).
    """

    def __init__(self, idle_timeout_s: float = 60.0, countdown_s: float = 10.0) -> None:
        if not (math.isfinite(idle_timeout_s) and idle_timeout_s > 0):
            raise ValueError(f"idle_timeout_s must be a positive number, not {idle_timeout_s!r}")
        if not (math.isfinite(countdown_s) and countdown_s >= 0):
            raise ValueError(f"countdown_s must be zero or more, not {countdown_s!r}")
        self.idle_timeout_s = float(idle_timeout_s)
        self.countdown_s = float(countdown_s)
        self._state = State.ATTRACT
        self._last_touch = 0.0
        self._countdown_from = 0.0

    @property
    def state(self) -> State:
        return self._state

    @property
    def active(self) -> bool:
        """True while a visitor session runs (explore or countdown): the UI ticks only then."""
        return self._state is not State.ATTRACT

    @property
    def last_touch(self) -> float:
        return self._last_touch

    def touch(self, now: float) -> list[Transition]:
        """A touch or press anywhere at time ``now``."""
        self._last_touch = now
        if self._state is State.EXPLORE:
            return []  # only the idle timer restarts
        return [self._go(State.EXPLORE, now)]

    def tick(self, now: float) -> list[Transition]:
        """Let time pass up to ``now``. A late tick can yield both explore -> countdown and
        countdown -> attract at once (e.g. after the PC was suspended); the UI applies them
        in order."""
        changes: list[Transition] = []
        if self._state is State.EXPLORE and now - self._last_touch >= self.idle_timeout_s:
            # The countdown starts when the timeout expired, not when the tick noticed it,
            # so a slow timer does not stretch the countdown.
            changes.append(self._go(State.COUNTDOWN, now))
            self._countdown_from = self._last_touch + self.idle_timeout_s
        if self._state is State.COUNTDOWN and now - self._countdown_from >= self.countdown_s:
            changes.append(self._go(State.ATTRACT, now))
        return changes

    def seconds_left(self, now: float) -> int:
        """Whole seconds the countdown has left (rounded up, as a visitor reads "10 s"),
        or 0 outside the countdown."""
        if self._state is not State.COUNTDOWN:
            return 0
        left = self.countdown_s - max(0.0, now - self._countdown_from)
        return max(0, math.ceil(left - 1e-9))

    def idle_for(self, now: float) -> float:
        """Seconds since the last touch (0 in attract, where nobody is being timed)."""
        if self._state is State.ATTRACT:
            return 0.0
        return max(0.0, now - self._last_touch)

    def _go(self, new: State, now: float) -> Transition:
        change = Transition(self._state, new, _ACTIONS[(self._state, new)], now)
        self._state = new
        log.info("%s", change)
        return change
