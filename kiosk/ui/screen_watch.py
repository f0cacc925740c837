"""Re-place the kiosk window when screens come, go or change resolution, without a restart.

``watch_screens(app, window, screen_index) -> ScreenWatch`` follows
``QGuiApplication.screenAdded/screenRemoved/primaryScreenChanged`` and every screen's
``geometryChanged``, and calls ``window.place_on_screen(screen)`` on the configured screen
(``screen_index``, else the primary one). A monitor that is unplugged and plugged back, or
switched to another resolution, thus gets a full-screen kiosk laid out for its new size.

Changes arrive in bursts (a reconnect reports removed, added, primary changed and a geometry
change within milliseconds), so re-placing waits for a short quiet period (``SETTLE_MS``) and
then happens once. ``relayout_now()`` skips the wait (tests and callers that know better).
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QRect, QTimer, Slot
from PySide6.QtGui import QGuiApplication, QScreen

log = logging.getLogger("kiosk.screens")

SETTLE_MS = 300


class ScreenWatch(QObject):
    """Keeps one window on its configured screen, at that screen's current geometry."""

    def __init__(self, app: QGuiApplication, window, screen_index: int = 0) -> None:
        super().__init__(window)
        self.app = app
        self.window = window
        self.screen_index = screen_index
        self.relayouts = 0
        self._watched: set[int] = set()
        self.settle = QTimer(self)
        self.settle.setSingleShot(True)
        self.settle.setInterval(SETTLE_MS)
        self.settle.timeout.connect(self.relayout_now)
        app.screenAdded.connect(self.on_screen_added)
        app.screenRemoved.connect(self.on_screen_removed)
        app.primaryScreenChanged.connect(self.on_primary_changed)
        for screen in app.screens():
            self._watch(screen)

    def _watch(self, screen: QScreen) -> None:
        key = id(screen)
        if key in self._watched:
            return
        self._watched.add(key)
        # A bound slot (not a lambda) so Qt drops the connection when this watch is deleted.
        screen.geometryChanged.connect(self._geometry_changed)

    @Slot(QRect)
    def _geometry_changed(self, geometry: QRect) -> None:
        screen = self.sender()
        if screen is not None:
            self.on_geometry_changed(screen, geometry)

    # -- signal handlers ----------------------------------------------------------------
    def on_screen_added(self, screen: QScreen) -> None:
        log.info("screen added: %s", screen.name())
        self._watch(screen)
        self.settle.start()

    def on_screen_removed(self, screen: QScreen) -> None:
        log.warning("screen removed: %s", screen.name())
        self._watched.discard(id(screen))
        self.settle.start()

    def on_primary_changed(self, screen: QScreen | None) -> None:
        log.info("primary screen is now %s", screen.name() if screen else "none")
        self.settle.start()

    def on_geometry_changed(self, screen, geometry: QRect) -> None:
        log.info(
            "screen %s is now %dx%d+%d+%d",
            screen.name(),
            geometry.width(),
            geometry.height(),
            geometry.x(),
            geometry.y(),
        )
        self.settle.start()

    # -- the work -----------------------------------------------------------------------
    def target_screen(self) -> QScreen | None:
        """The configured screen if it is connected, else the primary screen."""
        screens = self.app.screens()
        if 0 <= self.screen_index < len(screens):
            return screens[self.screen_index]
        return self.app.primaryScreen()

    def relayout_now(self) -> None:
        """Place the window on the target screen at its current geometry."""
        self.settle.stop()
        screen = self.target_screen()
        if screen is None:
            # No monitor at all: leave the window alone; screenAdded brings us back.
            log.warning("no screen connected; waiting for one")
            return
        self.window.place_on_screen(screen)
        self.relayouts += 1


def watch_screens(app: QGuiApplication, window, screen_index: int = 0) -> ScreenWatch:
    """Start following screen changes for ``window`` (see the module docstring)."""
    return ScreenWatch(app, window, screen_index)
