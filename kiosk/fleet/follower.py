"""The kiosk side of the channel: poll, verify, download, check, install. No Qt, no port.

One ``Follower.round()``:

1. GET ``manifest.json`` with If-None-Match (a 304 means nothing changed: done);
2. GET ``manifest.json.sig`` and verify it with the configured public key; the serial must
   be higher than the installed one (a replayed older manifest is refused);
3. take the snapshot from the kept ones, or download it into a ``.part`` file (resumed
   with Range after a cut) and check its size and SHA-256;
4. copy it beside the DB and let ``kiosk.store`` check it (integrity, schema, migration of
   an older one, every content rule);
5. rename it over the content DB in one step and record what was installed.

Any failure leaves the installed DB untouched and yields one line naming why, the offered
serial if known, and the serial kept. ``run`` repeats rounds with jittered polling and
exponential backoff after failures.
"""

from __future__ import annotations

import logging
import os
import random
import shutil
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.fleet import download as http
from kiosk.fleet.files import sha256_file
from kiosk.fleet.manifest import (
    MANIFEST_NAME,
    MAX_MANIFEST_BYTES,
    SIGNATURE_NAME,
    ChannelError,
    Manifest,
    verify,
    verify_key_from_text,
)
from kiosk.fleet.state import (
    KEEP_SNAPSHOTS,
    InstalledState,
    file_identity,
    identity,
    load_state,
    save_state,
    state_dir,
)
from kiosk.store import StoreError

log = logging.getLogger("kiosk.fleet")


@dataclass(frozen=True)
class Outcome:
    """The result of one round; ``message`` is its one log line."""

    kind: str  # "current", "installed" or "failed"
    message: str
    manifest: Manifest | None = None
    fetched: int = 0  # snapshot bytes downloaded in this round

    @property
    def ok(self) -> bool:
        return self.kind != "failed"


class _Refused(Exception):
    """A failure of this round, with the manifest it concerned (if one was read)."""

    def __init__(self, reason: str, manifest: Manifest | None = None) -> None:
        super().__init__(reason)
        self.manifest = manifest


class Follower:
    """Follows one channel into one content DB."""

    def __init__(
        self,
        channel_url: str,
        public_key: str,
        db_path,
        *,
        poll_seconds: float = 60.0,
        timeout_s: float = 20.0,
        deadline_s: float = 600.0,
        monotonic: Callable[[], float] = time.monotonic,
        wall_clock: Callable[[], float] = time.time,
        rng: random.Random | None = None,
        write_chunk: Callable | None = None,
    ) -> None:
        self.url = channel_url.rstrip("/") + "/"
        self.key = verify_key_from_text(public_key)
        self.db_path = Path(db_path)
        self.poll_seconds = poll_seconds
        self.timeout_s, self.deadline_s = timeout_s, deadline_s
        self.monotonic, self.wall_clock = monotonic, wall_clock
        self.rng = rng or random.Random()
        self.write_chunk = write_chunk
        self.failures_total = 0
        self.consecutive_failures = 0
        self.last_sync: float | None = None  # wall time of the last good round
        self.last_error = ""
        # A snapshot refused for what it contains is not fetched again: (sha256, reason).
        self._refused_content: tuple[str, str] | None = None

    # -- one round -------------------------------------------------------------------
    def round(self) -> Outcome:
        """Poll once; never raises. Logs and returns the outcome."""
        try:
            outcome = self._round()
        except _Refused as refusal:
            outcome = self._failed(str(refusal), refusal.manifest)
        except Exception as error:  # noqa: BLE001 - the follower must keep going
            log.debug("follower round crashed", exc_info=True)
            outcome = self._failed(f"unexpected error: {type(error).__name__}: {error}", None)
        if outcome.ok:
            self.consecutive_failures = 0
            self.last_sync = self.wall_clock()
            self.last_error = ""
            level = logging.INFO if outcome.kind == "installed" else logging.DEBUG
        else:
            self.failures_total += 1
            self.consecutive_failures += 1
            self.last_error = outcome.message
            level = logging.WARNING
        log.log(level, "%s", outcome.message)
        return outcome

    def _failed(self, reason: str, offered: Manifest | None) -> Outcome:
        what = f"serial {offered.serial} ({offered.sha256[:12]}) refused: " if offered else ""
        kept = identity(self.db_path).label
        return Outcome("failed", f"channel: {what}{reason}; keeping {kept}", offered)

    def _round(self) -> Outcome:
        state = load_state(self.db_path)
        restored = self._restore_missing_db(state)
        if restored is not None:
            return restored
        etag = state.etag if state and self.db_path.is_file() else ""
        manifest_url = self.url + MANIFEST_NAME
        reply = self._get(manifest_url, etag)
        if reply.status == 304:
            return Outcome("current", f"channel: {state.manifest.short} is current", state.manifest)
        manifest = self._verified(reply)
        if state is not None and self.db_path.is_file():
            installed = state.manifest
            if manifest.serial < installed.serial:
                raise _Refused(
                    f"older than the installed serial {installed.serial} (a replayed manifest)",
                    manifest,
                )
            if manifest.serial == installed.serial:
                if manifest.sha256 != installed.sha256:
                    raise _Refused("same serial as the installed one but another file", manifest)
                state.etag = reply.etag
                save_state(self.db_path, state)
                return Outcome("current", f"channel: {manifest.short} is current", manifest)
        if self._refused_content and self._refused_content[0] == manifest.sha256:
            raise _Refused(self._refused_content[1], manifest)
        return self._install(manifest, reply.etag, state)

    def _restore_missing_db(self, state: InstalledState | None) -> Outcome | None:
        """The content DB is gone (deleted, lost to a disk fault) but its snapshot is kept:
        put it back at once, without the network, so the screen gets its content again."""
        if state is None or self.db_path.is_file():
            return None
        kept = state_dir(self.db_path) / "snapshots" / f"{state.manifest.sha256}.db"
        if not kept.is_file():
            return None
        done = self._install(state.manifest, state.etag, state)
        return Outcome(
            "installed",
            done.message.replace("installed", "restored the missing content DB from", 1),
            done.manifest,
        )

    def _get(self, url: str, etag: str = "") -> http.Response:
        try:
            return http.get(url, etag=etag, timeout_s=self.timeout_s, max_bytes=MAX_MANIFEST_BYTES)
        except ChannelError as error:
            raise _Refused(str(error)) from None

    def _verified(self, reply: http.Response) -> Manifest:
        signature = self._get(self.url + SIGNATURE_NAME)
        try:
            verify(reply.body, signature.body, self.key)
        except ChannelError:
            # A publish may have replaced the pair between the two GETs: ask once more.
            reply = self._get(self.url + MANIFEST_NAME)
            signature = self._get(self.url + SIGNATURE_NAME)
            try:
                verify(reply.body, signature.body, self.key)
            except ChannelError as error:
                raise _Refused(str(error)) from None
        try:
            return Manifest.from_json(reply.body)
        except ChannelError as error:
            raise _Refused(str(error)) from None

    # -- install ---------------------------------------------------------------------
    def _install(self, manifest: Manifest, etag: str, state: InstalledState | None) -> Outcome:
        from kiosk.store.layout import SCHEMA_VERSION
        from kiosk.store.snapshot import check_snapshot, install_snapshot

        if manifest.schema_version > SCHEMA_VERSION:
            self._refuse_content(
                manifest,
                f"its schema version {manifest.schema_version} is newer than this kiosk's "
                f"({SCHEMA_VERSION}); update the kiosk software",
            )
        started = self.monotonic()
        folder = state_dir(self.db_path)
        kept_dir = folder / "snapshots"
        kept_dir.mkdir(parents=True, exist_ok=True)
        kept_file = kept_dir / f"{manifest.sha256}.db"
        if kept_file.is_file() and sha256_file(kept_file) == (manifest.sha256, manifest.bytes):
            source, fetched = kept_file, 0
        else:
            source, fetched = self._download(manifest, folder / "download")
        fd, tmp_name = tempfile.mkstemp(
            prefix=f".{self.db_path.name}.incoming-", dir=self.db_path.parent
        )
        os.close(fd)
        tmp = Path(tmp_name)
        try:
            try:
                shutil.copyfile(source, tmp)
            except OSError as error:
                raise _Refused(
                    f"cannot copy the snapshot beside {self.db_path} ({error.strerror}); "
                    "free some disk space",
                    manifest,
                ) from None
            try:
                checked = check_snapshot(tmp, base_dir=self.db_path.parent)
            except StoreError as error:
                self._refuse_content(manifest, str(error).replace(str(tmp), "the snapshot"))
            if source != kept_file:
                os.replace(source, kept_file)
            installed_sha = sha256_file(tmp)[0] if checked.migrated else manifest.sha256
            kept = [manifest.sha256]
            kept += [s for s in (state.kept if state else []) if s != manifest.sha256]
            # Recorded before the rename (which keeps the inode and times), so whoever sees
            # the new file already finds out what it is.
            record = InstalledState(
                manifest=manifest,
                installed_sha256=installed_sha,
                file=file_identity(tmp),
                installed_at=self.wall_clock(),
                etag=etag,
                kept=kept[:KEEP_SNAPSHOTS],
                content_digest=checked.digest,
            )
            try:
                save_state(self.db_path, record)
            except OSError as error:
                raise _Refused(
                    f"cannot record the install in {state_dir(self.db_path)} "
                    f"({error.strerror or error}); free some disk space",
                    manifest,
                ) from None
            try:
                install_snapshot(tmp, self.db_path)
            except (StoreError, OSError) as error:
                self._restore_state(state)
                raise _Refused(f"cannot replace {self.db_path}: {error}", manifest) from None
        finally:
            tmp.unlink(missing_ok=True)
        self._prune(kept_dir, kept[:KEEP_SNAPSHOTS])
        seconds = self.monotonic() - started
        migrated = f", migrated ({', '.join(checked.migrated)})" if checked.migrated else ""
        return Outcome(
            "installed",
            f"channel: installed {manifest.short}: {fetched} bytes fetched in {seconds:.1f} s"
            f"{migrated}",
            manifest,
            fetched,
        )

    def _restore_state(self, state: InstalledState | None) -> None:
        if state is not None:
            save_state(self.db_path, state)
        else:
            (state_dir(self.db_path) / "installed.json").unlink(missing_ok=True)

    def _refuse_content(self, manifest: Manifest, reason: str) -> None:
        self._refused_content = (manifest.sha256, reason)
        raise _Refused(reason, manifest)

    def _download(self, manifest: Manifest, folder: Path) -> tuple[Path, int]:
        folder.mkdir(parents=True, exist_ok=True)
        part = folder / f"{manifest.sha256}.part"
        for stale in folder.glob("*.part"):
            if stale != part:
                stale.unlink(missing_ok=True)  # a snapshot no longer offered
        url = self.url + manifest.snapshot_path
        try:
            fetched = http.download(
                url,
                part,
                manifest.bytes,
                timeout_s=self.timeout_s,
                deadline_s=self.deadline_s,
                clock=self.monotonic,
                write=self.write_chunk,
            )
        except ChannelError as error:
            raise _Refused(str(error), manifest) from None
        if sha256_file(part) != (manifest.sha256, manifest.bytes):
            part.unlink(missing_ok=True)
            raise _Refused(
                f"{url}: downloaded file does not match the manifest's SHA-256 "
                "(damaged in transit or on the server); it is fetched again next time",
                manifest,
            )
        return part, fetched

    @staticmethod
    def _prune(kept_dir: Path, keep: list[str]) -> None:
        for path in kept_dir.glob("*.db"):
            if path.stem not in keep:
                path.unlink(missing_ok=True)

    # -- polling loop ----------------------------------------------------------------
    def next_delay(self) -> float:
        """Seconds until the next round: the poll interval with jitter, longer after failures."""
        if self.consecutive_failures == 0:
            return self.poll_seconds * self.rng.uniform(0.8, 1.2)
        cap = max(self.poll_seconds, min(3600.0, self.poll_seconds * 32))
        backoff = min(cap, self.poll_seconds * 2**self.consecutive_failures)
        return backoff * self.rng.uniform(0.5, 1.0)

    def run(self, stop: threading.Event, after_round: Callable[[Outcome], None] | None = None):
        """Rounds until ``stop`` is set (a worker thread's target)."""
        while not stop.is_set():
            outcome = self.round()
            if after_round is not None:
                after_round(outcome)
            stop.wait(self.next_delay())
