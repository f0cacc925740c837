"""Fleet fixtures: a real nginx on 127.0.0.1, a fault-injecting HTTP server, channels, keys.

nginx runs as a normal child process with its own config (``nginx -c FILE -p DIR -g
'daemon off;'``) on a free port and is stopped after the test. Where nginx cannot
misbehave on purpose (a transfer cut half-way, a slow trickle), ``FaultServer`` serves the
same folder with Range support and the fault asked for.
"""

from __future__ import annotations

import http.server
import os
import shutil
import socket
import sqlite3
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from kiosk.fleet import channel as ch
from kiosk.fleet.files import sha256_file, write_atomic
from kiosk.fleet.manifest import Manifest, load_signing_key, sign

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)

NGINX_CONF = """\
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 512; }}
http {{
  types {{ application/json json; application/octet-stream db; text/plain sig; }}
  log_format fleet '$request_method $uri $status $body_bytes_sent';
  access_log {dir}/access.log fleet;
  client_body_temp_path {dir}/tmp_body;
  proxy_temp_path {dir}/tmp_proxy;
  fastcgi_temp_path {dir}/tmp_fastcgi;
  uwsgi_temp_path {dir}/tmp_uwsgi;
  scgi_temp_path {dir}/tmp_scgi;
  server {{
    listen 127.0.0.1:{port};
    root {root};
    location /status500/ {{ return 500; }}
    location /status503/ {{ return 503; }}
  }}
}}
"""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout_s: float = 10.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.02)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout_s} s")


@dataclass
class Nginx:
    url: str
    port: int
    dir: Path
    process: subprocess.Popen

    @property
    def access_log(self) -> Path:
        return self.dir / "access.log"

    def requests(self) -> list[tuple[str, str, int, int]]:
        """(method, uri, status, body bytes) per request so far."""
        if not self.access_log.exists():
            return []
        out = []
        for line in self.access_log.read_text().splitlines():
            method, uri, status, size = line.split()
            out.append((method, uri, int(status), int(size)))
        return out


def start_nginx(root: Path, work: Path) -> Nginx:
    if NGINX is None:
        pytest.skip("nginx is not installed (packaging/system-deps.sh test installs it)")
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # As root, nginx's workers would switch to "nobody", who cannot read pytest's
    # private temporary folders; as another user the line is ignored.
    user = "user root root;" if os.geteuid() == 0 else ""
    conf = work / "nginx.conf"
    conf.write_text(NGINX_CONF.format(user=user, dir=work, port=port, root=root))
    process = subprocess.Popen(
        [NGINX, "-e", str(work / "error.log"), "-c", str(conf), "-p", str(work)]
        + ["-g", "daemon off;"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        wait_for_port(port)
    except RuntimeError:
        process.kill()
        raise RuntimeError(f"nginx did not start: {process.stderr.read().decode()}") from None
    return Nginx(f"http://127.0.0.1:{port}/", port, work, process)


def stop_nginx(server: Nginx) -> None:
    server.process.terminate()
    try:
        server.process.wait(10)
    except subprocess.TimeoutExpired:
        server.process.kill()
        server.process.wait()


@pytest.fixture
def nginx_factory(tmp_path):
    started: list[Nginx] = []

    def make(root: Path) -> Nginx:
        server = start_nginx(root, tmp_path / f"nginx{len(started)}")
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
        db = self.folder / f"content-{self.count}.db"
        shutil.copy(self.seed, db)
        conn = sqlite3.connect(db)
        with conn:
            key = conn.execute(
                "SELECT key FROM indicators WHERE kind = 'count' ORDER BY key LIMIT 1"
            ).fetchone()[0]
            conn.execute("UPDATE indicators SET value = ? WHERE key = ?", (value, key))
            if sql:
                conn.execute(sql)
        conn.execute("PRAGMA journal_mode = DELETE")
        conn.close()
        return db


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
