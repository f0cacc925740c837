"""The systemd watchdog heartbeat, sent from the GUI thread.

``start_watchdog(app)`` tells systemd the kiosk is ready (``READY=1``) and starts a ``QTimer``
on the GUI thread that sends ``WATCHDOG=1`` every half of ``WATCHDOG_USEC``. Because the timer
fires from the Qt event loop, a UI that hangs (a deadlock, an endless loop in a slot, a
SIGSTOP) stops the heartbeat and systemd restarts the unit; a heartbeat from a separate thread
would keep a frozen kiosk "alive" for ever.

Call it once the window is shown. Outside systemd it does nothing and returns None.
On quit it sends ``STOPPING=1`` so systemd does not count a staff exit as a failure.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from PySide6.QtCore import QCoreApplication, QObject, QTimer

from kiosk.system.sd_notify import Notifier, watchdog_interval_s

log = logging.getLogger(__name__)


class WatchdogPinger(QObject):
    """Owns the heartbeat timer; ``beat()`` is what the timer calls."""

    def __init__(self, notifier: Notifier, interval_s: float | None, parent: QObject) -> None:
        super().__init__(parent)
        self.notifier = notifier
        self.timer = QTimer(self)
        self.beats = 0
        self._stopped = False
        if interval_s:
            # Half the interval, as systemd's documentation recommends, so one late
            # timer tick (a long slide transition) does not trigger a restart.
            self.timer.setInterval(max(50, int(interval_s * 1000 / 2)))
            self.timer.timeout.connect(self.beat)

    def beat(self) -> None:
        if self.notifier.heartbeat():
            self.beats += 1

    def stop(self) -> None:
        if self._stopped:
            return
        self._stopped = True
        self.timer.stop()
        self.notifier.stopping()
        self.notifier.close()


def start_watchdog(
    app: QCoreApplication, env: Mapping[str, str] | None = None
) -> WatchdogPinger | None:
    """Send READY=1 and start heartbeats; None when not run by systemd."""
    notifier = Notifier.from_env(env)
    if not notifier.enabled:
        log.info("not started by systemd (no NOTIFY_SOCKET): no watchdog heartbeat")
        return None
    interval = watchdog_interval_s(env)
    pinger = WatchdogPinger(notifier, interval, app)
    notifier.ready()
    if interval:
        pinger.beat()  # at once: start-up may have used much of the first interval
        pinger.timer.start()
        log.info("systemd watchdog: heartbeat every %.1f s", pinger.timer.interval() / 1000)
    else:
        log.warning("systemd notify socket but no WatchdogSec: a frozen UI will not be restarted")
    app.aboutToQuit.connect(pinger.stop)
    return pinger
