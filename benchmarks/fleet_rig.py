"""The fleet's test and benchmark rig: a real nginx on 127.0.0.1, and content variants.

``start_nginx(root, work)`` writes a config into ``work`` and runs ``nginx -c FILE -p DIR
-g 'daemon off;'`` on a free port, serving ``root`` (a channel folder, an APT repository);
``stop_nginx`` ends it. The access log has one line per request: method, path, status,
body bytes, and all bytes sent (headers included). ``content_variant`` copies a content DB
with one count indicator set to a value, so each publish has different content.
"""

from __future__ import annotations

import os
import shutil
import socket
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx") else None)

NGINX_CONF = """\
{user}
worker_processes 1;
pid {dir}/nginx.pid;
error_log {dir}/error.log;
events {{ worker_connections 1024; }}
http {{
  types {{ application/json json; application/octet-stream db; text/plain sig; }}
  log_format fleet '$request_method $uri $status $body_bytes_sent $bytes_sent';
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


class NginxMissing(RuntimeError):
    """nginx is not installed."""


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

    def requests(self) -> list[tuple[str, str, int, int, int]]:
        """(method, path, status, body bytes, bytes sent) per request so far."""
        if not self.access_log.exists():
            return []
        out = []
        for line in self.access_log.read_text().splitlines():
            method, uri, status, body, sent = line.split()
            out.append((method, uri, int(status), int(body), int(sent)))
        return out


def start_nginx(root: Path, work: Path) -> Nginx:
    if NGINX is None:
        raise NginxMissing("nginx is not installed (packaging/system-deps.sh test installs it)")
    work.mkdir(parents=True, exist_ok=True)
    port = free_port()
    # As root, nginx's workers would switch to "nobody", who cannot read private temporary
    # folders; as another user the line is ignored.
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


def content_variant(seed: Path, dest: Path, value: float, sql: str = "") -> Path:
    """A copy of ``seed`` at ``dest`` with the first count indicator set to ``value``
    (and ``sql`` run, to make it invalid on purpose), in rollback-journal mode."""
    shutil.copy(seed, dest)
    conn = sqlite3.connect(dest)
    with conn:
        key = conn.execute(
            "SELECT key FROM indicators WHERE kind = 'count' ORDER BY key LIMIT 1"
        ).fetchone()[0]
        conn.execute("UPDATE indicators SET value = ? WHERE key = ?", (value, key))
        if sql:
            conn.execute(sql)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    return dest
