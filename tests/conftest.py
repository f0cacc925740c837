"""Shared fixtures. Every test runs with a temporary HOME and no system config, so no test
can read /etc/kiosk or write into a user's home."""

from __future__ import annotations

import os
import socket

import pytest

# Qt must not pick up a session's settings; tests that want a real window run under Xvfb
# (make test), and fall back to offscreen when no display is set.
os.environ.setdefault("QT_QPA_PLATFORM", "xcb" if os.environ.get("DISPLAY") else "offscreen")
os.environ.setdefault("PYQTGRAPH_QT_LIB", "PySide6")


@pytest.fixture(autouse=True)
def _isolated_environment(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("KIOSK_CONFIG", str(home / "no-such-kiosk.toml"))
    monkeypatch.delenv("KIOSK_DB", raising=False)
    yield


@pytest.fixture(scope="session")
def seed_db_path(tmp_path_factory):
    """A content DB built once per session from the shipped db/ sources (do not modify it)."""
    from pathlib import Path

    from kiosk.store import build_db

    target = tmp_path_factory.mktemp("seed") / "content.db"
    build_db(target, Path(__file__).resolve().parents[1] / "db")
    return target


@pytest.fixture(scope="session")
def seed_content(seed_db_path):
    """The shipped content, loaded read-only."""
    from kiosk.store import load_content

    return load_content(seed_db_path)


@pytest.fixture
def notify_socket(tmp_path):
    """A bound datagram socket standing in for systemd's notify socket."""
    path = tmp_path / "notify"
    server = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    server.bind(str(path))
    # A generous timeout: only reached when a test is about to fail anyway.
    server.settimeout(5)
    yield str(path), server
    server.close()
