"""The hidden staff gesture: several quick taps in the top-left corner of the screen.

Plain Python with an injectable clock, so the timing is tested without waiting; the Qt
side (``kiosk/ui/lockdown.py``) feeds it the position of every press and touch.
"""

from __future__ import annotations

from kiosk.content.clock import Clock


class CornerTapDetector:
    """Counts taps in the top-left corner; ``tap`` returns True on the completing tap.

    A tap outside the corner starts the count again, so a visitor tapping around the
    screen never opens the pad by accident.
    """

    def __init__(
        self,
        clock: Clock,
        *,
        taps: int = 5,
        window_s: float = 3.0,
        corner_fraction: float = 0.08,
        min_corner_px: int = 60,
    ) -> None:
        self.clock = clock
        self.taps = taps
        self.window_s = window_s
        self.corner_fraction = corner_fraction
        self.min_corner_px = min_corner_px
        self._times: list[float] = []

    def corner_size(self, width: int, height: int) -> float:
        return max(self.min_corner_px, self.corner_fraction * min(width, height))

    def tap(self, x: float, y: float, width: int, height: int) -> bool:
        size = self.corner_size(width, height)
        if not (0 <= x < size and 0 <= y < size):
            self._times.clear()
            return False
        now = self.clock.now()
        self._times = [t for t in self._times if now - t <= self.window_s]
        self._times.append(now)
        if len(self._times) >= self.taps:
            self._times.clear()
            return True
        return False
