"""Letting Qt run in real time, for the few things that only run on it.

QScroller (the timeline strip's kinetic scrolling) animates on Qt's own real-time clock,
not on the kiosk's ``Clock``, so a test of its glide must let real time pass. Everything
the kiosk times itself runs on a ``FakeClock`` in tests instead.
"""

from __future__ import annotations

import time

from PySide6.QtWidgets import QApplication


def real_wait(ms: int) -> None:
    """Process Qt events for ``ms`` of real time (kept short: tests never sleep long)."""
    end = time.monotonic() + ms / 1000
    while time.monotonic() < end:
        QApplication.processEvents()
        time.sleep(0.004)
