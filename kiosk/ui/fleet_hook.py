"""The running kiosk's link to the fleet: frame counting and the fleet worker thread.

``attach_fleet`` counts painted frames with an event filter on the window (one
``UpdateRequest`` per backing-store flush: an integer and a time in memory, never a disk
write per frame) and starts the fleet worker thread (``kiosk.fleet.launch``), which follows
the channel, writes the metrics file and sends heartbeats. The GUI thread never waits on
the network or the disk for it; an installed snapshot reaches the screen through the
kiosk's ContentSource like any other change of the content DB.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtCore import QEvent, QObject

from kiosk.fleet.launch import FleetLauncher, FrameStats, wants_fleet


class FrameCounter(QObject):
    """Counts the window's flushed frames into a ``FrameStats``."""

    def __init__(self, window, frames: FrameStats) -> None:
        super().__init__(window)
        self.frames = frames
        window.installEventFilter(self)

    def eventFilter(self, obj, event) -> bool:  # noqa: N802 - Qt naming
        if event.type() == QEvent.Type.UpdateRequest:
            self.frames.painted()
        return False


def attach_fleet(kiosk) -> FleetLauncher | None:
    """Start the fleet worker for a running kiosk; None when the config asks for nothing."""
    if not wants_fleet(kiosk.settings):
        return None
    frames = FrameStats()
    frames.count_visits = lambda: getattr(kiosk.visitor, "visits", 0)
    FrameCounter(kiosk.window, frames)
    launcher = FleetLauncher(kiosk.settings, kiosk.source.path, frames).start()
    kiosk.app.aboutToQuit.connect(launcher.stop)
    return launcher


def content_label(db_path) -> str:
    """'serial 7 (3f2a9c0d1e2b)' or 'local edit': what the kiosk shows (a stat and a small
    JSON read; the DB itself is read only after a change made on this PC)."""
    from kiosk.fleet.state import identity

    return identity(db_path).label


def named(content, source):
    """``content`` with its version set to the content's name, for the log lines."""
    path = getattr(source, "path", None)
    if path is None:
        return content
    return dataclasses.replace(content, version=content_label(path))
