"""The publishing side: keys, signed manifests, snapshots, serials, rollback, the CLI."""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import stat

import pytest
from click.testing import CliRunner

from kiosk.cli import cli
from kiosk.fleet import channel as ch
from kiosk.fleet.manifest import (
    ChannelError,
    Manifest,
    load_signing_key,
    verify,
    verify_key_from_text,
)


@pytest.fixture
def content_db(tmp_path, seed_db_path):
    db = tmp_path / "work" / "content.db"
    db.parent.mkdir()
    shutil.copy(seed_db_path, db)
    return db


def set_value(db, key, value):
    conn = sqlite3.connect(db)
    with conn:
        conn.execute("UPDATE indicators SET value = ? WHERE key = ?", (value, key))
    conn.close()


def first_indicator(db):
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT key FROM indicators ORDER BY key LIMIT 1").fetchone()[0]
    finally:
        conn.close()


def test_keygen_writes_a_private_key_only_the_owner_reads_and_a_one_line_public_key(keys):
    key_path, pub_path = keys
    assert stat.S_IMODE(key_path.stat().st_mode) == 0o600
    lines = pub_path.read_text().splitlines()
    assert len(lines) == 1
    assert bytes(load_signing_key(key_path).verify_key) == bytes(verify_key_from_text(lines[0]))


def test_keygen_never_replaces_a_key_kiosks_already_trust(keys):
    before = keys[0].read_bytes()
    with pytest.raises(ChannelError, match="already exists"):
        ch.keygen(keys[0].parent)
    assert keys[0].read_bytes() == before


def test_publish_writes_the_snapshot_then_a_manifest_signed_over_its_exact_bytes(
    tmp_path, keys, content_db
):
    channel = tmp_path / "channel"
    manifest = ch.publish(content_db, channel, keys[0], note="first", publisher="it@pc")
    data = (channel / "manifest.json").read_bytes()
    assert Manifest.from_json(data) == manifest
    verify(
        data,
        (channel / "manifest.json.sig").read_bytes(),
        verify_key_from_text(keys[1].read_text()),
    )
    snapshot = channel / manifest.snapshot_path
    assert hashlib.sha256(snapshot.read_bytes()).hexdigest() == manifest.sha256
    assert snapshot.stat().st_size == manifest.bytes
    assert (manifest.serial, manifest.note, manifest.publisher) == (1, "first", "it@pc")
    assert manifest.schema_version >= 1 and manifest.published_at.endswith("Z")
    # One self-contained file: no WAL mode, so no -wal file is needed to read it.
    assert not (channel / "snapshots" / f"{manifest.sha256}.db-wal").exists()
    assert snapshot.read_bytes()[18:20] == b"\x01\x01"
    assert not [p for p in (channel / "snapshots").iterdir() if p.name.startswith(".")]
    assert ch.current(channel) == manifest


def test_a_changed_signature_or_manifest_no_longer_verifies(tmp_path, keys, content_db):
    channel = tmp_path / "channel"
    ch.publish(content_db, channel, keys[0])
    data = (channel / "manifest.json").read_bytes()
    pub = verify_key_from_text(keys[1].read_text())
    with pytest.raises(ChannelError, match="does not match"):
        verify(
            data.replace(b'"serial": 1', b'"serial": 9'),
            (channel / "manifest.json.sig").read_bytes(),
            pub,
        )
    other_pub = verify_key_from_text(ch.keygen(tmp_path / "other")[1].read_text())
    with pytest.raises(ChannelError, match="does not match"):
        verify(data, (channel / "manifest.json.sig").read_bytes(), other_pub)


def test_serials_always_increase_and_history_lists_newest_first(tmp_path, keys, content_db):
    channel = tmp_path / "channel"
    key = first_indicator(content_db)
    serials = []
    for value in (11, 12, 13):
        set_value(content_db, key, value)
        serials.append(ch.publish(content_db, channel, keys[0]).serial)
    assert serials == [1, 2, 3]
    assert [m.serial for m in ch.history(channel)] == [3, 2, 1]
    assert len({m.sha256 for m in ch.history(channel)}) == 3


def test_publish_refuses_content_with_errors_and_changes_nothing(tmp_path, keys, content_db):
    channel = tmp_path / "channel"
    first = ch.publish(content_db, channel, keys[0])
    before = sorted(p.name for p in channel.rglob("*"))
    set_value(content_db, first_indicator(content_db), -5)
    with pytest.raises(ChannelError, match="not published.*negative"):
        ch.publish(content_db, channel, keys[0])
    assert sorted(p.name for p in channel.rglob("*")) == before
    assert ch.current(channel) == first


def test_publish_refuses_a_file_that_is_not_a_content_db(tmp_path, keys):
    bogus = tmp_path / "notes.db"
    bogus.write_text("not sqlite at all " * 100)
    with pytest.raises(ChannelError, match="not published"):
        ch.publish(bogus, tmp_path / "channel", keys[0])
    assert ch.current(tmp_path / "channel") is None


def test_a_private_key_inside_the_served_folder_is_refused(tmp_path, content_db):
    channel = tmp_path / "channel"
    key_path, _ = ch.keygen(channel / "keys")
    with pytest.raises(ChannelError, match="inside the channel folder"):
        ch.publish(content_db, channel, key_path)


def test_rollback_republishes_an_earlier_snapshot_under_a_new_serial(tmp_path, keys, content_db):
    channel = tmp_path / "channel"
    first = ch.publish(content_db, channel, keys[0])
    set_value(content_db, first_indicator(content_db), 77)
    second = ch.publish(content_db, channel, keys[0])
    back = ch.rollback(channel, first.serial, keys[0], publisher="it")
    assert back.serial == 3 and back.sha256 == first.sha256 != second.sha256
    assert back.note == "rollback to serial 1"
    assert ch.current(channel) == back
    with pytest.raises(ChannelError, match="never published"):
        ch.rollback(channel, 42, keys[0])


def test_rollback_refuses_when_the_earlier_snapshot_was_changed(tmp_path, keys, content_db):
    channel = tmp_path / "channel"
    first = ch.publish(content_db, channel, keys[0])
    set_value(content_db, first_indicator(content_db), 77)
    second = ch.publish(content_db, channel, keys[0])
    (channel / first.snapshot_path).write_bytes(b"x")
    with pytest.raises(ChannelError, match="missing or changed"):
        ch.rollback(channel, first.serial, keys[0])
    assert ch.current(channel) == second


def test_manifest_parsing_names_the_bad_field():
    good = json.loads(
        Manifest(1, "a" * 64, 10, 2, "2026-01-01T00:00:00Z").to_json().decode("utf-8")
    )
    for field, value, match in (
        ("serial", "7", "serial"),
        ("serial", True, "serial"),
        ("sha256", "A" * 64, "sha256"),
        ("bytes", -1, "bytes"),
    ):
        bad = dict(good, **{field: value})
        with pytest.raises(ChannelError, match=match):
            Manifest.from_json(json.dumps(bad).encode())
    with pytest.raises(ChannelError, match="not valid JSON"):
        Manifest.from_json(b"{")


def test_cli_keygen_publish_rollback_and_history(tmp_path, content_db):
    runner = CliRunner()
    keys_dir, channel = tmp_path / "k", tmp_path / "channel"
    result = runner.invoke(cli, ["channel", "keygen", "--out", str(keys_dir)])
    assert result.exit_code == 0, result.output
    assert "channel_public_key = " in result.output
    key = str(keys_dir / "channel.key")
    args = ["channel", "publish", "--db", str(content_db), "--channel", str(channel), "--key", key]
    result = runner.invoke(cli, [*args, "--note", "one"])
    assert result.exit_code == 0, result.output
    m1 = ch.current(channel)
    assert f"serial 1 sha256 {m1.sha256}" in result.output
    set_value(content_db, first_indicator(content_db), 55)
    assert runner.invoke(cli, args).exit_code == 0
    result = runner.invoke(
        cli, ["channel", "rollback", "--channel", str(channel), "--to", "1", "--key", key]
    )
    assert result.exit_code == 0, result.output
    assert f"serial 3 sha256 {m1.sha256}" in result.output
    result = runner.invoke(cli, ["channel", "history", "--channel", str(channel)])
    assert result.output.splitlines()[0].startswith("*     3")
    set_value(content_db, first_indicator(content_db), -1)
    result = runner.invoke(cli, args)
    assert result.exit_code == 1 and "negative" in result.output
    assert len(result.output.strip().splitlines()) == 1
