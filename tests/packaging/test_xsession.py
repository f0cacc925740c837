"""The X11 session script: blanking off, rotation and touch mapping from the kiosk config.

Runs the real script with stand-ins for xset/xhost/xrandr/xinput/sleep on PATH that log
their arguments, so the test needs no X server.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "packaging" / "xsession" / "kiosk-xsession"
STANDINS = {
    "xset": "",
    "xhost": "",
    "xrandr": '[ "$1" = --query ] && echo "HDMI-1 connected primary 1920x1080+0+0"',
    "xinput": '[ "$1" = list ] && printf "2\\n9\\n"',
    "sleep": "",
}


def run_session(tmp_path, config_text: str | None) -> list[str]:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    log = tmp_path / "calls.log"
    for name, body in STANDINS.items():
        tool = bin_dir / name
        tool.write_text(f'#!/bin/sh\necho "{name} $*" >> "{log}"\n{body}\nexit 0\n')
        tool.chmod(0o755)
    config = tmp_path / "kiosk.toml"
    if config_text is not None:
        config.write_text(config_text, encoding="utf-8")
    env = dict(os.environ, PATH=f"{bin_dir}:{os.environ['PATH']}", KIOSK_CONFIG=str(config))
    done = subprocess.run(["sh", str(SCRIPT)], env=env, timeout=30)
    assert done.returncode == 0
    return log.read_text().splitlines()


def test_blanking_off_and_session_held(tmp_path):
    calls = run_session(tmp_path, None)
    for expected in ("xset s off", "xset s noblank", "xset -dpms", "sleep infinity"):
        assert expected in calls
    assert calls[-1] == "sleep infinity"


@pytest.mark.parametrize(
    ("config", "turn"),
    [
        ("[kiosk]\nscreen_rotation = 90\n", "left"),
        ("[kiosk]\nscreen_rotation = 180\n", "inverted"),
        ("[kiosk]\n  screen_rotation=270  # portrait, other way\n", "right"),
        ("[kiosk]\n# screen_rotation = 90\n", "normal"),  # commented out: the default
        (None, "normal"),  # no config at all
    ],
)
def test_rotation_follows_the_config(tmp_path, config, turn):
    calls = run_session(tmp_path, config)
    assert f"xrandr --output HDMI-1 --rotate {turn}" in calls


def test_touch_devices_follow_the_rotated_output(tmp_path):
    calls = run_session(tmp_path, "[kiosk]\nscreen_rotation = 90\n")
    assert "xinput map-to-output 2 HDMI-1" in calls
    assert "xinput map-to-output 9 HDMI-1" in calls


def test_shipped_config_means_no_rotation(tmp_path):
    text = (ROOT / "packaging" / "kiosk.toml").read_text(encoding="utf-8")
    assert "xrandr --output HDMI-1 --rotate normal" in run_session(tmp_path, text)
