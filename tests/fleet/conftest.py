"""Fleet fixtures: a real nginx on 127.0.0.1, a fault-injecting HTTP server, channels, keys.

nginx runs as a normal child process with its own config (``nginx -c FILE -p DIR -g
'daemon off;'``) on a free port and is stopped after the test. Where nginx cannot
misbehave on purpose (a transfer cut half-way, a slow trickle), ``FaultServer`` serves the
same folder with Range support and the fault asked for.
"""

from __future__ import annotations

import http.server
import shutil
import socket
import sqlite3
import threading
import time
from pathlib import Path

import pytest

from benchmarks.fleet_rig import (
    Nginx,
    NginxMissing,
    content_variant,
    start_nginx,
    stop_nginx,
)
from kiosk.fleet import channel as ch
from kiosk.fleet.files import sha256_file, write_atomic
from kiosk.fleet.manifest import Manifest, load_signing_key, sign


@pytest.fixture
def nginx_factory(tmp_path):
    started: list[Nginx] = []

    def make(root: Path) -> Nginx:
        try:
            server = start_nginx(root, tmp_path / f"nginx{len(started)}")
        except NginxMissing as error:
            pytest.skip(str(error))
        started.append(server)
        return server

    yield make
    for server in started:
        stop_nginx(server)


class FaultServer(http.server.ThreadingHTTPServer):
    """Serves ``root`` with Range support; ``fault`` says how to misbehave next."""

    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, root: Path) -> None:
        super().__init__(("127.0.0.1", 0), _FaultHandler)
        self.root = root
        self.fault: dict = {}
        self.ranges: list[str] = []  # Range headers received, in order

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/"


class _FaultHandler(http.server.BaseHTTPRequestHandler):
    server: FaultServer

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802 - http.server naming
        path = self.server.root / self.path.lstrip("/").split("?")[0]
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        start = 0
        header = self.headers.get("Range")
        is_snapshot = path.suffix == ".db"
        if is_snapshot:
            self.server.ranges.append(header or "")
        if header and header.startswith("bytes="):
            start = int(header[6:].split("-")[0])
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        body = data[start:]
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        fault = self.server.fault if is_snapshot else {}
        if "cut_after" in fault:
            self.wfile.write(body[: fault["cut_after"]])
            self.wfile.flush()
            self.server.fault = {}
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if "trickle" in fault:
            step, pause = fault["trickle"]
            for i in range(0, len(body), step):
                try:
                    self.wfile.write(body[i : i + step])
                    self.wfile.flush()
                except OSError:
                    return  # the client gave up
                time.sleep(pause)
            return
        self.wfile.write(body)


@pytest.fixture
def fault_server_factory():
    servers: list[FaultServer] = []

    def make(root: Path) -> FaultServer:
        server = FaultServer(root)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server

    yield make
    for server in servers:
        server.shutdown()
        server.server_close()


@pytest.fixture
def keys(tmp_path):
    return ch.keygen(tmp_path / "keys")


class ContentMaker:
    """Makes content DBs that differ (one indicator's value) from the shipped seed."""

    def __init__(self, seed: Path, folder: Path) -> None:
        self.seed, self.folder = seed, folder
        folder.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def make(self, value: float = 50.0, sql: str = "") -> Path:
        self.count += 1
        return content_variant(self.seed, self.folder / f"content-{self.count}.db", value, sql)


@pytest.fixture
def contents(tmp_path, seed_db_path):
    return ContentMaker(seed_db_path, tmp_path / "sources")


def publish_raw(channel: Path, key_path: Path, db: Path, *, serial=None, schema=None) -> Manifest:
    """Publish a file as-is, without the publisher's checks (to serve bad snapshots)."""
    sha, size = sha256_file(db)
    (channel / "snapshots").mkdir(parents=True, exist_ok=True)
    shutil.copy(db, channel / "snapshots" / f"{sha}.db")
    now = ch.current(channel)
    manifest = Manifest(
        serial=serial if serial is not None else (now.serial + 1 if now else 1),
        sha256=sha,
        bytes=size,
        schema_version=schema if schema is not None else 2,
        published_at="2026-12-01T00:00:00Z",
    )
    write_signed(channel, manifest, key_path)
    return manifest


def write_signed(channel: Path, manifest: Manifest, key_path: Path) -> None:
    data = manifest.to_json()
    path = channel / "manifest.json"
    write_atomic(path, data, mtime=ch._next_mtime(path))
    write_atomic(channel / "manifest.json.sig", sign(data, load_signing_key(key_path)))


def db_value(db: Path) -> float:
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro", uri=True)
    try:
        return conn.execute(
            "SELECT value FROM indicators WHERE kind = 'count' ORDER BY key LIMIT 1"
        ).fetchone()[0]
    finally:
        conn.close()


@pytest.fixture
def helpers():
    """The module's helper functions, for tests (conftest modules are not importable)."""

    class H:
        pass

    for name in ("publish_raw", "write_signed", "db_value"):
        setattr(H, name, staticmethod(globals()[name]))
    return H
