"""Health: the Prometheus textfile, the heartbeat to the studio, and the fleet worker loop."""

from __future__ import annotations

import http.server
import json
import os
import threading
import time

import pytest
from prometheus_client.parser import text_string_to_metric_families

from kiosk import __version__
from kiosk.fleet import channel as ch
from kiosk.fleet.agent import FleetAgent, FleetConfigError
from kiosk.fleet.health import HealthSnapshot, heartbeat_payload, send_heartbeat, write_metrics
from kiosk.fleet.launch import FleetLauncher, FrameStats, wants_fleet
from kiosk.fleet.state import ContentIdentity
from kiosk.system.config import Settings


def samples(path) -> dict[str, list]:
    out: dict[str, list] = {}
    for family in text_string_to_metric_families(path.read_text()):
        for sample in family.samples:
            out.setdefault(sample.name, []).append(sample)
    return out


def snapshot(frames=None, serial=7, sha="ab" * 32, failures=2) -> HealthSnapshot:
    return HealthSnapshot(
        content=ContentIdentity(serial, sha),
        started_at=1_700_000_000.0,
        last_sync=1_700_000_100.0,
        sync_failures=failures,
        last_error="",
        frames=frames,
    )


def test_metrics_file_has_every_series_with_base_units_and_the_snapshot_labels(tmp_path):
    frames = FrameStats()
    frames.painted(1_700_000_200.5)
    frames.painted(1_700_000_201.0)
    frames.count_visits = lambda: 4
    path = write_metrics(tmp_path, snapshot(frames))
    got = samples(path)
    assert got["kiosk_up"][0].value == 1
    assert got["kiosk_start_time_seconds"][0].value == 1_700_000_000
    info = got["kiosk_content_snapshot_info"][0]
    assert info.labels == {"serial": "7", "sha256": "ab" * 32} and info.value == 1
    assert got["kiosk_content_last_sync_timestamp_seconds"][0].value == 1_700_000_100
    assert got["kiosk_content_sync_failures_total"][0].value == 2
    assert got["kiosk_last_frame_timestamp_seconds"][0].value == 1_700_000_201.0
    assert got["kiosk_frames_painted_total"][0].value == 2
    assert got["kiosk_visits_total"][0].value == 4
    assert [p.name for p in tmp_path.iterdir()] == ["kiosk.prom"]  # no temp file left


def test_a_local_edit_and_a_headless_follower_in_the_metrics(tmp_path):
    got = samples(write_metrics(tmp_path, snapshot(None, serial=None, sha=""), up=False))
    assert got["kiosk_content_snapshot_info"][0].labels == {"serial": "local edit", "sha256": ""}
    assert got["kiosk_up"][0].value == 0
    assert "kiosk_frames_painted_total" not in got


class Studio(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, status=204):
        super().__init__(("127.0.0.1", 0), _StudioHandler)
        self.status = status
        self.received: list[tuple[dict, dict]] = []

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class _StudioHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def do_POST(self):  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.server.received.append((dict(self.headers), json.loads(body), self.path))
        self.send_response(self.server.status)
        self.send_header("Content-Length", "0")
        self.end_headers()


@pytest.fixture
def studio():
    server = Studio()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield server
    server.shutdown()
    server.server_close()


def test_heartbeat_contract_with_the_studio(studio):
    frames = FrameStats()
    frames.painted(1_700_000_200.0)
    payload = heartbeat_payload("lobby-1", snapshot(frames), now=1_700_000_260.0)
    assert send_heartbeat(studio.url + "/", "tok-123", payload) == ""
    headers, body, path = studio.received[0]
    assert path == "/api/heartbeat"
    assert headers["Authorization"] == "Bearer tok-123"
    assert headers["Content-Type"] == "application/json"
    assert body == {
        "name": "lobby-1",
        "version": __version__,
        "serial": 7,
        "sha256": "ab" * 32,
        "last_frame": "2023-11-14T22:16:40Z",
        "last_error": "",
        "uptime_s": 260.0,
        "sent_at": "2023-11-14T22:17:40Z",
    }


def test_a_refused_heartbeat_says_what_to_check(studio):
    studio.status = 401
    problem = send_heartbeat(studio.url, "wrong", {"name": "x"})
    assert "HTTP 401" in problem and "studio_token" in problem
    assert "connection refused" in send_heartbeat("http://127.0.0.1:9", "t", {}).lower()


def test_the_worker_follows_writes_metrics_and_beats_then_reports_down(
    tmp_path, keys, contents, nginx_factory, studio
):
    channel = tmp_path / "channel"
    manifest = ch.publish(contents.make(33), channel, keys[0])
    server = nginx_factory(channel)
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    settings = Settings(
        channel_url=server.url,
        channel_public_key=keys[1].read_text().strip(),
        poll_seconds=1,
        kiosk_name="ops-centre",
        metrics_dir=str(metrics),
        studio_url=studio.url,
        studio_token="tok",
    )
    assert wants_fleet(settings)
    frames = FrameStats()
    launcher = FleetLauncher(settings, tmp_path / "kiosk" / "content.db", frames).start()
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            prom = metrics / "kiosk.prom"
            if studio.received and prom.exists():
                info = samples(prom)["kiosk_content_snapshot_info"][0].labels
                if info["serial"] == "1":
                    break
            time.sleep(0.05)
        else:
            pytest.fail("the worker never installed serial 1, wrote metrics and beat")
    finally:
        launcher.stop()
    assert not launcher.thread.is_alive()
    assert info == {"serial": "1", "sha256": manifest.sha256}
    assert samples(metrics / "kiosk.prom")["kiosk_up"][0].value == 0
    body = studio.received[-1][1]
    assert body["name"] == "ops-centre"
    assert body["serial"] in (1, "local edit")  # the first beat may precede the install


def test_the_default_metrics_folder_is_used_only_where_node_exporter_made_it(tmp_path):
    from kiosk.system.config import DEFAULTS

    agent = FleetAgent.from_settings(Settings(studio_url="http://s"), tmp_path / "c.db")
    expected = DEFAULTS.metrics_dir if os.path.isdir(DEFAULTS.metrics_dir) else None
    assert (str(agent.metrics_dir) if agent.metrics_dir else None) == expected
    named = FleetAgent.from_settings(Settings(metrics_dir=str(tmp_path / "m")), tmp_path / "c.db")
    assert named.metrics_dir == tmp_path / "m"  # named in kiosk.toml: kept, and warned about


def test_channel_url_without_a_key_is_one_clear_error(tmp_path):
    with pytest.raises(FleetConfigError, match="channel_public_key is empty"):
        FleetAgent.from_settings(Settings(channel_url="http://x/"), tmp_path / "c.db")
    assert not wants_fleet(Settings(metrics_dir=str(tmp_path / "absent")))
