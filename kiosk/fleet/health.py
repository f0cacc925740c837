"""Health: Prometheus textfile metrics and the heartbeat to the studio.

``FrameStats`` (kiosk.fleet.launch) is filled by the UI: a counter and a time per painted
frame, in memory. The fleet's worker thread reads it, writes ``kiosk.prom`` into
node_exporter's textfile folder with prometheus_client's ``write_to_textfile`` (a temporary
file renamed into place), and POSTs the heartbeat. Nothing here runs on the GUI thread or
listens on a port.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from prometheus_client import CollectorRegistry, write_to_textfile
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, InfoMetricFamily

from kiosk import __version__
from kiosk.fleet.launch import FrameStats
from kiosk.fleet.state import ContentIdentity

log = logging.getLogger("kiosk.fleet")

METRICS_FILE = "kiosk.prom"


@dataclass(frozen=True)
class HealthSnapshot:
    """Everything the metrics and the heartbeat report, read at one moment."""

    content: ContentIdentity
    started_at: float
    last_sync: float | None
    sync_failures: int
    last_error: str
    frames: FrameStats | None  # None: no screen (``kiosk follow``)


def iso_utc(timestamp: float | None) -> str | None:
    if timestamp is None:
        return None
    moment = dt.datetime.fromtimestamp(timestamp, dt.UTC).replace(microsecond=0)
    return moment.isoformat().replace("+00:00", "Z")


class _Collector:
    def __init__(self, health: HealthSnapshot, up: bool) -> None:
        self.health, self.up = health, up

    def collect(self):
        h = self.health
        yield GaugeMetricFamily("kiosk_up", "1 while the kiosk runs", value=1 if self.up else 0)
        yield GaugeMetricFamily(
            "kiosk_start_time_seconds", "When the kiosk process started", value=h.started_at
        )
        info = InfoMetricFamily("kiosk_content_snapshot", "The content snapshot on screen")
        serial = "local edit" if h.content.serial is None else str(h.content.serial)
        info.add_metric([], {"serial": serial, "sha256": h.content.sha256})
        yield info
        if h.last_sync is not None:
            yield GaugeMetricFamily(
                "kiosk_content_last_sync_timestamp_seconds",
                "When the channel was last checked successfully",
                value=h.last_sync,
            )
        yield CounterMetricFamily(
            "kiosk_content_sync_failures",
            "Channel checks that failed since the kiosk started",
            value=h.sync_failures,
        )
        if h.frames is not None:
            if h.frames.last_frame is not None:
                yield GaugeMetricFamily(
                    "kiosk_last_frame_timestamp_seconds",
                    "When a frame was last painted (a frozen screen stops it)",
                    value=h.frames.last_frame,
                )
            yield CounterMetricFamily(
                "kiosk_frames_painted", "Frames painted since start", value=h.frames.frames
            )
            yield CounterMetricFamily(
                "kiosk_visits", "Visitor sessions since start", value=h.frames.count_visits()
            )


def write_metrics(folder, health: HealthSnapshot, up: bool = True) -> Path:
    """Write ``kiosk.prom`` atomically into ``folder``; returns its path."""
    registry = CollectorRegistry(auto_describe=False)
    registry.register(_Collector(health, up))
    path = Path(folder) / METRICS_FILE
    write_to_textfile(str(path), registry)
    return path


def heartbeat_payload(name: str, health: HealthSnapshot, now: float | None = None) -> dict:
    now = time.time() if now is None else now
    frames = health.frames
    return {
        "name": name,
        "version": __version__,
        "serial": "local edit" if health.content.serial is None else health.content.serial,
        "sha256": health.content.sha256,
        "last_frame": iso_utc(frames.last_frame) if frames else None,
        "last_error": health.last_error,
        "uptime_s": round(now - health.started_at, 1),
        "sent_at": iso_utc(now),
    }


def send_heartbeat(studio_url: str, token: str, payload: dict, timeout_s: float = 10.0) -> str:
    """POST the heartbeat; "" on success (204), else one line saying what went wrong."""
    url = studio_url.rstrip("/") + "/api/heartbeat"
    request = urllib.request.Request(
        url,
        data=json.dumps(payload).encode("utf-8"),
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Authorization": f"Bearer {token}",
            "User-Agent": f"danang-kiosk/{__version__}",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=timeout_s) as reply:
            if reply.status != 204:
                return f"heartbeat to {url}: unexpected HTTP {reply.status}"
    except urllib.error.HTTPError as error:
        hint = " (check studio_token)" if error.code in (401, 403) else ""
        return f"heartbeat to {url}: HTTP {error.code} {error.reason}{hint}"
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return f"heartbeat to {url}: {reason}"
    return ""
