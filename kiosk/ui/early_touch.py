"""Touches that arrive before explore mode is attached: noticed, then handed over.

A real run attaches explore mode (the visitor controller and its app-wide event filter) a
moment after the first frame, so that the first slide's reveal plays smoothly. A visitor
who touches the screen in that moment (after a watchdog restart, someone is often standing
there) must not be ignored: ``EarlyTouches`` watches from the first frame on, asks for
explore mode at once on the first touch, and replays that touch into the controller.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QApplication

from kiosk.ui.visitor import ACTIVITY_EVENTS, GESTURE_ENDS


class EarlyTouches(QObject):
    """An app-wide watcher until ``hand_over``; ``on_first_touch`` runs on the next turn."""

    def __init__(self, app: QApplication, on_first_touch: Callable[[], None]) -> None:
        super().__init__(app)
        self._app = app
        self._on_first_touch = on_first_touch
        self.pressed = False  # a touch came before the hand-over
        self.lifted = False  # ... and its finger has lifted since
        self._watching = True
        app.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        kind = event.type()
        if kind in ACTIVITY_EVENTS:
            self.lifted = False
            if not self.pressed:
                self.pressed = True
                # Not from inside the filter: the press is still being delivered.
                QTimer.singleShot(0, self, self._on_first_touch)
        elif kind in GESTURE_ENDS and self.pressed:
            self.lifted = True
        return False  # only watch

    def hand_over(self, visitor) -> None:
        """Stop watching; a touch seen so far is given to ``visitor`` (a VisitorController)."""
        if not self._watching:
            return
        self._watching = False
        self._app.removeEventFilter(self)
        if self.pressed:
            visitor.replay_touch(lifted=self.lifted)
