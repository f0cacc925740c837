"""Content reloads off the GUI thread: read and check in a worker, hand over on the GUI thread.

``ContentSource.poll`` reads, checks and validates the DB (tens of ms for good content;
up to its deadline for a costly or hostile file). ``BackgroundReload.poll`` runs it in a
worker thread, one at a time, so the animation never waits for the disk; the new content
arrives through a queued signal and only ``Kiosk.apply_content`` runs on the GUI thread.
"""

from __future__ import annotations

import logging
import threading

from PySide6.QtCore import QObject, Signal

log = logging.getLogger("kiosk")


class BackgroundReload(QObject):
    """Polls ``kiosk.source`` in a worker thread; ``kiosk.apply_content`` on the GUI thread."""

    arrived = Signal(object)  # a Content, or None when nothing changed

    def __init__(self, kiosk) -> None:
        super().__init__(kiosk.window)
        self.kiosk = kiosk
        self.polls = 0  # finished polls (tests)
        self._thread: threading.Thread | None = None
        self.arrived.connect(self._hand_over)  # queued: emitted in the worker

    @property
    def busy(self) -> bool:
        return self._thread is not None

    def poll(self) -> None:
        """Start one poll in a worker, unless one is still running."""
        if self._thread is not None:
            return
        self._thread = threading.Thread(target=self._work, name="content-reload")
        self._thread.start()

    def wait(self, timeout_s: float = 10.0) -> None:
        """Wait for a running poll (before the interpreter shuts down)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout_s)

    def _work(self) -> None:
        content = None
        try:
            content = self.kiosk.source.poll()  # never raises; this is a last guard
        except Exception:  # noqa: BLE001 - a reload must never end the kiosk
            log.exception("content reload failed; keeping the content on screen")
        self.arrived.emit(content)

    def _hand_over(self, content) -> None:
        self._thread = None
        self.polls += 1
        if content is not None:
            self.kiosk.apply_content(content)
