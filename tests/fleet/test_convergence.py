"""A fleet on one machine: nginx serves a channel, 20 headless ``kiosk follow`` processes and
one real kiosk under Xvfb follow it.

Done when: every follower installs a new publish within two poll intervals; with no
change every poll is a 304 in nginx's access log; a rollback brings them all back.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from kiosk.fleet import channel as ch
from kiosk.fleet.state import identity, load_state

FOLLOWERS = 20
POLL_S = 3.0

pytestmark = pytest.mark.slow


def write_config(path: Path, url: str, public_key: str, db: Path, metrics: Path) -> Path:
    metrics.mkdir(parents=True, exist_ok=True)
    path.write_text(
        "[kiosk]\n"
        f'db_path = "{db}"\n'
        f'channel_url = "{url}"\n'
        f'channel_public_key = "{public_key}"\n'
        f"poll_seconds = {POLL_S}\n"
        f'metrics_dir = "{metrics}"\n'
        "reload_poll_s = 0.5\n"
    )
    return path


def installed_serials(dbs: list[Path]) -> list[int | None]:
    """The snapshot serial each DB holds (None: nothing installed, or not in place yet)."""
    return [identity(db).serial for db in dbs]


def wait_until(condition, timeout_s: float, what: str) -> float:
    """Seconds until ``condition()`` held (polled every 50 ms); fails after ``timeout_s``."""
    start = time.monotonic()
    while time.monotonic() - start < timeout_s:
        if condition():
            return time.monotonic() - start
        time.sleep(0.05)
    pytest.fail(f"{what}: not within {timeout_s} s")


def test_twenty_followers_and_a_real_kiosk_converge_poll_with_304s_and_roll_back(
    tmp_path, keys, contents, nginx_factory, helpers
):
    if not os.environ.get("DISPLAY"):
        pytest.skip("needs an X display for the real kiosk (make test runs under Xvfb)")
    channel = tmp_path / "channel"
    first = ch.publish(contents.make(100), channel, keys[0])
    server = nginx_factory(channel)
    public_key = keys[1].read_text().strip()
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    processes: list[subprocess.Popen] = []
    dbs: list[Path] = []
    try:
        for n in range(FOLLOWERS):
            home = tmp_path / f"f{n:02d}"
            home.mkdir()
            db = home / "content.db"
            config = write_config(home / "kiosk.toml", server.url, public_key, db, home / "m")
            processes.append(
                subprocess.Popen(
                    [sys.executable, "-m", "kiosk", "follow", "--config", str(config)],
                    stdout=subprocess.DEVNULL,
                    stderr=open(home / "follow.log", "w"),  # noqa: SIM115 - closed with the process
                    env=env,
                )
            )
            dbs.append(db)
        kiosk_home = tmp_path / "kiosk"
        kiosk_home.mkdir()
        kiosk_db = kiosk_home / "content.db"
        kiosk_config = write_config(
            kiosk_home / "kiosk.toml", server.url, public_key, kiosk_db, kiosk_home / "m"
        )
        kiosk_log = kiosk_home / "kiosk.log"
        kiosk = subprocess.Popen(
            [sys.executable, "-m", "kiosk", "run", "--windowed", "--size", "960x540"]
            + ["--config", str(kiosk_config)],
            stdout=subprocess.DEVNULL,
            stderr=open(kiosk_log, "w"),  # noqa: SIM115
            env=dict(env, QT_QPA_PLATFORM="xcb"),
        )
        processes.append(kiosk)
        dbs.append(kiosk_db)

        wait_until(lambda: installed_serials(dbs) == [1] * 21, 90, "first install everywhere")
        assert helpers.db_value(kiosk_db) == 100

        reloads = kiosk_log.read_text().count("content changed")
        # A new publish: every follower and the kiosk within two poll intervals.
        second = ch.publish(contents.make(200), channel, keys[0])
        took = wait_until(
            lambda: installed_serials(dbs) == [2] * 21, 2 * POLL_S, "converge on serial 2"
        )
        print(f"converged on serial 2 in {took:.2f} s (poll {POLL_S} s)")
        assert all(helpers.db_value(db) == 200 for db in dbs)
        # The kiosk shows it: its ContentSource reloaded the renamed file.
        wait_until(
            lambda: kiosk_log.read_text().count("content changed") > reloads,
            10,
            "the kiosk reloads serial 2",
        )
        assert kiosk.poll() is None, kiosk_log.read_text()

        # No change: every poll is a 304, nothing else is fetched.
        mark = len(server.requests())
        time.sleep(2 * POLL_S)
        quiet = server.requests()[mark:]
        assert len(quiet) >= FOLLOWERS + 1, quiet
        assert {(uri, status) for _, uri, status, *_ in quiet} == {("/manifest.json", 304)}

        # A rollback brings them all back.
        back = ch.rollback(channel, first.serial, keys[0])
        wait_until(lambda: installed_serials(dbs) == [back.serial] * 21, 2 * POLL_S, "roll back")
        assert all(helpers.db_value(db) == 100 for db in dbs)
        assert {load_state(db).manifest.sha256 for db in dbs} == {first.sha256}
        # The rollback came from the kept snapshots: no snapshot was downloaded again.
        fetched = [r for r in server.requests() if r[1] == "/" + second.snapshot_path]
        assert len(fetched) == 21
        assert not [r for r in server.requests()[mark:] if r[1].endswith(".db")]
        # The kiosk's metrics say which content it shows and that it paints frames.
        prom = (kiosk_home / "m" / "kiosk.prom").read_text()
        assert f'serial="{back.serial}"' in prom or f'serial="{second.serial}"' in prom
        assert "kiosk_frames_painted_total" in prom
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
    for n in range(FOLLOWERS):
        log = (tmp_path / f"f{n:02d}" / "follow.log").read_text()
        assert "Traceback" not in log and "WARNING" not in log, log
    assert "Traceback" not in kiosk_log.read_text()
