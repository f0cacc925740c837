"""Stop cleanly on SIGTERM (``systemctl stop``) and SIGINT (Ctrl+C in a terminal).

Python runs a signal handler only when the interpreter next executes Python code, and a Qt
event loop with nothing to do runs none: without help, Ctrl+C on ``make run`` did nothing and
SIGTERM killed the kiosk before it could log why. ``quit_on_signals(app)`` routes both
through ``signal.set_wakeup_fd`` to a ``QSocketNotifier``, so the event loop wakes at once
(no polling timer), logs one line and leaves ``app.exec()`` with exit code 0; the caller
then closes the content DB and logs "kiosk stopped" as on any exit.

A frozen UI never reaches the handler; systemd's ``TimeoutStopSec`` then sends SIGKILL.
"""

from __future__ import annotations

import logging
import signal
import socket

from PySide6.QtCore import QObject, QSocketNotifier

log = logging.getLogger("kiosk")

STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class SignalQuitter(QObject):
    """Owns the wake-up socket pair and the notifier; ``restore()`` undoes everything."""

    def __init__(self, app) -> None:
        super().__init__(app)
        self.app = app
        self.received: list[str] = []
        self._reader, self._writer = socket.socketpair()
        for end in (self._reader, self._writer):
            end.setblocking(False)
        self._previous_fd = signal.set_wakeup_fd(self._writer.fileno(), warn_on_full_buffer=False)
        self._previous = {sig: signal.signal(sig, self._handle) for sig in STOP_SIGNALS}
        self.notifier = QSocketNotifier(self._reader.fileno(), QSocketNotifier.Type.Read, self)
        self.notifier.activated.connect(self._drain)

    def _handle(self, signum, _frame) -> None:
        # Runs in the main thread, between two Python bytecodes: only record and ask to quit.
        name = signal.Signals(signum).name
        self.received.append(name)
        log.info("stopping on %s", name)
        self.app.exit(0)

    def _drain(self) -> None:
        # The bytes only woke the loop; the Python handler above has run by now.
        try:
            while self._reader.recv(64):
                pass
        except (BlockingIOError, InterruptedError):
            pass

    def restore(self) -> None:
        """Put the previous handlers and wake-up fd back (tests, and a second run)."""
        self.notifier.setEnabled(False)
        for sig, previous in self._previous.items():
            signal.signal(sig, previous)
        signal.set_wakeup_fd(self._previous_fd)
        self._reader.close()
        self._writer.close()


def quit_on_signals(app) -> SignalQuitter:
    """Make SIGTERM and SIGINT leave ``app.exec()`` with code 0 (see the module docstring)."""
    return SignalQuitter(app)
