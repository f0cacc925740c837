"""What the GUI thread needs from the fleet, cheap to import: frame counts and a launcher.

``FleetLauncher`` builds and runs the ``FleetAgent`` inside its worker thread, so even the
imports (PyNaCl, prometheus_client, urllib) stay off the GUI thread.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path

log = logging.getLogger("kiosk.fleet")


class FrameStats:
    """Frames painted (counted by the UI; plain attributes, the GIL suffices) and visits."""

    def __init__(self) -> None:
        self.frames = 0
        self.last_frame: float | None = None  # wall-clock time of the last painted frame
        # The UI sets this to read its visit counter.
        self.count_visits: Callable[[], int] = lambda: 0

    def painted(self, now: float | None = None) -> None:
        self.frames += 1
        self.last_frame = time.time() if now is None else now


def wants_fleet(settings) -> bool:
    """True when the config asks for a channel, a heartbeat or metrics (folder present)."""
    metrics = settings.metrics_dir and Path(settings.metrics_dir).is_dir()
    return bool(settings.channel_url or settings.studio_url or metrics)


class FleetLauncher:
    """Runs the fleet worker for a kiosk in a daemon thread; ``stop`` ends it."""

    def __init__(self, settings, db_path, frames: FrameStats | None = None) -> None:
        self.settings, self.db_path, self.frames = settings, Path(db_path), frames
        self.agent = None
        self._stopped = threading.Event()
        # Daemon: a download stuck in a read must never keep the kiosk from exiting.
        self.thread = threading.Thread(target=self._main, name="fleet", daemon=True)

    def start(self) -> FleetLauncher:
        self.thread.start()
        return self

    def _main(self) -> None:
        from kiosk.fleet.agent import FleetAgent, FleetConfigError

        try:
            agent = FleetAgent.from_settings(self.settings, self.db_path, frames=self.frames)
        except FleetConfigError as error:
            log.error("fleet: %s", error)
            return
        agent.stop_event = self._stopped  # a stop before this point still counts
        self.agent = agent
        try:
            agent.run()
        except Exception:  # noqa: BLE001 - logged; the screen goes on without the fleet
            log.exception("fleet worker stopped")

    def stop(self, timeout_s: float = 2.0) -> None:
        self._stopped.set()
        self.thread.join(timeout_s)
