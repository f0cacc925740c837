"""systemd's notify protocol (sd_notify) in plain Python, no dependency.

Under a ``Type=notify`` unit systemd passes ``NOTIFY_SOCKET`` (a unix datagram socket path,
or ``@name`` for an abstract socket) and, with ``WatchdogSec=``, ``WATCHDOG_USEC``. The app
sends ``READY=1`` once its window is up and ``WATCHDOG=1`` at least every WATCHDOG_USEC; if
the heartbeats stop, systemd kills the process (SIGABRT) and ``Restart=always`` starts it again.
The Qt side (``kiosk/ui/watchdog_pinger.py``) sends the heartbeat from a timer on the GUI
thread, so a frozen event loop stops the heartbeat, not only a dead process.

Outside systemd (a developer's desktop, tests) ``NOTIFY_SOCKET`` is unset and every call is a
no-op that returns False.

Public API: ``Notifier`` (``from_env``, ``send``, ``ready``, ``heartbeat``, ``status``,
``stopping``), ``watchdog_interval_s``, ``socket_address``.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger(__name__)


def socket_address(value: str) -> str | bytes | None:
    """The address to send to for a NOTIFY_SOCKET value, or None if unusable.

    ``@name`` is Linux's abstract namespace (a leading NUL byte); ``/path`` is a file
    socket. Other forms (``vsock:``, relative paths) are not used for a local unit.
    """
    if not value:
        return None
    if value.startswith("@"):
        return b"\0" + value[1:].encode()
    if value.startswith("/"):
        return value
    return None


def watchdog_interval_s(env: Mapping[str, str] | None = None) -> float | None:
    """Seconds within which systemd expects a heartbeat, or None if no watchdog is set.

    ``WATCHDOG_PID`` is deliberately not required to be our PID (libsystemd's
    ``sd_watchdog_enabled`` would say "not for you"): under cage the unit's main process is
    the cage wrapper and the kiosk is its child, and the kiosk's GUI thread is the only thing
    whose liveness matters. ``NotifyAccess=all`` in the units lets systemd accept it.
    """
    env = os.environ if env is None else env
    raw = env.get("WATCHDOG_USEC", "")
    owner = env.get("WATCHDOG_PID", "").strip()
    if owner and owner != str(os.getpid()):
        log.debug("WATCHDOG_PID=%s is our ancestor (cage); sending the heartbeat anyway", owner)
    try:
        usec = int(raw)
    except ValueError:
        return None
    return usec / 1_000_000 if usec > 0 else None


class Notifier:
    """Sends notify messages to one socket; every failure is logged once, never raised."""

    def __init__(self, address: str | bytes | None) -> None:
        self.address = address
        self._sock: socket.socket | None = None
        self._warned = False

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Notifier:
        env = os.environ if env is None else env
        raw = env.get("NOTIFY_SOCKET", "")
        address = socket_address(raw)
        if raw and address is None:
            log.warning("NOTIFY_SOCKET=%r is not a unix socket path; systemd will not be told", raw)
        return cls(address)

    @property
    def enabled(self) -> bool:
        return self.address is not None

    def send(self, message: str) -> bool:
        """Send one datagram; True if it was sent."""
        if self.address is None:
            return False
        try:
            if self._sock is None:
                self._sock = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC)
            self._sock.sendto(message.encode(), self.address)
        except OSError as error:
            # A missing socket must not take the kiosk down; systemd will restart us if
            # it really is waiting for heartbeats.
            if not self._warned:
                log.warning("sd_notify %r failed: %s", message, error)
                self._warned = True
            return False
        return True

    def ready(self) -> bool:
        return self.send("READY=1")

    def heartbeat(self) -> bool:
        return self.send("WATCHDOG=1")

    def status(self, text: str) -> bool:
        return self.send(f"STATUS={text.replace(chr(10), ' ')}")

    def stopping(self) -> bool:
        return self.send("STOPPING=1")

    def close(self) -> None:
        if self._sock is not None:
            self._sock.close()
            self._sock = None


def _heartbeat_main() -> None:  # pragma: no cover - exercised through a subprocess in tests
    """``python -m kiosk.system.sd_notify PERIOD``: send READY then WATCHDOG=1 every PERIOD seconds.

    A stand-in for the GUI loop, used by the test that freezes a process with SIGSTOP and
    watches its heartbeats stop.
    """
    import sys
    import time

    period = float(sys.argv[1]) if len(sys.argv) > 1 else 0.05
    notifier = Notifier.from_env()
    notifier.ready()
    while True:
        notifier.heartbeat()
        time.sleep(period)


if __name__ == "__main__":  # pragma: no cover
    _heartbeat_main()
