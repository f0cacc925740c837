"""The follower against a real nginx: installs, 304s, resume, and every fault it must survive.

Each fault test follows one pattern: serial 1 is installed; the fault is served; the round
fails with exactly one log line, the DB is byte-for-byte what it was, nothing partial is
beside it; then a good publish is installed by the next round.
"""

from __future__ import annotations

import errno
import hashlib
import logging
import os
import shutil
import time

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.fleet import channel as ch
from kiosk.fleet.follower import Follower
from kiosk.fleet.manifest import Manifest
from kiosk.fleet.state import identity, load_state, state_dir

YEAR_S = 365 * 24 * 3600


class Rig:
    """One channel served by nginx, one kiosk DB following it."""

    def __init__(self, tmp_path, keys, contents, nginx_factory, helpers):
        self.channel = tmp_path / "channel"
        self.channel.mkdir()
        self.key_path, self.pub_path = keys
        self.contents, self.h = contents, helpers
        self.nginx = nginx_factory(self.channel)
        self.db = tmp_path / "kiosk" / "content.db"
        self.db.parent.mkdir()
        self.value = 10.0

    @property
    def public_key(self) -> str:
        return self.pub_path.read_text().strip()

    def follower(self, url: str | None = None, **kwargs) -> Follower:
        return Follower(url or self.nginx.url, self.public_key, self.db, **kwargs)

    def publish(self, value: float | None = None) -> Manifest:
        self.value = value if value is not None else self.value + 1
        return ch.publish(self.contents.make(self.value), self.channel, self.key_path)

    def db_bytes(self) -> bytes:
        return self.db.read_bytes()

    def leftovers(self) -> list[str]:
        return [p.name for p in self.db.parent.iterdir() if ".incoming" in p.name]


@pytest.fixture
def rig(tmp_path, keys, contents, nginx_factory, helpers):
    return Rig(tmp_path, keys, contents, nginx_factory, helpers)


@pytest.fixture
def installed(rig):
    """Serial 1 installed into the kiosk's DB."""
    first = rig.publish(50)
    outcome = rig.follower().round()
    assert outcome.kind == "installed", outcome.message
    assert rig.h.db_value(rig.db) == 50
    return first


def fleet_warnings(caplog) -> list[str]:
    return [
        r.getMessage()
        for r in caplog.records
        if r.name == "kiosk.fleet" and r.levelno >= logging.WARNING
    ]


def survives(rig, caplog, follower: Follower, expect: str, *, kept_serial: int = 1):
    """The round fails with one line naming ``expect``; nothing on the kiosk changed."""
    before = rig.db_bytes()
    caplog.clear()
    with caplog.at_level(logging.DEBUG, logger="kiosk.fleet"):
        outcome = follower.round()
    assert outcome.kind == "failed"
    lines = fleet_warnings(caplog)
    assert len(lines) == 1, lines
    assert expect in lines[0], lines[0]
    assert f"keeping serial {kept_serial} (" in lines[0]
    assert "\n" not in lines[0]
    assert rig.db_bytes() == before
    assert rig.leftovers() == []
    assert identity(rig.db).serial == kept_serial
    return outcome


def next_good_publish_installs(rig, follower: Follower | None = None) -> None:
    manifest = rig.publish(rig.value + 100)
    outcome = (follower or rig.follower()).round()
    assert outcome.kind == "installed", outcome.message
    assert rig.h.db_value(rig.db) == rig.value
    assert identity(rig.db).serial == manifest.serial
    assert (
        hashlib.sha256(
            (state_dir(rig.db) / "snapshots" / f"{manifest.sha256}.db").read_bytes()
        ).hexdigest()
        == manifest.sha256
    )


# -- the normal path -----------------------------------------------------------------------


def test_first_round_installs_then_every_poll_is_a_304(rig, installed, caplog):
    follower = rig.follower()
    with caplog.at_level(logging.DEBUG, logger="kiosk.fleet"):
        for _ in range(3):
            assert follower.round().kind == "current"
    manifest_polls = [r for r in rig.nginx.requests() if r[1] == "/manifest.json"]
    assert [r[2] for r in manifest_polls] == [200, 304, 304, 304]
    state = load_state(rig.db)
    assert state.manifest == installed and state.etag
    assert identity(rig.db).label == f"serial 1 ({installed.sha256[:12]})"
    assert any("serial 1 (" in m and "is current" in m for m in caplog.messages)


def test_a_new_publish_is_installed_and_logged_once_naming_serial_and_hash(rig, installed, caplog):
    second = rig.publish(60)
    with caplog.at_level(logging.INFO, logger="kiosk.fleet"):
        outcome = rig.follower().round()
    assert outcome.kind == "installed" and outcome.fetched == second.bytes
    assert rig.h.db_value(rig.db) == 60
    lines = [r.getMessage() for r in caplog.records if r.name == "kiosk.fleet"]
    assert lines == [outcome.message]
    assert f"serial 2 ({second.sha256[:12]})" in lines[0]


def test_the_last_three_snapshots_are_kept_and_a_rollback_needs_no_download(rig, installed):
    follower = rig.follower()
    published = [installed]
    for value in (61, 62, 63):
        published.append(rig.publish(value))
        assert follower.round().kind == "installed"
    kept = sorted(p.stem for p in (state_dir(rig.db) / "snapshots").glob("*.db"))
    assert kept == sorted(m.sha256 for m in published[1:])
    back = ch.rollback(rig.channel, published[2].serial, rig.key_path)
    outcome = follower.round()
    assert outcome.kind == "installed" and outcome.fetched == 0
    assert rig.h.db_value(rig.db) == 62
    assert identity(rig.db).serial == back.serial


def test_a_local_edit_is_named_as_such(rig, installed):
    import sqlite3

    from kiosk.store import migrate_db

    # A package upgrade runs `kiosk db migrate`: the file changes (WAL mode), not the rows.
    migrate_db(rig.db)
    assert rig.db.read_bytes()[18:20] == b"\x02\x02"
    assert identity(rig.db).serial == installed.serial
    conn = sqlite3.connect(rig.db)
    with conn:
        conn.execute("UPDATE indicators SET value = 1")
    conn.close()
    assert identity(rig.db).label == "local edit"


def test_an_older_schema_is_migrated_before_install(rig, installed, helpers):
    import sqlite3

    old = rig.contents.make(77)
    conn = sqlite3.connect(old)
    with conn:
        conn.execute("DELETE FROM _sqlite_migrations WHERE name != '0001_content_tables'")
        conn.execute("DROP TABLE images")
        conn.execute("PRAGMA user_version = 1")
    conn.close()
    manifest = helpers.publish_raw(rig.channel, rig.key_path, old, schema=1)
    outcome = rig.follower().round()
    assert outcome.kind == "installed", outcome.message
    assert (
        "migrated (0002_timeline_indexes, 0003_categories_and_showing, 0004_milestone_images)"
        in outcome.message
    )
    assert rig.h.db_value(rig.db) == 77
    assert identity(rig.db).serial == manifest.serial  # installed as the snapshot, migrated


# -- faults --------------------------------------------------------------------------------


def test_server_down(rig, installed, caplog):
    follower = rig.follower("http://127.0.0.1:9/", timeout_s=2)
    survives(rig, caplog, follower, "connection refused")
    next_good_publish_installs(rig)


@pytest.mark.parametrize(
    ("prefix", "status"), [("missing/", 404), ("status500/", 500), ("status503/", 503)]
)
def test_http_errors(rig, installed, caplog, prefix, status):
    survives(rig, caplog, rig.follower(rig.nginx.url + prefix), f"HTTP {status}")
    next_good_publish_installs(rig)


def test_a_transfer_cut_half_way_resumes_with_range(rig, installed, caplog, fault_server_factory):
    server = fault_server_factory(rig.channel)
    follower = rig.follower(server.url)
    second = rig.publish(70)
    server.fault = {"cut_after": second.bytes // 2}
    survives(rig, caplog, follower, "cut at")
    outcome = follower.round()
    assert outcome.kind == "installed", outcome.message
    assert server.ranges[-1] == f"bytes={second.bytes // 2}-"
    assert outcome.fetched == second.bytes - second.bytes // 2
    assert rig.h.db_value(rig.db) == 70
    next_good_publish_installs(rig, follower)


def test_a_very_slow_transfer_gives_up_at_the_deadline_and_resumes(
    rig, installed, caplog, fault_server_factory
):
    server = fault_server_factory(rig.channel)
    follower = rig.follower(server.url, deadline_s=0.3, timeout_s=2)
    rig.publish(71)
    server.fault = {"trickle": (4096, 0.05)}
    survives(rig, caplog, follower, "too slow")
    server.fault = {}
    outcome = follower.round()
    assert outcome.kind == "installed", outcome.message
    assert server.ranges[-1].startswith("bytes=") and server.ranges[-1] != "bytes=0-"
    next_good_publish_installs(rig, follower)


def test_a_stalled_transfer_times_out(rig, installed, caplog, fault_server_factory):
    server = fault_server_factory(rig.channel)
    follower = rig.follower(server.url, timeout_s=0.5)
    rig.publish(72)
    server.fault = {"trickle": (1024, 3.0)}
    survives(rig, caplog, follower, "no answer in time")
    server.fault = {}
    next_good_publish_installs(rig, follower)


def test_one_flipped_byte_in_the_snapshot(rig, installed, caplog):
    second = rig.publish(73)
    path = rig.channel / second.snapshot_path
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    survives(rig, caplog, rig.follower(), "does not match the manifest's SHA-256")
    assert not list((state_dir(rig.db) / "download").glob("*.part"))
    next_good_publish_installs(rig)


def test_a_wrong_signature(rig, installed, caplog):
    rig.publish(74)
    sig = rig.channel / "manifest.json.sig"
    sig.write_text("A" * 86 + "==\n")
    survives(rig, caplog, rig.follower(), "signature does not match")
    next_good_publish_installs(rig)


def test_a_manifest_signed_by_another_key(rig, installed, caplog, tmp_path, helpers):
    other_key, _ = ch.keygen(tmp_path / "intruder")
    bad = helpers.publish_raw(rig.channel, other_key, rig.contents.make(75))
    survives(rig, caplog, rig.follower(), "signature does not match")
    assert bad.serial == 2
    next_good_publish_installs(rig)


def test_a_replayed_older_manifest(rig, installed, caplog):
    old_manifest = (rig.channel / "manifest.json").read_bytes()
    old_sig = (rig.channel / "manifest.json.sig").read_bytes()
    rig.publish(76)
    follower = rig.follower()
    assert follower.round().kind == "installed"
    later = ch._next_mtime(rig.channel / "manifest.json")  # a new ETag, as a replay has
    (rig.channel / "manifest.json").write_bytes(old_manifest)
    os.utime(rig.channel / "manifest.json", (later, later))
    (rig.channel / "manifest.json.sig").write_bytes(old_sig)
    survives(rig, caplog, follower, "older than the installed serial 2", kept_serial=2)
    # The next good publish (serial 3: the channel's history knows serial 2).
    next_good_publish_installs(rig, follower)


def test_a_manifest_naming_a_missing_file(rig, installed, caplog):
    second = rig.publish(77)
    (rig.channel / second.snapshot_path).unlink()
    survives(rig, caplog, rig.follower(), "HTTP 404")
    next_good_publish_installs(rig)


def test_a_snapshot_with_a_future_schema(rig, installed, caplog, helpers):
    import sqlite3

    future = rig.contents.make(78)
    conn = sqlite3.connect(future)
    with conn:
        conn.execute(
            "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
            "VALUES ('kiosk_content', '0099_x', '')"
        )
    conn.close()
    helpers.publish_raw(rig.channel, rig.key_path, future, schema=99)
    survives(rig, caplog, rig.follower(), "newer than this kiosk")
    # Even when the manifest lies about the schema, the file itself is checked.
    helpers.publish_raw(rig.channel, rig.key_path, future, schema=2)
    survives(rig, caplog, rig.follower(), "newer kiosk version")
    next_good_publish_installs(rig)


def test_valid_sqlite_that_fails_content_validation(rig, installed, caplog, helpers):
    bad = rig.contents.make(-5)
    helpers.publish_raw(rig.channel, rig.key_path, bad)
    follower = rig.follower()
    survives(rig, caplog, follower, "content check failed")
    fetched_before = len([r for r in rig.nginx.requests() if r[1].endswith(".db")])
    survives(rig, caplog, follower, "content check failed")  # refused again, not fetched again
    assert len([r for r in rig.nginx.requests() if r[1].endswith(".db")]) == fetched_before
    next_good_publish_installs(rig, follower)


def test_a_snapshot_that_is_not_sqlite(rig, installed, caplog, helpers, tmp_path):
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"\x00garbage" * 500)
    helpers.publish_raw(rig.channel, rig.key_path, junk)
    survives(rig, caplog, rig.follower(), "not a valid content DB")
    next_good_publish_installs(rig)


def test_a_full_disk(rig, installed, caplog):
    rig.publish(79)

    def full(handle, chunk):
        raise OSError(errno.ENOSPC, "No space left on device")

    survives(rig, caplog, rig.follower(write_chunk=full), "No space left on device")
    next_good_publish_installs(rig)


def test_a_full_disk_while_copying_beside_the_db(rig, installed, caplog, monkeypatch):
    rig.publish(80)
    import kiosk.fleet.follower as follower_module

    def full(src, dst, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    real_copyfile = shutil.copyfile
    monkeypatch.setattr(follower_module.shutil, "copyfile", full)
    survives(rig, caplog, rig.follower(), "No space left on device")
    monkeypatch.setattr(follower_module.shutil, "copyfile", real_copyfile)
    next_good_publish_installs(rig)


def test_the_clock_a_year_back(rig, installed, caplog, monkeypatch):
    # The kiosk's clock a year behind: a manifest "from the future" is still installed
    # (order comes from the serial, never from time), and so is a publisher's.
    follower = rig.follower(wall_clock=lambda: time.time() - YEAR_S)
    real_now = ch._now_utc
    monkeypatch.setattr(ch, "_now_utc", lambda: "2025-12-01T00:00:00Z")
    back = rig.publish(81)
    assert back.serial == 2 and back.published_at.startswith("2025")
    outcome = follower.round()
    assert outcome.kind == "installed", outcome.message
    assert follower.last_sync < time.time() - YEAR_S + 60
    monkeypatch.setattr(ch, "_now_utc", real_now)
    next_good_publish_installs(rig, follower)


# -- backoff and the command line -----------------------------------------------------------


def test_polls_are_jittered_and_failures_back_off_exponentially(rig):
    import random

    follower = rig.follower("http://127.0.0.1:9/", poll_seconds=10, timeout_s=1)
    follower.rng = random.Random(1)
    normal = [follower.next_delay() for _ in range(50)]
    assert all(8 <= d <= 12 for d in normal) and len(set(normal)) > 40
    ceilings = []
    for _ in range(7):
        follower.round()
        ceilings.append(max(follower.next_delay() for _ in range(50)))
    assert ceilings[0] <= 20 < ceilings[2] <= 80 < ceilings[5] <= 320
    assert follower.consecutive_failures == 7 and follower.failures_total == 7
    follower.url = rig.nginx.url
    rig.publish(1)
    assert follower.round().ok and follower.consecutive_failures == 0


def test_kiosk_follow_once(rig, tmp_path):
    config = tmp_path / "kiosk.toml"
    config.write_text(
        f'[kiosk]\nchannel_url = "{rig.nginx.url}"\n'
        f'channel_public_key = "{rig.public_key}"\nmetrics_dir = ""\n'
    )
    runner = CliRunner()
    args = ["follow", "--once", "--config", str(config), "--db", str(rig.db)]
    result = runner.invoke(cli, args)
    assert result.exit_code == 1
    assert result.output.count("\n") == 1 and "HTTP 404" in result.output
    manifest = rig.publish(5)
    result = runner.invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert f"installed serial {manifest.serial} ({manifest.sha256[:12]})" in result.output
    result = runner.invoke(cli, args)
    assert result.exit_code == 0 and "is current" in result.output
    config.write_text(f'[kiosk]\nchannel_url = "{rig.nginx.url}"\n')
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "channel_public_key is empty" in result.output


def test_a_rename_that_fails_keeps_the_old_content_and_its_record(
    rig, installed, caplog, monkeypatch
):
    import kiosk.store.snapshot as snapshot_module

    rig.publish(82)

    def refuse(new_file, db_path):
        raise PermissionError(errno.EACCES, "Permission denied")

    real = snapshot_module.install_snapshot
    monkeypatch.setattr(snapshot_module, "install_snapshot", refuse)
    survives(rig, caplog, rig.follower(), "Permission denied")
    assert load_state(rig.db).manifest == installed
    monkeypatch.setattr(snapshot_module, "install_snapshot", real)
    next_good_publish_installs(rig)


def test_a_full_disk_while_recording_the_install(rig, installed, caplog, monkeypatch):
    import kiosk.fleet.follower as follower_module

    rig.publish(83)
    real_save = follower_module.save_state

    def full(db_path, state):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(follower_module, "save_state", full)
    survives(rig, caplog, rig.follower(), "cannot record the install")
    monkeypatch.setattr(follower_module, "save_state", real_save)
    next_good_publish_installs(rig)


def test_a_lost_content_db_comes_back_from_the_kept_snapshot_without_the_network(
    rig, installed, caplog
):
    rig.db.unlink()
    follower = rig.follower("http://127.0.0.1:9/", timeout_s=1)  # the server is down too
    with caplog.at_level(logging.INFO, logger="kiosk.fleet"):
        outcome = follower.round()
    assert outcome.kind == "installed" and outcome.fetched == 0
    assert "restored the missing content DB from serial 1" in outcome.message
    assert rig.h.db_value(rig.db) == 50 and identity(rig.db).serial == installed.serial
    assert follower.round().kind == "failed"  # and the next round asks the server again
