"""The GUI-thread heartbeat: READY at start, WATCHDOG from a QTimer, STOPPING on quit."""

from __future__ import annotations

import pytest

from kiosk.ui.watchdog_pinger import start_watchdog


def test_ready_then_heartbeats_from_a_gui_timer(qapp, notify_socket):
    path, server = notify_socket
    pinger = start_watchdog(qapp, {"NOTIFY_SOCKET": path, "WATCHDOG_USEC": "30000000"})
    try:
        assert server.recv(100) == b"READY=1"
        assert server.recv(100) == b"WATCHDOG=1"  # the first beat is sent at once
        # Half of WatchdogSec=30, on the GUI thread's event loop.
        assert pinger.timer.isActive()
        assert pinger.timer.interval() == 15000
        assert pinger.timer.thread() is qapp.thread()
        pinger.timer.timeout.emit()  # a timer tick, without waiting 15 s
        assert server.recv(100) == b"WATCHDOG=1"
        assert pinger.beats == 2
    finally:
        pinger.stop()
    assert server.recv(100) == b"STOPPING=1"
    assert not pinger.timer.isActive()


def test_ready_only_without_watchdog_usec(qapp, notify_socket):
    path, server = notify_socket
    pinger = start_watchdog(qapp, {"NOTIFY_SOCKET": path})
    try:
        assert server.recv(100) == b"READY=1"
        assert not pinger.timer.isActive()
    finally:
        pinger.stop()


def test_nothing_outside_systemd(qapp, notify_socket):
    _path, server = notify_socket
    assert start_watchdog(qapp, {"WATCHDOG_USEC": "30000000"}) is None
    server.settimeout(0)
    with pytest.raises(BlockingIOError):
        server.recv(100)


@pytest.mark.slow
def test_real_kiosk_process_heartbeats_and_a_frozen_one_stops(notify_socket, tmp_path):
    """End to end: `kiosk run` as systemd would start it; SIGSTOP silences its heartbeat."""
    import os
    import signal
    import subprocess
    import sys

    from kiosk.store import build_db
    from kiosk.system.paths import seed_dir

    path, server = notify_socket
    db = tmp_path / "content.db"
    build_db(db, seed_dir())
    env = dict(os.environ, NOTIFY_SOCKET=path, WATCHDOG_USEC="500000")
    env.pop("WATCHDOG_PID", None)
    command = [sys.executable, "-m", "kiosk", "run", "--db", str(db), "--quit-after", "30"]
    child = subprocess.Popen(command, env=env, stderr=subprocess.DEVNULL)
    try:
        server.settimeout(30)  # start-up under a loaded CI machine
        assert server.recv(100) == b"READY=1"
        server.settimeout(5)
        assert server.recv(100) == b"WATCHDOG=1"
        assert server.recv(100) == b"WATCHDOG=1"  # every 0.25 s from the GUI timer
        os.kill(child.pid, signal.SIGSTOP)
        # Drain at most one heartbeat already in flight, then silence for 1 s (4 periods).
        server.settimeout(1.0)
        drained = 0
        with pytest.raises(TimeoutError):
            while True:
                server.recv(100)
                drained += 1
                assert drained < 3, "a stopped kiosk kept sending heartbeats"
        os.kill(child.pid, signal.SIGCONT)
        server.settimeout(5)
        assert server.recv(100) == b"WATCHDOG=1"
        child.terminate()
        assert child.wait(10) == 0  # SIGTERM (systemctl stop) ends the event loop cleanly
    finally:
        if child.poll() is None:
            child.kill()
            child.wait(5)
