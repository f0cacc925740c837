"""The publishing side of the content channel: a folder any static web server can serve.

Layout::

    channel/
      manifest.json           the current snapshot (serial, sha256, bytes, ...)
      manifest.json.sig       Ed25519 signature of manifest.json's exact bytes
      snapshots/<sha256>.db   immutable content snapshots, named by their hash
      history/<serial>.json   every manifest ever published (for rollback and audit)

A snapshot is written (and flushed) before the manifest that names it, so a kiosk never
sees a manifest whose file is missing. Publishes are serialised by a lock file, so the
studio and IT's command line can both publish to one channel.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
import os
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from kiosk.fleet.files import fsync_dir, sha256_file, write_atomic
from kiosk.fleet.manifest import (
    MANIFEST_NAME,
    SIGNATURE_NAME,
    SNAPSHOT_DIR,
    ChannelError,
    Manifest,
    load_signing_key,
    new_key_pair,
    sign,
)
from kiosk.store import StoreError

__all__ = ["ChannelError", "Manifest", "current", "history", "keygen", "publish", "rollback"]

KEY_NAME, PUB_NAME = "channel.key", "channel.pub"
HISTORY_DIR = "history"
LOCK_NAME = ".publish.lock"


def keygen(out_dir) -> tuple[Path, Path]:
    """Write ``channel.key`` (mode 0600) and ``channel.pub`` (one line) into ``out_dir``.

    Never overwrites an existing key: kiosks that trust it would refuse every publish.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    key_path, pub_path = out / KEY_NAME, out / PUB_NAME
    for path in (key_path, pub_path):
        if path.exists():
            raise ChannelError(
                f"{path} already exists; kiosks trust that key, so it is not replaced "
                "(move it away first if you really mean to make a new one)"
            )
    private, public = new_key_pair()
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(private + "\n")
    os.chmod(key_path, 0o600)  # whatever the umask
    pub_path.write_text(public + "\n", encoding="ascii")
    return key_path, pub_path


def _now_utc() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@contextlib.contextmanager
def _locked(channel: Path) -> Iterator[None]:
    channel.mkdir(parents=True, exist_ok=True)
    with open(channel / LOCK_NAME, "a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _refuse_key_inside(channel: Path, key_path: Path) -> None:
    if key_path.resolve().is_relative_to(channel.resolve()):
        raise ChannelError(
            f"{key_path} is inside the channel folder, which the web server publishes; "
            "keep the private key outside it"
        )


def _add_snapshot(db_path: Path, channel: Path) -> tuple[str, int, int]:
    """Copy, check and store the snapshot; return (sha256, bytes, schema_version)."""
    from kiosk.store.snapshot import check_snapshot, copy_snapshot

    snapshots = channel / SNAPSHOT_DIR
    snapshots.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=".incoming-", suffix=".db", dir=snapshots)
    os.close(fd)
    tmp = Path(tmp_name)
    try:
        tmp.unlink()  # the backup API wants to create the file itself
        copy_snapshot(db_path, tmp)
        # The copy is what travels, so the copy is what is checked (a staff import may
        # have committed between a check of the source and the copy).
        checked = check_snapshot(tmp, base_dir=db_path.resolve().parent)
        sha, size = sha256_file(tmp)
        os.chmod(tmp, 0o644)
        final = snapshots / f"{sha}.db"
        if final.exists():
            tmp.unlink()  # the same content was published before; the file is immutable
        else:
            os.replace(tmp, final)
            fsync_dir(snapshots)
    except StoreError as error:
        raise ChannelError(f"{db_path}: not published: {error}") from None
    finally:
        tmp.unlink(missing_ok=True)
    return sha, size, checked.schema_version


def _next_serial(channel: Path) -> int:
    serials = [m.serial for m in history(channel)]
    now = current(channel)
    if now is not None:
        serials.append(now.serial)
    return max(serials, default=0) + 1


def _write_manifest(channel: Path, key, manifest: Manifest) -> None:
    data = manifest.to_json()
    signature = sign(data, key)
    (channel / HISTORY_DIR).mkdir(exist_ok=True)
    write_atomic(channel / HISTORY_DIR / f"{manifest.serial:08d}.json", data)
    # Manifest first, then its signature: a follower that catches the pair mid-change
    # sees a bad signature and asks again (see follower), never installs a wrong file.
    write_atomic(channel / MANIFEST_NAME, data, mtime=_next_mtime(channel / MANIFEST_NAME))
    write_atomic(channel / SIGNATURE_NAME, signature)


def _next_mtime(path: Path) -> float:
    """A whole second later than the file's current time, and not before now.

    Web servers make the ETag from the size and the whole-second modification time; two
    manifests of one size written within a second would share it, and a kiosk asking with
    If-None-Match would never see the second one.
    """
    now = float(int(time.time()))
    try:
        return max(now, float(int(path.stat().st_mtime)) + 1)
    except FileNotFoundError:
        return now


def publish(db_path, channel_dir, key_path, *, note: str = "", publisher: str = "") -> Manifest:
    """Validate ``db_path``, store it as a snapshot and make it the channel's current one.

    Raises ChannelError (one line: the first content error and how many more) and changes
    nothing in the channel if the content is not fit to be shown.
    """
    db_path, channel, key_path = Path(db_path), Path(channel_dir), Path(key_path)
    _refuse_key_inside(channel, key_path)
    key = load_signing_key(key_path)
    with _locked(channel):
        sha, size, schema = _add_snapshot(db_path, channel)
        manifest = Manifest(
            serial=_next_serial(channel),
            sha256=sha,
            bytes=size,
            schema_version=schema,
            published_at=_now_utc(),
            publisher=publisher,
            note=note,
        )
        _write_manifest(channel, key, manifest)
    return manifest


def rollback(
    channel_dir, serial: int, key_path, *, publisher: str = "", note: str = ""
) -> Manifest:
    """Publish the snapshot of an earlier ``serial`` again, under a new, higher serial."""
    channel, key_path = Path(channel_dir), Path(key_path)
    _refuse_key_inside(channel, key_path)
    key = load_signing_key(key_path)
    with _locked(channel):
        earlier = next((m for m in history(channel) if m.serial == serial), None)
        if earlier is None:
            known = ", ".join(str(m.serial) for m in history(channel)[:10]) or "none"
            raise ChannelError(f"serial {serial} was never published here; recent: {known}")
        snapshot = channel / earlier.snapshot_path
        if not snapshot.is_file() or sha256_file(snapshot) != (earlier.sha256, earlier.bytes):
            raise ChannelError(
                f"{snapshot}: the snapshot of serial {serial} is missing or changed; "
                "publish that content again from its DB instead"
            )
        manifest = Manifest(
            serial=_next_serial(channel),
            sha256=earlier.sha256,
            bytes=earlier.bytes,
            schema_version=earlier.schema_version,
            published_at=_now_utc(),
            publisher=publisher,
            note=note or f"rollback to serial {serial}",
        )
        _write_manifest(channel, key, manifest)
    return manifest


def _read_manifest(path: Path) -> Manifest | None:
    try:
        return Manifest.from_json(path.read_bytes())
    except FileNotFoundError:
        return None
    except OSError as error:
        raise ChannelError(f"{path}: cannot be read ({error})") from None


def current(channel_dir) -> Manifest | None:
    """The channel's current manifest, or None if nothing was published yet."""
    return _read_manifest(Path(channel_dir) / MANIFEST_NAME)


def history(channel_dir) -> list[Manifest]:
    """Every manifest published to the channel, newest (highest serial) first."""
    folder = Path(channel_dir) / HISTORY_DIR
    if not folder.is_dir():
        return []
    found = [_read_manifest(p) for p in folder.glob("*.json")]
    return sorted((m for m in found if m is not None), key=lambda m: m.serial, reverse=True)
