"""What a kiosk has installed from its channel, kept beside the content DB.

``content.db`` gets a folder ``content.fleet/`` holding ``installed.json`` (the manifest
installed last, the installed file's hash and identity, the manifest's ETag) and
``snapshots/`` with the last few installed snapshots, so a restart never loses good
content and a rollback to one of them needs no download. ``identity`` names the content
on screen: the snapshot's serial and hash, or "local edit" when the DB was changed on the
PC after the install (or never came from a channel).
"""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass, field
from pathlib import Path

from kiosk.fleet.files import write_atomic
from kiosk.fleet.manifest import Manifest

KEEP_SNAPSHOTS = 3
LOCAL_EDIT = "local edit"


def state_dir(db_path) -> Path:
    db_path = Path(db_path)
    return db_path.with_name(db_path.stem + ".fleet")


@dataclass
class InstalledState:
    manifest: Manifest
    installed_sha256: str  # the DB file as installed (differs after a schema migration)
    file: tuple[int, int, int]  # (inode, size, mtime_ns) of the DB right after the install
    installed_at: float
    etag: str = ""
    kept: list[str] = field(default_factory=list)  # snapshot hashes, newest first
    content_digest: str = ""  # kiosk.store's digest of the rows (survives a journal change)

    def to_json(self) -> bytes:
        data = asdict(self)
        data["manifest"] = json.loads(self.manifest.to_json())
        return (json.dumps(data, indent=2, sort_keys=True) + "\n").encode("utf-8")


def load_state(db_path) -> InstalledState | None:
    """The installed state, or None (never installed, or the file is unreadable)."""
    path = state_dir(db_path) / "installed.json"
    try:
        data = json.loads(path.read_bytes())
        manifest = Manifest.from_json(json.dumps(data["manifest"]).encode())
        return InstalledState(
            manifest=manifest,
            installed_sha256=str(data["installed_sha256"]),
            file=tuple(int(x) for x in data["file"]),
            installed_at=float(data["installed_at"]),
            etag=str(data.get("etag", "")),
            kept=[str(s) for s in data.get("kept", [])],
            content_digest=str(data.get("content_digest", "")),
        )
    except FileNotFoundError:
        return None
    except Exception:  # noqa: BLE001
        # A damaged state file must not stop the follower: it re-installs what is current.
        return None


def save_state(db_path, state: InstalledState) -> None:
    folder = state_dir(db_path)
    folder.mkdir(parents=True, exist_ok=True)
    write_atomic(folder / "installed.json", state.to_json())


def file_identity(path) -> tuple[int, int, int]:
    st = os.stat(path)
    return (st.st_ino, st.st_size, st.st_mtime_ns)


def _wal_identity(db_path: Path) -> tuple[int, int, int] | None:
    wal = db_path.with_name(db_path.name + "-wal")
    try:
        ident = file_identity(wal)
    except OSError:
        return None
    return ident if ident[1] > 0 else None


_digest_cache: dict[tuple, str] = {}
_digest_lock = threading.Lock()


def _cached_digest(db_path: Path, key: tuple) -> str:
    """The DB's content digest, computed again only when the file or its WAL changed."""
    from kiosk.store.snapshot import content_digest

    with _digest_lock:
        if key not in _digest_cache:
            _digest_cache.clear()  # one DB per process is the normal case
            try:
                _digest_cache[key] = content_digest(db_path)
            except Exception:  # noqa: BLE001 - unreadable now: not the installed content
                return ""
        return _digest_cache[key]


@dataclass(frozen=True)
class ContentIdentity:
    """How the kiosk names the content it shows."""

    serial: int | None  # None: not (or no longer) the installed snapshot
    sha256: str  # the channel snapshot's hash ("" for a local edit)

    @property
    def label(self) -> str:
        if self.serial is None:
            return LOCAL_EDIT
        return f"serial {self.serial} ({self.sha256[:12]})"


def identity(db_path) -> ContentIdentity:
    """The snapshot on screen, or "local edit" if the DB is not what was installed."""
    db_path = Path(db_path)
    state = load_state(db_path)
    local = ContentIdentity(None, "")
    if state is None:
        return local
    try:
        ident = file_identity(db_path)
    except OSError:
        return local
    wal = _wal_identity(db_path)
    if ident == tuple(state.file) and wal is None:
        return ContentIdentity(state.manifest.serial, state.manifest.sha256)
    # The file changed: the same rows (a `kiosk db migrate` that only switched the journal
    # mode, a copy) are still the snapshot; other rows are a local edit.
    digest = _cached_digest(db_path, (str(db_path), ident, wal))
    if state.content_digest and digest == state.content_digest:
        return ContentIdentity(state.manifest.serial, state.manifest.sha256)
    return local
