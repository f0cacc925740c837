"""Content identity where people look: doctor's channel line, the log lines, the PIN pad."""

from __future__ import annotations

import sqlite3
import time

from kiosk.fleet import channel as ch
from kiosk.fleet.doctor import channel_status
from kiosk.fleet.follower import Follower
from kiosk.fleet.state import identity
from kiosk.system.config import Settings


def test_doctor_names_the_snapshot_and_compares_it_with_the_channel(
    tmp_path, keys, contents, nginx_factory
):
    channel = tmp_path / "channel"
    first = ch.publish(contents.make(1), channel, keys[0])
    server = nginx_factory(channel)
    db = tmp_path / "kiosk" / "content.db"
    db.parent.mkdir()
    pub = keys[1].read_text().strip()
    settings = Settings(channel_url=server.url, channel_public_key=pub)

    ok, detail, fix = channel_status(Settings(), db)
    assert ok and "not following a channel; content on screen: local edit" in detail

    ok, detail, fix = channel_status(settings, db)
    assert not ok and "channel has serial 1" in detail and "kiosk follow --once" in fix

    Follower(server.url, pub, db).round()
    ok, detail, _ = channel_status(settings, db)
    assert ok and f"showing serial 1 ({first.sha256[:12]}), the channel's current" in detail

    second = ch.publish(contents.make(2), channel, keys[0])
    ok, detail, _ = channel_status(settings, db)
    assert not ok and f"the channel has serial 2 ({second.sha256[:12]})" in detail

    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE sources SET note_en = 'edited here'")
    conn.close()
    ok, detail, fix = channel_status(settings, db)
    assert not ok and "local edit, not serial 1" in detail and "publish" in fix

    other_pub = ch.keygen(tmp_path / "other")[1].read_text().strip()
    ok, detail, _ = channel_status(
        Settings(channel_url=server.url, channel_public_key=other_pub), db
    )
    assert not ok and "signature does not match" in detail


def test_the_kiosk_names_its_content_in_the_log_and_on_the_pin_pad(
    tmp_path, keys, contents, nginx_factory, qtbot, caplog
):
    import logging

    from kiosk.ui.app import build_kiosk
    from kiosk.ui.lockdown import PinPad

    channel = tmp_path / "channel"
    ch.publish(contents.make(1), channel, keys[0])
    server = nginx_factory(channel)
    db = tmp_path / "kiosk" / "content.db"
    db.parent.mkdir()
    pub = keys[1].read_text().strip()
    follower = Follower(server.url, pub, db)
    assert follower.round().kind == "installed"
    kiosk = build_kiosk(Settings(db_path=str(db)), windowed=True, size=(640, 360))
    qtbot.addWidget(kiosk.window)
    second = ch.publish(contents.make(2), channel, keys[0])
    assert follower.round().kind == "installed"
    with caplog.at_level(logging.INFO, logger="kiosk"):
        assert kiosk.poll_content()
    assert f"content changed (serial 2 ({second.sha256[:12]}))" in caplog.text
    assert identity(db).serial == 2

    pad = PinPad(kiosk.window, lambda pin: None)
    pad.describe = lambda: "kiosk 0.2.0 · serial 2 (abc)"
    pad.open_pad()
    assert pad.info.text() == "kiosk 0.2.0 · serial 2 (abc)"


def test_the_running_kiosk_counts_frames_and_visits_into_its_metrics(
    tmp_path, keys, contents, nginx_factory, qtbot
):
    from prometheus_client.parser import text_string_to_metric_families

    from kiosk.ui.app import build_kiosk
    from kiosk.ui.fleet_hook import attach_fleet

    channel = tmp_path / "channel"
    manifest = ch.publish(contents.make(1), channel, keys[0])
    server = nginx_factory(channel)
    metrics = tmp_path / "metrics"
    metrics.mkdir()
    db = tmp_path / "kiosk" / "content.db"
    db.parent.mkdir()
    settings = Settings(
        db_path=str(db),
        channel_url=server.url,
        channel_public_key=keys[1].read_text().strip(),
        poll_seconds=1,
        metrics_dir=str(metrics),
    )
    kiosk = build_kiosk(settings, windowed=True, size=(640, 360))
    qtbot.addWidget(kiosk.window)
    kiosk.window.show()
    kiosk.slideshow.start()
    launcher = attach_fleet(kiosk)
    try:
        qtbot.waitUntil(lambda: launcher.frames.frames > 0, timeout=10000)
        # The first content arrives through the channel, then a visitor wakes the kiosk.
        qtbot.waitUntil(lambda: identity(db).serial == 1, timeout=15000)
        assert kiosk.poll_content()
        kiosk.visitor.touch()
        assert launcher.frames.count_visits() == 1

        def reported() -> dict:
            path = metrics / "kiosk.prom"
            if not path.exists():
                return {}
            families = text_string_to_metric_families(path.read_text())
            return {s.name: s for f in families for s in f.samples}

        qtbot.waitUntil(
            lambda: (
                reported().get("kiosk_visits_total")
                and reported()["kiosk_visits_total"].value == 1
                and reported()["kiosk_content_snapshot_info"].labels["serial"] == "1"
            ),
            timeout=15000,
        )
        got = reported()
        assert got["kiosk_frames_painted_total"].value > 0
        assert got["kiosk_last_frame_timestamp_seconds"].value > time.time() - 60
        assert got["kiosk_content_snapshot_info"].labels["sha256"] == manifest.sha256
    finally:
        launcher.stop()
    assert not launcher.thread.is_alive()
