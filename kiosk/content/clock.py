"""Time as the kiosk sees it: a monotonic clock that tests can replace.

Everything that waits (slide durations, idle timeout, countdown, staff gesture window)
asks a ``Clock`` for ``now()`` instead of reading the system time, so tests advance a
``FakeClock`` and never sleep.
"""

from __future__ import annotations

import time
from typing import Protocol


class Clock(Protocol):
    def now(self) -> float:
        """Seconds on a monotonic scale (only differences mean anything)."""
        ...


class MonotonicClock:
    """The real clock: ``time.monotonic()``, immune to wall-clock jumps (NTP, DST)."""

    def now(self) -> float:
        return time.monotonic()


class FakeClock:
    """A clock that only moves when a test says so."""

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)

    def now(self) -> float:
        return self._now

    def advance(self, seconds: float) -> float:
        if seconds < 0:
            raise ValueError("a clock cannot go backwards")
        self._now += seconds
        return self._now


class ScaledClock:
    """The real clock run ``scale`` times faster (soak tests: a day of slides and visitor
    timeouts in an hour). Animations and touch speeds keep real time."""

    def __init__(self, scale: float) -> None:
        if scale <= 0:
            raise ValueError("a clock scale must be positive")
        self.scale = float(scale)
        self._start = time.monotonic()

    def now(self) -> float:
        return (time.monotonic() - self._start) * self.scale
