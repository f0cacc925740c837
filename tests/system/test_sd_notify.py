"""sd_notify over a real unix datagram socket: READY, WATCHDOG, and a frozen process.

These tests play systemd's side of the protocol with a real socket; they do not pretend to
be systemd (no restarts here: that is systemd's job, documented in packaging/kiosk.service).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import uuid

import pytest

from kiosk.system.sd_notify import Notifier, socket_address, watchdog_interval_s


def receive(server: socket.socket) -> str:
    return server.recv(4096).decode()


def test_socket_address_forms():
    assert socket_address("/run/systemd/notify") == "/run/systemd/notify"
    assert socket_address("@abstract/name") == b"\0abstract/name"
    assert socket_address("") is None
    assert socket_address("vsock:2:1234") is None
    assert socket_address("relative/path") is None


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"WATCHDOG_USEC": "30000000"}, 30.0),
        ({"WATCHDOG_USEC": "500000", "WATCHDOG_PID": str(os.getpid())}, 0.5),
        # Under cage the unit's main PID is the wrapper; the kiosk child still sends heartbeats.
        ({"WATCHDOG_USEC": "30000000", "WATCHDOG_PID": "1"}, 30.0),
        ({"WATCHDOG_USEC": "0"}, None),
        ({"WATCHDOG_USEC": "-5"}, None),
        ({"WATCHDOG_USEC": "thirty"}, None),
        ({}, None),
    ],
)
def test_watchdog_interval(env, expected):
    assert watchdog_interval_s(env) == expected


def test_ready_and_watchdog_arrive_on_a_path_socket(notify_socket):
    path, server = notify_socket
    notifier = Notifier.from_env({"NOTIFY_SOCKET": path})
    assert notifier.enabled
    assert notifier.ready()
    assert receive(server) == "READY=1"
    assert notifier.heartbeat()
    assert receive(server) == "WATCHDOG=1"
    assert notifier.status("showing slide 3\nof 9")
    assert receive(server) == "STATUS=showing slide 3 of 9"
    assert notifier.stopping()
    assert receive(server) == "STOPPING=1"
    notifier.close()


def test_abstract_socket(tmp_path):
    name = f"kiosk-test-{uuid.uuid4().hex}"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(b"\0" + name.encode())
    server.settimeout(5)
    try:
        notifier = Notifier.from_env({"NOTIFY_SOCKET": "@" + name})
        assert notifier.heartbeat()
        assert receive(server) == "WATCHDOG=1"
    finally:
        server.close()


def test_without_notify_socket_nothing_happens(monkeypatch, notify_socket):
    path, server = notify_socket
    monkeypatch.delenv("NOTIFY_SOCKET", raising=False)
    notifier = Notifier.from_env()
    assert not notifier.enabled
    assert not notifier.ready()
    assert not notifier.heartbeat()
    server.settimeout(0)
    with pytest.raises(BlockingIOError):
        server.recv(4096)


def test_vanished_socket_is_not_fatal(tmp_path, caplog):
    notifier = Notifier.from_env({"NOTIFY_SOCKET": str(tmp_path / "gone")})
    assert not notifier.heartbeat()
    assert not notifier.heartbeat()
    # Logged once, not on every heartbeat.
    assert sum("sd_notify" in r.getMessage() for r in caplog.records) == 1


@pytest.mark.slow
def test_frozen_process_stops_sending_heartbeats(notify_socket):
    """SIGSTOP a heartbeat loop: the heartbeats stop, so systemd's WatchdogSec fires."""
    path, server = notify_socket
    env = dict(os.environ, NOTIFY_SOCKET=path)
    child = subprocess.Popen([sys.executable, "-m", "kiosk.system.sd_notify", "0.02"], env=env)
    try:
        assert receive(server) == "READY=1"
        assert receive(server) == "WATCHDOG=1"
        assert receive(server) == "WATCHDOG=1"
        os.kill(child.pid, signal.SIGSTOP)
        # Drain what was in flight when it stopped, then expect silence: a stopped process
        # sends nothing, so 0.5 s (25 periods) passes without a heartbeat.
        server.settimeout(0.5)
        drained = 0
        with pytest.raises(TimeoutError):
            while True:
                receive(server)
                drained += 1
                assert drained < 5, "heartbeats kept coming from a stopped process"
        os.kill(child.pid, signal.SIGCONT)
        server.settimeout(5)
        assert receive(server) == "WATCHDOG=1"
    finally:
        child.kill()
        child.wait(5)
