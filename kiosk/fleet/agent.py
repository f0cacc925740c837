"""The fleet's worker: follows the channel, writes metrics, sends heartbeats, in one thread.

The running kiosk starts it after its first frame (``kiosk.ui.fleet_hook``); ``kiosk
follow`` runs it without a screen. It only makes outbound requests and never blocks the
GUI thread: the slideshow notices an installed snapshot through its ContentSource.
"""

from __future__ import annotations

import logging
import signal
import socket
import threading
import time
from pathlib import Path

from kiosk.fleet.follower import Follower
from kiosk.fleet.health import (
    HealthSnapshot,
    heartbeat_payload,
    send_heartbeat,
    write_metrics,
)
from kiosk.fleet.launch import FrameStats
from kiosk.fleet.manifest import ChannelError
from kiosk.fleet.state import identity, load_state
from kiosk.system.config import DEFAULTS

log = logging.getLogger("kiosk.fleet")

METRICS_EVERY_S = 15.0
HEARTBEAT_EVERY_S = 60.0


class FleetConfigError(Exception):
    """The fleet settings cannot work; one line naming the key to fix."""


class FleetAgent:
    """Channel follower + metrics + heartbeat for one kiosk (each part optional)."""

    def __init__(
        self,
        db_path,
        *,
        follower: Follower | None = None,
        name: str = "",
        metrics_dir: str = "",
        studio_url: str = "",
        studio_token: str = "",
        frames: FrameStats | None = None,
        monotonic=time.monotonic,
    ) -> None:
        self.db_path = Path(db_path)
        self.follower = follower
        self.name = name or socket.gethostname()
        self.metrics_dir = Path(metrics_dir) if metrics_dir else None
        self.studio_url, self.studio_token = studio_url, studio_token
        self.frames = frames
        self.monotonic = monotonic
        self.started_at = time.time()
        self.stop_event = threading.Event()
        self._metrics_problem = ""
        self._heartbeat_problem = ""

    @classmethod
    def from_settings(
        cls, settings, db_path, *, frames: FrameStats | None = None, require_channel=False
    ) -> FleetAgent:
        """The agent the config asks for; FleetConfigError if the channel keys do not fit."""
        follower = None
        if settings.channel_url:
            if not settings.channel_public_key:
                raise FleetConfigError(
                    "channel_url is set but channel_public_key is empty; paste the line "
                    "from the channel's channel.pub into kiosk.toml"
                )
            try:
                follower = Follower(
                    settings.channel_url,
                    settings.channel_public_key,
                    db_path,
                    poll_seconds=settings.poll_seconds,
                )
            except ChannelError as error:
                raise FleetConfigError(str(error)) from None
        elif require_channel:
            raise FleetConfigError(
                "no channel_url in the [kiosk] table of kiosk.toml; nothing to follow"
            )
        metrics_dir = settings.metrics_dir
        if metrics_dir == DEFAULTS.metrics_dir and not Path(metrics_dir).is_dir():
            # node_exporter is not installed here: no metrics, and nothing to warn about
            # (a folder named in kiosk.toml that is missing is warned about).
            metrics_dir = ""
        return cls(
            db_path,
            follower=follower,
            name=settings.kiosk_name,
            metrics_dir=metrics_dir,
            studio_url=settings.studio_url,
            studio_token=settings.studio_token,
            frames=frames,
        )

    @property
    def has_work(self) -> bool:
        return bool(self.follower or self.studio_url or self._metrics_folder_ok())

    def _metrics_folder_ok(self) -> bool:
        return self.metrics_dir is not None and self.metrics_dir.is_dir()

    # -- health ----------------------------------------------------------------------
    def health(self) -> HealthSnapshot:
        f = self.follower
        last_sync = f.last_sync if f else None
        if last_sync is None and f is not None:
            state = load_state(self.db_path)
            last_sync = state.installed_at if state else None
        return HealthSnapshot(
            content=identity(self.db_path),
            started_at=self.started_at,
            last_sync=last_sync,
            sync_failures=f.failures_total if f else 0,
            last_error=f.last_error if f else "",
            frames=self.frames,
        )

    def write_metrics(self, up: bool = True) -> None:
        if self.metrics_dir is None:
            return
        problem = ""
        if not self.metrics_dir.is_dir():
            problem = f"metrics: folder {self.metrics_dir} does not exist; no metrics written"
        else:
            try:
                write_metrics(self.metrics_dir, self.health(), up=up)
            except OSError as error:
                problem = f"metrics: cannot write into {self.metrics_dir} ({error.strerror})"
        if problem != self._metrics_problem and problem:
            log.warning("%s", problem)
        self._metrics_problem = problem

    def beat(self) -> None:
        if not self.studio_url:
            return
        payload = heartbeat_payload(self.name, self.health())
        problem = send_heartbeat(self.studio_url, self.studio_token, payload)
        if problem and problem != self._heartbeat_problem:
            log.warning("%s", problem)
        elif not problem and self._heartbeat_problem:
            log.info("heartbeat to %s works again", self.studio_url)
        self._heartbeat_problem = problem

    # -- the loop --------------------------------------------------------------------
    def run(self) -> None:
        """Until ``stop_event`` is set: channel rounds, metrics, heartbeats when each is due."""
        if self.follower is not None:
            log.info(
                "following the content channel %s every %g s; showing %s",
                self.follower.url,
                self.follower.poll_seconds,
                identity(self.db_path).label,
            )
        now = self.monotonic()
        next_poll = next_metrics = next_beat = now
        while not self.stop_event.is_set():
            now = self.monotonic()
            if self.follower is not None and now >= next_poll:
                self.follower.round()
                next_poll = self.monotonic() + self.follower.next_delay()
                next_metrics = now  # report a sync at once
            if now >= next_metrics:
                self.write_metrics()
                next_metrics = now + METRICS_EVERY_S
            if self.studio_url and now >= next_beat:
                self.beat()
                next_beat = now + HEARTBEAT_EVERY_S
            dues = [next_metrics] + ([next_poll] if self.follower else [])
            dues += [next_beat] if self.studio_url else []
            self.stop_event.wait(max(0.05, min(dues) - self.monotonic()))
        self.write_metrics(up=False)

    def run_until_signalled(self) -> None:
        """Run in this thread until SIGTERM or SIGINT (``kiosk follow``)."""
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, lambda *_: self.stop_event.set())
        self.run()
